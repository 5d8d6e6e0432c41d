"""Slow: trains the real small model on a separable fixture, then checks save/load and predictions."""

import json

import numpy as np
import pytest

from pipeline.config import ConfigError
from pipeline.metrics import macro_f1
from pipeline.stance import StanceModel, adapt_prior
from pipeline.train import freeze_lower


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


def _gaussian_posteriors(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Exact posteriors under a uniform prior for three unit Gaussians at -2, 0, 2."""
    x = rng.normal(np.array([-2.0, 0.0, 2.0])[labels], 1.0)
    likelihood = np.exp(-0.5 * (x[:, None] - np.array([-2.0, 0.0, 2.0])) ** 2)
    return likelihood / likelihood.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("true_prior", [(0.1, 0.2, 0.7), (0.6, 0.3, 0.1), (1 / 3, 1 / 3, 1 / 3)])
def test_prior_adaptation_recovers_the_batch_prior_and_does_not_hurt_accuracy(true_prior):
    rng = np.random.default_rng(0)
    labels = rng.choice(3, size=6000, p=true_prior)
    probs = _gaussian_posteriors(labels, rng)
    adapted, prior = adapt_prior(probs, np.full(3, 1 / 3), "all")
    assert np.abs(prior - np.array(true_prior)).max() < 0.03
    assert np.allclose(adapted.sum(axis=1), 1.0)
    before, after = (probs.argmax(1) == labels).mean(), (adapted.argmax(1) == labels).mean()
    assert after >= before - 0.005
    if max(true_prior) > 0.5:
        assert after > before + 0.02


def test_neutral_mode_moves_only_the_neutral_share():
    rng = np.random.default_rng(1)
    labels = rng.choice(3, size=6000, p=(0.2, 0.2, 0.6))
    probs = _gaussian_posteriors(labels, rng)
    adapted, prior = adapt_prior(probs, np.full(3, 1 / 3), "neutral")
    assert abs(prior[0] - prior[1]) < 1e-9 and abs(prior[2] - 0.6) < 0.03  # favour:against stays 1:1
    assert (adapted.argmax(1) == labels).mean() > (probs.argmax(1) == labels).mean()


def test_a_collapsed_prior_is_reported(caplog):
    weak = np.array([[0.4, 0.2, 0.4], [0.2, 0.4, 0.4]] + [[0.05, 0.05, 0.9]] * 8)  # stances only weakly signalled
    with caplog.at_level("WARNING", logger="pipeline.stance"):
        _, prior = adapt_prior(weak, np.full(3, 1 / 3), "neutral")
    assert prior[2] > 0.98 and "prior adaptation drove favour to" in caplog.text


@pytest.mark.parametrize("mode", ["none", "neutral", "all"])
def test_prior_adaptation_of_an_empty_batch_or_mode_none_is_a_no_op(mode):
    adapted, prior = adapt_prior(np.zeros((0, 3)), np.full(3, 1 / 3), mode)
    assert adapted.shape == (0, 3) and np.allclose(prior, 1 / 3)
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert adapt_prior(probs, np.full(3, 1 / 3), "none")[0] is probs


def test_unknown_prior_mode_is_a_config_error():
    with pytest.raises(ConfigError, match="prior adaptation must be one of"):
        adapt_prior(np.full((2, 3), 1 / 3), np.full(3, 1 / 3), "some")


def _small_encoder(layers: int):
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=32, num_labels=3)  # fmt: skip
    return BertForSequenceClassification(config)


def test_freezing_leaves_only_the_top_layers_and_the_head_trainable():
    model = _small_encoder(3)
    freeze_lower(model, 2)
    trainable = {n.split(".")[1] if n.startswith("bert.") else n.split(".")[0]
                 for n, p in model.named_parameters() if p.requires_grad}  # fmt: skip
    assert trainable == {"encoder", "pooler", "classifier"}
    assert all(not p.requires_grad for layer in model.bert.encoder.layer[:2] for p in layer.parameters())
    assert all(p.requires_grad for p in model.bert.encoder.layer[2].parameters())


@pytest.mark.parametrize("n", [3, 4])
def test_freezing_every_layer_is_a_config_error(n):
    with pytest.raises(ConfigError, match="leaves nothing to train"):
        freeze_lower(_small_encoder(3), n)


def test_a_headline_model_leads_with_the_title_and_warns_when_rows_have_none(caplog):
    model = StanceModel(None, None, {"config": {"use_context": True, "use_title": True}}, None)
    row = {"text": "It will fail.", "context": "Jo said: “It will fail.”"}
    rows = [{**row, "title": "Trust plan splits council"}, row]
    assert model.inputs(rows) == ["Trust plan splits council [SEP] It will fail. [SEP] Jo said: “…”",
                                  "It will fail. [SEP] Jo said: “…”"]  # fmt: skip
    assert "1 of 2 rows have no 'title'" in caplog.text
