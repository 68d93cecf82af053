"""Every engine gives the same records, record for record: one process, worker processes, Dask."""

import json

import pytest

from equipoise import api
from equipoise.sources import default_corpus
from equipoise.store import Store

TABLES = ("documents", "mentions", "relations", "facts", "memberships")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The reference article and 30 VOA stories, plus one empty text and a duplicate."""
    folder = tmp_path_factory.mktemp("corpus")
    article, voa = default_corpus()
    (folder / article.name).write_text(article.read_text())
    stories = voa.read_text().splitlines()[:30]
    (folder / "stories.jsonl").write_text("\n".join(stories + [stories[0], '{"text": "  "}']) + "\n")
    return folder


@pytest.fixture(scope="module")
def single(corpus):
    return list(api.extract([corpus]))


def test_engines_workers_give_identical_records(corpus, single):
    assert len(single) > 1000
    assert list(api.extract([corpus], workers=2)) == single


def test_engines_dask_local_cluster_gives_identical_records(corpus, single):
    assert list(api.extract([corpus], cluster="local")) == single


def stored_rows(db) -> dict[str, list[str]]:
    with Store(db, read_only=True) as store:
        return {table: sorted(json.dumps(row, sort_keys=True, default=str)
                              for row in store.query(f"SELECT * EXCLUDE ({'run' if table == 'documents' else 'doc'}) "
                                                     f"FROM {table}" if table == "documents" else
                                                     f"SELECT * FROM {table}"))
                for table in TABLES}


@pytest.mark.parametrize("engine", [{"workers": 2}, {"cluster": "local"}], ids=["workers", "dask"])
def test_engines_store_identical_rows(corpus, tmp_path, engine):
    one = api.analyze([corpus], db=tmp_path / "one.duckdb")
    other = api.analyze([corpus], db=tmp_path / "other.duckdb", **engine)
    assert other["counts"] == one["counts"]
    assert [r["reason"] for r in other["rejected"]] == [r["reason"] for r in one["rejected"]]
    assert stored_rows(tmp_path / "other.duckdb") == stored_rows(tmp_path / "one.duckdb")


def test_engines_import_workers_store_identical_rows(tmp_path):
    from pathlib import Path

    from equipoise.eventdata import import_events

    fixtures = [Path(__file__).parent / "data" / name for name in
                ("gdelt2-20191024143000.export.tsv", "icews-events-2018-sample.tab")]
    rows = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            counts = import_events(fixtures, store, workers=workers)["counts"]
            rows.append((counts, sorted(json.dumps(r, sort_keys=True, default=str)
                                        for r in store.query("SELECT * FROM relations"))))
    assert rows[0] == rows[1]
