"""Keep: one rendering per new name, in every article of a run and from run to run.

Before translation, the names stage finds the name candidates of every segment
(:class:`bilingual.names.detect.NameFinder`) and keeps those that occur more than once in
the run, that the memory has seen, or that a draft glossary entry lists without a
rendering. Each kept name gets one rendering per target, the first of:

1. the memory's: a reviewer's rendering, else the one an earlier run kept (``auto``);
2. the model's own rendering of the name, translated alone (hop by hop: the English
   rendering, then that English through the next hop).

Why the name alone and not its rendering located in the first occurrence's translation
through the decoder's attention (CTranslate2 ``return_attention``): measured in
``bench/names_locate.py`` on the test model, the name alone reproduces a copied name
exactly in 92-93 % of sentences, attention (the run of target tokens whose attention falls
on the name, widened to whole words) in 80-83 %: it drops or truncates words, or lands on
a neighbour. A second decode of the first-occurrence sentences with attention costs 45 %
of the run's model time on the samples and seeds (the name alone: 2 %); attention in the
main decode is nearly free but still locates worse, and would need every backend (local,
Ray, the memory's cache) to carry it.

Each kept name becomes a term of the run's glossary with status ``auto``: the locking
ladder of :mod:`bilingual.enforce` then holds every occurrence to it, exactly as it holds
glossary terms. A glossary term always wins: the finder never offers a span the glossary
matches. A name whose model rendering is empty, or still in the source script, is not
kept (locking it would write Arabic into the English).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bilingual._text import loose_spans
from bilingual.document.names import KeptName, NameOrigin
from bilingual.document.segment import Segment
from bilingual.glossary.match import TermMatcher
from bilingual.glossary.term import Glossary, Term, TermStatus, TermType
from bilingual.memory.names import StoredName, name_key
from bilingual.names.detect import NameFinder, NameSpan
from bilingual.translate import Route

AUTO_PREFIX = "auto-"
"""Term ids of kept names start so (a draft keeps its own id)."""
AUTO_FILE = Path("<names kept by this run>")
"""The ``file`` of an auto term: it comes from no glossary file."""

_EDGE = " \t\n\"'“”‘’«»()[]{}.,;:!?،؛؟…-–—"
"""What a name translated alone may come back wrapped in (a sentence's full stop, quotes)."""
_LETTER_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a name candidate: the article, the segment, the span."""

    article: str
    segment: str
    span: NameSpan


@dataclass(frozen=True)
class AutoTerm:
    """A name kept to one rendering, as the run's glossary holds it."""

    term: Term
    key: str
    origin: NameOrigin
    first: Occurrence | None
    """The first occurrence in the run (None: a draft the run's articles do not name)."""
    stored: Mapping[str, StoredName] = field(default_factory=dict)
    """Target -> what the memory already holds for it (nothing to store again)."""


@dataclass(frozen=True)
class KeptNames:
    """What the names stage made of a run: the run's glossary and the kept names."""

    glossary: Glossary
    """The user's glossary plus one ``auto`` term per kept name (drafts without a
    rendering replaced by their kept form)."""
    auto: tuple[AutoTerm, ...] = ()
    model_inputs: int = 0
    """Names translated alone by the model (the rest came from the memory)."""

    def to_store(self, targets: Sequence[str], source_lang: str) -> list[StoredName]:
        """The renderings the memory does not hold yet, as ``auto`` rows."""
        out: list[StoredName] = []
        for a in self.auto:
            for lang in targets:
                rendering = a.term.renderings.get(lang)
                if not rendering or lang in a.stored:
                    continue
                out.append(
                    StoredName(
                        a.key, source_lang, a.term.forms[0], lang, rendering, "auto",
                        a.term.type, a.first.article if a.first else "",
                        a.first.segment if a.first else "",
                    )
                )  # fmt: skip
        return out

    def listing(
        self, articles: Sequence[tuple[str, Sequence[Segment]]]
    ) -> dict[str, tuple[KeptName, ...]]:
        """Article name -> the kept names that occur in its translated segments, with
        where each was first seen in the run and how often (the run, this article)."""
        by_id = {a.term.id: a for a in self.auto}
        total: dict[str, int] = {}
        here: dict[str, dict[str, int]] = {}
        first: dict[str, tuple[str, str]] = {}
        for article, segments in articles:
            counts = here.setdefault(article, {})
            for segment in segments:
                # each source occurrence once, whatever the number of targets
                seen = {(u.term_id, u.start) for _, u in segment.term_uses() if u.term_id in by_id}
                for term_id, _ in sorted(seen, key=lambda x: x[1]):
                    counts[term_id] = counts.get(term_id, 0) + 1
                    total[term_id] = total.get(term_id, 0) + 1
                    first.setdefault(term_id, (article, segment.id))
        out: dict[str, tuple[KeptName, ...]] = {}
        for article, counts in here.items():
            out[article] = tuple(
                _kept(by_id[term_id], first[term_id], total[term_id], n)
                for term_id, n in sorted(counts.items(), key=lambda x: first[x[0]])
                # the order of first appearance in the run, then the id
            )
        return out


def _kept(auto: AutoTerm, first: tuple[str, str], total: int, here: int) -> KeptName:
    en = auto.term.renderings.get("en", "")
    return KeptName(
        term_id=auto.term.id,
        source=auto.term.forms[0],
        type=auto.term.type,
        renderings=dict(auto.term.renderings),
        origin=auto.origin,
        first_article=auto.first.article if auto.first else first[0],
        first_segment=auto.first.segment if auto.first else first[1],
        count=total,
        count_here=here,
        suggested_id=slug(en) or auto.term.id,
        draft=auto.term.status == "draft",
    )


def slug(text: str) -> str:
    """A glossary id made of ``text`` (Latin letters and digits, hyphens between)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:40].strip("-")


def auto_id(key: str) -> str:
    """A stable term id for a kept name: the same name has the same id every run."""
    return AUTO_PREFIX + hashlib.sha1(key.encode()).hexdigest()[:10]


def clean_rendering(text: str) -> str:
    """A name translated alone, without the sentence's wrapping; '' when nothing (or
    nothing but source script) is left."""
    out = " ".join(text.split()).strip(_EDGE)
    if not out or _LETTER_SCRIPT.search(out):
        return ""
    return out


def find_occurrences(
    finder: NameFinder, articles: Sequence[tuple[str, Sequence[Segment]]], source_lang: str
) -> dict[str, list[Occurrence]]:
    """Name key -> every occurrence of that candidate in the run, in reading order (each
    person's span settled on its run-wide extent: :func:`settle_extents`)."""
    where: list[tuple[str, str]] = []
    spans: list[NameSpan] = []
    for article, segments in articles:
        for segment in segments:
            for span in finder.find(segment.source):
                where.append((article, segment.id))
                spans.append(span)
    found: dict[str, list[Occurrence]] = {}
    for (article, segment_id), span in zip(where, settle_extents(spans, finder), strict=True):
        key = name_key(source_lang, span.key)
        found.setdefault(key, []).append(Occurrence(article, segment_id, span))
    return found


def settle_extents(spans: Sequence[NameSpan], finder: NameFinder) -> list[NameSpan]:
    """``spans`` with each person's span cut back to the longest other person the run
    found that it starts with (of two words or more).

    Where a person's name ends is read from what follows it, and after a title nothing
    may stop it for a few words: ``السيد جون سميث في`` ends at ``في``, ``السيد جون سميث
    سيزور`` runs on into the verb, and one person became three kept names, three
    renderings. A span whose words begin with a whole name found elsewhere in the run is
    that name followed by the sentence's next words. Only persons settle: ``وزارة
    الخارجية الأمريكية`` is not ``وزارة الخارجية``; and not onto one word: ``محمد`` alone
    does not make every ``محمد …`` the same person.
    """
    persons = {s.key for s in spans if s.type == "person" and " " in s.key}
    cut: dict[str, NameSpan | None] = {}
    out: list[NameSpan] = []
    for span in spans:
        if span.type != "person" or span.key.count(" ") < 2:
            out.append(span)
            continue
        if span.surface not in cut:
            cut[span.surface] = _shortened(span, persons, finder)
        short = cut[span.surface]
        if short is None:
            out.append(span)
        else:
            end = span.start + len(short.surface)
            out.append(replace(span, key=short.key, surface=short.surface, end=end))
    return out


def _shortened(span: NameSpan, persons: set[str], finder: NameFinder) -> NameSpan | None:
    """``span`` cut to the longest name of ``persons`` its key starts with, or None."""
    key = span.key
    for at in reversed([k for k, ch in enumerate(key) if ch == " "][1:]):
        if key[:at] not in persons:
            continue
        # the same words in the text as written: cut where the key of the rest matches
        for m in reversed(list(_SPACE_RUN.finditer(span.surface))):
            surface = span.surface[: m.start()]
            if finder.key(surface) == key[:at]:
                return replace(span, key=key[:at], surface=surface)
    return None


_SPACE_RUN = re.compile(r"\s+")


def _drafts_to_fill(glossary: Glossary) -> list[Term]:
    """Draft terms with no rendering for the first target: the run keeps them as names."""
    return [t for t in glossary.terms if t.status == "draft" and not t.renderings.get("en")]


def _draft_occurrences(
    drafts: Sequence[Term], articles: Sequence[tuple[str, Sequence[Segment]]]
) -> dict[str, Occurrence | None]:
    """Draft id -> its first occurrence in the run (None where no article names it)."""
    if not drafts:
        return {}
    glossary = Glossary(tuple(drafts), (), "drafts")
    matcher = TermMatcher(glossary)
    first: dict[str, Occurrence | None] = {t.id: None for t in drafts}
    for article, segments in articles:
        for segment in segments:
            for m in matcher.find(segment.source):
                if first.get(m.term_id) is None:
                    surface = segment.source[m.start : m.end]
                    span = NameSpan("", surface, m.start, m.end, m.word_start, "draft", "person")
                    first[m.term_id] = Occurrence(article, segment.id, span)
    return first


@dataclass
class _Pending:
    """A name being kept: its source form and what is known of its renderings so far."""

    key: str
    term_id: str
    forms: tuple[str, ...]
    type: TermType
    first: Occurrence | None
    stored: dict[str, StoredName]
    avoid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """A draft's avoid lists: renderings it must never be kept as."""
    renderings: dict[str, str] = field(init=False)
    """What the memory holds, then what the model adds (:func:`_render`)."""
    origin: NameOrigin = field(init=False)

    def __post_init__(self) -> None:
        # a rendering kept before the glossary said to avoid it is kept no longer
        self.stored = {
            lang: row for lang, row in self.stored.items() if not self.avoids(lang, row.rendering)
        }
        self.renderings = {lang: row.rendering for lang, row in self.stored.items()}
        reviewed = any(row.status == "reviewed" for row in self.stored.values())
        self.origin = "reviewed" if reviewed else "model"

    def avoids(self, lang: str, rendering: str) -> bool:
        return any(loose_spans(rendering, a) for a in self.avoid.get(lang, ()))


def _render(pending: Sequence[_Pending], route: Route) -> int:
    """Fill every missing rendering by the model, hop by hop; returns the inputs sent."""
    sent = 0
    for hop in route.hops:
        todo = [p for p in pending if hop.target not in p.renderings]
        inputs: list[tuple[_Pending, str]] = []
        for p in todo:
            # a hop from the source translates the name; a later one, its rendering there
            from_source = hop.source == route.source
            text = p.forms[0] if from_source else p.renderings.get(hop.source, "")
            if text:
                inputs.append((p, text))
        if not inputs:
            continue
        avoid = [p.avoid.get(hop.target, ()) for p, _ in inputs]
        # the argument only where there is something to avoid: any translator takes the call
        steer: dict[str, Any] = {"avoid": avoid} if any(avoid) else {}
        results = hop.translator.translate([text for _, text in inputs], **steer)
        sent += len(inputs)
        for (p, _), result in zip(inputs, results, strict=True):
            rendering = clean_rendering(result.text)
            if rendering and not p.avoids(hop.target, rendering):
                p.renderings[hop.target] = rendering
    return sent


def keep_names(
    articles: Sequence[tuple[str, Sequence[Segment]]],
    glossary: Glossary,
    route: Route,
    stored: Callable[[Sequence[str]], Mapping[str, Mapping[str, StoredName]]] | None = None,
    finder: NameFinder | None = None,
) -> KeptNames:
    """Decide one rendering per name for the run (see the module docstring).

    ``articles``: each article's name and segments, in run order. ``stored``: looks up
    what the memory holds for name keys (:meth:`bilingual.memory.names.NameStore.get`);
    None: no memory.
    """
    finder = finder if finder is not None else NameFinder(glossary)
    source_lang = glossary.source_lang
    found = find_occurrences(finder, articles, source_lang)
    drafts = _drafts_to_fill(glossary)
    draft_keys = {t.id: name_key(source_lang, finder.key(t.forms[0])) for t in drafts}
    # only the names this run's articles hold (and the drafts) are asked for
    memory = stored([*found, *draft_keys.values()]) if stored is not None else {}
    pending: list[_Pending] = []
    for key, occurrences in found.items():
        if len(occurrences) < 2 and key not in memory:
            continue
        first = occurrences[0]
        forms = tuple(dict.fromkeys(o.span.surface for o in occurrences))
        pending.append(
            _Pending(key, auto_id(key), forms, first.span.type, first, dict(memory.get(key, {})))
        )
    draft_first = _draft_occurrences(drafts, articles)
    drafted: set[str] = set()
    for term in drafts:
        key = draft_keys[term.id]
        first_seen = draft_first[term.id]
        stored_here = dict(memory.get(key, {}))
        pending.append(
            _Pending(key, term.id, term.forms, term.type, first_seen, stored_here, term.avoid)
        )
        drafted.add(term.id)
    sent = _render(pending, route)
    first_target = route.targets[0] if route.targets else "en"
    auto: list[AutoTerm] = []
    for p in pending:
        if not p.renderings.get(first_target):
            continue  # the model gave nothing usable: the name is left to the model
        # a draft stays a draft (flagged until confirmed), its rendering now filled in
        status: TermStatus = "draft" if p.term_id in drafted else "auto"
        term = Term(
            p.term_id, p.type, p.forms, dict(p.renderings), None, AUTO_FILE, 0, status, p.avoid
        )
        auto.append(AutoTerm(term, p.key, p.origin, p.first, p.stored))
    return KeptNames(_with_terms(glossary, [a.term for a in auto]), tuple(auto), sent)


def _with_terms(glossary: Glossary, terms: Sequence[Term]) -> Glossary:
    """``glossary`` with ``terms`` added, a draft of the same id replaced by its kept form."""
    if not terms:
        return glossary
    ids = {t.id for t in terms}
    kept = tuple(t for t in glossary.terms if t.id not in ids)
    return replace(glossary, terms=(*kept, *terms))


def render_names(
    forms: Sequence[str],
    route: Route | None,
    stored: Callable[[Sequence[str]], Mapping[str, Mapping[str, StoredName]]] | None = None,
    finder: NameFinder | None = None,
    source_lang: str = "ar",
) -> dict[str, dict[str, str]]:
    """Source form -> target -> the rendering a run would keep for it (the memory's,
    else the model's of the name alone); ``route`` None: the memory's only. What
    ``glossary suggest`` fills its drafts with."""
    finder = finder if finder is not None else NameFinder(Glossary((), (), "none"))
    keys = {form: name_key(source_lang, finder.key(form)) for form in forms}
    memory = stored(list(keys.values())) if stored is not None else {}
    pending = [
        _Pending(keys[f], "", (f,), "person", None, dict(memory.get(keys[f], {}))) for f in forms
    ]
    if route is not None:
        _render(pending, route)
    return {p.forms[0]: dict(p.renderings) for p in pending if p.renderings}
