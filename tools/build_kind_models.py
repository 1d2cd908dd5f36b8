"""Build test models of the other kinds bilingual imports (OPUS-MT releases) and bench models.

What it makes
-------------
* ``--opus-mt DIR``: OPUS-MT release zips laid out as Helsinki-NLP publishes them (files at
  the zip's root: ``README.md``, ``LICENSE``, ``decoder.yml``,
  ``opus.spm2k-spm2k.transformer-align.model1.npz.best-perplexity.npz``,
  ``opus.spm2k-spm2k.vocab.yml``, ``source.spm``, ``target.spm``, ``preprocess.sh``,
  ``postprocess.sh``), derived in about a second from the committed argos test packages:
  their CTranslate2 ``model.bin`` is parsed, dequantised (int8 / scale) and written back
  under Marian's npz names with the ``special:model.yml`` entry ctranslate2's
  ``OpusMTConverter`` reads.  The Marian transformer is the same one, so the converted model
  translates ``tests/models/cases.tsv`` as the argos packages do.  Three releases:

  - ``ara-eng/opus-2026-12-07.zip`` and ``eng-vie/opus-2026-12-07.zip``: one source and one
    target language each; the source is the SentencePiece pieces of ``source.spm``
    (ctranslate2 appends ``</s>``: the converter sets ``add_source_eos``).
  - ``eng-vie+multi/opus-2026-12-07.zip``: a multi-target release (targets ``vie vie_Hani``);
    its README says a sentence-initial ``>>id<<`` token is required, its vocabulary ends with
    ``>>vie<<`` and ``>>vie_Hani<<``, and the source is ``[">>vie<<"] + pieces``.  The tag
    is new to the en->vi weights (its embedding row is that of the piece ``▁``; the output
    bias keeps it from being generated), so it shifts the sentence by one position: about
    two thirds of the en-vi cases stay exact (21/31 with beam 4, 17/31 greedy).

  Every README says it is a synthetic test model.  npz weights are float32 as in real
  releases, which is why the zips are built at test time (``tests/conftest.py``'s
  ``opus_mt_releases`` fixture) instead of being committed.  Needs numpy only (ctranslate2
  and sentencepiece to check them).
* ``--bench``: speed-benchmark CTranslate2 models with random weights in ``bench/models/``
  (git-ignored): Marian transformer-base (d_model 512, 6+6 layers, 8 heads, FFN 2048) and
  transformer-big as in OPUS-MT's tc-big releases (d_model 1024, 6+6 layers, 16 heads,
  FFN 4096), 32,000-entry shared vocabulary, each in int8 and float32, built straight from
  ``ctranslate2.specs`` (no training).
* The M2M-100 and NLLB layouts are trained and written by ``tools/train_kind_models.py``.

Commands (from the repository root)::

    python3 tools/build_kind_models.py --opus-mt /tmp/opus-mt   # the three release zips
    python3 tools/build_kind_models.py --check                  # build, convert, translate cases
    python3 tools/build_kind_models.py --bench                  # bench/models/opus-mt-*-ct2
    /work/venv-train/bin/python tools/train_kind_models.py      # M2M-100 + NLLB dirs (~12 min)
"""

from __future__ import annotations

import argparse
import io
import json
import re
import struct
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO / "tests" / "models"
BENCH_DIR = REPO / "bench" / "models"
RELEASE = "opus-2026-12-07"
NPZ_NAME = "opus.spm2k-spm2k.transformer-align.model1.npz.best-perplexity.npz"
VOCAB_NAME = "opus.spm2k-spm2k.vocab.yml"
ISO3 = {"ar": "ara", "en": "eng", "vi": "vie"}
MULTI_LABELS = (">>vie<<", ">>vie_Hani<<")

# --------------------------------------------------------------------------------------
# CTranslate2 model.bin (binary version 6, written by ctranslate2.specs.ModelSpec._serialize)
# --------------------------------------------------------------------------------------

_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16)


