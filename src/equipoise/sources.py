"""Readers: turn files and folders of .txt, .html and .jsonl into Documents.

``read(paths)`` yields a ``Document`` for every text it can read and a
``Rejected`` for every file or line it cannot, with the reason, so that a run
can go on and still say what it left out.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from .document import Document
from .errors import Reasons

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(slots=True)
class Rejected:
    """An input that could not be read: its path, line (for JSONL) and why."""

    path: str
    reason: str
    line: int | None = None

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "reason": self.reason}


def default_corpus() -> list[Path]:
    """The bundled corpus: the reference article and the Voice of America stories."""
    root = resources.files("equipoise") / "corpus"
    return [Path(str(root / "azerbaijan-diplomacy-tehran-times.txt")),
            Path(str(root / "voa" / "voa_stories.jsonl"))]


def read(paths: Iterable[str | os.PathLike]) -> Iterator[Document | Rejected]:
    """Read every path (file or folder, folders recursively) in a stable order.

    Args:
        paths: files or folders.
    RETURNS (Iterator[Document | Rejected]): documents, and what was rejected with its reason.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _read_folder(path)
        else:
            yield from read_file(path)


def _read_folder(folder: Path) -> Iterator[Document | Rejected]:
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=None):
        # A symlink loop would make os.walk revisit a folder forever: walk each (device, inode) once.
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen:
            yield Rejected(root, Reasons.SYMLINK_LOOP)
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in READABLE_SUFFIXES:
                yield from read_file(path)


def read_file(path: Path) -> Iterator[Document | Rejected]:
    """Read one file by its suffix (.txt, .html, .jsonl; anything else as text)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Rejected(str(path), f"{Reasons.UNREADABLE}: {error.strerror or error}")
        return
    if not data.strip():
        yield Rejected(str(path), Reasons.EMPTY)
        return
    text = decode(data)
    if text is None:
        yield Rejected(str(path), Reasons.BINARY)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, text)
    elif suffix in HTML_SUFFIXES:
        yield from _read_html(path, text)
    else:
        yield Document(text=text, source=str(path), title=path.stem)


def decode(data: bytes) -> str | None:
    """Decode bytes to text: BOMs first, then UTF-8, then the best guess; None for binary data."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # comes with trafilatura; only needed for legacy encodings

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _read_jsonl(path: Path, text: str) -> Iterator[Document | Rejected]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield Rejected(str(path), f"{Reasons.BAD_JSON}: {error.msg}", number)
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            yield Rejected(str(path), Reasons.NO_TEXT_FIELD, number)
            continue
        yield Document(
            text=row["text"],
            source=f"{path}:{number}",
            title=_optional_str(row.get("title")),
            date=_optional_str(row.get("date") or row.get("published")),
            url=_optional_str(row.get("url")),
        )


def _read_html(path: Path, html: str) -> Iterator[Document | Rejected]:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True)
    if extracted is None or not (extracted.text or "").strip():
        yield Rejected(str(path), Reasons.NO_ARTICLE)
        return
    yield Document(text=extracted.text, source=str(path), title=extracted.title,
                   date=extracted.date, url=extracted.url)


def _optional_str(value) -> str | None:
    return None if value is None else str(value)
