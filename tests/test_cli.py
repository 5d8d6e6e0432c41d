import json

from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEEDS

runner = CliRunner()


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "evaluate-extraction", "train", "predict", "evaluate", "score", "report"):
        assert command in result.output


def test_extract_writes_jsonl_and_reports_bad_files(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    out = tmp_path / "q.jsonl"
    result = runner.invoke(app, ["extract", str(SEEDS / "001_1c8d85c5e4aae382.txt"), str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in " ".join(result.output.split())
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert any(r["speaker"] == "Helga Pile" and r["organisation"] == "Unison" for r in rows)
    assert {"source", "article_id", "text", "start", "end", "kind", "cue", "paragraph", "context", "route"} <= set(
        rows[0]
    )


def test_missing_model_is_a_clear_error(tmp_path):
    result = runner.invoke(
        app, ["score", str(SEEDS), "--model", str(tmp_path / "none"), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 2
    assert "not a trained stance model" in " ".join(result.output.split())
    assert not (tmp_path / "run" / "quotes.jsonl").exists()
