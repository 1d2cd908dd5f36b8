"""The machine-translation cache: a translator that asks the memory before the model.

A cached result is keyed by everything that changes the model's output: the model
(package label, with the pair for a package that serves several), the input sentence
exactly as the model gets it (terms already injected), the target prefix, the beam size,
the number of hypotheses and the renderings the decode must avoid. So an unchanged re-run
makes no model call at all, and after a glossary change only the sentences whose injected
input (or avoid list) changed reach the model.
The same table keeps what the locking ladder made of each input
(:class:`~bilingual.translate.LockedCache`), so an unchanged re-run skips the ladder's
work too, the alternatives it kept where the model was unsure included (so a re-run
offers them again). New results are kept in :attr:`CachedTranslator.pending` and written
by the run in its one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from bilingual.confidence import forward_scores
from bilingual.document.segment import Alternative
from bilingual.enforce import Locked, SupportsTranslate
from bilingual.engine import Hypothesis, Translation
from bilingual.memory.store import TranslationMemory


def _key(
    model: str,
    beam: int | None,
    n: int,
    prefix: str | None,
    sentence: str,
    avoid: Sequence[str] = (),
) -> str:
    # what the decode must avoid changes its output; a key without it stays as it was
    parts = [model, beam, n, prefix, sentence, *([sorted(avoid)] if avoid else [])]
    raw = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


_DECODE_NUMBERS = ("tokens", "log_prob")
"""What a decode may carry for its confidence (kept when the translation has them)."""


def _dump(t: Translation) -> str:
    hyps = [[h.text, h.score, h.tokens, h.log_prob] for h in t.hypotheses]
    return json.dumps([t.text, t.score, hyps, t.tokens, t.log_prob], ensure_ascii=False)


def _hypothesis(item: Sequence[Any]) -> Hypothesis:
    """A cached hypothesis: text and score, then (since alternatives were kept) its
    tokens and log-probability; an entry from before has none (no alternative from it)."""
    text, score, *scored = item
    tokens, log_prob = scored if len(scored) == 2 else (0, 0.0)
    return Hypothesis(str(text), float(score), int(tokens), float(log_prob))


def _load(value: str) -> Translation:
    # entries cached before the tokens and log-probability were kept have 3 items
    text, score, hyps, *scored = json.loads(value)
    tokens, log_prob = scored if len(scored) == 2 else (0, 0.0)
    return Translation(
        str(text),
        float(score),
        tuple(_hypothesis(h) for h in hyps),
        tokens=int(tokens),
        log_prob=float(log_prob),
    )


def _locked(value: str) -> Locked:
    """A cached :class:`Locked`: text and strategies, then (since confidence was kept)
    its confidence and lock cost, then (since alternatives were kept) its alternatives;
    an entry from before reads as unknown (None) and without alternatives."""
    text, strategies, *rest = json.loads(value)
    confidence, cost, offered = [*rest, None, None, None][:3]
    alternatives = tuple(Alternative(str(a), float(c)) for a, c in offered or ())
    return Locked(str(text), tuple(strategies), confidence, cost, alternatives)


class CachedTranslator:
    """Wraps a translator; counts the inputs answered from the cache."""

    def __init__(
        self, inner: SupportsTranslate, memory: TranslationMemory, model: str, beam: int
    ) -> None:
        self.inner = inner
        self.memory = memory
        self.model = model
        self.beam = beam
        self.pending: dict[str, str] = {}
        self.cached_sentences = 0

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
        prefixes = list(target_prefixes) if target_prefixes is not None else [None] * len(sentences)
        beam = beam_size or self.beam
        avoided = list(avoid) if avoid is not None else [()] * len(sentences)
        keys = [
            _key(self.model, beam, num_hypotheses, p, s, a)
            for s, p, a in zip(sentences, prefixes, avoided, strict=True)
        ]
        found = self.memory.cache_get([k for k in keys if k not in self.pending])
        found.update({k: v for k, v in self.pending.items() if k in set(keys)})
        out: list[Translation | None] = [_load(found[k]) if k in found else None for k in keys]
        todo = [i for i, t in enumerate(out) if t is None]
        self.cached_sentences += len(sentences) - len(todo)
        if progress is not None and len(sentences) > len(todo):
            progress(len(sentences) - len(todo))
        if todo:
            fresh = self.inner.translate(
                [sentences[i] for i in todo],
                num_hypotheses=num_hypotheses,
                target_prefixes=[prefixes[i] for i in todo] if target_prefixes else None,
                beam_size=beam_size,
                progress=progress,
                **({"avoid": [avoided[i] for i in todo]} if avoid else {}),
            )
            for i, t in zip(todo, fresh, strict=True):
                out[i] = t
                self.pending[keys[i]] = _dump(t)
        return [t for t in out if t is not None]

    def get_locked(self, keys: Sequence[str]) -> dict[str, Locked]:
        """What the locking ladder made of these inputs before (see translate.LockedCache)."""
        found = self.memory.cache_get([k for k in keys if k not in self.pending])
        found.update({k: self.pending[k] for k in keys if k in self.pending})
        out: dict[str, Locked] = {}
        self.cached_sentences += len(found)
        for key, value in found.items():
            out[key] = _locked(value)
        return out

    def put_locked(self, key: str, locked: Locked) -> None:
        row: list[object] = [
            locked.text,
            list(locked.strategies),
            locked.confidence,
            locked.lock_cost,
        ]
        if locked.alternatives:  # an entry without stays as it was written before
            row.append([[a.text, a.confidence] for a in locked.alternatives])
        self.pending[key] = json.dumps(row, ensure_ascii=False)

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        """The inner translator's scores; ``(0.0, 0)`` (no confidence) when it cannot score.
        Not cached: the locked cache keeps each rendering's confidence already."""
        return forward_scores(self.inner, sources, targets)

    def save(self) -> None:
        """Write the new results (inside the caller's transaction)."""
        self.memory.cache_put((k, self.model, v) for k, v in self.pending.items())
        self.pending.clear()
