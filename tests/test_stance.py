"""Slow: trains the real small model on a separable fixture, then checks save/load and predictions."""

import json

import pytest

from pipeline.config import ConfigError
from pipeline.metrics import macro_f1
from pipeline.stance import StanceModel
from pipeline.train import TrainConfig, Trainer

TEMPLATES = {
    "favour": "Handing the service to an independent social work practice will help children, said {n}.",
    "against": "Privatising child protection is dangerous and must be stopped, warned {n}.",
    "neutral": "The committee meets on {n} to discuss the timetable for the annual report.",
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("stance")
    parts = root / "parts"
    parts.mkdir()
    arts, quotes = [], []
    for i in range(60):
        label = list(TEMPLATES)[i % 3]
        text = TEMPLATES[label].format(n=f"Speaker{i} Tuesday")
        arts.append({"id": f"a{i}", "title": "t", "date": "2010-01-01", "url": None, "text": text})
        quotes.append({"id": f"q{i}", "article_id": f"a{i}", "text": text, "label": label})
    (parts / "articles_x.jsonl").write_text("".join(json.dumps(a) + "\n" for a in arts))
    (parts / "quotes_x.jsonl").write_text("".join(json.dumps(q) + "\n" for q in quotes))
    config = TrainConfig(name="fixture", corpus_parts=str(parts), output_dir=str(root / "models"), max_length=48,
                         epochs=3, batch_size=8, learning_rate=1e-4, patience=3, dev_percent=30)  # fmt: skip
    trainer = Trainer(config)
    metrics = trainer.run()
    return config, metrics, quotes


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
