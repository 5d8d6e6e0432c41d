"""Stance metrics: macro-F1 with an article-level bootstrap interval, per-class scores, ECE."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from pipeline.records import LABELS


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the three labels (a label absent from both counts as 0)."""
    return float(f1_score(gold, pred, labels=list(LABELS), average="macro", zero_division=0))


def _resamples(groups: Sequence[str], rounds: int, seed: int) -> list[list[int]]:
    """Row indices of `rounds` bootstrap samples that draw whole groups (articles) with replacement."""
    rng = np.random.default_rng(seed)
    keys = sorted(set(groups))
    index = {k: [i for i, g in enumerate(groups) if g == k] for k in keys}
    return [[i for k in rng.choice(keys, size=len(keys), replace=True) for i in index[k]] for _ in range(rounds)]


def bootstrap_ci(gold: Sequence[str], pred: Sequence[str], groups: Sequence[str], rounds: int = 1000,
                 seed: int = 0) -> tuple[float, float]:  # fmt: skip
    """95% interval of macro-F1 resampling groups (articles), since quotes of one article are not independent."""
    scores = [macro_f1([gold[i] for i in s], [pred[i] for i in s]) for s in _resamples(groups, rounds, seed)]
    return float(np.percentile(scores, 2.5)), float(np.percentile(scores, 97.5))


def paired_difference(gold: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str], groups: Sequence[str],
                      rounds: int = 1000, seed: int = 0) -> dict[str, Any]:  # fmt: skip
    """Macro-F1 of system a minus system b, with a 95% interval from the same article resamples for both.

    Two overlapping intervals do not show that two systems tie; the interval of their paired difference does.
    """
    diffs = [macro_f1([gold[i] for i in s], [pred_a[i] for i in s]) - macro_f1([gold[i] for i in s], [pred_b[i] for i in s])
             for s in _resamples(groups, rounds, seed)]  # fmt: skip
    low, high = np.percentile(diffs, [2.5, 97.5])
    return {"diff": macro_f1(gold, pred_a) - macro_f1(gold, pred_b), "ci95": [float(low), float(high)]}


def expected_calibration_error(probs: np.ndarray, gold: Sequence[str], bins: int = 10) -> float:
    """ECE of the top-class probability, equal-width bins."""
    gold_idx = np.array([LABELS.index(g) for g in gold])
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    ece = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        in_bin = (conf > lo) & (conf <= lo + 1 / bins)
        if in_bin.any():
            ece += in_bin.mean() * abs((pred[in_bin] == gold_idx[in_bin]).mean() - conf[in_bin].mean())
    return float(ece)


def stance_report(
    gold: Sequence[str], pred: Sequence[str], groups: Sequence[str], probs: np.ndarray | None = None
) -> dict[str, Any]:
    """Everything `stance evaluate` shows for one system."""
    p, r, f, n = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    low, high = bootstrap_ci(gold, pred, groups)
    report: dict[str, Any] = {
        "n": len(gold),
        "macro_f1": macro_f1(gold, pred),
        "ci95": [low, high],
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(n[i])}
            for i, lab in enumerate(LABELS)
        },  # fmt: skip
        "confusion": confusion_matrix(gold, pred, labels=list(LABELS)).tolist(),
    }
    if probs is not None:
        report["ece"] = expected_calibration_error(probs, gold)
    return report
