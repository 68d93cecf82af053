"""Learned event coding: the lexicon proposes, the model vetoes, gives the quad, and types what the lexicon cannot.

The cue lexicon (``data/cues.jsonl``) and the modality rules propose a sentence's events and
their actors (``relations.sentence_events`` / ``relations.actorless_events``). A linear model,
trained with scikit-learn on sentence gold, reads the sentence and its governing clause and
says what happens there:

- a quad model: no event (0) or quad class 1-4, trained on every training sentence
  (ConfliBERT quad sentences and PLOVER GSR sentences, whose type gives the quad);
- a type model: the PLOVER type, trained on the sentences that name a type (and, as silver, on
  quad sentences where the rules' type has the gold quad).

The quad model's most probable class decides: 0 vetoes the rules' events; otherwise it is the
sentence's quad. The type is the rules' where they propose one (the cue lexicon is finer than a
type model trained on a few sentences of each type), else the type model's most probable type of
that quad. Where the sentence has no event cue at all, the model proposes an event when P(no
event) is below ``PROPOSE``, with the sentence's actors where it has any; where the rules read a
cue and declined it (a negated conflict), it proposes none.

Features (``sentence_features``) are general, not phrase lists: words and word pairs (actor
names replaced by a placeholder), lemmas, the governing verb (the root of the parse and the
head word of the governing cue) with its dependents, modal verbs and negation from the parse,
the cues that fired with their PLOVER type and quad, the modality of the governing cue and
the type the rules give it (``relations.INTENT_TYPES``), and how many actors the sentence names.

The trained model is a small JSON file (``data/event-model.json``): the vocabulary with one
rounded weight per class, and the intercepts. Inference is a sparse dot product in plain
Python; scikit-learn is needed only to train (``equipoise train``), and training is
deterministic, so the file is rebuilt bit for bit.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .actors import data_path
from .document import Document, Token
from .syntax import depth, span_head

MODEL_FILE = "event-model.json"
FORMAT = "equipoise-event-model/1"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
QUADS = (0, 1, 2, 3, 4)
# Where the rules propose no event, the model proposes one only when P(no event) is below this.
PROPOSE = 0.1
DIGITS = 3  # weights are rounded to this many decimals, so the file is the same on every rebuild
WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*|\d+")
ACTOR = "<actor>"


# --------------------------------------------------------------------------- features


def _words(doc: Document, index: int) -> list[str]:
    """The sentence's lower-cased words, each actor mention one placeholder word."""
    sentence = doc.sentences[index]
    text = doc.text[sentence.start : sentence.end]
    spans = sorted((m.start - sentence.start, m.end - sentence.start) for m in doc.mentions
                   if m.sentence == index and m.how != "pronoun")
    pieces, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        pieces.append(text[position:start])
        pieces.append(" zzactorzz ")
        position = end
    pieces.append(text[position:])
    return [ACTOR if w == "zzactorzz" else w for w in WORD.findall("".join(pieces).lower())]


def _governing_cue(doc: Document, index: int, lexicon) -> tuple[int, int, object] | None:
    """The cue that names the sentence's event, as the rules choose it: the cue of its first typed
    relation (the governing one, ``relations``), else its first polar event cue."""
    sentence = doc.sentences[index]
    typed = [r for r in doc.relations if r.sentence == index and r.type]
    lower = doc.text[sentence.start : sentence.end].lower()
    found = [(s, e, c) for s, e, c in lexicon.cues.find(lower) if c.type and c.score]
    if typed:
        first = min(typed, key=lambda r: r.start)
        for s, e, c in found:
            if sentence.start + s == first.start:
                return s, e, c
    return found[0] if found else None


