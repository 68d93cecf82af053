"""The Python API: what the CLI and the web app call.

    >>> from equipoise import api
    >>> summary = api.analyze(["article.txt"], db="equipoise.duckdb")
    >>> summary["profile"]["partners"][0]["actor"]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import sources
from .actors import actor_table
from .analysis import focal_actor, profile
from .document import Document
from .errors import NoInput, Reasons, UnknownActor
from .pipeline import load
from .sources import Rejected
from .store import Store

Progress = Callable[[int], None]


def check_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The input paths, or the bundled corpus when none are given; a missing path is fatal."""
    paths = [Path(p) for p in paths] or sources.default_corpus()
    for path in paths:
        if not path.exists():
            raise NoInput(str(path))
    return paths


def process(paths: Iterable[str | os.PathLike], rejected: list[Rejected] | None = None) -> Iterator[Document]:
    """Read and run the pipeline over every input; rejected inputs are appended to ``rejected``."""
    nlp = load()

    def readable() -> Iterator[Document]:
        for item in sources.read(check_paths(paths)):
            if isinstance(item, Rejected):
                if rejected is not None:
                    rejected.append(item)
            else:
                yield item

    for doc in nlp.pipe(readable()):
        if not doc.sentences:
            if rejected is not None:
                rejected.append(Rejected(doc.source, Reasons.NO_SENTENCES))
            continue
        yield doc


def extract(paths: Iterable[str | os.PathLike], rejected: list[Rejected] | None = None) -> Iterator[dict]:
    """The output-contract records of every input, document by document, without a store."""
    for doc in process(paths, rejected):
        yield from doc.records()


def analyze(paths: Iterable[str | os.PathLike] = (), db: str | Path = "equipoise.duckdb", country: str | None = None,
            progress: Progress | None = None, batch_size: int = 64) -> dict:
    """Read the inputs, run the pipeline, store everything and profile the focal country.

    Args:
        paths: files or folders; none: the bundled corpus.
        db: the DuckDB file.
        country: the focal actor id; None: the most-mentioned state.
        progress: called with the number of documents done after each one.
        batch_size: documents per store transaction.
    RETURNS (dict): {"run", "counts", "rejected", "country", "profile"}.
    """
    if country is not None and country not in actor_table():
        raise UnknownActor(country)
    paths = check_paths(paths)
    rejected: list[Rejected] = []
    totals = {"read": 0, "documents": 0, "skipped": 0, "mentions": 0, "relations": 0, "facts": 0, "memberships": 0}
    with Store(db) as store:
        run = store.start_run("analyze", {"paths": [str(p) for p in paths], "country": country})
        batch: list[Document] = []
        for doc in process(paths, rejected):
            batch.append(doc)
            totals["read"] += 1
            if progress:
                progress(totals["read"])
            if len(batch) >= batch_size:
                _add(store, batch, run, totals)
        _add(store, batch, run, totals)
        totals["rejected"] = len(rejected)
        store.finish_run(run, totals, [r.to_dict() for r in rejected])
        focal = country or focal_actor(store)
        return {"run": run, "counts": totals, "rejected": [r.to_dict() for r in rejected], "country": focal,
                "profile": profile(store, focal, by="year")}


def _add(store: Store, batch: list[Document], run: int, totals: dict) -> None:
    for key, value in store.add_documents(batch, run).items():
        totals[key] += value
    batch.clear()


def code_sentences(rows: Iterable[dict]) -> Iterator[dict]:
    """Code each row's text as a one-sentence document.

    Args:
        rows: dicts with ``id`` and ``text``.
    RETURNS (Iterator[dict]): {"id", "events": [{"source", "target", "type", "quad", "score"}]} per row,
        in input order; ``events`` is empty where nothing codable happens. An event whose actors
        the gazetteer does not know has empty source and target.
    """
    from .relations import actorless_events, sentence_events

    nlp = load()
    for row in rows:
        doc = nlp(Document(str(row.get("text") or ""), source=str(row.get("id"))))
        events = [e for i in range(len(doc.sentences)) for e in sentence_events(doc, i) or actorless_events(doc, i)]
        yield {"id": row.get("id"), "events": events}

