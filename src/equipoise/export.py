"""Exports: the store's tables as CSV, Parquet or JSON, and its actor graph as GraphML,
for pandas, Gephi or a spreadsheet.

Example:
    >>> with Store("equipoise.duckdb", read_only=True) as store:
    ...     export(store, "graphml", "azerbaijan.graphml", country="AZE")
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import duckdb

from .actors import actor_table
from .document import DIMENSIONS
from .errors import EquipoiseError, UnknownActor
from .store import Store

FORMATS = ("csv", "parquet", "json", "graphml")
TABLES = ("documents", "mentions", "relations", "facts", "memberships", "runs")
DEFAULT_OUT = {"csv": "equipoise-export", "parquet": "equipoise-export", "json": "equipoise-export.json",
               "graphml": "equipoise-export.graphml"}
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

# What "concerns" an actor, per table: a WHERE clause with one ? per use of the actor id.
COUNTRY_FILTERS = {
    "documents": ("id IN (SELECT doc FROM mentions WHERE actor = ? "
                  "UNION SELECT doc FROM relations WHERE source = ? OR target = ? "
                  "UNION SELECT doc FROM facts WHERE a = ? OR b = ? "
                  "UNION SELECT doc FROM memberships WHERE member = ? OR organization = ?)", 7),
    "mentions": ("actor = ?", 1),
    "relations": ("source = ? OR target = ?", 2),
    "facts": ("a = ? OR b = ?", 2),
    "memberships": ("member = ? OR organization = ?", 2),
    "runs": ("TRUE", 0),
}
ORDER = {"documents": "id", "mentions": "doc, sentence, start", "relations": "doc, sentence, start",
         "facts": "doc, sentence, start", "memberships": "doc, sentence, start", "runs": "id"}


def export(store: Store, format: str, out: str | Path | None = None, country: str | None = None) -> list[Path]:
    """Write the store (or the part of it that concerns one actor) in one format.

    Formats:
        csv: a folder `out` (default ``equipoise-export``) with one file per table, ``documents.csv``,
            ``mentions.csv``, ``relations.csv``, ``facts.csv``, ``memberships.csv``, ``runs.csv``: a header
            row with the store's column names, then one row per record (DuckDB COPY, comma-separated,
            RFC 4180 quoting, empty field for NULL).
        parquet: the same six tables as ``<table>.parquet`` in the folder `out`, with the store's column
            types (DuckDB COPY ... (FORMAT PARQUET)).
        json: one file `out` (default ``equipoise-export.json``) holding one JSON object
            ``{"documents": [...], "mentions": [...], "relations": [...], "facts": [...],
            "memberships": [...], "runs": [...]}``: one object per record keyed by column name, NULL as
            null; the runs' ``settings``, ``counts`` and ``rejected`` are decoded from their JSON text.
        graphml: one file `out` (default ``equipoise-export.graphml``), an undirected graph. Nodes are
            the actors of the relations, with ``name`` (and ``label``, the same, for Gephi) and ``kind``
            (state, organisation, bloc, ngo; unknown for an id outside the gazetteer). There is one edge
            per unordered pair of actors with ``weight`` (the number of relations between them, any
            direction), ``negated`` (how many of those are negated), and, over the relations that are
            not negated: ``positive`` and ``negative`` (counts by sign of the score), ``score`` (mean
            score) and ``score_energy``, ``score_economy``, ``score_security``, ``score_diplomacy``,
            ``score_humanitarian`` (mean score per dimension, left out when there is none). A score is
            missing when every relation of the pair is negated. Self-relations (domestic events) and
            relations with an empty side are left out.

    With `country`, only what concerns that actor is written: relations with it on either side,
    facts about a pair that includes it, memberships where it is member or organisation, mentions
    of it, documents holding any of these; runs are always written whole. The graph is then the
    actor's ego network: the actor, every partner it has a relation with, one edge per partner.

    Args:
        store: the store to read.
        format: csv, parquet, json or graphml.
        out: the folder (csv, parquet) or file (json, graphml) to write; an existing folder given for
            json or graphml gets ``equipoise-export.json`` / ``.graphml`` inside it.
        country: an actor id (AZE, EU...) to restrict the export to.
    RETURNS (list[Path]): the files written.
    """
    if format not in FORMATS:
        raise EquipoiseError(f"unknown export format {format!r}: use {', '.join(FORMATS)}")
    if country is not None and country not in actor_table():
        raise UnknownActor(country)
    out = Path(out) if out is not None else Path(DEFAULT_OUT[format])
    try:
        if format in ("csv", "parquet"):
            return _write_tables(store, format, out, country)
        if out.is_dir():
            out = out / DEFAULT_OUT[format]
        out.parent.mkdir(parents=True, exist_ok=True)
        if format == "json":
            _write_json(store, out, country)
        else:
            _write_graphml(store, out, country)
    except (OSError, duckdb.Error) as error:
        raise EquipoiseError(f"cannot export to {out}: {error}") from None
    return [out]


def _select(table: str, country: str | None) -> tuple[str, list]:
    """The query for one table's rows (those concerning `country`, if given) and its parameters."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r}")
    if country is None:
        return f"SELECT * FROM {table} ORDER BY {ORDER[table]}", []
    where, uses = COUNTRY_FILTERS[table]
    return f"SELECT * FROM {table} WHERE {where} ORDER BY {ORDER[table]}", [country] * uses


