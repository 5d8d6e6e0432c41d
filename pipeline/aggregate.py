"""Per-organisation (or per-type) stance figures with article-level bootstrap intervals: computed once, here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import load_section


@dataclass(frozen=True)
class AggregateConfig:
    """How groups are summarised."""

    by: str = "organisation"
    min_quotes: int = 5
    min_articles: int = 3  # an article bootstrap over fewer articles has almost no distinct resamples
    rounds: int = 2000
    seed: int = 0
    evidence: int = 3

    def __post_init__(self) -> None:
        if self.by not in ("organisation", "type"):
            raise ValueError("by must be 'organisation' or 'type'")
        if self.min_quotes < 1 or self.min_articles < 1 or self.rounds < 100:
            raise ValueError("min_quotes and min_articles must be >= 1, rounds >= 100")

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> AggregateConfig:
        """The `aggregate` section of configs/pipeline.yaml, with command-line values (not None) on top."""
        base = load_section(cls, "aggregate", path)
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})


@dataclass
class GroupStance:
    """The figures for one organisation or type."""

    name: str
    quotes: int
    articles: int
    share: dict[str, float]
    net: float
    ci95: tuple[float, float]
    few: bool
    favour_evidence: list[dict[str, Any]] = field(default_factory=list)
    against_evidence: list[dict[str, Any]] = field(default_factory=list)
    by_year: dict[str, tuple[float, int]] = field(default_factory=dict)


def net_stance(rows: list[dict[str, Any]]) -> float:
    """Mean of P(favour) - P(against) over quotes."""
    return float(np.mean([r["p_favour"] - r["p_against"] for r in rows])) if rows else 0.0


def article_bootstrap(rows: list[dict[str, Any]], rounds: int, seed: int) -> tuple[float, float]:
    """95% interval of the net stance, resampling whole articles (their quotes are not independent)."""
    by_article: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        by_article[r["article_id"]].append(r["p_favour"] - r["p_against"])
    groups = list(by_article.values())
    rng = np.random.default_rng(seed)
    sums, counts = np.array([sum(g) for g in groups]), np.array([len(g) for g in groups])
    picks = rng.integers(0, len(groups), size=(rounds, len(groups)))
    means = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def group_key(row: dict[str, Any], by: str) -> str | None:
    """The organisation (or its type) a quote counts for; None for unattributed quotes."""
    return row.get("organisation") if by == "organisation" else row.get("organisation_type")


def summarise(rows: list[dict[str, Any]], config: AggregateConfig) -> list[GroupStance]:
    """One GroupStance per organisation/type, most quoted first."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = group_key(row, config.by)
        if key:
            groups[key].append(row)
    result = [_summarise_group(name, members, config) for name, members in groups.items()]
    return sorted(result, key=lambda g: (-g.quotes, g.name))


def summarise_all(rows: list[dict[str, Any]], config: AggregateConfig) -> GroupStance:
    """The same figures over every quote, attributed or not (the corpus as a whole)."""
    return _summarise_group("all quotes", rows, config)


def years_of(groups: list[GroupStance]) -> list[str]:
    """Every year with dated quotes in any group, in order."""
    return sorted({year for g in groups for year in g.by_year})


def _summarise_group(name: str, rows: list[dict[str, Any]], config: AggregateConfig) -> GroupStance:
    labels = [r["label"] for r in rows]
    share = {lab: labels.count(lab) / len(rows) for lab in ("favour", "against", "neutral")}
    evidence = _evidence(rows, config.evidence)
    years: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get("date"):
            years[str(r["date"])[:4]].append(r)
    return GroupStance(
        name=name,
        quotes=len(rows),
        articles=len({r["article_id"] for r in rows}),
        share=share,
        net=net_stance(rows),
        ci95=article_bootstrap(rows, config.rounds, config.seed),
        few=len(rows) < config.min_quotes or len({r["article_id"] for r in rows}) < config.min_articles,
        favour_evidence=evidence["favour"],
        against_evidence=evidence["against"],
        by_year={y: (net_stance(v), len(v)) for y, v in sorted(years.items())},
    )


def _evidence(rows: list[dict[str, Any]], k: int) -> dict[str, list[dict[str, Any]]]:
    """The most confident quotes labelled each way."""
    out = {}
    for label in ("favour", "against"):
        picked = sorted((r for r in rows if r["label"] == label), key=lambda r: -r[f"p_{label}"])[:k]
        out[label] = [
            {key: r.get(key) for key in ("text", "speaker", "title", "date", "p_favour", "p_against")} for r in picked
        ]
    return out
