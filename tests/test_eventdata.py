"""Event-data import (GDELT 1.0, GDELT 2.0, ICEWS): counts pinned per fixture, malformed input, re-import."""

from __future__ import annotations

import gzip
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equipoise.cli import app
from equipoise.eventdata import detect, gdelt_actor, icews_actor, import_events, plover_type, quad, read_events
from equipoise.store import Store

DATA = Path(__file__).parent / "data"
GDELT1 = DATA / "gdelt1-events-20160728.tsv"
GDELT2 = DATA / "gdelt2-20191024143000.export.tsv"
ICEWS = DATA / "icews-events-2018-sample.tab"

# rows read, records stored, duplicates folded, rows rejected, unmapped (source or target not a known actor)
PINNED = {
    GDELT1: ("gdelt1", 710, 187, 0, 0, 523),
    GDELT2: ("gdelt2", 2111, 357, 206, 0, 1548),
    ICEWS: ("icews", 3705, 3531, 0, 0, 174),
}


@pytest.mark.parametrize("path", list(PINNED), ids=lambda p: p.name)
def test_fixture_counts(path):
    fmt, read, stored, folded, rejected, unmapped = PINNED[path]
    with Store(":memory:") as store:
        result = import_events([path], store)
        counts = result["counts"]
        assert result["files"][0]["format"] == fmt
        assert (counts["read"], counts["stored"], counts["folded"], counts["rejected"], counts["unmapped"]) == \
            (read, stored, folded, rejected, unmapped)
        assert counts["read"] == counts["stored"] + counts["folded"] + counts["rejected"] + counts["unmapped"]
        assert store.count("relations") == stored
        assert store.query("SELECT DISTINCT dataset FROM relations") == [{"dataset": fmt}]
        run = store.runs()[-1]
        assert run["command"] == "import" and run["counts"]["stored"] == stored and run["rejected"] == []


def test_gdelt2_fixture_shape():
    urls = Counter(line.rstrip("\n").split("\t")[-1] for line in GDELT2.open(encoding="utf-8"))
    assert sum(urls.values()) == 2111 and len(urls) == 425 and max(urls.values()) == 96


def test_gdelt2_fold_key_and_fields():
    with Store(":memory:") as store:
        import_events([GDELT2], store)
        dup = store.query("SELECT date, source, target, event_code, evidence, count(*) AS n FROM relations "
                          "GROUP BY ALL HAVING n > 1")
        assert dup == []
        row = store.query("SELECT * FROM relations WHERE source = 'EU' ORDER BY event_key LIMIT 1")[0]
        assert row["rule"] == "cameo:" + row["event_code"] and row["type"] and row["quad"] in (1, 2, 3, 4)
        assert row["modality"] == "asserted" and row["evidence"].startswith("http")
        assert row["source_detail"] == "IGOEUREEC"
        assert row["is_root"] in (True, False) and row["event_key"].startswith("gdelt2:")


def test_icews_fields_and_swapped_pairs_kept():
    with Store(":memory:") as store:
        import_events([ICEWS], store)
        rows = store.query("SELECT * FROM relations WHERE event_key IN ('icews:32889836', 'icews:32889837') "
                           "ORDER BY event_key")
        assert [(r["source"], r["target"]) for r in rows] == [("BGD", "VNM"), ("VNM", "BGD")]
        assert rows[0]["evidence"] == "story 47400351 sentence 2" and rows[0]["type"] == "CONSULT"
        assert rows[0]["source_detail"] == "Foreign Affairs (Bangladesh) [Executive,Foreign Ministry,Government]"
        assert rows[0]["date"] == "2018-06-01" and rows[0]["dimension"] == "diplomacy"


