"""The `stance` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import json
import logging
import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.config import ConfigError

app = typer.Typer(
    help="Stakeholder stance in news: extract quotes, attribute them, classify stance on outsourcing, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one error, one line: never wrapped
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Pipeline settings (default configs/pipeline.yaml).")]


class OutFormat(StrEnum):
    """Output formats of `extract`."""

    jsonl = "jsonl"
    table = "table"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    """Set up logging for every command; the library's own progress bars and load reports stay quiet."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _progress() -> Any:
    """A rich progress bar on stderr: description, bar, done/total, elapsed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=err_console)


def _fail(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


class PriorMode(StrEnum):
    """Label-prior adaptation (pipeline.stance.adapt_prior)."""

    none = "none"
    neutral = "neutral"
    all = "all"


PRIOR_HELP = "Re-estimate the label prior on these quotes by EM (no labels): 'neutral' moves only the neutral share."


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Article files (.txt, .html, .jsonl), directories or globs.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write quotes as JSONL here.")] = None,
    fmt: Annotated[
        OutFormat, typer.Option("--format", "-f", help="Print a table, or JSONL to stdout.")
    ] = OutFormat.jsonl,
    config: ConfigOpt = None,
) -> None:
    """Extract and attribute the quotes of news articles."""
    from pipeline.workflow import PipelineConfig, run_extract

    try:
        summary = run_extract(inputs, out, PipelineConfig.load(config))
    except ConfigError as err:
        _fail(str(err))
        return
    for error in summary.errors:
        err_console.print(f"[red]error:[/red] {error}")
    if fmt is OutFormat.table:
        console.print(_quote_table(summary.rows))
    elif out is None:
        for row in summary.rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
    err_console.print(
        f"{len(summary.rows)} quotes from {summary.articles} articles" + (f", written to {out}" if out else "")
    )
    if summary.errors:
        raise typer.Exit(1)


def _quote_table(rows: list[dict[str, Any]]) -> Table:
    """Quotes as a table that stays readable on an 80-column terminal: the quote wraps, the rest is cut."""
    table = Table(show_lines=True, title="Quotes", expand=True)
    table.add_column("kind", no_wrap=True, max_width=8)
    table.add_column("quote", ratio=5)
    table.add_column("speaker", ratio=2)
    table.add_column("organisation (route)", ratio=2)
    for r in rows:
        text = r["text"] if len(r["text"]) <= 160 else r["text"][:157] + "..."
        table.add_row(r["kind"], text, r["speaker"] or "-", f"{r['organisation'] or '-'} ({r['route']})")
    return table


@app.command("evaluate-extraction")
def evaluate_extraction(
    gold: Annotated[Path, typer.Argument(help="Gold quotes (JSONL, see data/annotations/GUIDELINES.md).", exists=True)],
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Quote precision/recall/F1, speaker and organisation accuracy against gold."""
    from pipeline.evaluation import evaluate_extraction as run
    from pipeline.workflow import PipelineConfig

    try:
        report = run(gold, PipelineConfig.load(config))
    except ConfigError as err:
        _fail(str(err))
        return
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for mode in ("exact", "overlap"):
        console.print(_score_table(report[mode], mode))


def _score_table(report: dict[str, Any], mode: str) -> Table:
    title = "exact span" if mode == "exact" else "token overlap >= 50%"
    table = Table(title=f"Extraction ({title})")
    cols = ("gold", "predicted", "matched", "precision", "recall", "f1", "speaker_accuracy", "organisation_accuracy")
    table.add_column("slice")
    for c in cols:
        table.add_column(c.replace("_accuracy", " acc"), justify="right")
    rows = [("all", report["overall"])]
    rows += [(f"kind={k}", v) for k, v in report["by_kind"].items()]
    rows += [(f"route={k}", v) for k, v in report["by_route"].items()]
    for name, scores in rows:
        table.add_row(name, *(f"{scores[c]:.3f}" if isinstance(scores[c], float) else str(scores[c]) for c in cols))
    return table


@app.command()
def train(
    config: Annotated[
        Path, typer.Option("--config", "-c", help="Training config, e.g. configs/stance/default.yaml.", exists=True)
    ] = Path("configs/stance/default.yaml"),
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a config key, e.g. --set seed=14 --set name=minilm-s14 (repeatable)."),
    ] = None,
) -> None:
    """Fine-tune the stance model a config describes (resumes from its last checkpoint)."""
    from pipeline.config import parse_overrides
    from pipeline.train import train as run

    with _progress() as bar:
        task = bar.add_task("training", total=None)

        def update(text: str, done: int, total: int) -> None:
            bar.update(task, description=text, completed=done, total=total)

        try:
            metrics = run(config, update, parse_overrides(overrides))
        except ConfigError as err:
            _fail(str(err))
            return
    console.print(
        f"dev macro-F1 {metrics['dev_macro_f1']:.3f}, ECE {metrics['dev_ece_calibrated']:.3f} (T={metrics['temperature']:.2f})"
    )