def sentence_features(doc: Document, index: int, lexicon=None) -> dict[str, float]:
    """The features of one sentence of a processed Document (see the module docstring)."""
    from .relations import load_lexicon, plover_quads

    lexicon = lexicon or load_lexicon()
    quads = plover_quads()
    features: dict[str, float] = {"bias": 1.0}
    words = _words(doc, index)
    for i, word in enumerate(words):
        features[f"w={word}"] = 1.0
        if i + 1 < len(words):
            features[f"ww={word}_{words[i + 1]}"] = 1.0
    sentence = doc.sentences[index]
    lower = doc.text[sentence.start : sentence.end].lower()
    cues = [(s, e, c) for s, e, c in lexicon.cues.find(lower) if c.score]
    for _, _, cue in cues:
        if cue.type:
            features[f"cue_type={cue.type}"] = 1.0
            features[f"cue_quad={quads[cue.type]}"] = 1.0
        else:
            features[f"tie_sign={'+' if cue.score > 0 else '-'}"] = 1.0
    if not any(c.type for _, _, c in cues):
        features["no_event_cue"] = 1.0
    actors = {m.actor for m in doc.mentions if m.sentence == index}
    features[f"actors={min(len(actors), 2)}"] = 1.0
    tokens = doc.parses.get(index)
    governing = _governing_cue(doc, index, lexicon)
    if governing is not None:
        start, end, cue = governing
        features[f"gov_cue={lower[start:end]}"] = 1.0
        _cue_features(features, "gov_", cue, lexicon.modality(lower, start, end, lower))
    if tokens:
        for token in tokens:
            if token.pos in ("VERB", "NOUN", "AUX", "ADJ"):
                features[f"lemma={token.lemma}"] = 1.0
            if token.dep == "neg":
                features["negation"] = 1.0
                features[f"neg_head={tokens[token.head].lemma}"] = 1.0
            if token.tag == "MD":
                features[f"modal={token.lemma}"] = 1.0
        root = next((i for i, t in enumerate(tokens) if t.head == i), 0)
        # Where each event cue sits in the tree: the highest one names the clause's event.
        placed = []
        for start, end, cue in cues:
            head = span_head(tokens, sentence.start + start, sentence.start + start + 1)
            if cue.type and head is not None:
                d = depth(tokens, head)
                placed.append((d, start, end, cue))
                features[f"cue_depth{min(d, 3)}={cue.type}"] = 1.0
                features[f"cue_dep_{tokens[head].dep}={cue.type}"] = 1.0
        if placed:
            d, start, end, cue = min(placed, key=lambda p: (p[0], p[1]))
            _cue_features(features, "top_", cue, lexicon.modality(lower, start, end, lower))
        _verb_features(features, "root", tokens, root)
        if governing is not None:
            head = span_head(tokens, sentence.start + governing[0], sentence.start + governing[0] + 1)
            if head is not None:
                _verb_features(features, "gov", tokens, head)
                up = tokens[head].head
                if up != head:
                    features[f"gov_up={tokens[up].lemma}"] = 1.0
                    features[f"gov_dep={tokens[head].dep}"] = 1.0
    return features


def _cue_features(features: dict, prefix: str, cue, modality: str) -> None:
    """An event cue's type and quad, its modality, and the type the rules make of the two."""
    from .relations import INTENT_TYPES, plover_quads

    quads = plover_quads()
    rule = INTENT_TYPES.get((modality, quads[cue.type]), cue.type)
    features[f"{prefix}type={cue.type}"] = 1.0
    features[f"{prefix}quad={quads[cue.type]}"] = 1.0
    features[f"{prefix}modality={modality}"] = 1.0
    features[f"{prefix}type_modality={cue.type}_{modality}"] = 1.0
    features[f"{prefix}rule_type={rule or 'none'}"] = 1.0
    features[f"{prefix}rule_quad={quads[rule] if rule else 0}"] = 1.0


def _verb_features(features: dict, name: str, tokens: Sequence[Token], index: int) -> None:
    """A verb's lemma and its dependents: dependency label with the dependent's lemma."""
    features[f"{name}={tokens[index].lemma}"] = 1.0
    for i, token in enumerate(tokens):
        if token.head == index and i != index and token.pos not in ("PUNCT", "DET"):
            features[f"{name}_{token.dep}={token.lemma if token.pos != 'PROPN' else 'PROPN'}"] = 1.0
            if token.dep in ("xcomp", "ccomp", "dobj"):
                features[f"{name}+{token.dep}={tokens[index].lemma}_{token.lemma}"] = 1.0


