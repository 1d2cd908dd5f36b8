"""Consistency: the same thing done two ways, across the articles of a run and the memory.

Three checks (the codes of :data:`~bilingual.document.names.InconsistencyCode`), after
translation, over every article of the run at once:

``same-source``
    One source sentence (compared by :func:`~bilingual.memory.store.source_key`, which
    normalises) translated differently in one target within the run, or differently from
    a reviewed or approved sentence unit of the memory for that source. Of the units of
    one origin and article only the newest counts (a new review replaces the old one),
    and a unit of the origin a run sentence was recalled from is left to ``same-name``:
    the run's text then differs from it only where the glossary updated it. Blank texts
    never count, nor the first sentence of a paragraph a reviewer merged (it carries the
    whole paragraph; its sentences after it are blank).
``same-name``
    A term (glossary, draft, or a name the run kept: ``auto``) whose source form occurs
    in a segment whose rendering lacks the term's rendering, against the places where it
    is rendered as prescribed; likewise a memory unit of a run sentence, and a row of the
    memory's names whose key is one of the term's forms but whose rendering differs (a
    name first kept automatically, later put in the glossary another way). Only terms
    the run's articles name are checked: a stale memory row of a name no article
    mentions is not this run's business.
``same-rendering``
    One rendering (per target, compared case-blind) used by two names of the run whose
    source forms differ (two people merged into one?), naming the first place of each;
    likewise a run's name and a memory names row of another key.

Each finding is one :class:`~bilingual.document.names.Inconsistency` per (code, target,
subject) and names every place concerned: this run's places first, in run order, then the
memory's, then (``same-name``) the term that prescribes the rendering. Findings come by
code, then where first seen in the run, then target. The cost is one matcher pass per
distinct source text and a few indexed, chunked memory queries: no scan of the units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bilingual.consistency.text import CODES, fold, has, message, same
from bilingual.document.names import Inconsistency, InconsistencyCode, Place
from bilingual.document.segment import Segment
from bilingual.glossary.match import TermMatch, TermMatcher, form_text
from bilingual.glossary.term import Glossary, Term
from bilingual.memory.names import StoredName, name_key
from bilingual.memory.store import TranslationMemory, Unit, source_key

Articles = Sequence[tuple[str, Sequence[Segment]]]


@dataclass
class _Bucket:
    """One finding being gathered: its places with their sort keys."""

    code: InconsistencyCode
    lang: str
    subject: str
    places: dict[Place, tuple[int, int]] = field(default_factory=dict)
    about: str = ""
    """``same-name``: the term, as the message names it."""


class _Findings:
    """The findings of a run as they are found: one per (code, lang, subject key)."""

    def __init__(self, order: Mapping[tuple[str, str], int]) -> None:
        self.order = order
        self.buckets: dict[tuple[str, str, str], _Bucket] = {}
        self._memory = 0

    def add(
        self, code: InconsistencyCode, lang: str, key: str, subject: str, places: Iterable[Place]
    ) -> _Bucket:
        bucket = self.buckets.get((code, lang, key))
        if bucket is None:
            bucket = self.buckets[(code, lang, key)] = _Bucket(code, lang, subject)
        for place in places:
            if place in bucket.places:
                continue
            if place.glossary:
                rank = (2, 0)
            elif place.memory:
                self._memory += 1
                rank = (1, self._memory)
            else:
                rank = (0, self.order.get((place.article, place.segment), len(self.order)))
            bucket.places[place] = rank
        return bucket

    def result(self, targets: Sequence[str]) -> tuple[Inconsistency, ...]:
        out: list[tuple[tuple[int, int, int, str], Inconsistency]] = []
        for b in self.buckets.values():
            places = sorted(b.places, key=b.places.__getitem__)
            if len(places) < 2:
                continue
            kind, first = min(b.places.values())
            seen = first if kind == 0 else len(self.order)
            lang = targets.index(b.lang) if b.lang in targets else len(targets)
            finding = Inconsistency(
                b.code,
                b.lang,
                b.subject,
                tuple(places),
                message(b.code, b.lang, b.subject, b.about, places),
            )
            out.append(((CODES.index(b.code), seen, lang, b.subject), finding))
        out.sort(key=lambda x: x[0])
        return tuple(f for _, f in out)


@dataclass
class _Run:
    """The run's segments, in run order, with what every check needs of them."""

    segments: list[tuple[str, Segment]]
    keys: list[str]
    """The source key of each segment ('' for a blank source)."""
    matches: dict[str, tuple[TermMatch, ...]]
    """Distinct source text -> the terms found in it."""
    heads: set[tuple[int, str]]
    """``(segment index, lang)`` of the first sentences of merged paragraphs."""
    by_key: dict[str, list[int]] = field(default_factory=dict)
    """Source key -> the indexes of the segments that have it."""


