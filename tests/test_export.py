import csv
import json
import xml.etree.ElementTree as ET

import duckdb
import pytest
from typer.testing import CliRunner

from equipoise import api
from equipoise.cli import app
from equipoise.errors import EquipoiseError, UnknownActor
from equipoise.export import TABLES, export
from equipoise.store import Store

runner = CliRunner()
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def db(reference_article, tmp_path_factory):
    """A store built from the bundled reference article by the real pipeline."""
    path = tmp_path_factory.mktemp("export") / "e.duckdb"
    with Store(path) as store:
        run = store.start_run("test", {})
        counts = store.add_documents(api.process([reference_article]), run)
        store.finish_run(run, counts, [])
    return path


@pytest.fixture
def store(db):
    with Store(db, read_only=True) as store:
        yield store


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def columns(store, table):
    return [row[0] for row in store.db.execute(f"DESCRIBE {table}").fetchall()]


def graphml(path):
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS)}
    nodes = {n.get("id"): {keys[d.get("key")]: d.text for d in n.findall("g:data", NS)}
             for n in root.findall("g:graph/g:node", NS)}
    edges = {frozenset((e.get("source"), e.get("target"))): {keys[d.get("key")]: d.text for d in e.findall("g:data", NS)}
             for e in root.findall("g:graph/g:edge", NS)}
    return root, nodes, edges


def test_csv_has_every_table_with_its_rows(store, tmp_path):
    written = export(store, "csv", tmp_path / "csv")
    assert [p.name for p in written] == [f"{t}.csv" for t in TABLES]
    assert store.count("relations") > 20
    for table, path in zip(TABLES, written):
        with path.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == columns(store, table)
        assert len(read_csv(path)) == store.count(table)
    text = read_csv(tmp_path / "csv" / "documents.csv")[0]["text"]
    assert text.startswith("TEHRAN") and "\n" in text  # the text column is kept, newlines and all


def test_parquet_reads_back_with_the_same_counts(store, tmp_path):
    written = export(store, "parquet", tmp_path / "pq")
    for table, path in zip(TABLES, written):
        assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == store.count(table)
    scores = duckdb.sql(f"SELECT sum(score) FROM '{tmp_path / 'pq' / 'relations.parquet'}'").fetchall()[0][0]
    assert scores == pytest.approx(store.db.execute("SELECT sum(score) FROM relations").fetchall()[0][0])


def test_json_is_one_object_of_tables(store, tmp_path):
    [path] = export(store, "json", tmp_path / "e.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == list(TABLES)
    for table in TABLES:
        assert len(data[table]) == store.count(table)
    assert set(columns(store, "relations")) == set(data["relations"][0])
    assert data["runs"][0]["counts"]["relations"] == store.count("relations")  # decoded, not a JSON string


def test_graphml_has_actors_and_signed_edges(store, tmp_path):
    [path] = export(store, "graphml", tmp_path / "g.graphml")
    root, nodes, edges = graphml(path)
    assert root.find("g:graph", NS).get("edgedefault") == "undirected"
    assert nodes["AZE"] == {"name": "Azerbaijan", "label": "Azerbaijan", "kind": "state"}
    assert nodes["TUR"]["name"] == "Turkey"
    assert nodes["EU"]["kind"] == "organisation"
    turkey, armenia = edges[frozenset(("AZE", "TUR"))], edges[frozenset(("AZE", "ARM"))]
    assert float(turkey["score"]) > 0 and int(turkey["positive"]) > int(turkey["negative"])
    assert float(armenia["score"]) < 0 and int(armenia["negative"]) > 0
    stored = store.db.execute("SELECT count(*) FROM relations WHERE (source = 'AZE' AND target = 'TUR') "
                              "OR (source = 'TUR' AND target = 'AZE')").fetchall()[0][0]
    assert int(turkey["weight"]) == stored
    assert any(key.startswith("score_") for key in turkey)
    # one edge per unordered pair, no self-loops
    assert all(len(pair) == 2 for pair in edges)
    raw = [(e.get("source"), e.get("target")) for e in root.findall("g:graph/g:edge", NS)]
    assert len(raw) == len(edges)


def test_country_restricts_every_export(store, tmp_path):
    folder = tmp_path / "aze"
    export(store, "csv", folder, country="AZE")
    relations = read_csv(folder / "relations.csv")
    expected = store.db.execute("SELECT count(*) FROM relations WHERE source = 'AZE' OR target = 'AZE'").fetchall()[0][0]
    assert len(relations) == expected < store.count("relations")
    assert all("AZE" in (r["source"], r["target"]) for r in relations)
    assert all("AZE" in (f["a"], f["b"]) for f in read_csv(folder / "facts.csv"))
    assert {m["actor"] for m in read_csv(folder / "mentions.csv")} == {"AZE"}

    [path] = export(store, "graphml", tmp_path / "aze.graphml", country="AZE")
    _, nodes, edges = graphml(path)
    assert edges and all("AZE" in pair for pair in edges)  # the ego network: AZE and its partners
    assert {"AZE", "TUR", "ARM", "RUS"} <= set(nodes)

    [path] = export(store, "json", tmp_path / "tur.json", country="TUR")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["relations"] and all("TUR" in (r["source"], r["target"]) for r in data["relations"])


def test_unknown_country_and_format_are_errors(store, tmp_path):
    with pytest.raises(UnknownActor):
        export(store, "csv", tmp_path / "x", country="XXX")
    with pytest.raises(EquipoiseError):
        export(store, "xlsx", tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_cli_export(db, tmp_path):
    out = tmp_path / "aze.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "--country", "aze", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert graphml(out)[2][frozenset(("AZE", "TUR"))]
    result = runner.invoke(app, ["export", "--format", "csv", "--db", str(db), "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert result.output.count("wrote ") == len(TABLES)


def test_cli_export_errors(db, tmp_path):
    result = runner.invoke(app, ["export", "--format", "csv", "--country", "XXX", "--db", str(db),
                                 "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "E001" in result.output
    result = runner.invoke(app, ["export", "--format", "xlsx", "--db", str(db)])
    assert result.exit_code == 1
    result = runner.invoke(app, ["export", "--format", "csv", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 1
