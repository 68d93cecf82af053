"""Event-data import: GDELT 1.0, GDELT 2.0 and ICEWS event files into the store's relations table.

    >>> from equipoise.eventdata import import_events
    >>> with Store("events.duckdb") as store:
    ...     summary = import_events(["20191024143000.export.CSV.zip"], store)

Files are read line by line (plain, .gz or .zip); the format is detected from the
header (ICEWS) or the column count (GDELT 1.0: 57 or 58, GDELT 2.0: 61) unless given.
Each event becomes one relation row: CAMEO code -> PLOVER type and quad
(data/cameo-to-plover-2021.txt), Goldstein score (the file's, else data/cameo-codes.csv),
actor codes -> actor ids (data/event_actors.json), dimension from data/event_dimensions.json.
GDELT repeats an event once per article mention: one row is kept per
(date, source, target, event code, URL); the rest are counted as folded. ICEWS
lists some events twice with source and target swapped; both directions are kept
(counting them once is left to analysis). Each row carries a unique `event_key`;
keys already stored are skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import multiprocessing
import os
import zipfile
from dataclasses import dataclass, field
from collections import deque
from datetime import date
from itertools import chain, islice
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable, Iterator

from .actors import actor_table, data_path, read_jsonl
from .errors import EquipoiseError, NoInput, Reasons
from .relations import plover_quads
from .store import Store

FORMATS = ("gdelt1", "gdelt2", "icews")
GDELT_COLUMNS = {"gdelt1": (57, 58), "gdelt2": (61,)}
ICEWS_COLUMNS = 20
ICEWS_HEADER = "Event ID"
BATCH = 5000
CHUNK = 2000  # lines parsed per task


# -- reference data ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def cameo_codes() -> dict[str, dict]:
    """CAMEO codes from data/cameo-codes.csv (andybega/icews, MIT): {code: {"name", "goldstein"}}."""
    with open(data_path("cameo-codes.csv"), encoding="cp1252", errors="replace", newline="") as rows:
        return {r["code"]: {"name": r["name"], "goldstein": float(r["goldstein"])} for r in csv.DictReader(rows)}


@lru_cache(maxsize=None)
def cameo_to_plover() -> dict[str, str]:
    """CAMEO code -> PLOVER type from data/cameo-to-plover-2021.txt (openeventdata/PLOVER, CC BY-SA 4.0).

    Lines read "CODE: TYPE, mode, context # description"; a two-digit line opens a section.
    Where a code is listed twice the first line wins.
    """
    table: dict[str, str] = {}
    for line in data_path("cameo-to-plover-2021.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("~~~"):
            break
        head, sep, rest = line.partition(":")
        if not sep or not head.strip().isdigit():
            continue
        kind = rest.split("#")[0].split(",")[0].strip()
        if kind and len(head.strip()) > 2:
            table.setdefault(head.strip(), kind)
    return table


@lru_cache(maxsize=None)
def dimensions() -> dict:
    return json.loads(data_path("event_dimensions.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def actor_codes() -> dict:
    """Actor-code tables (data/event_actors.json) plus every state and organisation name, lower-cased."""
    codes = json.loads(data_path("event_actors.json").read_text(encoding="utf-8"))
    names = {}
    for row in read_jsonl(data_path("states.jsonl")) + read_jsonl(data_path("organisations.jsonl")):
        for name in row.get("names", []):
            names.setdefault(name.lower(), row["id"])
    names.update({k.lower(): v for k, v in codes["icews_names"].items()})
    return {**codes, "names": names, "actors": set(actor_table())}


def plover_type(code: str) -> str | None:
    """The PLOVER type of a CAMEO code (longest listed prefix); None for 01 statements and 02 appeals."""
    table = cameo_to_plover()
    for length in range(len(code), 2, -1):
        if code[:length] in table:
            return table[code[:length]]
    return table.get(code[:2] + "0")


def quad(code: str, kind: str | None) -> int:
    """The quad class: from the PLOVER type, else from the CAMEO root (01-05 1, 06-08 2, 09-13 3, 14-20 4)."""
    if kind in plover_quads():
        return plover_quads()[kind]
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def dimension(code: str, sectors: Iterable[Iterable[str]] = ()) -> str:
    """The dimension of a CAMEO code (longest listed prefix); else, for ICEWS, a dimension that a sector of
    the source and a sector of the target both give (two military sides: security); else the default."""
    table = dimensions()
    for length in range(len(code), 1, -1):
        if code[:length] in table["cameo"]:
            return table["cameo"][code[:length]]
    sides = [{table["icews_sectors"][s] for s in side if s in table["icews_sectors"]} for side in sectors]
    shared = set.intersection(*sides) if sides else set()
    return sorted(shared)[0] if shared else table["default"]


def gdelt_actor(code: str, country: str) -> tuple[str | None, str | None]:
    """A GDELT actor (Actor1Code, Actor1CountryCode) -> (actor id, detail such as "GOV" or "IGOUNODEVWBK")."""
    tables = actor_codes()
    state = tables["cameo_countries"].get(country, country)
    if state and state in tables["actors"]:
        detail = code[len(country):] if code.startswith(country) else code
        return state, detail or None
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    for part in reversed(parts):
        if part in tables["cameo_groups"]:
            return tables["cameo_groups"][part], code
    return None, code or None


def icews_actor(name: str, country: str) -> str | None:
    """An ICEWS actor -> actor id: its country name, else (no country) its own name as an organisation."""
    names = actor_codes()["names"]
    if country and country != "NA":
        return names.get(country.lower())
    return names.get(name.lower())


# -- reading -------------------------------------------------------------------------------------


@dataclass
class FileResult:
    path: str
    format: str | None = None
    read: int = 0
    folded: int = 0
    unmapped: int = 0
    rejected: list[dict] = field(default_factory=list)


def open_lines(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """(name, binary stream) for a plain, .gz or .zip file (every member of a zip)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if not member.is_dir():
                    with archive.open(member) as stream:
                        yield f"{path}:{member.filename}", stream
    elif path.suffix == ".gz":
        with gzip.open(path, "rb") as stream:
            yield str(path), stream
    else:
        with open(path, "rb") as stream:
            yield str(path), stream