def _write_tables(store: Store, format: str, folder: Path, country: str | None) -> list[Path]:
    if folder.exists() and not folder.is_dir():
        raise EquipoiseError(f"{folder} is a file: --out must be a folder for {format}")
    folder.mkdir(parents=True, exist_ok=True)
    options = "FORMAT CSV, HEADER" if format == "csv" else "FORMAT PARQUET"
    written = []
    for table in TABLES:
        query, params = _select(table, country)
        path = folder / f"{table}.{format}"
        store.db.execute(f"COPY ({query}) TO ? ({options})", [*params, str(path)])
        written.append(path)
    return written


def _rows(store: Store, table: str, country: str | None) -> list[dict]:
    query, params = _select(table, country)
    return store.query(query, params)


def _write_json(store: Store, path: Path, country: str | None) -> None:
    data = {table: _rows(store, table, country) for table in TABLES}
    for run in data["runs"]:
        for key in ("settings", "counts", "rejected"):
            if isinstance(run.get(key), str):
                run[key] = json.loads(run[key])
    with path.open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1, default=str)
        f.write("\n")


def graph(store: Store, country: str | None = None) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    """The actor graph: nodes {id: {name, kind}} and edges {(a, b): attributes} with a < b
    (see `export` for the attributes)."""
    query, params = _select("relations", country)
    table = actor_table()
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for relation in store.query(query, params):
        source, target = relation["source"], relation["target"]
        if not source or not target or source == target:
            continue
        pairs[tuple(sorted((source, target)))].append(relation)
    nodes, edges = {}, {}
    for pair in sorted(pairs):
        for actor in pair:
            row = table.get(actor, {})
            nodes[actor] = {"name": row["names"][0] if row.get("names") else actor, "kind": row.get("kind", "unknown")}
        relations = pairs[pair]
        counted = [r for r in relations if r["modality"] != "negated" and r["score"] is not None]
        edge = {"weight": len(relations), "negated": sum(r["modality"] == "negated" for r in relations),
                "positive": sum(r["score"] > 0 for r in counted), "negative": sum(r["score"] < 0 for r in counted)}
        if counted:
            edge["score"] = sum(r["score"] for r in counted) / len(counted)
        for dimension in DIMENSIONS:
            scores = [r["score"] for r in counted if r["dimension"] == dimension]
            if scores:
                edge[f"score_{dimension}"] = sum(scores) / len(scores)
        edges[pair] = edge
    return dict(sorted(nodes.items())), edges


NODE_KEYS = (("name", "string"), ("label", "string"), ("kind", "string"))
EDGE_KEYS = (("weight", "int"), ("score", "double"), ("positive", "int"), ("negative", "int"), ("negated", "int"),
             *((f"score_{d}", "double") for d in DIMENSIONS))


def _write_graphml(store: Store, path: Path, country: str | None) -> None:
    nodes, edges = graph(store, country)
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for domain, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys:
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": name, "for": domain, "attr.name": name,
                                                        "attr.type": kind})
    graph_element = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph",
                                  {"id": country or "equipoise", "edgedefault": "undirected"})
    for actor, node in nodes.items():
        element = ET.SubElement(graph_element, f"{{{GRAPHML_NS}}}node", {"id": actor})
        for key, value in (("name", node["name"]), ("label", node["name"]), ("kind", node["kind"])):
            ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key}).text = value
    for (a, b), edge in edges.items():
        element = ET.SubElement(graph_element, f"{{{GRAPHML_NS}}}edge", {"id": f"{a}--{b}", "source": a, "target": b})
        for key, _ in EDGE_KEYS:
            if key in edge:
                value = edge[key]
                ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key}).text = (
                    repr(float(value)) if isinstance(value, float) else str(value))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
