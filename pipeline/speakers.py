"""Attribute quotes to speakers: names, surnames, pronouns, descriptions, organisations, floating."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.config import ConfigError, read_yaml, resolve_path
from pipeline.organisations import ArticleOrgs, Lexicon, OrgMatch, article_orgs
from pipeline.records import Article, Attribution, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)
_DETERMINERS = {"a", "an", "the", "one", "another", "its", "their", "his", "her", "some", "two", "three"}
_TRAILING_PREP = re.compile(r"(?:\s+(?:at|of|for|from|with|in|and|to|on|the|a))+\s*$", re.IGNORECASE)
_CAP = r"[A-Z](?:[a-zà-ÿ'’-]|[A-Z](?=[a-z]))+"
_NAME_RE = re.compile(rf"(?:{_CAP}|[A-Z]\.|Le|La|De|Van|Von|de|van|von|le|da)(?:\s+(?:{_CAP}|Le|De|de|van|von|le|da))+")


@dataclass(frozen=True)
class SpeakersConfig:
    """Settings for attribution."""

    lexicon: str = "configs/speakers.yaml"
    floating_paragraphs: int = 2

    def __post_init__(self) -> None:
        if self.floating_paragraphs < 0:
            raise ConfigError("speakers: floating_paragraphs must be >= 0")
        if not resolve_path(self.lexicon).exists():
            raise ConfigError(f"speakers: lexicon not found: {self.lexicon}")


@dataclass(frozen=True)
class SpeakerLexicon:
    """Word lists that drive attribution."""

    description_nouns: frozenset[str]
    organisation_voice: frozenset[str]
    titles: frozenset[str]
    keep_titles: frozenset[str]
    pronouns: dict[str, frozenset[str]]
    female: frozenset[str]
    male: frozenset[str]
    role_types: dict[str, str] = field(default_factory=dict)
    role_defaults: dict[str, str] = field(default_factory=dict)


def load_speaker_lexicon(config: SpeakersConfig | None = None) -> SpeakerLexicon:
    """Read configs/speakers.yaml."""
    data = read_yaml(resolve_path((config or SpeakersConfig()).lexicon))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w) for w in data.get(key) or ())

    pronouns = {k: frozenset(v) for k, v in (data.get("pronouns") or {}).items()}
    return SpeakerLexicon(words("description_nouns"), words("organisation_voice"), words("titles"),
                          words("keep_titles"), pronouns, words("female_names"), words("male_names"),
                          dict(data.get("role_types") or {}), dict(data.get("role_defaults") or {}))  # fmt: skip


@dataclass
class Person:
    """A named person met in the article, with what their first mention said about them."""

    name: str
    gender: str | None
    role: str | None = None
    organisation: OrgMatch | None = None

    @property
    def surname(self) -> str:
        """Last word of the name."""
        return self.name.split()[-1]


@dataclass
class Memory:
    """What attribution remembers while reading one article."""

    orgs: ArticleOrgs
    mentions: list[tuple[int, Person]] = field(default_factory=list)
    last: tuple[int, Attribution] | None = None

    def person(self, name: str) -> Person | None:
        """A known person by full name or by surname."""
        for _, p in reversed(self.mentions):
            if p.name == name or p.name.endswith(f" {name}") or name in (p.surname, p.name.split()[0]):
                return p
        return None


def attribute(article: Article, docs: list[Doc], quotes: list[Quote], lexicon: Lexicon,
              words: SpeakerLexicon, config: SpeakersConfig) -> list[Attribution]:  # fmt: skip
    """Attribution for each quote, in order, carrying memory of people and organisations."""
    memory = Memory(orgs=article_orgs(article, docs, lexicon, words.female | words.male | words.titles))
    _register_people(article, docs, memory, lexicon, words)
    result = []
    for quote in quotes:
        if quote.mention is None:
            attribution = _floating(quote, memory, config)
        else:
            attribution = resolve_mention(quote.mention, memory, lexicon, words)
        if attribution.speaker:
            memory.last = (quote.paragraph, attribution)
        result.append(attribution)
    return result


def _register_people(
    article: Article, docs: list[Doc], memory: Memory, lexicon: Lexicon, words: SpeakerLexicon
) -> None:
    """Every PERSON the parser finds, with role and organisation from its phrase, in text order."""
    for span, doc in zip(article.paragraphs, docs, strict=True):
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            start = ent.start - 1 if ent.start > 0 and doc[ent.start - 1].text in words.keep_titles else ent.start
            name = clean_name(doc[start : ent.end].text, words)
            if len(name.split()) < 2 or memory.person(name) or _is_org_name(ent.text, memory, lexicon, words):
                continue
            root = ent.root
            phrase = doc[root.left_edge.i : root.right_edge.i + 1].text if root.dep_ not in ("ROOT",) else ent.text
            person = _new_person(name, phrase, span.start + ent.start_char, memory, lexicon, words)
            memory.mentions.append((span.start + ent.start_char, person))
    memory.mentions.sort(key=lambda m: m[0])


def _is_org_name(text: str, memory: Memory, lexicon: Lexicon, words: SpeakerLexicon) -> bool:
    """A PERSON entity that is an organisation: a lexicon one, or an unlisted one not opening with a first name."""
    first = text.split()[0]
    return bool(lexicon.find_all(text)) or (text in memory.orgs.names and first not in words.female | words.male)


def clean_name(text: str, words: SpeakerLexicon) -> str:
    """A person's name without titles, possessives or stray punctuation."""
    text = re.sub(r"\([^)]*\)", " ", text)
    tokens = [t.strip(",.;:") for t in text.replace("’s", "").replace("'s", "").split()]
    tokens = [t for t in tokens if t and t not in words.titles]
    return " ".join(tokens)


