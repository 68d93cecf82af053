"""Relations: who cooperates or clashes with whom, on what, how strongly.

Rules, not a statistical model. A sentence is cut into clauses (at "but",
"however", "while", ";" ...). In each clause the cue lexicon (``data/cues.jsonl``)
gives polarity and strength (a signed score on a Goldstein-like -10..+10 scale),
a PLOVER event type for reported events or none for a standing tie, and the
dimensions it speaks of; ``data/world.jsonl`` adds what named conflicts and
projects imply. The clause's actors are paired: a coordinated subject
("the EU and Azerbaijan") with each other, otherwise the clause's subject with
every other actor; a clause with one actor pairs it with the sentence's subject
or the document's topic (an event with the topic only where the sentence names
no subject); a clause with none inherits the pairs before it. With a parse, the
pairs come from roles (``syntax``) and these position rules are the fallback.
Modality comes from ``data/modality.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .actors import data_path, is_subject_position, read_jsonl
from .document import DIMENSIONS, Document, Mention, Relation, Token
from .matching import HYPHENATED_WORD_CHAR, Phrases, expand_alternatives
from .syntax import (coordination, depth, frame_span, in_name, is_placed, is_speaker, is_talk_topic, lemma_in,
                     participation, role_rules, span_head)

RELATIVE = re.compile(r",? (?:which|who) ")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
STATE_HOWS = ("name", "adjective", "capital", "leader", "organisation")


@dataclass(frozen=True, slots=True)
class Cue:
    text: str
    score: float | None = None
    dimension: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class WorldItem:
    id: str
    kind: str  # conflict, dispute, project, programme
    parties: tuple[str, ...]
    dimension: str
    score: float
    start: int | None
    end: int | None


WORLD_SCORES = {"conflict": -7.0, "dispute": -4.0, "project": 4.0, "programme": 4.0}


class Lexicon:
    """The cue words, world knowledge and modality words, compiled for matching.

    Args:
        data_dir (Path): folder holding cues.jsonl, world.jsonl and modality.json.
    """

    def __init__(self, data_dir: Path | None = None):
        data_dir = Path(data_dir) if data_dir else data_path("")
        cues: dict[str, Cue] = {}
        for row in read_jsonl(data_dir / "cues.jsonl"):
            if row.get("dimension") not in (None, *DIMENSIONS):
                raise ValueError(f"cues.jsonl: unknown dimension in {row}")
            cue = Cue(row["cue"], row.get("score"), row.get("dimension"), row.get("type"))
            for phrase in expand_alternatives(row["cue"].lower()):
                if phrase in cues:
                    raise ValueError(f"cues.jsonl: {phrase!r} is in both {cues[phrase].text!r} and {row['cue']!r}")
                cues[phrase] = cue
        self.cues = Phrases(cues.items(), HYPHENATED_WORD_CHAR)
        world = []
        for row in read_jsonl(data_dir / "world.jsonl"):
            sign = -1 if row.get("polarity") == "-" else 1
            item = WorldItem(row["id"], row["kind"], tuple(row["parties"]), row["dimension"],
                             sign * abs(WORLD_SCORES.get(row["kind"], 4.0)), row.get("start"), row.get("end"))
            for name in row["names"]:
                world.append((name, item))
                world.append((name.replace("-", "–"), item))
        self.world = Phrases(world)
        modality = json.loads((data_dir / "modality.json").read_text(encoding="utf-8"))
        self.window = modality["window"]
        self.planned_after = modality["planned_after"]
        self.negators = Phrases((w, True) for w in modality["negators"])
        self.hypothetical = Phrases((w, True) for w in modality["hypothetical"])
        self.planned = Phrases((w, True) for w in modality["planned"])
        self.reported = Phrases((w, True) for w in modality["reported"])
        self.continuers = tuple(modality["continuers"])
        self.intent = frozenset(modality["intent"])
        self.intent_reach = modality["intent_reach"]
        breaks = sorted(modality["clause_breaks"], key=len, reverse=True)
        self.clause_break = re.compile("|".join(re.escape(b) for b in breaks))

    def without_intent(self, lower: str, cues: list) -> list:
        """The cues (start, end, cue) of a lower-cased text, less the intent words an event cue
        follows closely: "prepared to impose sanctions" is a planned sanction (a threat, as
        ``INTENT_TYPES`` codes it), not an agreement; "ready to talk" stays an agreement."""
        events = [s for s, _, c in cues if c.type and c.score]
        return [(s, e, c) for s, e, c in cues
                if lower[s:e] not in self.intent
                or not any(s2 >= e and len(lower[e:s2].split()) <= self.intent_reach for s2 in events)]

    def modality(self, lower: str, cue_start: int, cue_end: int, sentence_lower: str) -> str:
        """The modality of a cue at [cue_start, cue_end) in a lower-cased clause."""
        before = lower[:cue_start]
        window_start = _nth_word_back(before, self.window)
        if any(s >= window_start for s, _, _ in self.negators.find(before)):
            return "negated"
        if self.hypothetical.find(before):
            return "hypothetical"
        # A plan before the cue, or just after it ("a deal to be signed", "trade of $5 billion by
        # 2030"); not one that belongs to a later phrase ("welcomed ... for a settlement to be reached").
        reach = _nth_word_forward(lower, cue_end, self.planned_after)
        if any(s < reach for s, _, _ in self.planned.find(lower)):
            return "planned"
        if self.reported.find(sentence_lower):
            return "reported"
        return "asserted"


def _nth_word_forward(text: str, start: int, n: int) -> int:
    """Where the n-th word after ``start`` ends (the text's end when it has fewer)."""
    words = list(re.finditer(r"\S+", text[start:]))
    return start + words[n - 1].end() if len(words) >= n else len(text)


def _nth_word_back(text: str, n: int) -> int:
    position = len(text)
    for _ in range(n):
        position = text.rfind(" ", 0, max(position - 1, 0))
        if position < 0:
            return 0
    return position


@lru_cache(maxsize=4)
def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """The lexicon built from the package's data (or data_dir), built once per process."""
    return Lexicon(data_dir)


class RelationExtractor:
    """Pipeline stage: adds Relations to the Document from its sentences and mentions."""

    name = "relations"

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon()
        words = "|".join(re.escape(w) for w in role_rules()["attributions"])
        self.attribution = re.compile(r"\b(?:%s)(?: [\w.'’-]+){0,3} $" % words)

    def __call__(self, doc: Document) -> Document:
        topic = document_topic(doc.mentions)
        by_sentence = doc.mentions_by_sentence()
        previous: tuple[list, list] = ([], [])
        for sentence in doc.sentences:
            mentions = by_sentence.get(sentence.index, [])
            relations, previous = self.sentence_relations(doc, sentence, mentions, topic, previous)
            doc.relations.extend(relations)
        return doc

    def sentence_relations(self, doc: Document, sentence, mentions: list[Mention], topic: str | None,
                           previous: tuple[list, list] = ([], [])) -> tuple[list[Relation], tuple[list, list]]:
        """The relations of one sentence, and its pairs and dimensions for the next one.

        previous: the pairs and dimensions of the sentence before, used when this one
        continues it ("Regardless of this, ...") or its cue names no dimension.
        """
        text = doc.text[sentence.start : sentence.end]
        lower = text.lower()
        tokens = doc.parses.get(sentence.index)
        if tokens is not None:
            mentions = [m for m in mentions if not stands_for_a_thing(tokens, m)]
        # "According to Britain, Russia attacked Ukraine": who tells it takes no part in it.
        mentions = [m for m in mentions if not self.attribution.search(lower[:m.start - sentence.start])]
        date = _year_in(text) or doc.date
        head = sentence_subject(text, mentions, sentence.start)
        anchor = head or topic
        found: dict[tuple, Relation] = {}
        previous_pairs, previous_dimensions = previous
        continues = any(lower.startswith(c) for c in self.lexicon.continuers)
        pairs: list[tuple[str, str]] = list(previous_pairs) if continues else []
        last_pairs, last_dimensions = [], []
        for c_start, c_end in self._clauses(text, tokens, sentence.start):
            clause_mentions = [m for m in mentions if c_start <= m.start - sentence.start < c_end]
            if RELATIVE.match(text, c_start):
                # ", which has close ties to X": the relative clause speaks of the actor just before it.
                antecedent = [m for m in mentions if m.end - sentence.start <= c_start
                              and not text[m.end - sentence.start : c_start].strip()]
                if tokens is not None:
                    antecedent = [m for m in antecedent if _relative_antecedent(tokens, m, sentence.start + c_start)]
                clause_mentions = antecedent[-1:] + clause_mentions
            if clause_mentions:
                pairs = self._pairs(text, sentence.start, clause_mentions, anchor, topic)
                if continues:
                    pairs = list(dict.fromkeys(pairs + previous_pairs))
            clause_lower = lower[c_start:c_end]
            world = self.lexicon.world.find(text[c_start:c_end])
            # Words inside a name are not cues ("Security" in "Collective Security Treaty Organization").
            taken = [(ws, we) for ws, we, _ in world] + [(m.start - sentence.start - c_start, m.end - sentence.start - c_start)
                                                         for m in clause_mentions if m.how != "pronoun"]
            cues = [(s + c_start, e + c_start, cue) for s, e, cue in self.lexicon.cues.find(clause_lower)
                    if not any(ts < e and s < te for ts, te in taken)]
            if tokens is not None:
                cues = _topics_of_cues(tokens, sentence.start, cues)
                cues = _senses_of_cues(tokens, sentence.start, cues, clause_mentions)
            # A named project links its parties to the document's topic when it is one of them.
            project_anchor = topic if any(topic in item.parties for _, _, item in world) else anchor
            for relation in self._world_relations(sentence, text, c_start, world, project_anchor, date):
                _keep(found, relation)
            topical = sorted({c.dimension for _, _, c in cues if c.dimension and c.score is None})
            last_dimensions = topical or last_dimensions
            last_pairs = pairs or last_pairs
            polar = [c for c in cues if c[2].score]
            if tokens is not None:
                # Parsed: a cue word inside a proper name is no cue ("the Inter-Parliamentary
                # Alliance on China", "the Senate Foreign Relations Committee").
                polar = [c for c in polar if not in_name(tokens, sentence.start + c[0], sentence.start + c[1])]
            polar = self.lexicon.without_intent(lower, polar)
            if not polar:
                continue
            actors = list(dict.fromkeys(m.actor for m in clause_mentions))
            if not pairs and len(actors) == 1 and any(c.type for _, _, c in polar):
                # One actor and an event: a domestic event ("Serbia lifted the curfew"), kept with
                # the actor on both sides; profiles and pair scores leave such relations out.
                pairs = [(actors[0], actors[0])]
                polar = [c for c in polar if c[2].type]
            directed, apart, decided = [], set(), []
            if tokens is not None and clause_mentions:
                directed = _role_pairs(tokens, text, sentence.start, clause_mentions, polar, anchor, topic, apart,
                                       decided)
            if not directed and decided and all(c in decided for c in polar):
                continue  # the parse names the tie's one side and no partner: the position rules add none
            if not directed:
                # No parse, or one that ties no actor to a cue: the position rules, less the actors
                # the parse shows to be places. An event is named by its governing verb, the first
                # event cue of the clause ("agreed to lift sanctions" is AGREE); a standing tie by
                # the cue nearest the partner.
                if tokens is not None and clause_mentions:
                    heads = [(m, span_head(tokens, m.start, m.end)) for m in clause_mentions]
                    placed = _throughout(heads, lambda m, h: is_placed(tokens, h, m.how == "capital"))
                    # what a talk is about is no party to it ("spoke with X about Chile and Peru")
                    placed |= _throughout([(m, h) for m, h in heads if h is not None],
                                          lambda m, h: is_talk_topic(tokens, h))
                    # Who reports an event that names no actor takes no part in it ("the envoy to the
                    # AU said the attacks continue"; "X said the EU is hostile" is X's own charge).
                    cue_heads = [span_head(tokens, sentence.start + s, sentence.start + e) for s, e, _ in polar]
                    if all(h is not None and all(is_speaker(tokens, h, c) for c in cue_heads) for _, h in heads):
                        placed |= {m.actor for m in clause_mentions}
                    pairs = [(a, b) for a, b in pairs if a not in placed and b not in placed
                             and frozenset((a, b)) not in apart]
                typed = [c for c in polar if c[2].type]
                directed = [(*_directed(text, sentence.start, mentions, subject, other),
                             typed[0] if typed else _nearest_cue(polar, mentions, sentence.start, other))
                            for subject, other in pairs]
            for source, target, (start, end, cue) in directed:
                # The clause's topic words name the dimensions; failing those, the cues of the same sign;
                # failing those, the sentence before.
                same_sign = sorted({c.dimension for _, _, c in polar if c.dimension and (c.score > 0) == (cue.score > 0)})
                if tokens is not None:
                    # Parsed: the topic words of the cue's own phrase ("defense ties", "signed a gas
                    # deal"), then its cues of the same sign ("condemned the strikes"), then the
                    # cue's own dimension ("close ties ... amid military fears").
                    low, high = frame_span(tokens, span_head(tokens, sentence.start + start, sentence.start + end))
                    framed = [c for s, _, c in cues if c.dimension and low <= sentence.start + s < high]
                    own = sorted({c.dimension for c in framed if c.score is None})
                    near = sorted({c.dimension for c in framed if c.score and (c.score > 0) == (cue.score > 0)})
                    dimensions = own or near or ([cue.dimension] if cue.dimension else []) or topical \
                        or same_sign or list(previous_dimensions) or ["diplomacy"]
                else:
                    dimensions = topical or same_sign or list(previous_dimensions) or ["diplomacy"]
                modality = self.lexicon.modality(clause_lower, start - c_start, end - c_start, lower)
                for dimension in dimensions:
                    _keep(found, Relation(sentence.index, source, target, dimension, float(cue.score), cue.type,
                                          modality, date, text, f"cue:{lower[start:end]}",
                                          sentence.start + start, sentence.start + end))
        return list(found.values()), (last_pairs, last_dimensions)

    def _clauses(self, text: str, tokens: list[Token] | None = None, offset: int = 0) -> list[tuple[int, int]]:
        """The clauses of a sentence, cut at the clause breaks; with a parse, not where no verb
        comes before a break since the last one ("Politicians in Britain, however, have ...":
        the words before are the subject of what follows)."""
        bounds = [0]
        for match in self.lexicon.clause_break.finditer(text):
            if tokens is not None and not any(
                    t.pos in ("VERB", "AUX") and bounds[-1] <= t.start - offset < match.start() for t in tokens):
                continue
            bounds.append(match.start())
        bounds.append(len(text))
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]

    def _pairs(self, text: str, offset: int, mentions: list[Mention], anchor: str | None,
               topic: str | None) -> list[tuple[str, str]]:
        """Pair the actors of a clause as (subject, other) (see the module docstring)."""
        actors = list(dict.fromkeys(m.actor for m in mentions))
        if len(actors) == 1:
            partner = anchor if anchor and anchor != actors[0] else topic
            return [(partner, actors[0])] if partner and partner != actors[0] else []
        pairs, paired = [], set()
        for a, b in _between_pairs(text, offset, mentions):
            pairs.append((a, b))
            paired.update((a, b))
        first, second = _first_distinct_two(mentions)
        subjects = [first.actor]
        if second is not None and _coordinated(text, offset, first, second) \
                and is_subject_position(text, first.start - offset):
            subjects.append(second.actor)
        elif not is_subject_position(text, first.start - offset):
            subjects = [anchor or first.actor]
        others = [a for a in actors if a not in subjects and a not in paired]
        if len(subjects) == 2 and not others and not pairs:
            return [(subjects[0], subjects[1])]
        for subject in subjects:
            pairs.extend((subject, other) for other in others if other != subject)
        return pairs

    def _world_relations(self, sentence, text, c_start, world, anchor, date):
        for start, end, item in world:
            if item.kind in ("conflict", "dispute"):
                pairs = [(a, b) for i, a in enumerate(item.parties) for b in item.parties[i + 1:]]
            elif anchor and anchor in item.parties or item.kind == "programme" and anchor:
                pairs = [(anchor, p) for p in item.parties if p != anchor]
            else:
                pairs = []
            for source, target in pairs:
                yield Relation(sentence.index, source, target, item.dimension, item.score, None, "asserted",
                               date, text, f"world:{item.id}", sentence.start + c_start + start,
                               sentence.start + c_start + end)


