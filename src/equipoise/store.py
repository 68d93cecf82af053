"""The store: one DuckDB file holding documents, mentions, relations, facts,
memberships and runs.

Each document goes in with all its records in one transaction, keyed by its
content hash: adding the same document again adds nothing, and a run killed
half-way leaves only whole documents behind.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import duckdb

from .document import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, source VARCHAR, title VARCHAR, date VARCHAR, url VARCHAR,
    text VARCHAR, run INTEGER
);
CREATE TABLE IF NOT EXISTS mentions (
    doc VARCHAR, sentence INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, actor VARCHAR, how VARCHAR
);
CREATE TABLE IF NOT EXISTS relations (
    doc VARCHAR, sentence INTEGER, source VARCHAR, target VARCHAR, dimension VARCHAR, score DOUBLE,
    type VARCHAR, modality VARCHAR, date VARCHAR, evidence VARCHAR, rule VARCHAR,
    start INTEGER, "end" INTEGER, dataset VARCHAR DEFAULT 'text',
    event_code VARCHAR, quad INTEGER, source_detail VARCHAR, target_detail VARCHAR, is_root BOOLEAN,
    event_key VARCHAR, twin BOOLEAN DEFAULT false
);
CREATE TABLE IF NOT EXISTS facts (
    doc VARCHAR, sentence INTEGER, a VARCHAR, b VARCHAR, measure VARCHAR, value DOUBLE, unit VARCHAR,
    bound VARCHAR, year INTEGER, evidence VARCHAR, rule VARCHAR, start INTEGER, "end" INTEGER
);
CREATE TABLE IF NOT EXISTS memberships (
    doc VARCHAR, sentence INTEGER, member VARCHAR, organization VARCHAR, status VARCHAR,
    evidence VARCHAR, rule VARCHAR, start INTEGER, "end" INTEGER
);
CREATE SEQUENCE IF NOT EXISTS run_ids START 1;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY DEFAULT nextval('run_ids'), command VARCHAR, started VARCHAR, finished VARCHAR,
    settings VARCHAR, counts VARCHAR, rejected VARCHAR
);
"""

TABLE_COLUMNS = {
    "documents": "id, source, title, date, url, text, run",
    "mentions": 'doc, sentence, start, "end", text, actor, how',
    "relations": 'doc, sentence, source, target, dimension, score, type, modality, date, evidence, rule, start, "end", '
                 'dataset',
    "facts": 'doc, sentence, a, b, measure, value, unit, bound, year, evidence, rule, start, "end"',
    "memberships": 'doc, sentence, member, organization, status, evidence, rule, start, "end"',
}
EVENT_COLUMNS = ('doc, sentence, source, target, dimension, score, type, modality, date, evidence, rule, '
                 'dataset, event_code, quad, source_detail, target_detail, is_root, event_key')


