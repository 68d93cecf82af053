"""Actors: the gazetteer that finds states, organisations, blocs and leaders, and coreference.

Knowledge lives in ``data/``: ``states.jsonl`` and ``organisations.jsonl``
(names, adjectives and demonyms, capitals and institutional metonyms),
``leaders.csv`` (people with their years in office) and ``world.jsonl`` (named
conflicts and projects, matched here only so that "Baku" inside
"Baku-Tbilisi-Ceyhan pipeline" is not taken for Azerbaijan) and ``places.json``
(place names that hold an actor's name, "South China Sea", and names with another
sense, Georgia the U.S. state). All names are compiled once into an Aho-Corasick
automaton.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .document import Document, Mention
from .matching import Phrases

NAME_HOWS = {"names": "name", "adjectives": "adjective", "capitals": "capital"}
# A possessive written without its apostrophe ("Azerbaijans", "Russias") is the name plus "s".
POSSESSIVE_HOWS = {"name", "capital", "organisation"}
# Words before a mention that put it outside the subject position ("Unlike Armenia, Azerbaijan ...").
OBLIQUE_WORDS = frozenset(
    "unlike like with from to against for by of between than toward towards including besides despite "
    "about over at into on in among amid and or".split()
)
# Words that open a clause of its own: an actor right after one is that clause's subject, the
# one "it" and "its" there stand for ("Europe retaliated, while Canada imposed tariffs on its ...").
CLAUSE_OPENERS = frozenset("while whereas although though as when because since that but if after before".split())
DETERMINERS = frozenset("the a an its their his her our this that these those both most many some all several "
                        "other few".split())


@dataclass(frozen=True, slots=True)
class Entry:
    actor: str | None  # None: a blocking name (a named project or conflict), not an actor
    how: str
    start: int | None = None
    end: int | None = None

    def holds_in(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


def data_path(name: str) -> Path:
    return Path(str(resources.files("equipoise") / "data" / name))


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@lru_cache(maxsize=None)
def actor_table(data_dir: Path | None = None) -> dict[str, dict]:
    """Every known actor id with its record (states, organisations, blocs, NGOs)."""
    data_dir = data_dir or data_path("")
    table = {}
    for row in read_jsonl(data_dir / "states.jsonl"):
        table[row["id"]] = {**row, "kind": "state"}
    for row in read_jsonl(data_dir / "organisations.jsonl"):
        table[row["id"]] = row
    return table


def actor_name(actor: str) -> str:
    """The display name of an actor id ("AZE" -> "Azerbaijan")."""
    row = actor_table().get(actor)
    return row["names"][0] if row and row.get("names") else actor


class Gazetteer:
    """Finds actor names in text with one Aho-Corasick automaton.

    Args:
        data_dir (Path): folder holding states.jsonl, organisations.jsonl, leaders.csv, world.jsonl,
            places.json.
    """

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir) if data_dir else data_path("")
        self.entries: dict[str, list[Entry]] = {}
        self._load()
        self.phrases = Phrases((key, tuple(entries)) for key, entries in self.entries.items())

    def _add(self, key: str, entry: Entry) -> None:
        key = key.strip()
        if key and entry not in self.entries.setdefault(key, []):
            self.entries[key].append(entry)

    def _load(self) -> None:
        for row in actor_table(self.data_dir).values():
            is_state = row["kind"] == "state"
            years = row.get("years") or (None, None)
            for field, how in NAME_HOWS.items():
                how = "organisation" if how == "name" and not is_state else how
                for key in row.get(field, []):
                    self._add(key, Entry(row["id"], how, *years))
        with open(self.data_dir / "leaders.csv", encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                start = int(row["start"]) if row["start"] else None
                end = int(row["end"]) if row["end"] else None
                for key in [row["name"], *filter(None, row["aliases"].split("|"))]:
                    self._add(key, Entry(row["actor"], "leader", start, end))
        for row in read_jsonl(self.data_dir / "world.jsonl"):
            for key in row["names"]:
                self._add(key, Entry(None, "world"))
        places = json.loads((self.data_dir / "places.json").read_text(encoding="utf-8"))
        for key in places["blocking"]:
            self._add(key, Entry(None, "place"))
        self.ambiguous = {(row["actor"], row["name"]): row for row in places["ambiguous"]}
        self.alignment_prefixes = tuple(p.lower() for p in places["alignment_prefixes"])
        for key, entries in list(self.entries.items()):
            if key[-1].isalpha() and key[-1] != "s" and key + "s" not in self.entries:
                possessive = [e for e in entries if e.how in POSSESSIVE_HOWS]
                if possessive:
                    self.entries[key + "s"] = possessive

    def match(self, text: str, year: int | None = None) -> list[tuple[int, int, Entry]]:
        """Find actor names in text: longest non-overlapping matches on word boundaries.

        Args:
            text (str): the text to search.
            year (int | None): the year the text speaks of, to choose among leaders.
        RETURNS (list[tuple[int, int, Entry]]): (start, end, entry), ordered by start;
            blocking names (named projects, conflicts) are left out.
        """
        found = []
        for start, end, entries in self.phrases.find(text):
            entry = self._choose(entries, year)
            if entry.actor is not None and not self._other_sense(text, start, end, entry) \
                    and not self._alignment(text, start):
                found.append((start, end, entry))
        return found

    def _alignment(self, text: str, start: int) -> bool:
        """Whether the name only says whom someone sides with or against ("pro-Russian
        separatists", "anti-American protesters"): glued to an alignment prefix."""
        word = re.search(r"[\w-]*$", text[:start]).group(0).lower()
        return word in self.alignment_prefixes

    def _other_sense(self, text: str, start: int, end: int, entry: Entry) -> bool:
        """Whether an ambiguous name means its other sense here (``places.json``): "Atlanta,
        Georgia", "the U.S. state of Georgia", "Georgia's governor", "Alabama and Georgia"."""
        rule = self.ambiguous.get((entry.actor, text[start:end]))
        if rule is None:
            return False
        before, after = " ".join(text[:start].split()), text[end:]
        if any(before.endswith(phrase) for phrase in rule["before"]) or any(after.startswith(p) for p in rule["after"]):
            return True
        listed = re.compile(r"(?:%s)(?:,? and|,? or|,)$" % "|".join(map(re.escape, rule["peers"])))
        listing = re.compile(r"(?:,? and|,? or|,) (?:%s)\b" % "|".join(map(re.escape, rule["peers"])))
        return bool(listed.search(before) or listing.match(after))

    @staticmethod
    def _choose(entries: tuple[Entry, ...], year: int | None) -> Entry:
        if len(entries) == 1:
            return entries[0]
        if year is not None:
            holding = [e for e in entries if e.holds_in(year)]
            if holding:
                return holding[0]
        # No year or none in office then: the most recent holder.
        return max(entries, key=lambda e: (e.end is None, e.end or 0, e.start or 0))


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """The gazetteer built from the package's data (or data_dir), built once per process."""
    return Gazetteer(data_dir)


class ActorTagger:
    """Pipeline stage: adds a Mention for every actor name, adjective, capital or leader."""

    name = "actors"

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load_gazetteer()

    def __call__(self, doc: Document) -> Document:
        year = doc.year
        for sentence in doc.sentences:
            text = doc.text[sentence.start : sentence.end]
            for start, end, entry in self.gazetteer.match(text, year):
                doc.mentions.append(Mention(sentence.index, sentence.start + start, sentence.start + end,
                                            text[start:end], entry.actor, entry.how))
        return doc


# Pronouns and definite descriptions that stand for a state already named.
SINGULAR = re.compile(r"\b(?:it|its|itself)\b", re.I)
# "the country", "the island nation": a state named before, by a description.
DESCRIPTION = re.compile(r"\bthe (?:[a-z][\w-]* )?(?:country|nation)(?:'s|’s|s)?\b", re.I)
PLURAL = re.compile(r"\b(?:they|their|theirs|them|they've|they’ve|theyve|they're|they’re|theyre)\b", re.I)
PAIR = re.compile(
    r"\b(?:both(?: (?:nations|countries|sides|states|governments|capitals))?"
    r"|the (?:two|2)(?: (?:nations|countries|sides|states|governments|neighbou?rs|capitals|allies|partners))?)\b",
    re.I,
)
# "it is important to", "it was clear that", "it helps if": "it" that stands for nothing.
EXPLETIVE_IT = re.compile(
    r"(?:is|was|'s|’s|seems|seemed|appears|remains|has been|would be|will be) \w+ (?:that|to|for|whether)\b"
    r"|(?:helps|helped|matters|mattered|pays|paid|makes sense|made sense) (?:if|that|to|when|whether)\b")
RELATIONAL_NOUNS = frozenset(
    "relationship relationships relations ties teamwork cooperation partnership alliance friendship "
    "dialogue talks trade rivalry dispute differences bond bonds links".split()
)
# After "both", these show it does not stand for two actors ("both Baku and Yerevan", "both the ...").
NOT_A_PAIR_NEXT = re.compile(r"\s*(?:the|of|[A-Z])")
# A bare "the two" stands for two actors only before a verb or punctuation ("between the 2 reached").
PAIR_VERB_NEXT = re.compile(r"\s*(?:[,.;:)]|$|\w+ed\b|are|were|have|had|will|would|can|could|also|agreed|share|met|signed)")


class Coreference:
    """Pipeline stage: resolves pronouns ("it", "its", "the country", "they", "their", "both",
    "the two") to the salient actors of the preceding text and adds them as pronoun Mentions.

    Salience: "it" and "the country" go to the subject (first actor not after a
    preposition) of the current sentence before the pronoun, else of the last
    sentence that had one, but "the country", "the island nation" after a
    preposition go to the most recent other actor; "their ties" goes to that subject and the most recent
    other actor; "both" and "the two" to the two most recent distinct actors.
    """

    name = "coref"

    def __call__(self, doc: Document) -> Document:
        by_sentence = doc.mentions_by_sentence()
        resolved: list[Mention] = []
        subject: str | None = None
        recent: list[str] = []  # distinct actors, most recent last
        for sentence in doc.sentences:
            explicit = by_sentence.get(sentence.index, [])
            text = doc.text[sentence.start : sentence.end]
            pronouns = self._pronouns(text)
            events = sorted([(m.start - sentence.start, "mention", m) for m in explicit]
                            + [(start, "pronoun", (start, end, kind)) for start, end, kind in pronouns],
                            key=lambda e: e[0])
            sentence_subject = clause_subject = None
            for offset, what, item in events:
                if what == "mention":
                    if item.how in ("name", "capital", "leader", "organisation", "adjective"):
                        if sentence_subject is None and is_subject_position(text, offset):
                            sentence_subject = item.actor
                        if opens_clause(text, offset):
                            clause_subject = item.actor
                        _touch(recent, item.actor)
                    continue
                start, end, kind = item
                salient = clause_subject if kind == "singular" and clause_subject else sentence_subject or subject
                actors = self._resolve(kind, text, end, salient, recent,
                                       object_position=not is_subject_position(text, start))
                for actor in actors:
                    _touch(recent, actor)
                    resolved.append(Mention(sentence.index, sentence.start + start, sentence.start + end,
                                            text[start:end], actor, "pronoun"))
                if kind in ("singular", "description") and actors and sentence_subject is None:
                    sentence_subject = actors[0]
                if kind == "description" and actors:
                    # "the country's national day, the anniversary of its independence": "it" goes on
                    # with the state the description named.
                    clause_subject = actors[0]
            if sentence_subject is None and explicit:
                sentence_subject = explicit[0].actor
            if sentence_subject is not None:
                subject = sentence_subject
        doc.mentions = sorted(doc.mentions + resolved, key=lambda m: (m.start, m.end, m.actor))
        return doc

    @staticmethod
    def _pronouns(text: str) -> list[tuple[int, int, str]]:
        found = []
        for kind, pattern in (("singular", SINGULAR), ("description", DESCRIPTION), ("plural", PLURAL), ("pair", PAIR)):
            for match in pattern.finditer(text):
                word = match.group(0).lower()
                rest = text[match.end():]
                if word == "it" and EXPLETIVE_IT.match(rest.lstrip()):
                    continue
                if word == "both" and NOT_A_PAIR_NEXT.match(rest):
                    continue
                if word in ("the two", "the 2") and not PAIR_VERB_NEXT.match(rest):
                    continue
                found.append((match.start(), match.end(), kind))
        return found

    @staticmethod
    def _resolve(kind: str, text: str, end: int, subject: str | None, recent: list[str],
                 object_position: bool = False) -> list[str]:
        if kind == "description" and object_position and subject is not None:
            # "Modi will discuss India's ties with the island nation": a description after a
            # preposition names another state than the subject, the most recent one.
            others = [actor for actor in recent if actor != subject]
            return others[-1:] if others else [subject]
        if kind == "pair" or kind == "plural" and _next_word(text, end) in RELATIONAL_NOUNS:
            if kind == "plural" and subject is not None:
                others = [actor for actor in recent if actor != subject]
                return [subject, others[-1]] if others else [subject]
            return recent[-2:] if len(recent) >= 2 else []
        return [subject] if subject else []


def _touch(recent: list[str], actor: str) -> None:
    if actor in recent:
        recent.remove(actor)
    recent.append(actor)


def _next_word(text: str, end: int) -> str:
    words = text[end:].split(maxsplit=1)
    return words[0].strip(",.;:").lower() if words else ""


def opens_clause(text: str, offset: int) -> bool:
    """Whether a mention at offset is the subject of a clause opened mid-sentence ("while Canada",
    "as the Kremlin said")."""
    words = [w.strip(",;:\"“").lower() for w in text[:offset].split()[-3:]]
    while words and words[-1] in DETERMINERS:
        words.pop()
    return bool(words) and words[-1] in CLAUSE_OPENERS


def is_subject_position(text: str, offset: int) -> bool:
    """Whether a mention at offset is not governed by a preposition ("with the West", "Unlike Armenia",
    "according to a confidential U.N. report": a word between the determiner and the name is
    passed over)."""
    raw = [w.strip(",.;:\"“") for w in text[:offset].split()[-4:]]
    words = [w.lower() for w in raw]
    while words and words[-1] in DETERMINERS:
        words.pop()
    if len(words) >= 2 and raw[len(words) - 1].isalpha() and raw[len(words) - 1].islower() \
            and words[-2] in DETERMINERS:
        words.pop()
        while words and words[-1] in DETERMINERS:
            words.pop()
    return not words or words[-1] not in OBLIQUE_WORDS