def _role_pairs(tokens: list[Token], text: str, offset: int, mentions: list[Mention], polar: list,
                anchor: str | None, topic: str | None, apart: set | None = None,
                decided: list | None = None) -> list[tuple[str, str, tuple]]:
    """(source, target, cue) for a parsed clause: each polar cue's participants, read from the
    parse (``syntax.participation``). The agents act on the other participants; coordinated agents
    ("Vietnam and Japan agreed") or participants with no agent ("between A and B") are paired with
    each other; a cue with one participant is paired with the sentence's subject or the document's
    topic (an event with the topic only where the sentence names no subject: "the Kremlin announced
    a ceasefire" in a text about Azerbaijan is not done to Azerbaijan); two participants named by
    one word that modifies something else than the cue own it together and are no pair (added to
    ``apart``); an actor on both sides of an event only has no partner in the clause. Where several
    cues tie the same pair, the highest in the tree names the event (the governing verb: "announced
    the release of prisoners" is the announcement)."""
    heads = [(m, span_head(tokens, m.start, m.end)) for m in mentions]
    clause_actors = {m.actor for m in mentions}
    chosen: dict[tuple, tuple[int, tuple]] = {}
    for start, end, cue in polar:
        cue_head = _act_of_modal(tokens, span_head(tokens, offset + start, offset + end))
        if cue_head is None:
            continue
        roles: dict[str, str] = {}
        for mention, head in heads:
            role = None if head is None else participation(tokens, head, cue_head, mention.how == "capital")
            if role and roles.get(mention.actor) != "agent":
                roles[mention.actor] = role
        agents = [a for a, r in roles.items() if r == "agent"]
        others = [a for a, r in roles.items() if r != "agent"]
        held_there = False
        if not roles and len(clause_actors) == 1 and cue.type:
            roles = {next(iter(clause_actors)): "other"}  # an event where it happens ("a bomb in Kabul")
            # Talks there are only held in the place ("talks in Stockholm broke down"): an event of
            # the place alone, with no partner from elsewhere in the text (roles.json place_events).
            held_there = cue.type not in role_rules()["place_events"] and any(
                h is not None and is_placed(tokens, h, m.how == "capital") for m, h in heads)
        if len(roles) == 1:
            # One side named and no other actor in the clause: the other side is the sentence's
            # subject or the document's topic (an actor the clause names but the parse leaves out is
            # a bystander, not an implicit partner); failing both, an event is domestic, the actor
            # on both sides ("Serbia lifted the curfew"; profiles leave these out).
            actor = next(iter(roles))
            bystanders = clause_actors - set(roles)
            implied = (anchor,) if cue.type else (anchor, topic)  # anchor: the subject, else the topic
            partner = None if bystanders or held_there else next((p for p in implied if p and p != actor), None)
            if partner is None:
                pairs = [(actor, actor)] if cue.type else []
                if bystanders and not agents and decided is not None:
                    # one side, not acting ("a duty on Icelandic exports"), the others bystanders: no tie
                    decided.append((start, end, cue))
            else:
                pairs = [(actor, partner)] if agents else [_directed(text, offset, mentions, partner, actor)]
        else:
            # Agents act on the others. Coordinated others are not each other's partners ("trading
            # partners: Mexico, Canada and China") unless named "between A and B"; with no agent,
            # other uncoordinated participants are; coordinated subjects always are.
            heads_of = {a: [h for m, h in heads if m.actor == a and h is not None] for a in roles}
            pairs = [_directed(text, offset, mentions, a, o) for a in agents for o in others]
            if not agents or not others:
                group = agents or others
                # Agents of a one-way cue act side by side ("Chile, Peru and Brazil offered to help").
                side_by_side = bool(agents) and lemma_in(tokens[cue_head], role_rules()["one_way"])
                for i, a in enumerate(group):
                    for b in group[i + 1:]:
                        linked = "list" if side_by_side else \
                            None if agents else coordination(tokens, heads_of[a], heads_of[b], cue_head)
                        if linked == "list" and not agents and tokens[cue_head].head in heads_of[a] + heads_of[b]:
                            linked = None  # the cue describes the members together ("A and B, old friends")
                        if linked in ("list", "owners") and apart is not None:
                            # no pair, and none for the position rules either ("invasion of A and B")
                            apart.add(frozenset((a, b)))
                        if linked not in ("list", "owners"):
                            pairs.append((a, b))
            else:
                pairs += [(a, b) for i, a in enumerate(others) for b in others[i + 1:]
                          if coordination(tokens, heads_of[a], heads_of[b]) == "between"]
        for pair in pairs:
            # One event per pair, the governing one; every standing tie of its own.
            key = (pair, None) if cue.type else (pair, start)
            rank = depth(tokens, cue_head)
            if key not in chosen or rank < chosen[key][0]:
                chosen[key] = (rank, (start, end, cue))
    # A clause reports one event: the one its governing cue, the highest in the tree, names.
    events = [found for (_, kind), found in chosen.items() if kind is None]
    governing = min(events, key=lambda found: found[0])[1] if events else None
    # An actor on both sides of an event (domestic) is one only where it has no partner in the
    # clause: "Canada demanded that India release the prisoners" is Canada's request of India, not
    # also India's own release, which the governing cue would otherwise rename a request.
    partnered = {a for ((source, target), kind) in chosen if source != target and kind is None
                 for a in (source, target)}
    chosen = {key: found for key, found in chosen.items() if key[0][0] != key[0][1] or key[0][0] not in partnered}
    return [(source, target, governing if kind is None else cue)
            for ((source, target), kind), (_, cue) in chosen.items()]