# --------------------------------------------------------------------------- processing


def parse_all(doc: Document) -> Document:
    """Parse the sentences the syntax stage left unparsed (the model reads every sentence's parse)."""
    from .syntax import load_parser

    missing = [s.index for s in doc.sentences if s.index not in doc.parses]
    if missing:
        texts = [doc.sentence_text(i) for i in missing]
        offsets = [doc.sentences[i].start for i in missing]
        for index, tokens in zip(missing, load_parser().pipe(texts, offsets)):
            doc.parses[index] = tokens
    return doc


def process_rows(rows: Iterable[dict], fast: bool = False) -> Iterator[tuple[dict, Document]]:
    """Each row (``id``, ``text``) as a processed Document, every sentence parsed, since the event
    model reads each sentence's parse (``fast``: the rules-only pipeline, none parsed)."""
    from .pipeline import load

    nlp = load(fast)
    for row in rows:
        doc = nlp(Document(str(row.get("text") or ""), source=str(row.get("id"))))
        if not fast:
            parse_all(doc)
        yield row, doc


def row_features(doc: Document, lexicon=None) -> dict[str, float]:
    """The features of a whole row (all its sentences together), as training reads it."""
    features: dict[str, float] = {}
    for sentence in doc.sentences:
        features.update(sentence_features(doc, sentence.index, lexicon))
    return features or {"bias": 1.0}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Prediction:
    type: str | None  # PLOVER type, None for no event
    quad: int  # 0 no event, 1-4
    score: float  # the probability of the prediction (of no event, when type is None)
    p_event: float  # the probability that the sentence reports an event


class LinearModel:
    """A multinomial logistic model over named sparse features."""

    def __init__(self, classes: Sequence, intercept: Sequence[float], weights: dict[str, Sequence[float]]):
        self.classes = list(classes)
        self.intercept = list(intercept)
        self.weights = weights

    def probabilities(self, features: dict[str, float]) -> dict:
        scores = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, w in enumerate(row):
                    scores[k] += w * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def to_json(self) -> dict:
        return {"classes": self.classes, "intercept": self.intercept, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        return cls(data["classes"], data["intercept"], data["weights"])


class EventModel:
    """The event typer: a quad model (0-4) and a type model (PLOVER type given its quad)."""

    def __init__(self, quad: LinearModel, type: LinearModel, meta: dict | None = None):
        self.quad_model = quad
        self.type_model = type
        self.meta = meta or {}

    def predict(self, features: dict[str, float], proposed: str | None = None) -> Prediction:
        """The sentence's event: its type (None: no event), quad and probability.

        The quad model's most probable class decides whether an event happens (0: none) and its
        quad. The type is ``proposed``, the one the rules give the sentence, where there is one:
        the cue lexicon is finer than a type model trained on a few sentences of each type; else
        the type model's most probable type of that quad. The quad is the quad model's even where
        the PLOVER table puts the type in another ("conceded" is material cooperation in quad-coded
        news, as in CAMEO; PLOVER's table makes CONCEDE verbal): type and quad are two readings of
        the sentence, each learned from the data that codes it."""
        from .relations import plover_quads

        quads = plover_quads()
        p_quad = {int(k): v for k, v in self.quad_model.probabilities(features).items()}
        quad = max(sorted(p_quad), key=lambda q: p_quad[q])
        if quad == 0:
            return Prediction(None, 0, round(p_quad[0], 4), round(1 - p_quad[0], 4))
        if proposed is not None:
            kind = proposed
        else:
            p_type = self.type_model.probabilities(features)
            kind = max(sorted(k for k in p_type if quads[k] == quad), key=lambda k: p_type[k])
        return Prediction(kind, quad, round(p_quad[quad], 4), round(1 - p_quad[0], 4))

    def to_json(self) -> dict:
        return {"format": FORMAT, **self.meta, "quad": self.quad_model.to_json(), "type": self.type_model.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "EventModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"not an event model ({FORMAT}): format {data.get('format')!r}")
        meta = {k: v for k, v in data.items() if k not in ("format", "quad", "type")}
        return cls(LinearModel.from_json(data["quad"]), LinearModel.from_json(data["type"]), meta)

    def dumps(self) -> str:
        """The model as its JSON file's text: keys sorted, one vocabulary entry a line."""
        data = self.to_json()
        head = {k: v for k, v in data.items() if k not in ("quad", "type")}
        lines = ["{"]
        for key in sorted(head):
            lines.append(f"{json.dumps(key)}: {json.dumps(head[key], sort_keys=True, ensure_ascii=False)},")
        for part in ("quad", "type"):
            model = data[part]
            lines.append(f"{json.dumps(part)}: {{")
            lines.append(f"{json.dumps('classes')}: {json.dumps(model['classes'])},")
            lines.append(f"{json.dumps('intercept')}: {json.dumps(model['intercept'])},")
            lines.append(f"{json.dumps('weights')}: {{")
            entries = [f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(row)}"
                       for name, row in sorted(model["weights"].items())]
            lines.append(",\n".join(entries))
            lines.append("}}" + ("," if part == "quad" else ""))
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dumps(), encoding="utf-8")
        return path


