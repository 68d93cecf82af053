"""The command line: each command parses its options and calls one function of the API.

Exit status: 0 when every input was read, 2 when some inputs were rejected (the
rest was processed), 1 on a fatal error.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import api
from .errors import EquipoiseError
from .sources import Rejected

EXIT_HELP = "Exit status: 0 all inputs read; 2 some inputs rejected (the rest processed); 1 fatal error."

app = typer.Typer(
    help="equipoise: how a country balances between powers, from the news.\n\n" + EXIT_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


WORKERS = typer.Option(1, "--workers", "-w", min=1, help="Processes to run the pipeline in on this machine.")
CLUSTER = typer.Option(None, "--cluster", help="Dask scheduler address (tcp://host:8786) to run the pipeline on, "
                       "or 'local' to start a LocalCluster of 2 workers here. Workers write Parquet the store loads.")


FAST = typer.Option(False, "--fast", help="Rules-only pipeline: no dependency parse, actors paired by position "
                   "in the clause. About three times the throughput, lower precision.")


def _fail(error: Exception) -> None:
    err.print(f"[red]error:[/] {error}")
    raise typer.Exit(1)


def _progress() -> Progress:
    """A progress bar on stderr, gone when the work is done."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


@app.command("analyze")
def analyze_cli(
    paths: List[Path] = typer.Argument(None, help="Files (.txt, .html, .jsonl) or folders. None: the bundled corpus."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="Focal actor id (AZE, RUS...). Default: the most-mentioned state."),
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to store everything in."),
    out: Path = typer.Option(Path("equipoise-report"), "--out", help="Folder for the HTML report."),
    workers: int = WORKERS,
    cluster: Optional[str] = CLUSTER,
    fast: bool = FAST,
) -> None:
    """Read inputs, extract actors, relations, facts and memberships, store them, print the
    focal country's balance profile and write an HTML report.

    Example: equipoise analyze articles/ --country AZE --db news.duckdb
    """
    from .report import print_profile, write_html

    console = Console()
    try:
        with _progress() as bar:
            task = bar.add_task("documents", total=None)
            result = api.analyze(paths or [], db=db, country=country.upper() if country else None,
                                 progress=lambda n: bar.update(task, completed=n), workers=workers, cluster=cluster,
                                 fast=fast)
    except EquipoiseError as error:
        _fail(error)
    print_profile(result, console)
    path = write_html(result, out)
    console.print(f"Report written to {path}; store: {db}")
    if result["rejected"]:
        raise typer.Exit(2)


@app.command("extract")
def extract_cli(
    paths: List[Path] = typer.Argument(..., help="Files (.txt, .html, .jsonl) or folders."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one record per line) or csv."),
    workers: int = WORKERS,
    cluster: Optional[str] = CLUSTER,
    fast: bool = FAST,
) -> None:
    """Print the records found in the inputs (mentions, relations, facts, memberships), no database needed.

    Every line has kind, doc and sentence; see README.md for the fields of each kind.

    Example: equipoise extract article.txt --format jsonl
    """
    if format not in ("jsonl", "csv"):
        _fail(EquipoiseError(f"unknown format {format!r}: use jsonl or csv"))
    rejected: list[Rejected] = []
    try:
        records = api.extract(paths, rejected, workers=workers, cluster=cluster, fast=fast)
        if format == "jsonl":
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            _write_csv(records)
    except EquipoiseError as error:
        _fail(error)
    for item in rejected:
        where = f"{item.path}:{item.line}" if item.line else item.path
        err.print(f"rejected {where}: {item.reason}")
    if rejected:
        raise typer.Exit(2)


