"""The Translator: one loaded CTranslate2 model, its adapter, and the decoding of runs.

Speed: every sentence of a run goes to the model in one :meth:`Translator.translate`
call, sorted by length into batches (little padding), on a model loaded once; with
``inter_threads`` above 1 (:func:`bilingual.config.thread_split`) several batches are
queued at once, one per CTranslate2 worker, and the output stays the same. Long input:
a sentence longer than ``max_input_tokens`` is split at clause boundaries
(:mod:`bilingual.engine.longtext`), the pieces are translated and joined with a space,
and the decoding limit grows with the input, so nothing is ever cut off silently.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bilingual.engine.adapters import Adapter, target_vocabulary
from bilingual.engine.batching import Batch, Hypothesis_, Plan, cut, spread
from bilingual.engine.decoding import (
    DecodingOptions,
    Translation,
    decoding_limit,
    log_prob_of,
)
from bilingual.engine.longtext import split_long_text
from bilingual.models import PackageInfo


class SupportsScore(Protocol):
    """Scoring given translations (the confidence measure's need)."""

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]: ...


@dataclass(frozen=True)
class _ModelInput:
    """One model input: a sentence or one piece of a long sentence."""

    sentence: int
    tokens: list[str]
    """As CTranslate2 is given them (language tokens included)."""
    pieces: int
    """The text's own pieces among them."""
    prefix: list[str] | None
    avoid: tuple[tuple[str, ...], ...] = ()
    """Token sequences the translation must not take (``suppress_sequences``)."""


_POSITIONS = re.compile(r"positions >= (\d+)")