class Store:
    """A DuckDB file of everything equipoise found, with verb methods over it.

    Args:
        path (str | Path): the database file (created if missing); ":memory:" for a throw-away store.
        read_only (bool): open without writing (several readers may share the file).
        memory_limit (str): DuckDB's memory bound ("256MB").

    Example:
        >>> with Store(":memory:") as store:
        ...     store.add_documents([doc])
    """

    def __init__(self, path: str | Path = "equipoise.duckdb", read_only: bool = False, memory_limit: str = "256MB"):
        self.path = str(path)
        self.db = duckdb.connect(self.path, read_only=read_only)
        self.db.execute("SET enable_progress_bar = false")  # our own progress bars speak for the run
        # DuckDB would otherwise keep up to 80% of the machine's memory as cache while a corpus
        # streams in; a bound keeps a long run's memory flat (it writes what does not fit to disk).
        self.db.execute("SET memory_limit = ?", [memory_limit])
        if not read_only:
            self.db.execute(SCHEMA)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing -------------------------------------------------------------------------------

    def start_run(self, command: str, settings: dict) -> int:
        """Record the start of a run; returns its id."""
        row = self.db.execute(
            "INSERT INTO runs (command, started, settings) VALUES (?, ?, ?) RETURNING id",
            [command, _now(), json.dumps(settings, sort_keys=True)],
        ).fetchone()
        return row[0]

    def finish_run(self, run: int, counts: dict, rejected: list[dict]) -> None:
        self.db.execute("UPDATE runs SET finished = ?, counts = ?, rejected = ? WHERE id = ?",
                        [_now(), json.dumps(counts, sort_keys=True), json.dumps(rejected), run])

    def add_documents(self, docs: Iterable[Document], run: int | None = None) -> dict:
        """Store documents with all their records, one transaction per batch; skip those already stored.

        RETURNS (dict): counts of documents stored and skipped and of records written, by kind.
        """
        counts = {"documents": 0, "skipped": 0, "mentions": 0, "relations": 0, "facts": 0, "memberships": 0}
        batch = list(docs)
        if not batch:
            return counts
        with self._transaction():
            known = self._known_ids([d.id for d in batch])
            rows: dict[str, list[list]] = {table: [] for table in TABLE_COLUMNS}
            for doc in batch:
                if doc.id in known:
                    counts["skipped"] += 1
                    continue
                known.add(doc.id)
                document_rows(doc, run, rows)
            for table, table_rows in rows.items():
                self._insert_rows(table, TABLE_COLUMNS[table], table_rows)
                counts[table] += len(table_rows)
        return counts

    def _transaction(self):
        return _Transaction(self.db)

    def _known_ids(self, ids: list[str]) -> set[str]:
        rows = self.db.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0] for r in rows}

    def _insert_rows(self, table: str, columns: str, rows: list[list]) -> None:
        """Insert rows in one statement over column lists: much faster than executemany."""
        if rows:
            values = [list(column) for column in zip(*rows)]
            self.db.execute(f"INSERT INTO {table} ({columns}) SELECT {', '.join('unnest(?)' for _ in values)}", values)

    def load_parquet(self, files: dict[str, str], run: int | None = None) -> dict:
        """Load one partition's Parquet files (cluster.process_partition) in one transaction,
        skipping documents already stored; counts as ``add_documents``."""
        counts = {"documents": 0, "skipped": 0, "mentions": 0, "relations": 0, "facts": 0, "memberships": 0}
        if "documents" not in files:
            return counts
        with self._transaction():
            ids = [r[0] for r in self.db.execute("SELECT id FROM read_parquet(?)", [files["documents"]]).fetchall()]
            known = self._known_ids(ids)
            counts["skipped"] = len(known)
            fresh = [i for i in ids if i not in known]
            columns = TABLE_COLUMNS["documents"].replace("run", "? AS run")
            self.db.execute(f"INSERT INTO documents SELECT {columns} FROM read_parquet(?) "
                            "WHERE id IN (SELECT unnest(?))", [run, files["documents"], fresh])
            counts["documents"] = len(fresh)
            for table in ("mentions", "relations", "facts", "memberships"):
                if table in files:
                    names = TABLE_COLUMNS[table]
                    before = self.count(table)
                    self.db.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM read_parquet(?) "
                                    "WHERE doc IN (SELECT unnest(?))", [files[table], fresh])
                    counts[table] = self.count(table) - before
        return counts

    def mark_icews_twins(self) -> int:
        """ICEWS lists some events twice with source and target swapped: mark every copy after the
        first of each (date, pair, CAMEO code, story sentence) as a twin, which profiles leave out.
        RETURNS (int): how many relations are marked."""
        with self._transaction():
            self.db.execute("""
                UPDATE relations SET twin = true WHERE rowid IN (
                    SELECT rowid FROM relations WHERE dataset = 'icews'
                    QUALIFY row_number() OVER (PARTITION BY date, least(source, target), greatest(source, target),
                                               event_code, evidence ORDER BY rowid) > 1)""")
            return self.db.execute("SELECT count(*) FROM relations WHERE twin").fetchone()[0]

    def add_event_relations(self, rows: list[dict]) -> int:
        """Store imported event relations (eventdata.py) in one transaction, skipping event keys
        already stored; returns how many rows were added."""
        if not rows:
            return 0
        with self._transaction():
            found = self.db.execute("SELECT event_key FROM relations WHERE event_key IN (SELECT unnest(?))",
                                    [[r["event_key"] for r in rows]]).fetchall()
            known = {k for (k,) in found}
            fresh = []
            for r in rows:
                if r["event_key"] not in known:
                    known.add(r["event_key"])
                    fresh.append([r.get(name.strip('"')) for name in EVENT_COLUMNS.split(", ")])
            self._insert_rows("relations", EVENT_COLUMNS, fresh)
        return len(fresh)

    # -- reading -------------------------------------------------------------------------------

    def query(self, sql: str, params: list | None = None) -> list[dict]:
        """Run a read query and return rows as dicts."""
        cursor = self.db.execute(sql, params or [])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def count(self, table: str) -> int:
        if table not in ("documents", "mentions", "relations", "facts", "memberships", "runs"):
            raise ValueError(f"no table {table!r}")
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def relations_of(self, actor: str) -> list[dict]:
        """Every relation with actor on either side."""
        return self.query("SELECT * FROM relations WHERE source = ? OR target = ? ORDER BY doc, sentence, start",
                          [actor, actor])

    def facts_of(self, actor: str) -> list[dict]:
        return self.query("SELECT * FROM facts WHERE a = ? OR b = ? ORDER BY doc, sentence, start", [actor, actor])

    def memberships_of(self, actor: str) -> list[dict]:
        return self.query("SELECT * FROM memberships WHERE member = ? OR organization = ? ORDER BY doc, sentence",
                          [actor, actor])

    def mention_counts(self) -> dict[str, int]:
        """How often each actor is mentioned by name, adjective, capital or leader (pronouns left out)."""
        rows = self.db.execute("SELECT actor, count(*) AS n FROM mentions WHERE how != 'pronoun' "
                               "GROUP BY actor ORDER BY n DESC, actor").fetchall()
        return dict(rows)

    def runs(self) -> list[dict]:
        rows = self.query("SELECT * FROM runs ORDER BY id")
        for row in rows:
            for key in ("settings", "counts", "rejected"):
                row[key] = json.loads(row[key]) if row[key] else None
        return rows

    def records(self) -> Iterator[dict]:
        """Every stored record in the output-contract form, document by document."""
        for table, kind in (("mentions", "mention"), ("relations", "relation"), ("facts", "fact"),
                            ("memberships", "membership")):
            for row in self.query(f"SELECT * FROM {table} ORDER BY doc, sentence, start"):
                if kind == "fact":
                    row["pair"] = [row.pop("a"), row.pop("b")]
                if kind == "relation" and row.get("event_key") is None:  # text relations: no event-import fields
                    for name in ("event_code", "quad", "source_detail", "target_detail", "is_root", "event_key", "twin"):
                        row.pop(name, None)
                yield {"kind": kind, **row}


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK when anything fails (a killed process leaves no half batch)."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, error, trace):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
        return False


def document_rows(doc: Document, run: int | None, rows: dict[str, list[list]]) -> None:
    """Append a document's row and its records' rows, in TABLE_COLUMNS order."""
    rows["documents"].append([doc.id, doc.source, doc.title, doc.date, doc.url, doc.text, run])
    for m in doc.mentions:
        rows["mentions"].append([doc.id, m.sentence, m.start, m.end, m.text, m.actor, m.how])
    for r in doc.relations:
        rows["relations"].append([doc.id, r.sentence, r.source, r.target, r.dimension, r.score, r.type, r.modality,
                                  r.date, r.evidence, r.rule, r.start, r.end, "text"])
    for f in doc.facts:
        rows["facts"].append([doc.id, f.sentence, f.pair[0], f.pair[1], f.measure, f.value, f.unit, f.bound,
                              f.year, f.evidence, f.rule, f.start, f.end])
    for m in doc.memberships:
        rows["memberships"].append([doc.id, m.sentence, m.member, m.organization, m.status, m.evidence, m.rule,
                                    m.start, m.end])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
