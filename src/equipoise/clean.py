"""Cleaning and sentence splitting.

Web text arrives with mojibake, sentences run together ("leverage.The nations")
and headings glued to the sentence after them ("friction with WestAzerbaijan
is"). ``clean_text`` repairs these; ``split_sentences`` cuts the result into
sentences with their character spans. The word lists live in
``data/sentences.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import ftfy

from .document import Document, Sentence

# "leverage.The", "1991.National": a sentence end with no space after it.
RUN_ON = re.compile(r"(?<=[a-z0-9)%]{2}[.!?])(?=[\"“‘(]?[A-Z][a-z])")
# "WestAzerbaijan", "neighborsAzerbaijan": lower case followed by a capitalised word inside one token.
GLUED_TOKEN = re.compile(r"(?<![A-Za-z])[A-Za-z]*[a-z][A-Z][A-Za-z]*")  # from a word start: linear
GLUE_POINT = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})")
LATIN1_RANGE = re.compile("[\u0080-\u00ff]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A subheading flattened into the text: a lower-case word, then a capitalised usual sentence opener.
HEADING_END = re.compile(r"(?<=[a-z]) ([A-Z][a-z]+)\b")
HEADING_WORDS = 8
HEADING_REACH = 80
# A sentence ends at . ! ? (with closing quotes or brackets) before white space.
BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


@lru_cache(maxsize=1)
def _rules() -> dict:
    path = resources.files("equipoise") / "data" / "sentences.json"
    rules = json.loads(path.read_text(encoding="utf-8"))
    return {
        "abbreviations": frozenset(rules["abbreviations"]),
        "dotted_acronyms": frozenset(rules["dotted_acronyms"]),
        "sentence_starters": frozenset(rules["sentence_starters"]),
        "glued_words": frozenset(rules["glued_words"]),
        "people_nouns": frozenset(rules["people_nouns"]),
        "not_before_people": frozenset(rules["not_before_people"]),
        "subject_verbs": frozenset(rules["subject_verbs"]),
    }


def clean_text(text: str) -> str:
    """Repair encoding, white space, run-on sentences and glued headings.

    Args:
        text (str): raw text.
    RETURNS (str): the cleaned text, which all offsets downstream refer to.
    """
    text = fix_unicode(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = RUN_ON.sub(" ", text)
    return GLUED_TOKEN.sub(_unglue, text)


def fix_unicode(text: str) -> str:
    """ftfy's repairs. Mojibake always shows characters of the Latin-1 range ("Ã", "â€™"); a text
    without any gets only ftfy's cheap fixes, since its full check costs a third of the pipeline."""
    if LATIN1_RANGE.search(text):
        return ftfy.fix_text(text)
    return ftfy.fixes.fix_line_breaks(ftfy.fixes.uncurl_quotes(unicodedata.normalize("NFC", text)))


def _unglue(match: re.Match) -> str:
    token = match.group(0)
    if token in _rules()["glued_words"]:
        return token
    return GLUE_POINT.sub("\n", token)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of a cleaned text.

    Lines are always separate; within a line a sentence ends at . ! or ? before
    a capital or digit, except after an abbreviation ("Gen.", "Dr.") or an
    initial ("F.W."), and after a dotted acronym ("U.S.") unless a usual
    sentence opener follows.
    """
    rules = _rules()
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for boundary in BOUNDARY.finditer(line):
            if _is_abbreviation(line, boundary, rules):
                continue
            _add_heading_and_span(spans, line, offset, start, boundary.end(), rules)
            start = boundary.end()
        _add_heading_and_span(spans, line, offset, start, len(line), rules)
        offset += len(line) + 1
    return spans


def _is_abbreviation(line: str, boundary: re.Match, rules: dict) -> bool:
    if not line[boundary.start()] == ".":
        return False
    # The token before the period: scan back to the last space (a regex anchored at the end would
    # rescan the line from its start for every boundary).
    token = line[line.rfind(" ", 0, boundary.start()) + 1 : boundary.start()].lstrip("\"“‘([").lower()
    if not token:
        return False
    if token in rules["abbreviations"]:
        return True
    initial = len(token) == 1 and token.isalpha() or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)
    if initial or token in rules["dotted_acronyms"]:
        # An initial ("F. W. de Klerk") or a dotted acronym ("U.S.") ends no sentence, unless a usual
        # sentence opener follows: a name does not go on with "The" ("on the platform X. The talks").
        next_word = line[boundary.end():].split(maxsplit=1)
        return not next_word or next_word[0].strip("\"“‘([") not in rules["sentence_starters"]
    return False


def _add_heading_and_span(spans: list, line: str, offset: int, start: int, end: int, rules: dict) -> None:
    """Add a sentence, first splitting off a subheading flattened into it ("China trade on rise
    While India has ..."): a few words with no punctuation, then a usual sentence opener after a
    lower-case word."""
    segment = line[start:end]
    for match in HEADING_END.finditer(segment, 0, HEADING_REACH):
        head = segment[: match.start()]
        if (match.group(1) in rules["sentence_starters"] or _opens_with_people(segment, match, head, rules)) \
                and len(head.split()) <= HEADING_WORDS and not any(mark in head for mark in ",;:.!?\"“”"):
            _add_span(spans, line, offset, start, start + match.start())
            start += match.end() - len(match.group(1))
            break
    _add_span(spans, line, offset, start, end)


def _opens_with_people(segment: str, match: re.Match, head: str, rules: dict) -> bool:
    """Whether the capitalised word at match opens a sentence as its subject, a people noun, after
    a lower-case word: a common noun capitalised ("China concerns Politicians in Britain have"), or
    a capitalised modifier of one before a verb ("copper deal Chilean officials have said"), but
    not after a function word or a reporting verb ("as Russian troops have", "said Indian officials")."""
    before = head.split()[-1] if head.split() else ""
    if not before.islower() or before in rules["not_before_people"]:
        return False
    words = segment[match.start(1):].split(maxsplit=3)
    if words[0].lower() in rules["people_nouns"]:
        return True
    return len(words) > 2 and words[1] in rules["people_nouns"] and words[2] in rules["subject_verbs"]


def _add_span(spans: list, line: str, offset: int, start: int, end: int) -> None:
    segment = line[start:end]
    stripped = segment.strip()
    if stripped:
        lead = len(segment) - len(segment.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))


class Cleaner:
    """Pipeline stage: cleans ``doc.text`` and sets ``doc.sentences``."""

    name = "clean"

    def __call__(self, doc: Document) -> Document:
        doc.text = clean_text(doc.text)
        doc.sentences = [Sentence(i, start, end) for i, (start, end) in enumerate(split_sentences(doc.text))]
        return doc