def _throughout(heads: list[tuple[Mention, int | None]], test) -> set[str]:
    """The actors every one of whose (mention, head word) pairs passes test(mention, head)."""
    return {m.actor for m, h in heads if test(m, h)} - {m.actor for m, h in heads if not test(m, h)}


def _act_of_modal(tokens: list[Token], cue_head: int | None) -> int | None:
    """Where a modal cue acts: a modal that names an act ("must": a demand) stands for the verb
    it modifies ("Libya must hand over the suspects" is a demand, not a handover), and, in a
    reported clause, for the reporting verb ("Spain said Morocco must return the migrants":
    Spain demands it of Morocco, as "Spain demanded that Morocco return them")."""
    if cue_head is None or tokens[cue_head].dep != "aux" or tokens[cue_head].head == cue_head:
        return cue_head
    verb = tokens[cue_head].head
    if tokens[verb].dep == "ccomp" and tokens[tokens[verb].head].pos == "VERB":
        return tokens[verb].head
    return verb


def _relative_antecedent(tokens: list[Token], mention: Mention, clause_start: int) -> bool:
    """Whether the parse hangs the relative clause starting at clause_start on the mention's noun
    phrase ("the backing of India, which has ...") and not on another member of its coordination
    ("the CSTO or the EAEU, which helps it ...": on the CSTO, or on the whole clause)."""
    pronoun = next((i for i, t in enumerate(tokens)
                    if t.start >= clause_start and t.text.lower() in ("which", "who")), None)
    if pronoun is None:
        return True
    verb = tokens[pronoun].head
    if tokens[verb].dep != "relcl":
        return False
    noun, index = tokens[verb].head, span_head(tokens, mention.start, mention.end)
    while index is not None and index != noun:
        if tokens[index].dep == "conj" or tokens[index].head == index:
            return False
        index = tokens[index].head
    return index == noun


