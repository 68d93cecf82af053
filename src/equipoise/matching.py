"""Phrase matching shared by the gazetteer, the cue lexicon and the world knowledge:
an Aho-Corasick automaton, whole words only, longest match wins."""

from __future__ import annotations

import re
from typing import Generic, Iterable, TypeVar

import ahocorasick

T = TypeVar("T")
WORD_CHAR = re.compile(r"\w")
HYPHENATED_WORD_CHAR = re.compile(r"[\w-]")


def expand_alternatives(pattern: str) -> list[str]:
    """Expand "sign/signed deal/deals" into every phrase it stands for (4 here)."""
    phrases = [""]
    for token in pattern.split():
        phrases = [f"{p} {alt}".strip() for p in phrases for alt in token.split("/")]
    return phrases


class Phrases(Generic[T]):
    """A set of phrases, each with a value, found in text as whole words.

    Args:
        items: (phrase, value) pairs; a phrase given twice keeps its first value.
        word_char (re.Pattern): what counts as part of a word at a match's edges; cue words pass
            one with the hyphen, so that "war" is not found in "post-war".
    """

    def __init__(self, items: Iterable[tuple[str, T]], word_char: re.Pattern = WORD_CHAR):
        self.word_char = word_char
        self.automaton = ahocorasick.Automaton()
        for phrase, value in items:
            if phrase and phrase not in self.automaton:
                self.automaton.add_word(phrase, (len(phrase), value))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, T]]:
        """Return (start, end, value) of the longest non-overlapping whole-word matches, by start."""
        if self.empty:
            return []
        candidates = []
        for last, (length, value) in self.automaton.iter(text):
            start, end = last - length + 1, last + 1
            if start > 0 and self.word_char.match(text[start - 1]) or end < len(text) and self.word_char.match(text[end]):
                continue
            candidates.append((start, end, value))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        found, covered_to = [], -1
        for start, end, value in candidates:
            if start >= covered_to:
                found.append((start, end, value))
                covered_to = end
        return found
