"""Engine adapters: each model kind's tokens (argos, Marian, M2M-100, NLLB), the bad
packages, scoring for confidence, and small decodes spread over the workers.

The kinds' token handling is checked on a double of ``ctranslate2.Translator`` that
records what it is given, and on real CTranslate2 models: the committed argos test
model rewritten as a package of each kind, with byte tokens of its vocabulary
(``<0x01>``...) standing in for language tokens.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bilingual.config import resolve_settings
from bilingual.engine import (
    Adapter,
    DecodingOptions,
    PackageInfo,
    Translator,
    load_translator,
    log_prob_of,
    make_adapter,
    open_translator,
)
from bilingual.errors import ModelError
from bilingual.models.card import ModelCard, read_card

MODELS = Path(__file__).resolve().parent / "models"
AR_EN = MODELS / "translate-ar_en-test.argosmodel"
CASES = MODELS / "cases.tsv"

pytestmark = pytest.mark.usefixtures("no_network")


# --------------------------------------------------------------------------- doubles


class FakeSP:
    """Whitespace 'sentencepiece': one piece per word, ``▁`` marks a word start."""

    def __init__(self, mark: str = "") -> None:
        self.mark = mark  # tells the source tokenizer from the target one

    def encode(self, text: str, out_type: type = str) -> list[str]:
        return ["▁" + self.mark + w for w in text.split()]

    def decode_pieces(self, pieces: list[str]) -> str:
        return "".join(pieces).replace("▁", " ").replace(self.mark, "").strip()


@dataclass
class FakeResult:
    hypotheses: list[list[str]]
    scores: list[float]


class RecordingModel:
    """Records each call; answers with the prefix, then the source's text pieces in
    upper case, then a stray language token (which must never reach the text)."""

    def __init__(self, stray: str = "") -> None:
        self.calls: list[dict[str, Any]] = []
        self.stray = stray

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[FakeResult]:
        self.calls.append({"source": source, **kwargs})
        prefixes = kwargs.get("target_prefix") or [None] * len(source)
        out = []
        for tokens, prefix in zip(source, prefixes, strict=True):
            body = [t.upper() for t in tokens if t.startswith("▁")]
            hyp = list(prefix or []) + body + ([self.stray] if self.stray else [])
            out.append(FakeResult([hyp], [-0.5]))
        return out


def fake(adapter: Adapter, **kwargs: Any) -> tuple[Translator, RecordingModel]:
    info = PackageInfo("ar", "vi", "1.0", "fake", Path("/nonexistent"), 0)
    model = RecordingModel(stray=kwargs.pop("stray", ""))
    return Translator(info, model, adapter=adapter, **kwargs), model


SRC, TGT = FakeSP(), FakeSP("t")
KINDS: dict[str, Adapter] = {
    "argos": Adapter("argos", SRC, SRC, target_prefix=("__tag__",), added=1),
    "marian": Adapter(
        "marian", SRC, TGT, source_prefix=(">>vie<<",), source_suffix=("</s>",),
        hidden=frozenset({">>vie<<", ">>eng<<"}),
    ),
    "m2m100": Adapter(
        "m2m100", SRC, TGT, source_prefix=("__ar__",), source_suffix=("</s>",),
        target_prefix=("__vi__",), hidden=frozenset({"__ar__", "__vi__"}),
    ),
    "nllb": Adapter(
        "nllb", SRC, TGT, source_prefix=("arb_Arab",), source_suffix=("</s>",),
        target_prefix=("vie_Latn",), hidden=frozenset({"arb_Arab", "vie_Latn"}),
    ),
}  # fmt: skip


# --------------------------------------------------------------------------- token handling


def test_argos_keeps_its_tokens_as_before() -> None:
    translator, model = fake(KINDS["argos"])
    (result,) = translator.translate(["a b"])
    assert model.calls[0]["source"] == [["▁a", "▁b"]]  # CTranslate2 adds the eos itself
    assert model.calls[0]["target_prefix"] == [["__tag__"]]
    assert result.text == "A B"
    assert translator.count_tokens("a b") == 3


def test_marian_puts_the_target_token_first_in_the_source() -> None:
    translator, model = fake(KINDS["marian"], stray=">>vie<<")
    (result,) = translator.translate(["a b"], target_prefixes=["Zed"])
    assert model.calls[0]["source"] == [[">>vie<<", "▁a", "▁b", "</s>"]]
    # no forced token of its own: the prefix is the target text, by the target tokenizer
    assert model.calls[0]["target_prefix"] == [["▁tZed"]]
    assert result.text == "Zed A B"
    assert ">>" not in result.text


@pytest.mark.parametrize(
    ("kind", "src", "tgt"), [("m2m100", "__ar__", "__vi__"), ("nllb", "arb_Arab", "vie_Latn")]
)
def test_source_and_target_tokens(kind: str, src: str, tgt: str) -> None:
    translator, model = fake(KINDS[kind], stray=tgt)
    results = translator.translate(["a b", "c"], target_prefixes=["Zed", None])
    call = model.calls[0]
    assert sorted(call["source"], key=len) == [[src, "▁c", "</s>"], [src, "▁a", "▁b", "</s>"]]
    # the ladder's prefix repair keeps the target token first: token + the prefix pieces
    assert sorted(call["target_prefix"], key=len) == [[tgt], [tgt, "▁tZed"]]
    assert [r.text for r in results] == ["Zed A B", "C"]
    assert all(src not in r.text and tgt not in r.text for r in results)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_language_tokens_count_towards_input_and_limit(kind: str) -> None:
    adapter = KINDS[kind]
    translator, model = fake(adapter, batch_size=1)
    translator.translate(["a b c d"])
    specials = len(adapter.source_prefix) + len(adapter.source_suffix) + adapter.added
    assert translator.count_tokens("a b c d") == 4 + specials
    call = model.calls[0]
    forced = len(adapter.target_prefix)
    assert call["max_decoding_length"] == max(16, 3 * (4 + specials) + 10) + forced


def test_long_input_split_counts_the_language_tokens() -> None:
    adapter = KINDS["m2m100"]  # 3 specials per input
    translator, model = fake(adapter, batch_size=8, decoding=DecodingOptions(max_input_tokens=6))
    (result,) = translator.translate(["a b c, d e f, g h i"])
    assert all(len(s) <= 6 for s in model.calls[0]["source"])
    assert result.text == "A B C, D E F, G H I"


def test_token_batches_count_the_special_tokens() -> None:
    translator, model = fake(KINDS["nllb"], batch_size=10, batch_type="tokens")
    translator.translate(["a", "b", "c", "d e f"])
    # each one-word input is 3 tokens (arb_Arab, the word, </s>): 3 of them are 9 <= 10;
    # "d e f" is 5 tokens, a batch of its own (2 x 5 = 10 fits, but 3 x 3 > 10 - 5...)
    sizes = [[len(s) for s in c["source"]] for c in model.calls]
    assert all(len(b) * max(b) <= 10 for b in sizes)
    assert sorted(n for b in sizes for n in b) == [3, 3, 3, 5]


# --------------------------------------------------------------------------- packages


def _cases(pair: str) -> list[tuple[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(src, exp) for p, src, exp in rows[1:] if p == pair]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not AR_EN.is_file():
        pytest.skip(f"{AR_EN} is missing: build it with tools/build_test_models.py")
    root = tmp_path_factory.mktemp("argos")
    with zipfile.ZipFile(AR_EN) as archive:
        archive.extractall(root)
    (folder,) = [p for p in root.iterdir() if p.is_dir()]
    return folder


TOKENS = {"ar": "<0x01>", "en": "<0x02>", "vi": "<0x03>"}
"""Byte tokens the test model's vocabulary has, standing in for language tokens."""


