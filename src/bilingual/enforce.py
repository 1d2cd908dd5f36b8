"""Enforce: translate sentences so that every glossary term comes out exactly as prescribed.

The ladder, cheapest and most faithful first (measured in bench/locking.py):

1. ``injected``: the target rendering replaces the term in the source sentence before
   translation; argos models (and the project's test models) copy Latin script through.
   Sentences without terms go through the same batch untouched, so this costs nothing extra.
2. ``nbest``: if the best hypothesis lost a term, the best-scoring n-best hypothesis that
   has every term is taken (free: the beam already produced it).
3. ``prefix``: the best hypothesis is cut where the missing term belongs (found by a fuzzy
   match of its words), the rendering is appended, and the model continues from that
   target prefix. One extra decode, for the failing sentences only.
4. ``forced``: the rendering is written into the best hypothesis (over its fuzzy match,
   or at a word boundary near the term's relative position, never inside a word; in
   Vietnamese, where a space separates syllables, only at a clause boundary, beside
   another term or at the end, else after the sentence in brackets) and flagged for the
   reviewer.

With ``natural_first`` the original sentence is translated first and terms the model
already renders are labelled ``natural``; only the rest go down the ladder. That costs a
second decode for every sentence that has a term, so it is off by default.

Where the model is unsure of a sentence, the other hypotheses of the decode its text came
from are kept as alternatives for the reviewer (:mod:`bilingual.alternatives`): the
decodes of the first rungs ask for that many more hypotheses, never a decode more.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bilingual._text import occurrences, rendering_spans, sentence_case
from bilingual.alternatives import Keep, Pool, offer
from bilingual.confidence import judge
from bilingual.document.segment import Alternative, Strategy
from bilingual.engine import Translation
from bilingual.lang.vi import COMPOUNDS, PHRASE_STARTS

__all__ = [
    "Locked",
    "Requirement",
    "SupportsTranslate",
    "fuzzy_span",
    "inject",
    "lock",
    "occurrences",
    "satisfied",
    "write_in",
]


class SupportsTranslate(Protocol):
    """The part of :class:`bilingual.engine.Translator` that locking needs."""

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[Translation]: ...


@dataclass(frozen=True)
class Requirement:
    """One term occurrence in a source sentence that must appear as ``rendering``."""

    term_id: str
    start: int
    end: int
    """Span in the source sentence that the rendering replaces when injected."""
    rendering: str


@dataclass(frozen=True)
class Locked:
    """A translated sentence with the strategy that secured each requirement (same order)."""

    text: str
    strategies: tuple[Strategy, ...]
    confidence: float | None = None
    """Mean log-probability per token of ``text`` (:mod:`bilingual.confidence`)."""
    lock_cost: float | None = None
    """The free choice's confidence minus ``confidence`` (0: the model's own text)."""
    alternatives: tuple[Alternative, ...] = ()
    """The model's next best translations where it is unsure (:mod:`bilingual.alternatives`)."""

    @property
    def forced(self) -> int:
        return sum(1 for s in self.strategies if s == "forced")


_WORD = re.compile(r"\w+", re.UNICODE)


def satisfied(text: str, requirements: Sequence[Requirement]) -> bool:
    """True when every requirement has its own occurrence of its rendering in ``text``."""
    needed = Counter(r.rendering for r in requirements)
    return all(occurrences(text, rendering) >= n for rendering, n in needed.items())


