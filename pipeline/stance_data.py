"""The stance corpus: merge the parts, add context, mask names, split by article, build model inputs."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.config import ConfigError, resolve_path
from pipeline.organisations import Lexicon
from pipeline.records import LABELS

log = logging.getLogger(__name__)
_SENT = re.compile(r"(?<=[.!?”])\s+(?=[“\"A-Z])")
PERSON_MASK, ORG_MASK, ELLIPSIS = "[PERSON]", "[ORG]", "…"
MASK_SCOPES = ("all", "speaker")  # mask every organisation named, or only the speaker's own (and the speaker's name)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; a malformed line is an error naming the file and line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path}:{number}: malformed JSON ({err.msg})") from err
    return rows


def load_corpus(parts_dir: str) -> list[dict[str, Any]]:
    """All labelled quotes written by the project, each with its article's sentence context."""
    folder = resolve_path(parts_dir)
    articles = {a["id"]: a for p in sorted(folder.glob("articles_*.jsonl")) for a in read_jsonl(p)}
    rows = []
    for path in sorted(folder.glob("quotes_*.jsonl")):
        for row in read_jsonl(path):
            article = articles.get(row.get("article_id"))
            if article is None or row.get("label") not in LABELS:
                log.warning("%s: skipping quote %s (no article or bad label)", path, row.get("id"))
                continue
            context = sentence_context(article["text"], row["text"])
            rows.append({**row, "context": context, "title": article.get("title") or ""})
    if not rows:
        raise ConfigError(f"no labelled quotes found under {folder}")
    return rows


def load_pairs(folder_name: str) -> list[dict[str, Any]]:
    """Public (topic, text, favour|against) pairs for cross-topic pre-training; the topic becomes the target."""
    folder = resolve_path(folder_name)
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, row in enumerate(read_jsonl(path), start=1):
            if row.get("label") not in LABELS or not row.get("topic") or not row.get("text"):
                log.warning("%s:%d: skipping pair without topic, text or a known label", path, number)
                continue
            rows.append({"id": f"{path.stem}:{number}", "article_id": f"{path.stem}:{row['topic']}",
                         "text": row["text"], "target": row["topic"], "label": row["label"],
                         "split": row.get("split", "train")})  # fmt: skip
    if not rows:
        raise ConfigError(f"no stance pairs found under {folder}")
    return rows


def sentence_context(text: str, quote: str) -> str:
    """The sentences of the paragraph that overlap the quote (what extraction gives at run time)."""
    start = text.find(quote)
    if start < 0:
        return ""
    end = start + len(quote)
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    paragraph, pos, picked = text[para_start:para_end], para_start, []
    for sentence in _SENT.split(paragraph):
        s = text.find(sentence, pos)
        if s < end and start < s + len(sentence):
            picked.append(sentence)
        pos = max(pos, s + len(sentence)) if s >= 0 else pos
    return " ".join(picked)


def split_of(article_id: str, dev_percent: int) -> str:
    """Deterministic article-level split: every quote of an article lands in the same split."""
    bucket = int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % 100
    return "dev" if bucket < dev_percent else "train"


def mask(text: str, speaker: str | None, organisation: str | None, lexicon: Lexicon,
         only: set[str] | None = None) -> str:  # fmt: skip
    """Replace the speaker's name, the speaker's organisation and the organisations named (all, or `only` these
    canonical names) with placeholders."""
    spans = [(m.start, m.end, ORG_MASK) for m in lexicon.find_all(text) if only is None or m.name in only]
    if organisation:
        spans += [(m.start(), m.end(), ORG_MASK) for m in re.finditer(re.escape(organisation), text)]
    for part in name_parts(speaker or ""):
        spans += [(m.start(), m.end(), PERSON_MASK) for m in re.finditer(rf"\b{re.escape(part)}\b", text)]
    out, pos = [], 0
    for start, end, token in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= pos:
            out += [text[pos:start], token]
            pos = end
    return "".join(out) + text[pos:]


def name_parts(speaker: str) -> set[str]:
    """The ways a named speaker recurs ("Julian Le Grand", "Le Grand", "Julian", "Grand"); a role ("spokesperson") is no name."""
    words = speaker.split()
    name = list(itertools.takewhile(lambda w: w[0].isupper(), words))  # "DfE spokeswoman" -> "DfE"
    tails = {" ".join(name[i:]) for i in range(len(name))}
    return tails | {w for w in words if len(w) > 2 and w[0].isupper()}


def elide(context: str, quote: str) -> str:
    """The context with the quote itself cut out, so the model sees its framing (speaker, cue) once, not twice."""
    return context.replace(quote, ELLIPSIS) if quote and context.strip() != quote.strip() else ""


@dataclass(frozen=True)
class InputSpec:
    """How a quote row becomes the model's second input segment; the same for training, scoring and baselines."""

    use_context: bool = True
    use_title: bool = False
    mask_scope: str = "all"  # with a lexicon given (mask_entities): every organisation, or the speaker's own

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> InputSpec:
        """The spec a training config (or a saved model's config) names; keys it lacks keep these defaults."""
        return cls(**{f.name: config[f.name] for f in fields(cls) if f.name in config})


def model_text(row: dict[str, Any], lexicon: Lexicon | None, spec: InputSpec) -> str:
    """The second segment of the model input: the article's headline (what the story is about), the quote, its context."""
    quote, context = row["text"], elide(row.get("context") or "", row["text"]) if spec.use_context else ""
    title = (row.get("title") or "").strip() if spec.use_title else ""
    if lexicon is not None:
        speaker, org = row.get("speaker"), row.get("organisation")
        only = None if spec.mask_scope == "all" else {m.name for m in lexicon.find_all(org or "")}
        quote, context, title = (mask(t, speaker, org, lexicon, only) if t else t for t in (quote, context, title))
    text = f"{quote} [SEP] {context}" if context else quote
    return f"{title} [SEP] {text}" if title else text