def _heads(segments: list[tuple[str, Segment]], targets: Sequence[str]) -> set[tuple[int, str]]:
    """The sentences that carry a whole paragraph a reviewer merged: the sentence after
    them in the paragraph is blank in that target while they are not."""
    out: set[tuple[int, str]] = set()
    for k in range(len(segments) - 1):
        (article, seg), (next_article, nxt) = segments[k], segments[k + 1]
        if article != next_article or not seg.id.startswith("p"):
            continue
        if seg.id.split(".")[0] != nxt.id.split(".")[0]:
            continue
        for lang in targets:
            here, there = seg.renderings.get(lang), nxt.renderings.get(lang)
            if here is None or there is None:
                continue
            if here.reviewed and here.text.strip() and not there.text.strip():
                out.add((k, lang))
    return out


def _run(articles: Articles, matcher: TermMatcher, targets: Sequence[str]) -> _Run:
    segments = [(article, seg) for article, segs in articles for seg in segs]
    distinct = {(s.source_lang, s.source) for _, s in segments if s.source.strip()}
    known = {(lang, text): source_key(lang, text) for lang, text in distinct}  # each once
    keys = [known.get((s.source_lang, s.source), "") for _, s in segments]
    matches = {text: matcher.find(text) for text in dict.fromkeys(s.source for _, s in segments)}
    by_key: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        if key:
            by_key.setdefault(key, []).append(k)
    return _Run(segments, keys, matches, _heads(segments, targets), by_key)


def _latest(units: Iterable[Unit]) -> list[Unit]:
    """The newest unit of each origin, article and target (a new review replaces the old
    one), in the order they were stored."""
    newest: dict[tuple[str, str, str], Unit] = {}
    for unit in units:
        newest.pop((unit.target_lang, unit.origin, unit.article), None)
        newest[(unit.target_lang, unit.origin, unit.article)] = unit
    return list(newest.values())


def _same_source(
    run: _Run, units: Mapping[str, list[Unit]], targets: Sequence[str], found: _Findings
) -> None:
    groups: dict[tuple[str, str], list[Place]] = {}
    recalled: dict[tuple[str, str], set[str]] = {}
    subjects: dict[str, str] = {}
    for k, (article, seg) in enumerate(run.segments):
        key = run.keys[k]
        if not key:
            continue
        subjects.setdefault(key, same(seg.source))
        for lang in targets:
            rendering = seg.renderings.get(lang)
            if rendering is None or not rendering.text.strip() or (k, lang) in run.heads:
                continue
            groups.setdefault((lang, key), []).append(Place(article, seg.id, text=rendering.text))
            if rendering.reviewed and rendering.origin:
                recalled.setdefault((lang, key), set()).add(rendering.origin)
    for key, stored in units.items():
        for unit in _latest(stored):
            group = groups.get((unit.target_lang, key))
            if group is None or not unit.target.strip():
                continue
            if unit.origin in recalled.get((unit.target_lang, key), ()):
                continue  # the run's text is this review, with the glossary applied
            group.append(Place(unit.article, memory=unit.origin, text=unit.target))
    for (lang, key), places in groups.items():
        if len({same(p.text) for p in places}) > 1:
            found.add("same-source", lang, key, subjects[key], places)


def _kind(term: Term) -> str:
    if term.status == "auto":
        return f"the name {term.id} this run keeps"
    return f"{'draft' if term.draft else 'glossary'} term {term.id}"


def _prescriber(term: Term, lang: str) -> Place:
    where = f"{term.file}:{term.line}" if term.line else "a name kept by this run"
    return Place("", glossary=f"{term.id}, {where}", text=term.renderings[lang])


