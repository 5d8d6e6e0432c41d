"""`stance score`: extract, attribute and classify every quote of a corpus, resumably and atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import ConfigError, load_section
from pipeline.ingest import IngestError, read_articles
from pipeline.records import LABELS, Article
from pipeline.stance import PRIOR_MODES, StanceModel, adapt_prior, top_labels
from pipeline.workflow import ArticleQuotes, PipelineConfig, extract_articles, write_jsonl

log = logging.getLogger(__name__)
SHARDS = "shards"


@dataclass(frozen=True)
class ScoreConfig:
    """How scoring batches its work (articles per resumable shard, quotes per forward pass, torch threads), and
    whether the label prior is re-estimated on the scored quotes (see `pipeline.stance.adapt_prior`)."""

    articles_per_shard: int = 32
    batch_size: int = 32
    threads: int = 2
    adapt_prior: str = "none"  # "neutral" or "all": see pipeline.stance.adapt_prior

    def __post_init__(self) -> None:
        if min(self.articles_per_shard, self.batch_size, self.threads) < 1:
            raise ConfigError("scoring: articles_per_shard, batch_size and threads must be >= 1")
        if self.adapt_prior not in PRIOR_MODES:
            raise ConfigError(f"scoring: adapt_prior must be one of {', '.join(PRIOR_MODES)}, not {self.adapt_prior!r}")

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> ScoreConfig:
        """The `scoring` section of configs/pipeline.yaml (or the file given), with command-line values (not None) on top."""
        return replace(load_section(cls, "scoring", path), **{k: v for k, v in overrides.items() if v is not None})


Progress = Callable[[int, int, int], None]


def content_hash(article: Article) -> str:
    """Identity of an article's content, so a resumed run never scores it twice."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:20]


def done_hashes(out: Path) -> set[str]:
    """Content hashes already scored in complete shards."""
    hashes: set[str] = set()
    for shard in sorted((out / SHARDS).glob("*.json")):
        hashes.update(json.loads(shard.read_text(encoding="utf-8"))["hashes"])
    return hashes


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def score_corpus(inputs: Iterable[str], model_dir: Path, out: Path, config: PipelineConfig | None = None,
                 score_config: ScoreConfig | None = None, progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
    """Score every article not yet done into shards, then combine them into quotes.jsonl/.parquet and a manifest.

    `progress(articles_done, articles_to_do, quotes_scored)` is called after every shard.
    """
    config, score_config = config or PipelineConfig.load(), score_config or ScoreConfig.load()
    model = StanceModel.load(model_dir, score_config.threads)
    (out / SHARDS).mkdir(parents=True, exist_ok=True)
    done, failures, started = done_hashes(out), [], time.perf_counter()
    fresh: list[Article | IngestError] = []
    input_list = list(inputs)
    for item in read_articles(input_list, config.ingest):
        if isinstance(item, IngestError):
            failures.append(str(item))
            log.error("%s", item)
        elif content_hash(item) not in done:
            done.add(content_hash(item))
            fresh.append(item)
    shards = _shards(extract_articles(fresh, config), score_config.articles_per_shard)
    quotes_scored = articles_done = 0
    for batch in shards:
        quotes_scored += _score_shard(batch, model, out, score_config)
        articles_done += len(batch)
        if progress:
            progress(articles_done, len(fresh), quotes_scored)
    seconds = time.perf_counter() - started
    return _combine(out, model, input_list, failures, quotes_scored, seconds, score_config.adapt_prior)


def _shards(results: Iterable[ArticleQuotes | IngestError], size: int) -> Iterator[list[ArticleQuotes]]:
    """Extracted articles grouped into shards of `size`; the last shard may be smaller."""
    batch: list[ArticleQuotes] = []
    for result in results:
        batch += [result] if isinstance(result, ArticleQuotes) else []
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _score_shard(batch: list[ArticleQuotes], model: StanceModel, out: Path, cfg: ScoreConfig) -> int:
    rows = []
    for item in batch:
        a = item.article
        rows += [
            {"article_id": a.id, "title": a.title, "date": a.date, "content_hash": content_hash(a), **r}
            for r in item.rows
        ]
    for row, score in zip(rows, model.predict(rows, cfg.batch_size), strict=True):
        row.update(p_favour=score.p_favour, p_against=score.p_against, p_neutral=score.p_neutral, label=score.label)
    hashes = [content_hash(i.article) for i in batch]
    payload = {"hashes": hashes, "rows": rows}
    name = hashlib.sha256("".join(hashes).encode()).hexdigest()[:16]
    _write_atomic(out / SHARDS / f"{name}.json", json.dumps(payload, ensure_ascii=False))
    return len(rows)


def _adapt(rows: list[dict[str, Any]], model: StanceModel, mode: str) -> dict[str, float]:
    """Re-weight every row's probabilities (shards keep the raw ones) to the prior of this run's quotes."""
    fields = [f"p_{lab}" for lab in LABELS]
    adapted, prior = adapt_prior(np.array([[r[f] for f in fields] for r in rows]), model.train_prior, mode)
    for row, probs, label in zip(rows, adapted, top_labels(adapted), strict=True):
        row.update({f: float(p) for f, p in zip(fields, probs, strict=True)}, label=label)
    return dict(zip(LABELS, map(float, prior), strict=True))


def _combine(out: Path, model: StanceModel, inputs: list[str], failures: list[str], scored: int, seconds: float,
             adapt: str) -> dict[str, Any]:  # fmt: skip
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [r for s in sorted((out / SHARDS).glob("*.json")) for r in json.loads(s.read_text(encoding="utf-8"))["rows"]]
    rows.sort(key=lambda r: (r["source"], r["article_id"], r["start"]))
    prior = _adapt(rows, model, adapt) if adapt != "none" and rows else None
    write_jsonl(out / "quotes.jsonl", rows)
    if rows:
        tmp = out / ".quotes.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(rows), tmp)
        os.replace(tmp, out / "quotes.parquet")
    manifest = {"model": str(model.meta["config"]["name"]), "model_hash": model.hash, "config": model.meta["config"],
                "inputs": inputs, "articles": len({r["content_hash"] for r in rows}), "quotes": len(rows),
                "quotes_scored_this_run": scored, "seconds_this_run": round(seconds, 2),
                "quotes_per_second_this_run": round(scored / seconds, 2) if seconds else None, "failures": failures,
                "prior_adapted": adapt, "estimated_prior": prior}  # fmt: skip
    _write_atomic(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
