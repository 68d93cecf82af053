"""Reliability: bad inputs are rejected with a reason and the rest processed; a 100 MB file is read
in bounded memory; a run killed part-way and run again leaves the store an uninterrupted run leaves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from equipoise.clean import clean_text
from equipoise.cli import app
from equipoise.errors import Reasons
from equipoise.sources import default_corpus
from equipoise.store import Store

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def voa_stories() -> list[dict]:
    with open(default_corpus()[1], encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


RUSSIAN = ("Россия и Азербайджан подписали соглашение о сотрудничестве в энергетике. "
           "Москва поддерживает Баку в переговорах.")


def bad_folder(folder: Path) -> tuple[dict[str, str], dict[tuple[str, int | None], str]]:
    """A folder of good and bad inputs: (good source -> a phrase of its text, (path, line) -> reason)."""
    stories = voa_stories()
    folder.mkdir()
    good, bad = {}, {}

    def rel(name: str) -> str:
        return str(folder / name)

    (folder / "good.txt").write_text("Turkey is an essential ally for Azerbaijan. Georgia is a key partner for Armenia.\n")
    good[rel("good.txt")] = "essential ally"
    (folder / "russian-cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    good[rel("russian-cp1251.txt")] = "Россия и Азербайджан"
    (folder / "french-latin1.txt").write_bytes(
        "Turkey is a key ally of Azerbaijan, said the ministre des affaires étrangères à Paris.".encode("latin-1"))
    good[rel("french-latin1.txt")] = "étrangères à Paris"
    (folder / "utf16-bom.txt").write_bytes("Georgia signed a gas deal with Azerbaijan. Грузия.".encode("utf-16"))
    good[rel("utf16-bom.txt")] = "Грузия"
    # Invalid UTF-8: UTF-8 text with one stray Windows-1252 byte; the stray byte is read as cp1252.
    (folder / "invalid-utf8.txt").write_bytes("Iran and Azerbaijan held talks in Baku — ".encode() + b"caf\xe9 diplomacy.")
    good[rel("invalid-utf8.txt")] = "café diplomacy"
    (folder / "article.html").write_text(
        "<html><head><title>Talks</title></head><body><article><p>Russia and China held talks on energy "
        "cooperation in Moscow on Monday.</p><p>Both sides agreed to expand trade.</p></article></body></html>")
    good[rel("article.html")] = "Russia and China held talks"
    # A large single document (about 1 MB) through the whole pipeline; the 100 MB file is read below.
    big = "\n\n".join(s["text"] for s in stories) * 3
    (folder / "large.txt").write_text(big)
    good[rel("large.txt")] = stories[0]["text"][:60]
    lines = [json.dumps({"text": stories[0]["text"], "title": stories[0].get("title")}),
             '{"text": "broken',
             json.dumps({"title": "no text"}),
             "[" * 100_000,  # nesting too deep for json: RecursionError
             json.dumps({"text": stories[1]["text"] + " \u2028 end."}),  # raw U+2028 must not cut the line
             json.dumps({"text": "x\ud800y Turkey and Azerbaijan signed a deal."}),  # lone surrogate
             ""]
    (folder / "stories.jsonl").write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    good[rel("stories.jsonl") + ":1"] = stories[0]["text"][:60]
    good[rel("stories.jsonl") + ":5"] = stories[1]["text"][:60]
    good[rel("stories.jsonl") + ":6"] = "x\ufffdy Turkey"
    bad[(rel("stories.jsonl"), 2)] = Reasons.BAD_JSON
    bad[(rel("stories.jsonl"), 3)] = Reasons.NO_TEXT_FIELD
    bad[(rel("stories.jsonl"), 4)] = Reasons.BAD_JSON

    (folder / "empty.txt").write_bytes(b"")
    bad[(rel("empty.txt"), None)] = Reasons.EMPTY
    (folder / "blank.jsonl").write_bytes(b"\n \n")
    bad[(rel("blank.jsonl"), None)] = Reasons.EMPTY
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    bad[(rel("binary.txt"), None)] = Reasons.BINARY
    (folder / "nav-only.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    bad[(rel("nav-only.html"), None)] = Reasons.NO_ARTICLE
    (folder / "script-only.html").write_text("<html><body><script>var x = 1;</script></body></html>")
    bad[(rel("script-only.html"), None)] = Reasons.NO_ARTICLE
    # Unreadable even as root (chmod 000 does not stop root): a dangling symlink and a symlink to itself.
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    bad[(rel("dangling.txt"), None)] = Reasons.UNREADABLE
    (folder / "self-link.txt").symlink_to(folder / "self-link.txt")
    bad[(rel("self-link.txt"), None)] = Reasons.UNREADABLE
    # Symlink loops: a folder linking to its parent and to itself; each reported once, not followed.
    (folder / "loop").mkdir()
    (folder / "loop" / "inner.txt").write_text("Japan and South Korea agreed to boost trade ties.")
    good[rel("loop/inner.txt")] = "Japan and South Korea"
    (folder / "loop" / "up").symlink_to(folder)
    bad[(rel("loop/up"), None)] = Reasons.SYMLINK_LOOP
    (folder / "loop" / "self").symlink_to(folder / "loop")
    bad[(rel("loop/self"), None)] = Reasons.SYMLINK_LOOP
    return good, bad


def test_analyze_bad_inputs_rejected_with_reasons_rest_stored(tmp_path):
    good, bad = bad_folder(tmp_path / "in")
    db = tmp_path / "e.duckdb"
    started = time.monotonic()
    result = runner.invoke(app, ["analyze", str(tmp_path / "in"), "--db", str(db), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert time.monotonic() - started < 60
    output = " ".join(result.output.split())
    squeezed = "".join(output.split())
    assert f"{len(good)} documents read, {len(good)} stored, 0 already stored, {len(bad)} rejected" in output
    with Store(db, read_only=True) as store:
        (run,) = store.runs()
        assert run["finished"] and run["counts"]["rejected"] == len(bad) and run["counts"]["documents"] == len(good)
        found = {(r["path"], r["line"]): r["reason"] for r in run["rejected"]}
        assert len(run["rejected"]) == len(found)  # each rejection once (loops are not followed again)
        assert found.keys() == bad.keys()
        for key, reason in bad.items():
            assert found[key].startswith(reason), (key, found[key])
            where = f"{key[0]}:{key[1]}" if key[1] else key[0]
            assert "".join(f"{where}: {reason}".split()) in squeezed  # rich wraps long paths anywhere
        stored = {row["source"]: row["text"] for row in store.query("SELECT source, text FROM documents")}
        assert stored.keys() == good.keys()
        for source, phrase in good.items():
            assert clean_text(phrase) in stored[source], (source, stored[source][:100])  # stored text is cleaned
        assert "Ð" not in stored[str(tmp_path / "in" / "russian-cp1251.txt")]  # Cyrillic, not mojibake
        assert store.count("relations") > 0


def test_100mb_jsonl_and_txt_read_in_bounded_memory(tmp_path):
    """The reader on a 100 MB JSONL file (streamed: memory far below the file size) and a 100 MB text file
    (read in parts cut at paragraph breaks, nothing lost). The whole pipeline would take minutes on
    100 MB here, so it runs on the 1 MB document of the test above; `equipoise bench` measures it."""
    stories = voa_stories()
    size = 100 * 2**20
    jsonl, txt = tmp_path / "big.jsonl", tmp_path / "big.txt"
    written = lines = 0
    with open(jsonl, "w", encoding="utf-8") as out, open(txt, "w", encoding="utf-8") as plain:
        while written < size:
            story = stories[lines % len(stories)]
            line = json.dumps({"text": f"{story['text']} (copy {lines})", "title": story.get("title")}) + "\n"
            out.write(line)
            plain.write(story["text"] + "\n\n")
            written += len(line.encode())
            lines += 1
    assert jsonl.stat().st_size >= size and txt.stat().st_size >= 0.9 * size
    script = textwrap.dedent(f"""
        import resource, sys, time
        from equipoise.sources import MAX_DOCUMENT_CHARS, read_file
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.monotonic()
        docs = chars = 0
        for item in read_file({str(jsonl)!r}):
            assert hasattr(item, "text"), item
            docs += 1
            chars += len(item.text)
        jsonl_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
        parts = list(read_file({str(txt)!r}))
        assert all(len(p.text) <= MAX_DOCUMENT_CHARS for p in parts)
        print(docs, chars, jsonl_peak // 1024, sum(len(p.text) for p in parts), len(parts))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    docs, chars, peak_mb, txt_chars, parts = done.stdout.split()
    assert int(docs) == lines and int(chars) > 90 * 2**20
    assert int(peak_mb) < 50, f"reading 100 MB of JSONL grew memory by {peak_mb} MB"
    assert int(txt_chars) == len(txt.read_text(encoding="utf-8")) and int(parts) > 40


# -- interruption ----------------------------------------------------------------------------------

TABLES = {
    "documents": "id, source, title, date, url, text",  # not run: the resumed store's later documents have run 2
    "mentions": 'doc, sentence, start, "end", text, actor, how',
    "relations": 'doc, sentence, source, target, dimension, score, type, modality, date, evidence, rule, start, "end", '
                 "dataset, event_code, quad, source_detail, target_detail, is_root, event_key",
    "facts": 'doc, sentence, a, b, measure, value, unit, bound, year, evidence, rule, start, "end"',
    "memberships": 'doc, sentence, member, organization, status, evidence, rule, start, "end"',
}


def store_rows(db: Path) -> dict[str, list[tuple]]:
    with Store(db, read_only=True) as store:
        return {table: sorted(store.db.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
                for table, columns in TABLES.items()}


def story_folder(folder: Path, copies: int) -> int:
    """One .txt file per VOA story, each copied ``copies`` times with a distinct last line (distinct ids)."""
    folder.mkdir(exist_ok=True)
    n = 0
    for copy in range(copies):
        for i, story in enumerate(voa_stories()):
            (folder / f"{copy:02d}-{i:03d}.txt").write_text(f"{story['text']}\n\nCopy {copy}.\n", encoding="utf-8")
            n += 1
    return n


def analyze_command(folder: Path, db: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "equipoise", "analyze", str(folder), "--db", str(db), "--out", str(out)]


def test_killed_run_then_rerun_equals_uninterrupted_run(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    reference_db = tmp_path / "reference.duckdb"
    for attempt, copies in enumerate((2, 4, 8)):
        folder = tmp_path / f"in{attempt}"
        total = story_folder(folder, copies)  # 64 documents per store transaction: several batches
        db = tmp_path / f"killed{attempt}.duckdb"
        wal = Path(str(db) + ".wal")
        process = subprocess.Popen(analyze_command(folder, db, tmp_path / "r"), cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The schema and the run record make a small WAL; a stored batch of 64 stories adds about a megabyte.
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > 300_000:
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_midway = process.returncode == -signal.SIGKILL
        stored = store_rows(db)["documents"] if db.exists() else []
        if killed_midway and 0 < len(stored) < total:
            break
    # Whether or not the kill landed part-way, the resumed store must equal an uninterrupted one.
    again = subprocess.run(analyze_command(folder, db, tmp_path / "r"), cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    fresh = subprocess.run(analyze_command(folder, reference_db, tmp_path / "r2"), cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    resumed, reference = store_rows(db), store_rows(reference_db)
    assert len(reference["documents"]) == total
    for table in TABLES:
        assert resumed[table] == reference[table], table
    assert killed_midway and 0 < len(stored) < total, \
        f"the kill never landed part-way ({len(stored)} of {total} stored): the comparison above still held"
    with Store(db, read_only=True) as store:
        runs = store.runs()
        assert runs[0]["finished"] is None and runs[-1]["finished"]  # the killed run stays unfinished
        assert runs[-1]["counts"]["skipped"] == len(stored)


def test_large_text_file_is_read_in_parts(tmp_path):
    from equipoise.sources import split_large_text

    paragraphs = [f"Paragraph {i}: Georgia and Armenia signed a deal." for i in range(50)]
    text = "\n\n".join(paragraphs)
    parts = list(split_large_text(text, limit=400))
    assert "".join(parts) == text  # nothing lost
    assert all(len(p) <= 400 for p in parts) and len(parts) > 5
    assert all(p.rstrip().endswith("deal.") for p in parts)  # cut at paragraph breaks
