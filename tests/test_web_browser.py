"""The web app end to end in headless Chromium: index, country page, evidence, analyse a text.

Writes docs/screenshot-country.png (the country page as the README shows it).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")

from equipoise import api  # noqa: E402
from equipoise.web import create_app  # noqa: E402

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot-country.png"
# Hand-written for this test; in no gold set.
ARTICLE = ("Mongolia and Japan signed an agreement in Ulaanbaatar on Tuesday to expand cooperation on copper "
           "mining and renewable energy. Mongolia also held talks with the European Union on trade. "
           "Relations between Mongolia and China remain tense over coal exports.")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    db = tmp_path_factory.mktemp("web-browser") / "store.duckdb"
    api.analyze(db=db)  # the bundled reference article and VOA stories
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, warm=True), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(server) else None)
    yield page
    context.close()
    assert outside == [], f"requests left the app: {outside}"


def test_index_country_and_analyse(page, server):
    page.goto(server + "/")
    rows = page.locator("#countries tbody tr")
    assert rows.count() > 20
    page.fill("#filter", "azer")
    assert page.locator("#countries tbody tr:visible").count() == 1
    page.click("#countries a[href=\"/countries/AZE\"]")
    page.wait_for_url("**/countries/AZE")
    assert page.locator("h1").inner_text().startswith("Balance profile of Azerbaijan")
    first = page.locator("table.partners tbody tr").first
    assert "Turkey" in first.locator(".partner-name").inner_text()
    page.wait_for_selector("#chart-dimensions .js-plotly-plot .main-svg")
    page.wait_for_selector("#chart-blocs .js-plotly-plot .main-svg")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000

    # A score opens to its sentences, with the actors highlighted.
    first.locator("a.open").nth(1).click()
    group = page.locator("details.evidence-group[open]").first
    assert group.is_visible()
    assert group.locator("mark.actor.focal").count() > 0 and group.locator("mark.actor.partner").count() > 0

    # Filtering by dimension re-queries.
    page.select_option("select[name=dimension]", "energy")
    page.wait_for_url("**dimension=energy**")
    assert "dimension energy" in page.content()

    # The evidence's document, with the sentence in focus.
    page.goto(server + "/countries/AZE#ev-TUR-diplomacy")
    page.locator("#ev-TUR-diplomacy a", has_text="document").first.click()
    page.wait_for_selector("article.text mark.sentence.focus")
    assert page.locator("article.text mark.actor").count() > 5

    # Analyse a new, hand-written text.
    page.goto(server + "/analyse")
    page.fill("textarea[name=text]", ARTICLE)
    page.click("button[type=submit]")
    page.wait_for_selector("table.relations")
    relations = page.locator("table.relations").first.inner_text()
    assert "MNG" in relations and "JPN" in relations and "CHN" in relations
    assert "Mongolia" in page.locator("h3").nth(1).inner_text()
    assert page.locator("table.partners tbody tr").count() >= 2
    assert page.locator("#stored").count() == 0