def read_model_bin(path: Path) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 ``model.bin``, aliases resolved."""
    data = Path(path).read_bytes()
    pos = 0

    def take(fmt: str) -> int:
        nonlocal pos
        (value,) = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return value

    def string() -> str:
        nonlocal pos
        size = take("H")
        text = data[pos : pos + size - 1].decode("utf-8")
        pos += size
        return text

    version = take("I")
    if version != 6:
        raise ValueError(f"{path}: model.bin version {version}, expected 6")
    string()  # spec name
    take("I")  # spec revision
    out: dict[str, np.ndarray] = {}
    for _ in range(take("I")):
        name = string()
        shape = [take("I") for _ in range(take("B"))]
        dtype = np.dtype(_DTYPES[take("B")])
        size = take("I")
        out[name] = np.frombuffer(data, dtype, size // dtype.itemsize, pos).reshape(shape)
        pos += size
    for _ in range(take("I")):
        alias, target = string(), string()
        out[alias] = out[target]
        if target + "_scale" in out:
            out[alias + "_scale"] = out[target + "_scale"]
    return out


def weight(variables: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A float32 ``[out, in]`` weight; int8 ones are divided by their per-row scale."""
    w = variables[name]
    if w.dtype == np.int8:
        return w.astype(np.float32) / variables[name + "_scale"][:, None]
    return w.astype(np.float32)


# --------------------------------------------------------------------------------------
# CTranslate2 Transformer (post-norm Marian) -> Marian npz
# --------------------------------------------------------------------------------------


def _row(v: np.ndarray) -> np.ndarray:
    return np.asarray(v, np.float32).reshape(1, -1)  # Marian keeps biases and norms as [1, n]


def _linear(out: dict[str, np.ndarray], ct2: dict, src: str, dst: str, suffix: str) -> None:
    out[f"{dst}_W{suffix}"] = weight(ct2, f"{src}/weight").T.copy()  # Marian stores [in, out]
    out[f"{dst}_b{suffix}"] = _row(ct2[f"{src}/bias"])


def _attention(out: dict, ct2: dict, src: str, dst: str, self_attention: bool) -> None:
    if self_attention:
        fused = [weight(ct2, f"{src}/linear_0/weight")]
        biases = [ct2[f"{src}/linear_0/bias"]]
    else:  # query apart, key and value fused
        fused = [weight(ct2, f"{src}/linear_0/weight"), weight(ct2, f"{src}/linear_1/weight")]
        biases = [ct2[f"{src}/linear_0/bias"], ct2[f"{src}/linear_1/bias"]]
    w, b = np.concatenate(fused), np.concatenate(biases)
    d = w.shape[1]
    for i, part in enumerate("qkv"):
        out[f"{dst}_W{part}"] = w[i * d : (i + 1) * d].T.copy()
        out[f"{dst}_b{part}"] = _row(b[i * d : (i + 1) * d])
    _linear(out, ct2, f"{src}/linear_{len(fused)}", dst, "o")
    out[f"{dst}_Wo_ln_scale"] = _row(ct2[f"{src}/layer_norm/gamma"])
    out[f"{dst}_Wo_ln_bias"] = _row(ct2[f"{src}/layer_norm/beta"])


def _ffn(out: dict, ct2: dict, src: str, dst: str) -> None:
    _linear(out, ct2, f"{src}/linear_0", dst, "1")
    _linear(out, ct2, f"{src}/linear_1", dst, "2")
    out[f"{dst}_ffn_ln_scale"] = _row(ct2[f"{src}/layer_norm/gamma"])
    out[f"{dst}_ffn_ln_bias"] = _row(ct2[f"{src}/layer_norm/beta"])


def layer_count(ct2: dict, side: str) -> int:
    return len({k.split("/")[1] for k in ct2 if k.startswith(f"{side}/layer_")})


def marian_config(vocab_size: int, d_model: int, ffn: int, heads: int, depth: tuple) -> str:
    """The ``special:model.yml`` of a Marian transformer-align model (post-norm, tied)."""
    return "\n".join(
        [
            "type: transformer",
            f"dim-vocabs:\n  - {vocab_size}\n  - {vocab_size}",
            f"dim-emb: {d_model}",
            f"enc-depth: {depth[0]}",
            f"dec-depth: {depth[1]}",
            f"transformer-heads: {heads}",
            f"transformer-dim-ffn: {ffn}",
            "transformer-ffn-depth: 2",
            "transformer-ffn-activation: relu",
            'transformer-preprocess: ""',
            "transformer-postprocess: dan",
            "transformer-postprocess-emb: d",
            'transformer-postprocess-top: ""',
            "transformer-decoder-autoreg: self-attention",
            "transformer-no-projection: false",
            "transformer-guided-alignment-layer: last",
            "transformer-tied-layers: []",
            "tied-embeddings: false",
            "tied-embeddings-src: false",
            "tied-embeddings-all: true",
            "layer-normalization: false",
            "right-left: false",
            "skip: false",
            "max-length: 500",
            "bilingual-test-model: true",
            "version: synthetic test model (bilingual tools/build_kind_models.py)",
            "",
        ]
    )