def load_model(path: str | Path) -> EventModel:
    return EventModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model shipped in the package (``data/event-model.json``), or None when there is none."""
    path = data_path(MODEL_FILE)
    return load_model(path) if path.is_file() else None


# --------------------------------------------------------------------------- training


@dataclass(slots=True)
class Example:
    id: str
    features: dict[str, float]
    quad: int  # 0-4
    type: str | None  # PLOVER type where the gold names one


def gold_labels(row: dict) -> tuple[int, str | None]:
    """A gold row's sentence quad (0: no event) and PLOVER type (its first typed event's)."""
    from .relations import plover_quads

    events = row.get("events") or []
    kind = next((e["type"] for e in events if e.get("type")), None)
    if row.get("quad") is not None:
        quad = int(row["quad"])
    elif kind:
        quad = plover_quads()[kind]
    else:
        quad = next((int(e["quad"]) for e in events if e.get("quad") is not None), 0)
    return quad, kind


def examples(rows: Iterable[dict]) -> Iterator[tuple[Document, Example]]:
    """Each gold row processed, with its training example: the row's features and gold labels."""
    from .relations import load_lexicon

    lexicon = load_lexicon()
    for row, doc in process_rows(rows):
        yield doc, Example(str(row.get("id")), row_features(doc, lexicon), *gold_labels(row))


