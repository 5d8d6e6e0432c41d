"""Baselines that show what fine-tuning adds: majority class, TF-IDF + LR, frozen embeddings + LR (calibrated on dev)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from pipeline.records import LABELS
from pipeline.stance import softmax
from pipeline.train import fit_temperature

log = logging.getLogger(__name__)
MAX_LENGTH = 128  # tokens per text for the frozen encoder; part of the embedding cache key


def majority(train: Sequence[str], n: int) -> np.ndarray:
    """Always the most frequent training label (as one-hot probabilities in LABELS order)."""
    label = Counter(train).most_common(1)[0][0]
    return np.tile(np.eye(len(LABELS))[LABELS.index(label)], (n, 1))


def _in_label_order(classes: Sequence[str], probs: np.ndarray) -> np.ndarray:
    """scikit-learn's columns (sorted class names) rearranged to LABELS; a class never seen gets 0."""
    out = np.zeros((len(probs), len(LABELS)))
    for column, label in enumerate(classes):
        out[:, LABELS.index(label)] = probs[:, column]
    return out


def tfidf_lr(train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str], seed: int = 0) -> np.ndarray:
    """Word and bigram TF-IDF with class-balanced logistic regression; class probabilities in LABELS order."""
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
                          LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed))  # fmt: skip
    model.fit(list(train_x), list(train_y))
    return _in_label_order(model.classes_, model.predict_proba(list(test_x)))


@lru_cache(maxsize=1)
def _encoder(base: Path) -> tuple[Any, Any]:
    """Tokenizer and frozen encoder, loaded once for both the training and the test texts."""
    from transformers import AutoModel, AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base)), AutoModel.from_pretrained(str(base)).eval()


def embed(texts: Sequence[str], base: Path, cache: Path | None = None, batch_size: int = 64) -> np.ndarray:
    """Mean-pooled, normalised sentence embeddings from the frozen base encoder, kept in `cache` when given.

    Every evaluation with baselines embeds the same training quotes; the cache keys a file on the base
    model's folder and the exact texts, so a changed corpus or base model never reads stale vectors.
    """
    key = hashlib.sha256("\x00".join([str(base.resolve()), str(MAX_LENGTH), *texts]).encode("utf-8")).hexdigest()[:32]
    path = cache / f"{key}.npy" if cache is not None else None
    if path is not None and path.is_file():
        log.info("frozen embeddings of %d texts read from %s", len(texts), path)
        return np.load(path)
    vectors = _embed(texts, base, batch_size)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path.with_suffix(".tmp.npy"), vectors)
        path.with_suffix(".tmp.npy").replace(path)
    return vectors


def _embed(texts: Sequence[str], base: Path, batch_size: int) -> np.ndarray:
    """Run the frozen encoder over `texts` in batches."""
    import torch

    tokenizer, model = _encoder(base)
    out = []
    with torch.inference_mode():
        for b in range(0, len(texts), batch_size):
            enc = tokenizer(
                list(texts[b : b + batch_size]),
                truncation=True,
                max_length=MAX_LENGTH,
                padding=True,
                return_tensors="pt",
            )
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(out)


def embedding_lr(
    train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str], base: Path, cache: Path | None = None,
    seed: int = 0,
) -> np.ndarray:  # fmt: skip
    """Logistic regression on frozen sentence embeddings; class probabilities in LABELS order."""
    clf = LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0, random_state=seed)
    clf.fit(embed(train_x, base, cache), list(train_y))
    return _in_label_order(clf.classes_, clf.predict_proba(embed(test_x, base, cache)))


def calibrate(dev_probs: np.ndarray, dev_y: Sequence[str], test_probs: np.ndarray) -> np.ndarray:
    """Temperature-scale a classifier's probabilities on dev, as the fine-tuned model is (argmax unchanged)."""
    temperature = fit_temperature(np.log(dev_probs + 1e-12), list(dev_y))
    return softmax(np.log(test_probs + 1e-12) / temperature)


def run_baselines(
    train: list[dict[str, Any]],
    dev: list[dict[str, Any]],
    test: list[dict[str, Any]],
    base: Path,
    text_of: Any,
    base_name: str = "base",
    cache: Path | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Per baseline: class probabilities on `test` (LABELS order), trained on `train` and calibrated on `dev`,
    and the label prior it acts at (None for the majority class, which has no probabilities to adapt).

    The two classifiers are class-balanced like the fine-tuned model, so they act at a uniform prior.
    `cache` is a folder for the frozen embeddings (None: embed every time).
    """
    train_x, train_y = [text_of(r) for r in train], [r["label"] for r in train]
    dev_y, both = [r["label"] for r in dev], [text_of(r) for r in dev + test]
    out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {"majority class": (majority(train_y, len(test)), None)}
    embedded = embedding_lr(train_x, train_y, both, base, cache)
    for name, probs in (("TF-IDF + logistic regression", tfidf_lr(train_x, train_y, both)),
                        (f"frozen {base_name} embeddings + LR", embedded)):  # fmt: skip
        out[name] = (calibrate(probs[: len(dev)], dev_y, probs[len(dev) :]), np.full(len(LABELS), 1 / len(LABELS)))
    return out
