"""Readers: turn files and folders of .txt, .html and .jsonl into Documents.

``read(paths)`` yields a ``Document`` for every text it can read and a
``Rejected`` for every file or line it cannot, with the reason, so that a run
can go on and still say what it left out.

Robustness: only regular files are opened (a FIFO or device would block or
never end); text is decoded by BOM (UTF-8, UTF-16, UTF-32), then UTF-8, then
UTF-8 with stray legacy bytes, then a legacy code page (cp1251, latin-1 ...);
binary data is rejected; JSONL is streamed line by line (split at "\n" only,
so U+2028 inside a JSON string does not cut a line); folders are walked once
each, symlinked folders after the real tree, and a symlink back into its own
ancestors is reported once as a loop.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
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
    """Files of the folder tree in sorted order, real folders first, then symlinked folders.

    Each folder (by device and inode) is read once: a symlink to a folder already read inside the
    tree adds nothing, and a symlink to one of its own ancestors is rejected once as a loop.
    """
    seen: set[tuple[int, int]] = set()
    linked: list[Path] = []  # symlinked folders, followed once the real tree is read
    yield from _walk(folder, seen, linked)
    while linked:
        link = linked.pop(0)
        try:
            info = os.stat(link)
        except OSError as error:
            yield Rejected(str(link), f"{Reasons.UNREADABLE_FOLDER}: {error.strerror or error}")
            continue
        if (info.st_dev, info.st_ino) in seen:
            target = os.path.realpath(link)
            parent = os.path.realpath(link.parent)
            if _is_within(parent, target):
                yield Rejected(str(link), Reasons.SYMLINK_LOOP)
            continue  # another link to a folder already read: nothing new in it
        yield from _walk(link, seen, linked)


def _walk(top: Path, seen: set[tuple[int, int]], linked: list[Path]) -> Iterator[Document | Rejected]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            yield Rejected(str(folder), f"{Reasons.UNREADABLE_FOLDER}: {error.strerror or error}")
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_link = entry.is_symlink()
            except OSError:
                is_dir, is_link = False, False
            if is_dir:
                (linked if is_link else subfolders).append(path)
            elif path.suffix.lower() in READABLE_SUFFIXES:
                yield from read_file(path)
        stack.extend(reversed(subfolders))


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:
        return False


def read_file(path: str | os.PathLike) -> Iterator[Document | Rejected]:
    """Read one file by its suffix (.txt, .html, .jsonl; anything else as text)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as error:
        yield Rejected(str(path), f"{Reasons.UNREADABLE}: {error.strerror or error}")
        return
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
        yield Rejected(str(path), f"{Reasons.NOT_A_FILE} ({kind})")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
            return
        data = path.read_bytes()
    except OSError as error:
        yield Rejected(str(path), f"{Reasons.UNREADABLE}: {error.strerror or error}")
        return
    if not data.strip():
        yield Rejected(str(path), Reasons.EMPTY)
        return
    text = decode(data, html=suffix in HTML_SUFFIXES)
    if text is None:
        yield Rejected(str(path), Reasons.BINARY)
        return
    if not text.strip():
        yield Rejected(str(path), Reasons.EMPTY)
        return
    if suffix in HTML_SUFFIXES:
        yield from _read_html(path, text)
    elif len(text) <= MAX_DOCUMENT_CHARS:
        yield Document(text=text, source=str(path), title=path.stem)
    else:
        # A text file this large is many texts run together: read it in parts cut at paragraph
        # breaks, so that one file does not hold the whole pipeline's memory at once.
        for number, part in enumerate(split_large_text(text), start=1):
            yield Document(text=part, source=f"{path}#part{number}", title=f"{path.stem} part {number}")


