"""Batches: how a decode's model inputs are cut into CTranslate2 calls, and how the
results of a planned decode come back together, one :class:`Translation` per sentence.

Inputs are sorted by length (little padding) and cut into batches of ``batch_size``
inputs, or of at most ``batch_size`` tokens as CTranslate2 counts them. A small decode
that gives fewer batches than the model has workers is cut further, so that every
worker has a batch (:func:`spread`): on 2 cores, 2 workers x 1 thread on one batch left
a core idle and ran a 4-article run in 133 s against 96 s for 1 x 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bilingual.engine.decoding import Hypothesis, Translation


class Hypothesis_(NamedTuple):
    """One hypothesis of one model input, as a decode returns it."""

    text: str
    """Detokenised, language tokens removed."""
    score: float
    """CTranslate2's length-normalised score."""
    tokens: int
    """Output tokens, language tokens removed (weights the pieces of a split sentence)."""
    chosen: int = 0
    """Tokens the model chose (a forced prefix not, the end token included)."""
    log_prob: float = 0.0
    """Their summed log-probability."""


@dataclass(frozen=True)
class Batch:
    """One CTranslate2 call of a plan: which model inputs, their tokens, the options."""

    units: tuple[int, ...]
    source: list[list[str]]
    options: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What :meth:`~bilingual.engine.Translator.translate` will decode: the model inputs
    (a sentence, or a piece of a long one), in batches sorted by length."""

    sentences: int
    units: tuple[int, ...]
    """The sentence each model input belongs to."""
    batches: tuple[Batch, ...]

    @property
    def empty(self) -> int:
        """Sentences with nothing to translate (blank): finished from the start."""
        return self.sentences - len(set(self.units))

    def counter(self) -> Callable[[Batch], int]:
        """A function that, given each finished batch in turn (any order), returns how
        many sentences are finished so far (every piece of them decoded)."""
        left = [0] * self.sentences
        for sentence in self.units:
            left[sentence] += 1
        done = [self.empty]

        def finished(batch: Batch) -> int:
            for u in batch.units:
                left[self.units[u]] -= 1
                if left[self.units[u]] == 0:
                    done[0] += 1
            return done[0]

        return finished

    def finish(self, outputs: Sequence[Sequence[Hypothesis_]]) -> list[Translation]:
        """One Translation per sentence from the hypotheses of every model input."""
        per_sentence: list[list[list[Hypothesis_]]] = [[] for _ in range(self.sentences)]
        for sentence, hyps in zip(self.units, outputs, strict=True):
            per_sentence[sentence].append([Hypothesis_(*h) for h in hyps])
        return [combine(pieces) for pieces in per_sentence]


def combine(pieces: list[list[Hypothesis_]]) -> Translation:
    """One Translation from the n-best lists of a sentence's pieces (in order): texts
    joined with a space, scores averaged weighted by output length, the best
    hypothesis's chosen tokens and log-probabilities summed. Each hypothesis of a whole
    sentence keeps its own chosen tokens and log-probability; a split sentence's other
    hypotheses (the pieces' k-th joined, which no beam produced together) keep none."""
    if not pieces:
        empty = Hypothesis("", 0.0)
        return Translation(text="", score=0.0, hypotheses=(empty,))
    hypotheses: list[Hypothesis] = []
    seen: set[str] = set()
    for k in range(min(len(p) for p in pieces)):
        parts = [p[k] for p in pieces]
        text = " ".join(h.text for h in parts if h.text)
        weights = [max(1, h.tokens) for h in parts]
        score = sum(h.score * w for h, w in zip(parts, weights, strict=True)) / sum(weights)
        whole = k == 0 or len(parts) == 1
        chosen = sum(h.chosen for h in parts) if whole else 0
        log_prob = sum(h.log_prob for h in parts) if whole else 0.0
        if text not in seen:  # different pieces can detokenise to the same text
            seen.add(text)
            hypotheses.append(Hypothesis(text, score, chosen, log_prob))
    best = hypotheses[0]
    return Translation(
        text=best.text,
        score=best.score,
        hypotheses=tuple(hypotheses),
        tokens=sum(p[0].chosen for p in pieces),
        log_prob=sum(p[0].log_prob for p in pieces),
    )


def cut(lengths: Sequence[int], batch_size: int, batch_type: str) -> list[list[int]]:
    """Indices of model inputs of these token ``lengths``, sorted by length and cut into
    batches of ``batch_size`` inputs, or of at most ``batch_size`` tokens
    (``batch_type="tokens"``, counted as CTranslate2 does; a longer input is a batch of
    its own)."""
    if batch_type == "examples":
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    # As CTranslate2's own token batching (batch_reader.cc): longest first, and a batch
    # counts its padding (inputs x longest input), since every row is decoded to the
    # batch's length; summing the unpadded lengths packed more rows per batch and cost
    # 1.4x the CPU time (bench/threads.py).
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= batch_size:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def spread(batches: list[list[int]], workers: int) -> list[list[int]]:
    """At least one batch per worker where there are inputs enough: the batch with most
    inputs is halved (its shorter half after it) until there are ``workers`` batches.

    A half holds fewer inputs no longer than the whole's, so it stays within the batch
    limit, and the batches stay sorted. A decode with as many batches as workers or more
    is left as it is: only small decodes change.
    """
    out = [list(b) for b in batches]
    while len(out) < workers:
        widest = max(range(len(out)), key=lambda k: len(out[k]), default=None)
        if widest is None or len(out[widest]) < 2:
            break
        batch = out[widest]
        half = (len(batch) + 1) // 2
        out[widest : widest + 1] = [batch[:half], batch[half:]]
    return out