@app.command("eval")
def eval_cli(
    gold: List[Path] = typer.Argument(None, help="Article gold files (docs/gold-format.md)."),
    sentences: List[Path] = typer.Option([], "--sentences", help="Sentence gold JSONL file(s) to score instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    cv: int = typer.Option(0, "--cv", metavar="K", help="With --sentences: K-fold cross-validated scores of an "
                           "event model trained afresh on the other folds and the other --sentences files, "
                           "instead of the shipped model."),
    fast: bool = FAST,
) -> None:
    """Score extraction against article gold (recall, precision, actors, memberships, facts, profile,
    with every missed and false item and its sentence; with several gold files, micro-averaged
    figures over all of them) or, with --sentences, against sentence gold (event precision, recall
    and F1 overall and per PLOVER type; quad accuracy where given).

    The shipped event model was trained on the development sentence gold, so its figures there
    are not held out: --cv K gives the held-out ones.

    Example: equipoise eval ../shared/gold/azerbaijan-diplomacy-tehran-times.json
    Example: equipoise eval --cv 5 --sentences plover-gsr-dev.jsonl --sentences confli-quad-train.jsonl
    """
    from .evaluate import evaluate_article, evaluate_sentences, micro_average

    console = Console(soft_wrap=True)
    for path in [*(gold or []), *sentences]:
        if not path.exists():
            _fail(EquipoiseError(f"no such gold file: {path}"))
    if cv and (fast or not sentences):
        _fail(EquipoiseError("--cv scores the event model on --sentences files; it needs them, and no --fast"))
    if cv < 0 or cv == 1:
        _fail(EquipoiseError(f"--cv needs at least 2 folds, not {cv}"))
    if cv:
        from .events import cross_validate

        with _progress() as progress:
            task = progress.add_task(f"{cv}-fold cross-validation", total=cv * len(sentences))
            scored = cross_validate(sentences, cv, progress=lambda: progress.advance(task))
        results = list(scored.values())
    else:
        results = [evaluate_sentences(path, fast=fast) for path in sentences]
    for result in results:
        if as_json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
            continue
        how = f" ({result['folds']}-fold cross-validated)" if "folds" in result else ""
        console.print(f"[bold]{result['gold']}[/]{how}: {result['sentences']} sentences; events precision "
                      f"{result['precision']:.3f}, recall {result['recall']:.3f}, F1 {result['f1']:.3f}, "
                      f"macro-F1 {result['macro_f1']}"
                      + (f"; quad accuracy {result['quad_accuracy']:.3f}" if "quad_accuracy" in result else ""))
        for label, figures in result["per_type"].items():
            console.print(f"  {label:<10} P {figures['precision']:.3f} R {figures['recall']:.3f} F1 {figures['f1']:.3f} "
                          f"(tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']})")
    articles = []
    for path in gold or []:
        result = evaluate_article(path, fast=fast)
        articles.append(result)
        if as_json:
            continue
        console.print(f"[bold]{path}[/]")
        console.print(f"  relations: recall {result['recall']:.3f} ({result['found']}/{result['required']}), "
                      f"precision {result['precision']:.3f}")
        console.print(f"  actors missed: {result['actors_missed'] or 'none'}")
        for name in ("memberships", "facts"):
            console.print(f"  {name}: {result[name]['found']}/{result[name]['total']}")
        profile = result["profile"]
        console.print(f"  profile holds: {profile['holds']} ({profile['passed']}/{profile['checks']} checks) "
                      f"{'; '.join(profile['problems'])}")
        for item in result["missed"]:
            console.print(f"  [yellow]missed[/] {'-'.join(item['pair'])} {item['dimension']} {item['polarity']}: "
                          f"{item['evidence']}", highlight=False)
        for item in result["false"]:
            console.print(f"  [red]false[/] {'-'.join(item['pair'])} {item['dimension']} {item['polarity']} "
                          f"({item['rule']}): {item['evidence']}", highlight=False)
    if as_json and articles:
        print(json.dumps({"articles": articles, "micro": micro_average(articles)} if len(articles) > 1 else articles[0],
                         ensure_ascii=False, indent=1))
    elif len(articles) > 1:
        micro = micro_average(articles)
        console.print(f"[bold]micro-average over {micro['articles']} articles[/]: relations recall {micro['recall']:.3f} "
                      f"({micro['found']}/{micro['required']}), precision {micro['precision']:.3f} "
                      f"({micro['false']} false), F1 {micro['f1']:.3f}; facts {micro['facts']['found']}/"
                      f"{micro['facts']['total']}; memberships {micro['memberships']['found']}/"
                      f"{micro['memberships']['total']}; profile checks {micro['profile_checks']['passed']}/"
                      f"{micro['profile_checks']['total']}; actors missed {micro['actors_missed']}")


