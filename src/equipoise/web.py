"""The local web app (`equipoise serve`): a thin shell over the Python API.

    >>> from equipoise.web import create_app
    >>> app = create_app("equipoise.duckdb")      # then: uvicorn.run(app, host="127.0.0.1")

Pages: the country index (``/``), a country's profile (``/countries/{id}``), a
document with its mentions and relations highlighted (``/documents/{id}``) and
"analyse a text" (``/analyse``). JSON: ``/api/countries``, ``/api/profile/{id}``,
``/api/relations``, ``/api/documents/{id}``, ``POST /api/analyse``; the OpenAPI
description is at ``/openapi.json``.

The store is opened read-only for each request; the one action that writes
(storing an analysed text) opens it read-write while holding an exclusive lock,
so reads and the write never overlap inside the process. Every query uses bound
parameters. The functions below the routes are plain functions over a Store and
can be called without HTTP.
"""

from __future__ import annotations

import re
import tempfile
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional

import duckdb
from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .actors import actor_name, actor_table
from .analysis import as_json, balance_index, focal_actor, profile
from .document import DIMENSIONS, Document
from .errors import EmptyStore, EquipoiseError
from .store import Store

MAX_BODY = 5 * 1024 * 1024
MAX_LIMIT = 1000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DATE_OR_EMPTY = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # HTML forms send empty fields
DATASET = r"^[a-z0-9_]{1,32}$"
ACTOR = r"^[A-Za-z0-9_]{1,40}$"
UPLOAD_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson"}
EVIDENCE_SHOWN = 25
STATIC = Path(__file__).parent / "static"


# -- the store: read-only per request, read-write only to store an analysed text -------------------


