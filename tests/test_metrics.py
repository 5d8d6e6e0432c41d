"""Stance metrics: macro-F1, article-bootstrap intervals and the paired difference of two systems."""

import pytest

from pipeline.metrics import bootstrap_ci, macro_f1, paired_difference

GOLD = ["favour", "against", "neutral", "neutral"] * 10
GROUPS = [f"a{i // 4}" for i in range(len(GOLD))]  # ten articles of four quotes
MAJORITY = ["neutral"] * len(GOLD)


@pytest.mark.parametrize(
    ("pred", "expected"),
    [(GOLD, 1.0), (MAJORITY, 2 / 9), (["favour"] * len(GOLD), 2 / 15)],  # neutral F1 2/3, favour F1 2/5; /3
)
def test_macro_f1_averages_the_three_labels(pred, expected):
    assert macro_f1(GOLD, pred) == pytest.approx(expected)


def test_bootstrap_interval_contains_the_point_estimate():
    pred = GOLD[:20] + MAJORITY[20:]
    low, high = bootstrap_ci(GOLD, pred, GROUPS)
    assert low <= macro_f1(GOLD, pred) <= high and low < high


def test_paired_difference_of_a_system_with_itself_is_exactly_zero():
    result = paired_difference(GOLD, MAJORITY, MAJORITY, GROUPS)
    assert result == {"diff": 0.0, "ci95": [0.0, 0.0]}


def test_a_clearly_better_system_has_a_paired_interval_above_zero():
    result = paired_difference(GOLD, GOLD, MAJORITY, GROUPS)
    assert result["diff"] == pytest.approx(1 - 2 / 9)
    assert 0 < result["ci95"][0] <= result["diff"] <= result["ci95"][1]
