import json
import re

from typer.testing import CliRunner

from equipoise.cli import app

runner = CliRunner()


def test_cli_analyze_reference_article(reference_article, tmp_path):
    db, out = tmp_path / "e.duckdb", tmp_path / "report"
    result = runner.invoke(app, ["analyze", str(reference_article), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Balance profile of Azerbaijan (AZE)" in result.output
    partners_table = result.output.split("Blocs")[0]
    ranked = [line for line in partners_table.splitlines() if line.strip().startswith("│")]
    assert "Turkey" in ranked[0] and "Armenia" in ranked[-1]
    html = (out / "index.html").read_text()
    assert "Balance profile of Azerbaijan" in html
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']?https?:", html)  # nothing fetched
    assert db.exists()


def test_cli_analyze_again_adds_nothing(reference_article, tmp_path):
    args = ["analyze", str(reference_article), "--db", str(tmp_path / "e.duckdb"), "--out", str(tmp_path / "r")]
    runner.invoke(app, args)
    result = runner.invoke(app, args)
    assert "0 stored, 1 already stored" in result.output


def test_cli_extract_jsonl_contract(reference_article):
    result = runner.invoke(app, ["extract", str(reference_article), "--format", "jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = {r["kind"] for r in records}
    assert kinds == {"mention", "relation", "fact", "membership"}
    for record in records:
        assert {"kind", "doc", "sentence"} <= record.keys()
    relation = next(r for r in records if r["kind"] == "relation")
    assert {"source", "target", "dimension", "score", "type", "modality", "date", "evidence", "rule"} <= relation.keys()
    fact = next(r for r in records if r["kind"] == "fact")
    assert {"pair", "measure", "value", "unit", "bound", "year", "evidence"} <= fact.keys()


def test_cli_extract_csv(reference_article):
    result = runner.invoke(app, ["extract", str(reference_article), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("kind,doc,sentence")


def test_cli_rejects_missing_path_and_unknown_country(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file" in result.output
    article = tmp_path / "a.txt"
    article.write_text("Turkey is an ally of Azerbaijan.")
    result = runner.invoke(app, ["analyze", str(article), "--country", "XYZ", "--db", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 1 and "unknown actor" in result.output


def test_cli_reports_rejected_inputs(tmp_path):
    (tmp_path / "good.txt").write_text("Georgia is a key partner for Armenia.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "broken.jsonl").write_text('{"text": "Iran and Iraq signed a deal."}\nnot json\n')
    result = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "e.duckdb"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    output = " ".join(result.output.split())  # rich wraps long paths
    assert "2 documents read, 2 stored" in output
    assert "empty.txt: empty file" in output and "broken.jsonl:2: invalid JSON line" in output


def test_cli_help_explains_every_command():
    for command in ("analyze", "extract", "eval"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
