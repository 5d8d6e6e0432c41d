"""Agreement between a gold stance file and a blind relabelling of it (rows matched by id, else by line order).

Usage: python scripts/agreement.py data/stance/test_devnews.jsonl data/stance/agreement/test_devnews_relabel.jsonl
The relabelling may cover part of the gold file when its rows carry the gold rows' ids
(data/stance/agreement/h14_relabel.jsonl: three of part h14's six writers).
Prints macro-F1 of the relabelling against gold, Cohen's kappa, accuracy and the confusion matrix.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix, f1_score

from pipeline.records import LABELS
from pipeline.stance_data import read_jsonl


def main(gold_path: Path, relabel_path: Path) -> None:
    """Compare the two labellings row by row."""
    gold_rows, other_rows = read_jsonl(gold_path), read_jsonl(relabel_path)
    if all("id" in row for row in gold_rows + other_rows):
        by_id = {row["id"]: row for row in gold_rows}
        if missing := [row["id"] for row in other_rows if row["id"] not in by_id]:
            sys.exit(f"{relabel_path}: ids not in {gold_path}: {', '.join(missing[:5])}")
        gold_rows = [by_id[row["id"]] for row in other_rows]
    gold = [row["label"] for row in gold_rows]
    other = [row["label"] for row in other_rows]
    if len(gold) != len(other):
        sys.exit(f"{relabel_path}: {len(other)} rows, {gold_path} has {len(gold)}")
    agree = sum(a == b for a, b in zip(gold, other, strict=True)) / len(gold)
    print(f"{gold_path.name}: {len(gold)} quotes, macro-F1 {f1_score(gold, other, average='macro'):.3f}, "
          f"kappa {cohen_kappa_score(gold, other):.3f}, agreement {agree:.3f}")  # fmt: skip
    print("rows gold, columns relabel:", ", ".join(LABELS))
    print(confusion_matrix(gold, other, labels=list(LABELS)))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
