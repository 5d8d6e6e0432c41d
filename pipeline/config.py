"""Load YAML settings into the frozen config dataclass each step owns."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "configs"
DEFAULT_PIPELINE_CONFIG = CONFIG_DIR / "pipeline.yaml"


class ConfigError(ValueError):
    """A settings file or value is wrong; the message names the file and the key."""


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML mapping, with an error that names the file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read settings: {err}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def resolve_path(value: str | Path) -> Path:
    """Settings paths are relative to the project root unless absolute."""
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def build(cls: type[T], values: dict[str, Any], where: str) -> T:
    """Instantiate a config dataclass from a mapping, rejecting unknown keys."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)} for {cls.__name__}")
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    try:
        return cls(**converted)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{where}: {err}") from err


def load_section(cls: type[T], section: str, path: Path | None = None) -> T:
    """Config for one step: dataclass defaults overridden by `section` of the YAML file."""
    path = path or DEFAULT_PIPELINE_CONFIG
    data = read_yaml(path) if path.exists() else {}
    values = data.get(section) or {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: section '{section}' must be a mapping")
    return build(cls, values, f"{path} [{section}]")


def parse_overrides(items: list[str] | None) -> dict[str, Any]:
    """`KEY=VALUE` pairs from the command line, each value read as YAML (so 14 is an int, false a bool)."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"override {item!r}: expected KEY=VALUE")
        try:
            out[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError as err:
            raise ConfigError(f"override {item!r}: {err}") from err
    return out