def package(unpacked: Path, where: Path, card: dict[str, Any]) -> PackageInfo:
    """The test model as a package of another kind: ``card`` is its "bilingual" object."""
    folder = where / f"pkg-{card.get('kind', 'argos')}"
    shutil.copytree(unpacked, folder)
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    metadata["bilingual"] = {"test_model": True, **card}
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    for name in {card.get("source_tokenizer"), card.get("target_tokenizer")} - {None}:
        if not (folder / str(name)).exists():
            shutil.copy(folder / "sentencepiece.model", folder / str(name))
    return PackageInfo("ar", "en", "0.1.0", folder.name, folder, 0, read_card(metadata))


CARDS: dict[str, dict[str, Any]] = {
    "marian": {
        "kind": "marian", "pairs": [["ar", "en"], ["ar", "vi"]],
        "source_tokenizer": "source.spm", "target_tokenizer": "target.spm",
        "language_tokens": {"en": TOKENS["en"], "vi": TOKENS["vi"]},
    },
    "m2m100": {"kind": "m2m100", "pairs": [["ar", "en"], ["ar", "vi"]], "language_tokens": TOKENS},
    "nllb": {"kind": "nllb", "pairs": [["ar", "en"]], "language_tokens": TOKENS},
}  # fmt: skip


def _settings(tmp_path: Path) -> Any:
    return resolve_settings({}, home=tmp_path, threads=1)


