"""Engine: translate batches of sentences with an installed argos package.

Uses ctranslate2 and sentencepiece directly (never argostranslate.translate), so there
is no MiniSBD download, no lost sentence boundary, no ``_`` turned into a space and no
silent 256-token cut.

Speed: every sentence of a run goes to the model in one :meth:`Translator.translate`
call, sorted by length into batches (little padding), on a model loaded once; with
``inter_threads`` above 1 (:func:`bilingual.config.thread_split`) several batches are
queued at once, one per CTranslate2 worker, and the output stays the same. Long input:
a sentence longer than ``max_input_tokens`` is split at clause boundaries (then spaces,
then plain token chunks), the pieces are translated and joined with a space, and the
decoding limit grows with the input, so nothing is ever cut off silently.
"""

from __future__ import annotations

import json
import math
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.models import PackageInfo, find_package, package_reading

if TYPE_CHECKING:
    from bilingual.config import Settings


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float


@dataclass(frozen=True)
class Translation:
    """The result for one input sentence."""

    text: str
    """Best hypothesis, detokenised (== hypotheses[0].text)."""
    score: float
    hypotheses: tuple[Hypothesis, ...]
    """n-best list, best first; length 1 unless n-best was asked for."""


# --------------------------------------------------------------------------- decoding settings

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


# --------------------------------------------------------------------------- long input

# Clause breaks, strongest first. Arabic comma and semicolon break even without a
# following space (scraped text often omits it); Latin marks need one, so "3,000" and
# "10:30" stay whole.
_BREAKS = (
    re.compile(r"(?<=[،؛])\s*|(?<=[:,;.!?؟…])\s+"),
    re.compile(r"\s+"),
)


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-blank stretches of ``text`` between matches of ``pattern``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start and text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = max(start, match.end())
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _pack(counts: list[int], limit: int) -> list[tuple[int, int]]:
    """Group consecutive parts into runs of at most ``limit`` tokens, of similar size.

    Returns ``(first, last_exclusive)`` index ranges. Aims at ``ceil(total / limit)``
    runs of about equal length rather than filling each run to the brim.
    """
    total = sum(counts)
    target = total / max(2, math.ceil(total / limit))
    runs: list[tuple[int, int]] = []
    first, size = 0, 0
    for i, count in enumerate(counts):
        if i > first and (size + count > limit or size >= target):
            runs.append((first, i))
            first, size = i, 0
        size += count
    runs.append((first, len(counts)))
    return runs