def detect(first_line: str) -> str | None:
    """The format of a file from its first line: the ICEWS header, or the GDELT column count."""
    columns = first_line.rstrip("\r\n").split("\t")
    if columns[0] == ICEWS_HEADER or len(columns) == ICEWS_COLUMNS:
        return "icews"
    for name, counts in GDELT_COLUMNS.items():
        if len(columns) in counts:
            return name
    return None


def read_events(path: str | os.PathLike, format: str | None = None,
                results: list[FileResult] | None = None, pool=None, workers: int = 1) -> Iterator[dict]:
    """Relation rows from one event file (every member of a zip), folding GDELT repeats.

    Counts (rows read, folded, unmapped, rejected with line numbers) go into one FileResult
    per stream, appended to ``results``. With a multiprocessing ``pool`` of ``workers``, lines
    are parsed there, in chunks; the rows and counts are the same.
    """
    if format is not None and format not in FORMATS:
        raise EquipoiseError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    results = results if results is not None else []
    try:
        streams = open_lines(Path(path))
        for name, stream in streams:
            result = FileResult(name)
            results.append(result)
            yield from _read_stream(stream, format, result, pool, workers)
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as error:
        result = FileResult(str(path))
        result.rejected.append({"path": str(path), "line": None, "reason": f"cannot read file: {error}"})
        results.append(result)