@pytest.mark.parametrize("kind", sorted(CARDS))
def test_real_model_of_each_kind(kind: str, unpacked: Path, tmp_path: Path) -> None:
    info = package(unpacked, tmp_path, CARDS[kind])
    translator = load_translator(_settings(tmp_path), info, source="ar", target="en")
    adapter = translator.adapter
    assert adapter.kind == kind
    # the test model's config has add_source_eos: CTranslate2 adds </s>, the adapter not
    assert adapter.source_suffix == () and adapter.added == 1
    if kind == "marian":
        assert (adapter.source_prefix, adapter.target_prefix) == (("<0x02>",), ())
        assert adapter.source_sp is not adapter.target_sp  # source.spm, target.spm
    else:
        assert (adapter.source_prefix, adapter.target_prefix) == (("<0x01>",), ("<0x02>",))
    sources = [s for s, _ in _cases("ar-en")[:4]]
    results = translator.translate(sources)
    assert all(r.text and "<0x" not in r.text for r in results)
    assert all(r.tokens > 0 and r.log_prob < 0 for r in results)
    # scoring the model's own output gives its decode's values: the forced language
    # token is in the prefix of both, and scored by neither
    scored = translator.score(sources, [r.text for r in results])
    assert [n for _, n in scored] == [r.tokens for r in results]
    expected = [r.log_prob for r in results]
    assert [lp for lp, _ in scored] == pytest.approx(expected, rel=1e-3, abs=5e-4)


def test_a_direction_is_opened_with_its_own_tokens(unpacked: Path, tmp_path: Path) -> None:
    info = package(unpacked, tmp_path, CARDS["m2m100"])
    translator = load_translator(_settings(tmp_path), info, source="ar", target="vi")
    assert translator.direction == ("ar", "vi")
    assert translator.adapter.target_prefix == ("<0x03>",)


def test_unknown_kind(unpacked: Path, tmp_path: Path) -> None:
    info = package(unpacked, tmp_path, {"kind": "fairseq-lstm"})
    with pytest.raises(ModelError, match="unknown model kind 'fairseq-lstm'") as err:
        make_adapter(info)
    assert str(info.path) in str(err.value)


def test_missing_tokenizer(unpacked: Path, tmp_path: Path) -> None:
    info = package(unpacked, tmp_path, dict(CARDS["marian"]))
    (info.path / "target.spm").unlink()
    with pytest.raises(ModelError, match=r"no tokenizer file target\.spm") as err:
        make_adapter(info, "ar", "en")
    assert str(info.path) in str(err.value)


