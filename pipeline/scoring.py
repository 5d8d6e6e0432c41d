"""`stance score`: extract, attribute and classify every quote of a corpus, resumably and atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import ConfigError, load_section
from pipeline.ingest import IngestError, read_articles
from pipeline.records import Article
from pipeline.stance import StanceModel
from pipeline.workflow import ArticleQuotes, PipelineConfig, extract_articles, write_jsonl

log = logging.getLogger(__name__)
SHARDS = "shards"


@dataclass(frozen=True)
class ScoreConfig:
    """How scoring batches its work: articles per resumable shard, quotes per forward pass, torch threads."""

    articles_per_shard: int = 32
    batch_size: int = 32
    threads: int = 2

    def __post_init__(self) -> None:
        if min(self.articles_per_shard, self.batch_size, self.threads) < 1:
            raise ConfigError("scoring: articles_per_shard, batch_size and threads must be >= 1")

    @classmethod
    def load(cls, path: Path | None = None) -> ScoreConfig:
        """Defaults overridden by the `scoring` section of configs/pipeline.yaml (or the file given)."""
        return load_section(cls, "scoring", path)


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
    return _combine(out, model, input_list, failures, quotes_scored, time.perf_counter() - started)


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


def _combine(
    out: Path, model: StanceModel, inputs: list[str], failures: list[str], scored: int, seconds: float
) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [r for s in sorted((out / SHARDS).glob("*.json")) for r in json.loads(s.read_text(encoding="utf-8"))["rows"]]
    rows.sort(key=lambda r: (r["source"], r["article_id"], r["start"]))
    write_jsonl(out / "quotes.jsonl", rows)
    if rows:
        tmp = out / ".quotes.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(rows), tmp)
        os.replace(tmp, out / "quotes.parquet")
    manifest = {"model": str(model.meta["config"]["name"]), "model_hash": model.hash, "config": model.meta["config"],
                "inputs": inputs, "articles": len({r["content_hash"] for r in rows}), "quotes": len(rows),
                "quotes_scored_this_run": scored, "seconds_this_run": round(seconds, 2),
                "quotes_per_second_this_run": round(scored / seconds, 2) if seconds else None, "failures": failures}  # fmt: skip
    _write_atomic(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
