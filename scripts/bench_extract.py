"""Benchmark `stance extract` on the development articles repeated to >= 1,000 articles.

Runs the extraction path of `stance extract` (pipeline.workflow.extract_articles) in one of two modes
and prints articles/s, quotes/s, wall time and peak RSS (spaCy's own n_process was measured slower than
one process here, 6.1 articles/s, because it restarts its workers for every batch; it is not offered):
  single   one process;
  pool     the workflow's own worker processes (workflow.workers = N), each running the whole extraction
           path on its share of the batches: what `stance extract` and `stance score` do with workers: 2.

    .venv/bin/python scripts/bench_extract.py --articles 1000 --mode pool --workers 2
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
from dataclasses import replace
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.ingest import read_articles
from pipeline.records import Article
from pipeline.workflow import ArticleQuotes, PipelineConfig, extract_articles

log = logging.getLogger("bench_extract")
DEV = PROJECT_ROOT / "data" / "dev" / "articles"


def repeated_articles(folder: Path, count: int, config: PipelineConfig) -> list[Article]:
    """The folder's articles, copied with distinct ids until there are at least `count`."""
    base = [a for a in read_articles([folder], config.ingest) if isinstance(a, Article)]
    if not base:
        raise SystemExit(f"no articles in {folder}")
    copies = -(-count // len(base))
    return [replace(a, id=f"{a.id}-{n}", source=f"{a.source}#{n}") for n in range(copies) for a in base]


def run_chunk(articles: list[Article], config: PipelineConfig) -> tuple[int, int]:
    """Extract one share of the articles; (articles, quotes) done."""
    done = quotes = 0
    for item in extract_articles(articles, config):
        if isinstance(item, ArticleQuotes):
            done, quotes = done + 1, quotes + len(item.rows)
    return done, quotes


def run(articles: list[Article], config: PipelineConfig, mode: str, workers: int) -> tuple[int, int]:
    """Run the benchmark in one mode; (articles, quotes) extracted."""
    one = replace(config, workflow=replace(config.workflow, workers=1))
    if mode == "single":
        return run_chunk(articles, one)
    return run_chunk(articles, replace(config, workflow=replace(config.workflow, workers=workers)))


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    """Parse arguments, warm the parser up, time one run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="at least this many articles (default 1000)")
    parser.add_argument("--folder", type=Path, default=DEV, help="articles to repeat (default data/dev/articles)")
    parser.add_argument("--mode", choices=("single", "pool"), default="pool")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the pool mode")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pipeline").setLevel(logging.WARNING)
    config = PipelineConfig.load()
    articles = repeated_articles(args.folder, args.articles, config)
    if args.mode != "pool":  # load spaCy and the lexicons outside the timed run (pool workers load their own)
        run_chunk(articles[:2], replace(config, workflow=replace(config.workflow, workers=1)))
    start = time.perf_counter()
    done, quotes = run(articles, config, args.mode, args.workers)
    wall = time.perf_counter() - start
    own, child = peak_rss_mib()
    log.info("mode=%s workers=%d articles=%d quotes=%d", args.mode, args.workers, done, quotes)
    log.info("wall %.1f s | %.2f articles/s | %.1f quotes/s", wall, done / wall, quotes / wall)
    log.info("peak RSS: parent %.0f MiB, largest child %.0f MiB", own, child)


if __name__ == "__main__":
    main()