@app.command("train")
def train_cli(
    gold: List[Path] = typer.Argument(..., help="Sentence gold JSONL files to train on (docs/gold-format.md)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the model (default: the one the "
                                       "package ships, data/event-model.json)."),
) -> None:
    """Train the event model (PLOVER type and quad of a sentence) on sentence gold and write it.
    Training is deterministic: the same files give the same file, bit for bit.

    Example: equipoise train ../shared/eval/confli-quad-train.jsonl ../shared/eval/plover-gsr-dev.jsonl
    """
    from .actors import data_path
    from .events import MODEL_FILE, train

    for path in gold:
        if not path.exists():
            _fail(EquipoiseError(f"no such gold file: {path}"))
    target = out or data_path(MODEL_FILE)
    with _progress() as bar:
        bar.add_task(f"training on {len(gold)} file(s)", total=None)
        try:
            model = train(gold, target)
        except (ValueError, KeyError) as error:
            _fail(EquipoiseError(f"cannot train on {', '.join(map(str, gold))}: {error}"))
    counts = model.meta["trained_on"]
    Console(soft_wrap=True).print(f"Event model written to {target}: {counts['sentences']} sentences, {counts['typed']} typed.")


@app.command("code-sentences")
def code_sentences_cli(
    path: Path = typer.Argument(..., help="JSONL file: one object per line with `id` and `text`."),
    fast: bool = FAST,
) -> None:
    """Code each line's text as a one-sentence document; print one line per input:
    {"id", "events": [{"source", "target" (lists of actor ids), "type" (PLOVER), "quad" (1-4), "score"}]}.

    Example: equipoise code-sentences sentences.jsonl > coded.jsonl
    """
    if not path.exists():
        _fail(EquipoiseError(f"no such file: {path}"))
    rows, bad = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            bad.append((number, error.msg))
            continue
        if not isinstance(row, dict) or "text" not in row:
            bad.append((number, "no `text` field"))
            continue
        rows.append(row)
    for coded in api.code_sentences(rows, fast=fast):
        sys.stdout.write(json.dumps(coded, ensure_ascii=False) + "\n")
    for number, reason in bad:
        err.print(f"rejected {path}:{number}: {reason}")
    if bad:
        raise typer.Exit(2)


CSV_FIELDS = ["kind", "doc", "sentence", "start", "end", "text", "actor", "how", "source", "target", "dimension",
              "score", "type", "modality", "date", "pair", "measure", "value", "unit", "bound", "year", "member",
              "organization", "status", "rule", "evidence"]


def _write_csv(records) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        if "pair" in record:
            record = {**record, "pair": "|".join(record["pair"])}
        writer.writerow(record)


