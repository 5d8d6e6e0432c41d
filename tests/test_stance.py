"""Slow: trains the real small model on a separable fixture, then checks save/load and predictions."""

import json

import pytest

from pipeline.config import ConfigError
from pipeline.metrics import macro_f1
from pipeline.stance import StanceModel
from pipeline.train import TrainConfig


@pytest.mark.slow
def test_training_loss_falls_and_beats_majority(trained):
    _, metrics, _ = trained
    losses = [h["train_loss"] for h in metrics["history"]]
    assert losses[-1] < losses[0]
    assert metrics["dev_macro_f1"] > 0.5  # majority class gives at most 1/6 macro-F1 on three balanced labels


@pytest.mark.slow
def test_saved_model_reloads_and_predicts_the_same_labels(trained):
    config, _, quotes = trained
    model = StanceModel.load(config.model_dir)
    scores = model.predict(quotes)
    assert all(abs(s.p_favour + s.p_against + s.p_neutral - 1) < 1e-5 for s in scores)
    assert macro_f1([q["label"] for q in quotes], [s.label for s in scores]) > 0.5


@pytest.mark.slow
def test_corrupt_weights_are_refused(trained, tmp_path):
    import shutil

    config, _, _ = trained
    copy = tmp_path / "copy"
    shutil.copytree(config.model_dir, copy)
    with (copy / "model.safetensors").open("r+b") as handle:
        handle.seek(2000)
        handle.write(b"corrupt")
    with pytest.raises(ConfigError, match="SHA-256"):
        StanceModel.load(copy)


def test_config_rejects_unknown_base_model():
    with pytest.raises(ConfigError):
        TrainConfig(base_model="bert-from-the-hub")


@pytest.mark.slow
def test_model_for_another_label_set_is_refused(trained, tmp_path):
    import shutil

    config, _, _ = trained
    copy = tmp_path / "copy"
    shutil.copytree(config.model_dir, copy)
    meta = json.loads((copy / "stance_meta.json").read_text())
    (copy / "stance_meta.json").write_text(json.dumps({**meta, "labels": ["pro", "con"]}))
    with pytest.raises(ConfigError, match="labels"):
        StanceModel.load(copy)
