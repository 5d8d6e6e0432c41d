"""Slow: `stance score` on the seed articles with the fixture model; an interrupted run resumes to the same output."""

import json

import pyarrow.parquet as pq
import pytest

import pipeline.scoring as scoring
from pipeline.config import ConfigError
from pipeline.scoring import SHARDS, ScoreConfig, score_corpus
from tests.conftest import SEEDS

SMALL_SHARDS = ScoreConfig(articles_per_shard=2, batch_size=8)


@pytest.fixture(scope="module")
def clean_run(trained, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    manifest = score_corpus([str(SEEDS)], trained[0].model_dir, out, score_config=SMALL_SHARDS)
    return out, manifest


@pytest.mark.slow
def test_every_quote_row_has_probabilities_and_a_label(clean_run):
    out, manifest = clean_run
    rows = [json.loads(line) for line in (out / "quotes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert manifest["articles"] == 5 and manifest["quotes"] == len(rows) > 20
    for row in rows:
        assert abs(row["p_favour"] + row["p_against"] + row["p_neutral"] - 1) < 1e-5
        assert row["label"] in {"favour", "against", "neutral"}
        assert row["content_hash"] and row["start"] < row["end"]
    assert pq.read_table(out / "quotes.parquet").num_rows == len(rows)


@pytest.mark.slow
def test_interrupted_run_resumes_to_the_same_output(clean_run, trained, tmp_path, monkeypatch):
    out, real_shard = tmp_path / "run", scoring._score_shard
    calls = []

    def dies_on_second_shard(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # what Ctrl-C or a kill between shards leaves behind
        return real_shard(*args)

    monkeypatch.setattr(scoring, "_score_shard", dies_on_second_shard)
    with pytest.raises(KeyboardInterrupt):
        score_corpus([str(SEEDS)], trained[0].model_dir, out, score_config=SMALL_SHARDS)
    assert len(list((out / SHARDS).glob("*.json"))) == 1 and not (out / "quotes.jsonl").exists()
    monkeypatch.setattr(scoring, "_score_shard", real_shard)
    first = json.loads(next((out / SHARDS).glob("*.json")).read_text(encoding="utf-8"))
    manifest = score_corpus([str(SEEDS)], trained[0].model_dir, out, score_config=SMALL_SHARDS)
    clean_out, clean_manifest = clean_run
    assert (out / "quotes.jsonl").read_bytes() == (clean_out / "quotes.jsonl").read_bytes()
    assert pq.read_table(out / "quotes.parquet").equals(pq.read_table(clean_out / "quotes.parquet"))
    assert manifest["quotes_scored_this_run"] == clean_manifest["quotes"] - len(first["rows"])  # nothing twice


@pytest.mark.slow
def test_a_second_run_scores_nothing_again(clean_run, trained):
    out, manifest = clean_run
    again = score_corpus([str(SEEDS)], trained[0].model_dir, out, score_config=SMALL_SHARDS)
    assert again["quotes_scored_this_run"] == 0 and again["quotes"] == manifest["quotes"]


@pytest.mark.slow
def test_prior_adaptation_reweights_the_combined_rows_and_keeps_raw_shards(clean_run, trained, tmp_path):
    raw_out, _ = clean_run
    config = ScoreConfig(articles_per_shard=2, batch_size=8, adapt_prior="neutral")
    manifest = score_corpus([str(SEEDS)], trained[0].model_dir, tmp_path, score_config=config)
    raw = [json.loads(line) for line in (raw_out / "quotes.jsonl").read_text(encoding="utf-8").splitlines()]
    adapted = [json.loads(line) for line in (tmp_path / "quotes.jsonl").read_text(encoding="utf-8").splitlines()]
    prior = manifest["estimated_prior"]
    assert manifest["prior_adapted"] == "neutral" and abs(sum(prior.values()) - 1) < 1e-6
    for label in ("favour", "against", "neutral"):  # EM's fixed point: the prior is the mean adapted posterior
        assert abs(prior[label] - sum(r[f"p_{label}"] for r in adapted) / len(adapted)) < 1e-4
    assert any(abs(a["p_neutral"] - r["p_neutral"]) > 1e-3 for a, r in zip(adapted, raw, strict=True))
    shard_rows = [r for s in (tmp_path / SHARDS).glob("*.json") for r in json.loads(s.read_text())["rows"]]
    assert sorted(r["p_neutral"] for r in shard_rows) == sorted(r["p_neutral"] for r in raw)


def test_missing_model_fails_before_any_work(tmp_path):
    with pytest.raises(ConfigError, match="stance_meta.json"):
        score_corpus([str(SEEDS)], tmp_path / "no-model", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_score_config_is_checked():
    with pytest.raises(ConfigError):
        ScoreConfig(articles_per_shard=0)
