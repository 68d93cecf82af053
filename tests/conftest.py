"""Shared fixtures: the default pipeline, a hand-built document helper, temporary stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from equipoise.document import Document
from equipoise.pipeline import load
from equipoise.sources import default_corpus

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    return load()


@pytest.fixture
def run(nlp):
    """Run the pipeline over a text and return the Document."""

    def run_text(text: str, date: str | None = None) -> Document:
        return nlp(Document(text, source="test", date=date))

    return run_text


@pytest.fixture(scope="session")
def reference_article() -> Path:
    return default_corpus()[0]


@pytest.fixture(scope="session")
def reference_gold() -> Path:
    return DATA / "azerbaijan-diplomacy-tehran-times.json"


def relation_keys(doc: Document) -> set[tuple]:
    """(sorted pair, dimension, sign) of every relation that is not negated."""
    return {(tuple(sorted((r.source, r.target))), r.dimension, "+" if r.score > 0 else "-")
            for r in doc.relations if r.modality != "negated" and r.score}


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. .ci/run installs it; a developer without it skips."""
    import os
    import shutil

    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run should have installed it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
