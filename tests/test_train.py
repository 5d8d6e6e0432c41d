"""Training helpers: batch order, training precision (and one slow bf16 training run)."""

import random

import pytest

from pipeline.config import ConfigError
from pipeline.train import TrainConfig, batch_order, resolve_precision


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


@pytest.mark.parametrize(
    ("precision", "flags", "expected"),
    [
        ("auto", "flags : fpu avx512f avx512_bf16 amx_bf16 amx_tile", "bf16"),
        ("auto", "flags : fpu avx2 avx512f avx512_bf16", "fp32"),  # bf16 units without AMX: speed not measured, so fp32
        ("fp32", "flags : amx_bf16", "fp32"),
        ("bf16", "flags : avx2", "bf16"),
    ],
)
def test_precision_auto_picks_bf16_only_with_amx(tmp_path, precision, flags, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(flags + "\n", encoding="utf-8")
    assert resolve_precision(precision, cpuinfo) == expected


def test_precision_auto_without_cpuinfo_is_fp32(tmp_path):
    assert resolve_precision("auto", tmp_path / "missing") == "fp32"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("base_model", "bert-from-the-hub"),
        ("corpus_format", "csv"),
        ("pooling", "max"),
        ("mask_scope", "others"),
        ("precision", "fp16"),
        ("label_smoothing", -0.1),
        ("label_smoothing", 1.0),
        ("freeze_layers", -1),
    ],
)
def test_config_rejects_a_bad_value_naming_the_key(key, value):
    with pytest.raises(ConfigError, match=key):
        TrainConfig(**{key: value})


@pytest.mark.slow
def test_bf16_training_learns_and_records_its_precision(tmp_path):
    from tests.conftest import train_and_reload

    metrics, model = train_and_reload(tmp_path, precision="bf16")
    assert metrics["precision"] == model.meta["metrics"]["precision"] == "bf16"
