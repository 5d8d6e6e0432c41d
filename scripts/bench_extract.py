"""Benchmark `stance extract` on the development articles repeated to >= 1,000 articles.

Runs the extraction path of `stance extract` (pipeline.workflow.extract_articles) in one of three modes
and prints articles/s, quotes/s, wall time and peak RSS:
  single   one process, spaCy n_process=1;
  spacy    spaCy parses with n_process=N (the rest of the pipeline in the parent process);
  pool     N worker processes, each running the whole extraction path on its share of the articles.

    .venv/bin/python scripts/bench_extract.py --articles 1000 --mode pool --workers 2
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
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


def chunks(articles: list[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive slices of at most `size` articles."""
    for start in range(0, len(articles), size):
        yield articles[start : start + size]


def run(articles: list[Article], config: PipelineConfig, mode: str, workers: int) -> tuple[int, int]:
    """Run the benchmark in one mode; (articles, quotes) extracted."""
    if mode == "single":
        return run_chunk(articles, config)
    if mode == "spacy":
        return run_chunk(articles, replace(config, quotes=replace(config.quotes, n_process=workers)))
    size = config.workflow.articles_per_batch * 2
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_chunk, chunks(articles, size), [config] * -(-len(articles) // size)))
    return sum(r[0] for r in results), sum(r[1] for r in results)


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
    parser.add_argument("--mode", choices=("single", "spacy", "pool"), default="pool")
    parser.add_argument("--workers", type=int, default=2, help="processes for the spacy and pool modes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pipeline").setLevel(logging.WARNING)
    config = PipelineConfig.load()
    articles = repeated_articles(args.folder, args.articles, config)
    if args.mode != "pool":
        run_chunk(articles[:2], config)  # load spaCy and the lexicons outside the timed run
    start = time.perf_counter()
    done, quotes = run(articles, config, args.mode, args.workers)
    wall = time.perf_counter() - start
    own, child = peak_rss_mib()
    log.info("mode=%s workers=%d articles=%d quotes=%d", args.mode, args.workers, done, quotes)
    log.info("wall %.1f s | %.2f articles/s | %.1f quotes/s", wall, done / wall, quotes / wall)
    log.info("peak RSS: parent %.0f MiB, largest child %.0f MiB", own, child)


if __name__ == "__main__":
    main()
