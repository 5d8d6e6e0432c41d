"""Training helpers that need no model: batch order."""

import random

import pytest

from pipeline.train import batch_order


@pytest.mark.parametrize("group", [False, True])
def test_every_row_is_in_exactly_one_batch_and_order_is_reproducible(group):
    lengths = [random.Random(i).randint(5, 300) for i in range(1003)]
    batches = batch_order(lengths, 16, seed=7, group=group)
    assert sorted(i for b in batches for i in b) == list(range(1003))
    assert sorted(len(b) for b in batches) == [1003 % 16] + [16] * (1003 // 16)  # one short batch, the rest full
    assert batches == batch_order(lengths, 16, seed=7, group=group)
    assert batches != batch_order(lengths, 16, seed=8, group=group)


def test_grouping_cuts_padding():
    lengths = [random.Random(i).randint(5, 300) for i in range(2000)]

    def padding(batches: list[list[int]]) -> int:
        return sum(max(lengths[i] for i in b) * len(b) - sum(lengths[i] for i in b) for b in batches)

    assert padding(batch_order(lengths, 16, 1, True)) < 0.2 * padding(batch_order(lengths, 16, 1, False))