class StoreAccess:
    """Opens the store read-only for reads (many at once) and read-write for a write (alone).

    DuckDB refuses a read-write and a read-only connection to one file in one process at the
    same time, so a readers-writer lock keeps them apart.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            try:
                store = Store(self.path, read_only=True)
            except duckdb.Error as error:
                raise HTTPException(503, f"the store {self.path} cannot be opened now (is another "
                                         f"equipoise command writing to it?): {error}") from None
            with store:
                yield store
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[Store]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            try:
                store = Store(self.path)
            except duckdb.Error as error:
                raise HTTPException(503, f"the store {self.path} cannot be written now: {error}") from None
            with store:
                yield store
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def version(self) -> tuple:
        """Changes whenever the store's files change: the key of the country index cache."""
        stamps = []
        for path in (self.path, Path(f"{self.path}.wal")):
            try:
                stat = path.stat()
                stamps.append((stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append(None)
        return tuple(stamps)


# -- plain functions over a Store ------------------------------------------------------------------


def filtered_profile(store: Store, country: str, since: str | None = None, until: str | None = None,
                     by: str | None = None, dimension: str | None = None,
                     datasets: list[str] | None = None) -> dict:
    """``analysis.profile`` over only the relations of one dimension and/or some data sets."""
    return profile(store, country, since, until, by, dimension=dimension, datasets=datasets)


def states_in(store: Store) -> dict[str, int]:
    """Every state the store's relations or mentions name, with its mention count."""
    table = actor_table()
    mentions = store.mention_counts()
    rows = store.query("SELECT DISTINCT actor FROM (SELECT source AS actor FROM relations "
                       "UNION SELECT target AS actor FROM relations)")
    ids = {r["actor"] for r in rows} | set(mentions)
    return {a: mentions.get(a, 0) for a in ids if a and table.get(a, {}).get("kind") == "state"}


def countries(store: Store) -> list[dict]:
    """Every state in the store with its balance index and tilt, most relations first."""
    states = states_in(store)
    figures = balance_index(store, sorted(states))
    result = [{"id": actor, "name": actor_name(actor), "balance": f["balance"], "tilt": f["tilt"],
               "partners": f["partners"], "relations": f["relations"], "mentions": states[actor], "top": f["top"]}
              for actor, f in figures.items()]
    result.sort(key=lambda c: (-c["relations"], -c["mentions"], c["id"]))
    return result


def search(rows: list[dict], q: str | None) -> list[dict]:
    """Countries whose id or name contains q (case-insensitive)."""
    if not q or not q.strip():
        return rows
    needle = q.strip().lower()
    return [r for r in rows if needle in r["id"].lower() or needle in r["name"].lower()]


def datasets_in(store: Store) -> list[str]:
    return [r["dataset"] for r in store.query("SELECT DISTINCT dataset FROM relations WHERE dataset IS NOT NULL "
                                              "ORDER BY dataset")]


def relations(store: Store, actor: str | None = None, partner: str | None = None, dimension: str | None = None,
              datasets: list[str] | None = None, since: str | None = None, until: str | None = None,
              limit: int = 100, offset: int = 0) -> dict:
    """Stored relations by filters, a page at a time: {"total", "limit", "offset", "relations"}.

    actor: either side; partner: the other side (either side when no actor); since/until: the
    relation's date overlaps the range (a bare year covers the whole year), as in the profile.
    """
    where, params = [], []
    if actor and partner:
        where.append("((source = ? AND target = ?) OR (source = ? AND target = ?))")
        params += [actor, partner, partner, actor]
    elif actor or partner:
        where.append("(source = ? OR target = ?)")
        params += [actor or partner] * 2
    if dimension:
        where.append("dimension = ?")
        params.append(dimension)
    if datasets:
        where.append("dataset IN (SELECT unnest(?))")
        params.append(list(datasets))
    if since or until:
        where.append("regexp_matches(date, '^\\d{4}')")
    if since:
        where.append("(CASE length(substr(date, 1, 10)) WHEN 4 THEN date || '-12-31' WHEN 7 THEN date || '-31' "
                     "ELSE substr(date, 1, 10) END) >= ?")
        params.append(_range(since)[0])
    if until:
        where.append("(CASE length(substr(date, 1, 10)) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01' "
                     "ELSE substr(date, 1, 10) END) <= ?")
        params.append(_range(until)[1])
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = store.query(f"SELECT count(*) AS n FROM relations{clause}", params)[0]["n"]
    rows = store.query(f"SELECT * FROM relations{clause} ORDER BY rowid LIMIT ? OFFSET ?", params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "relations": rows}


def _range(date: str) -> tuple[str, str]:
    if len(date) == 4:
        return f"{date}-01-01", f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-01", f"{date}-31"
    return date, date


def document(store: Store, doc_id: str) -> dict | None:
    """A stored document with its mentions, relations, facts and memberships; None if unknown."""
    rows = store.query("SELECT * FROM documents WHERE id = ?", [doc_id])
    if not rows:
        return None
    result = {"document": rows[0]}
    for table in ("mentions", "relations", "facts", "memberships"):
        result[table] = store.query(f"SELECT * FROM {table} WHERE doc = ? ORDER BY sentence, start", [doc_id])
    return result


def highlight(text: str, spans: list[dict]) -> list[dict]:
    """Cut text into segments at every span boundary; each segment lists the spans covering it.

    spans: dicts with start, end, cls, optional title and anchor (an id put on the segment where
    the span starts). RETURNS [{"text", "classes", "title", "anchor"}], in text order.
    """
    valid = [s for s in spans if s.get("start") is not None and s.get("end") is not None
             and 0 <= s["start"] < s["end"] <= len(text)]
    bounds = sorted({0, len(text), *(s["start"] for s in valid), *(s["end"] for s in valid)})
    segments = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [s for s in valid if s["start"] <= a and s["end"] >= b]
        classes = sorted({c for s in covering for c in s["cls"].split()})
        titles = list(dict.fromkeys(s["title"] for s in covering if s.get("title")))
        anchors = [s["anchor"] for s in covering if s.get("anchor") and s["start"] == a]
        segments.append({"text": text[a:b], "classes": " ".join(classes), "title": "; ".join(titles),
                         "anchor": anchors[0] if anchors else None})
    return segments


def document_spans(text: str, mentions: list[dict], relations_: list[dict], facts: list[dict] = (),
                   focus: int | None = None) -> list[dict]:
    """The highlight spans of a document: mentions, relation cues, facts, and the sentences that
    hold relations (anchored s{N}; the one in focus marked)."""
    spans = [{"start": m["start"], "end": m["end"], "cls": "actor", "title": f"{m['actor']} ({m['how']})"}
             for m in mentions]
    for r in relations_:
        spans.append({"start": r["start"], "end": r["end"], "cls": "cue " + ("pos" if r["score"] >= 0 else "neg"),
                      "title": f"{r['source']}→{r['target']} {r['dimension']} {r['score']:+.1f} {r['modality']} "
                               f"({r['rule']})"})
    for f in facts:
        pair = f.get("pair") or [f.get("a"), f.get("b")]
        spans.append({"start": f["start"], "end": f["end"], "cls": "fact",
                      "title": f"{pair[0]}–{pair[1]} {f['measure']} {f['value']:g} {f['unit']}"})
    seen = set()
    for r in relations_:
        if r["sentence"] in seen:
            continue
        start = sentence_start(text, r["evidence"], r["start"])
        if start is not None:
            seen.add(r["sentence"])
            spans.append({"start": start, "end": start + len(r["evidence"]),
                          "cls": "sentence" + (" focus" if r["sentence"] == focus else ""),
                          "anchor": f"s{r['sentence']}"})
    return spans


def sentence_start(text: str, evidence: str | None, inside: int | None) -> int | None:
    """Where the evidence sentence starts in the document text: the occurrence holding offset ``inside``."""
    if not evidence or inside is None:
        return None
    at = text.find(evidence)
    while at != -1:
        if at <= inside < at + len(evidence):
            return at
        at = text.find(evidence, at + 1)
    return None


def evidence_segments(store: Store, result: dict, limit: int = EVIDENCE_SHOWN) -> dict[tuple, list[dict]]:
    """For the text relations shown as evidence, the sentence cut into segments with the actors
    (focal country and partner marked) and the cue highlighted, keyed by (doc, sentence, start)."""
    wanted = [r for p in result["partners"] for d in DIMENSIONS
              for r in [x for x in p.get("evidence", []) if x["dimension"] == d][:limit]
              if r["dataset"] == "text" and r.get("sentence") is not None]
    docs = sorted({r["doc"] for r in wanted})
    if not docs:
        return {}
    texts = {r["id"]: r["text"] for r in store.query("SELECT id, text FROM documents WHERE id IN (SELECT unnest(?))",
                                                     [docs])}
    mentions: dict[tuple, list[dict]] = {}
    for m in store.query("SELECT * FROM mentions WHERE doc IN (SELECT unnest(?))", [docs]):
        mentions.setdefault((m["doc"], m["sentence"]), []).append(m)
    out = {}
    for r in wanted:
        text = texts.get(r["doc"])
        start = sentence_start(text, r["evidence"], r["start"]) if text else None
        if start is None:
            continue
        spans = [{"start": r["start"] - start, "end": r["end"] - start, "cls": "cue", "title": r["rule"]}]
        for m in mentions.get((r["doc"], r["sentence"]), []):
            role = " focal" if m["actor"] == result["country"] else " partner" if m["actor"] == r["partner"] else ""
            spans.append({"start": m["start"] - start, "end": m["end"] - start, "cls": "actor" + role,
                          "title": m["actor"]})
        out[(r["doc"], r["sentence"], r["start"])] = highlight(r["evidence"], spans)
    return out


def run_pipeline(docs: list[Document]) -> list[Document]:
    """Run the default pipeline over documents; those with no sentences are left out."""
    from .pipeline import load

    nlp = load()
    return [d for d in (nlp(doc) for doc in docs) if d.sentences]


def analyse(docs: list[Document], country: str | None = None) -> dict:
    """Extraction and profile of documents, through a throw-away in-memory store.

    RETURNS (dict): {"documents": [Document], "country", "profile" (None when no state is
    mentioned), "states": [ids mentioned]}.
    """
    docs = run_pipeline(docs)
    with Store(":memory:") as memory:
        memory.add_documents(docs)
        states = sorted(states_in(memory))
        try:
            focal = country or focal_actor(memory)
        except EmptyStore:
            focal = None
        result = profile(memory, focal, by="year") if focal else None
    return {"documents": docs, "country": focal, "profile": result, "states": states}


def read_upload(filename: str, data: bytes) -> tuple[list[Document], list[dict]]:
    """Documents from an uploaded file (by its suffix: txt, html, jsonl), and what was rejected."""
    from .sources import Rejected, read_file

    name = Path(filename or "upload.txt").name
    suffix = Path(name).suffix.lower() or ".txt"
    if suffix not in UPLOAD_SUFFIXES:
        raise HTTPException(400, f"cannot read {name!r}: upload a .txt, .html or .jsonl file")
    docs, rejected = [], []
    with tempfile.TemporaryDirectory(prefix="equipoise-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        for item in read_file(path):
            if isinstance(item, Rejected):
                rejected.append({"path": name, "line": item.line, "reason": item.reason})
            else:
                item.source = item.source.replace(str(path), f"upload:{name}")
                docs.append(item)
    return docs, rejected


def store_documents(access: StoreAccess, docs: list[Document], rejected: list[dict] | None = None) -> dict:
    """Store analysed documents in the main store (read-write, alone); returns the counts."""
    with access.write() as store:
        run = store.start_run("serve", {"sources": [d.source for d in docs]})
        counts = store.add_documents(docs, run)
        store.finish_run(run, counts, rejected or [])
    return counts


# -- the app ---------------------------------------------------------------------------------------


class AnalyseRequest(BaseModel):
    text: str = Field(..., min_length=1, description="The article text.")
    title: Optional[str] = Field(None, max_length=500)
    date: Optional[str] = Field(None, pattern=DATE, description="ISO date or year of the article.")
    country: Optional[str] = Field(None, pattern=ACTOR, description="Focal actor id; default the most-mentioned state.")
    store: bool = Field(False, description="Also store the document in the main store.")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with a 413 JSON error (by Content-Length, and by
    counting the bytes received when there is none)."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _too_large(send, self.limit)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, f"request body over the limit of {self.limit} bytes")
            return message

        await self.app(scope, limited, send)


async def _too_large(send, limit: int) -> None:
    body = JSONResponse({"detail": f"request body over the limit of {limit} bytes"}, status_code=413)
    await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
    await send({"type": "http.response.body", "body": body.body})


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=PackageLoader("equipoise", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["signed"] = lambda value: f"{value:+.2f}"
    env.globals.update(dimensions=DIMENSIONS, actor_name=actor_name)
    return env


def _page(name: str, status_code: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(f"web/{name}").render(**context), status_code=status_code)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _actor(actor: str) -> str:
    """A known actor id (upper-cased), else 404."""
    actor = actor.upper()
    if not re.fullmatch(ACTOR, actor) or actor not in actor_table():
        raise HTTPException(404, f"unknown actor id {actor!r}: use an ISO 3166-1 alpha-3 code (AZE, RUS, TUR) "
                                 "or an organisation id (EU, NATO)")
    return actor


def _query_actor(actor: str | None, name: str) -> str | None:
    if actor is None:
        return None
    actor = actor.upper()
    if actor not in actor_table():
        raise RequestValidationError([{"type": "value_error", "loc": ["query", name], "input": actor,
                                       "msg": f"unknown actor id {actor!r}"}])
    return actor


def _period(since: str | None, until: str | None) -> None:
    if since and until and _range(since)[0] > _range(until)[1]:
        raise RequestValidationError([{"type": "value_error", "loc": ["query", "since"], "input": since,
                                       "msg": f"since {since} is after until {until}"}])


def create_app(db_path: str | Path, warm: bool = False) -> FastAPI:
    """The web app over the store at ``db_path`` (created, empty, when missing).

    warm: compute the country index in a background thread at once (it takes a profile per state).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        if not db_path.parent.exists():
            raise EquipoiseError(f"no such folder for the store: {db_path.parent}")
        Store(db_path).close()
    access = StoreAccess(db_path)
    index_cache: dict = {}

    app = FastAPI(title="equipoise", version="0.1.0", docs_url=None, redoc_url=None,
                  description="How a country balances between powers, from the news: countries, balance profiles, "
                              "relations and documents from the equipoise store.")
    app.state.access = access
    app.add_middleware(BodyLimit, limit=MAX_BODY)

    def all_countries(store: Store) -> list[dict]:
        key = access.version()
        if index_cache.get("key") != key:
            index_cache.update(key=key, rows=countries(store))
        return index_cache["rows"]

    if warm:
        def warm_up() -> None:
            try:
                with access.read() as store:
                    all_countries(store)
            except Exception:  # the first request computes it instead
                pass

        threading.Thread(target=warm_up, name="equipoise-index", daemon=True).start()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if _is_api(request) or error.status_code == 413:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        return _page("error.html", error.status_code, status=error.status_code, message=error.detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        problems = [{"loc": list(e.get("loc", [])), "msg": e.get("msg"), "type": e.get("type")} for e in error.errors()]
        if _is_api(request):
            return JSONResponse({"detail": problems}, status_code=422)
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in problems)
        return _page("error.html", 422, status=422, message=f"bad parameter: {message}")

    # -- static files: plotly.js from the plotly package, the rest from the package's static folder

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js():
        return FileResponse(_plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- JSON API

    @app.get("/api/countries", summary="Every state in the store with its balance index and tilt")
    def api_countries(q: Optional[str] = Query(None, max_length=100, description="Part of an id or name.")):
        with access.read() as store:
            return {"countries": search(all_countries(store), q)}

    @app.get("/api/profile/{actor}", summary="An actor's balance profile (the `profile --json` object)")
    def api_profile(actor: str, since: Optional[str] = Query(None, pattern=DATE),
                    until: Optional[str] = Query(None, pattern=DATE),
                    by: Optional[str] = Query(None, pattern="^(month|quarter|year)$"),
                    dimension: Optional[str] = Query(None, pattern="^(" + "|".join(DIMENSIONS) + ")$"),
                    dataset: List[str] = Query([], description="Data sets to count (text, gdelt1, gdelt2, icews)")):
        actor = _actor(actor)
        _check_datasets(dataset)
        _period(since, until)
        with access.read() as store:
            return as_json(filtered_profile(store, actor, since, until, by, dimension, dataset))

    @app.get("/api/relations", summary="Stored relations by filters, a page at a time")
    def api_relations(actor: Optional[str] = Query(None, pattern=ACTOR), partner: Optional[str] = Query(None, pattern=ACTOR),
                      dimension: Optional[str] = Query(None, pattern="^(" + "|".join(DIMENSIONS) + ")$"),
                      dataset: List[str] = Query([]), since: Optional[str] = Query(None, pattern=DATE),
                      until: Optional[str] = Query(None, pattern=DATE),
                      limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0)):
        _check_datasets(dataset)
        _period(since, until)
        actor, partner = _query_actor(actor, "actor"), _query_actor(partner, "partner")
        with access.read() as store:
            return relations(store, actor, partner, dimension, dataset, since, until, limit, offset)

    @app.get("/api/documents/{doc_id}", summary="A document with its mentions, relations, facts and memberships")
    def api_document(doc_id: str):
        with access.read() as store:
            found = document(store, doc_id)
        if found is None:
            raise HTTPException(404, f"no document {doc_id!r} in the store")
        return found

    @app.post("/api/analyse", summary="Extract and profile a text; store it only when asked")
    def api_analyse(request: AnalyseRequest):
        doc = Document(request.text, source="api", title=request.title, date=request.date)
        country = _query_actor(request.country, "country") if request.country else None
        result = analyse([doc], country)
        if not result["documents"]:
            raise HTTPException(400, "the text has no sentences")
        stored = store_documents(access, result["documents"]) if request.store else None
        if stored:
            index_cache.clear()
        return {"documents": [{"id": d.id, "title": d.title, "records": list(d.records())} for d in result["documents"]],
                "country": result["country"], "profile": as_json(result["profile"]) if result["profile"] else None,
                "stored": stored}

    # -- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index_page(q: Optional[str] = Query(None, max_length=100)):
        with access.read() as store:
            rows = all_countries(store)
            documents = store.count("documents")
            relation_count = store.count("relations")
        return _page("index.html", countries=search(rows, q), total=len(rows), q=q or "", documents=documents,
                     relations=relation_count, db=str(db_path))

    @app.get("/countries/{actor}", response_class=HTMLResponse, include_in_schema=False)
    def country_page(actor: str, since: Optional[str] = Query(None, pattern=DATE_OR_EMPTY),
                     until: Optional[str] = Query(None, pattern=DATE_OR_EMPTY),
                     by: str = Query("year", pattern="^(month|quarter|year)$"),
                     dimension: Optional[str] = Query(None, pattern="^(" + "|".join(DIMENSIONS) + ")?$"),
                     dataset: List[str] = Query([])):
        actor = _actor(actor)
        _check_datasets(dataset)
        _period(since, until)
        since, until, dimension = since or None, until or None, dimension or None
        from .report import charts

        with access.read() as store:
            result = filtered_profile(store, actor, since, until, by, dimension, dataset)
            segments = evidence_segments(store, result)
            available = datasets_in(store)
        return _page("country.html", profile=result, charts=charts(result), segments=segments,
                     filters={"since": since or "", "until": until or "", "by": by, "dimension": dimension or "",
                              "datasets": dataset}, available=available, shown=EVIDENCE_SHOWN)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str, s: Optional[int] = Query(None, ge=0)):
        with access.read() as store:
            found = document(store, doc_id)
        if found is None:
            raise HTTPException(404, f"no document {doc_id!r} in the store")
        text = found["document"]["text"]
        segments = highlight(text, document_spans(text, found["mentions"], found["relations"], found["facts"], s))
        return _page("document.html", doc=found, segments=segments)

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form():
        return _page("analyse.html", result=None, form={})

    @app.post("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_page(text: str = Form(""), title: str = Form(""), date: str = Form(""), country: str = Form(""),
                     store: bool = Form(False), file: Optional[UploadFile] = File(None)):
        form = {"text": text, "title": title, "date": date, "country": country, "store": store}
        if date and not re.fullmatch(DATE, date):
            raise HTTPException(400, f"bad date {date!r}: use an ISO date (2024-05-01) or a year")
        focal = None
        if country.strip():
            focal = country.strip().upper()
            if focal not in actor_table():
                raise HTTPException(400, f"unknown actor id {focal!r}")
        rejected: list[dict] = []
        if file is not None and file.filename:
            docs, rejected = read_upload(file.filename, file.file.read())
        elif text.strip():
            docs = [Document(text, source="pasted text", title=title.strip() or None, date=date or None)]
        else:
            raise HTTPException(400, "paste a text or choose a file (.txt, .html, .jsonl)")
        if not docs:
            raise HTTPException(400, "nothing readable: " + "; ".join(r["reason"] for r in rejected))
        result = analyse(docs, focal)
        if not result["documents"]:
            raise HTTPException(400, "the text has no sentences")
        stored = store_documents(access, result["documents"], rejected) if store else None
        if stored:
            index_cache.clear()
        views = [{"doc": d, "segments": highlight(d.text, document_spans(
                      d.text, [vars_of(m) for m in d.mentions], [vars_of(r) for r in d.relations],
                      [{**vars_of(f), "pair": list(f.pair)} for f in d.facts]))} for d in result["documents"]]
        charts_html = {}
        if result["profile"]:
            from .report import charts

            charts_html = charts(result["profile"])
        return _page("analyse.html", result=result, views=views, charts=charts_html, stored=stored,
                     rejected=rejected, form=form)

    return app


def vars_of(record) -> dict:
    """A slotted dataclass as a dict."""
    return {name: getattr(record, name) for name in record.__slots__}


def _check_datasets(datasets: list[str]) -> None:
    for name in datasets:
        if not re.fullmatch(DATASET, name):
            raise RequestValidationError([{"type": "value_error", "loc": ["query", "dataset"], "input": name,
                                           "msg": "a data set name is lower-case letters, digits or _"}])
