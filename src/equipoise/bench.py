"""Benchmarks: pipeline speed and memory against baselines measured in the same run.

    >>> from equipoise.bench import run
    >>> figures = run(size_mb=10, workers=1, relations=1_000_000)

The corpus is the bundled stories repeated, each copy made distinct by a closing
line, up to the requested size. The pipeline (read, process, store) runs in a
fresh process so that its peak memory is its own, once as it is by default (it
parses the sentences that can yield a relation) and once with ``fast`` (rules
only). Baselines run on a sample of the same corpus: spaCy's blank English
tokenizer with its sentencizer (the floor any pipeline pays) and spaCy's full
``en_core_web_sm`` pipeline, every component on all the text (the cost of
parsing everything, as parse-based coders do). The profile query is
timed on a store of the given number of synthetic relations.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .sources import default_corpus

BASELINE_SAMPLE_MB = 2.0
STATISTICAL_SAMPLE_MB = 0.3


def build_corpus(size_mb: float, path: Path) -> dict:
    """Write a JSONL corpus of about ``size_mb`` MB from the bundled stories; returns its counts."""
    stories = []
    for source in default_corpus():
        if source.suffix == ".jsonl":
            stories += [json.loads(line)["text"] for line in source.read_text(encoding="utf-8").splitlines() if line]
        else:
            stories.append(source.read_text(encoding="utf-8"))
    target, written, documents, words = size_mb * 1_000_000, 0, 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            text = f"{stories[documents % len(stories)]}\n(Copy {documents // len(stories)}.)"
            line = json.dumps({"id": str(documents), "text": text}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            documents += 1
            words += len(text.split())
    return {"documents": documents, "words": words, "megabytes": round(written / 1_000_000, 2)}


def _measure_pipeline(corpus: str, db: str, workers: int, fast: bool = False) -> dict:
    """Run in a fresh process: analyze the corpus (``fast``: with the rules-only pipeline); its time
    and peak memory (self and workers)."""
    from .api import analyze

    start = time.perf_counter()
    result = analyze([corpus], db=db, workers=workers, fast=fast)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_memory_mb": round(max(own, children), 1),
            "documents_stored": result["counts"]["documents"]}


def _sample(corpus: Path, megabytes: float) -> list[str]:
    texts, size = [], 0
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line)["text"])
            size += len(line)
            if size >= megabytes * 1_000_000:
                break
    return texts


def _words_per_second(nlp, texts: list[str]) -> float:
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return words / (time.perf_counter() - start)


def baselines(corpus: Path) -> dict[str, float]:
    """Words per second of spaCy's blank English pipeline with a sentencizer, and of the full
    en_core_web_sm pipeline (every component, the pinned parser's own model) on all the text."""
    import spacy

    from .syntax import model_path, parser_spec

    figures = {}
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    figures["spacy_blank_sentencizer"] = round(_words_per_second(blank, _sample(corpus, BASELINE_SAMPLE_MB)))
    full = spacy.load(model_path(parser_spec()))
    figures["spacy_en_core_web_sm_full"] = round(_words_per_second(full, _sample(corpus, STATISTICAL_SAMPLE_MB)))
    return figures


def profile_query_seconds(relations: int, folder: Path, country: str = "AZE") -> float:
    """Build a store of ``relations`` synthetic relations among 60 actors and time one profile."""
    from .actors import actor_table
    from .analysis import profile
    from .store import Store

    actors = sorted(a for a, row in actor_table().items() if row["kind"] == "state")[:59] + [country]
    with Store(folder / "profile.duckdb") as store:
        store.db.execute(_SYNTHETIC, [actors, relations])
        store.db.execute("CHECKPOINT")
    with Store(folder / "profile.duckdb", read_only=True) as store:
        start = time.perf_counter()
        profile(store, country)
        return time.perf_counter() - start


_SYNTHETIC = """
    INSERT INTO relations (doc, sentence, source, target, dimension, score, type, modality, date,
                           evidence, rule, start, "end", dataset)
    SELECT 'doc' || (i // 20), (i % 20)::INTEGER, list_extract(a, (i % 60)::INTEGER + 1),
           list_extract(a, ((i * 7 + 3) % 60)::INTEGER + 1),
           list_extract(['energy', 'economy', 'security', 'diplomacy', 'humanitarian'], (i % 5)::INTEGER + 1),
           ((i * 37) % 21) - 10.0, NULL,
           list_extract(['asserted', 'reported', 'planned', 'hypothetical', 'negated'], (i % 5)::INTEGER + 1),
           (2000 + (i % 25))::VARCHAR || '-' || lpad(((i % 12) + 1)::VARCHAR, 2, '0'),
           'synthetic evidence ' || i, 'bench', 0, 1, 'text'
    FROM (SELECT ?::VARCHAR[] AS a) AS actors, range(?) AS t(i)
"""


def _rates(counts: dict, measured: dict, workers: int) -> dict:
    """A pipeline run's time, words and documents per second per core, and peak memory."""
    seconds = measured["seconds"]
    return {"seconds": round(seconds, 2),
            "words_per_second_per_core": round(counts["words"] / seconds / workers),
            "documents_per_second_per_core": round(counts["documents"] / seconds / workers, 1),
            "peak_memory_mb": measured["peak_memory_mb"]}


def _fresh(function, *args):
    """Run a function in a fresh process, so that its peak memory is its own."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def run(size_mb: float = 10.0, workers: int = 1, relations: int = 1_000_000) -> dict:
    """Run every benchmark; returns the figures as one dict (``equipoise bench --json``)."""
    with tempfile.TemporaryDirectory(prefix="equipoise-bench-") as folder:
        folder = Path(folder)
        corpus = folder / "corpus.jsonl"
        counts = build_corpus(size_mb, corpus)
        measured = _fresh(_measure_pipeline, str(corpus), str(folder / "bench.duckdb"), workers)
        fast = _fresh(_measure_pipeline, str(corpus), str(folder / "fast.duckdb"), workers, True)
        speedup = None
        if workers > 1:  # the same corpus with one worker, for the speed-up of the N workers
            single = _fresh(_measure_pipeline, str(corpus), str(folder / "single.duckdb"), 1)
            speedup = round(single["seconds"] / measured["seconds"], 2)
        return {
            "corpus": counts,
            "workers": workers,
            **_rates(counts, measured, workers),
            "speedup_over_one_worker": speedup,
            "fast": _rates(counts, fast, workers),
            "baselines": baselines(corpus),
            "profile_query_relations": relations,
            "profile_query_seconds": round(profile_query_seconds(relations, folder), 3) if relations else None,
        }
