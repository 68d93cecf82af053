"""Facts (quantities tied to a pair of actors) and memberships.

A fact is a number with what it measures: money ("over $4 billion" of trade),
shares ("about 5% of EU imports"), counts ("2,000 peacekeepers"), multipliers
("double gas exports by 2027") and ranks ("second-biggest trading partner").
Values are normalised to plain numbers. A membership is a stated membership or
non-membership ("isn't part of NATO"). The word lists are in ``data/facts.json``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .actors import actor_table, data_path, is_subject_position
from .document import Document, Fact, Membership, Mention
from .matching import Phrases
from .relations import document_topic, load_lexicon

NUMBER = re.compile(
    r"(?:(?P<currency>US\$|[$€£])\s?)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|bn|mn|tn|[kmb])\b)?"
    r"(?:\s?(?P<unit>%|percent\b|per cent\b|[A-Za-z]+))?"
)
YEAR_VALUE = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
BY_YEAR = re.compile(r"\bby (19[5-9]\d|20[0-4]\d)\b")
WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


@lru_cache(maxsize=4)
def load_rules(data_dir: Path | None = None) -> dict:
    data_dir = Path(data_dir) if data_dir else data_path("")
    rules = json.loads((data_dir / "facts.json").read_text(encoding="utf-8"))
    rules["bound_phrases"] = Phrases((p, bound) for bound, phrases in rules["bounds"].items() for p in phrases)
    rules["membership_phrases"] = Phrases((p, status) for status, phrases in rules["memberships"].items() for p in phrases)
    rules["ranked_phrases"] = Phrases(
        (f"{ordinal}{sep}{size} {noun}".strip().replace("  ", " "), (value, measure))
        for ordinal, value in rules["ordinals"].items()
        for sep, size in (("-", "biggest"), ("-", "largest"), (" ", "biggest"), (" ", "largest"), (" ", ""))
        for noun, measure in rules["ranked"].items()
    )
    return rules


class FactExtractor:
    """Pipeline stage: adds Facts (numbers tied to a pair of actors) to the Document."""

    name = "facts"

    def __init__(self, rules: dict | None = None):
        self.rules = rules or load_rules()

    def __call__(self, doc: Document) -> Document:
        topic = document_topic(doc.mentions)
        last_year = doc.year
        by_sentence = doc.mentions_by_sentence()
        for sentence in doc.sentences:
            text = doc.text[sentence.start : sentence.end]
            years = [int(y) for y in YEAR.findall(text)]
            year = years[0] if years else last_year
            mentions = by_sentence.get(sentence.index, [])
            for pair, measure, value, unit, bound, fact_year, rule, start, end in self._sentence_facts(
                    text, year, mentions, sentence.start, topic):
                doc.facts.append(Fact(sentence.index, pair, measure, value, unit, bound, fact_year, text,
                                      f"fact:{rule}", start, end))
            last_year = years[-1] if years else last_year
        return doc

    def _sentence_facts(self, text, year, mentions, offset, topic):
        lower = text.lower()
        rules = self.rules
        for start, end, (value, measure) in rules["ranked_phrases"].find(lower):
            pair = _pair(mentions, offset, start, topic, before_only=True)
            if pair:
                yield pair, measure, float(value), "rank", "exact", year, "rank", offset + start, offset + end
        for match in WORD.finditer(lower):
            factor = rules["multipliers"].get(match.group(0))
            if factor is None:
                continue
            measure = self._measure(lower, match.end(), match.start())
            by_year = BY_YEAR.search(lower, match.end())
            pair = _pair(mentions, offset, match.start(), topic)
            if pair and measure:
                yield (pair, f"{measure} growth", float(factor), "times", "target",
                       int(by_year.group(1)) if by_year else year, "multiplier", offset + match.start(), offset + match.end())
        for match in NUMBER.finditer(text):
            fact = self._number_fact(text, lower, match)
            if fact is None:
                continue
            measure, value, unit = fact
            pair = _pair(mentions, offset, match.start(), topic)
            if pair:
                bound = self._bound(lower, match.start())
                yield pair, measure, value, unit, bound, year, "number", offset + match.start(), offset + match.end()

    def _number_fact(self, text: str, lower: str, match: re.Match):
        rules = self.rules
        number = match.group("number")
        if YEAR_VALUE.match(number) and not match.group("currency"):
            return None
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in ".-/"):
            return None
        value = float(number.replace(",", ""))
        scale = (match.group("scale") or "").lower()
        value *= rules["scales"].get(scale, 1.0)
        unit_word = (match.group("unit") or "").lower()
        currency = rules["currencies"].get((match.group("currency") or "").lower()) or rules["currencies"].get(unit_word)
        if currency:
            measure = self._measure(lower, match.end(), match.start()) or "value"
            return measure, value, currency
        if unit_word in ("%", "percent", "per cent"):
            measure = self._measure(lower, match.end(), match.start())
            return (f"{measure} share" if measure else "share"), value, "%"
        if unit_word in rules["count_units"]:
            return unit_word, value, rules["count_units"][unit_word]
        return None

    def _measure(self, lower: str, after: int, before: int) -> str | None:
        """The nearest measure word: first within six words after the number, then eight before it."""
        words_after = WORD.findall(lower[after:])[:6]
        for word in words_after:
            if word in self.rules["measures"]:
                return self.rules["measures"][word]
        for word in reversed(WORD.findall(lower[:before])[-8:]):
            if word in self.rules["measures"]:
                return self.rules["measures"][word]
        return None

    def _bound(self, lower: str, start: int) -> str:
        before = lower[max(0, start - 25) : start]
        if re.search(r"\bby (19|20)\d\d\b", lower[start:start + 60]) and re.search(r"\b(plan|aim|target|goal|agreed|will)", lower):
            return "target"
        found = [b for s, e, b in self.rules["bound_phrases"].find(before) if e >= len(before.rstrip(" $€£"))]
        return found[-1] if found else "exact"


def _pair(mentions: list[Mention], offset: int, position: int, topic: str | None, before_only: bool = False):
    """The two actors a number is about: the first two distinct actors of the sentence
    (for ranks, the two nearest before it), or the one actor and the document topic."""
    pool = [m for m in mentions if m.start - offset < position] if before_only else mentions
    actors = list(dict.fromkeys(m.actor for m in pool))
    if before_only:
        actors = actors[-2:]
    if len(actors) >= 2:
        return tuple(actors[:2])
    if len(actors) == 1 and topic and topic != actors[0]:
        return (actors[0], topic)
    return None


class MembershipExtractor:
    """Pipeline stage: adds Memberships ("Azerbaijan isn't part of NATO") to the Document."""

    name = "memberships"

    def __init__(self, rules: dict | None = None):
        self.rules = rules or load_rules()
        self.lexicon = load_lexicon()
        self.actors = actor_table()

    def __call__(self, doc: Document) -> Document:
        by_sentence = doc.mentions_by_sentence()
        for sentence in doc.sentences:
            text = doc.text[sentence.start : sentence.end]
            lower = text.lower()
            mentions = by_sentence.get(sentence.index, [])
            for start, end, status in self.rules["membership_phrases"].find(lower):
                doc.memberships.extend(self._memberships(doc, sentence, text, lower, mentions, start, end, status))
        return doc

    def _memberships(self, doc, sentence, text, lower, mentions, start, end, status):
        offset = sentence.start
        members = [m for m in mentions if m.start - offset < start and self._kind(m.actor) == "state"]
        subjects = [m for m in members if is_subject_position(text, m.start - offset)]
        member = (subjects or members or [None])[-1]
        if member is None:
            return
        organisations = []
        for m in mentions:
            if m.start - offset < end:
                continue
            if self._kind(m.actor) == "state" and m.how != "pronoun":
                break  # another state: the list of organisations has ended
            if self._kind(m.actor) == "organisation" and m.actor not in organisations:
                organisations.append(m.actor)
        if not organisations:
            return
        if self.lexicon.modality(lower, start, end, lower) == "negated":
            if status != "yes":
                return
            status = "no"
        for organisation in organisations:
            yield Membership(sentence.index, member.actor, organisation, status, text,
                             f"membership:{lower[start:end]}", offset + start, offset + end)

    def _kind(self, actor: str) -> str | None:
        row = self.actors.get(actor)
        return row["kind"] if row else None
