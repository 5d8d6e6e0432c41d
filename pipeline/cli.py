"""The `stance` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import json
import logging
from enum import Enum
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
err_console = Console(stderr=True)
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Pipeline settings (default configs/pipeline.yaml).")]


class OutFormat(str, Enum):
    """Output formats of `extract`."""

    jsonl = "jsonl"
    table = "table"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    """Set up logging for every command."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _fail(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Article files (.txt, .html, .jsonl), directories or globs.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write quotes as JSONL here.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="Print a table, or JSONL to stdout.")] = OutFormat.jsonl,
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
    err_console.print(f"{len(summary.rows)} quotes from {summary.articles} articles" + (f", written to {out}" if out else ""))
    if summary.errors:
        raise typer.Exit(1)


def _quote_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(show_lines=False, title="Quotes")
    for name in ("article", "kind", "quote", "speaker", "organisation", "route"):
        table.add_column(name, overflow="fold", max_width=60 if name == "quote" else 28)
    for r in rows:
        text = r["text"] if len(r["text"]) <= 120 else r["text"][:117] + "..."
        table.add_row(r["article_id"][:8], r["kind"], text, r["speaker"] or "-", r["organisation"] or "-", r["route"])
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