def _read_stream(stream: IO[bytes], format: str | None, result: FileResult, pool=None,
                 workers: int = 1) -> Iterator[dict]:
    """Rows of one stream: lines are parsed in chunks (in ``pool`` when given, a bounded window of
    chunks in flight), then counted and folded here in line order."""
    seen: set[str] = set()
    numbered = enumerate(stream, start=1)
    first = next(numbered, None)
    if first is None:
        result.rejected.append({"path": result.path, "line": None, "reason": Reasons.EMPTY})
        return
    fmt = format or _detect_bytes(first[1])
    if fmt is None:
        result.rejected.append({"path": result.path, "line": first[0], "reason": Reasons.FORMAT})
        return
    result.format = fmt
    lines = chain([first], numbered)
    window: deque = deque()
    for chunk in _chunks(lines, CHUNK):
        if pool is None:
            window.append(_parse_chunk(fmt, chunk))
        else:
            window.append(pool.apply_async(_parse_chunk, (fmt, chunk)))
        if len(window) > 4 * workers or pool is None:
            yield from _fold(window.popleft(), result, seen, pool is not None)
    while window:
        yield from _fold(window.popleft(), result, seen, pool is not None)
    if result.read == 0 and not result.rejected:
        result.rejected.append({"path": result.path, "line": None, "reason": Reasons.EMPTY})


def _detect_bytes(raw: bytes) -> str | None:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return detect(line) if "\x00" not in line else None


def _chunks(lines: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(lines, size)):
        yield chunk


def _parse_chunk(fmt: str, chunk: list[tuple[int, bytes]]) -> list[tuple[int, str, object]]:
    """Parse numbered raw lines: (number, "row" | "bad" | "unmapped" | "skip", row or reason)."""
    outcomes = []
    for number, raw in chunk:
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            outcomes.append((number, "bad", Reasons.NOT_UTF8))
            continue
        if not line.strip() or fmt == "icews" and line.startswith(ICEWS_HEADER + "\t"):
            outcomes.append((number, "skip", None))
        elif "\x00" in line:
            outcomes.append((number, "bad", Reasons.NOT_UTF8))
        else:
            try:
                row = _gdelt(line.split("\t"), fmt) if fmt != "icews" else _icews(line.split("\t"))
            except BadRow as bad:
                outcomes.append((number, "bad", str(bad)))
                continue
            outcomes.append((number, "row", row) if row is not None else (number, "unmapped", None))
    return outcomes


def _fold(pending, result: FileResult, seen: set[str], is_async: bool) -> Iterator[dict]:
    """Count a chunk's outcomes and yield its rows, folding GDELT's repeats of one event."""
    for number, kind, payload in pending.get() if is_async else pending:
        if kind == "skip":
            continue
        result.read += 1
        if kind == "bad":
            result.rejected.append({"path": result.path, "line": number, "reason": payload})
        elif kind == "unmapped":
            result.unmapped += 1
        elif payload["event_key"] in seen:
            result.folded += 1
        else:
            seen.add(payload["event_key"])
            yield payload


class BadRow(ValueError):
    pass


def _check(columns: list[str], expected: tuple[int, ...]) -> None:
    if len(columns) not in expected:
        raise BadRow(Reasons.COLUMNS.format(found=len(columns), expected=" or ".join(map(str, expected))))


def _code(code: str) -> str:
    if code not in cameo_codes():
        raise BadRow(Reasons.CODE.format(value=code))
    return code


def _score(value: str, code: str) -> float:
    try:
        return float(value)
    except ValueError:
        return cameo_codes()[code]["goldstein"]


def _gdelt(c: list[str], fmt: str) -> dict | None:
    _check(c, GDELT_COLUMNS[fmt])
    try:
        day = date(int(c[1][:4]), int(c[1][4:6]), int(c[1][6:8])).isoformat() if len(c[1]) == 8 else None
    except ValueError:
        day = None
    if day is None:
        raise BadRow(Reasons.DATE.format(value=c[1]))
    code = _code(c[26])
    source, source_detail = gdelt_actor(c[5], c[7])
    target, target_detail = gdelt_actor(c[15], c[17])
    if source is None or target is None:
        return None
    url = c[-1] if len(c) in (58, 61) else ""
    kind = plover_type(code)
    origin = url or f"{fmt} event {c[0]}"
    key = hashlib.sha256("\t".join([day, source, target, code, origin]).encode()).hexdigest()[:24]
    return _row(doc=url or f"{fmt}:{c[0]}", sentence=None, source=source, target=target,
                dimension=dimension(code), score=_score(c[30], code), type=kind, date=day, evidence=origin,
                code=code, dataset=fmt, source_detail=source_detail, target_detail=target_detail,
                is_root=c[25] == "1", event_key=f"{fmt}:{key}")


