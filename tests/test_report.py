"""The HTML report: what it shows, and that it renders in a real headless Chromium offline."""

import pytest

from equipoise import api
from equipoise.report import write_html

LOCAL = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def report(reference_article, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    result = api.analyze([reference_article], db=folder / "a.duckdb")
    return write_html(result, folder / "out"), result


def test_report_shows_profile_blocs_facts_memberships_and_evidence(report):
    path, result = report
    html = path.read_text()
    for heading in ("Partners by dimension", "Blocs", "Relation network", "Evidence", "Facts", "Memberships"):
        assert f"<h2>{heading}</h2>" in html
    assert "Balance index <b>" in html and "tilt towards <b>WEST</b>" in html
    assert "4,000,000,000" in html  # the trade fact, in full
    assert "<td>AZE</td><td>NATO</td><td>no</td>" in html
    assert "Turkey is an essential ally for Azerbaijan" in html  # evidence behind the scores
    assert html.index("Turkey (TUR)") < html.index("Armenia (ARM)")


def test_report_renders_offline_in_chromium(report, browser):
    path, _ = report
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("#chart-network .main-svg")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).map(chart => [chart.id,
        chart.querySelectorAll('.main-svg .plot path, .main-svg .plot rect, .main-svg .point').length])""")
    assert {chart for chart, _ in drawn} >= {"chart-dimensions", "chart-blocs", "chart-network"}
    assert all(count > 0 for _, count in drawn), drawn
    assert [url for url in requests if not url.startswith(LOCAL)] == []
    page.close()