def _fit(items: list[tuple[dict, object]], classes: list, c: float, min_count: int,
         weights: list[float] | None = None) -> LinearModel:
    """A multinomial logistic regression (L2, lbfgs) over the features seen at least min_count
    times, its weights rounded; deterministic for the same examples."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    counts = Counter(name for features, _ in items for name in features)
    vocabulary = sorted(name for name, n in counts.items() if n >= min_count)
    column = {name: j for j, name in enumerate(vocabulary)}
    data, indices, pointers = [], [], [0]
    for features, _ in items:
        for name in sorted(features):
            if name in column:
                indices.append(column[name])
                data.append(features[name])
        pointers.append(len(indices))
    x = csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(pointers)),
                   shape=(len(items), len(vocabulary)))
    index = {label: k for k, label in enumerate(classes)}
    y = np.array([index[label] for _, label in items])
    present = sorted(set(y.tolist()))
    with threadpool_limits(1):
        fitted = LogisticRegression(C=c, max_iter=5000, tol=1e-8, random_state=0).fit(
            x, y, sample_weight=None if weights is None else np.array(weights, dtype=np.float64))
    # Classes the examples lack get no weights and a very low intercept.
    coef = np.zeros((len(classes), len(vocabulary)))
    intercept = np.full(len(classes), -20.0)
    if len(present) == 1:
        intercept[present[0]] = 0.0
    else:
        rows = fitted.coef_ if len(present) > 2 else np.vstack([-fitted.coef_[0] / 2, fitted.coef_[0] / 2])
        bias = fitted.intercept_ if len(present) > 2 else np.array([-fitted.intercept_[0] / 2,
                                                                   fitted.intercept_[0] / 2])
        for k, label in enumerate(present):
            coef[label] = rows[k]
            intercept[label] = bias[k]
    weights = {}
    for j, name in enumerate(vocabulary):
        row = [_round(w) for w in coef[:, j]]
        if any(row):
            weights[name] = row
    return LinearModel(classes, [_round(b) for b in intercept], weights)


def _round(value: float) -> float:
    value = round(float(value), DIGITS)
    return 0.0 if value == 0 else value  # no -0.0


def silver_type(example: Example) -> str | None:
    """The type the rules give a sentence whose gold names only a quad, where the two agree on the quad."""
    from .relations import plover_quads

    prefix = "gov_rule_type="
    kind = next((name[len(prefix):] for name in example.features if name.startswith(prefix)), None)
    return kind if kind in TYPES and plover_quads()[kind] == example.quad else None


def fit(training: list[Example], c_quad: float = 1.0, c_type: float = 1.0, min_count: int = 2,
        silver: float = 1.0, typed_weight: float = 1.0) -> EventModel:
    """Train the event model on examples: the quad model on all, the type model on the typed ones."""
    quad = _fit([(e.features, e.quad) for e in training], list(QUADS), c_quad, min_count,
                [typed_weight if e.type else 1.0 for e in training])
    typed = [(e.features, e.type, 1.0) for e in training if e.type]
    if not typed:
        raise ValueError("no training sentence names a PLOVER type")
    if silver:
        typed += [(e.features, kind, float(silver)) for e in training if not e.type and (kind := silver_type(e))]
    kind = _fit([(f, k) for f, k, _ in typed], list(TYPES), c_type, min_count, [w for _, _, w in typed])
    meta = {"trained_on": {"sentences": len(training), "typed": len(typed)},
            "settings": {"c_quad": c_quad, "c_type": c_type, "min_count": min_count, "propose": PROPOSE,
                         "silver": silver, "typed_weight": typed_weight}}
    return EventModel(quad, kind, meta)


def read_gold(path: str | Path) -> list[dict]:
    """The rows of a sentence gold JSONL file (docs/gold-format.md)."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def train(paths: Sequence[str | Path], out: str | Path | None = None) -> EventModel:
    """Train on sentence gold files (ConfliBERT quad sentences, PLOVER GSR sentences); write the
    model to ``out`` when given. The same files give the same model, bit for bit."""
    rows = [row for path in paths for row in read_gold(path)]
    if not rows:
        raise ValueError("no training sentences in " + ", ".join(map(str, paths)))
    model = fit([example for _, example in examples(rows)])
    if out is not None:
        model.save(out)
    return model


def folds(rows: Sequence[dict], k: int) -> list[int]:
    """The fold of each row: every k-th row in file order, so the split needs no random state."""
    return [i % k for i in range(len(rows))]


def cross_validate(paths: Sequence[str | Path], k: int = 5, progress=None) -> dict[str, dict]:
    """k-fold cross-validated scores of the model on each sentence gold file.

    Each file is cut into k folds; the model scored on one fold is trained on the file's other
    folds and on every other file whole, so no sentence is scored by a model that saw it.
    RETURNS (dict): path -> the scores of ``evaluate.score_sentences`` over the pooled folds.
    """
    from .evaluate import score_sentences
    from .relations import load_lexicon

    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, not {k}")
    lexicon = load_lexicon()
    sets = {str(path): read_gold(path) for path in paths}
    docs, found = {}, {}
    for name, rows in sets.items():
        for row, (doc, example) in zip(rows, examples(rows)):
            docs[(name, row["id"])], found[(name, row["id"])] = doc, example
    results = {}
    for name, rows in sets.items():
        where = folds(rows, k)
        predictions: dict[str, list[dict]] = {}
        for fold in range(k):
            training = [found[(other, r["id"])] for other, others in sets.items() if other != name for r in others]
            training += [found[(name, r["id"])] for r, f in zip(rows, where) if f != fold]
            model = fit(training)
            for row, f in zip(rows, where):
                if f == fold:
                    doc = docs[(name, row["id"])]
                    predictions[row["id"]] = [e for i in range(len(doc.sentences))
                                              for e in code_sentence(doc, i, model, lexicon)]
            if progress is not None:
                progress()
        results[name] = {**score_sentences(rows, predictions), "gold": name, "folds": k}
    return results


