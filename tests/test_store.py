import json

from equipoise.document import Document
from equipoise.store import Store


def test_store_round_trip(run, tmp_path):
    doc = run("Turkey is an essential ally for Azerbaijan. In 2023 trade between them reached $6 billion. "
              "Azerbaijan isn't part of NATO.")
    with Store(tmp_path / "t.duckdb") as store:
        counts = store.add_documents([doc])
        assert counts["documents"] == 1
        assert counts["relations"] == len(doc.relations) > 0
    with Store(tmp_path / "t.duckdb") as store:
        # The store adds the data set each relation came from; the rest is the document's records.
        stored = [{k: v for k, v in r.items() if k != "dataset"} for r in store.records()]
        assert sorted(json.dumps(r, sort_keys=True) for r in stored) == sorted(json.dumps(r, sort_keys=True) for r in doc.records())
        assert store.query("SELECT text FROM documents")[0]["text"] == doc.text
        assert store.memberships_of("AZE")[0]["status"] == "no"
        assert store.facts_of("TUR")[0]["value"] == 6e9


def test_store_same_document_twice_adds_nothing(run, tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        store.add_documents([run("Georgia is a key partner for Armenia.")])
        counts = store.add_documents([run("Georgia is a key partner for Armenia.")])
        assert counts["documents"] == 0 and counts["skipped"] == 1
        assert store.count("documents") == 1
        assert store.count("relations") == 1


def test_store_records_runs(tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        run_id = store.start_run("analyze", {"paths": ["a.txt"]})
        store.finish_run(run_id, {"documents": 1}, [{"path": "b.bin", "line": None, "reason": "binary data, not text"}])
        (run,) = store.runs()
        assert run["settings"] == {"paths": ["a.txt"]}
        assert run["rejected"][0]["reason"] == "binary data, not text"


def test_store_failed_batch_leaves_nothing(tmp_path):
    good = Document("Georgia is a key partner for Armenia.")
    bad = Document("Georgia is a key partner for Armenia.")
    bad.relations = [None]  # cannot be stored: the whole batch must roll back
    with Store(tmp_path / "t.duckdb") as store:
        try:
            store.add_documents([Document("Some text."), bad])
        except Exception:
            pass
        assert store.count("documents") == 0
        store.add_documents([good])
        assert store.count("documents") == 1
