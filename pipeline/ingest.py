"""Read articles (txt, html, jsonl) and drop page furniture while keeping offsets into the text."""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.config import ConfigError, read_yaml, resolve_path
from pipeline.records import Article, Span

log = logging.getLogger(__name__)
SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


class IngestError(NamedTuple):
    """An input that could not be read; `line` is set for JSONL lines."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class IngestConfig:
    """How inputs are read and cleaned."""

    furniture: str = "configs/furniture.yaml"
    min_chars: int = 40
    max_bytes: int = 20_000_000
    drop_repeated_lead: bool = True
    metadata_file: str = "metadata.jsonl"  # per folder: {"file", "date", "title", "url"} for its txt/html files

    def __post_init__(self) -> None:
        if self.min_chars < 1 or self.max_bytes < 1:
            raise ConfigError("ingest: min_chars and max_bytes must be positive")
        if not resolve_path(self.furniture).exists():
            raise ConfigError(f"ingest: furniture patterns not found: {self.furniture}")


@dataclass(frozen=True)
class Furniture:
    """Compiled furniture patterns."""

    line: tuple[re.Pattern[str], ...]
    trailer: tuple[re.Pattern[str], ...]
    inline: tuple[re.Pattern[str], ...]


def load_furniture(config: IngestConfig) -> Furniture:
    """Compile the furniture patterns from configs/."""
    data = read_yaml(resolve_path(config.furniture))

    def comp(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data.get(key) or ())

    return Furniture(comp("line"), comp("trailer"), comp("inline"))


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, files under directories (sorted), and glob matches."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.exists():
            yield path
        else:
            matches = sorted(glob.glob(str(item), recursive=True))
            yield from (Path(m) for m in matches) if matches else [path]


def read_articles(inputs: Iterable[str | Path], config: IngestConfig | None = None) -> Iterator[Article | IngestError]:
    """Every article in the inputs, or an error per unreadable file or JSONL line."""
    config = config or IngestConfig()
    furniture = load_furniture(config)
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in expand_inputs(inputs):
        if path.name == config.metadata_file:
            continue
        if path.parent not in sidecars:
            sidecars[path.parent] = read_sidecar(path.parent / config.metadata_file)
        yield from _read_path(path, config, furniture, sidecars[path.parent].get(path.name, {}))


def read_sidecar(path: Path) -> dict[str, dict[str, Any]]:
    """Dates, titles and URLs for the plain files of a folder, keyed by file name; bad lines are logged."""
    if not path.exists():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        try:
            row = json.loads(line) if line.strip() else None
        except json.JSONDecodeError as err:
            log.error("%s:%d: malformed JSON (%s); line ignored", path, number, err.msg)
            continue
        if isinstance(row, dict) and isinstance(row.get("file"), str):
            out[row["file"]] = {k: row.get(k) for k in ("date", "title", "url") if row.get(k)}
        elif row is not None:
            log.error("%s:%d: expected an object with a 'file' name; line ignored", path, number)
    return out


def _read_path(
    path: Path, config: IngestConfig, furniture: Furniture, known: dict[str, Any]
) -> Iterator[Article | IngestError]:
    source = str(path)
    text = _read_text(path, config)
    if isinstance(text, IngestError):
        yield text
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(source, text, config, furniture)
        return
    meta: dict[str, Any] = {}
    if suffix in (".html", ".htm"):
        extracted = _html_to_text(source, text)
        if isinstance(extracted, IngestError):
            yield extracted
            return
        text, meta = extracted
    meta = {**{k: v for k, v in meta.items() if v}, **known}
    yield _make_article(source, text, meta, config, furniture)


def _read_text(path: Path, config: IngestConfig) -> str | IngestError:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return IngestError(source, f"cannot read file ({err.strerror or err})")
    if not raw.strip():
        return IngestError(source, "empty file")
    if len(raw) > config.max_bytes:
        return IngestError(source, f"file too large ({len(raw)} bytes > {config.max_bytes})")
    if b"\x00" in raw[:8192]:
        return IngestError(source, "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return IngestError(source, f"not valid UTF-8 (byte {err.start})")


def _html_to_text(source: str, html: str) -> tuple[str, dict[str, Any]] | IngestError:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        return IngestError(source, "no article text found in HTML")
    meta = trafilatura.extract_metadata(html)
    info = {"title": meta.title, "date": meta.date, "url": meta.url} if meta else {}
    title = info.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text.replace("\n", "\n\n"), info


def _read_jsonl(source: str, text: str, config: IngestConfig, furniture: Furniture) -> Iterator[Article | IngestError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            yield IngestError(source, f"malformed JSON ({err.msg})", number)
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            yield IngestError(source, "expected an object with a non-empty 'text'", number)
            continue
        yield _make_article(source, row["text"], row, config, furniture)


def _make_article(
    source: str, text: str, meta: dict[str, Any], config: IngestConfig, furniture: Furniture
) -> Article | IngestError:
    paragraphs, dropped = clean(text, furniture, config.drop_repeated_lead)
    kept = sum(s.end - s.start for s in paragraphs)
    if kept < config.min_chars:
        return IngestError(source, f"too little article text after cleaning ({kept} characters)")
    title = str(meta.get("title") or text[paragraphs[0].start : paragraphs[0].end]).strip()
    article_id = str(meta.get("id") or hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    if dropped:
        log.info("%s: dropped %d furniture item(s)", source, dropped)
    date = meta.get("date")
    return Article(article_id, source, text, tuple(paragraphs), title, str(date) if date else None,
                   meta.get("url"), dropped)  # fmt: skip


def clean(text: str, furniture: Furniture, drop_repeated_lead: bool = True) -> tuple[list[Span], int]:
    """Kept paragraph spans (one per non-empty line) and how many furniture items were dropped."""
    spans, dropped = [], 0
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        if any(p.fullmatch(stripped) for p in furniture.trailer):
            rest = text[match.start() :].splitlines()
            dropped += sum(1 for r in rest if r.strip())
            break
        if any(p.fullmatch(stripped) for p in furniture.line):
            dropped += 1
            continue
        pieces, cut = _inline_split(match.start(), line, furniture)
        spans.extend(pieces)
        dropped += cut
    if drop_repeated_lead:
        spans, repeated = _drop_repeated_lead(text, spans)
        dropped += repeated
    return spans, dropped


def _inline_split(offset: int, line: str, furniture: Furniture) -> tuple[list[Span], int]:
    """The line's spans with inline furniture cut out (a credit inside a line splits it), and how many cuts."""
    cuts = sorted((m.start(), m.end()) for p in furniture.inline for m in p.finditer(line))
    spans, pos = [], 0
    for start, end in [*cuts, (len(line), len(line))]:
        piece = line[pos:start]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append(Span(offset + pos + lead, offset + pos + len(piece.rstrip())))
        pos = end
    return spans, len(cuts)


def _drop_repeated_lead(text: str, spans: list[Span]) -> tuple[list[Span], int]:
    """A standfirst repeated verbatim (or cut short with '...') by the paragraphs after it is dropped."""

    def norm(span: Span) -> str:
        words = re.findall(r"[^\W_]+", text[span.start : span.end].lower())
        return " ".join(w for w in words if w != "s")

    keep = []
    for i, span in enumerate(spans):
        head = norm(span)
        following = " ".join(norm(s) for s in spans[i + 1 : i + 4])
        if i < 4 and len(head) > 40 and following.startswith(head):
            continue
        keep.append(span)
    return keep, len(spans) - len(keep)