# --------------------------------------------------------------------------- coding


def type_score(kind: str) -> float:
    """The intensity of an event of a type where no cue of that type gives one: the median score of
    the lexicon's cues of that type (``data/cues.jsonl``)."""
    return _type_scores().get(kind, 0.0)


@lru_cache(maxsize=1)
def _type_scores() -> dict[str, float]:
    from .actors import read_jsonl

    scores: dict[str, list[float]] = {}
    for row in read_jsonl(data_path("cues.jsonl")):
        if row.get("type") and row.get("score"):
            scores.setdefault(row["type"], []).append(float(row["score"]))
    return {kind: sorted(values)[len(values) // 2] for kind, values in scores.items()}


def code_sentence(doc: Document, index: int, model: EventModel | None = None, lexicon=None) -> list[dict]:
    """One sentence's events. The rules propose (``relations.sentence_events``; else an event cue
    with no relation, ``actorless_events``, given the sentence's actors, as event coders code
    "demonstrators in Baghdad" as Iraq's). The model vetoes them or gives the sentence's quad,
    and the first proposal is the event; with no proposal and no event cue, the model may propose
    one itself. With no model, the rules' events as they are."""
    from .relations import actorless_events, load_lexicon, sentence_events

    lexicon = lexicon or load_lexicon()
    proposed = sentence_events(doc, index) or [
        {**event, "source": source, "target": target}
        for event in actorless_events(doc, index, lexicon) for source, target in [_sentence_actors(doc, index)]]
    if model is None:
        return proposed
    if not proposed and any(c.type and c.score for _, _, c in lexicon.cues.find(doc.sentence_text(index).lower())):
        return []  # the rules read an event cue and declined it ("did not attack"): no event to propose
    prediction = model.predict(sentence_features(doc, index, lexicon), proposed[0]["type"] if proposed else None)
    if prediction.type is None:
        return []  # veto
    if proposed:
        return [{**proposed[0], "quad": prediction.quad}]
    if 1 - prediction.p_event > PROPOSE:
        return []
    source, target = _sentence_actors(doc, index)
    return [{"source": source, "target": target, "type": prediction.type, "quad": prediction.quad,
             "score": _score_for(prediction.type, doc, index, lexicon)}]


def _score_for(kind: str, doc: Document, index: int, lexicon) -> float:
    """The score of the sentence's strongest cue of that type, else the type's usual score."""
    lower = doc.sentence_text(index).lower()
    scores = [float(c.score) for _, _, c in lexicon.cues.find(lower) if c.type == kind and c.score]
    if scores:
        return max(scores, key=abs)
    return type_score(kind)


def _sentence_actors(doc: Document, index: int) -> tuple[list[str], list[str]]:
    """Source and target where the rules tie no actor to an event: the relations of the sentence,
    else its first actor as source and the others as targets."""
    relations = [r for r in doc.relations if r.sentence == index]
    if relations:
        sources = sorted({r.source for r in relations})
        targets = sorted({r.target for r in relations} - set(sources)) or sorted({r.target for r in relations})
        return sources, targets
    actors = list(dict.fromkeys(m.actor for m in doc.mentions if m.sentence == index))
    if not actors:
        return [], []
    return [actors[0]], sorted(set(actors[1:]))