def _topics_of_cues(tokens: list[Token], offset: int, cues: list) -> list:
    """The cues with those that only say what another cue is about made topic words, their
    dimension kept and their polarity dropped: the object of a topic preposition (``roles.json``
    topic_preps) on another polar cue ("punishing China over trade", "tensions over energy")."""
    preps = role_rules()["topic_preps"]
    heads = {span_head(tokens, offset + s, offset + e): i for i, (s, e, c) in enumerate(cues) if c.score}
    out = list(cues)
    for index, i in heads.items():
        if index is None:
            continue
        token = tokens[index]
        prep = tokens[token.head]
        # ... or a word that modifies another polar cue as the first part of a compound ("trade war").
        compound = token.dep == "compound" and token.head in heads and token.head != index
        if compound or token.dep == "pobj" and prep.lemma in preps and prep.head in heads and prep.head != index:
            start, end, cue = cues[i]
            out[i] = (start, end, Cue(cue.text, None, cue.dimension, None))
    return out


def _senses_of_cues(tokens: list[Token], offset: int, cues: list, mentions: list[Mention]) -> list:
    """The cues with those used in another sense (``roles.json`` senses) given that sense's score,
    dimension and type: "withdrew their ambassadors", "withdrew from the bloc" and "cut ties" break
    relations; they are no retreat and no tie."""
    senses = role_rules()["senses"]
    kinds = {}
    for m in mentions:
        head = span_head(tokens, m.start, m.end)
        if head is not None:
            kinds[head] = m.how
    out = list(cues)
    for i, (start, end, cue) in enumerate(cues):
        if not cue.score:
            continue
        index = span_head(tokens, offset + start, offset + end)
        if index is None:
            continue
        token = tokens[index]
        # the cue's objects: its direct object, and the object of each preposition on it
        objects = [j for j, t in enumerate(tokens) if t.head == index and j != index and t.dep in ("dobj", "attr")]
        objects += [j for j, t in enumerate(tokens) if t.dep == "pobj" and tokens[t.head].head == index
                    and tokens[t.head].dep == "prep" and t.head != index]
        for sense in senses:
            if not lemma_in(token, frozenset((sense["lemma"],))):
                continue
            wanted = frozenset(sense.get("objects", ()))
            governors = frozenset(sense.get("governors", ()))
            hit = any(lemma_in(tokens[j], wanted) or kinds.get(j) in wanted for j in objects) or (
                bool(governors) and token.dep in ("dobj", "nsubjpass") and token.head != index
                and lemma_in(tokens[token.head], governors))
            if hit:
                new = sense["cue"]
                out[i] = (start, end, Cue(cue.text, new["score"], new.get("dimension"), new.get("type")))
                break
    return out


