"""Reports: the profile in the terminal (rich) and as one self-contained HTML file (jinja2)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from .document import DIMENSIONS


def print_profile(result: dict, console: Console | None = None, evidence_chars: int = 160) -> None:
    """Print a run summary and the focal country's profile: partners ranked, by dimension, with evidence."""
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
    if profile["sources"]:
        console.print("Relations by data set: " + ", ".join(f"{name} {n}" for name, n in profile["sources"].items()))
    console.print("[bold]Strongest evidence per partner[/]")
    for partner in profile["partners"]:
        strongest = partner["evidence"][0]
        console.print(f"  [bold]{partner['name']}[/] {_signed(strongest['score'])} {strongest['dimension']} "
                      f"({strongest['rule']}): {_clip(strongest['evidence'], evidence_chars)}", highlight=False)


def write_html(result: dict, out_dir: str | Path) -> Path:
    """Write the report as one self-contained HTML file (no network needed); returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=PackageLoader("equipoise", "templates"), autoescape=select_autoescape())
    env.filters["signed"] = _signed
    html = env.get_template("report.html").render(profile=result["profile"], counts=result.get("counts"),
                                                  rejected=result.get("rejected", []), dimensions=DIMENSIONS)
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
