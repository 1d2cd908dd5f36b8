"""Confidence: the model's own judgement of each rendering, and the findings it supports.

* **Confidence** of a rendering: the mean log-probability per target token of the text
  as written after locking, the model's end-of-sentence token included (0 is certain,
  more negative is less sure). Where the ladder kept the model's own best hypothesis of
  the unchanged source, it comes from that decode (``Translation.log_prob / tokens``);
  where locking changed the input or the output (injection, n-best, prefix repair, a
  forced write-in) the final text is scored against the real source
  (:class:`SupportsScore`), all such texts of a hop in one call.
* **Lock cost**: the confidence of the model's free choice minus that of the locked
  output (0 when the model's own text was kept, never below 0). The free choice is the
  best hypothesis of the first decode of the sentence: the plain source's with
  ``natural_first``, else the injected source's (no second decode is paid for it, so
  with injection the cost is how much less the model believes the locked text of the
  real source than it believed its own output of the input it was given).
* **Repetition** (:func:`repetition`): a decoder loop, some 1 to 4 words repeated back
  to back (a single word 4 times, a run of 2 to 4 words 3 times), compared case-blind
  without punctuation. Linear in the words, no language knowledge.
* **Bands and findings** against a package's calibrated :class:`Thresholds`
  (:mod:`bilingual.models.calibrate`): ``low`` below ``low``, ``fair`` up to ``high``,
  ``good`` from ``high``; a ``low-confidence`` warning below ``low``, a ``costly-lock``
  info when the lock cost exceeds ``costly_lock``. No thresholds, no confidence finding.

For XLIFF's ITS ``mtConfidence`` (a number in [0, 1]) the confidence is mapped by
``exp``: the geometric mean of the token probabilities (:func:`mt_confidence`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from bilingual.document.segment import Flag
from bilingual.models.calibrate import Thresholds

__all__ = [
    "Band",
    "SupportsScore",
    "Thresholds",
    "band",
    "confidence_flags",
    "decoded",
    "forward_scores",
    "mt_confidence",
    "raw_scores",
    "repetition",
    "score_texts",
]

DIGITS = 4
"""Confidences and costs are rounded to this many decimals, so that a cached value and a
fresh one print alike."""

Band = Literal["good", "fair", "low"]


@runtime_checkable
class SupportsScore(Protocol):
    """A translator that can score given target texts (the engine's ``Translator.score``)."""

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        """``(sum of token log-probabilities, tokens)`` of each target given its source."""
        ...


def mean(log_prob: float, tokens: int) -> float | None:
    """The mean log-probability per token, rounded; None without tokens."""
    if tokens <= 0:
        return None
    return round(log_prob / tokens, DIGITS)


def decoded(translation: Any) -> float | None:
    """The confidence of a decode's best hypothesis from its own numbers, None when the
    translation does not carry them (a translator double, an older engine, a cache entry
    made before)."""
    tokens = getattr(translation, "tokens", 0)
    log_prob = getattr(translation, "log_prob", None)
    if not isinstance(tokens, int) or not isinstance(log_prob, int | float) or tokens <= 0:
        return None
    return mean(float(log_prob), tokens)


def raw_scores(
    translator: Any, sources: Sequence[str], targets: Sequence[str]
) -> list[tuple[float, int]] | None:
    """``(sum of log-probabilities, tokens)`` of each target given its source, in one
    call; None when the translator cannot score."""
    if isinstance(translator, SupportsScore):
        return translator.score(list(sources), list(targets))
    return None


def forward_scores(
    inner: Any, sources: Sequence[str], targets: Sequence[str]
) -> list[tuple[float, int]]:
    """What a wrapping translator (timing, cache) answers when asked to score: the inner
    translator's scores, or ``(0.0, 0)`` for each (no confidence) when it cannot score."""
    scored = raw_scores(inner, sources, targets)
    return scored if scored is not None else [(0.0, 0)] * len(sources)


def score_texts(
    translator: Any, sources: Sequence[str], targets: Sequence[str]
) -> list[float | None]:
    """The confidence of each target text given its source, in one scoring call; None
    for a blank target, and all None when the translator cannot score."""
    if not sources:
        return []
    scored = raw_scores(translator, sources, targets)
    if scored is None:
        return [None] * len(sources)
    return [mean(lp, n) if t.strip() else None for (lp, n), t in zip(scored, targets, strict=True)]


def lock_cost(free: float | None, locked: float | None) -> float | None:
    """How much confidence locking cost: the free choice's minus the locked text's, at
    least 0; None when either is unknown."""
    if free is None or locked is None:
        return None
    return round(max(0.0, free - locked), DIGITS)


# ------------------------------------------------------------------------- repetition

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
LOOP_REPEATS = {1: 4, 2: 3, 3: 3, 4: 3}
"""Width of the repeated run (words) -> back-to-back occurrences that make a loop."""


def repetition(text: str) -> tuple[str, int] | None:
    """The longest-lasting decoder loop in ``text``: ``(the repeated words, how many times
    in a row)``, or None. ``the ... the`` or ``had had`` is language, not a loop."""
    words = [m.group().casefold() for m in _TOKEN.finditer(text)]
    best: tuple[int, int, int] | None = None  # (covered words, width, start)
    for width, needed in LOOP_REPEATS.items():
        run = 0  # consecutive positions j with words[j] == words[j - width]
        for j in range(width, len(words)):
            run = run + 1 if words[j] == words[j - width] else 0
            if run >= (needed - 1) * width:
                covered = run + width
                if best is None or covered > best[0]:
                    best = (covered, width, j - covered + 1)
    if best is None:
        return None
    covered, width, start = best
    return " ".join(words[start : start + width]), covered // width


# ------------------------------------------------------------------------- judgement


def band(confidence: float | None, thresholds: Thresholds | None) -> Band | None:
    """Where ``confidence`` stands for this model; None when either is unknown."""
    if confidence is None or thresholds is None:
        return None
    if confidence < thresholds.low:
        return "low"
    return "fair" if confidence < thresholds.high else "good"


def mt_confidence(confidence: float) -> float:
    """``confidence`` as a number in [0, 1] (ITS ``mtConfidence``): exp of the mean
    log-probability, the geometric mean of the token probabilities."""
    return round(min(1.0, max(0.0, math.exp(confidence))), DIGITS)


def confidence_flags(
    confidence: float | None, cost: float | None, thresholds: Thresholds | None, lang: str
) -> tuple[Flag, ...]:
    """The ``low-confidence`` and ``costly-lock`` findings of one machine rendering."""
    if thresholds is None:
        return ()
    flags: list[Flag] = []
    if confidence is not None and confidence < thresholds.low:
        flags.append(
            Flag(
                "low-confidence",
                "warning",
                f"the model is unsure of this translation (confidence {confidence:.2f}, "
                f"below its {thresholds.low:.2f})",
                lang,
            )
        )
    if cost is not None and cost > thresholds.costly_lock:
        flags.append(
            Flag(
                "costly-lock",
                "info",
                f"keeping the glossary terms cost the model {cost:.2f} of confidence "
                f"(more than its {thresholds.costly_lock:.2f}); check the sentence reads well",
                lang,
            )
        )
    return tuple(flags)


def repetition_flag(text: str, lang: str) -> Flag | None:
    """A ``repetition`` warning when ``text`` loops."""
    found = repetition(text)
    if found is None:
        return None
    words, times = found
    return Flag(
        "repetition",
        "warning",
        f"{words!r} repeated {times} times in a row: the model may have looped",
        lang,
    )


def judge(
    translator: Any,
    sources: Sequence[str],
    finals: Sequence[str],
    free: Sequence[tuple[str, Any]],
) -> list[tuple[float | None, float | None]]:
    """``(confidence, lock cost)`` of each final text of one hop.

    ``free[i]`` is the first decode of sentence ``i``: the input it was given and its
    :class:`~bilingual.engine.Translation`. A final text that is that decode's own best
    hypothesis of the unchanged source takes the decode's confidence at no cost; every
    other one (and every number a decode did not carry) is scored, all in one call.
    """
    # per sentence: kept (the model's own text), the pair giving its confidence, the
    # pair giving the free choice's (None: the decode's own number serves)
    plans: list[tuple[bool, tuple[str, str] | None, tuple[str, str] | None]] = []
    for source, final, (given, first) in zip(sources, finals, free, strict=True):
        own = decoded(first)
        kept = final == first.text and given == source
        if kept:
            plans.append((True, None if own is not None else (source, final), None))
        else:
            plans.append((False, (source, final), None if own is not None else (given, first.text)))
    pairs = list(dict.fromkeys(p for _, a, b in plans for p in (a, b) if p is not None))
    scores = score_texts(translator, [s for s, _ in pairs], [t for _, t in pairs])
    scored = dict(zip(pairs, scores, strict=True))
    out: list[tuple[float | None, float | None]] = []
    for (kept, ask, free_ask), (_, first) in zip(plans, free, strict=True):
        own = decoded(first)
        conf = scored[ask] if ask is not None else own
        if kept:
            out.append((conf, 0.0 if conf is not None else None))
            continue
        free_conf = scored[free_ask] if free_ask is not None else own
        out.append((conf, lock_cost(free_conf, conf)))
    return out