@app.command("import")
def import_cli(
    paths: List[Path] = typer.Argument(..., help="Event files: plain, .gz or .zip."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="gdelt1, gdelt2 or icews. Default: detected."),
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to store the events in."),
    workers: int = WORKERS,
) -> None:
    """Import GDELT 1.0, GDELT 2.0 or ICEWS event files into the store's relations, next to the
    relations found in text; print rows read, stored, folded, unmapped and rejected.

    Example: equipoise import 20191024143000.export.CSV.zip --db news.duckdb
    """
    from .eventdata import import_events
    from .store import Store

    console = Console()
    try:
        with Store(db) as store:
            result = import_events(paths, store, format=format, workers=workers)
    except EquipoiseError as error:
        _fail(error)
    for f in result["files"]:
        console.print(f"{f['path']} ({f['format']}): {f['read']} rows read, {f['stored']} stored, "
                      f"{f['already_stored']} already stored, {f['folded']} duplicates folded, "
                      f"{f['unmapped']} unmapped, {f['rejected']} rejected", highlight=False)
    c = result["counts"]
    console.print(f"[bold]Run {result['run']}[/]: {c['read']} rows read, {c['stored']} records stored, "
                  f"{c['folded']} duplicates folded, {c['rejected']} rows rejected, {c['unmapped']} unmapped.")
    for item in result["rejected"][:20]:
        where = f"{item['path']}:{item['line']}" if item.get("line") else item["path"]
        err.print(f"  [yellow]rejected[/] {where}: {item['reason']}", highlight=False)
    if result["rejected"]:
        raise typer.Exit(2)


