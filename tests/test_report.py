"""Reports: every format shows the numbers aggregate.py computed; HTML is one offline file."""

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from pipeline.aggregate import AggregateConfig, summarise
from pipeline.cli import app
from pipeline.report import table_rows, write_report
from tests.test_aggregate import ROWS


@pytest.fixture
def run_dir(tmp_path):
    (tmp_path / "quotes.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps({"model": "m", "model_hash": "abc", "quotes": 5}))
    return tmp_path


def test_markdown_has_the_table_the_time_table_and_evidence(run_dir):
    config = AggregateConfig(min_quotes=3, min_articles=1)
    text = write_report(run_dir, "md", config).read_text(encoding="utf-8")
    unison = next(r for r in table_rows(summarise(ROWS, config)) if r["name"] == "Unison")
    assert f"| Unison | 3 | 2 | {unison['favour']} | {unison['against']} | 0.0 | {unison['net']} |" in text
    assert "| Kent Council * |" in text  # fewer than min_quotes: flagged
    assert (
        "| all quotes | -0.08 (n=4) | +0.20 (n=1) |" in text
    )  # 2010: (-0.7 - 0.4 + 0.4 + 0.4) / 4 = -0.075 (float: -0.0750000001)
    assert "“q” — s, *t* (2010-05-01)" in text


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ({"model": "m"}, "no prior adaptation"),
        ({"prior_adapted": "neutral", "estimated_prior": {"favour": 0.15, "against": 0.15, "neutral": 0.7}},
         "(mode `neutral`): favour 15%, against 15%, neutral 70%."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_say_whether_the_label_prior_was_adapted(run_dir, manifest, expected, fmt):
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    assert expected in write_report(run_dir, fmt, AggregateConfig()).read_text()


def test_html_is_self_contained_and_sortable(run_dir):
    page = write_report(run_dir, "html", AggregateConfig()).read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2  # net-stance chart and stance over time
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "sortTable(0)" in page and "Unison" in page and "Stance over time" in page


def test_csv_has_group_rows_then_year_rows(run_dir):
    rows = list(csv.DictReader(io.StringIO(write_report(run_dir, "csv", AggregateConfig()).read_text())))
    assert [(r["year"], r["name"]) for r in rows if r["year"] == "all"] == [("all", "Unison"), ("all", "Kent Council")]
    assert {"year": "2011", "name": "Unison", "quotes": "1", "net": "0.2"}.items() <= next(
        r for r in rows if r["year"] == "2011" and r["name"] == "Unison"
    ).items()


def test_undated_runs_say_so(tmp_path):
    (tmp_path / "quotes.jsonl").write_text("".join(json.dumps({**r, "date": None}) + "\n" for r in ROWS))
    assert "has a date" in write_report(tmp_path, "md", AggregateConfig()).read_text()


def test_report_cli_by_type_and_missing_run(run_dir, tmp_path):
    result = CliRunner().invoke(app, ["report", str(run_dir), "--by", "type", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "| union * | 3 |" in (run_dir / "report_type.md").read_text()
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, ["report", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no quotes.jsonl" in result.output
