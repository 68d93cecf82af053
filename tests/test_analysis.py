"""Profiles: figures computed by hand on a constructed store, and real profiles on the reference
article, the bundled VOA stories and the imported ICEWS fixture."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equipoise import api
from equipoise.analysis import as_json, bloc_balance, profile
from equipoise.cli import app
from equipoise.document import Document, Relation
from equipoise.eventdata import import_events
from equipoise.sources import default_corpus
from equipoise.store import Store

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def hand_built(relations: list[tuple[str, str, float, str, str, str]]) -> Document:
    """A document whose relations are given as (source, target, score, dimension, modality, date)."""
    doc = Document("Hand-built relations for a test.", source="test")
    doc.relations = [Relation(0, s, t, dim, score, None, modality, date, doc.text, "test", 0, 4)
                     for s, t, score, dim, modality, date in relations]
    return doc


@pytest.fixture
def kazakhstan_db(tmp_path) -> Path:
    with Store(tmp_path / "k.duckdb") as store:
        store.add_documents([hand_built([
            ("KAZ", "USA", 4.0, "economy", "asserted", "2021"),
            ("EU", "KAZ", 2.0, "diplomacy", "asserted", "2021-03-04"),
            ("KAZ", "RUS", 6.0, "security", "asserted", "2022-05-01"),
            ("RUS", "KAZ", -2.0, "diplomacy", "hypothetical", "2022-11-20"),
            ("CHN", "KAZ", 3.0, "economy", "asserted", "2022"),
            ("KAZ", "KGZ", -1.0, "security", "asserted", "2022"),
            ("KAZ", "JPN", 5.0, "economy", "negated", "2022"),  # negated: left out
            ("KAZ", "KAZ", -3.0, "security", "asserted", "2022"),  # domestic: left out
        ])])
    return tmp_path / "k.duckdb"


@pytest.fixture
def kazakhstan(kazakhstan_db):
    with Store(kazakhstan_db, read_only=True) as store:
        yield store


def test_profile_figures_by_hand(kazakhstan):
    result = profile(kazakhstan, "KAZ")
    scores = {p["actor"]: p["score"] for p in result["partners"]}
    # RUS: (1.0 * 6 + 0.5 * -2) / (1.0 + 0.5) = 3.333
    assert scores == {"USA": 4.0, "RUS": 3.333, "CHN": 3.0, "EU": 2.0, "KGZ": -1.0}
    blocs = result["blocs"]
    assert blocs["WEST"]["affinity"] == 6.0 and blocs["RUSSIA-LED"]["affinity"] == 3.333
    assert blocs["NEIGHBOURS"]["members"] == ["KGZ"] and blocs["NEIGHBOURS"]["share"] == 0.0
    # shares: 6 / 12.333, 3.333 / 12.333, 3 / 12.333
    assert blocs["WEST"]["share"] == pytest.approx(0.4865, abs=1e-4)
    assert blocs["RUSSIA-LED"]["share"] == pytest.approx(0.2703, abs=1e-4)
    assert blocs["CHINA"]["share"] == pytest.approx(0.2432, abs=1e-4)
    # four blocs dealt with: -(0.4865 ln 0.4865 + 0.2703 ln 0.2703 + 0.2432 ln 0.2432) / ln 4
    assert result["balance"] == pytest.approx(0.7559, abs=1e-3)
    assert result["tilt"] == {"bloc": "WEST", "share": 0.4865, "margin": 0.2162}
    assert result["sources"] == {"text": 6}


def test_profile_periods_and_dates(kazakhstan):
    result = profile(kazakhstan, "KAZ", by="year")
    assert [p["period"] for p in result["series"]] == ["2021", "2022"]
    assert result["series"][0]["tilt"]["bloc"] == "WEST" and result["series"][0]["balance"] == 0.0
    later = profile(kazakhstan, "KAZ", since="2022-01-01")
    assert {p["actor"] for p in later["partners"]} == {"RUS", "CHN", "KGZ"}
    quarters = profile(kazakhstan, "KAZ", by="quarter")
    assert [p["period"] for p in quarters["series"]] == ["2021-Q1", "2022-Q2", "2022-Q4"]


@pytest.mark.parametrize("scores,balance,tilt", [
    ({"USA": 5.0}, 0.0, "WEST"),  # one side only
    ({"USA": 3.0, "RUS": 3.0}, 1.0, "RUSSIA-LED"),  # even: ties go by name
    ({"USA": -3.0, "RUS": -2.0}, 0.0, None),  # no positive affinity: no tilt
])
def test_bloc_balance_edges(scores, balance, tilt):
    result = bloc_balance(scores, {"WEST": ["USA"], "RUSSIA-LED": ["RUS"], "CHINA": ["CHN"]})
    assert result["balance"] == balance
    assert (result["tilt"] or {}).get("bloc") == tilt


def test_profile_user_blocs(kazakhstan_db, tmp_path):
    blocs = tmp_path / "blocs.json"
    blocs.write_text(json.dumps({"blocs": {"EAST": ["CHN", "RUS"], "WEST": ["USA", "EU"]}}))
    result = runner.invoke(app, ["profile", "KAZ", "--db", str(kazakhstan_db), "--blocs", str(blocs), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures["blocs"]) == {"EAST", "WEST"}
    assert figures["tilt"]["bloc"] == "EAST"  # 6.333 against 6.0
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert runner.invoke(app, ["profile", "KAZ", "--db", str(kazakhstan_db), "--blocs", str(bad)]).exit_code == 1


def test_profile_reference_article(reference_article, tmp_path):
    db = tmp_path / "a.duckdb"
    api.analyze([reference_article], db=db)
    result = runner.invoke(app, ["profile", "AZE", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    ranked = [p["actor"] for p in figures["partners"]]
    assert ranked[0] == "TUR" and ranked[-1] == "ARM"
    assert 0 < figures["balance"] < 1
    with Store(db, read_only=True) as store:
        russia = [r["score"] for r in store.relations_of("RUS") if "AZE" in (r["source"], r["target"])
                  and r["modality"] != "negated"]
    assert min(russia) < 0 < max(russia)


def test_profile_voa_corpus(tmp_path):
    voa = default_corpus()[1]
    summary = api.analyze([voa], db=tmp_path / "v.duckdb", country="USA")
    figures = as_json(summary["profile"])
    assert summary["counts"]["documents"] == 89
    assert len(figures["partners"]) > 20
    # the balance is even only between blocs the country has positive ties with
    positive = [b for b in figures["blocs"].values() if b["affinity"] > 0]
    assert 0 <= figures["balance"] < 1 and (figures["balance"] > 0) == (len(positive) > 1)
    assert figures["tilt"]["bloc"] in figures["blocs"]
    assert len(figures["series"]) >= 3  # dated stories, 2019 to 2025
    assert figures["sources"]["text"] == sum(p["relations"] for p in figures["partners"])


def test_profile_icews_fixture(tmp_path):
    with Store(tmp_path / "i.duckdb") as store:
        import_events([DATA / "icews-events-2018-sample.tab"], store)
        figures = as_json(profile(store, "VNM", by="month"))
    partners = {p["actor"]: p for p in figures["partners"]}
    assert {"JPN", "CHN", "USA"} <= set(partners)
    assert figures["sources"] == {"icews": 37}
    assert [p["period"] for p in figures["series"]] == ["2018-06"]
    assert figures["blocs"]["WEST"]["members"] and figures["blocs"]["CHINA"]["members"] == ["CHN"]
