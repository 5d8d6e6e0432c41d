"""Fail when a held-out test quote, or a near-duplicate of one, is in the training corpus."""

from __future__ import annotations

import re
from typing import Any, NamedTuple


class Leak(NamedTuple):
    """A training quote too close to a test quote."""

    train_id: str
    test_text: str
    similarity: float


def shingles(text: str, n: int = 5) -> set[str]:
    """Word n-grams of a normalised text (short texts give their whole word sequence)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}


def find_leaks(train: list[dict[str, Any]], test: list[dict[str, Any]], threshold: float = 0.3) -> list[Leak]:
    """Training quotes whose 5-gram containment of any test quote reaches the threshold."""
    test_sets = [(t["text"], shingles(t["text"])) for t in test]
    leaks = []
    for row in train:
        grams = shingles(row["text"])
        for text, tgrams in test_sets:
            if tgrams and (sim := len(grams & tgrams) / min(len(tgrams), len(grams))) >= threshold:
                leaks.append(Leak(str(row.get("id")), text, sim))
    return leaks
