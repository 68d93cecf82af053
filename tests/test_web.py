"""The web app (equipoise.web) through FastAPI's TestClient: every route with good and bad input."""

from __future__ import annotations

import io
import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from equipoise import api  # noqa: E402
from equipoise.store import Store  # noqa: E402
from equipoise.web import MAX_BODY, create_app, highlight  # noqa: E402

NEW_ARTICLE = ("Kazakhstan and China signed a new agreement on Monday to expand oil pipeline cooperation, "
               "officials in Astana said. Kazakhstan also held talks with the European Union on trade. "
               "Relations between Kazakhstan and Russia remain tense over customs disputes.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "store.duckdb"
    api.analyze(db=path)  # the bundled corpus: the reference article and the VOA stories
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def test_index_lists_countries_and_filters(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'href="/countries/AZE"' in page.text and "Azerbaijan" in page.text
    assert 'id="filter"' in page.text and "/static/app.js" in page.text
    filtered = client.get("/", params={"q": "azer"})
    assert "/countries/AZE" in filtered.text and "/countries/USA" not in filtered.text
    assert "No country matches" in client.get("/", params={"q": "zzzz"}).text
    assert client.get("/", params={"q": "x" * 101}).status_code == 422


def test_api_countries(client):
    rows = client.get("/api/countries").json()["countries"]
    ids = [r["id"] for r in rows]
    assert "AZE" in ids and "TUR" in ids
    assert "NATO" not in ids and "EU" not in ids  # states only
    aze = next(r for r in rows if r["id"] == "AZE")
    assert 0 <= aze["balance"] <= 1 and aze["tilt"]["bloc"]
    assert [r["id"] for r in client.get("/api/countries", params={"q": "Azerbaijan"}).json()["countries"]] == ["AZE"]
    assert client.get("/api/countries", params={"q": "aze"}).json()["countries"][0]["id"] == "AZE"


def test_api_profile_is_the_profile_json(client, db):
    from equipoise.analysis import as_json, profile

    body = client.get("/api/profile/AZE").json()
    with Store(db, read_only=True) as store:
        assert body == json.loads(json.dumps(as_json(profile(store, "AZE"))))
    assert body["partners"][0]["actor"] == "TUR" and body["partners"][-1]["actor"] == "ARM"
    assert client.get("/api/profile/aze").json()["country"] == "AZE"
    assert client.get("/api/profile/AZE", params={"by": "year"}).json()["series"]


def test_api_profile_filters(client):
    energy = client.get("/api/profile/AZE", params={"dimension": "energy"}).json()
    assert energy["partners"] and all(set(p["dimensions"]) == {"energy"} for p in energy["partners"])
    assert client.get("/api/profile/AZE", params={"dataset": "text"}).json() == client.get("/api/profile/AZE").json()
    assert client.get("/api/profile/AZE", params={"dataset": "icews"}).json()["partners"] == []
    assert client.get("/api/profile/AZE", params={"since": "2999"}).json()["partners"] == []


@pytest.mark.parametrize("url, status", [
    ("/api/profile/XXX", 404),
    ("/api/profile/AZE?since=yesterday", 422),
    ("/api/profile/AZE?until=2024-1", 422),
    ("/api/profile/AZE?since=2024&until=2020", 422),
    ("/api/profile/AZE?by=week", 422),
    ("/api/profile/AZE?dimension=sports", 422),
    ("/api/profile/AZE?dataset=Robert'); DROP TABLE relations;--", 422),
])
def test_api_profile_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json") and "detail" in response.json()


def test_api_relations_filters_and_paging(client):
    first = client.get("/api/relations", params={"actor": "AZE", "partner": "TUR", "limit": 3}).json()
    assert first["total"] >= 5 and len(first["relations"]) == 3
    assert all({r["source"], r["target"]} == {"AZE", "TUR"} for r in first["relations"])
    rest = client.get("/api/relations", params={"actor": "AZE", "partner": "TUR", "limit": 3, "offset": 3}).json()
    assert rest["offset"] == 3 and rest["relations"][0] != first["relations"][0]
    energy = client.get("/api/relations", params={"actor": "aze", "dimension": "energy", "dataset": "text"}).json()
    assert energy["relations"] and {r["dimension"] for r in energy["relations"]} == {"energy"}
    dated = client.get("/api/relations", params={"since": "2015", "until": "2030", "limit": 1000}).json()
    assert all(r["date"] and "2015" <= r["date"][:4] <= "2030" for r in dated["relations"])
    assert client.get("/api/relations", params={"dataset": "gdelt1"}).json()["total"] == 0
    assert client.get("/api/relations", params={"limit": 1000}).status_code == 200


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"offset": -1}, {"actor": "NOSUCH"},
                                    {"actor": "A'Z"}, {"dimension": "sports"}, {"since": "May 2020"},
                                    {"limit": "many"}])