def test_language_token_not_in_the_vocabulary(unpacked: Path, tmp_path: Path) -> None:
    card = {**CARDS["m2m100"], "language_tokens": {**TOKENS, "en": "__en__"}}
    info = package(unpacked, tmp_path, card)
    with pytest.raises(ModelError, match="vocabulary has no token __en__") as err:
        make_adapter(info, "ar", "en")
    assert str(info.path / "model") in str(err.value)


def test_language_token_missing_from_the_card(unpacked: Path, tmp_path: Path) -> None:
    card = {**CARDS["nllb"], "language_tokens": {"ar": TOKENS["ar"]}}
    info = package(unpacked, tmp_path, card)
    with pytest.raises(ModelError, match="no language token for target 'en'"):
        make_adapter(info, "ar", "en")


def test_direction_not_served(unpacked: Path, tmp_path: Path) -> None:
    info = package(unpacked, tmp_path, CARDS["nllb"])
    with pytest.raises(ModelError, match=r"does not translate en->ar \(it serves ar->en\)") as err:
        make_adapter(info, "en", "ar")
    assert str(info.path) in str(err.value)


def test_argos_card_defaults(unpacked: Path) -> None:
    info = PackageInfo("ar", "en", "0.1.0", "x", unpacked, 0, ModelCard(pairs=(("ar", "en"),)))
    adapter = make_adapter(info)
    assert (adapter.kind, adapter.source_prefix, adapter.source_suffix) == ("argos", (), ())
    assert adapter.source_sp is adapter.target_sp and adapter.added == 1


# --------------------------------------------------------------------------- scoring


@pytest.fixture(scope="module")
def ar_en(models_home: Path) -> Translator:
    if not AR_EN.is_file():
        pytest.skip(f"{AR_EN} is missing")
    return open_translator(resolve_settings({}, home=models_home, threads=1), "ar", "en")


@pytest.mark.parametrize("length_penalty", [0.2, 1.0])
def test_log_prob_recovered_from_the_score(ar_en: Translator, length_penalty: float) -> None:
    """CTranslate2's score, un-normalised, is score_batch's sum over the chosen tokens."""
    source = [ar_en.tokenize(s) for s, _ in _cases("ar-en")[:6]]
    prefixes = [None, None, None, ["▁Th"], ["▁Th", "e"], None]
    results = ar_en.model.translate_batch(
        source, target_prefix=prefixes, beam_size=4, length_penalty=length_penalty,
        return_scores=True, max_input_length=0,
    )  # fmt: skip
    scored = ar_en.model.score_batch(source, [r.hypotheses[0] for r in results])
    for result, exact, prefix in zip(results, scored, prefixes, strict=True):
        forced = len(prefix or ())
        tokens, log_prob = log_prob_of(
            result.scores[0], len(result.hypotheses[0]), forced, length_penalty
        )
        assert tokens == len(exact.log_probs) - forced
        # float32 roundings differ between the decode and score_batch (by ~1e-6 here);
        # leaving out the end token from the length would be off by ~1%
        assert log_prob == pytest.approx(sum(exact.log_probs[forced:]), rel=2e-3, abs=1e-5)


def test_score_of_the_models_own_output_is_its_decode_score(ar_en: Translator) -> None:
    sources = [s for s, _ in _cases("ar-en")]
    results = ar_en.translate(sources)
    scored = ar_en.score(sources, [r.text for r in results])
    assert len(scored) == len(sources)
    same = 0
    for result, (log_prob, tokens) in zip(results, scored, strict=True):
        assert log_prob < 0 and tokens > 0
        if tokens == result.tokens:  # the text re-tokenised to the very same pieces
            same += 1
            # the test model is near-certain (log-probs of -0.01): float32 noise between a
            # batched beam search and score_batch (a few 1e-5 per token) is all that differs
            assert log_prob == pytest.approx(result.log_prob, rel=1e-3, abs=5e-4)
    assert same >= len(sources) // 2
    # a worse translation scores lower
    (worse,) = ar_en.score(sources[:1], ["Beijing Beijing Beijing"])
    assert worse[0] < scored[0][0]


