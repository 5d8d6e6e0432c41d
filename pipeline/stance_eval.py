"""`stance evaluate` and `stance predict`: score a model and its baselines on held-out quotes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.baselines import run_baselines
from pipeline.config import build
from pipeline.metrics import paired_difference, stance_report
from pipeline.organisations import load_lexicon
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
        lexicon = load_lexicon() if config.mask_entities else None
        systems.update(run_baselines(corpus["train"], corpus["dev"], rows, base_model_path(config),
                                     lambda r: model_text(r, lexicon, config.use_context), config.base_model))  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    preds: dict[str, list[str]] = {}
    for name, (probs, train_prior) in systems.items():
        preds[name] = top_labels(probs)
        results[name] = _scored(gold, groups, probs, calibrated=train_prior is not None)
        if train_prior is not None:
            adapted, prior = adapt_prior(probs, train_prior)
            preds[f"{name}{ADAPTED}"] = top_labels(adapted)
            results[f"{name}{ADAPTED}"] = {
                **_scored(gold, groups, adapted, calibrated=True),
                "estimated_prior": dict(zip(LABELS, prior.tolist(), strict=True)),
            }
    _add_gains(results, preds, gold, groups, next(iter(systems)))
    return results


def _add_gains(results: dict[str, dict[str, Any]], preds: dict[str, list[str]], gold: list[str], groups: list[str],
               model_name: str) -> None:  # fmt: skip
    """On each baseline, the fine-tuned model's macro-F1 minus its own (paired article bootstrap), like with like."""
    for name in results:
        if name.startswith(model_name):
            continue
        reference = model_name + (ADAPTED if name.endswith(ADAPTED) else "")
        results[name]["fine_tuned_gain"] = paired_difference(gold, preds[reference], preds[name], groups)


def _scored(gold: list[str], groups: list[str], probs: np.ndarray, calibrated: bool) -> dict[str, Any]:
    """The evaluation report of one system's probabilities; ECE where they are temperature-calibrated."""
    return stance_report(gold, top_labels(probs), groups, probs if calibrated else None)


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
