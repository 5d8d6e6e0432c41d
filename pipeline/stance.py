"""Load a trained stance model (checking its files and hash) and score quotes in batches."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import ConfigError
from pipeline.encoders import WEIGHTS, sha256_file
from pipeline.organisations import Lexicon, load_lexicon
from pipeline.records import LABELS, StanceScore
from pipeline.stance_data import InputSpec, model_text

log = logging.getLogger(__name__)
META_FILE = "stance_meta.json"


def read_meta(model_dir: Path) -> dict[str, Any]:
    """The model's metadata, with clear errors for a missing, corrupt or foreign model."""
    model_dir = Path(model_dir)
    meta_path = model_dir / META_FILE
    if not meta_path.exists() or not (model_dir / WEIGHTS).exists():
        raise ConfigError(
            f"{model_dir}: not a trained stance model (missing {META_FILE} or {WEIGHTS}); run `stance train`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ConfigError(f"{meta_path}: corrupt model metadata ({err.msg})") from err
    if tuple(meta.get("labels", ())) != LABELS:
        raise ConfigError(f"{model_dir}: model was trained for labels {meta.get('labels')}, expected {list(LABELS)}")
    if sha256_file(model_dir / WEIGHTS) != meta.get("weights_sha256"):
        raise ConfigError(f"{model_dir / WEIGHTS}: weights do not match their recorded SHA-256 (corrupt or replaced)")
    return meta


@dataclass
class StanceModel:
    """A fine-tuned cross-encoder with its temperature and input settings."""

    model: Any
    tokenizer: Any
    meta: dict[str, Any]
    lexicon: Lexicon | None

    @classmethod
    def load(cls, model_dir: Path, threads: int | None = None) -> StanceModel:
        """Load from models/NAME after checking metadata and weights."""
        import torch
        from transformers import AutoTokenizer

        from pipeline.classifier import load_classifier

        meta = read_meta(model_dir)
        torch.set_num_threads(threads or meta["config"].get("threads", 2))
        model = load_classifier(model_dir, meta["config"].get("pooling", "cls")).eval()
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        lexicon = load_lexicon() if meta["config"].get("mask_entities", True) else None
        return cls(model, tokenizer, meta, lexicon)

    @property
    def hash(self) -> str:
        """The weights' SHA-256, for run manifests."""
        return str(self.meta["weights_sha256"])

    def inputs(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        """Second segments of the model input, masked as in training."""
        if self.spec.use_title and (untitled := sum(not r.get("title") for r in rows)):
            log.warning("%d of %d rows have no 'title'; the model was trained with headlines", untitled, len(rows))
        return [model_text(r, self.lexicon, self.spec) for r in rows]

    @cached_property
    def spec(self) -> InputSpec:
        """How rows become inputs, as in training."""
        return InputSpec.of(self.meta["config"])

    def logits(self, rows: Sequence[dict[str, Any]], batch_size: int = 32) -> np.ndarray:
        """Raw logits, computed in length-sorted batches under inference mode."""
        import torch

        texts = self.inputs(rows)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        target = self.meta["config"]["target"]
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                idx = order[b : b + batch_size]
                enc = self.tokenizer([target] * len(idx), [texts[i] for i in idx], truncation="only_second",
                                     max_length=self.meta["config"]["max_length"], padding=True, return_tensors="pt")  # fmt: skip
                out[idx] = self.model(**enc).logits.float().numpy()
        return out

    def probabilities(self, rows: Sequence[dict[str, Any]], batch_size: int = 32) -> np.ndarray:
        """Temperature-scaled class probabilities in LABELS order."""
        return softmax(self.logits(rows, batch_size) / float(self.meta.get("temperature", 1.0)))

    @property
    def train_prior(self) -> np.ndarray:
        """The label prior the model learned: uniform under class weighting, else the training label shares."""
        config, counts = self.meta["config"], self.meta.get("metrics", {}).get("train_labels", {})
        if config.get("class_weighting", True) or not counts:
            return np.full(len(LABELS), 1 / len(LABELS))
        return np.array([counts.get(lab, 0) for lab in LABELS], dtype=float) / sum(counts.values())

    def predict(self, rows: Sequence[dict[str, Any]], batch_size: int = 32) -> list[StanceScore]:
        """A StanceScore per row."""
        return [StanceScore(*map(float, p)) for p in self.probabilities(rows, batch_size)]


COLLAPSED = 0.02  # an estimated label share below this is reported: EM may have collapsed on weak posteriors
PRIOR_MODES = {"none": None, "neutral": ("favour", "against"), "all": ()}  # mode -> labels tied to each other


def adapt_prior(
    probs: np.ndarray, train_prior: np.ndarray, mode: str = "neutral", max_iter: int = 200, tol: float = 1e-6
) -> tuple[np.ndarray, np.ndarray]:
    """Re-weight posteriors to the label prior of the batch itself, estimated by EM without labels.

    Saerens, Latinne & Decaestecker (2002): a model trained at one label prior (here mostly balanced) and
    applied where one label dominates (most news quotes are neutral) over-predicts the rarer labels.
    Mode "all" lets every label's share move; "neutral" moves only the neutral share, favour and against
    keeping their training ratio, which stops EM from draining one of them when the posteriors are
    miscalibrated (on real news, "all" drove favour to 1%); "none" returns the input. Returns the
    adapted probabilities and the estimated prior.
    """
    if mode not in PRIOR_MODES:
        raise ConfigError(f"prior adaptation must be one of {', '.join(PRIOR_MODES)}, not {mode!r}")
    tied = PRIOR_MODES[mode]
    if len(probs) == 0 or tied is None:
        return probs, train_prior
    group = [LABELS.index(lab) for lab in tied]
    prior = train_prior.copy()
    for _ in range(max_iter):
        adapted = probs * (prior / train_prior)
        adapted /= adapted.sum(axis=1, keepdims=True)
        new = adapted.mean(axis=0)
        if group:  # constrained M-step: the group's total is free, its internal ratio is the training one
            new[group] = new[group].sum() * train_prior[group] / train_prior[group].sum()
        if np.abs(new - prior).max() < tol:
            break
        prior = new
    if new.min() < COLLAPSED:
        log.warning("prior adaptation drove %s to %.1f%% of %d quotes: the model's probabilities may not fit this text; "
                    "compare with --adapt-prior none", LABELS[int(new.argmin())], 100 * new.min(), len(probs))  # fmt: skip
    return adapted, new


def top_labels(scores: np.ndarray) -> list[str]:
    """The highest-scoring label of each row (logits or probabilities)."""
    return [LABELS[i] for i in scores.argmax(axis=1)] if len(scores) else []


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
