"""What a decode gives back and how it decodes: results, options, the output limit.

A :class:`Translation` carries, besides the texts and CTranslate2's length-normalised
score, the best hypothesis's own token count and summed log-probability
(:func:`log_prob_of`), from which a confidence measure can be built without decoding
again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of an n-best list."""

    text: str
    score: float
    tokens: int = 0
    """Target tokens the model chose for it (as :attr:`Translation.tokens`); 0 where not
    known (a split sentence's other hypotheses join pieces no beam produced together)."""
    log_prob: float = 0.0
    """Their summed log-probability (as :attr:`Translation.log_prob`)."""


@dataclass(frozen=True)
class Translation:
    """The result for one input sentence."""

    text: str
    """Best hypothesis, detokenised (== hypotheses[0].text)."""
    score: float
    hypotheses: tuple[Hypothesis, ...]
    """n-best list, best first; length 1 unless n-best was asked for."""
    tokens: int = 0
    """Target tokens the model chose for the best hypothesis (its end-of-sentence token
    included, a forced prefix not), summed over the pieces of a split sentence."""
    log_prob: float = 0.0
    """Sum of those tokens' log-probabilities (not length-normalised): ``log_prob /
    tokens`` is the mean per token."""


Hypothesis_ = tuple[str, float, int]
"""One hypothesis of one model input: detokenised text, score, target tokens."""

Scored = tuple[int, float]
"""The best hypothesis of one model input: tokens the model chose, their log-probability."""


DEFAULT_MAX_INPUT_TOKENS = 250
"""Sentencepiece pieces per model input. Below CTranslate2's 1024 on purpose: quality
drops on long inputs, so longer sentences are split at clause boundaries first."""


@dataclass(frozen=True)
class DecodingOptions:
    """How the model decodes: argos's choices (beam 4, length penalty 0.2, unknown tokens
    replaced by the source token they attend to), kept here and nowhere else."""

    beam_size: int = 4
    length_penalty: float = 0.2
    replace_unknowns: bool = True
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS
    max_decoding_length: int | None = None
    """None: the limit follows the input (:func:`decoding_limit`). A number fixes it for
    every batch, which can cut output short: for benchmarks that must cap all variants."""


def decoding_limit(n_source_tokens: int) -> int:
    """Most target tokens allowed for a source of ``n_source_tokens`` (never 256 fixed)."""
    return max(16, int(3 * n_source_tokens) + 10)


def log_prob_of(
    score: float, n_tokens: int, n_forced: int, length_penalty: float, finished: bool = True
) -> Scored:
    """``(tokens, log_prob)`` of a hypothesis from CTranslate2's ``score``.

    CTranslate2 returns ``sum(log p) / length ** length_penalty`` where the sum runs over
    the tokens it chose (a forced ``target_prefix`` is not scored) and the end-of-sentence
    token, and ``length`` counts every token of the hypothesis, prefix and end included
    (checked against ``score_batch`` in tests/test_engine_adapters.py). ``n_tokens`` is
    the length of the returned hypothesis (prefix included, end token not);
    ``finished``: it ended with the end token rather than at the decoding limit.
    """
    length = n_tokens + int(finished)
    log_prob = score * (max(1, length) ** length_penalty)
    return max(0, length - n_forced), log_prob
