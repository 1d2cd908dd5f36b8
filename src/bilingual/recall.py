"""Recall: look every segment up in the translation memory before anything is translated.

Each sentence is looked up with its neighbours as context, in every target language; a
reviewed or approved unit becomes a :class:`~bilingual.translate.Recalled` text, which
:func:`~bilingual.translate.translate_segments` uses instead of the model. A paragraph
whose sentences a reviewer merged or split is looked up as a whole: its text goes on the
paragraph's first sentence and the others are left empty, so the reviewer's paragraph
is shown as they wrote it.

A sentence without an exact match but close to a reviewed sentence of the same article
(85 % similar or more: the article was corrected upstream, a typo fixed) is never given
the reviewer's text silently; the model translates it, and the rendering carries an info
finding ``fuzzy-match`` quoting the reviewer's translation of the similar sentence.

Any other sentence without an exact match is looked up, all in one batch, among the
reviewed and approved sentences of the whole memory (any article, any day; see
:mod:`bilingual.memory.similar`): the most similar at or above the run's threshold
becomes the rendering's :class:`~bilingual.document.segment.Similar`, which the
briefing shows the reviewer as a comment. It is never used as the translation either.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bilingual.document.segment import Flag, Segment, Similar, Status
from bilingual.memory.similar import Candidate, Wanted
from bilingual.memory.store import Hit, Query, TranslationMemory, Unit
from bilingual.translate import Recalled

FUZZY = 0.85
"""Similarity from which a reviewed sentence is pointed out (never used)."""

__all__ = ["RecallReport", "recall_segments", "with_similar"]


@dataclass(frozen=True)
class RecallReport:
    recalled: tuple[tuple[dict[str, Recalled], ...], ...]
    """Per article, per segment: language -> the reviewer's text."""
    hits: int
    """Segment renderings taken from the memory."""
    fuzzy: tuple[tuple[dict[str, Flag], ...], ...] = ()
    """Per article, per segment: language -> a ``fuzzy-match`` finding."""
    similar: tuple[tuple[dict[str, Similar], ...], ...] = ()
    """Per article, per segment: language -> the memory's most similar reviewed sentence
    (only where there is no exact match; empty when the look-up is off)."""


def _recalled(hit: Hit, text: str | None = None) -> Recalled:
    unit = hit.unit
    return Recalled(
        unit.target if text is None else text,
        status=unit.status,
        origin=unit.origin,
        note=unit.note,
        terms=dict(unit.terms),
        note_by=unit.created_by,
        note_at=unit.created_at,
    )


def _sentence_queries(segments: Sequence[Segment], lang: str) -> list[Query]:
    sentences = [s for s in segments if s.id.startswith("p")]
    context = {
        s.id: (
            sentences[k - 1].source if k > 0 else "",
            sentences[k + 1].source if k + 1 < len(sentences) else "",
        )
        for k, s in enumerate(sentences)
    }
    return [Query(s.source_lang, s.source, lang, *context.get(s.id, ("", ""))) for s in segments]


def _paragraphs(segments: Sequence[Segment]) -> dict[str, list[int]]:
    """Paragraph id (``p3``) -> indexes of its sentences, for paragraphs of two or more."""
    groups: dict[str, list[int]] = {}
    for k, s in enumerate(segments):
        if s.id.startswith("p"):
            groups.setdefault(s.id.split(".")[0], []).append(k)
    return {p: ks for p, ks in groups.items() if len(ks) > 1}


def _fuzzy(segment: Segment, candidates: Sequence[Unit], lang: str) -> Flag | None:
    best: tuple[float, Unit] | None = None
    for unit in candidates:
        matcher = difflib.SequenceMatcher(a=segment.source, b=unit.source, autojunk=False)
        if matcher.real_quick_ratio() < FUZZY or matcher.quick_ratio() < FUZZY:
            continue
        ratio = matcher.ratio()
        if ratio >= FUZZY and (best is None or ratio > best[0]):
            best = (ratio, unit)
    if best is None:
        return None
    ratio, unit = best
    return Flag(
        "fuzzy-match",
        "info",
        f"a reviewer translated a {ratio:.0%} similar sentence as {unit.target!r} "
        f"({unit.origin}); not used, since the source differs",
        lang,
    )


