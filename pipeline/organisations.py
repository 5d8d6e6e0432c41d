"""Resolve organisation mentions ("Unison's", "Sandwell MBC", "the council") to canonical names."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipeline.config import ConfigError, read_yaml, resolve_path
from pipeline.records import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

ORG_TYPES = (
    "union", "professional_body", "government_department", "council", "local_government_body",
    "charity", "provider", "academic", "politician", "regulator", "campaign", "other",
)  # fmt: skip
_TYPE_WORDS = r"(?:County|City|Borough|Metropolitan|District|London|Council|MBC|LBC|CC|DC|BC)\b"
_PLACE_WORD = rf"(?!{_TYPE_WORDS})[A-Z][\w'’-]*"
_PLACE = rf"{_PLACE_WORD}(?:(?:\s+(?:with|and|upon|on|under|in|&)\s+|\s+|-){_PLACE_WORD})*"

_DESCRIBED = re.compile(
    r"\b(?:of|at|for)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?"
    r"(?P<name>[A-Z][\w'&-]*(?:\s+(?:of|for|and|&|[A-Z][\w'&-]*))*(?<!\sof)(?<!\sfor)(?<!\sand))"
)


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
    not_place: frozenset[str] = frozenset()
    name_patterns: tuple[tuple[str, str], ...] = ()
    possessives: frozenset[str] = frozenset()

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

    @cached_property
    def _name_res(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(pattern), org_type) for pattern, org_type in self.name_patterns]

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
            place = _clean_place(m.group("p1") or m.group("p2") or "", self.not_place)
            overlaps = any(m.start() < e and s < m.end() for s, e in taken)
            if place and not overlaps:
                found.append(OrgMatch(f"{place} {self.canonical_suffix}", "", m.start(), m.end()))
                taken.append((m.start(), m.end()))
        found.extend(self._by_name_pattern(norm, taken))
        return sorted(
            (OrgMatch(o.name, self.type_of_match(o), o.start, o.end) for o in found),
            key=lambda o: o.start,
        )

    def _by_name_pattern(self, norm: str, taken: list[tuple[int, int]]) -> list[OrgMatch]:
        """Unlisted organisations with a recognisable form ("University of X"), kept as written."""
        found = []
        for regex, org_type in self._name_res:
            for m in regex.finditer(norm):
                start = m.start("name")
                if not any(start < e and s < m.end() for s, e in taken):
                    found.append(OrgMatch(m.group("name"), org_type, start, m.end()))
                    taken.append((start, m.end()))
        return found

    def type_of_match(self, match: OrgMatch) -> str:
        """Type of a found organisation: the lexicon's, else the pattern's."""
        return match.type if match.type and match.name not in self.entries else self.type_of(match.name)

    def described(self, text: str) -> OrgMatch | None:
        """An organisation a description names after 'of', 'at' or 'for' ('chief executive of the charity Kestrel')."""
        m = _DESCRIBED.search(_norm(text))
        return OrgMatch(m.group("name"), "other", m.start("name"), m.end("name")) if m else None

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


def _clean_place(place: str, not_place: frozenset[str]) -> str:
    words = place.split()
    while words and words[0] in not_place:
        words = words[1:]
    return re.sub(r"['’]s?$", "", " ".join(words)).strip()


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
    if any(not isinstance(w, str) for w in pattern.get("not_place") or ()):
        raise ConfigError(f'{path}: council_pattern.not_place holds a non-string (quote YAML words such as "No")')
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
        not_place=frozenset(pattern.get("not_place") or ()),
        name_patterns=tuple((p["pattern"], p["type"]) for p in data.get("name_patterns") or ()),
        possessives=frozenset(data.get("possessives") or ()),
    )


@dataclass
class ArticleOrgs:
    """Organisations met in one article: lexicon matches, unlisted names the parser tags, sentence topics."""

    lexicon: Lexicon
    found: list[OrgMatch] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    topics: list[tuple[int, OrgMatch | None]] = field(default_factory=list)
    places: str = ""

    def find(self, text: str) -> list[OrgMatch]:
        """Organisations in a phrase: the lexicon's, then unlisted names met in this article."""
        found = self.lexicon.find_all(text)
        unlisted: list[OrgMatch] = []
        for surface in sorted(self.names, key=len, reverse=True):
            for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
                if not any(m.start() < o.end and o.start < m.end() for o in found + unlisted):
                    unlisted.append(OrgMatch(self.names[surface], "other", m.start(), m.end()))
        return found + sorted(unlisted, key=lambda o: o.start)

    def described(self, text: str) -> OrgMatch | None:
        """The organisation a description names after a preposition, unless the parser knows it as a place."""
        found = self.lexicon.described(text)
        return found if found and found.name not in self.places else None

    def last_of_type(self, org_type: str, before: int, noun: str = "") -> OrgMatch | None:
        """The last organisation of a type (or, unlisted, named '... <noun>') mentioned before an offset."""
        named = [o for o in self.found if noun and o.type == "other" and o.name.lower().endswith(f" {noun}")]
        earlier = [o for o in self.found if (o.type == org_type or o in named) and o.start < before]
        return earlier[-1] if earlier else None

    def nearest_of_type(self, org_type: str, offset: int) -> OrgMatch | None:
        """The last organisation of a type before an offset, else the first after it."""
        later = [o for o in self.found if o.type == org_type and o.start >= offset]
        return self.last_of_type(org_type, offset) or (later[0] if later else None)

    def topic(self, before: int, window: int = 2) -> OrgMatch | None:
        """The organisation one of the last sentences before an offset is about."""
        earlier = [org for end, org in self.topics if end <= before][-window:]
        return next((org for org in reversed(earlier) if org is not None), None)


