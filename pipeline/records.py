"""Typed records passed between the pipeline's steps, so each step has a clear contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, NamedTuple

QuoteKind = Literal["direct", "indirect", "mixed"]
Route = Literal["named", "surname", "pronoun", "floating", "description", "organisation", "none"]
LABELS: tuple[str, ...] = ("favour", "against", "neutral")


class Span(NamedTuple):
    """Half-open character range [start, end) into an article's original text."""

    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One input article; `text` is the original text, `paragraphs` the kept (cleaned) ranges."""

    id: str
    source: str
    text: str
    paragraphs: tuple[Span, ...]
    title: str = ""
    date: str | None = None
    url: str | None = None
    dropped: int = 0

    def paragraph_text(self, index: int) -> str:
        """Text of one kept paragraph."""
        span = self.paragraphs[index]
        return self.text[span.start : span.end]


@dataclass(frozen=True)
class Mention:
    """Where a quote's attribution points: the cue verb and the subject phrase naming the source."""

    cue: str
    cue_start: int
    subject: str
    subject_start: int
    head: str
    head_pos: str
    entity: str


@dataclass(frozen=True)
class Quote:
    """A quotation segmented from an article, before attribution."""

    article_id: str
    source: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    paragraph: int
    context: str
    mention: Mention | None = None

    @property
    def cue(self) -> str | None:
        """The cue verb, if any."""
        return self.mention.cue if self.mention else None


@dataclass(frozen=True)
class Attribution:
    """Who said a quote and for which organisation."""

    speaker: str | None
    role: str | None = None
    organisation: str | None = None
    organisation_type: str | None = None
    route: Route = "none"


@dataclass(frozen=True)
class StanceScore:
    """Calibrated class probabilities for one quote."""

    p_favour: float
    p_against: float
    p_neutral: float

    @property
    def label(self) -> str:
        """The most probable label."""
        probs = {"favour": self.p_favour, "against": self.p_against, "neutral": self.p_neutral}
        return max(probs, key=probs.__getitem__)


def quote_row(quote: Quote, attribution: Attribution) -> dict[str, Any]:
    """Flat JSON-ready row for an attributed quote, with the field names users rely on."""
    return {
        "source": quote.source,
        "article_id": quote.article_id,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "cue": quote.cue,
        "paragraph": quote.paragraph,
        "context": quote.context,
        **asdict(attribution),
    }
