"""Resolve organisation mentions ("Unison's", "Sandwell MBC", "the council") to canonical names."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from pipeline.config import ConfigError, read_yaml, resolve_path

log = logging.getLogger(__name__)

ORG_TYPES = (
    "union", "professional_body", "government_department", "council", "local_government_body",
    "charity", "provider", "academic", "politician", "regulator", "campaign", "other",
)  # fmt: skip
_TYPE_WORDS = r"(?:County|City|Borough|Metropolitan|District|London|Council|MBC|LBC|CC|DC|BC)\b"
_PLACE_WORD = rf"(?!{_TYPE_WORDS})[A-Z][\w'’-]*"
_PLACE = rf"{_PLACE_WORD}(?:(?:\s+(?:with|and|upon|on|under|in|&)\s+|\s+|-){_PLACE_WORD})*"
_NOT_PLACE = {"The", "A", "An", "This", "That", "Each", "Every", "Its", "Their", "Our", "Local",
              "Town", "Parish", "County", "City", "Borough", "District", "Many", "Some", "Other"}  # fmt: skip


class OrgMatch(NamedTuple):
    """An organisation found in text: canonical name, type and where."""

    name: str
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class OrganisationsConfig:
    """Where the organisation lexicon lives, and whether predecessors merge into successors."""

    lexicon: str = "configs/organisations.yaml"
    merge_predecessors: bool | None = None

    def __post_init__(self) -> None:
        if not resolve_path(self.lexicon).exists():
            raise ConfigError(f"organisation lexicon not found: {self.lexicon}")


@dataclass(frozen=True)
class OrgEntry:
    """One lexicon entry."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    predecessor_of: str | None = None


@dataclass
class Lexicon:
    """The organisation lexicon with its compiled matchers."""

    entries: dict[str, OrgEntry]
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]
    canonical_suffix: str = "Council"
    merge_predecessors: bool = False
    anaphora: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _alias_map(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for entry in self.entries.values():
            for surface in (entry.name, *entry.aliases):
                table[_norm(surface)] = entry.name
        return table

    @cached_property
    def _alias_re(self) -> re.Pattern[str]:
        surfaces = sorted(self._alias_map, key=len, reverse=True)
        body = "|".join(re.escape(s) for s in surfaces)
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")

    @cached_property
    def _council_re(self) -> re.Pattern[str]:
        sfx = "|".join(re.escape(s) for s in sorted(self.suffixes, key=len, reverse=True))
        pfx = "|".join(re.escape(s) for s in sorted(self.prefixes, key=len, reverse=True))
        return re.compile(rf"(?:\b(?:{pfx})\s+(?P<p1>{_PLACE}))|(?:\b(?P<p2>{_PLACE})\s+(?:{sfx})\b(?!\s+of\b))")

    def canonical(self, name: str) -> str:
        """Follow predecessor links when merging is on (DCSF -> DfE)."""
        seen: set[str] = set()
        while self.merge_predecessors and name in self.entries and name not in seen:
            seen.add(name)
            successor = self.entries[name].predecessor_of
            if not successor:
                break
            name = successor
        return name

    def type_of(self, name: str) -> str:
        """Type of a canonical name; councils by pattern, the rest 'other'."""
        if name in self.entries:
            return self.entries[name].type
        return "council" if name.endswith(f" {self.canonical_suffix}") else "other"

    def find_all(self, text: str) -> list[OrgMatch]:
        """Every organisation mention in `text`, lexicon entries first, then councils by pattern."""
        norm = _norm(text)
        found = [
            OrgMatch(self.canonical(self._alias_map[m.group(0)]), "", m.start(), m.end())
            for m in self._alias_re.finditer(norm)
        ]
        taken = [(m.start, m.end) for m in found]
        for m in self._council_re.finditer(norm):
            place = _clean_place(m.group("p1") or m.group("p2") or "")
            overlaps = any(m.start() < e and s < m.end() for s, e in taken)
            if place and not overlaps:
                found.append(OrgMatch(f"{place} {self.canonical_suffix}", "", m.start(), m.end()))
        return sorted(
            (OrgMatch(o.name, self.type_of(o.name), o.start, o.end) for o in found),
            key=lambda o: o.start,
        )

    def resolve(self, surface: str) -> OrgMatch | None:
        """Resolve a phrase to one organisation: the longest match inside it, else as written."""
        surface = surface.strip().strip(",.;:")
        if not surface:
            return None
        matches = self.find_all(surface)
        if matches:
            return max(matches, key=lambda m: m.end - m.start)
        name = re.sub(r"^(?:the|The)\s+", "", surface)
        name = re.sub(r"['’]s$", "", name)
        return OrgMatch(name, "other", 0, len(surface)) if name[:1].isupper() else None


def _norm(text: str) -> str:
    """Same-length normalisation so offsets survive: curly apostrophes become straight."""
    return text.replace("’", "'").replace("‘", "'")


def _clean_place(place: str) -> str:
    words = place.split()
    while words and words[0] in _NOT_PLACE:
        words = words[1:]
    return " ".join(words).rstrip("'’s").strip()


def load_lexicon(config: OrganisationsConfig | None = None) -> Lexicon:
    """Read the organisation lexicon from configs/, validating types."""
    config = config or OrganisationsConfig()
    path = resolve_path(config.lexicon)
    data = read_yaml(Path(path))
    entries: dict[str, OrgEntry] = {}
    for i, raw in enumerate(data.get("organisations") or []):
        if raw.get("type") not in ORG_TYPES:
            raise ConfigError(f"{path}: organisation #{i + 1} has unknown type {raw.get('type')!r}")
        entries[raw["name"]] = OrgEntry(
            raw["name"], raw["type"], tuple(raw.get("aliases") or ()), raw.get("predecessor_of")
        )
    pattern = data.get("council_pattern") or {}
    merge = data.get("merge_predecessors", False)
    if config.merge_predecessors is not None:
        merge = config.merge_predecessors
    return Lexicon(
        entries=entries,
        suffixes=tuple(pattern.get("suffixes") or ("Council",)),
        prefixes=tuple(pattern.get("prefixes") or ()),
        canonical_suffix=pattern.get("canonical_suffix", "Council"),
        merge_predecessors=bool(merge),
        anaphora=dict(data.get("anaphora") or {}),
    )
