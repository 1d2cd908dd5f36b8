"""Alternatives: the model's next best translations of a sentence it is unsure of.

Where a rendering's confidence is below its model's calibrated ``low`` threshold (the
briefing's low band), the other hypotheses of the very decode that gave the rendering
(asked for a few hypotheses: no second decode) are offered to the reviewer, each with its
confidence on the rendering's own scale (:mod:`bilingual.confidence`: mean
log-probability per token). Elsewhere none are kept.

What an alternative goes through, as the best did where that is cheap:

* the model kind's language tokens are stripped by the engine's adapter, for every
  hypothesis alike;
* the glossary: a hypothesis that lost a locked term is not offered (writing the term in
  would make a text no model produced, and copying it in would lose the term again); one
  that keeps every term takes the sentence's capital as the rendering does;
* one equal to the rendering, or to an alternative before it (spacing aside), is dropped;
* only a decode's own hypotheses of a whole sentence are offered: a sentence split into
  pieces for the model has none (its pieces' k-th hypotheses joined are no hypothesis the
  model made), nor has a decode cached before hypotheses kept their numbers.

Confidence: the hypothesis's own numbers from the decode when the decode's input was the
real source and the text is shown as it came; else (an injected input, a capital
changed) the text is scored against the real source, every such text of a hop in one
call, as :func:`bilingual.confidence.judge` scores a locked rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bilingual.confidence import mean, score_texts
from bilingual.document.segment import Alternative
from bilingual.engine.decoding import Hypothesis, Translation

__all__ = ["Pool", "candidates", "hypotheses_for", "offer"]

Keep = Callable[[str], str | None]
"""What a hypothesis is shown as (the glossary's capital applied), or None when it is not
to be offered (it lost a term)."""


@dataclass(frozen=True)
class Pool:
    """The decode a sentence's rendering came from, and the input it was given."""

    given: str
    decode: Translation


def hypotheses_for(alternatives: int, beam: int) -> int:
    """How many hypotheses a decode asks for to offer ``alternatives`` (one more, for
    the best), never more than the ``beam``: asking for more would widen the beam and
    change the best translation itself. 1 (the best alone) when none are offered."""
    return max(1, min(alternatives + 1, beam)) if alternatives > 0 else 1


def _spaced(text: str) -> str:
    return " ".join(text.split())


def candidates(final: str, pool: Pool, keep: Keep, count: int) -> list[tuple[str, Hypothesis]]:
    """Up to ``count`` hypotheses of ``pool`` to offer beside the rendering ``final``:
    ``(text as shown, hypothesis)``, best first, without the rendering's own text or a
    repeat, without one that ``keep`` refuses or that carries no decode numbers."""
    seen = {_spaced(final)}
    out: list[tuple[str, Hypothesis]] = []
    for hyp in pool.decode.hypotheses:
        if len(out) >= count:
            break
        if hyp.tokens <= 0:
            continue
        shown = keep(hyp.text)
        if shown is None or not shown.strip() or _spaced(shown) in seen:
            continue
        seen.add(_spaced(shown))
        out.append((shown, hyp))
    return out


def offer(
    translator: object,
    sources: Sequence[str],
    finals: Sequence[str],
    confidences: Sequence[float | None],
    pools: Sequence[Pool | None],
    keeps: Sequence[Keep],
    *,
    count: int,
    below: float | None,
) -> list[tuple[Alternative, ...]]:
    """The alternatives of each sentence of one hop: for a rendering whose confidence is
    below ``below``, up to ``count`` next best hypotheses of its decode with their
    confidences; none for every other sentence, nor without a threshold."""
    out: list[tuple[Alternative, ...]] = [() for _ in sources]
    if count <= 0 or below is None:
        return out
    found: dict[int, list[tuple[str, Hypothesis]]] = {}
    for i, (final, conf, pool) in enumerate(zip(finals, confidences, pools, strict=True)):
        if pool is not None and conf is not None and conf < below:
            found[i] = candidates(final, pool, keeps[i], count)
    # the texts the decode's own numbers do not describe, scored in one call
    asks = list(
        dict.fromkeys(
            (sources[i], shown)
            for i, items in found.items()
            for shown, hyp in items
            if _scored(sources[i], shown, hyp, pools[i])
        )
    )
    scores = dict(
        zip(asks, score_texts(translator, [s for s, _ in asks], [t for _, t in asks]), strict=True)
    )
    for i, items in found.items():
        kept: list[Alternative] = []
        for shown, hyp in items:
            ask = (sources[i], shown)
            conf = scores.get(ask) if ask in scores else mean(hyp.log_prob, hyp.tokens)
            if conf is not None:
                kept.append(Alternative(shown, conf))
        # by the confidence the reviewer is shown (the beam ranks by its own length-
        # normalised score, which can order them otherwise); stable among equals
        out[i] = tuple(sorted(kept, key=lambda a: -a.confidence))
    return out


def _scored(source: str, shown: str, hyp: Hypothesis, pool: Pool | None) -> bool:
    """The text needs scoring: its decode's numbers are of another input or another text."""
    return pool is None or pool.given != source or shown != hyp.text