class _NameKeys:
    """The memory's name key of each of a term's forms (the same
    :func:`~bilingual.memory.names.name_key` of :func:`~bilingual.glossary.match.form_text`
    that the names stage stores)."""

    def __init__(self, matcher: TermMatcher, lang: str) -> None:
        self.rules = matcher.rules
        self.lang = lang
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, term: Term) -> frozenset[str]:
        keys = self._cache.get(term.id)
        if keys is None:
            keys = self._cache[term.id] = frozenset(self._key(form) for form in term.forms)
        return keys

    def _key(self, form: str) -> str:
        return name_key(self.lang, form_text(form, self.rules))


def _winners(rows: Iterable[StoredName]) -> dict[tuple[str, str], StoredName]:
    """``(key, target)`` -> the rendering the memory uses: the newest reviewed one, else
    the auto one (as :meth:`~bilingual.memory.names.NameStore.get` decides)."""
    ordered = sorted(rows, key=lambda r: (r.status == "reviewed", r.created_at))
    return {(r.key, r.target_lang): r for r in ordered}


def _name_place(row: StoredName, text: str) -> Place:
    return Place(row.article, row.segment, memory=f"names:{row.status}", text=text)


def _names_in_run(
    run: _Run, glossary: Glossary, targets: Sequence[str]
) -> tuple[dict[tuple[str, str], list[Place]], dict[tuple[str, str], list[Place]]]:
    """``(term id, target)`` -> the run's places that lack the term's rendering, and
    those that have it: the first of each article (a name in thirty sentences would
    otherwise flag all thirty for one stray rendering)."""
    lacking: dict[tuple[str, str], list[Place]] = {}
    right: dict[tuple[str, str], list[Place]] = {}
    for article, seg in run.segments:
        for m in run.matches[seg.source]:
            term = glossary.term(m.term_id)
            for lang in targets:
                rendering = seg.renderings.get(lang)
                wanted = term.renderings.get(lang) if term is not None else None
                if not wanted or rendering is None or not rendering.text.strip():
                    continue
                if has(rendering.text, wanted):
                    places = right.setdefault((m.term_id, lang), [])
                    if not places or places[-1].article != article:
                        places.append(Place(article, seg.id, text=wanted))
                else:
                    place = Place(article, seg.id, text=rendering.text)
                    lacking.setdefault((m.term_id, lang), []).append(place)
    return lacking, right


def _names_in_units(
    run: _Run,
    units: Mapping[str, list[Unit]],
    glossary: Glossary,
    matcher: TermMatcher,
    lacking: dict[tuple[str, str], list[Place]],
) -> None:
    """Adds the memory units (of the run's sentences) that lack a term's rendering, with
    the run's sentences of the same source that have it."""
    matches = dict(run.matches)
    for key, stored in units.items():
        for unit in _latest(stored):
            if not unit.target.strip():
                continue
            found = matches.get(unit.source)
            if found is None:  # the same key, written another way (diacritics, spaces)
                found = matches[unit.source] = matcher.find(unit.source)
            for m in found:
                term = glossary.term(m.term_id)
                wanted = term.renderings.get(unit.target_lang) if term is not None else None
                if not wanted or has(unit.target, wanted):
                    continue
                places = lacking.setdefault((m.term_id, unit.target_lang), [])
                places.append(Place(unit.article, memory=unit.origin, text=unit.target))
                for k in run.by_key.get(key, ()):
                    article, seg = run.segments[k]
                    rendering = seg.renderings.get(unit.target_lang)
                    if rendering is not None and has(rendering.text, wanted):
                        places.append(Place(article, seg.id, text=wanted))


def _run_terms(run: _Run, glossary: Glossary) -> list[Term]:
    """The terms the run's articles name, in the order first named."""
    ids = dict.fromkeys(m.term_id for _, seg in run.segments for m in run.matches[seg.source])
    return [t for t in map(glossary.term, ids) if t is not None]


def _same_name(
    run: _Run,
    glossary: Glossary,
    matcher: TermMatcher,
    memory: tuple[Mapping[str, list[Unit]], Mapping[tuple[str, str], StoredName]],
    keys: _NameKeys,
    targets: Sequence[str],
    found: _Findings,
) -> None:
    units, names = memory
    lacking, right = _names_in_run(run, glossary, targets)
    _names_in_units(run, units, glossary, matcher, lacking)
    _names_in_rows(_run_terms(run, glossary), names, keys, targets, lacking)
    for (term_id, lang), places in lacking.items():
        owner = glossary.term(term_id)
        assert owner is not None  # every entry above comes from a term of the glossary
        prescribed = [*right.get((term_id, lang), ()), _prescriber(owner, lang)]
        bucket = found.add("same-name", lang, term_id, owner.forms[0], [*places, *prescribed])
        bucket.about = _kind(owner)


