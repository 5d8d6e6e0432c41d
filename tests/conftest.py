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
