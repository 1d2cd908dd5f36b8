"""Engine: batching, long input, n-best, target prefixes, on fakes and on the test models.

The tests marked by the ``ar_en`` / ``en_vi`` fixtures run the real code path
(sentencepiece + CTranslate2) on the committed test models and compare with the exact
outputs in ``tests/models/cases.tsv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.config import Settings, resolve_settings
from bilingual.engine import (
    DEFAULT_MAX_INPUT_TOKENS,
    DecodingOptions,
    PackageInfo,
    Translation,
    Translator,
    decoding_limit,
    load_translator,
    open_translator,
    split_long_text,
)
from bilingual.errors import ModelNotInstalledError

MODELS = Path(__file__).resolve().parent / "models"
CASES = MODELS / "cases.tsv"


# every test here runs with the network cut (conftest.no_network)
pytestmark = pytest.mark.usefixtures("no_network")


# --------------------------------------------------------------------------- fakes


class FakeSP:
    """Whitespace 'sentencepiece': one piece per word, ``▁`` marks a word start."""

    def encode(self, text: str, out_type: type = str) -> list[str]:
        return ["▁" + w for w in text.split()]

    def decode_pieces(self, pieces: list[str]) -> str:
        return "".join(pieces).replace("▁", " ").strip()


@dataclass
class FakeResult:
    hypotheses: list[list[str]]
    scores: list[float]


class FakeModel:
    """Echoes the source in upper case (after any target prefix); records every call."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[FakeResult]:
        self.calls.append({"source": source, **kwargs})
        prefixes = kwargs.get("target_prefix") or [None] * len(source)
        out = []
        for tokens, prefix in zip(source, prefixes, strict=True):
            body = [t.upper() for t in tokens]
            hyps = [
                list(prefix or []) + body + ([f"▁alt{k}"] if k else [])
                for k in range(kwargs["num_hypotheses"])
            ]
            out.append(FakeResult(hyps, [-0.1 * (k + 1) for k in range(len(hyps))]))
        return out


def fake_translator(
    batch_size: int = 3, max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS, **kwargs: Any
) -> tuple[Translator, FakeModel]:
    info = PackageInfo("ar", "en", "1.0", "fake", Path("/nonexistent"), 0)
    model = FakeModel()
    translator = Translator(
        info,
        model,
        FakeSP(),
        batch_size=batch_size,
        decoding=DecodingOptions(max_input_tokens=max_input_tokens),
        **kwargs,
    )
    return translator, model


# --------------------------------------------------------------------------- fake-model tests


def test_batches_are_length_sorted_and_results_keep_input_order() -> None:
    translator, model = fake_translator(batch_size=2)
    sentences = ["a b c d", "a", "a b", "", "a b c", "x y z w v"]
    seen: list[int] = []
    results = translator.translate(sentences, progress=seen.append)
    assert [r.text for r in results] == ["A B C D", "A", "A B", "", "A B C", "X Y Z W V"]
    lengths = [len(s) for call in model.calls for s in call["source"]]
    assert lengths == sorted(lengths)
    assert all(len(call["source"]) <= 2 for call in model.calls)
    assert seen == sorted(seen) and seen[-1] == len(sentences)


def test_decoding_options_in_one_place() -> None:
    translator, model = fake_translator()
    translator.translate(["a b c"])
    call = model.calls[0]
    assert (call["beam_size"], call["length_penalty"], call["replace_unknowns"]) == (4, 0.2, True)
    assert call["max_input_length"] == 0  # never truncated by CTranslate2
    assert call["return_scores"] is True


def test_decoding_limit_follows_input_length() -> None:
    translator, model = fake_translator(batch_size=1, source_specials=1)
    translator.translate(["w " * 3, "w " * 100])
    limits = [c["max_decoding_length"] for c in model.calls]
    assert limits == [decoding_limit(4), decoding_limit(101)]
    assert decoding_limit(4) == 22 and decoding_limit(1) == 16 and decoding_limit(101) == 313
    assert all(limit != 256 for limit in limits)


def test_fixed_decoding_length_for_benchmarks() -> None:
    translator, model = fake_translator()
    translator.translate(["w " * 100], max_decoding_length=64)
    assert model.calls[0]["max_decoding_length"] == 64


