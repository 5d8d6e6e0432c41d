"""Score extracted quotes against hand-annotated gold: spans, speakers and organisations."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PROJECT_ROOT, ConfigError
from pipeline.records import Span

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
_TRIM = " \t\n\"“”‘’'.,;:!?"


@dataclass
class GoldQuote:
    """One gold quote: its span and the speakers/organisations accepted for it."""

    source: str
    span: Span
    kind: str
    route: str
    speakers: set[str] = field(default_factory=set)
    organisations: set[str | None] = field(default_factory=set)


@dataclass
class Tally:
    """Counts behind precision, recall and accuracy.

    Per kind or route, recall and accuracies count gold quotes of that category (`matched`), and precision
    counts predicted quotes the system put in that category (`hit` of `predicted`).
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    hit: int = 0
    speaker_ok: int = 0
    org_ok: int = 0

    def scores(self) -> dict[str, float | int]:
        """Precision, recall, F1, speaker and organisation accuracy."""
        p = self.hit / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.speaker_ok / self.matched if self.matched else 0.0
        org = self.org_ok / self.matched if self.matched else 0.0
        return {"gold": self.gold, "predicted": self.predicted, "matched": self.matched, "precision": p,
                "recall": r, "f1": f1, "speaker_accuracy": acc, "organisation_accuracy": org}  # fmt: skip


def resolve_source(source: str, gold_path: Path) -> Path:
    """Gold sources are relative to the project root, the gold file, or the working directory."""
    for base in (PROJECT_ROOT, gold_path.parent, Path.cwd()):
        if (base / source).exists():
            return base / source
    raise ConfigError(f"{gold_path}: source file not found: {source}")


def load_gold(path: Path) -> tuple[dict[str, list[GoldQuote]], dict[str, Path]]:
    """Gold quotes per source, with spans located in the source text; repeated spans merge."""
    by_source: dict[str, dict[Span, GoldQuote]] = defaultdict(dict)
    files: dict[str, Path] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path}:{number}: malformed JSON ({err.msg})") from err
        files[row["source"]] = resolve_source(row["source"], Path(path))
        span = locate(files[row["source"]].read_text(encoding="utf-8"), row["text"], row.get("occurrence", 1))
        if span is None:
            raise ConfigError(f"{path}:{number}: quote text not found in {row['source']}")
        gold = by_source[row["source"]].setdefault(span, GoldQuote(row["source"], span, row["kind"], row["route"]))
        gold.speakers.add(row.get("speaker") or "")
        gold.organisations.add(row.get("organisation"))
    return {s: sorted(q.values(), key=lambda g: g.span.start) for s, q in by_source.items()}, files


def locate(text: str, needle: str, occurrence: int = 1) -> Span | None:
    """Offsets of the n-th occurrence of `needle` in `text`."""
    start = -1
    for _ in range(max(occurrence, 1)):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    return Span(start, start + len(needle))


def _words(text: str, span: Span) -> set[int]:
    return {span.start + m.start() for m in _WORD.finditer(text[span.start : span.end])}


def overlap(text: str, a: Span, b: Span) -> float:
    """Shared word tokens over the larger span's word count."""
    wa, wb = _words(text, a), _words(text, b)
    return len(wa & wb) / max(len(wa), len(wb), 1)


def exact(text: str, a: Span, b: Span) -> bool:
    """Same span once surrounding quote marks, punctuation and spaces are trimmed."""
    return text[a.start : a.end].strip(_TRIM) == text[b.start : b.end].strip(_TRIM) and overlap(text, a, b) > 0.99


def normalise_speaker(name: str | None) -> str:
    """Lower-case, straight apostrophes, no determiners or punctuation."""
    words = re.findall(r"[\w']+", (name or "").replace("’", "'").lower())
    return " ".join(w for w in words if w not in {"a", "an", "the", "one", "another"})


def speaker_matches(predicted: str | None, gold: Iterable[str]) -> bool:
    """Equal after normalising, or one contains the other as whole words."""
    p = normalise_speaker(predicted)
    for g in map(normalise_speaker, gold):
        if p and g and (p == g or f" {g} " in f" {p} " or f" {p} " in f" {g} "):
            return True
    return False


def match(
    text: str, gold: list[GoldQuote], predicted: list[dict[str, Any]], threshold: float
) -> list[tuple[GoldQuote, dict[str, Any]]]:
    """Greedy one-to-one matching by overlap (threshold 1.0 means exact)."""
    pairs = []
    for g in gold:
        for p in predicted:
            span = Span(p["start"], p["end"])
            score = 1.0 if exact(text, g.span, span) else overlap(text, g.span, span)
            if score >= threshold and (threshold < 1.0 or exact(text, g.span, span)):
                pairs.append((score, g, p))
    used_g: set[int] = set()
    used_p: set[int] = set()
    result = []
    for _, g, p in sorted(pairs, key=lambda x: -x[0]):
        if id(g) not in used_g and id(p) not in used_p:
            used_g.add(id(g))
            used_p.add(id(p))
            result.append((g, p))
    return result


def evaluate(
    gold: dict[str, list[GoldQuote]], predictions: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> dict[str, Any]:
    """Overall, per-kind and per-route scores, for exact and >= 50% overlap matching."""
    report: dict[str, Any] = {}
    for mode, threshold in (("exact", 1.0), ("overlap", 0.5)):
        overall = Tally()
        by_kind: defaultdict[str, Tally] = defaultdict(Tally)
        by_route: defaultdict[str, Tally] = defaultdict(Tally)
        for source, quotes in gold.items():
            preds = predictions.get(source, [])
            overall.gold += len(quotes)
            overall.predicted += len(preds)
            for q in quotes:
                by_kind[q.kind].gold += 1
                by_route[q.route].gold += 1
            for p in preds:
                by_kind[p["kind"]].predicted += 1
                by_route[p.get("route") or "none"].predicted += 1
            for g, p in match(texts[source], quotes, preds, threshold):
                speaker = speaker_matches(p.get("speaker"), g.speakers)
                org = p.get("organisation") in g.organisations
                for tally in (overall, by_kind[g.kind], by_route[g.route]):
                    tally.matched += 1
                    tally.speaker_ok += speaker
                    tally.org_ok += org
                for tally in (overall, by_kind[p["kind"]], by_route[p.get("route") or "none"]):
                    tally.hit += 1
        report[mode] = {"overall": overall.scores(), "by_kind": {k: t.scores() for k, t in sorted(by_kind.items())},
                        "by_route": {k: t.scores() for k, t in sorted(by_route.items())}}  # fmt: skip
    return report


def evaluate_extraction(gold_path: Path, config: Any = None) -> dict[str, Any]:
    """Run extraction on every article a gold file annotates and score it."""
    from pipeline.workflow import ArticleQuotes, extract

    gold, files = load_gold(gold_path)
    by_path = {str(p): s for s, p in files.items()}
    predictions: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, str] = {}
    for item in extract([str(p) for p in files.values()], config):
        if isinstance(item, ArticleQuotes):
            source = by_path[item.article.source]
            predictions[source], texts[source] = item.rows, item.article.text
    return evaluate(gold, predictions, texts)