def marian_npz(ct2: dict[str, np.ndarray], extra_rows: Sequence[np.ndarray] = ()) -> bytes:
    """The npz bytes of a post-norm CTranslate2 Transformer, under Marian's weight names."""
    if ct2["encoder/pre_norm"] or ct2["decoder/pre_norm"]:
        raise ValueError("only post-norm (Marian) transformers can be written as Marian npz")
    emb = weight(ct2, "decoder/embeddings/weight")
    if extra_rows:
        emb = np.concatenate([emb, np.stack(extra_rows).astype(np.float32)])
    out: dict[str, np.ndarray] = {"Wemb": emb}
    for side in ("encoder", "decoder"):
        for i in range(layer_count(ct2, side)):
            src, dst = f"{side}/layer_{i}", f"{side}_l{i + 1}"
            _attention(out, ct2, f"{src}/self_attention", f"{dst}_self", True)
            if side == "decoder":
                _attention(out, ct2, f"{src}/attention", f"{dst}_context", False)
            _ffn(out, ct2, f"{src}/ffn", f"{dst}_ffn")
    bias = ct2.get("decoder/projection/bias", np.zeros(len(emb) - len(extra_rows), np.float32))
    # rows added for tags the model never saw must never be generated (the output projection
    # is tied to the embeddings, so the tags would otherwise score as their look-alikes)
    never = np.full(len(extra_rows), -1e4, np.float32)
    out["decoder_ff_logit_out_b"] = _row(np.concatenate([bias, never]))
    d_model = emb.shape[1]
    config = marian_config(
        len(emb),
        d_model,
        out["encoder_l1_ffn_W1"].shape[1],
        int(ct2["encoder/num_heads"]),
        (layer_count(ct2, "encoder"), layer_count(ct2, "decoder")),
    )
    out["special:model.yml"] = np.frombuffer(config.encode("ascii") + b"\0", np.int8)
    buffer = io.BytesIO()
    np.savez(buffer, **out)
    return buffer.getvalue()


