"""Run ingest -> quotes -> speakers -> organisations over many articles, in parse batches."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.config import ConfigError, load_section
from pipeline.ingest import IngestConfig, IngestError, read_articles
from pipeline.organisations import Lexicon, OrganisationsConfig, load_lexicon
from pipeline.quotes import QuotesConfig, iter_quotes
from pipeline.records import Article, quote_row
from pipeline.speakers import SpeakerLexicon, SpeakersConfig, attribute, load_speaker_lexicon

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkflowConfig:
    """How the extraction steps are batched, and over how many worker processes."""

    articles_per_batch: int = 32
    workers: int = 1  # > 1: batches go to that many processes (each loads spaCy once) when there are several

    def __post_init__(self) -> None:
        if self.articles_per_batch < 1 or self.workers < 1:
            raise ConfigError("workflow: articles_per_batch and workers must be >= 1")


@dataclass(frozen=True)
class PipelineConfig:
    """The configs of every extraction step, loaded from one YAML file."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    quotes: QuotesConfig = field(default_factory=QuotesConfig)
    speakers: SpeakersConfig = field(default_factory=SpeakersConfig)
    organisations: OrganisationsConfig = field(default_factory=OrganisationsConfig)
    workflow: WorkflowConfig = field(default_factory=WorkflowConfig)

    @classmethod
    def load(cls, path: Path | None = None) -> PipelineConfig:
        """Defaults overridden by configs/pipeline.yaml (or the file given)."""
        return cls(
            ingest=load_section(IngestConfig, "ingest", path),
            quotes=load_section(QuotesConfig, "quotes", path),
            speakers=load_section(SpeakersConfig, "speakers", path),
            organisations=load_section(OrganisationsConfig, "organisations", path),
            workflow=load_section(WorkflowConfig, "workflow", path),
        )


class ArticleQuotes(NamedTuple):
    """One article and its attributed quote rows."""

    article: Article
    rows: list[dict[str, Any]]


def extract(
    inputs: Iterable[str | Path], config: PipelineConfig | None = None
) -> Iterator[ArticleQuotes | IngestError]:
    """Attributed quotes for every readable article; an IngestError for each unreadable input."""
    config = config or PipelineConfig.load()
    return extract_articles(read_articles(inputs, config.ingest), config)


def extract_articles(
    items: Iterable[Article | IngestError], config: PipelineConfig
) -> Iterator[ArticleQuotes | IngestError]:
    """Like `extract`, for articles already read (lets callers skip or filter them first); input order kept."""
    stream = iter(items)
    first = list(islice(stream, config.workflow.articles_per_batch))
    second = list(islice(stream, config.workflow.articles_per_batch))
    batches = chain([first, second], iter(lambda: list(islice(stream, config.workflow.articles_per_batch)), []))
    if config.workflow.workers > 1 and second:
        yield from _extract_parallel(batches, config)
    else:
        for batch in batches:
            yield from _extract_batch(batch, config)


@lru_cache(maxsize=4)
def _lexicons(organisations: OrganisationsConfig, speakers: SpeakersConfig) -> tuple[Lexicon, SpeakerLexicon]:
    """The organisation and speaker lexicons, read once per process and config."""
    return load_lexicon(organisations), load_speaker_lexicon(speakers)


def _extract_batch(batch: list[Article | IngestError], config: PipelineConfig) -> list[ArticleQuotes | IngestError]:
    """One parse batch through quotes -> speakers -> organisations (also the unit a worker process runs)."""
    lexicon, words = _lexicons(config.organisations, config.speakers)
    out: list[ArticleQuotes | IngestError] = [e for e in batch if isinstance(e, IngestError)]
    articles = [a for a in batch if isinstance(a, Article)]
    for article, docs, quotes in iter_quotes(articles, config.quotes):
        attributions = attribute(article, docs, quotes, lexicon, words, config.speakers)
        rows = [quote_row(q, a) for q, a in zip(quotes, attributions, strict=True)]
        log.debug("%s: %d quotes", article.source, len(rows))
        out.append(ArticleQuotes(article, rows))
    return out


def _extract_parallel(
    batches: Iterable[list[Article | IngestError]], config: PipelineConfig
) -> Iterator[ArticleQuotes | IngestError]:
    """Batches extracted by worker processes, yielded in input order with a bounded number in flight."""
    workers = config.workflow.workers
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future[list[ArticleQuotes | IngestError]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_extract_batch, batch, config))
            if len(pending) > 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


class ExtractSummary(NamedTuple):
    """What an extraction run did: rows written, articles read, inputs that failed."""

    rows: list[dict[str, Any]]
    articles: int
    errors: list[IngestError]


def run_extract(inputs: Iterable[str | Path], out: Path | None, config: PipelineConfig | None = None) -> ExtractSummary:
    """Extract quotes from the inputs and write them as JSONL (atomically) when `out` is given."""
    rows: list[dict[str, Any]] = []
    errors: list[IngestError] = []
    articles = 0
    for item in extract(inputs, config):
        if isinstance(item, IngestError):
            log.error("%s", item)
            errors.append(item)
            continue
        articles += 1
        rows.extend(item.rows)
    if out is not None:
        write_jsonl(out, rows)
    return ExtractSummary(rows, articles, errors)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows to a temporary file and rename it, so a kill never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