def stands_for_a_thing(tokens: list[Token], mention: Mention) -> bool:
    """Whether a pronoun resolved to a state is, by its place in the parse, a thing: "it" as the
    object of a verb ("for Russia to accept it", "implementing it fully") is the proposal or the
    deal (``roles.json`` thing_pronouns)."""
    if mention.how != "pronoun":
        return False
    rules = role_rules()
    head = span_head(tokens, mention.start, mention.end)
    return head is not None and tokens[head].text.lower() in rules["thing_pronouns"] \
        and tokens[head].dep in rules["thing_pronoun_deps"]


def _keep(found: dict, relation: Relation) -> None:
    """Keep one relation per pair, dimension and sign in a sentence: the strongest."""
    key = (frozenset((relation.source, relation.target)), relation.dimension, relation.score > 0)
    if key not in found or abs(relation.score) > abs(found[key].score):
        found[key] = relation


def _nearest_cue(polar: list, mentions: list[Mention], offset: int, target: str):
    """The polar cue nearest to the target's mention in the sentence (the stronger on ties)."""
    positions = [m.start - offset for m in mentions if m.actor == target]
    if not positions:
        return max(polar, key=lambda c: abs(c[2].score))
    return min(polar, key=lambda c: (min(abs(c[0] - p) for p in positions), -abs(c[2].score)))