def _gender(name: str, words: SpeakerLexicon) -> str | None:
    first = name.split()[0]
    return "female" if first in words.female else "male" if first in words.male else None


def _new_person(name: str, phrase: str, offset: int, memory: Memory, lexicon: Lexicon, words: SpeakerLexicon) -> Person:
    """A person with the organisation and role of their description; a relative clause is the last resort."""
    rest = phrase.replace(name, " ")
    for part in name.split():
        rest = re.sub(rf"\b{re.escape(part)}\b", " ", rest)
    main = re.sub(r",\s*(?:who|which|whose|where)\b.*$", "", rest)
    org = (
        _org_in(main, offset, memory, lexicon)
        or _role_org(main, offset, memory, words)
        or _org_in(rest, offset, memory, lexicon)
    )
    return Person(name, _gender(name, words), _role(main, org, words), org)


def _org_in(text: str, offset: int, memory: Memory, lexicon: Lexicon) -> OrgMatch | None:
    """The organisation a phrase names, or the one 'its ...' or 'the council' points to."""
    found = memory.orgs.find(text)
    if found:
        return found[0]
    if any(word in lexicon.possessives for word in re.findall(r"\w+", text)):
        return memory.orgs.topic(offset)
    for noun, org_type in lexicon.anaphora.items():
        if re.search(rf"\b(?:the|its|this|a|an)\s+{noun}(?:['’]s)?\b", text, re.IGNORECASE):
            return memory.orgs.last_of_type(org_type, offset, noun)
    return memory.orgs.described(text)


def _role_org(text: str, offset: int, memory: Memory, words: SpeakerLexicon) -> OrgMatch | None:
    """A role that implies an organisation type ('minister', 'Councillor') takes the article's nearest one."""
    low = text.lower().replace("’", "'")
    role = next((r for r in words.role_types if re.search(rf"\b{re.escape(r.lower())}\b", low)), None)
    if role is None:
        return None
    org_type = words.role_types[role]
    found = memory.orgs.nearest_of_type(org_type, offset)
    default = next((org for r, org in words.role_defaults.items() if r.lower() in low), None)
    resolved = memory.orgs.lexicon.resolve(default) if default else None
    return found or (resolved if resolved and resolved.type == org_type else None)


