"""Export a held-out corpus part as a test set: its quotes with sentence context, less any near a training quote.

Part h14 is kept out of training (`data/stance/heldout/`) to measure what a new part is worth on news-style text
no model has seen. Quotes sharing word 5-grams with a training quote (pipeline/leakage.py) are dropped from the
test side, so the training parts stay as built.
Usage: python scripts/export_heldout.py HELDOUT_DIR OUT.jsonl   (e.g. data/stance/heldout data/stance/test_h14.jsonl)
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.leakage import find_leaks
from pipeline.stance_data import load_corpus
from pipeline.workflow import write_jsonl

FIELDS = ("id", "article_id", "title", "text", "context", "kind", "speaker", "role", "organisation", "organisation_type",
          "label", "hard_case", "rationale", "made_by")  # fmt: skip


def main(heldout: str, out: Path) -> None:
    """Write the held-out rows that no training quote comes near."""
    rows = load_corpus(heldout)
    near = {leak.test_text for leak in find_leaks(load_corpus("data/stance/parts"), rows)}
    kept = [{field: row[field] for field in FIELDS} for row in rows if row["text"] not in near]
    write_jsonl(out, kept)
    print(f"{out}: {len(kept)} of {len(rows)} quotes; {len(rows) - len(kept)} dropped as near a training quote")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