@app.command()
def predict(
    data: Annotated[Path, typer.Argument(help="JSONL rows: 'text', maybe 'context', 'title'.", exists=True)],
    model: Annotated[Path, typer.Option("--model", "-m", help="A trained model directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the scored rows.")],
    adapt_prior: Annotated[PriorMode, typer.Option(help=PRIOR_HELP)] = PriorMode.none,
) -> None:
    """Add p_favour, p_against, p_neutral and label to each row."""
    from pipeline.stance_eval import predict_file

    try:
        n = predict_file(model, data, out, adapt_prior)
    except ConfigError as err:
        _fail(str(err))
        return
    err_console.print(f"{n} rows scored, written to {out}")


@app.command()
def evaluate(
    model: Annotated[Path, typer.Option("--model", "-m", help="A trained model directory.")],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            help="Gold stance JSONL (text, context, label); default: the model's dev split.",
            exists=True,
        ),
    ] = None,
    baselines: Annotated[bool, typer.Option(help="Also train and score the baselines.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Macro-F1 with a 95% article-bootstrap interval, per-class scores, confusion, ECE, and baselines."""
    from pipeline.stance_eval import evaluate_model

    try:
        results = evaluate_model(model, data, baselines)
    except ConfigError as err:
        _fail(str(err))
        return
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    table = Table(title=f"Stance on {data or 'the dev split'} ({next(iter(results.values()))['n']} quotes)")
    for col in ("system", "macro-F1", "95% CI", "F1 favour", "F1 against", "F1 neutral", "ECE", "fine-tuned gain"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, r in results.items():
        pc, gain = r["per_class"], r.get("fine_tuned_gain")
        table.add_row(name, f"{r['macro_f1']:.3f}", f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}",
                      *(f"{pc[k]['f1']:.3f}" for k in ("favour", "against", "neutral")),
                      f"{r['ece']:.3f}" if "ece" in r else "-",
                      f"{gain['diff']:+.3f} ({gain['ci95'][0]:+.2f} to {gain['ci95'][1]:+.2f})" if gain else "")  # fmt: skip
    console.print(table)
    console.print(
        "fine-tuned gain: the model's macro-F1 minus the baseline's, 95% interval from paired article resamples"
    )
    first = next(iter(results.values()))
    console.print(f"confusion (rows gold, cols predicted; favour/against/neutral): {first['confusion']}")


@app.command()
def score(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories or globs.")],
    model: Annotated[Path, typer.Option("--model", "-m", help="A trained model directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory, e.g. runs/NAME/.")],
    config: ConfigOpt = None,
    adapt_prior: Annotated[
        PriorMode | None, typer.Option(help=PRIOR_HELP + " Default: `scoring.adapt_prior` in the config.")
    ] = None,
) -> None:
    """Extract, attribute and classify every quote; resumable; writes Parquet, JSONL and a manifest."""
    from pipeline.scoring import ScoreConfig, score_corpus
    from pipeline.workflow import PipelineConfig

    try:
        with _progress() as bar:
            task = bar.add_task("scoring articles", total=None)
            started = time.perf_counter()

            def show(done: int, total: int, quotes: int) -> None:
                rate = quotes / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, total=total, description=f"{quotes} quotes, {rate:.1f} quotes/s")

            score_config = ScoreConfig.load(config, adapt_prior=adapt_prior)
            manifest = score_corpus(inputs, model, out, PipelineConfig.load(config), score_config, show)
    except ConfigError as err:
        _fail(str(err))
        return
    for failure in manifest["failures"]:
        err_console.print(f"[red]error:[/red] {failure}")
    console.print(f"{manifest['quotes']} quotes from {manifest['articles']} articles in {out} "
                  f"({manifest['quotes_per_second_this_run']} quotes/s this run)")  # fmt: skip
    if manifest["failures"]:
        raise typer.Exit(1)


class By(StrEnum):
    """Grouping of the report."""

    organisation = "organisation"
    type = "type"


class ReportFormat(StrEnum):
    """Report formats."""

    md = "md"
    html = "html"
    csv = "csv"


@app.command()
def report(
    run: Annotated[Path, typer.Argument(help="A run directory written by `stance score`.", exists=True)],
    by: Annotated[By, typer.Option("--by", help="Group by organisation or organisation type.")] = By.organisation,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.html,
    min_quotes: Annotated[
        int | None, typer.Option("--min-quotes", help="Flag groups with fewer quotes (default: configs/pipeline.yaml).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report file (default inside the run).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Stance per organisation or type, with intervals, evidence quotes and stance per year."""
    from pipeline.aggregate import AggregateConfig
    from pipeline.report import write_report

    try:
        path = write_report(run, fmt.value, AggregateConfig.load(config, by=by.value, min_quotes=min_quotes), out)
    except (ConfigError, ValueError) as err:
        _fail(str(err))
        return
    console.print(f"report written to {path}")
