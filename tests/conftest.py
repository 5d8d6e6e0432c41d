"""Shared fixtures: the project's real configs, lexicons and (for slow tests) a tiny trained model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.organisations import Lexicon, load_lexicon
from pipeline.records import Article
from pipeline.speakers import load_speaker_lexicon
from pipeline.workflow import PipelineConfig, extract_articles

SEEDS = PROJECT_ROOT / "data" / "seeds"


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="session")
def speaker_words():
    return load_speaker_lexicon()


@pytest.fixture(scope="session")
def pipeline_config() -> PipelineConfig:
    return PipelineConfig.load()


@pytest.fixture(scope="session")
def extract_text(pipeline_config):
    """Extract the attributed quotes of one text (title line added so it is not skipped)."""

    def run(body: str) -> list[dict]:
        text = "Headline\n\n" + body
        paragraphs = []
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                paragraphs.append((pos, pos + len(line)))
            pos += len(line) + 1
        from pipeline.records import Span

        article = Article("t", "test.txt", text, tuple(Span(*p) for p in paragraphs), "Headline")
        return [r for item in extract_articles([article], pipeline_config) for r in item.rows]

    return run


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


TEMPLATES = {
    "favour": "Handing the service to an independent social work practice will help children, said {n}.",
    "against": "Privatising child protection is dangerous and must be stopped, warned {n}.",
    "neutral": "The committee meets on {n} to discuss the timetable for the annual report.",
}


def train_fixture(root: Path, **overrides):
    """Fine-tune the real small model on 60 separable template quotes; returns (config, metrics, quotes)."""
    from pipeline.train import TrainConfig, Trainer

    parts = root / "parts"
    parts.mkdir()
    arts, quotes = [], []
    for i in range(60):
        label = list(TEMPLATES)[i % 3]
        text = TEMPLATES[label].format(n=f"Speaker{i} Tuesday")
        arts.append({"id": f"a{i}", "title": "t", "date": "2010-01-01", "url": None, "text": text})
        quotes.append({"id": f"q{i}", "article_id": f"a{i}", "text": text, "label": label})
    write_jsonl(parts / "articles_x.jsonl", arts)
    write_jsonl(parts / "quotes_x.jsonl", quotes)
    settings = {"name": "fixture", "corpus_parts": str(parts), "output_dir": str(root / "models"), "max_length": 48,
                "epochs": 3, "batch_size": 8, "learning_rate": 1e-4, "patience": 3, "dev_percent": 30}  # fmt: skip
    config = TrainConfig(**{**settings, **overrides})
    return config, Trainer(config).run(), quotes


def train_and_reload(root: Path, **overrides):
    """Train the fixture with overrides, check it learns and its reload beats chance; returns (metrics, model)."""
    from pipeline.metrics import macro_f1
    from pipeline.stance import StanceModel

    config, metrics, quotes = train_fixture(root, epochs=2, **overrides)
    assert metrics["history"][-1]["train_loss"] < metrics["history"][0]["train_loss"]
    model = StanceModel.load(config.model_dir)
    assert macro_f1([q["label"] for q in quotes], [s.label for s in model.predict(quotes)]) > 0.5
    return metrics, model


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """The real small model fine-tuned on a separable fixture (slow: about a minute on 2 cores)."""
    return train_fixture(tmp_path_factory.mktemp("stance"))