def _names_in_rows(
    terms: Sequence[Term],
    names: Mapping[tuple[str, str], StoredName],
    keys: _NameKeys,
    targets: Sequence[str],
    lacking: dict[tuple[str, str], list[Place]],
) -> None:
    """Adds the memory's names rows that render one of ``terms`` otherwise (a name kept
    automatically, later put in the glossary another way)."""
    for term in terms if names else ():
        for lang in targets:
            wanted = term.renderings.get(lang)
            for key in sorted(keys.of(term)) if wanted else ():
                row = names.get((key, lang))
                if row is not None and wanted and same(row.rendering) != same(wanted):
                    lacking.setdefault((term.id, lang), []).append(_name_place(row, row.rendering))


def _distinct(terms: Sequence[Term], keys: _NameKeys) -> int:
    """How many different names ``terms`` are: two terms sharing a form's key are one."""
    groups: list[frozenset[str]] = []
    for term in terms:
        mine = keys.of(term)
        for group in [g for g in groups if g & mine]:
            mine |= group
            groups.remove(group)
        groups.append(mine)
    return len(groups)


def _same_rendering(
    run: _Run,
    glossary: Glossary,
    names: Mapping[tuple[str, str], StoredName],
    keys: _NameKeys,
    targets: Sequence[str],
    found: _Findings,
) -> None:
    first: dict[tuple[str, str], Place] = {}
    groups: dict[tuple[str, str], list[Term]] = {}
    for article, seg in run.segments:
        for m in run.matches[seg.source]:
            term = glossary.term(m.term_id)
            for lang in targets:
                wanted = term.renderings.get(lang) if term is not None else None
                if term is None or not wanted or lang not in seg.renderings:
                    continue
                if (term.id, lang) not in first:
                    first[(term.id, lang)] = Place(
                        article, seg.id, text=seg.source[m.start : m.end]
                    )
                    groups.setdefault((lang, fold(wanted)), []).append(term)
    ours = frozenset().union(*(keys.of(t) for t in _run_terms(run, glossary)))
    stored: dict[tuple[str, str], list[StoredName]] = {}
    for (key, lang), row in names.items():
        if key not in ours and (lang, fold(row.rendering)) in groups:
            stored.setdefault((lang, fold(row.rendering)), []).append(row)
    for (lang, folded), terms in groups.items():
        rows = stored.get((lang, folded), [])
        if _distinct(terms, keys) + len(rows) < 2:
            continue
        places = [first[(t.id, lang)] for t in terms]
        places += [_name_place(row, row.source) for row in rows]
        found.add("same-rendering", lang, folded, terms[0].renderings[lang], places)


def check_consistency(
    articles: Articles,
    glossary: Glossary,
    targets: Sequence[str],
    memory: TranslationMemory | None = None,
    *,
    matcher: TermMatcher | None = None,
) -> tuple[Inconsistency, ...]:
    """Every inconsistency of a run (see the module docstring).

    ``articles``: each article's name and its translated segments (sentences, then
    captions), in run order. ``glossary``: the run's (the user's terms, the drafts and
    the names the run kept). ``matcher``: the run's matcher of that glossary, to save
    building another.
    """
    matcher = matcher if matcher is not None else TermMatcher(glossary)
    run = _run(articles, matcher, targets)
    order: dict[tuple[str, str], int] = {}
    for k, (article, seg) in enumerate(run.segments):
        order.setdefault((article, seg.id), k)
    found = _Findings(order)
    units: Mapping[str, list[Unit]] = {}
    names: Mapping[tuple[str, str], StoredName] = {}
    if memory is not None and targets:
        units = memory.reviewed_units([k for k in run.keys if k], targets)
        names = _winners(memory.names.all())
    keys = _NameKeys(matcher, glossary.source_lang)
    _same_source(run, units, targets, found)
    _same_name(run, glossary, matcher, (units, names), keys, targets, found)
    _same_rendering(run, glossary, names, keys, targets, found)
    return found.result(targets)
