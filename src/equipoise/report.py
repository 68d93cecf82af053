"""Reports: the profile in the terminal (rich) and as one self-contained HTML file.

The HTML report draws its charts with plotly; plotly.js is inlined from the
plotly package, so the file opens with no network at all.
"""

from __future__ import annotations

import math
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from .document import DIMENSIONS


def print_profile(result: dict, console: Console | None = None, evidence_chars: int = 160) -> None:
    """Print a run summary and the focal country's profile: partners ranked, by dimension, with
    evidence; blocs, balance and tilt; the series when there is one."""
    console = console or Console()
    counts = result.get("counts")
    if counts:
        console.print(f"[bold]Run {result['run']}[/]: {counts['read']} documents read, {counts['documents']} stored, "
                      f"{counts['skipped']} already stored, {counts['rejected']} rejected; "
                      f"{counts['mentions']} mentions, {counts['relations']} relations, {counts['facts']} facts, "
                      f"{counts['memberships']} memberships written.")
        for item in result.get("rejected", [])[:20]:
            where = f"{item['path']}:{item['line']}" if item.get("line") else item["path"]
            console.print(f"  [yellow]rejected[/] {where}: {item['reason']}")
    profile = result["profile"]
    table = Table(title=f"Balance profile of {profile['name']} ({profile['country']})")
    table.add_column("#", justify="right")
    table.add_column("partner")
    table.add_column("score", justify="right")
    table.add_column("rel.", justify="right")
    for dimension in DIMENSIONS:
        table.add_column(dimension[:5], justify="right")
    for rank, partner in enumerate(profile["partners"], start=1):
        table.add_row(str(rank), f"{partner['name']} ({partner['actor']})", _signed(partner["score"]),
                      str(partner["relations"]),
                      *(_signed(partner["dimensions"][d]) if d in partner["dimensions"] else "·" for d in DIMENSIONS))
    console.print(table)
    blocs = Table(title="Blocs")
    for column in ("bloc", "affinity", "share", "members dealt with"):
        blocs.add_column(column, justify="left" if column in ("bloc", "members dealt with") else "right")
    for name, bloc in profile["blocs"].items():
        blocs.add_row(name, _signed(bloc["affinity"]), f"{bloc['share']:.2f}", " ".join(bloc["members"]) or "·")
    console.print(blocs)
    tilt = profile["tilt"]
    console.print(f"Balance index {profile['balance']:.3f} (0: all on one side, 1: even); "
                  + (f"tilt towards {tilt['bloc']} (share {tilt['share']:.2f}, {tilt['margin']:.2f} ahead)"
                     if tilt else "no positive affinity to any bloc"))
    for point in profile.get("series", []):
        point_tilt = point["tilt"]["bloc"] if point["tilt"] else "·"
        console.print(f"  {point['period']}: balance {point['balance']:.3f}, tilt {point_tilt}, "
                      f"{sum(p['relations'] for p in point['partners'])} relations")
    if profile["sources"]:
        console.print("Relations by data set: " + ", ".join(f"{name} {n}" for name, n in profile["sources"].items()))
    console.print("[bold]Strongest evidence per partner[/]")
    for partner in profile["partners"]:
        strongest = partner["evidence"][0]
        console.print(f"  [bold]{partner['name']}[/] {_signed(strongest['score'])} {strongest['dimension']} "
                      f"({strongest['rule']}): {_clip(strongest['evidence'], evidence_chars)}", highlight=False)


def write_html(result: dict, out_dir: str | Path) -> Path:
    """Write the report as one self-contained HTML file (no network needed); returns its path."""
    from plotly.offline import get_plotlyjs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = result["profile"]
    env = Environment(loader=PackageLoader("equipoise", "templates"), autoescape=select_autoescape())
    env.filters["signed"] = _signed
    html = env.get_template("report.html").render(
        profile=profile, counts=result.get("counts"), rejected=result.get("rejected", []), dimensions=DIMENSIONS,
        plotly_js=get_plotlyjs(), charts=charts(profile))
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


def charts(profile: dict) -> dict[str, str]:
    """The report's charts as HTML fragments (plotly.js itself is included once by the page)."""
    charts = {"dimensions": _dimension_chart(profile), "blocs": _bloc_chart(profile), "network": _network_chart(profile)}
    if len(profile.get("series", [])) > 1:
        charts["trend"] = _trend_chart(profile)
    return {name: _html(figure) for name, figure in charts.items() if figure is not None}