def _between_pairs(text: str, offset: int, mentions: list[Mention]) -> list[tuple[str, str]]:
    """Pairs named as "between A and B"."""
    pairs = []
    for first, second in zip(mentions, mentions[1:]):
        before = text[: first.start - offset].split()[-2:]
        joined = text[first.end - offset : second.start - offset].strip().lower() in ("and", "and the")
        if joined and before and before[-1].lower() in ("between", "the") and "between" in [w.lower() for w in before]:
            if first.actor != second.actor:
                pairs.append((first.actor, second.actor))
    return pairs


def _first_distinct_two(mentions: list[Mention]) -> tuple[Mention, Mention | None]:
    first = mentions[0]
    second = next((m for m in mentions if m.actor != first.actor), None)
    return first, second


def _coordinated(text: str, offset: int, first: Mention, second: Mention) -> bool:
    between = text[first.end - offset : second.start - offset].strip().lower()
    return between in ("and", "&", "and the", ", and")


def _directed(text: str, offset: int, mentions: list[Mention], subject: str, other: str) -> tuple[str, str]:
    """Subject acts on other, unless other is introduced by "from" ("assistance from Turkey")."""
    mention = next((m for m in mentions if m.actor == other), None)
    if mention is not None and text[: mention.start - offset].rstrip().lower().endswith(" from"):
        return other, subject
    return subject, other


