"""The web app under load (issue 7): a bounded load test on loopback.

`equipoise serve` runs as a subprocess over a store built from the bundled reference article;
16 client threads send a fixed mix of good and bad requests (3,300 in all, to 127.0.0.1 only).
Every good request must answer 200, every bad one its expected 4xx (oversized bodies 413,
malformed ones 422/400), with no connection error and no 5xx; the server's resident memory
(VmRSS) after the load must stay within a bound of its value after the warm-up round.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from equipoise import api
from equipoise.sources import default_corpus
from equipoise.web import MAX_BODY

HOST = "127.0.0.1"
THREADS = 16
WARMUP = 300           # requests before the first memory reading
LOAD = 3_000           # requests between the two memory readings
LOAD_SECONDS = 240     # a bound so that the test stops by itself (the load takes ~35 s on 2 cores)
# A leak of 10 KB per request would add ~30 MB over LOAD requests; allocator noise stays well
# under this bound.
RSS_GROWTH_LIMIT_MB = 15
START_SECONDS = 30

OVERSIZED = b'{"text": "' + b"a" * (MAX_BODY + 1024) + b'"}'


def _oversized_chunks():
    """The oversized body sent without a Content-Length (chunked): rejected by counting bytes."""
    step = 1024 * 1024
    for at in range(0, len(OVERSIZED), step):
        yield OVERSIZED[at:at + step]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


@pytest.fixture
def server(tmp_path):
    """`python -m equipoise serve` over a store of the reference article; yields (base url, process)."""
    db = tmp_path / "store.duckdb"
    api.analyze([default_corpus()[0]], db=db)
    port = _free_port()
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "equipoise", "serve", "--db", str(db), "--host", HOST,
                                    "--port", str(port)], stdout=stdout, stderr=stderr, cwd=tmp_path, env=env)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        with httpx.Client(base_url=base, timeout=5, trust_env=False) as client:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"equipoise serve exited with {process.returncode}:\n{err.read_text()}")
                try:
                    if client.get("/openapi.json").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"equipoise serve did not answer within {START_SECONDS} s:\n{err.read_text()}")
                time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _cases(doc_id: str) -> list[tuple]:
    """The request mix, one cycle: (name, method, url, request kwargs, expected status)."""
    json_type = {"content-type": "application/json"}
    good = [
        ("index", "GET", "/", {}, 200),
        ("index", "GET", "/", {}, 200),
        ("country page", "GET", "/countries/AZE", {}, 200),
        ("countries", "GET", "/api/countries", {}, 200),
        ("countries", "GET", "/api/countries?q=aze", {}, 200),
        ("profile", "GET", "/api/profile/AZE", {}, 200),
        ("profile", "GET", "/api/profile/AZE", {}, 200),
        ("relations", "GET", "/api/relations?actor=AZE&limit=50", {}, 200),
        ("relations", "GET", "/api/relations?actor=AZE&limit=50", {}, 200),
        ("document", "GET", f"/api/documents/{doc_id}", {}, 200),
        ("openapi", "GET", "/openapi.json", {}, 200),
        ("openapi", "GET", "/openapi.json", {}, 200),
        ("openapi", "GET", "/openapi.json", {}, 200),
    ]
    bad = [
        ("unknown actor", "GET", "/api/profile/ZZZ", {}, 404),
        ("unknown document", "GET", "/api/documents/no-such-document", {}, 404),
        ("unknown country page", "GET", "/countries/ZZZ", {}, 404),
        ("bad limit", "GET", "/api/relations?limit=0", {}, 422),
        ("bad limit", "GET", "/api/relations?limit=abc", {}, 422),
        ("unknown actor parameter", "GET", "/api/relations?actor=ZZZ", {}, 422),
        ("bad period", "GET", "/api/profile/AZE?by=week", {}, 422),
        ("bad form date", "POST", "/analyse", {"data": {"text": "Hello.", "date": "yesterday"}}, 400),
        ("bad form country", "POST", "/analyse", {"data": {"text": "Hello.", "country": "ZZZ"}}, 400),
        ("oversized body", "POST", "/api/analyse", {"content": OVERSIZED, "headers": json_type}, 413),
        ("oversized chunked body", "POST", "/api/analyse", {"content": _oversized_chunks, "headers": json_type}, 413),
        ("malformed JSON", "POST", "/api/analyse", {"content": b'{"text": ', "headers": json_type}, 422),
        ("not UTF-8", "POST", "/api/analyse", {"content": b"\xff\xfe\x00garbage", "headers": json_type}, 422),
        ("wrong shape", "POST", "/api/analyse", {"content": b"[1, 2]", "headers": json_type}, 422),
        ("empty text", "POST", "/api/analyse", {"content": b'{"text": ""}', "headers": json_type}, 422),
        ("bad date", "POST", "/api/analyse", {"content": b'{"text": "x", "date": "yesterday"}', "headers": json_type},
         422),
    ]
    cases = good + bad
    assert len(cases) % THREADS != 0  # so that every thread goes through the whole mix
    return cases


def _load(base: str, cases: list[tuple], count: int, seconds: float) -> dict:
    """Send `count` requests from THREADS threads (request k is cases[k % len(cases)]).

    RETURNS {"done", "seconds", "statuses": Counter[(name, expected, status)], "errors": [str]}.
    """
    statuses: Counter = Counter()
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(first: int) -> None:
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
            for k in range(first, count, THREADS):
                if time.monotonic() > deadline:
                    return
                name, method, url, kwargs, expected = cases[k % len(cases)]
                kwargs = {key: (value() if callable(value) else value) for key, value in kwargs.items()}
                try:
                    response = client.request(method, url, **kwargs)
                    outcome = (name, expected, response.status_code)
                    if response.status_code == 200 and not response.content:
                        outcome = (name, expected, "empty body")
                except httpx.HTTPError as error:
                    outcome = None
                    with lock:
                        errors.append(f"{method} {url}: {error!r}")
                with lock:
                    done[0] += 1
                    if outcome:
                        statuses[outcome] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
    return {"done": done[0], "seconds": time.monotonic() - started, "statuses": statuses, "errors": errors}


def _check(result: dict, count: int) -> None:
    assert result["errors"] == [], f"{len(result['errors'])} connection errors, first: {result['errors'][:5]}"
    assert result["done"] == count, f"only {result['done']} of {count} requests in {result['seconds']:.0f} s"
    server_errors = {k: n for k, n in result["statuses"].items() if not isinstance(k[2], int) or k[2] >= 500}
    assert server_errors == {}, f"server errors: {server_errors}"
    wrong = {k: n for k, n in result["statuses"].items() if k[1] != k[2]}
    assert wrong == {}, f"unexpected statuses (name, expected, got): {wrong}"
    assert sum(result["statuses"].values()) == count


def test_load_no_errors_and_no_memory_growth(server):
    base, process = server
    with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
        relations = client.get("/api/relations", params={"actor": "AZE", "limit": 50})
        assert relations.status_code == 200
        doc_id = relations.json()["relations"][0]["doc"]
    cases = _cases(doc_id)

    warmup = _load(base, cases, WARMUP, LOAD_SECONDS)
    _check(warmup, WARMUP)
    time.sleep(0.5)
    before = _rss_kb(process.pid)

    result = _load(base, cases, LOAD, LOAD_SECONDS)
    time.sleep(0.5)
    after = _rss_kb(process.pid)
    assert process.poll() is None, "the server died under load"
    _check(result, LOAD)

    rate = result["done"] / result["seconds"]
    growth_mb = (after - before) / 1024
    kinds = Counter()
    for (name, expected, status), n in result["statuses"].items():
        kinds["good" if expected == 200 else "bad"] += n
    print(f"\nload: {result['done']} requests ({kinds['good']} good, {kinds['bad']} bad) from {THREADS} threads "
          f"in {result['seconds']:.1f} s = {rate:.0f} requests/s; server VmRSS {before / 1024:.1f} MB after warm-up, "
          f"{after / 1024:.1f} MB after load ({growth_mb:+.1f} MB)")
    assert growth_mb < RSS_GROWTH_LIMIT_MB, (f"server VmRSS grew {growth_mb:.1f} MB over {LOAD} requests "
                                             f"({before} kB -> {after} kB)")