@app.command("bench")
def bench_cli(
    size: float = typer.Option(10.0, "--size", min=0.1, help="Corpus size in MB, built from the bundled stories."),
    workers: int = WORKERS,
    relations: int = typer.Option(1_000_000, "--relations", min=0,
                                  help="Synthetic relations in the store the profile query is timed on (0: skip)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Measure the pipeline (read, process, store), by default and with --fast, in words and
    documents per second per core and its peak memory, against baselines measured in the same run
    (spaCy's blank English tokenizer with its sentencizer; spaCy's full en_core_web_sm pipeline on
    all the text), and time a profile query on a store of --relations relations.

    Example: equipoise bench --size 200 --workers 2 --relations 10000000 --json
    """
    from .bench import run

    figures = run(size, workers, relations)
    if as_json:
        print(json.dumps(figures, indent=1))
        return
    console = Console()
    corpus = figures["corpus"]
    console.print(f"Corpus: {corpus['megabytes']} MB, {corpus['documents']} documents, {corpus['words']} words")
    console.print(f"Pipeline with {workers} worker(s): {figures['seconds']} s, "
                  f"{figures['words_per_second_per_core']} words/s per core, "
                  f"{figures['documents_per_second_per_core']} documents/s per core, "
                  f"peak memory {figures['peak_memory_mb']} MB")
    fast = figures["fast"]
    console.print(f"Pipeline --fast with {workers} worker(s): {fast['seconds']} s, "
                  f"{fast['words_per_second_per_core']} words/s per core, peak memory {fast['peak_memory_mb']} MB")
    if figures["speedup_over_one_worker"]:
        console.print(f"{workers} workers are {figures['speedup_over_one_worker']} times as fast as one")
    for name, speed in figures["baselines"].items():
        ratio = figures["words_per_second_per_core"] / speed
        fast_ratio = fast["words_per_second_per_core"] / speed
        console.print(f"Baseline {name}: {speed} words/s on one core (per core, equipoise is {ratio:.2f} times "
                      f"as fast, --fast {fast_ratio:.2f} times)")
    if figures["profile_query_seconds"] is not None:
        console.print(f"Profile query over {relations} relations: {figures['profile_query_seconds']} s")


@app.command("report")
def report_cli(
    actor: str = typer.Argument(..., help="Actor id (AZE, VNM, EU...)."),
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to read."),
    out: Path = typer.Option(Path("equipoise-report"), "--out", help="Folder for the HTML report."),
    by: str = typer.Option("year", "--by", help="Period of the trend chart: month, quarter or year."),
    blocs: Optional[Path] = typer.Option(None, "--blocs", help="JSON file of blocs (same shape as data/blocs.json)."),
) -> None:
    """Write the self-contained HTML report of an actor's profile from the store: charts of partners
    by dimension, bloc balance, the relation network and the trend, facts, memberships, and every
    score opening down to its sentences. It needs no network to open.

    Example: equipoise report AZE --db equipoise.duckdb --out report/
    """
    from .analysis import load_blocs, profile
    from .report import write_html
    from .store import Store

    if not db.exists():
        _fail(EquipoiseError(f"no such store: {db}"))
    try:
        definition = load_blocs(blocs) if blocs else None
        with Store(db, read_only=True) as store:
            result = {"profile": profile(store, actor.upper(), by=by, blocs=definition)}
    except EquipoiseError as error:
        _fail(error)
    Console().print(f"Report written to {write_html(result, out)}")


@app.command("profile")
def profile_cli(
    actor: str = typer.Argument(..., help="Actor id (AZE, VNM, EU...)."),
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to read."),
    since: Optional[str] = typer.Option(None, "--since", help="Only relations dated on or after this ISO date or year."),
    until: Optional[str] = typer.Option(None, "--until", help="Only relations dated on or before this ISO date or year."),
    by: Optional[str] = typer.Option(None, "--by", help="Also give the figures per month, quarter or year."),
    blocs: Optional[Path] = typer.Option(None, "--blocs", help="JSON file of blocs (same shape as the default data/blocs.json)."),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as one JSON object."),
) -> None:
    """Print an actor's balance profile from the store (text and imported event relations): partners
    ranked with per-dimension scores and evidence, bloc affinities and shares, the balance index and
    the tilt, and with --by the same per period. docs/analysis.md gives the formulas.

    Example: equipoise profile AZE --db equipoise.duckdb --by year --json
    """
    from .analysis import as_json as profile_json
    from .analysis import load_blocs, profile
    from .report import print_profile
    from .store import Store

    if not db.exists():
        _fail(EquipoiseError(f"no such store: {db}"))
    try:
        definition = load_blocs(blocs) if blocs else None
        with Store(db, read_only=True) as store:
            result = {"profile": profile(store, actor.upper(), since, until, by, definition)}
    except EquipoiseError as error:
        _fail(error)
    if as_json:
        print(json.dumps(profile_json(result["profile"]), ensure_ascii=False, indent=1))
    else:
        print_profile(result, Console())


@app.command("export")
def export_cli(
    format: str = typer.Option(..., "--format", "-f", help="csv, parquet (one file per table in a folder), json (one file) or graphml (actor graph)."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="Only what concerns this actor id (AZE, EU...); graphml: its ego network."),
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to read."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder (csv, parquet) or file (json, graphml). Default: equipoise-export[.json|.graphml]."),
) -> None:
    """Export the store for pandas, Gephi or a spreadsheet: its tables (documents, mentions, relations,
    facts, memberships, runs) as CSV or Parquet files or one JSON object, or the actor graph as GraphML
    (one edge per pair: weight, mean score, per-dimension scores, positive and negative counts).

    Example: equipoise export --format graphml --country AZE --db news.duckdb --out aze.graphml
    """
    from .export import export
    from .store import Store

    if not db.exists():
        _fail(EquipoiseError(f"no such store: {db}"))
    try:
        with Store(db, read_only=True) as store:
            written = export(store, format.lower(), out, country=country.upper() if country else None)
    except EquipoiseError as error:
        _fail(error)
    console = Console()
    for path in written:
        console.print(f"wrote {path}", highlight=False)


@app.command("serve")
def serve_cli(
    db: Path = typer.Option(Path("equipoise.duckdb"), "--db", help="DuckDB file to serve (created empty when missing)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Default: loopback only."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the local web app over the store: the country index, each country's profile with its
    charts and evidence (filter by dimension, period and data set), documents with their mentions
    and relations highlighted, "analyse a text", and a JSON API (/api/..., /openapi.json).

    Example: equipoise serve --db equipoise.duckdb --port 8000
    """
    import uvicorn

    from .web import create_app

    try:
        application = create_app(db, warm=True)
    except EquipoiseError as error:
        _fail(error)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: the app has no authentication")
    Console().print(f"equipoise serving {db} at http://{host}:{port}/ (Ctrl+C stops it)", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main() -> None:
    app()
