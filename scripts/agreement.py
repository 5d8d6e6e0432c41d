"""Agreement between a gold stance file and a blind relabelling of it (rows matched by line order).

Usage: python scripts/agreement.py data/stance/test_devnews.jsonl data/stance/agreement/test_devnews_relabel.jsonl
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
    gold = [row["label"] for row in read_jsonl(gold_path)]
    other = [row["label"] for row in read_jsonl(relabel_path)]
    if len(gold) != len(other):
        sys.exit(f"{relabel_path}: {len(other)} rows, {gold_path} has {len(gold)}")
    agree = sum(a == b for a, b in zip(gold, other, strict=True)) / len(gold)
    print(f"{gold_path.name}: {len(gold)} quotes, macro-F1 {f1_score(gold, other, average='macro'):.3f}, "
          f"kappa {cohen_kappa_score(gold, other):.3f}, agreement {agree:.3f}")  # fmt: skip
    print("rows gold, columns relabel:", ", ".join(LABELS))
    print(confusion_matrix(gold, other, labels=list(LABELS)))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