def article_orgs(article: Article, docs: list[Doc], lexicon: Lexicon, person_words: frozenset[str]) -> ArticleOrgs:
    """Every organisation of an article with absolute offsets, and what each sentence is about."""
    places = " | ".join(e.text for doc in docs for e in doc.ents if e.label_ in _PLACE_LABELS)
    orgs = ArticleOrgs(lexicon, names=_unlisted_names(article, docs, lexicon, person_words), places=places)
    for span, doc in zip(article.paragraphs, docs, strict=True):
        found = sorted(
            (o._replace(start=o.start + span.start, end=o.end + span.start) for o in orgs.find(doc.text)),
            key=lambda o: o.start,
        )
        orgs.found.extend(found)
        for sent in doc.sents:
            orgs.topics.append((span.start + sent.end_char, _sentence_topic(sent, span.start, found)))
    return orgs


def _unlisted_names(
    article: Article, docs: list[Doc], lexicon: Lexicon, person_words: frozenset[str]
) -> dict[str, str]:
    """ORG entities the lexicon does not know (surface -> fullest name), without people, places and common words."""
    not_orgs = " | ".join(e.text for doc in docs for e in doc.ents if e.label_ in _NOT_ORG_LABELS)
    people = {e.text for doc in docs for e in doc.ents if e.label_ == "PERSON"}
    names: dict[str, str] = {}
    for ent in (e for doc in docs for e in doc.ents if e.label_ == "ORG"):
        name = _unlisted_name(ent.text, lexicon)
        if not name or name in not_orgs or name.split()[0] in person_words:
            continue
        if any(name in person and name != person for person in people):
            continue
        before = re.findall(rf"\b(\w+)\s+{re.escape(name)}\b", article.text)
        if any(word in person_words for word in before):
            continue
        if " " in name or not re.search(rf"(?<![A-Za-z]){re.escape(name.lower())}(?![a-z])", article.text):
            names.setdefault(ent.text, _fullest(name, names.values()))
    return names


_PLACE_LABELS = ("GPE", "LOC", "FAC")
_NOT_ORG_LABELS = ("NORP", *_PLACE_LABELS)


def _unlisted_name(text: str, lexicon: Lexicon) -> str | None:
    """An ORG entity the lexicon does not know, without a leading article or possessive."""
    name = re.sub(r"['’]s$", "", re.sub(r"^(?:the|The)\s+", "", text.strip()))
    if len(name) < 3 or not name[:1].isupper() or lexicon.find_all(name):
        return None
    return name


def _fullest(name: str, known: Iterable[str]) -> str:
    """A short form of a name met earlier ("Northbridge") becomes that fuller name."""
    return next((k for k in known if k.startswith(f"{name} ")), name)


def _sentence_topic(sent: SpacySpan, offset: int, found: list[OrgMatch]) -> OrgMatch | None:
    """The organisation in the sentence's subject, else the first one in the sentence."""
    inside = [o for o in found if offset + sent.start_char <= o.start < offset + sent.end_char]
    subjects = [t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")]
    for subj in subjects:
        lo, hi = offset + subj.left_edge.idx, offset + subj.right_edge.idx + len(subj.right_edge)
        in_subject = [o for o in inside if lo <= o.start < hi]
        if in_subject:
            return in_subject[0]
    return inside[0] if inside else None
