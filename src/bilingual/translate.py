"""Translate: segments and a route in, the same segments with a locked rendering per target out.

A :class:`Route` is the list of hops that reach the targets, each hop a translator from
one language to the next (ar -> en, then en -> vi from the locked English). The glossary
terms found in a segment's source become the requirements of the first hop; for each
later hop they are *projected*: the previous hop's rendering of each term is located in
the previous translation (with what that language attaches to it, such as English's
leading "the") and must come out as this hop's rendering. Every hop goes through the
locking ladder of :mod:`bilingual.enforce`.

Identical source texts (a sentence repeated across articles, a caption that is also a
sentence) are translated once, and every segment of a run goes to the model in one call
per hop, so batching is global.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bilingual.document.segment import Rendering, Segment, TermUse
from bilingual.enforce import Locked, Requirement, SupportsTranslate, lock
from bilingual.engine import Translation
from bilingual.glossary.match import TermMatch, TermMatcher
from bilingual.glossary.term import Glossary
from bilingual.lang import language, language_name
from bilingual.progress import NoProgress, Progress, from_counts, stage


@dataclass(frozen=True)
class Hop:
    """One step of a route: a translator from ``source`` to ``target``."""

    source: str
    target: str
    translator: SupportsTranslate


@dataclass(frozen=True)
class Route:
    """The hops from a source language to every target, in order."""

    source: str
    hops: tuple[Hop, ...]

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(hop.target for hop in self.hops)


def route_pairs(source: str, targets: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The language pairs that reach ``targets`` in order, each from the one before it."""
    return tuple(itertools.pairwise((source, *targets)))


class TimedTranslator:
    """Wraps a translator to measure the time spent in the model (for the run summary)."""

    def __init__(self, inner: SupportsTranslate) -> None:
        self.inner = inner
        self.seconds = 0.0

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        t0 = time.perf_counter()
        try:
            return self.inner.translate(
                sentences,
                num_hypotheses=num_hypotheses,
                target_prefixes=target_prefixes,
                beam_size=beam_size,
                progress=progress,
            )
        finally:
            self.seconds += time.perf_counter() - t0


@dataclass(frozen=True)
class _Need:
    """A requirement of one hop, tied to the source match it comes from."""

    match: int
    """Index into the source text's matches."""
    requirement: Requirement


@dataclass
class _SourceText:
    """One distinct source text to translate, with its glossary matches and, hop by hop,
    what the ladder made of it."""

    text: str
    matches: tuple[TermMatch, ...]
    locked: dict[str, tuple[Locked, tuple[_Need, ...]]] = field(default_factory=dict)

    def translation(self, lang: str) -> str:
        """The locked translation into ``lang`` (a hop already run)."""
        return self.locked[lang][0].text


def _first_needs(unit: _SourceText, glossary: Glossary, lang: str) -> tuple[_Need, ...]:
    """Every term found in the source must come out as its rendering in ``lang``."""
    needs: list[_Need] = []
    for k, m in enumerate(unit.matches):
        term = glossary.term(m.term_id)
        rendering = term.renderings.get(lang) if term is not None else None
        if rendering:
            needs.append(_Need(k, Requirement(m.term_id, m.start, m.end, rendering)))
    return tuple(needs)


def _projected_needs(
    unit: _SourceText, glossary: Glossary, before: str, lang: str
) -> tuple[_Need, ...]:
    """Where each term's ``before`` rendering sits in the ``before`` translation, to be
    replaced by its ``lang`` rendering (with what ``before`` attaches to a term)."""
    text = unit.translation(before)
    span_of = language(before).term_span
    taken: list[tuple[int, int]] = []
    needs: list[_Need] = []
    for k, m in enumerate(unit.matches):
        term = glossary.term(m.term_id)
        if term is None:
            continue
        old, new = term.renderings.get(before), term.renderings.get(lang)
        if not old or not new:
            continue
        pos = text.find(old)
        while pos != -1 and any(a <= pos < b for a, b in taken):
            pos = text.find(old, pos + 1)
        if pos == -1:
            continue
        taken.append((pos, pos + len(old)))
        start, end = span_of(text, pos, pos + len(old))
        needs.append(_Need(k, Requirement(m.term_id, start, end, new)))
    return tuple(needs)


def _run_hop(
    hop: Hop,
    units: Sequence[_SourceText],
    glossary: Glossary,
    first: bool,
    natural_first: bool,
    progress: Progress,
) -> None:
    if first:
        needs = [_first_needs(u, glossary, hop.target) for u in units]
    else:
        needs = [_projected_needs(u, glossary, hop.source, hop.target) for u in units]
    advance = stage(progress, f"translating to {language_name(hop.target)}", len(units))
    locked = lock(
        hop.translator,
        [u.text if first else u.translation(hop.source) for u in units],
        [tuple(n.requirement for n in unit_needs) for unit_needs in needs],
        natural_first=natural_first and first,
        progress=from_counts(advance),
    )
    for unit, result, unit_needs in zip(units, locked, needs, strict=True):
        unit.locked[hop.target] = (result, unit_needs)


def _rendering(unit: _SourceText, lang: str) -> Rendering:
    result, needs = unit.locked[lang]
    uses: list[TermUse] = []
    for need, strategy in zip(needs, result.strategies, strict=True):
        m = unit.matches[need.match]
        surface = unit.text[m.start : m.end]
        rendering = need.requirement.rendering
        uses.append(TermUse(m.term_id, surface, m.start, m.end, rendering, strategy))
    return Rendering(result.text, tuple(uses))


def translate_segments(
    segments: Sequence[Segment],
    route: Route,
    glossary: Glossary,
    *,
    dedupe: bool = True,
    natural_first: bool = False,
    progress: Progress | None = None,
) -> list[Segment]:
    """Translate ``segments`` along ``route``, every glossary term locked in every target.

    Returns the segments in order, each with a :class:`Rendering` per target (text and
    term uses; QA flags are added later). A blank segment (a caption that is only a
    credit) gets empty renderings without a model call. ``dedupe`` translates an
    identical source text once, however often it occurs.
    """
    progress = progress or NoProgress()
    matcher = TermMatcher(glossary)
    by_text: dict[str, _SourceText] = {}
    units: list[_SourceText] = []
    unit_of: list[_SourceText | None] = []
    for segment in segments:
        if not segment.source.strip():
            unit_of.append(None)
            continue
        unit = by_text.get(segment.source)
        if unit is None or not dedupe:
            matches = unit.matches if unit is not None else matcher.find(segment.source)
            unit = _SourceText(segment.source, matches)
            by_text.setdefault(segment.source, unit)
            units.append(unit)
        unit_of.append(unit)
    for k, hop in enumerate(route.hops):
        _run_hop(hop, units, glossary, k == 0, natural_first, progress)
    out: list[Segment] = []
    for segment, maybe in zip(segments, unit_of, strict=True):
        if maybe is None:
            renderings = {lang: Rendering("") for lang in route.targets}
        else:
            renderings = {lang: _rendering(maybe, lang) for lang in route.targets}
        out.append(segment.with_renderings(renderings))
    return out