def _fuzzy_all(
    memory: TranslationMemory,
    articles: Sequence[Sequence[Segment]],
    names: Sequence[str],
    targets: Sequence[str],
    found: Sequence[Sequence[dict[str, Recalled]]],
) -> tuple[tuple[dict[str, Flag], ...], ...]:
    out: list[list[dict[str, Flag]]] = [[{} for _ in segments] for segments in articles]
    for lang in targets:
        units = memory.article_units(names, lang)
        by_article: dict[str, list[Unit]] = {}
        for unit in units:
            by_article.setdefault(unit.article, []).append(unit)
        for a, (segments, name) in enumerate(zip(articles, names, strict=True)):
            candidates = by_article.get(name, [])
            for k, segment in enumerate(segments):
                if not candidates or lang in found[a][k] or not segment.source.strip():
                    continue
                flag = _fuzzy(segment, candidates, lang)
                if flag is not None:
                    out[a][k][lang] = flag
    return tuple(tuple(article) for article in out)


def _similar(candidate: Candidate) -> Similar:
    status: Status = "approved" if candidate.status == "approved" else "reviewed"
    return Similar(
        candidate.score, candidate.source, candidate.target, candidate.unit_id, status,
        candidate.article, candidate.created_at,
    )  # fmt: skip


def _similar_all(
    memory: TranslationMemory,
    articles: Sequence[Sequence[Segment]],
    targets: Sequence[str],
    found: Sequence[Sequence[dict[str, Recalled]]],
    threshold: float,
) -> tuple[tuple[dict[str, Similar], ...], ...]:
    """Every segment without an exact match, looked up in one batch."""
    out: list[list[dict[str, Similar]]] = [[{} for _ in segments] for segments in articles]
    wanted: list[Wanted] = []
    where: list[tuple[int, int, str]] = []
    for a, segments in enumerate(articles):
        for k, segment in enumerate(segments):
            for lang in targets:
                if lang not in found[a][k] and segment.source.strip():
                    wanted.append(Wanted(segment.source_lang, segment.source, lang))
                    where.append((a, k, lang))
    for (a, k, lang), candidate in zip(where, memory.similar(wanted, threshold), strict=True):
        if candidate is not None:
            out[a][k][lang] = _similar(candidate)
    return tuple(tuple(article) for article in out)


def with_similar(segment: Segment, similar: dict[str, Similar]) -> Segment:
    """``segment`` with each rendering's similar unit put on it."""
    if not similar:
        return segment
    renderings = dict(segment.renderings)
    for lang, found in similar.items():
        if lang in renderings:
            renderings[lang] = replace(renderings[lang], similar=found)
    return segment.with_renderings(renderings)


def recall_segments(
    memory: TranslationMemory,
    articles: Sequence[Sequence[Segment]],
    targets: Sequence[str],
    names: Sequence[str] = (),
    similar: float = 0.0,
) -> RecallReport:
    """The memory's reviewed texts for the segments of each article (one look-up pass),
    and, where ``names`` (the articles' names) are given, fuzzy-match findings; where
    ``similar`` (a threshold, 0 to 1) is above 0, the most similar reviewed sentences."""
    out: list[list[dict[str, Recalled]]] = [[{} for _ in segments] for segments in articles]
    queries: list[Query] = []
    where: list[tuple[int, int, str]] = []
    paragraph_queries: list[Query] = []
    paragraph_where: list[tuple[int, list[int], str]] = []
    for a, segments in enumerate(articles):
        for lang in targets:
            for k, query in enumerate(_sentence_queries(segments, lang)):
                if query.source.strip():
                    queries.append(query)
                    where.append((a, k, lang))
            for ks in _paragraphs(segments).values():
                first = segments[ks[0]]
                joined = " ".join(segments[k].source for k in ks)
                paragraph_queries.append(Query(first.source_lang, joined, lang, level="paragraph"))
                paragraph_where.append((a, ks, lang))
    for (a, k, lang), hit in zip(where, memory.lookup(queries), strict=True):
        if hit is not None:
            out[a][k][lang] = _recalled(hit)
    for (a, ks, lang), hit in zip(paragraph_where, memory.lookup(paragraph_queries), strict=True):
        if hit is not None:
            out[a][ks[0]][lang] = _recalled(hit)
            for k in ks[1:]:
                out[a][k][lang] = _recalled(hit, "")
    hits = sum(len(r) for article in out for r in article)
    fuzzy = _fuzzy_all(memory, articles, names, targets, out) if names else ()
    near = _similar_all(memory, articles, targets, out, similar) if similar > 0 else ()
    return RecallReport(tuple(tuple(article) for article in out), hits, fuzzy, near)
