"""Assemble: one article's translated segments into its :class:`~bilingual.document.Briefing`.

QA findings are put on each rendering, the segments are aligned with the article's
paragraphs (and checked), and the title, captions and term counts are gathered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bilingual.align import align_article
from bilingual.document.article import Article
from bilingual.document.briefing import Briefing, TermCount, TranslatedCaption
from bilingual.document.segment import Rendering, Segment
from bilingual.glossary.term import Glossary
from bilingual.qa import article_flags, translation_flags
from bilingual.signature import Signature


@dataclass(frozen=True)
class RunInfo:
    """What every briefing of a run shares."""

    source_lang: str
    targets: tuple[str, ...]
    models: tuple[str, ...]
    signature: Signature
    run_date: str
    version: str


def with_flags(segment: Segment) -> Segment:
    """``segment`` with the QA findings of each rendering on it."""
    return segment.with_renderings(
        {
            lang: Rendering(
                r.text,
                r.terms,
                translation_flags(
                    segment.source, r.text, lang, r.terms, source_lang=segment.source_lang
                ),
            )
            for lang, r in segment.renderings.items()
        }
    )


def _term_counts(
    segments: Sequence[Segment], glossary: Glossary, targets: Sequence[str]
) -> tuple[TermCount, ...]:
    seen: dict[str, set[tuple[str, int]]] = {}
    forced: Counter[str] = Counter()
    for segment in segments:
        for _lang, use in segment.term_uses():
            seen.setdefault(use.term_id, set()).add((segment.id, use.start))
            forced[use.term_id] += use.forced
    counts = {term_id: len(places) for term_id, places in seen.items()}
    out: list[TermCount] = []
    for term_id in sorted(counts, key=lambda t: (-counts[t], t)):
        term = glossary.term(term_id)
        if term is None:  # pragma: no cover - uses come from this glossary's matches
            continue
        renderings = {lang: term.renderings.get(lang) for lang in targets}
        out.append(
            TermCount(
                term_id, term.type, term.forms[0], renderings, counts[term_id], forced[term_id]
            )
        )
    return tuple(out)


def assemble_briefing(
    article: Article,
    sentences: Sequence[Sequence[Segment]],
    captions: Sequence[Segment],
    glossary: Glossary,
    run: RunInfo,
) -> Briefing:
    """The briefing of ``article`` from its translated sentence segments (one sequence per
    paragraph) and caption segments (one per ``article.captions``, in order)."""
    flagged = [[with_flags(s) for s in paragraph] for paragraph in sentences]
    paragraphs = align_article(article, flagged, run.targets)
    first = paragraphs[0].sentences[0] if paragraphs and paragraphs[0].sentences else None
    title: dict[str, str | None] = {run.source_lang: first.source if first else article.name}
    for lang in run.targets:
        title[lang] = first.text(lang) if first else article.name
    return Briefing(
        article=article.info(),
        source_lang=run.source_lang,
        targets=run.targets,
        title=title,
        paragraphs=paragraphs,
        captions=tuple(
            TranslatedCaption(caption, segment.renderings)
            for caption, segment in zip(article.captions, captions, strict=True)
        ),
        flags=article_flags(article),
        terms=_term_counts([s for p in flagged for s in p], glossary, run.targets),
        models=run.models,
        signature=run.signature,
        run_date=run.run_date,
        version=run.version,
    )