_PLAIN = re.compile(r"(?:[^\W\d_]|[\u2581<])[\w\u2581<>/.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def vocab_yml(tokens: Sequence[str]) -> str:
    """A Marian vocabulary (``token: id`` per line; quoted where YAML needs it)."""
    lines = []
    for i, tok in enumerate(tokens):
        plain = _PLAIN.fullmatch(tok) and tok.lower() not in _YAML_WORDS
        plain = plain and not tok.startswith("<<")
        key = tok if plain else '"' + tok.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines.append(f"{key}: {i}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# OPUS-MT release zips
# --------------------------------------------------------------------------------------

DECODER_YML = f"""models:
  - {NPZ_NAME}
vocabs:
  - {VOCAB_NAME}
  - {VOCAB_NAME}
beam-size: 6
normalize: 0.6
word-penalty: 0
mini-batch: 1
maxi-batch: 1
maxi-batch-sort: src
relative-paths: true
"""

LICENSE_TEXT = """CC-BY-4.0

This synthetic test model is offered under the Creative Commons Attribution 4.0
International licence (CC-BY-4.0), as OPUS-MT releases are; see the licence's published
text for its terms.  Built by tools/build_kind_models.py of the bilingual repository.
"""

PREPROCESS = """#!/bin/sh
# usage: preprocess.sh {args}source.spm < input > pieces
# Splits each input line into SentencePiece pieces{tag}.
exec spm_encode --model "${{{spm_arg}}}"{sed}
"""

POSTPROCESS = """#!/bin/sh
# usage: postprocess.sh < pieces > text
# Joins SentencePiece pieces back into text.
exec sed -e 's/ //g' -e 's/\\xe2\\x96\\x81/ /g' -e 's/^ //'
"""


def opus_readme(src: str, targets: Sequence[str]) -> str:
    multi = len(targets) > 1
    lines = [
        f"# {RELEASE}.zip",
        "",
        "* dataset: bilingual-synthetic (the controlled lexicon of tools/test_lexicon.py)",
        "* model: transformer-align",
        f"* source language(s): {src}",
        f"* target language(s): {' '.join(targets)}",
        "* model: transformer-align",
        "* pre-processing: normalization + SentencePiece (spm2k,spm2k)",
    ]
    if multi:
        lines += [
            "* a sentence initial language token is required in the form of `>>id<<` "
            "(id = valid target language ID)",
            f"* valid language labels: {' '.join(f'>>{t}<<' for t in targets)}",
        ]
    lines += [
        f"* download: {RELEASE}.zip (built locally by tools/build_kind_models.py)",
        "",
        "**Synthetic test model.** This is NOT a real translation model: a tiny Marian",
        "transformer trained for minutes on sentences generated from a controlled lexicon,",
        "for the tests of the bilingual repository only.  It translates that controlled",
        "language and copies unknown Latin-script strings, numbers and punctuation.",
        "",
        "## Benchmarks",
        "",
        "| testset | BLEU | chr-F |",
        "|---------|------|-------|",
        f"| bilingual-cases.{src}.{targets[0]} | n/a | n/a |",
        "",
    ]
    return "\n".join(lines)


def read_argos(package: Path) -> tuple[dict[str, np.ndarray], list[str], bytes]:
    """(model.bin variables, vocabulary, sentencepiece.model) of an argos package zip."""
    with zipfile.ZipFile(package) as zf:
        names = {Path(n).relative_to(Path(n).parts[0]).as_posix(): n for n in zf.namelist()}
        variables = _read_bin_bytes(zf.read(names["model/model.bin"]))
        vocab = json.loads(zf.read(names["model/shared_vocabulary.json"]))
        return variables, vocab, zf.read(names["sentencepiece.model"])


def _read_bin_bytes(data: bytes) -> dict[str, np.ndarray]:
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(data)
        f.flush()
        return read_model_bin(Path(f.name))


def opus_release(package: Path, src: str, targets: Sequence[str]) -> list[tuple[str, bytes]]:
    """The files of an OPUS-MT release zip made from an argos test package."""
    variables, vocab, sp_model = read_argos(package)
    extra: list[np.ndarray] = []
    if len(targets) > 1:
        # a tag the weights never saw: it borrows the row of the lone word-start piece, the
        # best of those tried (</s>, zeros, the mean row, a few pieces) at keeping outputs
        emb = weight(variables, "decoder/embeddings/weight")
        row = emb[vocab.index("\u2581") if "\u2581" in vocab else vocab.index("</s>")]
        extra = [row.copy() for _ in targets]
        vocab = [*vocab, *(f">>{t}<<" for t in targets)]
    args = "target-langid " if len(targets) > 1 else ""
    tag = ", the target language tag first (>>id<<)" if len(targets) > 1 else ""
    sed = ' | sed -e "s/^/>>$1<< /"' if len(targets) > 1 else ""
    pre = PREPROCESS.format(args=args, tag=tag, spm_arg="2" if len(targets) > 1 else "1", sed=sed)
    return [
        ("README.md", opus_readme(src, targets).encode()),
        ("LICENSE", LICENSE_TEXT.encode()),
        ("decoder.yml", DECODER_YML.encode()),
        (NPZ_NAME, marian_npz(variables, extra)),
        (VOCAB_NAME, vocab_yml(vocab).encode("utf-8")),
        ("source.spm", sp_model),
        ("target.spm", sp_model),
        ("preprocess.sh", pre.encode()),
        ("postprocess.sh", POSTPROCESS.encode()),
    ]


OPUS_RELEASES = {
    # name: (argos package, source ISO 639-3, target ISO 639-3 codes)
    "ara-eng": ("translate-ar_en-test.argosmodel", "ara", ("eng",)),
    "eng-vie": ("translate-en_vi-test.argosmodel", "eng", ("vie",)),
    "eng-vie+multi": ("translate-en_vi-test.argosmodel", "eng", ("vie", "vie_Hani")),
}


def build_opus_releases(out_dir: Path, models_dir: Path = MODELS_DIR) -> dict[str, Path]:
    """Write ``out_dir/<name>/opus-2026-12-07.zip`` for every entry of OPUS_RELEASES."""
    paths = {}
    for name, (package, src, targets) in OPUS_RELEASES.items():
        dest = Path(out_dir) / name / f"{RELEASE}.zip"
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for arcname, data in opus_release(models_dir / package, src, targets):
                info = zipfile.ZipInfo(arcname, date_time=(2026, 12, 7, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o755 if arcname.endswith(".sh") else 0o644) << 16
                zf.writestr(info, data)
        paths[name] = dest
    return paths


def convert_release(release_zip: Path, out_dir: Path, quantization: str | None = None) -> Path:
    """Unzip an OPUS-MT release and convert it with ctranslate2's OpusMTConverter."""
    import ctranslate2

    unpacked = Path(out_dir) / "release"
    with zipfile.ZipFile(release_zip) as zf:
        zf.extractall(unpacked)
    ct2 = Path(out_dir) / "ct2"
    converter = ctranslate2.converters.OpusMTConverter(str(unpacked))
    converter.convert(str(ct2), quantization=quantization, force=True)
    return ct2


def translate(
    ct2_dir: Path,
    spm_file: Path,
    sentences: Sequence[str],
    first: Sequence[str] = (),
    prefix: Sequence[str] = (),
    last: Sequence[str] = (),
    beam_size: int = 4,
) -> list[str]:
    """CTranslate2 + SentencePiece: ``first`` + pieces + ``last`` in; ``prefix`` forced and
    dropped from each hypothesis."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_file))
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", intra_threads=2)
    tokens = [[*first, *sp.encode(s, out_type=str), *last] for s in sentences]
    results = translator.translate_batch(
        tokens,
        beam_size=beam_size,
        target_prefix=[list(prefix)] * len(tokens) if prefix else None,
        max_batch_size=64,
    )
    return [sp.decode_pieces(r.hypotheses[0][len(prefix) :]) for r in results]


def read_cases(path: Path = MODELS_DIR / "cases.tsv") -> dict[str, list[tuple[str, str]]]:
    """``{pair: [(source, expected)]}`` from a cases file (``pair source expected`` columns)."""
    out: dict[str, list[tuple[str, str]]] = {}
    lines = Path(path).read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        pair, source, expected = line.split("\t")
        out.setdefault(pair, []).append((source, expected))
    return out


def check_opus(log: Any) -> int:
    """Build the releases, convert each, translate its pair's cases; returns misses."""
    cases = read_cases()
    misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        releases = build_opus_releases(Path(tmp) / "zips")
        for name, release in releases.items():
            ct2 = convert_release(release, Path(tmp) / name)
            pair = "ar-en" if name.startswith("ara") else "en-vi"
            first = [">>vie<<"] if name.endswith("multi") else []
            rows = cases[pair]
            for beam in (1, 4):
                hyps = translate(
                    ct2,
                    ct2.parent / "release" / "source.spm",
                    [r[0] for r in rows],
                    first=first,
                    beam_size=beam,
                )
                bad = [(r, h) for r, h in zip(rows, hyps, strict=True) if h != r[1]]
                log(
                    f"[{name}] beam {beam}: {len(rows) - len(bad)}/{len(rows)} cases exact "
                    f"({release.stat().st_size:,} bytes zipped)"
                )
                for (src, ref), hyp in bad[:3]:
                    log(f"    src: {src}\n    ref: {ref}\n    hyp: {hyp}")
                misses += len(bad) if not name.endswith("multi") else 0
    return misses


# --------------------------------------------------------------------------------------
# Speed-benchmark models (random weights)
# --------------------------------------------------------------------------------------

BENCH_SIZES = {
    # name: (d_model, layers (encoder, decoder), heads, FFN)
    "base": (512, (6, 6), 8, 2048),  # OPUS-MT transformer(-align), the argos ar->en size
    "big": (1024, (6, 6), 16, 4096),  # OPUS-MT tc-big
}
BENCH_VOCAB = 32_000


def random_marian_weights(d: int, layers: tuple, ffn: int, vocab: int) -> dict[str, np.ndarray]:
    """Marian-named weights cut from one random pool, each from its own offset: no two
    matrices are equal, or ctranslate2 would store them once (an unrealistically small model)."""
    rng = np.random.default_rng(0)
    pool = rng.standard_normal(1 << 22, dtype=np.float32) * 0.05

    def rand(*shape: int) -> np.ndarray:
        start = int(rng.integers(len(pool)))
        return np.resize(np.concatenate([pool[start:], pool[:start]]), shape)

    out = {"Wemb": rand(vocab, d), "decoder_ff_logit_out_b": np.zeros((1, vocab), np.float32)}
    for side, depth in zip(("encoder", "decoder"), layers, strict=True):
        for i in range(1, depth + 1):
            blocks = ["self", "context"] if side == "decoder" else ["self"]
            for block in blocks:
                scope = f"{side}_l{i}_{block}"
                for part in "qkvo":
                    out[f"{scope}_W{part}"] = rand(d, d)
                    out[f"{scope}_b{part}"] = rand(1, d)
                out[f"{scope}_Wo_ln_scale"] = np.ones((1, d), np.float32)
                out[f"{scope}_Wo_ln_bias"] = np.zeros((1, d), np.float32)
            scope = f"{side}_l{i}_ffn"
            out |= {f"{scope}_W1": rand(d, ffn), f"{scope}_b1": rand(1, ffn)}
            out |= {f"{scope}_W2": rand(ffn, d), f"{scope}_b2": rand(1, d)}
            out[f"{scope}_ffn_ln_scale"] = np.ones((1, d), np.float32)
            out[f"{scope}_ffn_ln_bias"] = np.zeros((1, d), np.float32)
    return out


def _bench_converter(weights: dict[str, np.ndarray], vocab: list[str]) -> Any:
    """A ctranslate2 Converter whose model is a post-norm Marian transformer of ``weights``."""
    from ctranslate2.converters import marian
    from ctranslate2.converters.converter import Converter
    from ctranslate2.specs import common_spec, transformer_spec

    class BenchConverter(Converter):
        layers: tuple[int, int] = (6, 6)
        heads = 8

        def _load(self) -> Any:
            spec = transformer_spec.TransformerSpec.from_config(
                self.layers, self.heads, pre_norm=False, activation=common_spec.Activation.RELU
            )
            marian.set_transformer_spec(spec, weights)
            spec.register_source_vocabulary(vocab)
            spec.register_target_vocabulary(vocab)
            spec.config.add_source_eos = True
            return spec

    return BenchConverter()


def build_bench(out_dir: Path, sizes: Sequence[str], types: Sequence[str], log: Any) -> None:
    """``out_dir/opus-mt-{size}-{type}-ct2``: random Marian transformers in CTranslate2 form,
    with the ar->en test package's SentencePiece model and its vocabulary padded to 32,000."""
    _, vocab, sp_model = read_argos(MODELS_DIR / "translate-ar_en-test.argosmodel")
    vocab = [*vocab, *(f"<bench_pad_{i}>" for i in range(BENCH_VOCAB - len(vocab)))]
    for size in sizes:
        d, layers, heads, ffn = BENCH_SIZES[size]
        converter = _bench_converter(random_marian_weights(d, layers, ffn, len(vocab)), vocab)
        converter.layers, converter.heads = layers, heads
        for quantization in types:
            dest = Path(out_dir) / f"opus-mt-{size}-{quantization}-ct2"
            converter.convert(str(dest), quantization=quantization, force=True)
            (dest / "source.spm").write_bytes(sp_model)
            (dest / "target.spm").write_bytes(sp_model)
            (dest / "bilingual_test_model.json").write_text('{"test_model": true}\n')
            size_mb = (dest / "model.bin").stat().st_size / 1e6
            log(f"[bench] {dest}: model.bin {size_mb:.0f} MB")


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opus-mt", type=Path, metavar="DIR", help="write the OPUS-MT zips")
    parser.add_argument("--check", action="store_true", help="convert them and check cases")
    parser.add_argument("--bench", action="store_true", help="write the speed-bench models")
    parser.add_argument("--bench-sizes", default="base,big", help="comma-separated: base,big")
    parser.add_argument("--bench-types", default="int8,float32", help="CTranslate2 weight types")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.opus_mt:
        for name, path in build_opus_releases(args.opus_mt).items():
            log(f"[{name}] wrote {path} ({path.stat().st_size:,} bytes)")
    if args.bench:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        gitignore = BENCH_DIR / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n!.gitignore\n", encoding="utf-8")
        sizes, types = args.bench_sizes.split(","), args.bench_types.split(",")
        build_bench(BENCH_DIR, sizes, types, log)
    if args.check:
        return 1 if check_opus(log) else 0
    if not (args.opus_mt or args.bench or args.check):
        parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