def _icews(c: list[str]) -> dict | None:
    _check(c, (ICEWS_COLUMNS,))
    try:
        day = date.fromisoformat(c[1]).isoformat()
    except ValueError:
        raise BadRow(Reasons.DATE.format(value=c[1])) from None
    code = _code(c[6])
    source, target = icews_actor(c[2], c[4]), icews_actor(c[8], c[10])
    if source is None or target is None:
        return None
    sectors = [c[3].split(","), c[9].split(",")]
    return _row(doc=f"icews:story:{c[11]}", sentence=int(c[12]) if c[12].isdigit() else None,
                source=source, target=target, dimension=dimension(code, sectors), score=_score(c[7], code),
                type=plover_type(code), date=day, evidence=f"story {c[11]} sentence {c[12]}", code=code,
                dataset="icews", source_detail=_detail(c[2], c[3]), target_detail=_detail(c[8], c[9]),
                is_root=None, event_key=f"icews:{c[0]}")


def _detail(name: str, sectors: str) -> str:
    return f"{name} [{sectors}]" if sectors and sectors != "NA" else name


def _row(*, code: str, type: str | None, **fields) -> dict:
    return {**fields, "type": type, "quad": quad(code, type), "modality": "asserted", "rule": f"cameo:{code}",
            "event_code": code}


# -- importing -----------------------------------------------------------------------------------


def import_events(paths: Iterable[str | os.PathLike], store: Store, format: str | None = None,
                  workers: int = 1) -> dict:
    """Import event files into the store, one transaction per batch, with a run record.

    RETURNS (dict): {"run", "files": [{"path", "format", "read", ...}], "counts": {"read", "stored",
        "already_stored", "folded", "rejected", "unmapped"}, "rejected": [{"path", "line", "reason"}]}.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.exists():
            raise NoInput(str(path))
    run = store.start_run("import", {"paths": [str(p) for p in paths], "format": format})
    counts = {"read": 0, "stored": 0, "already_stored": 0, "folded": 0, "rejected": 0, "unmapped": 0}
    results: list[FileResult] = []
    files = []
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        _import_files(paths, store, format, pool, workers, results, files, counts)
    finally:
        if pool is not None:
            pool.terminate()
    rejected = [item for r in results for item in r.rejected]
    counts["icews_twins"] = store.mark_icews_twins()  # in the whole store, counted once by profiles
    store.finish_run(run, counts, rejected)
    return {"run": run, "files": files, "counts": counts, "rejected": rejected}


def _import_files(paths, store, format, pool, workers, results, files, counts) -> None:
    """Import each file in turn, batch by batch; per-file counts go to ``files``, totals to ``counts``."""
    for path in paths:
        first = len(results)
        stored = skipped = 0
        batch: list[dict] = []
        for row in read_events(path, format, results, pool, workers):
            batch.append(row)
            if len(batch) >= BATCH:
                added = store.add_event_relations(batch)
                stored, skipped, batch = stored + added, skipped + len(batch) - added, []
        if batch:
            added = store.add_event_relations(batch)
            stored, skipped = stored + added, skipped + len(batch) - added
        mine = results[first:]
        file_counts = {"path": str(path), "format": ",".join(sorted({r.format for r in mine if r.format})) or None,
                       "read": sum(r.read for r in mine), "stored": stored, "already_stored": skipped,
                       "folded": sum(r.folded for r in mine), "unmapped": sum(r.unmapped for r in mine),
                       "rejected": sum(len(r.rejected) for r in mine)}
        files.append(file_counts)
        for key in counts:
            counts[key] += file_counts[key]
