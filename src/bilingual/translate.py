"""Translate: segments and a route in, the same segments with a locked rendering per target out.

A :class:`Route` is the list of hops that reach the targets, each hop a translator from
a language already reached to a new one (ar -> en, then en -> vi from the locked English;
or ar -> vi straight from the source; see :mod:`bilingual.routes`). For a hop from the
source language the glossary terms found in a segment's source become the requirements
directly, each as its rendering in the hop's target; for a hop from a translation they
are *projected*: the earlier hop's rendering of each term is located in its translation
(with what that language attaches to it, such as English's leading "the") and must come
out as this hop's rendering. A term with no rendering in a hop's target (or, projected,
in its source) is not required there. Every hop goes through the locking ladder of
:mod:`bilingual.enforce`.

Identical source texts (a sentence repeated across articles, a caption that is also a
sentence) are translated once, and every segment of a run goes to the model in one call
per hop, so batching is global.

A segment may come with :class:`Recalled` texts: a reviewer's translation from the
memory. For that hop the model is not called; the reviewer's words are kept, except that
the glossary still holds: a term whose rendering changed since the review is updated
where the old rendering stands (flagged ``term-updated``), and one that is in neither
form is written in by the ladder's last rung (``forced``). A later hop translates from
the reviewed text.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bilingual._text import (
    loose_spans,
    model_digits,
    occurrences,
    rendering_spans,
    sentence_case,
    variant_of,
)
from bilingual.confidence import forward_scores
from bilingual.document.segment import (
    Flag,
    Rendering,
    Segment,
    Status,
    Strategy,
    TermOrigin,
    TermUse,
)
from bilingual.enforce import Locked, Requirement, SupportsTranslate, lock, write_in
from bilingual.engine import Translation
from bilingual.glossary.match import TermMatch, TermMatcher
from bilingual.glossary.term import Glossary
from bilingual.lang import language, language_name
from bilingual.progress import NoProgress, Progress, from_counts, stage


class LockedCache(Protocol):
    """Where a hop keeps what the locking ladder made of an input (the memory's cache):
    an unchanged input with unchanged requirements skips the ladder altogether."""

    def get_locked(self, keys: Sequence[str]) -> dict[str, Locked]: ...

    def put_locked(self, key: str, locked: Locked) -> None: ...


@dataclass(frozen=True)
class Hop:
    """One step of a route: a translator from ``source`` to ``target``."""

    source: str
    target: str
    translator: SupportsTranslate
    cache: LockedCache | None = None
    model: str = ""
    """What the cache key needs to know of the translator: its package and decoding."""
    alternatives: int = 0
    """How many next best translations to keep where the model is unsure (within the
    beam: :func:`bilingual.alternatives.hypotheses_for`)."""
    unsure_below: float | None = None
    """The model's calibrated ``low`` confidence threshold: below it the model is unsure
    (None: not calibrated, no alternatives)."""


@dataclass(frozen=True)
class Route:
    """The hops from a source language to every target, in order: each hop starts at
    ``source`` or at the target of an earlier hop, and reaches a language of its own."""

    source: str
    hops: tuple[Hop, ...]

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(hop.target for hop in self.hops)


def route_pairs(source: str, targets: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The language pairs that reach ``targets`` in order, each from the one before it."""
    return tuple(itertools.pairwise((source, *targets)))


class TimedTranslator:
    """Wraps a translator to measure the time spent in the model and count its inputs
    (for the run summary)."""

    def __init__(self, inner: SupportsTranslate) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0
        self.sentences = 0
        self.batches: list[int] = []
        """Inputs per call, in order (the first decode, then the repairs)."""
        self.score_seconds = 0.0
        """Of ``seconds``, the time spent scoring texts for their confidence."""

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[Translation]:
        t0 = time.perf_counter()
        if sentences:
            self.calls += 1
            self.sentences += len(sentences)
            self.batches.append(len(sentences))
        try:
            return self.inner.translate(
                sentences,
                num_hypotheses=num_hypotheses,
                target_prefixes=target_prefixes,
                beam_size=beam_size,
                progress=progress,
                **({"avoid": avoid} if avoid else {}),
            )
        finally:
            self.seconds += time.perf_counter() - t0

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        """The inner translator's scores (:class:`bilingual.confidence.SupportsScore`),
        timed as model time. A translator that cannot score gives (0, 0): no confidence."""
        t0 = time.perf_counter()
        try:
            return forward_scores(self.inner, sources, targets)
        finally:
            spent = time.perf_counter() - t0
            self.score_seconds += spent
            self.seconds += spent


@dataclass(frozen=True)
class Recalled:
    """A reviewer's translation of one segment into one language, from the memory."""

    text: str
    status: Status = "reviewed"
    origin: str = ""
    note: str = ""
    terms: Mapping[str, str] = field(default_factory=dict)
    """Term id -> the rendering the glossary prescribed when the review was made."""
    note_by: str = ""
    """The reviewer who stored the unit (its ``created_by``)."""
    note_at: str = ""
    """When the unit was stored (its ``created_at``)."""


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
    recalled: Mapping[str, Recalled] = field(default_factory=dict)
    locked: dict[str, tuple[Locked, tuple[_Need, ...]]] = field(default_factory=dict)
    updates: dict[str, tuple[Flag, ...]] = field(default_factory=dict)
    """Per language: the glossary updates made to a recalled text."""

    def translation(self, lang: str) -> str:
        """The locked translation into ``lang`` (a hop already run)."""
        return self.locked[lang][0].text


def _first_needs(unit: _SourceText, glossary: Glossary, lang: str) -> tuple[_Need, ...]:
    """For a hop from the source language: every term found in the source must come out
    as its rendering in ``lang`` (a term without one is not required)."""
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
        # as the locking found it: exact, or capitalised at the start of the sentence
        free = [s for s in rendering_spans(text, old) if not any(a <= s[0] < b for a, b in taken)]
        if not free:
            continue
        taken.append(free[0])
        start, end = span_of(text, *free[0])
        needs.append(_Need(k, Requirement(m.term_id, start, end, new)))
    return tuple(needs)


def _avoided(
    unit: _SourceText, glossary: Glossary, lang: str, needs: Sequence[_Need]
) -> tuple[str, ...]:
    """What the translation of ``unit`` into ``lang`` must not take: the avoid lists of
    its terms, less any rendering within one this very sentence requires (a word one
    term avoids can be part of another's prescribed rendering)."""
    required = [n.requirement.rendering for n in needs]
    out: dict[str, None] = {}
    for m in unit.matches:
        term = glossary.term(m.term_id)
        for avoided in term.avoid.get(lang, ()) if term is not None else ():
            if not any(loose_spans(r, avoided) for r in required):
                out[avoided] = None
    return tuple(out)


def _run_hop(
    hop: Hop,
    units: Sequence[_SourceText],
    glossary: Glossary,
    from_source: bool,
    natural_first: bool,
    progress: Progress,
    auto: Collection[str] = (),
) -> None:
    if from_source:
        needs = [_first_needs(u, glossary, hop.target) for u in units]
    else:
        needs = [_projected_needs(u, glossary, hop.source, hop.target) for u in units]
    # the source in the digits the model knows (1:1 characters: term spans still hold)
    inputs = [model_digits(u.text) if from_source else u.translation(hop.source) for u in units]
    avoid = [_avoided(u, glossary, hop.target, needs[k]) for k, u in enumerate(units)]
    todo = [k for k, u in enumerate(units) if hop.target not in u.recalled]
    for k, unit in enumerate(units):
        if hop.target in unit.recalled:
            unit.locked[hop.target] = _reuse(unit, hop.target, needs[k], len(inputs[k]), auto)
    natural = natural_first and from_source
    keys = {k: _lock_key(hop, natural, inputs[k], needs[k], avoid[k]) for k in todo}
    known = hop.cache.get_locked(list(keys.values())) if hop.cache is not None else {}
    for k in [k for k in todo if keys[k] in known]:
        units[k].locked[hop.target] = (known[keys[k]], needs[k])
    todo = [k for k in todo if keys[k] not in known]
    advance = stage(progress, f"translating to {language_name(hop.target)}", len(todo))
    locked = lock(
        hop.translator,
        [inputs[k] for k in todo],
        [tuple(n.requirement for n in needs[k]) for k in todo],
        natural_first=natural,
        progress=from_counts(advance),
        avoid=[avoid[k] for k in todo] if any(avoid[k] for k in todo) else (),
        alternatives=hop.alternatives,
        unsure_below=hop.unsure_below,
    )
    for k, result in zip(todo, locked, strict=True):
        units[k].locked[hop.target] = (result, needs[k])
        if hop.cache is not None:
            hop.cache.put_locked(keys[k], result)


def _lock_key(
    hop: Hop, natural: bool, text: str, needs: Sequence[_Need], avoid: Sequence[str] = ()
) -> str:
    """Everything that decides what the ladder makes of ``text`` on this hop (what it
    must avoid only when there is some: the keys of other inputs stay as they were)."""
    reqs = [
        (n.requirement.term_id, n.requirement.start, n.requirement.end, n.requirement.rendering)
        for n in needs
    ]
    key: list[object] = ["lock", hop.model, hop.source, hop.target, natural, text, reqs]
    if avoid:
        key.append(sorted(avoid))
    if hop.alternatives > 0 and hop.unsure_below is not None:
        # which alternatives are kept depends on these too (a recalibrated model's)
        key += [hop.alternatives, hop.unsure_below]
    raw = json.dumps(key, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _replace_word(text: str, old: str, new: str) -> str:
    """``text`` with the first whole-word occurrence of ``old`` (capitalised at the
    sentence start, as the locking accepts it) replaced by ``new``, which takes the
    capital there too."""
    spans = rendering_spans(text, old)
    if not spans:
        return text
    a, b = spans[0]
    return sentence_case(text[:a] + new + text[b:], [new])


def _reuse(
    unit: _SourceText, lang: str, needs: Sequence[_Need], input_len: int, auto: Collection[str]
) -> tuple[Locked, tuple[_Need, ...]]:
    """A recalled text with the glossary applied: nothing else of it changes."""
    recalled = unit.recalled[lang]
    text = recalled.text
    strategies: list[Strategy] = []
    flags: list[Flag] = []
    missing: list[Requirement] = []
    kept: list[_Need] = []
    for need in needs:
        req = need.requirement
        old = recalled.terms.get(req.term_id)
        if req.term_id in auto and not occurrences(text, req.rendering):
            # a name the run keeps is never written over a reviewer's words: the reviewer
            # may have corrected it (the consistency check reports the difference)
            continue
        variant = None if occurrences(text, req.rendering) else variant_of(text, req.rendering)
        if variant is not None and not (old and old != req.rendering and occurrences(text, old)):
            # the reviewer wrote the term their own way: their words stand, never a
            # second copy of the term written in beside them; the term is not claimed
            # as rendered (no term use), and the finding says so
            flags.append(
                Flag(
                    "term-variant",
                    "warning",
                    f"glossary term {req.term_id}: the reviewer wrote {variant!r} where the "
                    f"glossary has {req.rendering!r}; kept as they wrote it (change the "
                    "glossary if theirs is right)",
                    lang,
                )
            )
            continue
        kept.append(need)
        if occurrences(text, req.rendering):
            strategies.append("memory")
        elif old and old != req.rendering and occurrences(text, old):
            text = _replace_word(text, old, req.rendering)
            strategies.append("memory")
            flags.append(
                Flag(
                    "term-updated",
                    "warning",
                    f"glossary term {req.term_id}: the reviewed {old!r} is now "
                    f"{req.rendering!r}, replaced in the reviewer's text",
                    lang,
                )
            )
        else:
            strategies.append("forced")
            missing.append(req)
    if missing:
        text = write_in(text, missing, input_len)
    unit.updates[lang] = tuple(flags)
    return Locked(text, tuple(strategies)), tuple(kept)


def _rendering(unit: _SourceText, lang: str, origins: Mapping[str, TermOrigin]) -> Rendering:
    result, needs = unit.locked[lang]
    uses: list[TermUse] = []
    for need, strategy in zip(needs, result.strategies, strict=True):
        m = unit.matches[need.match]
        surface = unit.text[m.start : m.end]
        rendering = need.requirement.rendering
        origin = origins.get(m.term_id, "glossary")
        uses.append(TermUse(m.term_id, surface, m.start, m.end, rendering, strategy, origin))
    recalled = unit.recalled.get(lang)
    if recalled is None:
        return Rendering(
            result.text,
            tuple(uses),
            confidence=result.confidence,
            lock_cost=result.lock_cost,
            alternatives=result.alternatives,
        )
    return Rendering(
        result.text,
        tuple(uses),
        unit.updates.get(lang, ()),
        status=recalled.status,
        origin=recalled.origin,
        note=recalled.note,
        note_by=recalled.note_by if recalled.note else "",
        note_at=recalled.note_at if recalled.note else "",
    )


def translate_segments(
    segments: Sequence[Segment],
    route: Route,
    glossary: Glossary,
    *,
    dedupe: bool = True,
    natural_first: bool = False,
    progress: Progress | None = None,
    recalled: Sequence[Mapping[str, Recalled]] | None = None,
) -> list[Segment]:
    """Translate ``segments`` along ``route``, every glossary term locked in every target.

    Returns the segments in order, each with a :class:`Rendering` per target (text and
    term uses; QA flags are added later). A blank segment (a caption that is only a
    credit) gets empty renderings without a model call. ``dedupe`` translates an
    identical source text once, however often it occurs. ``recalled`` (one mapping per
    segment, language -> reviewer's text) replaces the model for those languages.
    """
    progress = progress or NoProgress()
    matcher = TermMatcher(glossary)
    by_text: dict[tuple[str, tuple[tuple[str, str], ...]], _SourceText] = {}
    units: list[_SourceText] = []
    unit_of: list[_SourceText | None] = []
    recalls = recalled if recalled is not None else [{}] * len(segments)
    matches_of: dict[str, tuple[TermMatch, ...]] = {}
    for segment, recall in zip(segments, recalls, strict=True):
        if not segment.source.strip():
            unit_of.append(None)
            continue
        # a reviewed text belongs to its own context: it is shared only by equal recalls
        key = (segment.source, tuple(sorted((lang, r.text) for lang, r in recall.items())))
        unit = by_text.get(key)
        if unit is None or not dedupe:
            if segment.source not in matches_of:
                matches_of[segment.source] = matcher.find(segment.source)
            unit = _SourceText(segment.source, matches_of[segment.source], recall)
            by_text.setdefault(key, unit)
            units.append(unit)
        unit_of.append(unit)
    origins: dict[str, TermOrigin] = {}
    for term in glossary.terms:
        if term.status == "draft" or term.status == "auto":
            origins[term.id] = term.status
    auto = {term_id for term_id, origin in origins.items() if origin == "auto"}
    for hop in route.hops:
        # a hop from the source takes the glossary's renderings; a later one, projected
        _run_hop(hop, units, glossary, hop.source == route.source, natural_first, progress, auto)
    out: list[Segment] = []
    for segment, maybe in zip(segments, unit_of, strict=True):
        if maybe is None:
            renderings = {lang: Rendering("") for lang in route.targets}
        else:
            renderings = {lang: _rendering(maybe, lang, origins) for lang in route.targets}
        out.append(segment.with_renderings(renderings))
    return out
