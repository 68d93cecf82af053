"""The bench command runs end to end and reports its figures (speed is measured by it, not here)."""

import json

from typer.testing import CliRunner

from equipoise.bench import build_corpus
from equipoise.cli import app


def test_bench_corpus_has_the_size_asked_and_distinct_documents(tmp_path):
    counts = build_corpus(0.5, tmp_path / "c.jsonl")
    lines = (tmp_path / "c.jsonl").read_text().splitlines()
    assert counts["documents"] == len(lines) and 0.5 <= counts["megabytes"] < 0.6
    assert len({json.loads(line)["text"] for line in lines}) == len(lines)


def test_bench_json_figures():
    result = CliRunner().invoke(app, ["bench", "--size", "0.2", "--relations", "5000", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    for key in ("words_per_second_per_core", "documents_per_second_per_core", "peak_memory_mb", "workers",
                "baselines", "profile_query_seconds"):
        assert key in figures
    assert figures["words_per_second_per_core"] > 0 and figures["peak_memory_mb"] > 0
    assert figures["baselines"]["spacy_blank_sentencizer"] > 0
    assert figures["baselines"]["spacy_en_core_web_sm_full"] > 0
    assert figures["fast"]["words_per_second_per_core"] > 0 and figures["fast"]["peak_memory_mb"] > 0
    assert 0 < figures["profile_query_seconds"]