def split_long_text(
    text: str,
    count: Callable[[str], int],
    limit: int,
    split_tokens: Callable[[str], list[str]],
    level: int = 0,
) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` tokens (as ``count`` measures).

    Tries clause punctuation, then whitespace; a piece that still has no break (one
    enormous "word") is cut by ``split_tokens``. Joining the pieces with spaces gives
    back every non-space character of ``text`` in order.
    """
    if count(text) <= limit:
        return [text]
    while level < len(_BREAKS):
        spans = _spans(text, _BREAKS[level])
        if len(spans) > 1:
            runs = _pack([count(text[a:b]) for a, b in spans], limit)
            if len(runs) > 1:
                pieces: list[str] = []
                for first, last in runs:
                    chunk = text[spans[first][0] : spans[last - 1][1]]
                    pieces.extend(split_long_text(chunk, count, limit, split_tokens, level))
                return pieces
        level += 1
    return split_tokens(text)


# --------------------------------------------------------------------------- translator


@dataclass(frozen=True)
class _ModelInput:
    """One model input: a sentence or one piece of a long sentence."""

    sentence: int
    tokens: list[str]
    prefix: list[str] | None


class Translator:
    """An argos package loaded for translation: one CTranslate2 model, loaded once."""

    def __init__(
        self,
        info: PackageInfo,
        model: Any,
        tokenizer: Any,
        *,
        batch_size: int = 32,
        decoding: DecodingOptions | None = None,
        package_target_prefix: str = "",
        source_specials: int = 0,
        test_model: bool = False,
        batch_type: str = "examples",
        parallel_batches: int = 1,
    ) -> None:
        """Prefer :func:`open_translator`. ``model`` is a ``ctranslate2.Translator`` and
        ``tokenizer`` a ``sentencepiece.SentencePieceProcessor``; ``package_target_prefix``
        is the metadata ``target_prefix`` token (e.g. a language tag) argos forces first;
        ``source_specials`` counts the bos/eos tokens CTranslate2 adds to every source;
        ``test_model``: the package declares itself a test model (:func:`is_test_model`);
        ``batch_type`` ``"tokens"`` makes ``batch_size`` count source tokens, not inputs;
        ``parallel_batches`` batches (the model's ``inter_threads``) go to the model at
        once, so that each of its workers has one."""
        if batch_type not in ("examples", "tokens"):
            raise ValueError(f"batch_type {batch_type!r} is not 'examples' or 'tokens'")
        self.info = info
        self.test_model = test_model
        """Its output is not a real translation: the run says so on the console and in
        every briefing."""
        self.decoding = decoding or DecodingOptions()
        self.batch_size = batch_size
        self.batch_type = batch_type
        self.parallel_batches = max(1, parallel_batches)
        self.model = model
        """The loaded ``ctranslate2.Translator``; a wrapper may replace it (to count tokens)."""
        self._sp = tokenizer
        self._package_prefix = package_target_prefix
        self._source_specials = source_specials
        self._max_positions: int | None = None

    # -- tokens

    def tokenize(self, text: str) -> list[str]:
        """Sentencepiece pieces of ``text``, as the model sees them (without bos/eos)."""
        pieces: list[str] = self._sp.encode(text, out_type=str)
        return pieces

    def count_tokens(self, text: str) -> int:
        """Model input length of ``text``, including the bos/eos the model adds."""
        return len(self.tokenize(text)) + self._source_specials

    def detokenize(self, pieces: Sequence[str]) -> str:
        """Text of target pieces: sentencepiece's own decoder, so "_" stays "_" (argos's
        decode turns it into a space)."""
        text: str = self._sp.decode_pieces(list(pieces))
        # a piece the vocabulary lacks (a source piece copied by replace_unknowns) comes
        # back verbatim, word-boundary mark included
        return text.replace("\u2581", " ").strip()

    def _split_by_tokens(self, text: str) -> list[str]:
        size = max(1, self.decoding.max_input_tokens - self._source_specials)
        pieces = self.tokenize(text)
        return [self.detokenize(pieces[i : i + size]) for i in range(0, len(pieces), size)]

    def split_for_model(self, text: str) -> list[str]:
        """``text`` whole, or in clause pieces that each fit ``max_input_tokens``."""
        return split_long_text(
            text, self.count_tokens, self.decoding.max_input_tokens, self._split_by_tokens
        )

    def _prefix_tokens(self, prefix: str | None) -> list[str] | None:
        tokens = [self._package_prefix] if self._package_prefix else []
        if prefix:
            tokens += self.tokenize(prefix)
        return tokens or None

    def _hypotheses(self, result: Any) -> list[tuple[str, float, int]]:
        """``(text, score, n_tokens)`` for each hypothesis of one CTranslate2 result."""
        out = []
        for tokens, score in zip(result.hypotheses, result.scores, strict=True):
            if self._package_prefix and tokens and tokens[0] == self._package_prefix:
                tokens = tokens[1:]
            out.append((self.detokenize(tokens), float(score), len(tokens)))
        return out

    # -- translation

    def _translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        """CTranslate2's translate_batch, kept within the model's position table.

        Models store position encodings for a fixed number of positions (512 for
        converted Marian models, 5000 for OpenNMT-py ones) and CTranslate2 fails past the
        end; the size is learnt from that error once and the batch decoded again.
        """
        if self._max_positions is not None:
            options["max_decoding_length"] = min(
                options["max_decoding_length"], self._max_positions - 1
            )
        try:
            return self.model.translate_batch(source, **options)
        except RuntimeError as exc:
            found = re.search(r"positions >= (\d+)", str(exc))
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
    ) -> list[Translation]:
        """Translate ``sentences``: one :class:`Translation` per input, in input order.

        ``target_prefixes[i]`` (target-language text) forces the start of sentence i's
        translation (of its first piece, when it is split). ``progress`` receives the
        number of sentences finished so far after each batch. ``max_decoding_length``
        fixes the decoding limit instead of letting it follow the input (benchmarks).
        A sentence split into pieces gets the pieces' translations joined with a space,
        and the pieces' scores averaged, weighted by their output lengths.
        """
        plan = self.plan(
            sentences,
            num_hypotheses=num_hypotheses,
            target_prefixes=target_prefixes,
            beam_size=beam_size,
            max_decoding_length=max_decoding_length,
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

    def plan(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        max_decoding_length: int | None = None,
    ) -> Plan:
        """The model batches :meth:`translate` runs for these arguments, without running
        them: a pool of remote translators (:mod:`bilingual.cluster`) runs the very same
        batches, so its output is the same to the byte."""
        if target_prefixes is not None and len(target_prefixes) != len(sentences):
            raise ValueError(
                f"{len(target_prefixes)} target prefixes for {len(sentences)} sentences"
            )
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be at least 1")
        beam = max(beam_size or self.decoding.beam_size, num_hypotheses)
        fixed_limit = max_decoding_length or self.decoding.max_decoding_length

        units: list[_ModelInput] = []
        for i, sentence in enumerate(sentences):
            if not sentence.strip():
                continue
            prefix = target_prefixes[i] if target_prefixes is not None else None
            for j, piece in enumerate(self.split_for_model(sentence.strip())):
                prefix_tokens = self._prefix_tokens(prefix if j == 0 else None)
                units.append(_ModelInput(i, self.tokenize(piece), prefix_tokens))

        batches: list[Batch] = []
        for batch in self.batches([len(u.tokens) for u in units]):
            source = [units[u].tokens for u in batch]
            prefixes = [units[u].prefix for u in batch]
            longest_prefix = max(len(p or ()) for p in prefixes)
            limit = fixed_limit or decoding_limit(
                max(len(s) for s in source) + self._source_specials
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
            batches.append(Batch(tuple(batch), source, options))
        return Plan(len(sentences), tuple(u.sentence for u in units), tuple(batches))

    def batches(self, lengths: Sequence[int]) -> list[list[int]]:
        """Indices of model inputs of these token ``lengths``, sorted by length (little
        padding) and cut into batches of ``batch_size`` inputs, or of at most
        ``batch_size`` tokens (``batch_type="tokens"``, counted as CTranslate2 does; a
        longer input is a batch of its own). They never depend on ``parallel_batches``:
        the same batches, so the same output, on any number of workers."""
        if self.batch_type == "examples":
            order = sorted(range(len(lengths)), key=lambda i: lengths[i])
            return [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        # As CTranslate2's own token batching (batch_reader.cc): longest first, and a batch
        # counts its padding (inputs x longest input), since every row is decoded to the
        # batch's length; summing the unpadded lengths packed more rows per batch and cost
        # 1.4x the CPU time (bench/threads.py).
        batches: list[list[int]] = []
        for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
            if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= self.batch_size:
                batches[-1].append(i)
            else:
                batches.append([i])
        return batches

    def _decode(self, batches: Sequence[Batch]) -> Iterator[tuple[Batch, list[list[Hypothesis_]]]]:
        """Yield each batch with its hypotheses, in order. With ``parallel_batches`` above
        1 the batches are queued on CTranslate2's workers (``asynchronous=True``), twice
        that many in flight so that no worker waits while results are read; one call per
        batch, so each batch is decoded exactly as :meth:`run_batch` decodes it."""
        if self.parallel_batches == 1:
            for batch in batches:
                yield batch, self.run_batch(batch)
            return
        queued: deque[tuple[Batch, list[Any]]] = deque()
        for batch in batches:
            options = dict(batch.options)
            if self._max_positions is not None:
                options["max_decoding_length"] = min(
                    options["max_decoding_length"], self._max_positions - 1
                )
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
            if re.search(r"positions >= (\d+)", str(exc)) is None:
                raise
            return batch, self.run_batch(batch)
        return batch, [self._hypotheses(result) for result in results]

    def run_batch(self, batch: Batch) -> list[list[Hypothesis_]]:
        """Decode one planned batch: ``(text, score, n_tokens)`` hypotheses per input."""
        results = self._translate_batch(list(batch.source), **batch.options)
        return [self._hypotheses(result) for result in results]


Hypothesis_ = tuple[str, float, int]
"""One hypothesis of one model input: detokenised text, score, target tokens."""


@dataclass(frozen=True)
class Batch:
    """One CTranslate2 call of a plan: which model inputs, their tokens, the options."""

    units: tuple[int, ...]
    source: list[list[str]]
    options: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What :meth:`Translator.translate` will decode: the model inputs (a sentence, or a
    piece of a long one), in batches sorted by length."""

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
            per_sentence[sentence].append(list(hyps))
        return [_combine(pieces) for pieces in per_sentence]


def _combine(pieces: list[list[tuple[str, float, int]]]) -> Translation:
    """One Translation from the n-best lists of a sentence's pieces (in order)."""
    if not pieces:
        empty = Hypothesis("", 0.0)
        return Translation(text="", score=0.0, hypotheses=(empty,))
    hypotheses: list[Hypothesis] = []
    seen: set[str] = set()
    for k in range(min(len(p) for p in pieces)):
        parts = [p[k] for p in pieces]
        text = " ".join(t for t, _, _ in parts if t)
        weights = [max(1, n) for _, _, n in parts]
        score = sum(s * w for (_, s, _), w in zip(parts, weights, strict=True)) / sum(weights)
        if text not in seen:  # different pieces can detokenise to the same text
            seen.add(text)
            hypotheses.append(Hypothesis(text, score))
    best = hypotheses[0]
    return Translation(text=best.text, score=best.score, hypotheses=tuple(hypotheses))


# --------------------------------------------------------------------------- loading


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        from bilingual.errors import ModelError

        raise ModelError(
            f"cannot read {path.name}: {exc}",
            where=str(path),
            fix="reinstall the package with `bilingual models install FILE.argosmodel`",
        ) from None
    return data if isinstance(data, dict) else {}


TEST_MODEL_KEY = "test_model"
"""``metadata.json`` of a test package holds ``"bilingual": {"test_model": true}``."""


def is_test_model(metadata: Mapping[str, Any]) -> bool:
    """Whether a package's ``metadata.json`` declares it a test model (not a real
    translation model). Only the JSON value ``true`` counts; ``false``, anything else or
    no key is a real model. argos itself ignores the ``bilingual`` key."""
    ours = metadata.get("bilingual")
    return isinstance(ours, Mapping) and ours.get(TEST_MODEL_KEY) is True


def load_translator(
    settings: Settings,
    info: PackageInfo,
    *,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
    compute_type: str = "default",
) -> Translator:
    """Load an installed package (see :func:`open_translator`)."""
    import ctranslate2
    import sentencepiece

    from bilingual.errors import ModelError

    model_dir = info.path / "model"
    # CTranslate2 itself adds the bos/eos that model/config.json asks for
    # (add_source_bos / add_source_eos); they only count towards the input length here.
    config = _read_json(model_dir / "config.json")
    specials = int(bool(config.get("add_source_bos"))) + int(bool(config.get("add_source_eos")))
    metadata = _read_json(info.path / "metadata.json")
    from bilingual.config import thread_split

    inter, intra = thread_split(settings.threads, settings.inter_threads, settings.device)
    try:
        # "default" keeps the weights' own type (float32 stays float32); "auto" could
        # quantize to int8 and change the output.
        model = ctranslate2.Translator(
            str(model_dir),
            device=settings.device,
            inter_threads=inter,
            intra_threads=intra,
            compute_type=compute_type,
        )
        tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(info.path / "sentencepiece.model")
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"cannot load the {info.pair} model: {exc}",
            where=str(info.path),
            fix="reinstall the package with `bilingual models install FILE.argosmodel`",
        ) from None
    return Translator(
        info,
        model,
        tokenizer,
        batch_size=settings.batch_size,
        decoding=DecodingOptions(beam_size=settings.beam_size, max_input_tokens=max_input_tokens),
        package_target_prefix=str(metadata.get("target_prefix") or ""),
        source_specials=specials,
        test_model=is_test_model(metadata),
        parallel_batches=inter,
    )


def open_translator(
    settings: Settings,
    from_code: str,
    to_code: str,
    *,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
    compute_type: str = "default",
) -> Translator:
    """Find the installed package for a pair and load it, once, for a whole run.

    Raises :class:`~bilingual.errors.ModelNotInstalledError` (with the install commands)
    when no package is installed for the pair.
    """
    with package_reading(settings):  # an install waits: the files loaded are one package
        return load_translator(
            settings,
            find_package(settings, from_code, to_code),
            max_input_tokens=max_input_tokens,
            compute_type=compute_type,
        )