def sentence_subject(text: str, mentions: list[Mention], offset: int) -> str | None:
    """The first actor of a sentence that is not after a preposition ("Unlike Armenia, Azerbaijan")."""
    for mention in mentions:
        if is_subject_position(text, mention.start - offset):
            return mention.actor
    return None


def document_topic(mentions: list[Mention]) -> str | None:
    """The actor a document is mainly about: the most mentioned by name (first mentioned on ties)."""
    counts = Counter(m.actor for m in mentions if m.how in STATE_HOWS)
    if not counts:
        return None
    order = {m.actor: i for i, m in reversed(list(enumerate(mentions)))}
    return max(counts, key=lambda a: (counts[a], -order[a]))


def _year_in(text: str) -> str | None:
    match = YEAR.search(text)
    return match.group(1) if match else None


# (modality, quad of the cue's type) -> the PLOVER type of the event, as the CAMEO-to-PLOVER table
# codes intentions: "will support", "ready to send" express intent to cooperate (AGREE); "will
# impose", "may halt" threaten (THREATEN); "would not release" declines (REJECT); a negated
# conflict ("did not attack") is no event (None).
INTENT_TYPES = {
    ("planned", 1): "AGREE", ("planned", 2): "AGREE", ("hypothetical", 1): "AGREE", ("hypothetical", 2): "AGREE",
    ("planned", 4): "THREATEN", ("hypothetical", 4): "THREATEN",
    ("negated", 1): "REJECT", ("negated", 2): "REJECT", ("negated", 3): None, ("negated", 4): None,
}