class Translator:
    """An installed package loaded for translation: one CTranslate2 model, loaded once,
    for one direction."""

    def __init__(
        self,
        info: PackageInfo,
        model: Any,
        tokenizer: Any = None,
        *,
        batch_size: int = 32,
        decoding: DecodingOptions | None = None,
        package_target_prefix: str = "",
        source_specials: int = 0,
        test_model: bool = False,
        batch_type: str = "examples",
        parallel_batches: int = 1,
        adapter: Adapter | None = None,
        direction: tuple[str, str] | None = None,
    ) -> None:
        """Prefer :func:`~bilingual.engine.open_translator`. ``model`` is a
        ``ctranslate2.Translator``; ``adapter`` says what the model wants around the text
        (:mod:`bilingual.engine.adapters`). Without it, an argos adapter is made of
        ``tokenizer`` (a ``sentencepiece.SentencePieceProcessor``),
        ``package_target_prefix`` (the metadata ``target_prefix`` token argos forces
        first) and ``source_specials`` (the bos/eos CTranslate2 adds to every source).
        ``direction``: ``(source, target)`` codes, the package's own pair by default;
        ``test_model``: the package declares itself a test model; ``batch_type``
        ``"tokens"`` makes ``batch_size`` count source tokens, not inputs;
        ``parallel_batches`` batches (the model's ``inter_threads``) go to the model at
        once, so that each of its workers has one."""
        if batch_type not in ("examples", "tokens"):
            raise ValueError(f"batch_type {batch_type!r} is not 'examples' or 'tokens'")
        self.info = info
        self.direction = direction or (info.from_code, info.to_code)
        self.test_model = test_model
        """Its output is not a real translation: the run says so on the console and in
        every briefing."""
        self.decoding = decoding or DecodingOptions()
        self.batch_size = batch_size
        self.batch_type = batch_type
        self.parallel_batches = max(1, parallel_batches)
        self.model = model
        """The loaded ``ctranslate2.Translator``; a wrapper may replace it (to count tokens)."""
        self.adapter = adapter or Adapter(
            kind="argos",
            source_sp=tokenizer,
            target_sp=tokenizer,
            target_prefix=(package_target_prefix,) if package_target_prefix else (),
            added=source_specials,
        )
        self._max_positions: int | None = None
        self._vocabulary: set[str] | None = None
        """The target vocabulary, read when an avoided rendering first needs it."""
        self._suppressed: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        """Avoid lists already tokenized: a term's list recurs in every sentence it is in."""

    # -- tokens

    def tokenize(self, text: str) -> list[str]:
        """Source sentencepiece pieces of ``text`` (without language tokens or bos/eos)."""
        return self.adapter.encode(text)

    def count_tokens(self, text: str) -> int:
        """Model input length of ``text``, including language tokens and bos/eos."""
        return len(self.tokenize(text)) + self.adapter.specials

    def detokenize(self, pieces: Sequence[str]) -> str:
        """Text of target pieces: sentencepiece's own decoder, so "_" stays "_" (argos's
        decode turns it into a space)."""
        return self.adapter.decode(pieces)

    def _split_by_tokens(self, text: str) -> list[str]:
        size = max(1, self.decoding.max_input_tokens - self.adapter.specials)
        pieces = self.tokenize(text)
        return [
            self.adapter.decode_source(pieces[i : i + size]) for i in range(0, len(pieces), size)
        ]

    def split_for_model(self, text: str) -> list[str]:
        """``text`` whole, or in clause pieces that each fit ``max_input_tokens``."""
        return split_long_text(
            text, self.count_tokens, self.decoding.max_input_tokens, self._split_by_tokens
        )

    def _hypotheses(self, result: Any, forced: int, limit: int | None) -> list[Hypothesis_]:
        """The hypotheses of one CTranslate2 result (``forced``: its target prefix's
        length; ``limit``: the decoding limit), each with the tokens the model chose and
        their log-probability (:func:`~bilingual.engine.decoding.log_prob_of`): the
        others' numbers give the alternatives offered where the model is unsure."""
        out = []
        for tokens, score in zip(result.hypotheses, result.scores, strict=True):
            kept = self.adapter.output(tokens)
            finished = limit is None or len(tokens) < limit
            chosen, log_prob = log_prob_of(
                float(score), len(tokens), forced, self.decoding.length_penalty, finished
            )
            text = self.detokenize(kept)
            out.append(Hypothesis_(text, float(score), len(kept), chosen, log_prob))
        return out

    def _results(self, results: Sequence[Any], options: dict[str, Any]) -> list[list[Hypothesis_]]:
        """Hypotheses per input of one batch's CTranslate2 results."""
        prefixes = options.get("target_prefix") or [None] * len(results)
        limit = options.get("max_decoding_length")
        return [
            self._hypotheses(result, len(prefix or ()), limit)
            for result, prefix in zip(results, prefixes, strict=True)
        ]

    # -- translation

    def _clip(self, options: dict[str, Any]) -> dict[str, Any]:
        """``options`` with the decoding limit within the model's position table."""
        if self._max_positions is None:
            return options
        limit = min(options["max_decoding_length"], self._max_positions - 1)
        return {**options, "max_decoding_length": limit}

    def _translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        """CTranslate2's translate_batch, kept within the model's position table.

        Models store position encodings for a fixed number of positions (512 for
        converted Marian models, 5000 for OpenNMT-py ones) and CTranslate2 fails past the
        end; the size is learnt from that error once and the batch decoded again.
        """
        try:
            return self.model.translate_batch(source, **self._clip(options))
        except RuntimeError as exc:
            found = _POSITIONS.search(str(exc))
            if found is None or self._max_positions is not None:
                raise
            self._max_positions = int(found.group(1))
            return self._translate_batch(source, **options)

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        max_decoding_length: int | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[Translation]:
        """Translate ``sentences``: one :class:`Translation` per input, in input order.

        ``target_prefixes[i]`` (target-language text) forces the start of sentence i's
        translation (of its first piece, when it is split), after the kind's own forced
        tokens. ``progress`` receives the number of sentences finished so far after each
        batch. ``max_decoding_length`` fixes the decoding limit instead of letting it
        follow the input (benchmarks). A sentence split into pieces gets the pieces'
        translations joined with a space, and the pieces' scores averaged, weighted by
        their output lengths (their tokens and log-probabilities summed). ``avoid[i]``:
        renderings (target-language text) sentence i's translation must not take; see
        :meth:`plan`.
        """
        plan = self.plan(
            sentences,
            num_hypotheses=num_hypotheses,
            target_prefixes=target_prefixes,
            beam_size=beam_size,
            max_decoding_length=max_decoding_length,
            avoid=avoid,
        )
        outputs: list[list[Hypothesis_]] = [[] for _ in plan.units]
        done = plan.counter()
        for batch, results in self._decode(plan.batches):
            for u, hyps in zip(batch.units, results, strict=True):
                outputs[u] = hyps
            if progress is not None:
                progress(done(batch))
        if progress is not None and not plan.units:
            progress(plan.empty)
        return plan.finish(outputs)

    def _inputs(
        self,
        sentences: Sequence[str],
        target_prefixes: Sequence[str | None] | None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[_ModelInput]:
        units: list[_ModelInput] = []
        for i, sentence in enumerate(sentences):
            if not sentence.strip():
                continue
            prefix = target_prefixes[i] if target_prefixes is not None else None
            avoided = self.suppressed(avoid[i]) if avoid is not None and avoid[i] else ()
            for j, piece in enumerate(self.split_for_model(sentence.strip())):
                pieces = self.tokenize(piece)
                forced = self.adapter.prefix(prefix if j == 0 else None) or None
                source = self.adapter.source(pieces)
                units.append(_ModelInput(i, source, len(pieces), forced, avoided))
        return units

    def suppressed(self, texts: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        """The token sequences that spell ``texts`` in the target
        (:meth:`~bilingual.engine.adapters.Adapter.avoided`), less any with a token the
        model's target vocabulary lacks: CTranslate2 refuses those."""
        key = tuple(texts)
        if key not in self._suppressed:
            found = self.adapter.avoided(texts)
            if found and self._vocabulary is None:
                self._vocabulary = target_vocabulary(self.info) or set()
            known = self._vocabulary
            kept = tuple(tuple(s) for s in found if not known or all(t in known for t in s))
            self._suppressed[key] = kept
        return self._suppressed[key]

    def _groups(self, units: Sequence[_ModelInput]) -> list[list[int]]:
        """Model inputs by what their translations must avoid: ``suppress_sequences``
        holds for a whole ``translate_batch`` call, so an input is batched only with
        inputs that avoid the very same sequences (one sentence's avoided word may be
        another's prescribed one). Inputs that avoid nothing come first, batched as
        they always were; CTranslate2's output does not depend on the batching."""
        groups: dict[tuple[tuple[str, ...], ...], list[int]] = {(): []}
        for k, unit in enumerate(units):
            groups.setdefault(unit.avoid, []).append(k)
        return [groups[key] for key in sorted(groups) if groups[key]]

    def plan(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        max_decoding_length: int | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> Plan:
        """The model batches :meth:`translate` runs for these arguments, without running
        them: a pool of remote translators (:mod:`bilingual.cluster`) runs the very same
        batches, so its output is the same to the byte. Inputs that must avoid
        renderings are batched apart, by what they avoid (:meth:`_groups`)."""
        if target_prefixes is not None and len(target_prefixes) != len(sentences):
            raise ValueError(
                f"{len(target_prefixes)} target prefixes for {len(sentences)} sentences"
            )
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be at least 1")
        if avoid is not None and len(avoid) != len(sentences):
            raise ValueError(f"{len(avoid)} avoid lists for {len(sentences)} sentences")
        beam = max(beam_size or self.decoding.beam_size, num_hypotheses)
        fixed_limit = max_decoding_length or self.decoding.max_decoding_length

        units = self._inputs(sentences, target_prefixes, avoid)
        batches: list[Batch] = []
        for batch in [
            [group[k] for k in part]
            for group in self._groups(units)
            for part in self.batches([len(units[u].tokens) for u in group])
        ]:
            source = [units[u].tokens for u in batch]
            prefixes = [units[u].prefix for u in batch]
            longest_prefix = max(len(p or ()) for p in prefixes)
            limit = fixed_limit or decoding_limit(
                max(units[u].pieces for u in batch) + self.adapter.specials
            )
            options = {
                "target_prefix": prefixes if longest_prefix else None,
                "beam_size": beam,
                "num_hypotheses": num_hypotheses,
                "length_penalty": self.decoding.length_penalty,
                "replace_unknowns": self.decoding.replace_unknowns,
                "return_scores": True,
                "max_input_length": 0,  # inputs are already within max_input_tokens
                "max_decoding_length": limit + longest_prefix,
            }
            if units[batch[0]].avoid:  # the same for the whole batch (see _groups)
                options["suppress_sequences"] = [list(s) for s in units[batch[0]].avoid]
            batches.append(Batch(tuple(batch), source, options))
        return Plan(len(sentences), tuple(u.sentence for u in units), tuple(batches))

    def batches(self, lengths: Sequence[int]) -> list[list[int]]:
        """Indices of model inputs of these token ``lengths`` (as CTranslate2 is given
        them, language tokens included), sorted by length (little padding) and cut into
        batches of ``batch_size`` inputs, or of at most ``batch_size`` tokens
        (``batch_type="tokens"``; :func:`~bilingual.engine.batching.cut`). A decode of
        fewer batches than ``parallel_batches`` is cut into one batch per worker
        (:func:`~bilingual.engine.batching.spread`); the output does not change, as
        CTranslate2's output does not depend on how inputs are batched (tested on both
        test models)."""
        return spread(cut(lengths, self.batch_size, self.batch_type), self.parallel_batches)

    def _decode(self, batches: Sequence[Batch]) -> Iterator[tuple[Batch, list[list[Hypothesis_]]]]:
        """Yield each batch with its hypotheses. With ``parallel_batches`` above
        1 the batches are queued on CTranslate2's workers (``asynchronous=True``), twice
        that many in flight so that no worker waits while results are read; one call per
        batch, so each batch is decoded exactly as :meth:`run_batch` decodes it."""
        if self.parallel_batches == 1:
            for batch in batches:
                yield batch, self.run_batch(batch)
            return
        queued: deque[tuple[Batch, list[Any]]] = deque()
        # longest first, as CTranslate2 orders its own batches: the workers take the queue
        # in turn, and a long batch left to the end would run alone while the others idle
        for batch in sorted(batches, key=lambda b: -max(map(len, b.source), default=0)):
            options = self._clip(dict(batch.options))
            jobs = self.model.translate_batch(list(batch.source), asynchronous=True, **options)
            queued.append((batch, jobs))
            if len(queued) >= 2 * self.parallel_batches:
                yield self._collect(*queued.popleft())
        while queued:
            yield self._collect(*queued.popleft())

    def _collect(self, batch: Batch, jobs: list[Any]) -> tuple[Batch, list[list[Hypothesis_]]]:
        """Wait for a queued batch. One that ran past the model's position table is
        decoded again within it (:meth:`_translate_batch` learns the size)."""
        try:
            results = [job.result() for job in jobs]
        except RuntimeError as exc:
            if _POSITIONS.search(str(exc)) is None:
                raise
            return batch, self.run_batch(batch)
        return batch, self._results(results, self._clip(dict(batch.options)))

    def run_batch(self, batch: Batch) -> list[list[Hypothesis_]]:
        """Decode one planned batch: the hypotheses of each input."""
        results = self._translate_batch(list(batch.source), **batch.options)
        return self._results(results, self._clip(dict(batch.options)))

    # -- scoring

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        """``(sum of log-probabilities, tokens)`` of each target text as the model would
        produce it for its source: the target's pieces and the end token are scored, the
        kind's forced tokens (a language token, argos's prefix) are part of the prefix
        and not, as in :meth:`translate` (so scoring a translation's own text gives its
        ``log_prob`` and ``tokens``, up to sentencepiece's round trip). Each pair is
        scored whole, not split as a long sentence is for :meth:`translate`: a source is
        cut to ``max_input_tokens`` and a target to the model's position table. A blank
        source or target scores ``(0.0, 0)``. One ``score_batch`` call: CTranslate2 cuts
        it into ``batch_size`` batches, sorted by length, on all of its workers."""
        if len(sources) != len(targets):
            raise ValueError(f"{len(targets)} targets for {len(sources)} sources")
        keep = max(1, self.decoding.max_input_tokens - self.adapter.specials)
        forced = self.adapter.prefix(None)
        todo = [
            i
            for i, (s, t) in enumerate(zip(sources, targets, strict=True))
            if s.strip() and t.strip()
        ]
        source = [self.adapter.source(self.tokenize(sources[i].strip())[:keep]) for i in todo]
        target = [forced + self.adapter.encode_target(targets[i].strip()) for i in todo]
        out: list[tuple[float, int]] = [(0.0, 0)] * len(sources)
        for i, result in zip(todo, self._score_batch(source, target) if todo else [], strict=True):
            scored = result.log_probs[len(forced) :]
            out[i] = (float(sum(scored)), len(scored))
        return out

    def _score_batch(self, source: list[list[str]], target: list[list[str]]) -> Any:
        """CTranslate2's score_batch, targets kept within the model's position table."""
        if self._max_positions is not None:
            target = [t[: self._max_positions - 2] for t in target]
        try:
            return self.model.score_batch(
                source,
                target,
                max_batch_size=self.batch_size,
                batch_type=self.batch_type,
                max_input_length=0,
            )
        except RuntimeError as exc:
            found = _POSITIONS.search(str(exc))
            if found is None or self._max_positions is not None:
                raise
            self._max_positions = int(found.group(1))
            return self._score_batch(source, target)
