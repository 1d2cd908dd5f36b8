"""Assemble: one article's translated segments into its :class:`~bilingual.document.Briefing`.

QA findings are put on each rendering, the segments are aligned with the article's
paragraphs (and checked), and the title, captions and term counts are gathered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bilingual.align import align_article
from bilingual.confidence import Thresholds, confidence_flags
from bilingual.document.article import Article
from bilingual.document.briefing import Briefing, TermCount, TranslatedCaption, short_title
from bilingual.document.names import KeptName
from bilingual.document.segment import Flag, Rendering, Segment
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
    test_models: tuple[str, ...] = ()
    """Labels of the route's packages that declare themselves test models."""
    thresholds: Mapping[str, Thresholds] = field(default_factory=dict)
    """Target -> its model's calibrated confidence thresholds (none: not calibrated)."""
    licences: tuple[str, ...] = ()
    """One line per model of the route: its licence and what the licence asks to credit."""


Dismissed = Callable[[Segment, str, Rendering, Flag], bool]
"""Whether a reviewer dismissed this finding on this segment's rendering before."""


def _never(segment: Segment, lang: str, rendering: Rendering, flag: Flag) -> bool:
    return False


def with_flags(
    segment: Segment,
    dismissed: Dismissed = _never,
    thresholds: Mapping[str, Thresholds] | None = None,
    glossary: Glossary | None = None,
) -> Segment:
    """``segment`` with the QA findings of each rendering on it (after the findings it
    already carries, such as a glossary update to a reviewer's text), less those a
    reviewer dismissed on the same text. ``thresholds`` (per target, the model's) add
    the confidence findings of the model's renderings; ``glossary``, the avoid lists of
    the terms found in the source."""
    out: dict[str, Rendering] = {}
    for lang, r in segment.renderings.items():
        found = translation_flags(
            segment.source,
            r.text,
            lang,
            r.terms,
            source_lang=segment.source_lang,
            avoided=_avoid_lists(segment, lang, glossary),
        )
        if not r.reviewed and thresholds:
            found += confidence_flags(r.confidence, r.lock_cost, thresholds.get(lang), lang)
        kept = tuple(f for f in found if not dismissed(segment, lang, r, f))
        out[lang] = replace(r, flags=(*r.flags, *kept))
    return segment.with_renderings(out)


def _avoid_lists(
    segment: Segment, lang: str, glossary: Glossary | None
) -> dict[str, tuple[str, ...]]:
    """Term id -> what it must never be rendered as in ``lang``, for the segment's terms."""
    if glossary is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for _, use in segment.term_uses():
        term = glossary.term(use.term_id)
        if term is not None and term.avoid.get(lang):
            out[use.term_id] = term.avoid[lang]
    return out


def _term_counts(
    segments: Sequence[Segment], glossary: Glossary, targets: Sequence[str]
) -> tuple[TermCount, ...]:
    """Each term's occurrences in the source and, per target, how many were forced: a
    count per language, so that no column can exceed the occurrences it counts."""
    seen: dict[str, set[tuple[str, int]]] = {}
    forced: dict[str, dict[str, set[tuple[str, int]]]] = {}
    for segment in segments:
        for lang, use in segment.term_uses():
            place = (segment.id, use.start)
            seen.setdefault(use.term_id, set()).add(place)
            if use.forced:
                forced.setdefault(use.term_id, {}).setdefault(lang, set()).add(place)
    counts = {term_id: len(places) for term_id, places in seen.items()}
    out: list[TermCount] = []
    for term_id in sorted(counts, key=lambda t: (-counts[t], t)):
        term = glossary.term(term_id)
        if term is None:  # pragma: no cover - uses come from this glossary's matches
            continue
        if term.status == "auto":
            continue  # a name the run kept: listed with the kept names, not the glossary's
        renderings = {lang: term.renderings.get(lang) for lang in targets}
        by_lang = {lang: len(forced.get(term_id, {}).get(lang, ())) for lang in targets}
        out.append(
            TermCount(
                term_id,
                term.type,
                term.forms[0],
                renderings,
                counts[term_id],
                sum(by_lang.values()),
                by_lang,
            )
        )
    return tuple(out)


def assemble_briefing(
    article: Article,
    sentences: Sequence[Sequence[Segment]],
    captions: Sequence[Segment],
    glossary: Glossary,
    run: RunInfo,
    dismissed: Dismissed = _never,
    names: Sequence[KeptName] = (),
) -> Briefing:
    """The briefing of ``article`` from its translated sentence segments (one sequence per
    paragraph) and caption segments (one per ``article.captions``, in order)."""
    limits = run.thresholds
    flagged = [
        [with_flags(s, dismissed, limits, glossary) for s in paragraph] for paragraph in sentences
    ]
    # a caption is a segment like any other: the same findings, on its renderings
    flagged_captions = [with_flags(c, dismissed, limits, glossary) for c in captions]
    paragraphs = align_article(article, flagged, run.targets)
    first = paragraphs[0].sentences[0] if paragraphs and paragraphs[0].sentences else None
    # the lead sentence is often a whole paragraph: the title is its start, the table
    # keeps it whole
    title: dict[str, str | None] = {
        run.source_lang: short_title(first.source) if first else article.name
    }
    for lang in run.targets:
        text = first.text(lang) if first else article.name
        title[lang] = short_title(text) if text is not None else None
    return Briefing(
        article=article.info(),
        source_lang=run.source_lang,
        targets=run.targets,
        title=title,
        paragraphs=paragraphs,
        captions=tuple(
            TranslatedCaption(caption, segment.renderings)
            for caption, segment in zip(article.captions, flagged_captions, strict=True)
        ),
        flags=article_flags(article),
        terms=_term_counts(
            [*(s for p in flagged for s in p), *flagged_captions], glossary, run.targets
        ),
        models=run.models,
        signature=run.signature,
        run_date=run.run_date,
        version=run.version,
        test_models=run.test_models,
        licences=run.licences,
        names=tuple(names),
        bands={lang: (t.low, t.high) for lang, t in run.thresholds.items()},
    )
