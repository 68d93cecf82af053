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

    def __init__(self, lexicon=None, require_actor: bool = True, batch_size: int = 256):
        from .relations import load_lexicon  # relations reads roles from this module

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


@lru_cache(maxsize=1)
def role_rules() -> dict:
    rules = json.loads(data_path("roles.json").read_text(encoding="utf-8"))
    return {key: frozenset(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
            for key, value in rules.items()}


def lemma_in(token: Token, words: frozenset) -> bool:
    """Whether a word's lemma is one of words, or the word itself is: the lemmatizer cuts a final
    "s" off some verbs ending in "ss" ("discuss" -> "discus", "address" -> "addres")."""
    return token.lemma in words or token.text.lower() in words


def span_head(tokens: list[Token], start: int, end: int) -> int | None:
    """The index of the word that heads the characters [start, end): the one whose head lies
    outside them (the first word where the parse says none does)."""
    inside = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
    for i in inside:
        if tokens[i].head not in inside or tokens[i].head == i:
            return i
    return inside[0] if inside else None


def _ancestors(tokens: list[Token], index: int) -> list[int]:
    """index and the words above it, up to the root."""
    chain = [index]
    while tokens[chain[-1]].head != chain[-1] and len(chain) <= len(tokens):
        chain.append(tokens[chain[-1]].head)
    return chain


def depth(tokens: list[Token], index: int) -> int:
    """How many words lie above the word at index (0 for the root)."""
    return len(_ancestors(tokens, index)) - 1


def participation(tokens: list[Token], mention: int, cue: int, place_name: bool = False) -> str | None:
    """The role the word at ``mention`` plays in the event of the cue at ``cue``: "agent" (the
    subject or the "by" phrase of a passive), "other" (object, object of a preposition,
    addressee, possessor of either), or None when it takes no part (too far in the tree, across
    a clause boundary, a locative "in X" or "X-based" that the cue does not govern; a
    ``place_name``, a capital, is a locative after "in" even where the cue governs it)."""
    rules = role_rules()
    if mention == cue:
        return "other"  # an actor named by the cue word itself ("U.S.-proposed")
    up, down = _ancestors(tokens, mention), _ancestors(tokens, cue)
    common = next((i for i in up if i in set(down)), None)
    if common is None:
        return None
    up_path, down_path = up[: up.index(common)], down[: down.index(common)]
    if common == mention and tokens[down_path[-1]].dep == "conj":
        return None  # the cue is coordinated with the actor ("ties with Russia and its negotiations with X")
    # Coordination and names inside names add no distance ("ministers from A, B and C").
    if sum(tokens[i].dep not in rules["free_links"] for i in up_path + down_path) > rules["max_path"]:
        return None
    for i in down_path:
        # The cue reaches the predicate whose arguments it shares only as an argument itself ("signed
        # a deal", "is a partner", "agreed to cooperate"); as a subject or a noun's modifier ("along
        # with tensions with X") its own dependents are its participants.
        token = tokens[i]
        if token.dep not in rules["cue_climb"] or token.dep == "prep" and tokens[token.head].pos not in rules["predicates"]:
            return None
    if any(_own_clause(tokens, i) for i in up_path + down_path):
        return None  # a coordinated clause with a subject of its own ("..., and the focus is on X")
    if any(tokens[i].dep in rules["clause_boundaries"] for i in up_path):
        author = _author(tokens, mention, rules)
        if author is not None and author != cue:
            # "A report released by X accused Y": the author of what acts stands for it.
            return participation(tokens, author, cue)
        return None  # the actor sits in a clause of its own (the cue may climb out of a relative one)
    if lemma_in(tokens[cue], rules["meeting_nouns"]) and is_talk_topic(tokens, mention):
        return None  # "spoke with X about Taiwan": what the talk is about, not a party to it
    if _is_based(tokens, mention, rules) or in_range(tokens, mention):
        return None  # "X-based"; "conflicts from Libya to Syria to Iraq": places
    if lemma_in(tokens[common], rules["topic_verbs"]) and any(
            tokens[i].head == common and tokens[i].dep in rules["topic_deps"] for i in up_path):
        # "discussed China's role": what is discussed is a topic, not a partner ("with X" is one),
        # also of a cue it governs ("discussed imposing costs on X, caps on Y and support for Z").
        return None
    if common != cue and lemma_in(tokens[common], rules["topic_verbs"]) and down_path \
            and tokens[down_path[-1]].dep in rules["topic_deps"]:
        return None  # "Japan discussed China's trade": who discusses a cue takes no part in it
    embedding = next((i for i in up_path if tokens[i].dep in ("ccomp", "xcomp")), None)
    role = "other"
    for i in up_path:
        token = tokens[i]
        if embedding is not None and token.dep not in rules["nominal"] and \
                not (token.head == embedding and token.dep in ("nsubj", "nsubjpass")):
            # Inside a clause embedded under the cue, only that clause's subject takes part in the
            # cue's event ("warned that Russia would ..."); its objects belong to its own verb
            # ("urged Russia to accept a U.S. proposal": the U.S. takes no part in the urging).
            return None
        head = tokens[token.head]
        if token.dep == "pobj" and head.lemma in rules["contrast_preps"]:
            return None  # "unlike most U.N. members, China ...": a contrast, not a party
        if token.dep == "pobj" and head.lemma in rules["meeting_topic_preps"] \
                and lemma_in(tokens[head.head], rules["meeting_nouns"]):
            return None  # "a Security Council meeting on Syria": what the meeting is about, not a party
        governed = head.head == cue and tokens[cue].lemma in rules["locative_verbs"]
        if token.dep == "pobj" and head.lemma in rules["locative_preps"] and (place_name or not governed):
            holder = head.head
            if _unaffiliated_subject(tokens, holder) and holder != cue:
                # "Politicians in Britain have expressed concerns": people placed in a country, with
                # no other affiliation named, stand for it.
                return participation(tokens, holder, cue)
            return None  # "a court in X", "talks in Beirut": a place, not a party ("invest in X" is one)
        if token.dep in rules["nominal"]:
            continue
        if i == mention and embedding is not None and token.head == embedding:
            # The subject of a clause embedded under the cue is whom the cue is about, not its
            # agent ("Canada demanded that India release ...", "alleged that Egypt had ...").
            role = "other"
        elif token.dep in rules["agent_deps"]:
            role = "agent"
        elif token.dep == "pobj" and head.dep in rules["passive_agent_preps"]:
            role = "agent"
        argument_of = token.head if token.dep != "pobj" else head.head
        if argument_of == common:
            return _embedded_role(tokens, common, down_path, role)
        break
    return role


def in_range(tokens: list[Token], index: int) -> bool:
    """Whether the word at index is in a range that enumerates places: "from X to Y to Z", "from X
    to Y, Z and W" (a second "to", or three or more words after it). A plain "from X to Y" (or "to
    Y and Z") may be a flow between parties ("exports from China to the EU") and is no range here."""
    start = next((j for j in range(index, -1, -1) if tokens[j].lemma == "from" and tokens[j].dep == "prep"), None)
    if start is None or any(tokens[j].pos in ("VERB", "AUX") for j in range(start, index)):
        return False
    stop = next((j for j in range(index + 1, len(tokens)) if tokens[j].pos in ("VERB", "AUX")
                 or tokens[j].text in (".", ";", ":")), len(tokens))
    tos = [j for j in range(start + 1, stop) if tokens[j].lemma == "to" and tokens[j].pos == "ADP"]
    if not tos:
        return False
    ends = [u for j in tos for u in range(j + 1, stop) if tokens[u].dep == "pobj" and tokens[u].head == j]
    members = len(ends) + sum(1 for u in range(tos[0], stop) if tokens[u].dep in ("conj", "appos")
                              and tokens[u].pos == "PROPN")
    return index > start and (len(tos) > 1 or members > 2)


def _own_clause(tokens: list[Token], index: int) -> bool:
    """Whether the word at index heads a clause coordinated with another that has a subject of its
    own ("Joly said ..., and the focus is on Russia"), not a shared one ("signed and ratified")."""
    token = tokens[index]
    return token.dep == "conj" and token.pos in ("VERB", "AUX") and any(
        t.head == index and t.dep in ("nsubj", "nsubjpass", "expl") for t in tokens)


def _author(tokens: list[Token], index: int, rules: dict) -> int | None:
    """The noun whose author the word at index names as the "by" phrase of a participle that
    describes it ("a report released by X", "a statement issued by X"), else None."""
    token = tokens[index]
    while token.dep in rules["nominal"] and token.head != index:
        index, token = token.head, tokens[token.head]
    by = tokens[token.head]
    if token.dep != "pobj" or by.dep not in rules["passive_agent_preps"]:
        return None
    verb = tokens[by.head]
    if verb.dep != "acl" or verb.tag != "VBN" or tokens[verb.head].pos not in ("NOUN", "PROPN"):
        return None
    return verb.head


def _unaffiliated_subject(tokens: list[Token], index: int) -> bool:
    """Whether the word at index is a noun that is its clause's subject and has no capitalised
    modifier ("politicians", not "U.S. politicians" or "Syrian troops")."""
    token = tokens[index]
    if token.pos != "NOUN" or token.dep not in ("nsubj", "nsubjpass"):
        return False
    return not any(t.head == index and t.dep in ("compound", "amod", "poss", "nmod") and t.text[:1].isupper()
                   for t in tokens)


def _embedded_role(tokens: list[Token], predicate: int, cue_path: list[int], role: str) -> str | None:
    """The role of an argument of ``predicate`` in a cue embedded under it. In a reported clause
    with its own subject ("X said Y attacked Z") the speaker takes no part; in an infinitive
    ("X called on Y to stop Z", "X urged Y to") the object of the governing verb is the agent and
    its subject takes no part; with no such object ("X agreed to lift ...") its subject is the agent."""
    embedding = next((tokens[i] for i in reversed(cue_path) if tokens[i].dep in ("ccomp", "xcomp")), None)
    if embedding is None:
        return role
    clause = cue_path[[tokens[i] for i in cue_path].index(embedding)]
    if embedding.dep == "ccomp":
        # A subject of its own in any clause between the speaker and the cue ("Kallas said what
        # we need is that Russia has invested ...": "need" is a clausal subject) makes it reported.
        subjects = ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass")
        own_subject = any(t.head in cue_path and t.dep in subjects for t in tokens)
        return None if own_subject and role == "agent" else role
    preps = role_rules()["controller_preps"]
    objects = {j for j, t in enumerate(tokens) if t.head == predicate and j != predicate
               and (t.dep in ("dobj", "dative") or t.dep == "prep" and t.lemma in preps)}
    controller = any(tokens[j].dep != "prep" or any(u.head == j and u.dep == "pobj" for u in tokens)
                     for j in objects)
    if not controller:
        return role
    return None if role == "agent" else "agent"


def is_placed(tokens: list[Token], index: int, place_name: bool = False) -> bool:
    """Whether the actor at ``index`` only says where something is: the object of a locative
    preposition that hangs on no verb that takes it as a party (``locative_verbs``: "invest in X")
    ("a court in X", "talks in Beirut", "playing a role in X"; a capital after "in" always), or
    "X-based"."""
    rules = role_rules()
    token = tokens[index]
    while token.dep in rules["nominal"] and token.head != index:
        index, token = token.head, tokens[token.head]
    if _is_based(tokens, index, rules) or in_range(tokens, index):
        return True
    if token.dep != "pobj":
        return False
    prep = tokens[token.head]
    verb = tokens[prep.head]
    return prep.lemma in rules["locative_preps"] and (
        place_name or verb.pos != "VERB" or verb.lemma not in rules["locative_verbs"])


def _is_based(tokens: list[Token], index: int, rules: dict) -> bool:
    """"X-based", "X-born": the actor names where something is, not who acts."""
    following = tokens[index + 1 : index + 3]
    return len(following) == 2 and following[0].text in "-–" and following[1].text.lower() in rules["based_words"]


def frame_span(tokens: list[Token], index: int | None) -> tuple[int, int]:
    """The characters of a cue's phrase: the words under the highest word it reaches as an
    argument (``cue_climb``), as ``participation`` climbs."""
    if index is None:
        return (0, 0)
    rules = role_rules()
    top = index
    while tokens[top].head != top and tokens[top].dep in rules["cue_climb"] \
            and not (tokens[top].dep == "prep" and tokens[tokens[top].head].pos not in rules["predicates"]):
        top = tokens[top].head
    under = [i for i in range(len(tokens)) if top in _ancestors(tokens, i)]
    return tokens[min(under)].start, tokens[max(under)].end


def coordination(tokens: list[Token], first: list[int], second: list[int], cue: int | None = None) -> str | None:
    """How two actors' words are coordinated: "list" for members of one coordination ("A, B and
    C"), "between" where it names a relation's two sides ("between A and B", "among A and B"),
    None where they are not. One word naming both names the two sides of the cue it is or modifies
    ("the Russia-Ukraine war", None), but "owners" of anything else ("threaten a joint U.S.-U.K.
    base")."""
    def conjunction_root(i: int) -> tuple[int, bool]:
        # Up the coordination, through the modifiers that name a member's owner ("meeting Chile's
        # president and the Peruvian president": the two presidents are the members).
        linked = False
        while tokens[i].dep in ("conj", "appos", "poss", "amod", "compound") and tokens[i].head != i:
            linked = linked or tokens[i].dep == "conj"
            i = tokens[i].head
        return i, linked

    for a in first:
        for b in second:
            if a == b or abs(a - b) == 2 and tokens[min(a, b) + 1].text in ("-", "–"):
                word = {a, b}
                modified = next((tokens[i].head for i in word if tokens[i].head not in word), a)
                owners = cue is not None and cue not in word and modified not in (cue, tokens[cue].head) \
                    and tokens[a].pos == "PROPN"
                if a == b or owners:
                    return "owners" if owners else None
            (root, linked), (other_root, other_linked) = conjunction_root(a), conjunction_root(b)
            if root == other_root and (linked or other_linked):
                return "between" if tokens[tokens[root].head].lemma in ("between", "among") else "list"
    return None


def in_name(tokens: list[Token], start: int, end: int) -> bool:
    """Whether the words at [start, end) are part of a proper name (tagged NNP/NNPS, and not the
    sentence's first word, which is capitalised whatever it is)."""
    index = span_head(tokens, start, end)
    return index is not None and index > 0 and tokens[index].tag in ("NNP", "NNPS")


def is_talk_topic(tokens: list[Token], index: int) -> bool:
    """Whether the actor at ``index`` is only what a meeting or a talk is about: under a topic
    preposition (``meeting_topic_preps``) that hangs on a meeting word or on the partner of one
    ("spoke with the envoy about his trip to Chile": Chile is what they spoke about)."""
    rules = role_rules()
    preps, talks = rules["meeting_topic_preps"], rules["meeting_nouns"]
    for i in _ancestors(tokens, index)[1:]:
        token = tokens[i]
        if token.pos in ("VERB", "AUX") and not lemma_in(token, talks):
            return False  # a clause of its own ("about how Chile attacked Peru" is Chile's act)
        if token.dep == "prep" and token.lemma in preps:
            holder = tokens[token.head]
            partner_of = tokens[tokens[holder.head].head] if holder.dep == "pobj" else None
            return lemma_in(holder, talks) or partner_of is not None and lemma_in(partner_of, talks)
    return False


def is_speaker(tokens: list[Token], index: int, cue: int | None) -> bool:
    """Whether the actor at ``index`` is in the subject of a verb of saying (``reporting_verbs``)
    whose reported clause holds the cue ("the Kenyan envoy to the AU said the attacks continue"):
    the speaker, who tells of the event and takes no part in it."""
    if cue is None:
        return False
    rules = role_rules()
    words = rules["reporting_verbs"]
    up = _ancestors(tokens, index)
    for below, verb in zip(up, up[1:]):
        if tokens[below].dep in ("nsubj", "nsubjpass") and tokens[verb].pos == "VERB" and lemma_in(tokens[verb], words):
            down = _ancestors(tokens, cue)
            return verb in down and down.index(verb) > 0 and tokens[down[down.index(verb) - 1]].dep == "ccomp"
        if tokens[below].dep not in rules["nominal"] and tokens[below].dep not in ("pobj", "prep"):
            return False
    return False