@lru_cache(maxsize=1)
def plover_quads() -> dict[str, int]:
    """PLOVER event type -> quad class (1 verbal cooperation ... 4 material conflict)."""
    return json.loads(data_path("plover.json").read_text(encoding="utf-8"))["quads"]


def sentence_events(doc: Document, sentence: int) -> list[dict]:
    """The events of one sentence, in the sentence-gold shape: one per PLOVER type, with the
    sets of sources and targets of its relations, in text order. Modality changes the type as
    the PLOVER manual codes intentions (``INTENT_TYPES``)."""
    quads = plover_quads()
    by_type: dict[str, dict] = {}
    for r in doc.relations:
        if r.sentence != sentence or r.type is None:
            continue
        kind = INTENT_TYPES.get((r.modality, quads[r.type]), r.type)
        if kind is None:
            continue
        event = by_type.setdefault(kind, {"source": set(), "target": set(), "type": kind,
                                          "quad": quads[kind], "score": r.score if kind == r.type else -4.0,
                                          "at": r.start})
        event["source"].add(r.source)
        event["target"].add(r.target)
        if kind == r.type and abs(r.score) > abs(event["score"]):
            event["score"] = r.score
    events = sorted(by_type.values(), key=lambda e: e["at"])
    return [{"source": sorted(e["source"]), "target": sorted(e["target"] - e["source"]) or sorted(e["target"]),
             "type": e["type"], "quad": e["quad"], "score": e["score"]} for e in events]


def actorless_events(doc: Document, sentence: int, lexicon: Lexicon | None = None) -> list[dict]:
    """Events a sentence reports without known actors ("a car bomb killed two"): its first
    event cue, typed by modality as in ``sentence_events``, with empty source and target."""
    lexicon = lexicon or load_lexicon()
    text = doc.sentence_text(sentence).lower()
    quads = plover_quads()
    for start, end, cue in lexicon.without_intent(text, lexicon.cues.find(text)):
        if cue.type and cue.score:
            modality = lexicon.modality(text, start, end, text)
            kind = INTENT_TYPES.get((modality, quads[cue.type]), cue.type)
            if kind is None:
                return []
            return [{"source": [], "target": [], "type": kind, "quad": quads[kind], "score": float(cue.score)}]
    return []

