"""Syntax: a dependency parse of the sentences that can yield a relation.

Roles decide who does what to whom ("a court in X jailed a Y student": X is a
place, not a party), so the relations stage reads them from a parse. Parsing
is the costly step of the pipeline, so only the sentences that can yield a
relation or an event are parsed: those with a polar cue (``data/cues.jsonl``)
and, by default, at least one actor mention. The rest keep no parse, and the
relations stage falls back to its position rules there, as it does everywhere
with ``--fast``.

The parser is spaCy's ``en_core_web_sm`` 3.8.0, installed from the package
registry (``models.txt`` pins the wheel by hash) and checked at load time
against the weights' hashes in ``data/parser.json``; it never downloads.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from functools import lru_cache
from pathlib import Path

from .actors import data_path
from .document import Document, Token
from .errors import ParserMismatch, ParserMissing
from .relations import Lexicon, load_lexicon


def parser_spec() -> dict:
    """The pinned parser: distribution, package, version and the sha256 of its weight files."""
    return json.loads(data_path("parser.json").read_text(encoding="utf-8"))


def model_path(spec: dict | None = None) -> Path:
    """The folder of the installed model's weights; ParserMissing when it is not installed."""
    spec = spec or parser_spec()
    try:
        module = importlib.import_module(spec["package"])
    except ImportError:
        raise ParserMissing(spec["distribution"], spec["version"]) from None
    return Path(module.__file__).parent / f"{spec['package']}-{spec['version']}"


def verify_model(path: Path, spec: dict) -> None:
    """Refuse a model whose weights are not the pinned ones (ParserMismatch)."""
    if not path.is_dir():
        raise ParserMismatch(str(path), f"no folder for version {spec['version']}")
    for name, expected in spec["files"].items():
        file = path / name
        if not file.is_file():
            raise ParserMismatch(str(path), f"{name} is missing")
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != expected:
            raise ParserMismatch(str(path), f"{name} has sha256 {digest[:12]}…, pinned {expected[:12]}…")


LEMMATISED = frozenset(("VERB", "AUX", "NOUN"))


class SpacyParser:
    """The pinned spaCy pipeline, run as tokenizer, tok2vec, tagger and parser only: the entity
    recogniser is left out (the gazetteer finds actors), and part of speech and lemmas, which
    spaCy's attribute ruler and lemmatizer would give every word at a third of the parse's cost,
    come from the same model's tables, the lemma for verbs and nouns only, memoised."""

    def __init__(self):
        import spacy

        spec = parser_spec()
        path = model_path(spec)
        verify_model(path, spec)
        self.nlp = spacy.load(path, exclude=spec["exclude"], disable=["attribute_ruler", "lemmatizer"])
        self.lemmatizer = self.nlp.get_pipe("lemmatizer")
        self.tag_pos = {}
        for rule in self.nlp.get_pipe("attribute_ruler").patterns:
            patterns, attrs = rule["patterns"], rule["attrs"]
            if len(patterns) == 1 and len(patterns[0]) == 1 and set(patterns[0][0]) == {"TAG"} \
                    and isinstance(patterns[0][0]["TAG"], str) and "POS" in attrs:
                self.tag_pos[patterns[0][0]["TAG"]] = attrs["POS"]
        self.lemmas: dict[tuple[str, str], str] = {}

    def pipe(self, texts, offsets, batch_size: int = 256):
        """Yield each text's words as Tokens, offsets added to their character positions."""
        for parsed, offset in zip(self.nlp.pipe(texts, batch_size=batch_size), offsets):
            tokens = []
            for t in parsed:
                pos = self.tag_pos.get(t.tag_, "X")
                tokens.append(Token(offset + t.idx, offset + t.idx + len(t.text), t.text, self._lemma(t, pos),
                                    pos, t.tag_, t.dep_, t.head.i))
            yield tokens

    def _lemma(self, token, pos: str) -> str:
        if pos not in LEMMATISED:
            return token.lower_
        key = (token.lower_, pos)
        lemma = self.lemmas.get(key)
        if lemma is None:
            token.pos_ = pos
            lemma = self.lemmas[key] = self.lemmatizer.rule_lemmatize(token)[0].lower()
            if len(self.lemmas) > 200_000:  # bounded: memory must not grow with the corpus
                self.lemmas.clear()
        return lemma


@lru_cache(maxsize=1)
def load_parser() -> SpacyParser:
    """The parser, loaded once per process after its weights are checked."""
    return SpacyParser()


class Parser:
    """Pipeline stage: parses the sentences that can yield a relation into ``Document.parses``.

    Args:
        lexicon (Lexicon): the cue lexicon that says which sentences can yield a relation.
        require_actor (bool): parse only sentences with an actor mention (False: every sentence
            with a polar cue, as sentence coding needs for events with unknown actors).
        batch_size (int): sentences per batch given to spaCy.
    """

    name = "syntax"

    def __init__(self, lexicon: Lexicon | None = None, require_actor: bool = True, batch_size: int = 256):
        self.lexicon = lexicon or load_lexicon()
        self.require_actor = require_actor
        self.batch_size = batch_size
        self.nlp = load_parser()

    def candidates(self, doc: Document) -> list[int]:
        """The indexes of the sentences worth parsing."""
        with_actor = {m.sentence for m in doc.mentions}
        chosen = []
        for sentence in doc.sentences:
            if self.require_actor and sentence.index not in with_actor:
                continue
            lower = doc.text[sentence.start : sentence.end].lower()
            if any(cue.score for _, _, cue in self.lexicon.cues.find(lower)):
                chosen.append(sentence.index)
        return chosen

    def __call__(self, doc: Document) -> Document:
        indexes = self.candidates(doc)
        texts = [doc.sentence_text(i) for i in indexes]
        offsets = [doc.sentences[i].start for i in indexes]
        for index, tokens in zip(indexes, self.nlp.pipe(texts, offsets, self.batch_size)):
            doc.parses[index] = tokens
        return doc