def test_empty_sentences_never_reach_the_model() -> None:
    translator, model = fake_translator()
    seen: list[int] = []
    results = translator.translate(["", "   ", "\n"], num_hypotheses=3, progress=seen.append)
    assert model.calls == []
    assert [r.text for r in results] == ["", "", ""]
    assert all(r.hypotheses[0].text == "" and r.score == 0.0 for r in results)
    assert seen == [3]
    assert translator.translate([]) == []


def test_target_prefix_is_tokenized_and_applies_per_sentence() -> None:
    translator, model = fake_translator(package_target_prefix="__en__")
    results = translator.translate(["a b", "c d"], target_prefixes=["The big", None])
    prefixes = model.calls[0]["target_prefix"]
    assert prefixes == [["__en__", "▁The", "▁big"], ["__en__"]]
    # the package's language tag is forced but never shown
    assert [r.text for r in results] == ["The big A B", "C D"]
    assert model.calls[0]["max_decoding_length"] == decoding_limit(2) + 3


def test_nbest_distinct_best_first() -> None:
    translator, model = fake_translator()
    (result,) = translator.translate(["a b"], num_hypotheses=3)
    assert [h.text for h in result.hypotheses] == ["A B", "A B alt1", "A B alt2"]
    assert model.calls[0]["beam_size"] == 4
    (wide,) = translator.translate(["a b"], num_hypotheses=6)
    assert model.calls[-1]["beam_size"] == 6  # beam widened to give 6 hypotheses
    assert len(wide.hypotheses) == 6


def test_mismatched_prefixes_are_a_bug() -> None:
    translator, _ = fake_translator()
    with pytest.raises(ValueError, match="2 target prefixes for 1"):
        translator.translate(["a"], target_prefixes=["x", "y"])


def test_long_sentence_split_at_clauses_and_joined() -> None:
    translator, model = fake_translator(batch_size=100, max_input_tokens=10)
    clauses = [f"w{i} " + "x " * 5 for i in range(6)]
    sentence = "، ".join(c.strip() for c in clauses)
    (result,) = translator.translate([sentence])
    assert all(len(s) <= 10 for call in model.calls for s in call["source"])
    assert result.text.split() == sentence.upper().split()
    assert re.findall(r"W\d", result.text) == [f"W{i}" for i in range(6)]


def test_split_piece_gets_prefix_only_at_start() -> None:
    translator, model = fake_translator(batch_size=100, max_input_tokens=4)
    (result,) = translator.translate(["a b c, d e f, g h i"], target_prefixes=["Zed"])
    assert result.text == "Zed A B C, D E F, G H I"
    prefixes = [p for call in model.calls for p in call["target_prefix"]]
    assert prefixes.count(["▁Zed"]) == 1 and prefixes.count(None) == 2


# --------------------------------------------------------------------------- splitting


def _count_chars(text: str) -> int:
    return len("".join(text.split()))


