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
   or at the term's relative position) and flagged for the reviewer.

With ``natural_first`` the original sentence is translated first and terms the model
already renders are labelled ``natural``; only the rest go down the ladder. That costs a
second decode for every sentence that has a term, so it is off by default.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bilingual.document import Strategy
from bilingual.engine import Translation


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

    @property
    def forced(self) -> int:
        return sum(1 for s in self.strategies if s == "forced")


_WORD = re.compile(r"\w+", re.UNICODE)


def occurrences(text: str, rendering: str) -> int:
    """How many times ``rendering`` occurs in ``text`` as whole words.

    Exact and case-sensitive. A possessive ``'s`` may follow and ``the`` may precede
    (that is the only change English may make to a term); anything glued to the term
    (``UNODCs``, ``xHanoi``) does not count.
    """
    if not rendering:
        return 0
    count = 0
    pos = text.find(rendering)
    while pos != -1:
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + len(rendering) : pos + len(rendering) + 1] or " "
        # a rendering that itself starts/ends with a non-word char carries its own boundary
        left_ok = not (before.isalnum() and rendering[0].isalnum())
        right_ok = not (after.isalnum() and rendering[-1].isalnum())
        if left_ok and right_ok:
            count += 1
        pos = text.find(rendering, pos + max(1, len(rendering)))
    return count


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


def fuzzy_span(text: str, rendering: str, *, min_ratio: float = 0.5) -> tuple[int, int] | None:
    """The character span of ``text`` that best matches ``rendering`` word by word, or None.

    Used to find where a model put a near-miss of a term (``United Nations Office for
    Drugs and Crime``) so that prefix repair and forcing replace it instead of adding
    the term a second time.
    """
    target = [w for w, _, _ in _words(rendering)]
    words = _words(text)
    if not target or not words:
        return None
    best: tuple[float, int, int] | None = None
    n = len(target)
    for size in range(max(1, n - 2), n + 3):
        for i in range(0, len(words) - size + 1):
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


def _write_in(text: str, missing: Sequence[Requirement], source_len: int) -> tuple[str, int | None]:
    """Put each missing rendering into ``text``: over its fuzzy match when there is one,
    else at the word position proportional to the term's position in the source.

    Returns the new text and the end offset of the last rendering placed over a fuzzy
    match (None when none had one), which is where a target prefix can stop.
    """
    last_fuzzy_end: int | None = None
    for req in missing:
        span = fuzzy_span(text, req.rendering)
        if span is not None and occurrences(text[span[0] : span[1]], req.rendering) == 0:
            text = text[: span[0]] + req.rendering + text[span[1] :]
            last_fuzzy_end = span[0] + len(req.rendering)
            continue
        words = _words(text)
        if not words:
            text = req.rendering if not text.strip() else f"{text} {req.rendering}"
            continue
        rel = req.start / max(1, source_len)
        idx = min(len(words) - 1, int(rel * len(words)))
        at = words[idx][1]
        text = f"{text[:at]}{req.rendering} {text[at:]}"
    return text, last_fuzzy_end


def lock(
    translator: SupportsTranslate,
    sources: Sequence[str],
    requirements: Sequence[Sequence[Requirement]],
    *,
    nbest: int = 4,
    natural_first: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Locked]:
    """Translate ``sources`` so that each sentence's requirements are all met.

    One decode over every sentence (sources with terms injected), then prefix repair for
    the few sentences whose hypotheses all lost a term, then forcing. Returns one
    :class:`Locked` per source, in order.
    """
    if len(sources) != len(requirements):
        raise ValueError("sources and requirements differ in length")
    n = len(sources)
    results: list[Locked | None] = [None] * n
    strategies: list[dict[int, Strategy]] = [{} for _ in range(n)]
    best_text: list[str] = [""] * n

    todo = list(range(n))
    if natural_first:
        plain = translator.translate(list(sources), num_hypotheses=1, progress=progress)
        still: list[int] = []
        for i in todo:
            text = plain[i].text
            best_text[i] = text
            reqs = requirements[i]
            if satisfied(text, reqs):
                results[i] = Locked(text, tuple("natural" for _ in reqs))
            else:
                lost = {id(r) for r in _missing(text, reqs)}
                strategies[i] = {k: "natural" for k, r in enumerate(reqs) if id(r) not in lost}
                still.append(i)
        todo = still
        progress = None  # progress was reported by the first pass

    # 1 + 2: injected source, best hypothesis or the best n-best one with every term
    inputs = [inject(sources[i], requirements[i]) if requirements[i] else sources[i] for i in todo]
    first = translator.translate(
        inputs, num_hypotheses=nbest if any(requirements[i] for i in todo) else 1, progress=progress
    )
    repair: list[int] = []
    for i, tr in zip(todo, first, strict=True):
        reqs = requirements[i]
        best_text[i] = tr.text
        if satisfied(tr.text, reqs):
            results[i] = _finish(tr.text, reqs, strategies[i], "injected")
            continue
        alt = next((h.text for h in tr.hypotheses[1:] if satisfied(h.text, reqs)), None)
        if alt is not None:
            best_text[i] = alt
            results[i] = _finish(alt, reqs, strategies[i], "nbest")
            continue
        repair.append(i)

    # 3: target prefix ending in the missing renderings, placed over their near-misses
    prefixed: list[int] = []
    prefixes: list[str] = []
    for i in repair:
        missing = _missing(best_text[i], requirements[i])
        text, cut = _write_in(best_text[i], missing, len(sources[i]))
        if cut is not None:
            prefixed.append(i)
            prefixes.append(text[:cut])
    if prefixed:
        again = translator.translate(
            [inject(sources[i], requirements[i]) for i in prefixed],
            num_hypotheses=1,
            target_prefixes=prefixes,
        )
        for i, tr in zip(prefixed, again, strict=True):
            if satisfied(tr.text, requirements[i]):
                results[i] = _finish(tr.text, requirements[i], strategies[i], "prefix")

    # 4: forced, flagged
    for i in repair:
        if results[i] is not None:
            continue
        reqs = requirements[i]
        missing = _missing(best_text[i], reqs)
        text, _ = _write_in(best_text[i], missing, len(sources[i]))
        for req in _missing(text, reqs):
            # a rendering written over a near-miss can overlap another term; never lose one
            text = f"{text} ({req.rendering})"
        missing_ids = {id(r) for r in missing}
        per = dict(strategies[i])
        for k, r in enumerate(reqs):
            if k not in per:
                per[k] = "forced" if id(r) in missing_ids else "injected"
        results[i] = Locked(text, tuple(per[k] for k in range(len(reqs))))
    done = [r for r in results if r is not None]
    assert len(done) == n, "every sentence leaves the ladder with a result"
    return done


def _finish(
    text: str, reqs: Sequence[Requirement], earlier: dict[int, Strategy], strategy: Strategy
) -> Locked:
    return Locked(text, tuple(earlier.get(k, strategy) for k in range(len(reqs))))
