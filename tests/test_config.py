"""Settings: YAML sections into frozen dataclasses; command-line overrides."""

import pytest

from pipeline.config import ConfigError, parse_overrides
from pipeline.train import TrainConfig


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["seed=14"], {"seed": 14}),
        (["mask_entities=false", "name=minilm-nomask"], {"mask_entities": False, "name": "minilm-nomask"}),
        (["learning_rate=3.0e-5"], {"learning_rate": 3e-5}),
        (None, {}),
    ],
)
def test_overrides_are_typed(items, expected):
    assert parse_overrides(items) == expected


@pytest.mark.parametrize("item", ["seed", "=3"])
def test_malformed_override_is_an_error(item):
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_overrides([item])


def test_override_beats_the_file_and_is_validated(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nseed: 1\nepochs: 2\n")
    assert TrainConfig.from_yaml(path, {"seed": 14}).seed == 14
    with pytest.raises(ConfigError, match="unknown setting"):
        TrainConfig.from_yaml(path, {"sede": 14})
    with pytest.raises(ConfigError):
        TrainConfig.from_yaml(path, {"epochs": 0})
