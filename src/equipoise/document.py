"""The records that flow through the pipeline: one Document and what the stages add to it.

Each stage receives a Document, adds its annotations and returns it, as a spaCy
component returns the Doc. Offsets are character offsets into ``Document.text``,
the cleaned text. ``Document.records()`` gives the output contract: one plain
dict per mention, relation, fact and membership.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator

DIMENSIONS = ("energy", "economy", "security", "diplomacy", "humanitarian")
MODALITIES = ("asserted", "negated", "planned", "hypothetical", "reported")
MEMBERSHIP_STATUSES = ("yes", "no", "applying", "leaving")


def content_id(text: str) -> str:
    """Return the document id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass(slots=True)
class Token:
    """One word of a parsed sentence (``syntax`` stage). ``head`` is the index, within the same
    sentence's tokens, of the word it depends on (itself for the root)."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str  # universal part of speech
    tag: str  # Penn Treebank tag
    dep: str  # ClearNLP dependency label, as spaCy's English models give it
    head: int


@dataclass(slots=True)
class Mention:
    sentence: int
    start: int
    end: int
    text: str
    actor: str
    how: str  # name, adjective, capital, leader, pronoun, organisation


@dataclass(slots=True)
class Relation:
    sentence: int
    source: str
    target: str
    dimension: str
    score: float
    type: str | None  # PLOVER event type, None for a standing tie
    modality: str
    date: str | None
    evidence: str
    rule: str
    start: int  # span of the cue that fired
    end: int


@dataclass(slots=True)
class Fact:
    sentence: int
    pair: tuple[str, str]
    measure: str
    value: float
    unit: str
    bound: str
    year: int | None
    evidence: str
    rule: str
    start: int
    end: int


@dataclass(slots=True)
class Membership:
    sentence: int
    member: str
    organization: str
    status: str
    evidence: str
    rule: str
    start: int
    end: int


@dataclass
class Document:
    """One text and everything the pipeline found in it.

    Args:
        text (str): the text; after cleaning, the cleaned text that offsets refer to.
        source (str): where it came from (path, path:line, or a data-set name).
        title, date, url: optional metadata; date is an ISO date or a year.
        id (str): content hash of the text as read; computed when not given.
    """

    text: str
    source: str = ""
    title: str | None = None
    date: str | None = None
    url: str | None = None
    id: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    parses: dict[int, list[Token]] = field(default_factory=dict)  # sentence index -> its words

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    @property
    def year(self) -> int | None:
        """The year of the document's date, if it has one."""
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4])
        return None

    def mentions_by_sentence(self) -> dict[int, list[Mention]]:
        """The mentions grouped by sentence index, each group in text order."""
        groups: dict[int, list[Mention]] = {}
        for mention in self.mentions:
            groups.setdefault(mention.sentence, []).append(mention)
        return groups

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        return self.text[sentence.start : sentence.end]

    def records(self) -> Iterator[dict]:
        """Yield the output-contract records: mentions, relations, facts, memberships."""
        for m in self.mentions:
            yield {"kind": "mention", "doc": self.id, "sentence": m.sentence, "start": m.start,
                   "end": m.end, "text": m.text, "actor": m.actor, "how": m.how}
        for r in self.relations:
            yield {"kind": "relation", "doc": self.id, "sentence": r.sentence, "source": r.source,
                   "target": r.target, "dimension": r.dimension, "score": r.score, "type": r.type,
                   "modality": r.modality, "date": r.date, "evidence": r.evidence, "rule": r.rule,
                   "start": r.start, "end": r.end}
        for f in self.facts:
            yield {"kind": "fact", "doc": self.id, "sentence": f.sentence, "pair": list(f.pair),
                   "measure": f.measure, "value": f.value, "unit": f.unit, "bound": f.bound,
                   "year": f.year, "evidence": f.evidence, "rule": f.rule, "start": f.start, "end": f.end}
        for s in self.memberships:
            yield {"kind": "membership", "doc": self.id, "sentence": s.sentence, "member": s.member,
                   "organization": s.organization, "status": s.status, "evidence": s.evidence,
                   "rule": s.rule, "start": s.start, "end": s.end}