def test_api_relations_bad_parameters(client, params):
    response = client.get("/api/relations", params=params)
    assert response.status_code == 422 and response.json()["detail"]


def test_api_document(client):
    doc = client.get("/api/relations", params={"actor": "AZE", "partner": "TUR", "limit": 1}).json()["relations"][0]["doc"]
    body = client.get(f"/api/documents/{doc}").json()
    assert body["document"]["id"] == doc and body["mentions"] and body["relations"]
    assert client.get("/api/documents/0000000000000000").status_code == 404
    assert client.get("/api/documents/' OR 1=1 --").status_code == 404


def test_country_page(client):
    page = client.get("/countries/AZE")
    assert page.status_code == 200
    text = page.text
    assert "Balance profile of Azerbaijan" in text and '<script src="/static/plotly.min.js">' in text
    assert "cdn" not in text.lower()
    assert text.index('data-actor="TUR"') < text.index('data-actor="ARM"')
    assert 'id="ev-TUR-energy"' in text and 'class="actor focal"' in text and 'class="actor partner"' in text
    assert 'class="cue"' in text and "/documents/" in text
    assert 'id="chart-dimensions"' in text and "Plotly.newPlot" in text
    assert client.get("/countries/aze").status_code == 200


def test_country_page_filters(client):
    page = client.get("/countries/AZE", params={"dimension": "energy", "since": "", "until": "", "by": "quarter",
                                                "dataset": "text"})
    assert page.status_code == 200 and "dimension energy" in page.text
    assert 'id="ev-TUR-security"' not in page.text and 'id="ev-TUR-energy"' in page.text
    assert "No counted relations" in client.get("/countries/AZE", params={"since": "2999"}).text


@pytest.mark.parametrize("url, status", [("/countries/XXX", 404), ("/countries/AZE?since=soon", 422),
                                         ("/countries/AZE?by=week", 422), ("/countries/AZE?dimension=art", 422),
                                         ("/nowhere", 404)])
def test_page_errors_are_html(client, url, status):
    response = client.get(url)
    assert response.status_code == status and "text/html" in response.headers["content-type"]
    assert f"Error {status}" in response.text


def test_document_page_highlights(client):
    doc = client.get("/api/relations", params={"actor": "AZE", "partner": "TUR", "limit": 1}).json()["relations"][0]
    page = client.get(f"/documents/{doc['doc']}", params={"s": doc["sentence"]})
    assert page.status_code == 200
    assert '<mark class="actor' in page.text and "cue pos" in page.text
    assert f'id="s{doc["sentence"]}"' in page.text and "focus" in page.text
    assert client.get("/documents/0000000000000000").status_code == 404
    assert client.get(f"/documents/{doc['doc']}", params={"s": -1}).status_code == 422


def test_static_files_only_from_the_package(client):
    assert client.get("/static/app.css").status_code == 200
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 1_000_000
    for url in ("/static/../pyproject.toml", "/static/%2e%2e/web.py", "/static/..%2fweb.py", "/static/nothing.js"):
        assert client.get(url).status_code == 404