def _html(figure) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True})


def _dimension_chart(profile: dict):
    import plotly.graph_objects as go

    partners = profile["partners"]
    if not partners:
        return None
    names = [p["name"] for p in partners]
    figure = go.Figure()
    for dimension in DIMENSIONS:
        figure.add_bar(name=dimension, y=names, x=[p["dimensions"].get(dimension) for p in partners], orientation="h")
    figure.add_scatter(name="overall", y=names, x=[p["score"] for p in partners], mode="markers",
                       marker={"symbol": "diamond", "size": 10, "color": "black"})
    figure.update_layout(barmode="group", title="Partner scores by dimension (−10 conflict … +10 cooperation)",
                         height=max(320, 60 * len(partners)), yaxis={"autorange": "reversed"},
                         xaxis={"range": [-10, 10]}, margin={"l": 160})
    return figure


def _bloc_chart(profile: dict):
    import plotly.graph_objects as go

    blocs = profile["blocs"]
    if not blocs:
        return None
    names = list(blocs)
    figure = go.Figure()
    figure.add_bar(x=names, y=[blocs[n]["share"] for n in names],
                   text=[f"affinity {blocs[n]['affinity']:+.2f}" for n in names], textposition="outside",
                   marker={"color": ["#1c7ed6" if profile["tilt"] and n == profile["tilt"]["bloc"] else "#74c0fc"
                                     for n in names]})
    figure.update_layout(title=f"Bloc balance: index {profile['balance']:.2f}"
                         + (f", tilt {profile['tilt']['bloc']}" if profile["tilt"] else ""),
                         yaxis={"title": "share of positive affinity", "range": [0, 1.1]}, height=380)
    return figure


def _network_chart(profile: dict):
    """The focal country in the middle, partners on a circle; edge colour is the sign, width the count."""
    import plotly.graph_objects as go

    partners = profile["partners"]
    if not partners:
        return None
    figure = go.Figure()
    positions = {}
    for i, partner in enumerate(partners):
        angle = 2 * math.pi * i / len(partners)
        positions[partner["actor"]] = (math.cos(angle), math.sin(angle))
    for partner in partners:
        x, y = positions[partner["actor"]]
        colour = "#2b8a3e" if partner["score"] >= 0 else "#c92a2a"
        figure.add_scatter(x=[0, x], y=[0, y], mode="lines", hoverinfo="skip", showlegend=False,
                           line={"color": colour, "width": 1 + min(partner["relations"], 12)})
    figure.add_scatter(x=[positions[p["actor"]][0] for p in partners], y=[positions[p["actor"]][1] for p in partners],
                       mode="markers+text", text=[p["name"] for p in partners], textposition="top center",
                       hovertext=[f"{p['name']}: {p['score']:+.2f} ({p['relations']} relations)" for p in partners],
                       hoverinfo="text", marker={"size": 14, "color": [p["score"] for p in partners],
                                                 "colorscale": "RdYlGn", "cmin": -10, "cmax": 10},
                       showlegend=False)
    figure.add_scatter(x=[0], y=[0], mode="markers+text", text=[profile["name"]], textposition="bottom center",
                       marker={"size": 22, "color": "#1c7ed6"}, showlegend=False)
    figure.update_layout(title=f"Relations of {profile['name']}", height=520,
                         xaxis={"visible": False, "range": [-1.4, 1.4]}, yaxis={"visible": False, "range": [-1.3, 1.3]})
    return figure


def _trend_chart(profile: dict):
    import plotly.graph_objects as go

    series = profile["series"]
    periods = [point["period"] for point in series]
    figure = go.Figure()
    for bloc in profile["blocs"]:
        figure.add_scatter(name=f"{bloc} share", x=periods, y=[point["blocs"][bloc]["share"] for point in series],
                           mode="lines+markers")
    figure.add_scatter(name="balance index", x=periods, y=[point["balance"] for point in series],
                       mode="lines+markers", line={"dash": "dash", "color": "black"})
    figure.update_layout(title="Trend: bloc shares and balance index per period", yaxis={"range": [0, 1]},
                         xaxis={"type": "category"}, height=380)
    return figure


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
