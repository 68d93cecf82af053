"""The pipeline: named stages that each take a Document, add to it and return it.

    >>> from equipoise.pipeline import load
    >>> nlp = load()
    >>> doc = nlp(Document("Turkey is an essential ally for Azerbaijan."))
    >>> [(r.source, r.target, r.dimension) for r in doc.relations]
    [('TUR', 'AZE', 'diplomacy')]
"""

from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable, Iterator

from .actors import ActorTagger, Coreference
from .clean import Cleaner
from .document import Document
from .facts import FactExtractor, MembershipExtractor
from .relations import RelationExtractor
from .syntax import Parser

Stage = Callable[[Document], Document]

# Stage name -> factory, so that a pipeline can be assembled from a list of names.
STAGES: dict[str, Callable[[], Stage]] = {
    "clean": Cleaner,
    "actors": ActorTagger,
    "coref": Coreference,
    "syntax": Parser,
    "relations": RelationExtractor,
    "facts": FactExtractor,
    "memberships": MembershipExtractor,
}
DEFAULT_STAGES = ("clean", "actors", "coref", "syntax", "relations", "facts", "memberships")
# The rules-only pipeline (``--fast``): no parse, the relations stage pairs actors by position.
FAST_STAGES = tuple(name for name in DEFAULT_STAGES if name != "syntax")


class Pipeline:
    """Runs stages in order over one document (``__call__``) or a stream (``pipe``).

    Args:
        stages (Iterable[str]): stage names from ``STAGES``, in order.
    """

    def __init__(self, stages: Iterable[str] = DEFAULT_STAGES):
        self.stage_names = tuple(stages)
        unknown = [name for name in self.stage_names if name not in STAGES]
        if unknown:
            raise ValueError(f"unknown pipeline stage(s) {unknown}; known: {sorted(STAGES)}")
        self.stages = [STAGES[name]() for name in self.stage_names]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def pipe(self, docs: Iterable[Document], batch_size: int = 64) -> Iterator[Document]:
        """Process a stream of documents lazily, batch by batch; memory does not grow with the stream."""
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            for doc in batch:
                yield self(doc)


_loaded: dict[bool, Pipeline] = {}


def load(fast: bool = False) -> Pipeline:
    """The default pipeline (``fast``: the rules-only one), built once per process (the knowledge
    files are compiled and the parser loaded once)."""
    if fast not in _loaded:
        _loaded[fast] = Pipeline(FAST_STAGES if fast else DEFAULT_STAGES)
    return _loaded[fast]
