"""Build a stance corpus part from writers' files and blind labellers' files (how part h11 was made).

Writers wrote articles and listed their quotes without labels (`wN_articles.jsonl`, `wN_quotes.jsonl`);
a different helper labelled each writer's quotes against GUIDELINES.md (`wN_labels.jsonl`). This checks
every row, drops quotes too close to a test quote (pipeline/leakage.py, as tests/test_leakage.py checks) and
writes `articles_PART.jsonl` and `quotes_PART.jsonl` in the corpus format.
Usage: python scripts/build_part.py SOURCE_DIR PART OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.leakage import find_leaks
from pipeline.records import LABELS
from pipeline.stance_data import read_jsonl
from pipeline.workflow import write_jsonl

HARD_CASES = {"none", "procedural", "sentiment_mismatch", "other_policy", "concessive", "question", "mixed",
              "conditional", "reporting_others", "irony", "nonprofit_only"}  # fmt: skip
TESTS = ("data/stance/test_seeds.jsonl", "data/stance/test_devnews.jsonl", "data/stance/test_h14.jsonl")
MADE_BY = "written by the project (one helper wrote the article and its quotes; another labelled them blind)"


def labelled_quotes(source: Path, writer: str, articles: dict[str, dict]) -> list[dict]:
    """One writer's quotes with the labeller's label, hard case and rationale; every check is fatal."""
    labels = {r["id"]: r for r in read_jsonl(source / f"{writer}_labels.jsonl")}
    quotes = read_jsonl(source / f"{writer}_quotes.jsonl")
    if set(labels) != {q["id"] for q in quotes}:
        sys.exit(f"{writer}: labelled ids differ from quote ids")
    out = []
    for quote in quotes:
        label = labels[quote["id"]]
        if label["label"] not in LABELS or label["hard_case"] not in HARD_CASES:
            sys.exit(f"{writer}: {quote['id']} has label {label['label']!r}, hard case {label['hard_case']!r}")
        if quote["text"] not in articles[quote["article_id"]]["text"]:
            sys.exit(f"{writer}: {quote['id']} is not a substring of its article")
        out.append({**quote, "label": label["label"], "hard_case": label["hard_case"],
                    "rationale": label["rationale"], "made_by": MADE_BY})  # fmt: skip
    return out


def main(source: Path, part: str, out_dir: Path) -> None:
    """Merge every writer found in `source` into one part."""
    writers = sorted(p.name.removesuffix("_labels.jsonl") for p in source.glob("w*_labels.jsonl"))
    articles, quotes = {}, []
    for writer in writers:
        for article in read_jsonl(source / f"{writer}_articles.jsonl"):
            articles[article["id"]] = {**article, "made_by": MADE_BY}
        quotes += labelled_quotes(source, writer, articles)
    leaks = {leak.train_id for leak in find_leaks(quotes, [t for path in TESTS for t in read_jsonl(Path(path))])}
    quotes = [q for q in quotes if q["id"] not in leaks]
    write_jsonl(out_dir / f"articles_{part}.jsonl", articles.values())
    write_jsonl(out_dir / f"quotes_{part}.jsonl", quotes)
    print(f"{part}: {len(articles)} articles, {len(quotes)} quotes from writers {', '.join(writers)}; "
          f"dropped as too close to a test quote: {', '.join(sorted(leaks)) or 'none'}")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