def _split_chars(limit: int) -> Any:
    def split(text: str) -> list[str]:
        flat = "".join(text.split())
        return [flat[i : i + limit] for i in range(0, len(flat), limit)]

    return split


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="ابتث123xyz", min_size=1, max_size=30), min_size=1, max_size=40
    ),
    seps=st.lists(st.sampled_from([" ", "، ", "،", ", ", "; ", " : ", "  "]), min_size=40),
    limit=st.integers(min_value=3, max_value=40),
)
def test_split_long_text_keeps_everything_within_limit(
    words: list[str], seps: list[str], limit: int
) -> None:
    text = "".join(w + s for w, s in zip(words, seps, strict=False)).strip()
    pieces = split_long_text(text, _count_chars, limit, _split_chars(limit))
    assert all(_count_chars(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_split_prefers_clause_boundaries() -> None:
    text = "one two three، four five six، seven eight nine"
    pieces = split_long_text(text, lambda t: len(t.split()), 6, lambda t: [t])
    assert pieces == ["one two three، four five six،", "seven eight nine"]
    assert split_long_text("3,000 people", lambda t: len(t), 7, lambda t: [t[:7], t[7:]]) == [
        "3,000",
        "people",
    ]


# --------------------------------------------------------------------------- real test models


def _require(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is missing: build it with tools/build_test_models.py")


def _cases(pair: str) -> list[tuple[str, str]]:
    if not CASES.is_file():
        return []
    with CASES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(src, exp) for p, src, exp in rows[1:] if p == pair]


def ar_en_settings(translator: Translator) -> Settings:
    """Settings of the home a translator's package is installed in."""
    return resolve_settings({}, home=translator.info.path.parents[1], threads=2)


@pytest.fixture(scope="module")
def ar_en(models_home: Path) -> Translator:
    _require(MODELS / "translate-ar_en-test.argosmodel")
    return open_translator(resolve_settings({}, home=models_home, threads=2), "ar", "en")


@pytest.fixture(scope="module")
def en_vi(models_home: Path) -> Translator:
    _require(MODELS / "translate-en_vi-test.argosmodel")
    return open_translator(resolve_settings({}, home=models_home, threads=2), "en", "vi")


@pytest.fixture(scope="module")
def translated(ar_en: Translator, en_vi: Translator) -> dict[str, list[Translation]]:
    """All cases of each pair translated in one call (as a run does)."""
    return {
        "ar-en": ar_en.translate([s for s, _ in _cases("ar-en")]),
        "en-vi": en_vi.translate([s for s, _ in _cases("en-vi")]),
    }


def test_cases_file_has_enough_cases() -> None:
    _require(CASES)
    assert len(_cases("ar-en")) + len(_cases("en-vi")) >= 20


@pytest.mark.parametrize("pair", ["ar-en", "en-vi"])
def test_cases_exact(pair: str, translated: dict[str, list[Translation]]) -> None:
    cases = _cases(pair)
    assert cases, f"no {pair} cases in {CASES}"
    got = [t.text for t in translated[pair]]
    wrong = [(s, e, g) for (s, e), g in zip(cases, got, strict=True) if e != g]
    assert not wrong, "\n".join(f"{s}\n  expected {e}\n  got      {g}" for s, e, g in wrong)
    assert all(t.score < 0 for t in translated[pair])  # log-probabilities


def test_package_info_and_eos(ar_en: Translator) -> None:
    assert ar_en.info.pair == "ar->en"
    text = _cases("ar-en")[0][0]
    # the test models' config.json has add_source_eos: CTranslate2 appends </s> itself,
    # and the engine counts it towards the input limit
    assert ar_en.count_tokens(text) == len(ar_en.tokenize(text)) + 1


def test_underscores_survive_detokenization(ar_en: Translator) -> None:
    assert ar_en.detokenize(ar_en.tokenize("UN_DOC_2027 a_b")) == "UN_DOC_2027 a_b"


@settings(max_examples=8, deadline=None)
@given(order=st.permutations(list(range(8))), batch=st.sampled_from([1, 3, 32]))
def test_order_and_batching_do_not_change_results(
    ar_en: Translator, order: list[int], batch: int
) -> None:
    cases = _cases("ar-en")[:8]
    saved = ar_en.batch_size
    ar_en.batch_size = batch
    try:
        results = ar_en.translate([cases[i][0] for i in order])
    finally:
        ar_en.batch_size = saved
    assert [r.text for r in results] == [cases[i][1] for i in order]


def test_nbest_real(ar_en: Translator) -> None:
    source, expected = _cases("ar-en")[0]
    (result,) = ar_en.translate([source], num_hypotheses=4)
    texts = [h.text for h in result.hypotheses]
    assert texts[0] == expected == result.text
    assert len(texts) >= 2 and len(set(texts)) == len(texts)
    scores = [h.score for h in result.hypotheses]
    assert scores == sorted(scores, reverse=True)


def test_target_prefix_real(ar_en: Translator) -> None:
    cases = _cases("ar-en")
    (src_a, exp_a), (src_b, exp_b) = cases[0], cases[1]
    # force sentence a to start like some other sentence's translation
    other = next(e for _, e in cases if e.split()[0] != exp_a.split()[0])
    prefix = " ".join(other.split()[:2])
    results = ar_en.translate([src_a, src_b], target_prefixes=[prefix, None])
    assert results[0].text.startswith(prefix)
    assert results[1].text == exp_b
    (again,) = ar_en.translate([src_a], target_prefixes=[" ".join(exp_a.split()[:2])])
    assert again.text == exp_a  # a prefix the model agrees with changes nothing


def test_long_paragraph_comes_back_whole(ar_en: Translator) -> None:
    """A ~1,500-token paragraph with no full stop: split at Arabic commas, nothing lost.

    The test model was trained on short sentences only, so it is opened with a small
    ``max_input_tokens`` (one clause per piece); real packages use the default 250. The
    markers are numbers this model copies when their clause is translated alone.
    """
    template = "وقع ممثلو ما يقرب من {n} دولة على الخطة"  # "Representatives of nearly N ..."
    translator = load_translator(ar_en_settings(ar_en), ar_en.info, max_input_tokens=40)
    candidates = [f"{n:,}" for n in range(10123, 99999, 211)]
    clauses = [template.format(n=m) + "،" for m in candidates]
    alone = translator.translate(clauses)
    number = re.compile(r"\d+,\d+")
    markers = [m for m, t in zip(candidates, alone, strict=True) if number.findall(t.text) == [m]]
    parts: list[str] = []
    while translator.count_tokens(" ".join(parts)) < 1500:
        parts.append(template.format(n=markers[len(parts)]))
    paragraph = "، ".join(parts)  # Arabic commas, no full stop anywhere
    assert ar_en.count_tokens(paragraph) >= 1500
    pieces = translator.split_for_model(paragraph)
    assert len(pieces) == len(parts)
    assert all(translator.count_tokens(p) <= 40 for p in pieces)

    (result,) = translator.translate([paragraph])
    assert number.findall(result.text) == markers[: len(parts)]
    # the default limit splits the same paragraph into fewer, longer pieces
    default_pieces = ar_en.split_for_model(paragraph)
    assert 6 <= len(default_pieces) < len(pieces)
    assert all(ar_en.count_tokens(p) <= DEFAULT_MAX_INPUT_TOKENS for p in default_pieces)


def test_missing_pair_names_pair_and_command(tmp_path: Path) -> None:
    settings_: Settings = resolve_settings({}, home=tmp_path)
    with pytest.raises(ModelNotInstalledError) as err:
        open_translator(settings_, "ar", "en")
    assert "ar->en" in str(err.value)
    assert "bilingual models install ar en" in str(err.value)


def test_decoding_limit_stays_within_position_table() -> None:
    """A model with 20 positions: the limit is learnt from CTranslate2's error, then kept."""
    translator, model = fake_translator(batch_size=1)
    real = model.translate_batch

    def limited(source: list[list[str]], **kwargs: Any) -> list[FakeResult]:
        if kwargs["max_decoding_length"] >= 20:
            raise RuntimeError("No position encodings are defined for positions >= 20, but got 20")
        return real(source, **kwargs)

    model.translate_batch = limited  # type: ignore[method-assign]
    results = translator.translate(["a b c d e f", "a b c d e f g h"])
    assert [r.text for r in results] == ["A B C D E F", "A B C D E F G H"]
    assert [c["max_decoding_length"] for c in model.calls] == [19, 19]


# --------------------------------------------------------------------------- parallel batches


@dataclass
class FakeJob:
    """What CTranslate2's ``asynchronous=True`` returns per input: ``result()`` waits."""

    model: AsyncFakeModel
    result_: FakeResult | None
    error: RuntimeError | None = None

    def result(self) -> FakeResult:
        self.model.waited += 1
        if self.error is not None:
            raise self.error
        assert self.result_ is not None
        return self.result_


class AsyncFakeModel(FakeModel):
    """FakeModel that also takes ``asynchronous=True``; records how many batches were
    queued before the first result was waited for."""

    def __init__(self) -> None:
        super().__init__()
        self.waited = 0
        self.queued_before_first_wait: int | None = None
        self.positions: int | None = None

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        if not kwargs.pop("asynchronous", False):
            if self.positions is not None and kwargs["max_decoding_length"] >= self.positions:
                raise RuntimeError(f"positions >= {self.positions}, but got more")
            return super().translate_batch(source, **kwargs)
        if self.waited == 0:
            self.queued_before_first_wait = len(self.calls) + 1
        error = None
        if self.positions is not None and kwargs["max_decoding_length"] >= self.positions:
            error = RuntimeError(f"positions >= {self.positions}, but got more")
        results = super().translate_batch(source, **kwargs)
        self.calls[-1]["asynchronous"] = True
        return [FakeJob(self, r, error) for r in results]


def async_translator(parallel: int, batch_size: int = 2) -> tuple[Translator, AsyncFakeModel]:
    info = PackageInfo("ar", "en", "1.0", "fake", Path("/nonexistent"), 0)
    model = AsyncFakeModel()
    translator = Translator(info, model, FakeSP(), batch_size=batch_size, parallel_batches=parallel)
    return translator, model


SENTENCES = ["a b c d", "a", "a b", "", "a b c", "x y z w v", "q", "r s", "t u v w x y"]


def test_parallel_batches_are_queued_together_and_keep_input_order() -> None:
    serial, serial_model = async_translator(1)
    parallel, model = async_translator(2)
    seen: list[int] = []
    expected = serial.translate(SENTENCES, num_hypotheses=2, target_prefixes=["Zed"] + [None] * 8)
    got = parallel.translate(
        SENTENCES, num_hypotheses=2, target_prefixes=["Zed"] + [None] * 8, progress=seen.append
    )
    assert got == expected
    assert [r.text for r in got][:3] == ["Zed A B C D", "A", "A B"]
    # the same batches, with the same options, only queued instead of one at a time, and
    # the longest first (a long batch left to the end would run while the other worker idles)
    strip = [{k: v for k, v in c.items() if k != "asynchronous"} for c in model.calls]
    assert sorted(strip, key=repr) == sorted(serial_model.calls, key=repr)
    longest = [max(map(len, c["source"])) for c in model.calls]
    assert longest == sorted(longest, reverse=True) and longest != longest[::-1]
    assert all(c.get("asynchronous") for c in model.calls)
    assert not any(c.get("asynchronous") for c in serial_model.calls)
    assert model.queued_before_first_wait == 4  # two batches per worker in flight
    assert seen == sorted(seen) and seen[-1] == len(SENTENCES)


def test_parallel_batch_past_the_position_table_is_decoded_again() -> None:
    translator, model = async_translator(2, batch_size=1)
    model.positions = 20
    results = translator.translate(["a b c d e f", "a b c d e f g h", "a"])
    assert [r.text for r in results] == ["A B C D E F", "A B C D E F G H", "A"]
    assert all(c["max_decoding_length"] <= 19 for c in model.calls[-2:])


def test_token_batches_hold_at_most_batch_size_tokens() -> None:
    translator, model = fake_translator(batch_size=5, batch_type="tokens")
    sentences = ["a b c", "a", "a b", "a b c d e f g", "a b"]
    results = translator.translate(sentences)
    assert [r.text for r in results] == [s.upper() for s in sentences]
    sizes = [[len(s) for s in call["source"]] for call in model.calls]
    # longest first, and a batch counts its padding (inputs x longest), as CTranslate2's
    # own token batching does: 2 x 3 > 5 puts the 2s apart from the 3, 3 x 2 > 5 the 1
    assert sizes == [[7], [3], [2, 2], [1]]
    assert all(len(batch) * max(batch) <= 5 or len(batch) == 1 for batch in sizes)
    with pytest.raises(ValueError, match="batch_type"):
        fake_translator(batch_type="sentences")


def test_loaded_translator_uses_the_split(models_home: Path) -> None:
    _require(MODELS / "translate-ar_en-test.argosmodel")
    auto = open_translator(resolve_settings({}, home=models_home, threads=2), "ar", "en")
    assert (auto.parallel_batches, auto.model.num_translators) == (2, 2)
    env = {"BILINGUAL_INTER_THREADS": "1"}
    pinned = open_translator(resolve_settings(env, home=models_home, threads=2), "ar", "en")
    assert (pinned.parallel_batches, pinned.model.num_translators) == (1, 1)


def test_parallel_batches_give_the_same_output_as_serial(models_home: Path) -> None:
    """Real CTranslate2 workers: inter_threads 2 gives what 1 gives, in order, to the
    last digit of the score (both with one intra-op thread per batch)."""
    _require(MODELS / "translate-ar_en-test.argosmodel")
    _require(MODELS / "translate-en_vi-test.argosmodel")
    for source, target in (("ar", "en"), ("en", "vi")):
        cases = _cases(f"{source}-{target}")
        sentences = [s for s, _ in cases] * 3  # many batches of 3: both workers busy
        prefixes = [None, cases[0][1].split()[0]] * (len(sentences) // 2) + [None] * (
            len(sentences) % 2
        )
        outputs = []
        for inter, threads in ((1, 1), (2, 2)):
            settings_ = resolve_settings(
                {}, home=models_home, threads=threads, inter_threads=inter, batch_size=3
            )
            translator = open_translator(settings_, source, target)
            assert (translator.parallel_batches, translator.batch_size) == (inter, 3)
            outputs.append(
                translator.translate(sentences, num_hypotheses=2, target_prefixes=prefixes)
            )
        assert outputs[0] == outputs[1]
        assert [t.text for t in outputs[1][: len(cases)]][::2] == [e for _, e in cases][::2]