def test_score_keeps_input_order_across_batches(ar_en: Translator) -> None:
    sources = [s for s, _ in _cases("ar-en")[:6]]
    targets = [t for _, t in _cases("ar-en")[:6]]
    one = [ar_en.score([s], [t])[0] for s, t in zip(sources, targets, strict=True)]
    saved = ar_en.batch_size
    ar_en.batch_size = 4
    try:
        together = ar_en.score(sources[::-1], targets[::-1])[::-1]
    finally:
        ar_en.batch_size = saved
    assert [n for _, n in together] == [n for _, n in one]
    assert [lp for lp, _ in together] == pytest.approx([lp for lp, _ in one], abs=1e-4)
    blank = ar_en.score(["", sources[0], " "], ["x", targets[0], targets[1]])
    assert blank == [(0.0, 0), one[0], (0.0, 0)]
    with pytest.raises(ValueError, match="targets"):
        ar_en.score(sources, targets[:2])


def test_split_sentence_sums_tokens_and_log_probs() -> None:
    class Scoring(RecordingModel):
        def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[FakeResult]:
            out = super().translate_batch(source, **kwargs)
            for r in out:  # score -1 per chosen token, normalised as CTranslate2 does
                n = len(r.hypotheses[0])
                r.scores = [-(n + 1) / (n + 1) ** kwargs["length_penalty"]]
            return out

    translator = Translator(
        PackageInfo("ar", "en", "1.0", "fake", Path("/nonexistent"), 0),
        Scoring(),
        adapter=KINDS["argos"],
        decoding=DecodingOptions(max_input_tokens=5),
    )
    (result,) = translator.translate(["a b c, d e f, g h"])
    pieces = translator.split_for_model("a b c, d e f, g h")
    assert len(pieces) > 1
    # each piece: its words + the end token chosen, the forced __tag__ not
    words = sum(len(p.split()) for p in pieces)
    assert result.tokens == words + len(pieces)
    assert result.log_prob == pytest.approx(-(words + 2 * len(pieces)))


# --------------------------------------------------------------------------- small runs


def test_small_decode_gives_each_worker_a_batch() -> None:
    adapter = KINDS["argos"]
    serial = fake(adapter, batch_size=32)[0]
    parallel = fake(adapter, batch_size=32, parallel_batches=2)[0]
    assert serial.batches([3, 1, 2, 4]) == [[1, 2, 0, 3]]
    assert parallel.batches([3, 1, 2, 4]) == [[1, 2], [0, 3]]  # length-sorted halves
    # enough batches already, or nothing to cut: as before
    assert parallel.batches(list(range(1, 70))) == serial.batches(list(range(1, 70)))
    assert parallel.batches([5]) == [[0]]
    tokens = fake(adapter, batch_size=10, batch_type="tokens", parallel_batches=3)[0]
    assert tokens.batches([3, 3, 2, 1]) == [[0, 1], [2], [3]]


def test_small_decode_output_is_the_same_on_real_workers(models_home: Path) -> None:
    if not AR_EN.is_file():
        pytest.skip(f"{AR_EN} is missing")
    sentences = [s for s, _ in _cases("ar-en")[:5]]
    outputs = []
    for inter in (1, 2):
        settings = resolve_settings({}, home=models_home, threads=2, inter_threads=inter)
        translator = open_translator(settings, "ar", "en")
        assert len(translator.plan(sentences).batches) == inter
        outputs.append(translator.translate(sentences, num_hypotheses=2))
    assert [r.text for r in outputs[0]] == [r.text for r in outputs[1]]
    assert [h.text for r in outputs[0] for h in r.hypotheses] == [
        h.text for r in outputs[1] for h in r.hypotheses
    ]