def inject(source: str, requirements: Sequence[Requirement]) -> str:
    """Replace each requirement's source span with its rendering, padded by spaces.

    Spaces keep a clitic that stays in front (``و``) from gluing to Latin script, which
    would make the model see a different token.
    """
    out: list[str] = []
    pos = 0
    for req in sorted(requirements, key=lambda r: r.start):
        if req.start < pos:  # overlapping spans cannot both be injected; the matcher avoids them
            continue
        out.append(source[pos : req.start])
        left = source[req.start - 1] if req.start > 0 else " "
        right = source[req.end] if req.end < len(source) else " "
        out.append(
            ("" if left.isspace() else " ") + req.rendering + ("" if right.isspace() else " ")
        )
        pos = req.end
    out.append(source[pos:])
    return "".join(out)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def fuzzy_span(
    text: str,
    rendering: str,
    *,
    min_ratio: float = 0.5,
    avoid: Sequence[tuple[int, int]] = (),
) -> tuple[int, int] | None:
    """The character span of ``text`` that best matches ``rendering`` word by word, or None.

    Used to find where a model put a near-miss of a term (``United Nations Office for
    Drugs and Crime``) so that prefix repair and forcing replace it instead of adding
    the term a second time. No span overlapping one in ``avoid`` (another term's
    rendering, which must stay whole) is considered.
    """
    target = [w for w, _, _ in _words(rendering)]
    words = _words(text)
    if not target or not words:
        return None
    best: tuple[float, int, int] | None = None
    n = len(target)
    wanted = set(target)
    # a window sharing no word with the rendering has ratio 0, below any min_ratio: only
    # windows around a shared word are scored, so a long text costs its length once
    hits = [k for k, (w, _, _) in enumerate(words) if w in wanted or min_ratio <= 0]
    for size in range(max(1, n - 2), n + 3):
        starts = sorted({i for k in hits for i in range(max(0, k - size + 1), k + 1)})
        for i in starts:
            if i > len(words) - size:
                break
            lo, hi = words[i][1], words[i + size - 1][2]
            if any(a < hi and lo < b for a, b in avoid):
                continue
            window = [w for w, _, _ in words[i : i + size]]
            ratio = difflib.SequenceMatcher(a=target, b=window, autojunk=False).ratio()
            if best is None or ratio > best[0] + 1e-9:
                best = (ratio, i, i + size)
    if best is None or best[0] < min_ratio:
        return None
    _, i, j = best
    return words[i][1], words[j - 1][2]


def _missing(text: str, requirements: Sequence[Requirement]) -> list[Requirement]:
    """Requirements not covered by ``text``, in source order (extra copies of a term last)."""
    have = Counter({r.rendering: occurrences(text, r.rendering) for r in requirements})
    missing: list[Requirement] = []
    for req in sorted(requirements, key=lambda r: r.start):
        if have[req.rendering] > 0:
            have[req.rendering] -= 1
        else:
            missing.append(req)
    return missing


def _holds(text: str, span: tuple[int, int], rendering: str) -> bool:
    return any(span[0] <= a and b <= span[1] for a, b in rendering_spans(text, rendering))


def _kept_spans(text: str, requirements: Sequence[Requirement]) -> list[tuple[int, int]]:
    """Where the renderings of ``requirements`` stand in ``text``: spans a written-in
    rendering must neither overwrite nor split."""
    renderings = dict.fromkeys(r.rendering for r in requirements)
    return [span for rendering in renderings for span in rendering_spans(text, rendering)]


_TOKEN = re.compile(r"\S+")
_CLAUSE_END = re.compile(r"[,;:\u060c\u061b]$")
"""A token that ends a clause: a rendering put after it starts a clause of its own."""
_TAIL = re.compile(r"[\s.!?\u2026\"'\u00bb\u201d)\]]*$")
"""The sentence's closing punctuation, before which a rendering goes at the end."""
_TONED = re.compile(
    "[\u0102\u0103\u00c2\u00e2\u0110\u0111\u00ca\u00ea\u00d4\u00f4"
    "\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)
"""Letters only Vietnamese writes (ă â đ ê ô ơ ư and the tone-marked vowels)."""

_NEAR = 0.25
"""How far (a share of the text's length) a known boundary may be from the term's
proportional place and still take it; farther, the rendering goes at the end in brackets."""


def syllabic(text: str) -> bool:
    """True for Vietnamese: a space separates syllables, not words (``đại biểu`` is one
    word), so a space is a word boundary only where something else says so."""
    return bool(_TONED.search(text))


def _boundaries(text: str, kept: Sequence[tuple[int, int]]) -> tuple[list[int], int]:
    """The places a rendering may go that are known word boundaries, and the end (before
    the closing punctuation). In a language that spaces words every token start is one;
    in Vietnamese only the sentence's start, a clause start, the start of a phrase (before
    a preposition, conjunction or marker: :data:`bilingual.lang.vi.PHRASE_STARTS`) and the
    edges of a glossary rendering are known."""
    end = _TAIL.search(text).start()  # type: ignore[union-attr]
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text[:end])]
    starts = [s for s, _ in tokens if not any(a < s < b for a, b in kept)]
    if not syllabic(text):
        return starts, end
    edges = {a for a, _ in kept} | {
        s for s, _ in tokens for _, b in kept if b <= s and not text[b:s].strip()
    }
    after_clause = {
        tokens[k + 1][0] for k, (s, e) in enumerate(tokens[:-1]) if _CLAUSE_END.search(text[s:e])
    }
    words = [text[s:e].lower() for s, e in tokens]
    before_phrase = {
        tokens[k][0]
        for k in range(1, len(tokens))
        if words[k] in PHRASE_STARTS and (words[k - 1], words[k]) not in COMPOUNDS
    }
    return [s for s in starts if s in edges | after_clause | before_phrase or s == 0], end