def _role(rest: str, org: OrgMatch | None, words: SpeakerLexicon) -> str | None:
    text = re.sub(r"\([^)]*\)", " ", rest)
    if org is not None:
        text = re.sub(r"\b(?:the\s+)?[A-Z][\w’'&,-]*(?:\s+(?:of|for|and|&|[A-Z][\w’'&-]*))*['’]s\b", " ", text)
        for surface in re.findall(r"\b[A-Z][\w’'&-]*(?:\s+(?:of|for|and|&|[A-Z][\w’'&-]*))*", text):
            if org.name in surface or surface in org.name or surface.upper() == surface:
                text = text.replace(surface, " ")
    text = re.sub(r"\b(?:the\s+)?(?:council|union|department|charity|authority)['’]s\b", " ", text)
    text = re.sub(r"\b(?:the|a|an|then)\s+(?=\b)", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = _TRAILING_PREP.sub("", text).strip(" ,.;:")
    return text or None


def resolve_mention(mention: Mention, memory: Memory, lexicon: Lexicon, words: SpeakerLexicon) -> Attribution:
    """Turn the subject of a cue into an attribution."""
    subject = re.sub(r"\s+", " ", mention.subject).strip(" ,")
    head = mention.head.lower()
    if head in set().union(*words.pronouns.values()) and len(subject.split()) <= 2:
        return _pronoun(head, mention, memory, words)
    name = find_name(subject, lexicon, words, memory.orgs)
    if name and not _is_unlisted_org(subject, memory):
        return _named(name, subject, mention, memory, lexicon, words)
    return _description_or_org(subject, mention, memory, lexicon, words)


def _is_unlisted_org(subject: str, memory: Memory) -> bool:
    """The subject (up to its first comma) is exactly an organisation the article names ('Pennine Homes, which ...')."""
    head = re.sub(r"^(?:the|The)\s+", "", subject.split(",")[0].strip())
    return any(o.start == 0 and o.end == len(head) for o in memory.orgs.find(head) if o.type == "other")


def find_name(subject: str, lexicon: Lexicon, words: SpeakerLexicon, orgs: ArticleOrgs | None = None) -> str | None:
    """A person's name in a subject phrase, else in an appositive that is only a name ('Its head, Jo Bell')."""
    parts = re.sub(r"\([^)]*\)", " ", subject).split(",")
    name = _name_in(parts[0], lexicon, words, orgs)
    for part in parts[1:]:
        if name is None and re.fullmatch(rf"\s*(?:\S+\s+)?{_NAME_RE.pattern}\s*", part):
            name = _name_in(part, lexicon, words, None)
    return name


def _name_in(text: str, lexicon: Lexicon, words: SpeakerLexicon, known: ArticleOrgs | None) -> str | None:
    """Capitalised words of a phrase that are not an organisation (a lone word also not an unlisted one)."""
    orgs = lexicon.find_all(text)
    blanked = list(text)
    for o in orgs:
        blanked[o.start : o.end] = " " * (o.end - o.start)
    candidates = [clean_name(m.group(0), words) for m in _NAME_RE.finditer("".join(blanked))]
    candidates = [c for c in candidates if c and c.split()[0].lower() not in _DETERMINERS]
    if candidates:
        return candidates[-1]
    single = re.fullmatch(r"(?:[A-Z][a-z]+\s+)?([A-Z][a-zà-ÿ'’-]+)", "".join(blanked).strip())
    return single.group(1) if single and not orgs and not (known and known.find(text)) else None


def _named(
    name: str, subject: str, mention: Mention, memory: Memory, lexicon: Lexicon, words: SpeakerLexicon
) -> Attribution:
    known = memory.person(name)
    route = "surname" if known and name != known.name else "named"
    if known is None:
        known = _new_person(name, subject, mention.subject_start, memory, lexicon, words)
    elif known.organisation is None:
        extra = _new_person(known.name, subject, mention.subject_start, memory, lexicon, words)
        known.organisation, known.role = extra.organisation, known.role or extra.role
    memory.mentions.append((mention.subject_start, known))
    return _person_attribution(known, route)


def _person_attribution(person: Person, route: str) -> Attribution:
    org = person.organisation
    return Attribution(person.name, person.role, org.name if org else None, org.type if org else None, route)  # type: ignore[arg-type]


def _pronoun(pronoun: str, mention: Mention, memory: Memory, words: SpeakerLexicon) -> Attribution:
    gender = next((g for g, ws in words.pronouns.items() if pronoun in ws), "neutral")
    if gender == "neutral" and memory.last is not None:
        return replace(memory.last[1], route="pronoun")
    person = _last_compatible(memory.mentions, mention.cue_start, gender)
    if person is None:
        return Attribution(None, route="pronoun")
    person.gender = person.gender or gender
    memory.mentions.append((mention.subject_start, person))
    return _person_attribution(person, "pronoun")


def _last_compatible(pool: list[tuple[int, Person]], before: int, gender: str) -> Person | None:
    """The last person of a pool met before an offset whose gender fits (or is unknown)."""
    for offset, person in sorted(pool, key=lambda m: m[0], reverse=True):
        if offset < before and person.gender in (gender, None):
            return person
    return None


def _floating(quote: Quote, memory: Memory, config: SpeakersConfig) -> Attribution:
    if memory.last is None or quote.paragraph - memory.last[0] > config.floating_paragraphs:
        return Attribution(None)
    return replace(memory.last[1], route="floating")


def _description_or_org(
    subject: str, mention: Mention, memory: Memory, lexicon: Lexicon, words: SpeakerLexicon
) -> Attribution:
    head = mention.head.lower()
    org = _org_in(subject, mention.subject_start, memory, lexicon)
    head_in_org = any(mention.head in subject[m.start : m.end] for m in memory.orgs.find(subject))
    if org is not None and (head in words.organisation_voice or head_in_org or head in lexicon.anaphora):
        return Attribution(org.name, None, org.name, org.type, "organisation")
    if head in words.description_nouns or mention.head_pos in ("NOUN", "PRON"):
        return Attribution(
            _describe(subject, org, memory.orgs),
            None,
            org.name if org else None,
            org.type if org else None,
            "description",
        )
    found = memory.orgs.find(subject)
    resolved = max(found, key=lambda m: m.end - m.start) if found else lexicon.resolve(subject)
    if resolved is None:
        return Attribution(_describe(subject, None, memory.orgs), route="description")
    return Attribution(resolved.name, None, resolved.name, resolved.type, "organisation")


def _describe(subject: str, org: OrgMatch | None, orgs: ArticleOrgs) -> str:
    """A description without determiners and without its organisation part."""
    text = re.split(r",", subject)[0]
    if org is not None:
        for m in reversed(orgs.find(text)):
            text = text[: m.start] + text[m.end :]
        text = re.sub(r"\s+(?:for|from|at|of|with|in)\s+(?:the\s+)?(?:[A-Z].*)?$", "", text)
        text = re.sub(
            r"^(?:\w+\s+)?(?:[A-Z][\w’'&-]*\s+)+(?=[a-z])",
            lambda m: (
                m.group(0) if m.group(0).split()[0].lower() in _DETERMINERS and len(m.group(0).split()) == 1 else ""
            ),
            text,
        )
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if org is not None and len(words) > 1 and words[0].lower() in orgs.lexicon.anaphora:
        words = words[1:]
    return " ".join(words).replace("’", "'") or subject
