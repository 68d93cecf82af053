"""Engines: run the same per-document function here, in worker processes, or on a Dask cluster.

    process_document(doc) -> doc        the one function every engine runs
    in_processes(docs, workers)          a process pool on this machine, results in input order
    on_cluster(docs, address, folder)    dask.distributed: each partition's records are written to
                                         Parquet by the worker; the store then loads the files

Every engine gives the same records, record for record: the pipeline is
deterministic, and results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from .document import Document
from .pipeline import load
from .store import TABLE_COLUMNS, document_rows

PARTITION = 64  # documents per task


def process_document(doc: Document, fast: bool = False) -> Document:
    """The per-document function: the default pipeline (``fast``: the rules-only one) over one document."""
    return load(fast)(doc)


def in_processes(docs: Iterable[Document], workers: int, chunksize: int = 8, fast: bool = False) -> Iterator[Document]:
    """Process documents in ``workers`` processes; yields them in input order, streaming: only a
    bounded window of chunks is in flight, so memory does not grow with the corpus."""
    with _pool(workers, fast) as pool:
        yield from _windowed(pool, process_chunk, ((chunk, fast) for chunk in partitions(docs, chunksize)), workers)


def partitions_in_processes(docs: Iterable[Document], workers: int, folder: str | Path,
                            size: int = PARTITION, fast: bool = False) -> Iterator[dict]:
    """As ``on_cluster``, in ``workers`` processes on this machine: each writes its partitions'
    Parquet files, so the main process only loads them into the store."""
    tasks = ((batch, str(folder), index, fast) for index, batch in enumerate(partitions(docs, size)))
    with _pool(workers, fast) as pool:
        yield from _windowed(pool, process_partition, tasks, workers, flatten=False)


def _pool(workers: int, fast: bool = False):
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    return context.Pool(workers, initializer=load, initargs=(fast,))


def _windowed(pool, function, tasks: Iterator[tuple], workers: int, flatten: bool = True) -> Iterator:
    """Results of ``function`` over ``tasks`` in order, with at most 4 tasks per worker in flight."""
    window: deque = deque()
    for task in tasks:
        window.append(pool.apply_async(function, task))
        if len(window) >= 4 * workers:
            result = window.popleft().get()
            yield from (result if flatten else [result])
    while window:
        result = window.popleft().get()
        yield from (result if flatten else [result])


def process_chunk(docs: list[Document], fast: bool = False) -> list[Document]:
    return [_without_parses(process_document(doc, fast)) for doc in docs]


def _without_parses(doc: Document) -> Document:
    """The parses have served the relations stage; they are not sent back between processes."""
    doc.parses = {}
    return doc


def partitions(docs: Iterable[Document], size: int = PARTITION) -> Iterator[list[Document]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def process_partition(docs: list[Document], folder: str, index: int, fast: bool = False) -> dict:
    """Run on a cluster worker: process a partition and write its tables as Parquet files.

    RETURNS (dict): {"files": {table: Parquet path} for the tables with rows, "documents": how many
        were read, "empty": sources of the documents left with no sentence after cleaning}.
    """
    import duckdb

    rows: dict[str, list[list]] = {table: [] for table in TABLE_COLUMNS}
    empty = []
    for doc in docs:
        doc = process_document(doc, fast)
        if doc.sentences:
            document_rows(doc, None, rows)
        else:
            empty.append(doc.source)
    written = {}
    with duckdb.connect() as db:
        for table, table_rows in rows.items():
            if not table_rows:
                continue
            path = str(Path(folder) / f"{table}-{index:06d}.parquet")
            columns = [list(column) for column in zip(*table_rows)]
            names = [name.strip().strip('"') for name in TABLE_COLUMNS[table].split(",")]
            select = ", ".join(f'unnest(?) AS "{name}"' for name in names)
            db.execute(f"COPY (SELECT {select}) TO ? (FORMAT PARQUET)", [*columns, path])
            written[table] = path
    return {"files": written, "documents": len(docs), "empty": empty}


def on_cluster(docs: Iterable[Document], address: str, folder: str | Path, size: int = PARTITION,
               fast: bool = False) -> Iterator[dict]:
    """Process documents on a Dask cluster ("local" starts a LocalCluster of 2 workers here).

    Partitions go out as they are read, a bounded number at a time; yields each partition's
    result (``process_partition``) in input order. The workers write into ``folder``, which a
    remote cluster's workers and this machine must share.
    """
    from distributed import Client, LocalCluster

    folder = str(folder)
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(address)
    try:
        pending = []
        for index, batch in enumerate(partitions(docs, size)):
            pending.append(client.submit(process_partition, batch, folder, index, fast, pure=False))
            if len(pending) >= 8:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


RECORD_FIELDS = {
    "mentions": ("mention", ["sentence", "start", "end", "text", "actor", "how"]),
    "relations": ("relation", ["sentence", "source", "target", "dimension", "score", "type", "modality", "date",
                               "evidence", "rule", "start", "end"]),
    "facts": ("fact", ["sentence", "pair", "measure", "value", "unit", "bound", "year", "evidence", "rule", "start",
                       "end"]),
    "memberships": ("membership", ["sentence", "member", "organization", "status", "evidence", "rule", "start",
                                   "end"]),
}


def records_from_parquet(files: dict[str, str]) -> Iterator[dict]:
    """The output-contract records of a partition's Parquet files, document by document in input
    order, as ``Document.records()`` gives them."""
    import duckdb

    if "documents" not in files:
        return
    with duckdb.connect() as db:
        order = [r[0] for r in db.execute("SELECT id FROM read_parquet(?)", [files["documents"]]).fetchall()]
        by_doc: dict[str, list[dict]] = {doc: [] for doc in order}
        for table, (kind, fields) in RECORD_FIELDS.items():
            if table not in files:
                continue
            cursor = db.execute("SELECT * FROM read_parquet(?)", [files[table]])
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                values = dict(zip(names, row))
                if kind == "fact":
                    values["pair"] = [values["a"], values["b"]]
                by_doc[values["doc"]].append({"kind": kind, "doc": values["doc"],
                                              **{field: values[field] for field in fields}})
    for doc in order:
        yield from by_doc[doc]