def test_mappings():
    assert gdelt_actor("IGOEUREEC", "EUR") == ("EU", "IGOEUREEC")
    assert gdelt_actor("IGOUNODEVWBK", "")[0] == "WORLD_BANK"
    assert gdelt_actor("IGOUNO", "") == ("UN", "IGOUNO")
    assert gdelt_actor("USAGOV", "USA") == ("USA", "GOV")
    assert gdelt_actor("ROMMIL", "ROM") == ("ROU", "MIL")
    assert gdelt_actor("AFR", "AFR") == (None, "AFR")
    assert icews_actor("Citizen (Russia)", "Russian Federation") == "RUS"
    assert icews_actor("European Union", "NA") == "EU"
    assert icews_actor("Antonio Tajani", "NA") is None
    assert plover_type("0874") == "RETREAT" and plover_type("190") == "ASSAULT" and plover_type("010") is None
    assert quad("010", None) == 1 and quad("190", "ASSAULT") == 4
    assert detect(ICEWS.open(encoding="utf-8").readline()) == "icews"


def test_compressed_input(tmp_path):
    gz = tmp_path / "icews.tab.gz"
    gz.write_bytes(gzip.compress(ICEWS.read_bytes()))
    archive = tmp_path / "gdelt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(GDELT2, "20191024143000.export.CSV")
    with Store(":memory:") as store:
        counts = import_events([gz, archive], store)["counts"]
        assert (counts["read"], counts["stored"], counts["folded"]) == (3705 + 2111, 3531 + 357, 206)


def test_double_import_adds_nothing(tmp_path):
    db = tmp_path / "events.duckdb"
    with Store(db) as store:
        first = import_events([ICEWS, GDELT2], store)["counts"]
    with Store(db) as store:
        second = import_events([ICEWS, GDELT2], store)["counts"]
        assert store.count("relations") == first["stored"] == 3531 + 357
    assert second["stored"] == 0 and second["already_stored"] == first["stored"]


def test_malformed_file(tmp_path):
    lines = ICEWS.read_bytes().split(b"\n")
    good = lines[1:6]
    bad_date = good[0].replace(b"2018-06-01", b"2018-13-45")
    unknown_code = good[1].replace(b"\t040\t", b"\t999\t")
    truncated = good[2][: len(good[2]) // 2]
    extra = good[3] + b"\textra"
    garbage = b"\x89PNG\x1a\x00\xff\xfe binary"
    body = [lines[0], good[4], bad_date, unknown_code, truncated, extra, garbage, good[0]]
    path = tmp_path / "bad.tab"
    path.write_bytes(b"\n".join(body) + b"\n")
    with Store(":memory:") as store:
        result = import_events([path], store)
    counts = result["counts"]
    assert (counts["read"], counts["stored"], counts["rejected"]) == (7, 2, 5)
    reasons = {item["line"]: item["reason"] for item in result["rejected"]}
    assert reasons[3] == "bad date '2018-13-45'"
    assert reasons[4] == "unknown CAMEO code '999'"
    assert reasons[5].startswith("wrong column count") and reasons[6] == "wrong column count (21, expected 20)"
    assert "binary" in reasons[7]


def test_garbage_file_rejected_whole(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 20)
    with Store(":memory:") as store:
        result = import_events([path], store)
    assert result["counts"]["stored"] == 0 and result["rejected"][0]["line"] == 1
    assert list(read_events(GDELT2, format="gdelt2"))[0]["dataset"] == "gdelt2"


def test_cli_import_and_profile(tmp_path):
    db = tmp_path / "events.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(ICEWS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "3705 rows read, 3531 records stored" in result.output
    result = runner.invoke(app, ["profile", "VNM", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Balance profile of Vietnam (VNM)" in result.output
    for partner in ("Japan (JPN)", "China (CHN)", "Bangladesh (BGD)"):
        assert partner in result.output
    # 46 VNM events, of which 9 are listed twice with source and target swapped: counted once
    assert "Relations by data set: icews 37" in result.output
    bad = tmp_path / "bad.tab"
    bad.write_bytes(ICEWS.read_bytes()[:2000] + b"\n2018\tbroken\n")
    result = runner.invoke(app, ["import", str(bad), "--db", str(db)])
    assert result.exit_code == 2
    assert runner.invoke(app, ["import", str(tmp_path / "missing.tab"), "--db", str(db)]).exit_code == 1