def _place(
    text: str, placing: Sequence[Requirement], source_len: int, kept: Sequence[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each rendering of ``placing`` written in at the known word boundary
    nearest its place in proportion to the term's place in the source; one with no known
    boundary near enough goes at the very end, in brackets, which the QA finding reads as
    "no good place known". Returns the text and (offset, added length) per insertion."""
    starts, end = _boundaries(text, kept)
    spots: list[tuple[int, int, str]] = []
    for order, req in enumerate(placing):
        want = req.start / max(1, source_len) * end
        near = min([*starts, end], key=lambda s: (abs(s - want), s))
        if syllabic(text) and abs(near - want) > _NEAR * max(end, 1):
            spots.append((len(text), order, f" ({req.rendering})"))
        elif near == end:
            spots.append((end, order, f" {req.rendering}" if end else req.rendering))
        else:
            spots.append((near, order, f"{req.rendering} "))
    added: list[tuple[int, int]] = []
    for at, _, piece in sorted(spots, reverse=True):  # from the right: offsets hold
        text = text[:at] + piece + text[at:]
        added.append((at, len(piece)))
    return text, added


def _write_in(
    text: str,
    missing: Sequence[Requirement],
    source_len: int,
    requirements: Sequence[Requirement] = (),
) -> tuple[str, int | None]:
    """Put each missing rendering into ``text``: over its fuzzy match when there is one,
    else at a known word boundary near the place proportional to the term's place in the
    source (for a later hop, where the term sits in the previous language's sentence),
    never inside a word (see :func:`_place`). Neither kind of placement touches a
    rendering of ``requirements`` (or of ``missing``) already there: cutting into one
    would lose it again and leave it to be appended at the end.

    Returns the new text and the end offset of the last rendering placed over a fuzzy
    match (None when none had one), which is where a target prefix can stop.
    """
    last_fuzzy_end: int | None = None
    every = [*requirements, *missing]
    placing: list[Requirement] = []
    for req in missing:
        kept = _kept_spans(text, every)
        span = fuzzy_span(text, req.rendering, avoid=kept)
        # a near miss, not the rendering itself (as the whole text counts it: a slice
        # would take its first word for a sentence start)
        if span is not None and not _holds(text, span, req.rendering):
            text = text[: span[0]] + req.rendering + text[span[1] :]
            last_fuzzy_end = span[0] + len(req.rendering)
        else:
            placing.append(req)
    if not placing:
        return text, last_fuzzy_end
    if not text.strip():
        return " ".join(r.rendering for r in placing), None
    # all placed at once, on the text the near misses left: each finds its own place
    # instead of the first ones crowding the start of the sentence
    text, added = _place(text, placing, source_len, _kept_spans(text, every))
    if last_fuzzy_end is not None:
        last_fuzzy_end += sum(n for at, n in added if at < last_fuzzy_end)
    return text, last_fuzzy_end


def write_in(text: str, requirements: Sequence[Requirement], source_len: int) -> str:
    """The last rung on its own: ``text`` with every rendering it lacks written in (over
    a near miss, or at a word boundary near the term's relative position, or at the end
    in brackets). Used on a reviewer's text."""
    text, _ = _write_in(text, _missing(text, requirements), source_len, requirements)
    for req in _missing(text, requirements):
        text = f"{text} ({req.rendering})"
    return sentence_case(text, [r.rendering for r in requirements])


class _Ladder:
    """The state of one :func:`lock` call: each sentence's best text and settled result."""

    def __init__(
        self,
        sources: Sequence[str],
        requirements: Sequence[Sequence[Requirement]],
        avoid: Sequence[Sequence[str]] = (),
    ):
        n = len(sources)
        self.sources = sources
        self.requirements = requirements
        self.avoid = avoid
        """Per sentence, the renderings its translation must not take (none: empty)."""
        self.results: list[Locked | None] = [None] * n
        self.earlier: list[dict[int, Strategy]] = [{} for _ in range(n)]
        """Strategies settled by the natural pass, per requirement index."""
        self.best_text: list[str] = [""] * n
        self.free: list[tuple[str, Translation] | None] = [None] * n
        """The first decode of each sentence, with the input it was given: the model's
        free choice that the lock cost is measured from."""
        self.pool: list[Pool | None] = [None] * n
        """The decode each sentence's text was chosen from (its hypotheses the
        alternatives)."""
        self.hypotheses = 1
        """Hypotheses each first decode asks for (the best and the alternatives)."""

    def avoiding(self, todo: Sequence[int]) -> dict[str, Any]:
        """The ``avoid`` argument of a decode of sentences ``todo``: none at all when none
        of them avoids a rendering (a translator that knows nothing of it still works)."""
        if not self.avoid or not any(self.avoid[i] for i in todo):
            return {}
        return {"avoid": [self.avoid[i] for i in todo]}

    def settle(self, i: int, text: str, strategy: Strategy) -> None:
        reqs = self.requirements[i]
        self.best_text[i] = text
        self.results[i] = Locked(
            text, tuple(self.earlier[i].get(k, strategy) for k in range(len(reqs)))
        )

    def natural(
        self, translator: SupportsTranslate, progress: Callable[[int], None] | None
    ) -> list[int]:
        """The plain translation; returns the sentences that lost a term."""
        every = range(len(self.sources))
        plain = translator.translate(
            list(self.sources),
            num_hypotheses=self.hypotheses,
            progress=progress,
            **self.avoiding(every),
        )
        still: list[int] = []
        for i, reqs in enumerate(self.requirements):
            self.free[i] = (self.sources[i], plain[i])
            self.pool[i] = Pool(self.sources[i], plain[i])
            text = plain[i].text
            if satisfied(text, reqs):
                self.settle(i, text, "natural")
                continue
            self.best_text[i] = text
            lost = {id(r) for r in _missing(text, reqs)}
            self.earlier[i] = {k: "natural" for k, r in enumerate(reqs) if id(r) not in lost}
            still.append(i)
        return still

    def injected(
        self,
        translator: SupportsTranslate,
        todo: Sequence[int],
        nbest: int,
        progress: Callable[[int], None] | None,
    ) -> list[int]:
        """Rungs 1 + 2: the injected source's best hypothesis, or the best n-best one with
        every term. Returns the sentences still to repair."""
        reqs = self.requirements
        inputs = [inject(self.sources[i], reqs[i]) if reqs[i] else self.sources[i] for i in todo]
        wanted = max(nbest if any(reqs[i] for i in todo) else 1, self.hypotheses)
        first = translator.translate(
            inputs, num_hypotheses=wanted, progress=progress, **self.avoiding(todo)
        )
        repair: list[int] = []
        for i, given, tr in zip(todo, inputs, first, strict=True):
            if self.free[i] is None:
                self.free[i] = (given, tr)
            # a repaired or forced text keeps this pool: none of its hypotheses holds every
            # term (else rung 2 had taken it), so none is offered
            self.pool[i] = Pool(given, tr)
            self.best_text[i] = tr.text
            if satisfied(tr.text, reqs[i]):
                self.settle(i, tr.text, "injected")
                continue
            alt = next((h.text for h in tr.hypotheses[1:] if satisfied(h.text, reqs[i])), None)
            if alt is not None:
                self.settle(i, alt, "nbest")
                continue
            repair.append(i)
        return repair

    def prefixed(self, translator: SupportsTranslate, repair: Sequence[int]) -> None:
        """Rung 3: decode again from a target prefix that ends in the missing renderings,
        placed over their near-misses (only where a near-miss was found)."""
        chosen: list[int] = []
        prefixes: list[str] = []
        for i in repair:
            missing = _missing(self.best_text[i], self.requirements[i])
            text, cut = _write_in(
                self.best_text[i], missing, len(self.sources[i]), self.requirements[i]
            )
            if cut is not None:
                chosen.append(i)
                prefixes.append(text[:cut])
        if not chosen:
            return
        again = translator.translate(
            [inject(self.sources[i], self.requirements[i]) for i in chosen],
            num_hypotheses=1,
            target_prefixes=prefixes,
            **self.avoiding(chosen),
        )
        for i, tr in zip(chosen, again, strict=True):
            if satisfied(tr.text, self.requirements[i]):
                self.settle(i, tr.text, "prefix")

    def forced(self, i: int) -> None:
        """Rung 4: write the missing renderings into the best text; flagged later."""
        reqs = self.requirements[i]
        missing = _missing(self.best_text[i], reqs)
        text, _ = _write_in(self.best_text[i], missing, len(self.sources[i]), reqs)
        for req in _missing(text, reqs):
            # a rendering written over a near-miss can overlap another term; never lose one
            text = f"{text} ({req.rendering})"
        missing_ids = {id(r) for r in missing}
        per = dict(self.earlier[i])
        for k, r in enumerate(reqs):
            if k not in per:
                per[k] = "forced" if id(r) in missing_ids else "injected"
        self.results[i] = Locked(text, tuple(per[k] for k in range(len(reqs))))


def lock(
    translator: SupportsTranslate,
    sources: Sequence[str],
    requirements: Sequence[Sequence[Requirement]],
    *,
    nbest: int = 4,
    natural_first: bool = False,
    progress: Callable[[int], None] | None = None,
    avoid: Sequence[Sequence[str]] = (),
    alternatives: int = 0,
    unsure_below: float | None = None,
) -> list[Locked]:
    """Translate ``sources`` so that each sentence's requirements are all met.

    ``avoid[i]`` (empty, or one per source) lists renderings sentence i's translation
    must not take: every decode is steered away from them (a glossary term's ``avoid``
    list; the QA finding reports one that still comes out).

    One decode over every sentence (sources with terms injected), then prefix repair for
    the few sentences whose hypotheses all lost a term, then forcing. Returns one
    :class:`Locked` per source, in order, with its confidence and lock cost
    (:func:`bilingual.confidence.judge`: one scoring call for the texts locking changed)
    and, where the confidence is below ``unsure_below``, up to ``alternatives`` next best
    translations (:mod:`bilingual.alternatives`; the first decode asks for that many more
    hypotheses, so the caller keeps it within the beam).
    """
    if len(sources) != len(requirements):
        raise ValueError("sources and requirements differ in length")
    if avoid and len(avoid) != len(sources):
        raise ValueError("sources and avoid lists differ in length")
    ladder = _Ladder(sources, requirements, avoid)
    ladder.hypotheses = alternatives + 1 if alternatives > 0 and unsure_below is not None else 1
    todo = list(range(len(sources)))
    if natural_first:
        todo = ladder.natural(translator, progress)
        progress = None  # progress was reported by the first pass
    repair = ladder.injected(translator, todo, nbest, progress)
    ladder.prefixed(translator, repair)
    for i in repair:
        if ladder.results[i] is None:
            ladder.forced(i)
    done = [r for r in ladder.results if r is not None]
    assert len(done) == len(sources), "every sentence leaves the ladder with a result"
    # a lower-case rendering that came out first takes the sentence's capital; the term
    # still counts as kept exactly (bilingual._text.rendering_spans)
    finals = [
        sentence_case(r.text, [q.rendering for q in reqs])
        for r, reqs in zip(done, requirements, strict=True)
    ]
    free = [f for f in ladder.free if f is not None]
    judged = judge(translator, sources, finals, free) if len(free) == len(sources) else None
    scores = judged if judged is not None else [(None, None)] * len(sources)
    offered = offer(
        translator,
        sources,
        finals,
        [conf for conf, _ in scores],
        ladder.pool,
        [_keeper(reqs) for reqs in requirements],
        count=alternatives,
        below=unsure_below,
    )
    return [
        Locked(text, r.strategies, *scores[i], offered[i])
        for i, (text, r) in enumerate(zip(finals, done, strict=True))
    ]


def _keeper(requirements: Sequence[Requirement]) -> Keep:
    """How a hypothesis is offered as an alternative: as the rendering is shown (a term
    that came out first takes the sentence's capital), and only with every term in it."""
    renderings = [r.rendering for r in requirements]

    def keep(text: str) -> str | None:
        return sentence_case(text, renderings) if satisfied(text, requirements) else None

    return keep
