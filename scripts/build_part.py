"""Build a stance corpus part from writers' files and blind labellers' files (how part h11 was made).

Writers wrote articles and listed their quotes without labels (`wN_articles.jsonl`, `wN_quotes.jsonl`);
a different helper labelled each writer's quotes against GUIDELINES.md (`wN_labels.jsonl`). This checks
every row and writes `articles_PART.jsonl` and `quotes_PART.jsonl` in the corpus format.
Usage: python scripts/build_part.py SOURCE_DIR PART OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABELS = {"favour", "against", "neutral"}
HARD_CASES = {"none", "procedural", "sentiment_mismatch", "other_policy", "concessive", "question", "mixed",
              "conditional", "reporting_others", "irony", "nonprofit_only"}  # fmt: skip
MADE_BY = "written by the project (one helper wrote the article and its quotes; another labelled them blind)"


def rows(path: Path) -> list[dict]:
    """JSON lines of a file, failing with the file and line on a malformed one."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as err:
                sys.exit(f"{path}:{number}: malformed JSON ({err.msg})")
    return out


def labelled_quotes(source: Path, writer: str, articles: dict[str, dict]) -> list[dict]:
    """One writer's quotes with the labeller's label, hard case and rationale; every check is fatal."""
    labels = {r["id"]: r for r in rows(source / f"{writer}_labels.jsonl")}
    quotes = rows(source / f"{writer}_quotes.jsonl")
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
        for article in rows(source / f"{writer}_articles.jsonl"):
            articles[article["id"]] = {**article, "made_by": MADE_BY}
        quotes += labelled_quotes(source, writer, articles)
    for name, items in (("articles", list(articles.values())), ("quotes", quotes)):
        text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        (out_dir / f"{name}_{part}.jsonl").write_text(text, encoding="utf-8")
    print(f"{part}: {len(articles)} articles, {len(quotes)} quotes from writers {', '.join(writers)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