def test_openapi(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/countries", "/api/profile/{actor}", "/api/relations", "/api/documents/{doc_id}",
            "/api/analyse"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_analyse_page_paste_without_storing(client, db):
    assert 'name="text"' in client.get("/analyse").text
    with Store(db, read_only=True) as store:
        before = store.count("documents")
    page = client.post("/analyse", data={"text": NEW_ARTICLE, "title": "Pipeline news"})
    assert page.status_code == 200
    assert "Kazakhstan (KAZ)" in page.text and "China (CHN)" in page.text and "cue:signed" in page.text
    assert '<mark class="actor' in page.text and "Balance index" in page.text
    with Store(db, read_only=True) as store:
        assert store.count("documents") == before


def test_analyse_page_upload_and_store(tmp_path):
    path = tmp_path / "fresh.duckdb"
    client = TestClient(create_app(path))  # a missing store is created empty
    assert "The store is empty" in client.get("/").text
    lines = "\n".join(json.dumps({"text": t, "date": "2024-03-01"}) for t in NEW_ARTICLE.split(". "))
    page = client.post("/analyse", data={"store": "true"},
                       files={"file": ("news.jsonl", io.BytesIO(lines.encode()), "application/json")})
    assert page.status_code == 200 and 'id="stored"' in page.text
    with Store(path, read_only=True) as store:
        assert store.count("documents") == 3 and store.runs()[-1]["command"] == "serve"
    assert "/countries/KAZ" in client.get("/").text  # the index cache follows the store
    html = b"<html><body><article><p>" + NEW_ARTICLE.encode() + b"</p></article></body></html>"
    assert client.post("/analyse", files={"file": ("a.html", html, "text/html")}).status_code == 200


@pytest.mark.parametrize("data, files, status", [
    ({}, None, 400),
    ({"text": "   "}, None, 400),
    ({"text": NEW_ARTICLE, "date": "Monday"}, None, 400),
    ({"text": NEW_ARTICLE, "country": "XXX"}, None, 400),
    ({}, {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}, 400),
    ({}, {"file": ("a.txt", b"\x00\x01\x02binary", "text/plain")}, 400),
])
def test_analyse_page_errors(client, data, files, status):
    response = client.post("/analyse", data=data, files=files)
    assert response.status_code == status and "Error" in response.text


def test_request_size_limit(client):
    response = client.post("/analyse", data={"text": "a" * (MAX_BODY + 10)})
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    response = client.post("/api/analyse", content=b"{" + b" " * MAX_BODY + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_api_analyse(client, db):
    body = client.post("/api/analyse", json={"text": NEW_ARTICLE, "country": "kaz"}).json()
    assert body["country"] == "KAZ" and body["stored"] is None
    relations = [r for r in body["documents"][0]["records"] if r["kind"] == "relation"]
    assert {(r["source"], r["target"]) for r in relations} >= {("KAZ", "CHN"), ("KAZ", "RUS")}
    assert {p["actor"] for p in body["profile"]["partners"]} >= {"CHN", "RUS"}
    assert client.post("/api/analyse", json={"text": ""}).status_code == 422
    assert client.post("/api/analyse", json={"text": NEW_ARTICLE, "date": "soon"}).status_code == 422
    assert client.post("/api/analyse", json={"text": NEW_ARTICLE, "country": "XXX"}).status_code == 422
    assert client.post("/api/analyse", content=b"not json", headers={"content-type": "application/json"}).status_code == 422


def test_highlight_segments_overlapping_spans():
    segments = highlight("Turkey helps Azerbaijan.", [
        {"start": 0, "end": 6, "cls": "actor", "title": "TUR"},
        {"start": 7, "end": 12, "cls": "cue", "title": "cue:helps"},
        {"start": 0, "end": 24, "cls": "sentence", "anchor": "s0"},
        {"start": 30, "end": 40, "cls": "actor"},  # out of range: ignored
    ])
    assert "".join(s["text"] for s in segments) == "Turkey helps Azerbaijan."
    assert segments[0] == {"text": "Turkey", "classes": "actor sentence", "title": "TUR", "anchor": "s0"}
    assert segments[2]["classes"] == "cue sentence" and segments[-1]["anchor"] is None
