"""`stance evaluate` and `stance predict`: score a model and its baselines on held-out quotes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.baselines import run_baselines
from pipeline.config import build
from pipeline.encoders import registry
from pipeline.metrics import paired_difference, stance_report
from pipeline.records import LABELS, StanceScore
from pipeline.stance import StanceModel, adapt_prior, top_labels
from pipeline.stance_data import model_text, read_jsonl
from pipeline.train import TrainConfig, base_model_path, splits
from pipeline.workflow import write_jsonl

log = logging.getLogger(__name__)
ADAPTED = ", neutral share adapted"  # suffix of a system scored after prior adaptation


def evaluate_model(model_dir: Path, data: Path | None, baselines: bool = True) -> dict[str, dict[str, Any]]:
    """Macro-F1 (with article-bootstrap CI), per-class scores, confusion and ECE; baselines alongside.

    `data` None means the model's own development split (the articles its training held out).
    """
    model = StanceModel.load(model_dir)
    config = build(TrainConfig, dict(model.meta["config"]), str(model_dir))
    corpus = splits(config) if data is None or baselines else {}  # read once: dev rows and baseline training rows
    source = read_jsonl(data) if data is not None else corpus["dev"]
    rows = [r for r in source if r.get("label") in LABELS]
    groups = [str(r.get("article_id") or r.get("source") or i) for i, r in enumerate(rows)]
    gold = [r["label"] for r in rows]
    systems: dict[str, tuple[np.ndarray, np.ndarray | None]] = {
        f"fine-tuned ({model.meta['config']['name']})": (model.probabilities(rows), model.train_prior)
    }
    if baselines:
        systems.update(run_baselines(corpus["train"], corpus["dev"], rows, base_model_path(config),
                                     lambda r: model_text(r, model.lexicon, model.spec),  # the model's own input
                                     config.base_model, registry()[1] / "embeddings"))  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    model_preds: dict[str, list[str]] | None = None  # the fine-tuned model comes first; baselines compare with it
    for name, (probs, train_prior) in systems.items():
        reports, preds = _system_results(name, probs, train_prior, gold, groups, model_preds)
        results.update(reports)
        model_preds = model_preds or preds
    return results


def _system_results(
    name: str, probs: np.ndarray, train_prior: np.ndarray | None, gold: list[str], groups: list[str],
    model_preds: dict[str, list[str]] | None,
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:  # fmt: skip
    """One system's reports and labels, raw and (where it has a prior) adapted, keyed by name suffix.

    Given the model's labels, each report carries the model's macro-F1 gain over this system (paired
    article bootstrap), raw against raw and adapted against adapted. ECE only for calibrated probabilities.
    """
    variants: list[tuple[str, np.ndarray, np.ndarray | None]] = [("", probs, None)]
    if train_prior is not None:
        variants.append((ADAPTED, *adapt_prior(probs, train_prior)))
    reports, preds = {}, {}
    for suffix, p, estimated in variants:
        preds[suffix] = top_labels(p)
        entry = stance_report(gold, preds[suffix], groups, p if train_prior is not None else None)
        if estimated is not None:
            entry["estimated_prior"] = dict(zip(LABELS, estimated.tolist(), strict=True))
        if model_preds is not None:
            entry["fine_tuned_gain"] = paired_difference(gold, model_preds[suffix], preds[suffix], groups)
        reports[name + suffix] = entry
    return reports, preds


def predict_file(model_dir: Path, data: Path, out: Path, adapt: str = "none") -> int:
    """Add p_favour, p_against, p_neutral and label to each input row (optionally prior-adapted); returns the count."""
    model = StanceModel.load(model_dir)
    rows = read_jsonl(data)
    probs = model.probabilities(rows)
    if adapt != "none":
        probs, prior = adapt_prior(probs, model.train_prior, adapt)
        log.info("%s: estimated label prior %s", data, dict(zip(LABELS, prior.round(3).tolist(), strict=True)))
    scored = []
    for row, score in zip(rows, (StanceScore(*map(float, p)) for p in probs), strict=True):
        scored.append({**row, "p_favour": score.p_favour, "p_against": score.p_against,
                       "p_neutral": score.p_neutral, "label": score.label})  # fmt: skip
    write_jsonl(out, scored)
    return len(scored)