def split_large_text(text: str, limit: int | None = None) -> Iterator[str]:
    """Cut a text into parts of at most ``limit`` characters, at blank lines where it can, else at
    line ends, else anywhere."""
    limit = limit or MAX_DOCUMENT_CHARS
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = max(text.rfind("\n\n", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        part = text[start:end]
        if part.strip():
            yield part
        start = end


MAX_DOCUMENT_CHARS = 2_000_000

BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# A well-formed UTF-8 sequence of two to four bytes.
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
# Decoding only this much lets the encoding guess and the binary test stay fast on a 100 MB file.
SAMPLE = 1 << 16
# Guesses charset_normalizer may make on short texts that no news file uses.
UNLIKELY_CODECS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7", "cp037",
                   "cp273", "cp424", "cp500", "cp875", "cp1006", "cp1026", "cp1140", "hz", "ptcp154", "kz1048"]
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Controls other than white space, and the replacement character: many of them mean binary data.
NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: an undecodable byte stands for itself (Latin-1), as browsers do."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler for stray bytes in UTF-8: read them as Windows-1252."""
    return error.object[error.start:error.end].decode("cp1252", errors="equipoise-latin1"), error.end


codecs.register_error("equipoise-latin1", _latin1_fallback)
codecs.register_error("equipoise-cp1252", _cp1252_fallback)


def decode(data: bytes, html: bool = False) -> str | None:
    """Decode bytes to text; None for binary data.

    Order: a BOM (UTF-8, UTF-16, UTF-32); UTF-16 without BOM (NUL bytes in every other place);
    UTF-8; UTF-8 with a few stray legacy bytes (read as Windows-1252); for HTML the declared
    <meta charset>; otherwise the legacy code page charset_normalizer finds (cp1251, latin-1...).
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _text_or_none(data[len(bom):].decode(codec, errors="replace"))
    if b"\x00" in data[:SAMPLE]:
        codec = _bomless_utf16(data[:SAMPLE])
        return _text_or_none(data.decode(codec, errors="replace")) if codec else None
    try:
        return _text_or_none(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _text_or_none(_decode_legacy(data, html))


def _decode_legacy(data: bytes, html: bool = False, codec: str | None = None) -> str:
    valid = len(UTF8_MULTIBYTE.findall(data[:SAMPLE * 4]))
    invalid = data[:SAMPLE * 4].decode("utf-8", errors="replace").count("\ufffd")
    if valid >= invalid:  # mostly UTF-8 with a few stray bytes ("caf\xe9" pasted into UTF-8 text)
        return data.decode("utf-8", errors="equipoise-cp1252")
    if codec is None and html:
        declared = META_CHARSET.search(data[:4096])
        if declared:
            try:
                codec = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                codec = None
    codec = codec or guess_codec(data)
    return data.decode(codec, errors="equipoise-latin1" if codec == "cp1252" else "replace")


def guess_codec(data: bytes) -> str:
    """The legacy code page of bytes that are not UTF-8.

    With enough non-ASCII bytes charset_normalizer decides; a short text gives it too little
    to go on, so then: Cyrillic (cp1251) when the non-ASCII bytes form whole words, as Russian
    letters do; Western (cp1252) when they stand alone among ASCII letters ("café", "Größe").
    """
    sample = data[:SAMPLE]
    runs = NON_ASCII_RUN.findall(sample)
    high = sum(len(run) for run in runs)
    if high >= 64:
        from charset_normalizer import from_bytes  # comes with trafilatura; only needed for legacy encodings

        best = from_bytes(sample, cp_exclusion=UNLIKELY_CODECS).best()
        if best is not None and best.encoding:
            return best.encoding
    in_words = sum(len(run) for run in runs if len(run) >= 3)
    return "cp1251" if high and in_words * 2 >= high else "cp1252"


def _bomless_utf16(sample: bytes) -> str | None:
    """utf-16-le or -be when NUL bytes fill every other place (ASCII text in UTF-16), else None."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _text_or_none(text: str) -> str | None:
    """The text, or None when its start is full of control or replacement characters (binary data)."""
    sample = text[:SAMPLE]
    if len(NOT_TEXT.findall(sample)) > 0.05 * len(sample) + 1:
        return None
    return text


def _read_jsonl(path: Path) -> Iterator[Document | Rejected]:
    """One Document per line with a non-empty "text"; the file is streamed, so memory stays
    bounded by its longest line. Lines are split at "\n" only (JSON allows raw U+2028)."""
    with open(path, "rb") as lines:
        head = lines.read(SAMPLE)
        lines.seek(0)
        if not head.strip():
            yield Rejected(str(path), Reasons.EMPTY)
            return
        if any(head.startswith(bom) for bom, codec in BOMS if codec != "utf-8") or b"\x00" in head:
            # UTF-16/32 or binary: decoded whole (rare, and not streamable line by line).
            text = decode(lines.read())
            if text is None:
                yield Rejected(str(path), Reasons.BINARY)
                return
            numbered = enumerate(text.split("\n"), start=1)
        else:
            numbered = _decoded_lines(lines)
        found = False
        for number, line in numbered:
            if not line.strip():
                continue
            found = True
            yield from _jsonl_row(path, number, line)
        if not found:
            yield Rejected(str(path), Reasons.EMPTY)


def _decoded_lines(lines) -> Iterator[tuple[int, str | None]]:
    guessed = None  # charset_normalizer's code page, asked once per file (at the first long legacy line)
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            codec = None
            if sum(map(len, NON_ASCII_RUN.findall(raw))) >= 64:
                codec = guessed = guessed or guess_codec(raw)
            yield number, _text_or_none(_decode_legacy(raw, codec=codec))


SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_row(path: Path, number: int, line: str | None) -> Iterator[Document | Rejected]:
    if line is None:
        yield Rejected(str(path), Reasons.BINARY_LINE, number)
        return
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        yield Rejected(str(path), f"{Reasons.BAD_JSON}: {error.msg}", number)
        return
    except (ValueError, RecursionError) as error:  # nesting too deep, number too long
        yield Rejected(str(path), f"{Reasons.BAD_JSON}: {type(error).__name__}", number)
        return
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
        yield Rejected(str(path), Reasons.NO_TEXT_FIELD, number)
        return
    yield Document(
        text=_clean_str(row["text"]),
        source=f"{path}:{number}",
        title=_optional_str(row.get("title")),
        date=_optional_str(row.get("date") or row.get("published")),
        url=_optional_str(row.get("url")),
    )


def _clean_str(text: str) -> str:
    """A lone surrogate ("\\ud800" escaped in JSON) cannot be stored as UTF-8: replace it."""
    return SURROGATE.sub("\ufffd", text) if SURROGATE.search(text) else text


def _read_html(path: Path, html: str) -> Iterator[Document | Rejected]:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception as error:  # a page the parser chokes on is one rejected input, not a failed run
        yield Rejected(str(path), f"{Reasons.NO_ARTICLE}: {type(error).__name__}")
        return
    text = (extracted.text or "") if extracted is not None else ""
    # A lone link or button ("Home") is what is left of a page with no article.
    if len(re.findall(r"\w{2,}", text)) < 3:
        yield Rejected(str(path), Reasons.NO_ARTICLE)
        return
    yield Document(text=text, source=str(path), title=extracted.title,
                   date=extracted.date, url=extracted.url)


def _optional_str(value) -> str | None:
    return None if value is None else _clean_str(str(value))
