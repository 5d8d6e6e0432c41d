"""Give each row of a test set the headline of the article it was taken from, as `stance score` reads it.

Models trained with `use_title` lead their input with the headline; the seed and devnews test rows name their
source file, whose title pipeline/ingest.py reads (the first paragraph of a plain-text file).
Usage: python scripts/add_titles.py TEST.jsonl   (rewrites the file in place, field order kept, `title` after `article_id`)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pipeline.ingest import IngestError, read_articles
from pipeline.stance_data import read_jsonl
from pipeline.workflow import write_jsonl


def with_title(row: dict[str, Any], title: str) -> dict[str, Any]:
    """The row with `title` placed after `article_id` (or first)."""
    out: dict[str, Any] = {} if "article_id" in row else {"title": title}
    for key, value in row.items():
        if key != "title":
            out[key] = value
        if key == "article_id":
            out["title"] = title
    return out


def main(path: Path) -> None:
    """Rewrite PATH with titles read from each row's `source` file."""
    rows = read_jsonl(path)
    titles: dict[str, str] = {}
    for source in sorted({row["source"] for row in rows}):
        for item in read_articles([source]):
            if isinstance(item, IngestError):
                raise SystemExit(f"{path}: {item}")
            titles[source] = item.title
    write_jsonl(path, [with_title(row, titles[row["source"]]) for row in rows])
    print(f"{path}: {len(rows)} rows, {len(titles)} titles")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
