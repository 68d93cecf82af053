"""The Python API: what the CLI and the web app call.

    >>> from equipoise import api
    >>> summary = api.analyze(["article.txt"], db="equipoise.duckdb")
    >>> summary["profile"]["partners"][0]["actor"]
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import sources
from .actors import actor_table
from .analysis import focal_actor, profile
from .cluster import in_processes, on_cluster, partitions_in_processes, records_from_parquet
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


def read_documents(paths: Iterable[str | os.PathLike], rejected: list[Rejected] | None = None,
                   duplicates: list[str] | None = None) -> Iterator[Document]:
    """The readable documents of the inputs, each text once (its id is its content hash); rejected
    inputs go to ``rejected``, the sources of texts already read in this run to ``duplicates``."""
    seen: set[str] = set()
    for item in sources.read(check_paths(paths)):
        if isinstance(item, Rejected):
            if rejected is not None:
                rejected.append(item)
        elif item.id in seen:
            if duplicates is not None:
                duplicates.append(item.source)
        else:
            seen.add(item.id)
            yield item


def process(paths: Iterable[str | os.PathLike], rejected: list[Rejected] | None = None,
            workers: int = 1, duplicates: list[str] | None = None, fast: bool = False) -> Iterator[Document]:
    """Read and run the pipeline over every input, in this process or in ``workers`` processes,
    in input order; rejected inputs (unreadable, or no sentence after cleaning) go to ``rejected``,
    texts read twice to ``duplicates``. ``fast``: the rules-only pipeline, with no parse."""
    docs = read_documents(paths, rejected, duplicates)
    processed = in_processes(docs, workers, fast=fast) if workers > 1 else load(fast).pipe(docs)
    for doc in processed:
        if not doc.sentences:
            if rejected is not None:
                rejected.append(Rejected(doc.source, Reasons.NO_SENTENCES))
            continue
        yield doc


def process_in_partitions(paths: Iterable[str | os.PathLike], folder: str | Path, rejected: list[Rejected] | None = None,
                          duplicates: list[str] | None = None, workers: int = 1,
                          cluster: str | None = None, fast: bool = False) -> Iterator[dict]:
    """Run the pipeline over partitions of the inputs, on a Dask ``cluster`` or in ``workers``
    processes; each partition's records are written as Parquet into ``folder``. Yields each
    partition's files and counts (``cluster.process_partition``), in input order."""
    docs = read_documents(paths, rejected, duplicates)
    parts = (on_cluster(docs, cluster, folder, fast=fast) if cluster
             else partitions_in_processes(docs, workers, folder, fast=fast))
    for part in parts:
        if rejected is not None:
            rejected.extend(Rejected(source, Reasons.NO_SENTENCES) for source in part["empty"])
        yield part


def extract(paths: Iterable[str | os.PathLike], rejected: list[Rejected] | None = None, workers: int = 1,
            cluster: str | None = None, fast: bool = False) -> Iterator[dict]:
    """The output-contract records of every input, document by document, without a store.
    Every engine (``workers`` processes, a Dask ``cluster``) gives the same records.
    ``fast``: the rules-only pipeline, with no parse."""
    if cluster:
        with tempfile.TemporaryDirectory(prefix="equipoise-") as folder:
            for part in process_in_partitions(paths, folder, rejected, cluster=cluster, fast=fast):
                yield from records_from_parquet(part["files"])
        return
    for doc in process(paths, rejected, workers, fast=fast):
        yield from doc.records()


def analyze(paths: Iterable[str | os.PathLike] = (), db: str | Path = "equipoise.duckdb", country: str | None = None,
            progress: Progress | None = None, batch_size: int = 64, workers: int = 1,
            cluster: str | None = None, fast: bool = False) -> dict:
    """Read the inputs, run the pipeline, store everything and profile the focal country.

    Args:
        paths: files or folders; none: the bundled corpus.
        db: the DuckDB file.
        country: the focal actor id; None: the most-mentioned state.
        progress: called with the number of documents done so far.
        batch_size: documents per store transaction.
        workers: processes to run the pipeline in (1: this process).
        cluster: a Dask scheduler address, or "local" for a LocalCluster; the workers write
            Parquet that the store then loads.
        fast: the rules-only pipeline (no dependency parse), for throughput.
    RETURNS (dict): {"run", "counts", "rejected", "country", "profile"}.
    """
    if country is not None and country not in actor_table():
        raise UnknownActor(country)
    paths = check_paths(paths)
    rejected: list[Rejected] = []
    totals = {"read": 0, "documents": 0, "skipped": 0, "mentions": 0, "relations": 0, "facts": 0, "memberships": 0}
    settings = {"paths": [str(p) for p in paths], "country": country, "workers": workers, "cluster": cluster,
                "fast": fast}
    duplicates: list[str] = []
    with Store(db) as store:
        run = store.start_run("analyze", settings)
        if cluster or workers > 1:
            with tempfile.TemporaryDirectory(prefix="equipoise-") as folder:
                for part in process_in_partitions(paths, folder, rejected, duplicates, workers, cluster, fast):
                    _count(totals, store.load_parquet(part["files"], run))
                    totals["read"] += part["documents"] - len(part["empty"])
                    if progress:
                        progress(totals["read"])
        else:
            batch: list[Document] = []
            for doc in process(paths, rejected, 1, duplicates, fast):
                batch.append(doc)
                totals["read"] += 1
                if progress:
                    progress(totals["read"])
                if len(batch) >= batch_size:
                    _count(totals, store.add_documents(batch, run))
                    batch.clear()
            _count(totals, store.add_documents(batch, run))
        totals["skipped"] += len(duplicates)  # the same text twice in this run: stored once
        totals["rejected"] = len(rejected)
        store.finish_run(run, totals, [r.to_dict() for r in rejected])
        focal = country or focal_actor(store)
        return {"run": run, "counts": totals, "rejected": [r.to_dict() for r in rejected], "country": focal,
                "profile": profile(store, focal, by="year")}


def _count(totals: dict, counts: dict) -> None:
    for key, value in counts.items():
        totals[key] += value


def code_sentences(rows: Iterable[dict], fast: bool = False) -> Iterator[dict]:
    """Code each row's text as a one-sentence document: the cue lexicon proposes events and their
    actors, the shipped event model (``events``) types them and can veto them.

    Args:
        rows: dicts with ``id`` and ``text``.
        fast: the rules-only pipeline, with no parse and no event model.
    RETURNS (Iterator[dict]): {"id", "events": [{"source", "target", "type", "quad", "score"}]} per row,
        in input order; ``events`` is empty where nothing codable happens. An event whose actors
        the gazetteer does not know has empty source and target.
    """
    from .events import code_sentence, process_rows, shipped_model
    from .relations import load_lexicon

    model = None if fast else shipped_model()
    lexicon = load_lexicon()
    for row, doc in process_rows(rows, fast):
        events = [e for i in range(len(doc.sentences)) for e in code_sentence(doc, i, model, lexicon)]
        yield {"id": row.get("id"), "events": events}

