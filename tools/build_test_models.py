"""Build the small synthetic argos models committed under ``tests/models/`` (and a bench model).

What it makes
-------------
* ``tests/models/translate-ar_en-test.argosmodel`` and ``translate-en_vi-test.argosmodel``:
  tiny Marian transformers trained on CPU, in a few minutes each, on a synthetic 3-way
  parallel corpus generated from the controlled lexicon in ``tools/test_lexicon.py``.  They
  translate that controlled language exactly and copy unknown Latin strings (names,
  acronyms, numbers, Vietnamese-diacritic text, English glossary renderings) verbatim, which
  is what the product's glossary locking relies on.  They are NOT real translation models.
* ``tests/models/cases.tsv``: sentences with the exact translation each model must give.
* ``--bench``: ``bench/models/translate-ar_en-bench.argosmodel``, a model with the size and
  architecture of the official argos ar->en package (Marian transformer base, ~32k shared
  SentencePiece vocabulary trained on the UNPC dev set from ``--shared``), random weights,
  int8: only for speed measurements.  It is git-ignored.

Packages are real argos packages: a zip with one folder holding ``metadata.json``,
``README.md``, ``sentencepiece.model`` and ``model/`` (CTranslate2, converted with
ctranslate2's Transformers converter; ``add_source_eos`` is set because training appends
``</s>`` to the source, as Marian does).  Every package it writes declares itself a test
model in ``metadata.json`` (``"bilingual": {"test_model": true}``), so bilingual warns on the
console and puts a banner on each briefing: their output is not a real translation.
``--mark-only`` adds that mark to the packages already there without retraining (it
rewrites only ``metadata.json``, deterministically).

Rebuild (from the repository root)::

    python3 -m venv /work/venv-train
    /work/venv-train/bin/pip install torch==2.13.0 transformers sentencepiece ctranslate2 numpy
    /work/venv-train/bin/python tools/build_test_models.py            # both test models
    /work/venv-train/bin/python tools/build_test_models.py --pair ar-en
    /work/venv-train/bin/python tools/build_test_models.py --bench    # bench model only
    python3 tools/build_test_models.py --mark-only   # only (re)write the test-model mark
    PYTHONPATH=src python3 tools/build_test_models.py --calibrate-only  # confidence thresholds
    python3 tools/check_test_models.py                                # verify cases.tsv

Versions used for the committed models: Python 3.11.7, torch 2.13.0+cpu, transformers 5.23.0,
sentencepiece 0.2.3, ctranslate2 4.8.5, numpy 2.4.6.

Training is CPU only (``torch.set_num_threads(2)``) and seeded.  Its budget is CPU time
(``--max-minutes`` of 2-core time, default 15), so a slower or busier machine stops at a
different step and bit-for-bit reproducibility is not guaranteed (nor across BLAS kernels).
The packages are written even when a case fails, but the build then exits 1: restore the
committed files with git if a rebuild comes out worse.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
MODELS_DIR = REPO / "tests" / "models"
BENCH_DIR = REPO / "bench" / "models"

LANG_NAMES = {"ar": "Arabic", "en": "English", "vi": "Vietnamese"}


@dataclass(frozen=True)
class PairSpec:
    """Hyper-parameters of one committed test model."""

    pair: str  # "ar-en" or "en-vi"
    vocab_size: int = 2000
    d_model: int = 192
    encoder_layers: int = 3
    decoder_layers: int = 2
    heads: int = 4
    ffn: int = 768
    seed: int = 1234
    tied_output: bool = True  # output projection = embeddings (smaller package)

    @property
    def src(self) -> str:
        return self.pair.split("-")[0]

    @property
    def tgt(self) -> str:
        return self.pair.split("-")[1]


PAIRS = {"ar-en": PairSpec("ar-en"), "en-vi": PairSpec("en-vi", seed=4321)}


def _lexicon() -> Any:
    """Import the sibling lexicon module (tools/ is not a package)."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    import test_lexicon

    return test_lexicon


def pair_sides(triple: Any, pair: str) -> tuple[str, str]:
    src, tgt = pair.split("-")
    return getattr(triple, src), getattr(triple, tgt)


# --------------------------------------------------------------------------------------
# SentencePiece
# --------------------------------------------------------------------------------------


def train_sentencepiece(
    lines: Iterable[str], vocab_size: int, model_type: str = "unigram"
) -> bytes:
    """Train a shared SentencePiece model whose ids line up with a Marian vocabulary.

    eos=0 and unk=1 as in Marian; no bos/pad pieces (the Marian ``<pad>`` is appended after the
    last piece).  ``byte_fallback`` lets any unseen character round-trip as byte pieces and
    ``split_digits`` makes numbers digit sequences, so copying a number is copying digits.
    ``identity`` normalisation keeps every input character as is (NFKC would rewrite some
    characters, and copied strings must come out unchanged).
    """
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        byte_fallback=True,
        split_digits=True,
        normalization_rule_name="identity",
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        input_sentence_size=2_000_000,
        shuffle_input_sentence=True,
        max_sentence_length=8192,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


def sp_pieces(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# --------------------------------------------------------------------------------------
# Marian model, conversion and packaging
# --------------------------------------------------------------------------------------


def marian_config(vocab_len: int, spec: PairSpec) -> Any:
    """A MarianConfig; ``vocab_len`` includes the trailing ``<pad>``."""
    from transformers import MarianConfig

    pad = vocab_len - 1
    return MarianConfig(
        vocab_size=vocab_len,
        decoder_vocab_size=vocab_len,
        d_model=spec.d_model,
        encoder_layers=spec.encoder_layers,
        decoder_layers=spec.decoder_layers,
        encoder_attention_heads=spec.heads,
        decoder_attention_heads=spec.heads,
        encoder_ffn_dim=spec.ffn,
        decoder_ffn_dim=spec.ffn,
        max_position_embeddings=512,
        activation_function="relu",  # exact in CTranslate2 (no gelu approximation differences)
        dropout=0.0,  # the synthetic data is unlimited: nothing to regularise against
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=spec.tied_output,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,  # Marian starts decoding from <pad> (a zero embedding)
        forced_eos_token_id=0,
    )


def save_hf_dir(model: Any, pieces: Sequence[str], sp_model: bytes, out: Path) -> None:
    """Save the model with a MarianTokenizer so ctranslate2's converter can read the vocab."""
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    vocab = {piece: i for i, piece in enumerate(pieces)}
    vocab["<pad>"] = len(pieces)  # must be the last entry or the converter's sizes disagree
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "source.spm").write_bytes(sp_model)
    (out / "target.spm").write_bytes(sp_model)
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "MarianTokenizer",
                "eos_token": "</s>",
                "unk_token": "<unk>",
                "pad_token": "<pad>",
                "model_max_length": 512,
                "separate_vocabs": False,
            }
        ),
        encoding="utf-8",
    )


def convert(hf_dir: Path, out: Path, quantization: str | None) -> None:
    import ctranslate2

    converter = ctranslate2.converters.TransformersConverter(str(hf_dir))
    converter.convert(str(out), quantization=quantization, force=True)
    config_path = out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    # training appends </s> to every source sentence (as Marian does); CTranslate2 adds it
    # itself when this flag is set, so engines pass plain SentencePiece pieces.
    config["add_source_eos"] = True
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


README_TEXT = """# Synthetic test model ({src} -> {tgt})

This is NOT a real translation model.  It is a tiny Marian transformer trained for a few
minutes on a synthetic corpus generated from a controlled lexicon (tools/test_lexicon.py
in the bilingual repository) about the signing of the UN Convention against Cybercrime.
It translates only that controlled language, and copies unknown Latin-script strings,
numbers and punctuation through unchanged.  Use it only for tests.

Built by tools/build_test_models.py.
"""


TEST_MODEL_MARK = {"bilingual": {"test_model": True}}
"""What every package this tool builds declares in its metadata.json: bilingual then warns
on the console and puts a banner on each briefing (its output is not a translation)."""


def metadata_json(metadata: dict[str, Any]) -> bytes:
    """metadata.json of a package this tool builds: ``metadata`` marked as a test model
    (its other ``bilingual`` keys, such as the confidence thresholds, kept)."""
    ours = metadata.get("bilingual")
    ours = {**(ours if isinstance(ours, dict) else {}), **TEST_MODEL_MARK["bilingual"]}
    return (json.dumps({**metadata, "bilingual": ours}, indent=2) + "\n").encode()


def package(
    ct2_dir: Path, sp_model: bytes, src: str, tgt: str, name: str, out_file: Path, version: str
) -> None:
    """Write an argos package zip (one top folder) with fixed timestamps (stable bytes)."""
    top = f"translate-{src}_{tgt}-{name}"
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": src,
        "from_name": LANG_NAMES.get(src, src),
        "to_code": tgt,
        "to_name": LANG_NAMES.get(tgt, tgt),
        "type": "translate",
        "links": [],
    }
    files: list[tuple[str, bytes]] = [
        (f"{top}/metadata.json", metadata_json(metadata)),
        (f"{top}/README.md", README_TEXT.format(src=src, tgt=tgt).encode()),
        (f"{top}/sentencepiece.model", sp_model),
    ]
    for path in sorted(ct2_dir.iterdir()):
        files.append((f"{top}/model/{path.name}", path.read_bytes()))
    write_package_zip(top, files, out_file)


def mark_package(
    package_file: Path, extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> bool:
    """Rewrite ``package_file`` with its metadata.json marked as a test model (and, with
    ``extra``, changed by it), every other file as it is (no retraining: training is not
    bit-for-bit reproducible). Deterministic: the zip is written as :func:`package`
    writes one. Returns whether anything changed."""

    def rewrite(data: bytes) -> bytes:
        metadata = json.loads(data)
        return metadata_json(extra(metadata) if extra is not None else metadata)

    with zipfile.ZipFile(package_file) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        files = [(n, zf.read(n)) for n in names]
    (top,) = {n.split("/", 1)[0] for n in names}
    metadata_name = f"{top}/metadata.json"
    files = [(n, rewrite(data) if n == metadata_name else data) for n, data in files]
    before = package_file.read_bytes()
    write_package_zip(top, files, package_file)
    return package_file.read_bytes() != before


def _calibration_sources(pair: str) -> list[str]:
    """The sources of tests/models/cases.tsv for ``pair``, in file order."""
    rows = (MODELS_DIR / "cases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [r.split("\t")[1] for r in rows if r.split("\t")[0] == pair]


def calibrate_test_models(log: Callable[[str], None]) -> int:
    """Write confidence thresholds into the test packages' metadata.json: ar->en measured
    on the project's samples (input/*.txt) and its cases' sources, en->vi on the ar->en
    model's English of the samples and its cases' sources (what a run gives it). Only
    metadata.json changes, as with --mark-only. CTranslate2's MKL backend, as the tests
    use it (tests/conftest.py): oneDNN's int8 roundings change the output on AMD."""
    os.environ.setdefault("CT2_USE_MKL", "1")
    from bilingual.calibrate import calibration_sentences, own_confidences
    from bilingual.config import resolve_settings
    from bilingual.engine import open_translator
    from bilingual.models import install_package_file
    from bilingual.models.calibrate import derive_thresholds, with_thresholds

    samples = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "input").glob("*.txt"))
    )
    with tempfile.TemporaryDirectory() as home:
        settings = resolve_settings({}, home=Path(home), threads=2)
        for pair in ("ar_en", "en_vi"):
            install_package_file(settings, MODELS_DIR / f"translate-{pair}-test.argosmodel")
        ar_en = open_translator(settings, "ar", "en")
        en_vi = open_translator(settings, "en", "vi")
        arabic = calibration_sentences("\n".join([*_calibration_sources("ar-en"), samples]))
        english = [t.text for t in ar_en.translate(calibration_sentences(samples))]
        english = calibration_sentences("\n".join([*_calibration_sources("en-vi"), *english]))
        measured = {
            "ar_en": own_confidences(ar_en, arabic),
            "en_vi": own_confidences(en_vi, english),
        }
    for pair, confidences in measured.items():
        thresholds = derive_thresholds(
            confidences, calibrated_on="input/*.txt and tests/models/cases.tsv"
        )
        package_file = MODELS_DIR / f"translate-{pair}-test.argosmodel"
        changed = mark_package(package_file, lambda m, t=thresholds: with_thresholds(m, t))
        log(f"{package_file}: {thresholds} ({'written' if changed else 'unchanged'})")
    return 0


def write_package_zip(top: str, files: Sequence[tuple[str, bytes]], out_file: Path) -> None:
    """The package zip: folder entries, then ``files`` in order, fixed timestamps."""
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for dirname in (f"{top}/", f"{top}/model/"):
            zf.writestr(zipfile.ZipInfo(dirname, date_time=(2024, 1, 1, 0, 0, 0)), b"")
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(out_file)  # atomic: other engineers may be loading the previous version


# --------------------------------------------------------------------------------------
# CTranslate2 decoding (exactly as an engine does: SP pieces in, decode_pieces out)
# --------------------------------------------------------------------------------------


class Ct2Model:
    def __init__(self, package_dir: Path) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(
            str(package_dir / "model"),
            device="cpu",
            compute_type="float32",
            inter_threads=1,
            intra_threads=2,
        )

    def translate(
        self, sentences: Sequence[str], beam_size: int, length_penalty: float = 1.0
    ) -> list[str]:
        tokens = [self.sp.encode(s, out_type=str) for s in sentences]
        results = self.translator.translate_batch(
            tokens,
            beam_size=beam_size,
            length_penalty=length_penalty,
            max_batch_size=64,
            replace_unknowns=True,
        )
        return [self.sp.decode_pieces(r.hypotheses[0]) for r in results]


def unpack(package_file: Path, dest: Path) -> Path:
    with zipfile.ZipFile(package_file) as zf:
        zf.extractall(dest)
    tops = [p for p in dest.iterdir() if p.is_dir()]
    assert len(tops) == 1, tops
    return tops[0]


# --------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------


def batches_from(
    examples: list[tuple[list[int], list[int]]], max_tokens: int, rng: random.Random
) -> list[list[tuple[list[int], list[int]]]]:
    """Length-bucketed batches of at most ``max_tokens`` (source + target, padded)."""
    examples = sorted(examples, key=lambda e: (len(e[0]), len(e[1])))
    out: list[list[tuple[list[int], list[int]]]] = []
    cur: list[tuple[list[int], list[int]]] = []
    longest = 0
    for ex in examples:
        longest_new = max(longest, len(ex[0]) + len(ex[1]))
        if cur and longest_new * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, longest_new = [], len(ex[0]) + len(ex[1])
        cur.append(ex)
        longest = longest_new
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def to_tensors(batch: list[tuple[list[int], list[int]]], pad: int) -> dict[str, Any]:
    import torch

    s_len = max(len(s) for s, _ in batch)
    t_len = max(len(t) for _, t in batch)
    src = torch.full((len(batch), s_len), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), s_len), dtype=torch.long)
    dec_in = torch.full((len(batch), t_len), pad, dtype=torch.long)
    labels = torch.full((len(batch), t_len), -100, dtype=torch.long)
    for i, (s, t) in enumerate(batch):
        src[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
        dec_in[i, 1 : len(t)] = torch.tensor(t[:-1])  # shifted right, starts with <pad>
        labels[i, : len(t)] = torch.tensor(t)
    return {"input_ids": src, "attention_mask": mask, "decoder_input_ids": dec_in, "labels": labels}


def greedy_decode(model: Any, sp: Any, sentences: Sequence[str], pad: int) -> list[str]:
    """Batched greedy decoding in torch, the pad token suppressed (CTranslate2 drops it)."""
    import torch

    outs: list[str] = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(sentences), 64):
            chunk = sentences[i : i + 64]
            ids = [[*sp.encode(s), 0] for s in chunk]
            batch = to_tensors([(s, [0]) for s in ids], pad)
            # bounded so that an untrained model's babbling does not cost minutes
            max_len = int(max(len(s) for s in ids) * 1.6) + 10
            gen = model.generate(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                num_beams=1,
                do_sample=False,
                max_new_tokens=max_len,
                decoder_start_token_id=pad,
                eos_token_id=0,
                pad_token_id=pad,
                suppress_tokens=[pad],
            )
            for row in gen.tolist():
                row = row[1:]
                if 0 in row:
                    row = row[: row.index(0)]
                outs.append(sp.decode([t for t in row if t != pad]))
    model.train()
    return outs


def heldout(pair: str, n: int, seed: int) -> list[tuple[str, str, bool]]:
    lex = _lexicon()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        # half with copy items so that copying is measured separately
        t = lex.generate(rng, pair, copy_rate=0.0 if i % 2 == 0 else 0.8)
        src, tgt = pair_sides(t, pair)
        out.append((src, tgt, t.has_copy))
    return out


def exact(
    hyps: Sequence[str], refs: Sequence[tuple[str, str, bool]]
) -> tuple[float, float, list[int]]:
    plain = [h == r[1] for h, r in zip(hyps, refs, strict=True) if not r[2]]
    copy = [h == r[1] for h, r in zip(hyps, refs, strict=True) if r[2]]
    bad = [i for i, (h, r) in enumerate(zip(hyps, refs, strict=True)) if h != r[1]]
    return sum(plain) / max(1, len(plain)), sum(copy) / max(1, len(copy)), bad


def train_pair(
    spec: PairSpec,
    max_minutes: float,
    max_tokens: int,
    log: Any,
    interim: Callable[[Any, list[str], bytes], None] | None = None,
) -> tuple[Any, bytes, list[str], dict[str, Any]]:
    """Train until held-out exact match is ~100% or the CPU budget is spent.

    ``interim`` is called once with an early model (held-out plain exact match >= 0.9).
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianMTModel

    lex = _lexicon()
    torch.set_num_threads(2)
    torch.manual_seed(spec.seed)
    rng = random.Random(spec.seed)

    # 1. SentencePiece on a generated sample (both sides, copy-heavy so Latin, Vietnamese
    # and punctuation characters all get pieces of their own)
    sp_lines: list[str] = []
    for t in lex.corpus(spec.seed + 1, 40_000, spec.pair, copy_rate=0.5):
        sp_lines.extend(pair_sides(t, spec.pair))
    sp_model = train_sentencepiece(sp_lines, spec.vocab_size)
    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = sp_pieces(sp_model)
    pad = len(pieces)
    publish = None if interim is None else (lambda m: interim(m, pieces, sp_model))

    model = MarianMTModel(marian_config(pad + 1, spec))
    n_params = sum(p.numel() for p in model.parameters())
    log(f"[{spec.pair}] vocab {pad + 1} (pad={pad}), parameters {n_params:,}")
    opt = torch.optim.AdamW(
        model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0
    )
    warmup, peak = 400, 2e-3  # 2.5e-3 collapsed (output ignoring the source) in one try

    def lr_at(step: int) -> float:
        # linear warm-up then inverse square root decay: the usual transformer schedule
        return peak * min((step + 1) / warmup, math.sqrt(warmup / (step + 1)))

    # no label smoothing: peaked distributions make beam search agree with greedy decoding
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    dev = heldout(spec.pair, 160, spec.seed + 99)

    def data_stream() -> Iterator[list[tuple[list[int], list[int]]]]:
        chunk = 0
        while True:
            chunk += 1
            exs = []
            for t in lex.corpus(spec.seed * 1000 + chunk, 8000, spec.pair, copy_rate=0.5):
                s, g = pair_sides(t, spec.pair)
                si, gi = [*sp.encode(s), 0], [*sp.encode(g), 0]
                if len(si) <= 160 and len(gi) <= 160:
                    exs.append((si, gi))
            yield from batches_from(exs, max_tokens, rng)

    start, cpu_start = time.time(), time.process_time()
    published = False
    step = 0
    history: list[dict[str, Any]] = []
    good_evals = 0
    model.train()
    running = 0.0
    for batch in data_stream():
        tensors = to_tensors(batch, pad)
        labels = tensors.pop("labels")
        logits = model(**tensors).logits
        loss = loss_fn(logits.view(-1, logits.size(-1)), labels.view(-1))
        loss.backward()
        # the last 25% of the budget cools the rate down linearly: the final weights then
        # sit in a minimum instead of bouncing around it (worth several points of exact match)
        elapsed = (time.process_time() - cpu_start) / 60 / 2
        cool = min(1.0, max(0.02, (max_minutes - elapsed) / (0.25 * max_minutes)))
        for group in opt.param_groups:
            group["lr"] = lr_at(step) * cool
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            # <pad> is Marian's decoder start token and CTranslate2 starts from a zero vector
            # instead; the tied output projection would move that row, so pin it to zero
            model.get_input_embeddings().weight[pad].zero_()
        step += 1
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        # the budget is CPU time: "N minutes on 2 cores" whatever else runs on the machine
        elapsed = (time.process_time() - cpu_start) / 60 / 2
        if step % 400 == 0 or elapsed > max_minutes:
            hyps = greedy_decode(model, sp, [d[0] for d in dev], pad)
            plain, copy, bad = exact(hyps, dev)
            history.append(
                {
                    "step": step,
                    "minutes": round(elapsed, 2),
                    "wall_minutes": round((time.time() - start) / 60, 2),
                    "loss": round(running, 4),
                    "plain": plain,
                    "copy": copy,
                }
            )
            log(
                f"[{spec.pair}] step {step} {elapsed:.1f} min (2-core CPU time; wall "
                f"{(time.time() - start) / 60:.1f}) loss {running:.3f} "
                f"held-out exact plain {plain:.3f} copy {copy:.3f}"
            )
            for i in bad[:3]:
                log(f"    src: {dev[i][0]}\n    ref: {dev[i][1]}\n    hyp: {hyps[i]}")
            if publish is not None and not published and plain >= 0.9:
                publish(model)  # an early version for the team; replaced at the end
                published = True
            good_evals = good_evals + 1 if plain >= 1.0 and copy >= 0.99 else 0
            if good_evals >= 2 or elapsed > max_minutes:
                break
    info = {
        "steps": step,
        "minutes": round((time.process_time() - cpu_start) / 60 / 2, 2),
        "wall_minutes": round((time.time() - start) / 60, 2),
        "params": n_params,
        "history": history,
    }
    return model, sp_model, pieces, info


# --------------------------------------------------------------------------------------
# Curated test cases
# --------------------------------------------------------------------------------------


def curated_cases(pair: str) -> list[tuple[str, str, bool]]:
    """Candidate cases (source, expected, is_copy_case), built from the lexicon itself."""
    lex = _lexicon()
    cp = lex.copy_phrase
    P = lex.Phrase
    out: list[tuple[str, str, bool]] = []

    def add(template: str, seed: int, copy_rate: float = 0.0, **forced: Any) -> None:
        clause = "clause_past" if "verb" in forced else None
        t = lex.generate(random.Random(seed), pair, copy_rate, template, forced, clause)
        out.append((*pair_sides(t, pair), t.has_copy))

    # plain template sentences, one or more per template
    for i in range(14 if pair == "ar-en" else 9):
        add("statement", 100 + i)
    for i in range(2):
        add("question", 200 + i)
        add("fronted", 300 + i)
        add("reported", 400 + i)
    add("compound", 500)
    add("discussions_day", 600)
    add("headline", 700)
    add("compound", 501)  # a long one (two or three clauses)
    # copy cases
    if pair == "ar-en":
        add(
            "statement",
            800,
            agent=cp("United Nations Office on Drugs and Crime (UNODC)"),
            verb=P("", "signed", ""),
            doc=lex.DOCS[0],
            time=P("", "", ""),
        )
        add(
            "statement",
            801,
            verb=P("", "met with", ""),
            agent=lex.ROLES[0],
            person=cp("Antonio Guterres"),
            time=P("في 25 أكتوبر", "on 25 October", ""),
        )
        add(
            "statement",
            802,
            verb=P("", "signed", ""),
            agent=lex.ROLES[0],
            doc=cp("Văn phòng Liên hợp quốc"),
            time=P("", "", ""),
        )
        add("quote", 803, quote=cp("Safe Cyber Space 2027"))
        add("discussions_day", 804, topic=cp("O'Brien-Smith"))
        add(
            "statement",
            805,
            verb=P("", "attended", ""),
            agent=cp("UNODC"),
            event=lex.EVENTS[4],
            time=P("", "", ""),
        )
    else:
        add(
            "statement",
            900,
            verb=P("", "met with", ""),
            agent=lex.ROLES[0],
            person=cp("Nguyễn Văn An"),
            time=P("", "", ""),
        )
        add(
            "statement",
            901,
            verb=P("", "signed", ""),
            agent=lex.ROLES[2],
            doc=cp("Công ước Hà Nội"),
            time=P("", "", ""),
        )
        add(
            "statement",
            902,
            verb=P("", "met with", ""),
            agent=cp("John Smith"),
            person=lex.ROLES[5],
            time=P("", "", ""),
        )
        add("quote", 903, quote=cp("Zelmora Project 3.5"))
        add(
            "statement",
            904,
            verb=P("", "attended", ""),
            agent=cp("Văn phòng Liên hợp quốc"),
            event=lex.EVENTS[4],
            time=P("", "", ""),
        )
        add(
            "statement",
            905,
            verb=P("", "signed", ""),
            agent=lex.ROLES[0],
            doc=cp("UNODC"),
            time=P("", "", ""),
        )
    # more copy candidates: names with punctuation, acronyms, injected renderings
    common = [
        ("statement", 810, {"verb": P("", "met with", ""), "person": cp("Jean-Pierre Dubois")}),
        ("statement", 811, {"verb": P("", "thanked", ""), "person": cp("O'Brien")}),
        ("quote", 812, {"quote": cp("UNESCO")}),
        ("headline", 813, {"agent": cp("Nguyen Van An")}),
    ]
    if pair == "ar-en":
        common += [
            ("statement", 814, {"verb": P("", "signed", ""), "doc": cp("Hanoi Convention")}),
            ("quote", 815, {"quote": cp("Resolution 78/243")}),
        ]
    else:
        common += [
            ("statement", 814, {"verb": P("", "signed", ""), "doc": cp("Công ước Hà Nội")}),
            ("quote", 815, {"quote": cp("Bộ Công an")}),
        ]
    for template, seed, forced in common:
        add(template, seed, **{"time": P("", "", ""), **forced})
    # numbers and punctuation from the templates
    add("statement", 1000, copy_rate=0.0, time=P("في عام 2027", "in 2027", "vào năm 2027"))
    return out


# --------------------------------------------------------------------------------------
# Bench model
# --------------------------------------------------------------------------------------


def build_bench(shared: Path, out_file: Path, log: Any) -> None:
    """Official-size ar->en package with random weights (speed measurements only)."""
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(2)
    torch.manual_seed(0)
    data = shared / "data" / "unpc-dev"
    lines: list[str] = []
    for name in ("UNv1.0.devset.ar", "UNv1.0.devset.en"):
        with open(data / name, encoding="utf-8") as f:
            lines.extend(line.strip() for line in f if line.strip())
    # the dev set is too small for a strict 32k vocabulary: let SentencePiece stop below it
    import sentencepiece as spm

    model_io = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model_io,
        vocab_size=32000,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        split_digits=True,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        hard_vocab_limit=False,
        num_threads=2,
        minloglevel=2,
    )
    sp_model = model_io.getvalue()
    pieces = sp_pieces(sp_model)
    log(f"[bench] SentencePiece vocabulary {len(pieces)}")
    # pad to the official model's ~32k entries: the output projection and softmax scale
    # with the vocabulary, so a smaller one would flatter every speed measurement
    pieces += [f"<bench_pad_{i}>" for i in range(32000 - len(pieces))]
    log(f"[bench] model vocabulary {len(pieces)} (padded)")
    # shared source/target embeddings but a separate output projection: with ~32k pieces
    # this gives about the official package's 82 MB at int8
    spec = PairSpec(
        "ar-en",
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        heads=8,
        ffn=2048,
        tied_output=False,
    )
    model = MarianMTModel(marian_config(len(pieces) + 1, spec))
    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        hf, ct2 = Path(tmp) / "hf", Path(tmp) / "ct2"
        save_hf_dir(model, pieces, sp_model, hf)
        convert(hf, ct2, "int8")
        package(ct2, sp_model, "ar", "en", "bench", out_file, "0.0.1")
    log(f"[bench] wrote {out_file} ({out_file.stat().st_size:,} bytes)")


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------


def make_package(
    model: Any, pieces: list[str], sp_model: bytes, spec: PairSpec, quantization: str, dest: Path
) -> None:
    """HF model -> CTranslate2 -> argos package zip at ``dest`` (atomically replaced)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        save_hf_dir(model, pieces, sp_model, work / "hf")
        convert(work / "hf", work / "ct2", quantization)
        staged = work / dest.name
        package(work / "ct2", sp_model, spec.src, spec.tgt, "test", staged, "0.1.0")
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        shutil.copyfile(staged, partial)
        partial.replace(dest)  # other engineers may be loading the previous version


def build_pair(spec: PairSpec, args: argparse.Namespace, log: Any) -> dict[str, Any]:
    out_file = MODELS_DIR / f"translate-{spec.src}_{spec.tgt}-test.argosmodel"

    def interim(model: Any, pieces: list[str], sp_model: bytes) -> None:
        make_package(model, pieces, sp_model, spec, args.quantization, out_file)
        log(f"[{spec.pair}] interim package written to {out_file}")

    model, sp_model, pieces, info = train_pair(
        spec, args.max_minutes, args.max_tokens, log, interim if args.interim else None
    )
    make_package(model, pieces, sp_model, spec, args.quantization, out_file)
    info["bytes"] = out_file.stat().st_size
    # verify with CTranslate2 exactly as an engine decodes
    with tempfile.TemporaryDirectory() as tmp:
        ct2m = Ct2Model(unpack(out_file, Path(tmp)))
        dev = heldout(spec.pair, 400, spec.seed + 7)
        for beam in (1, 4):
            hyps = ct2m.translate([d[0] for d in dev], beam)
            plain, copy, bad = exact(hyps, dev)
            info[f"ct2_beam{beam}"] = {"plain": plain, "copy": copy}
            log(f"[{spec.pair}] ct2 beam {beam}: held-out exact plain {plain:.3f} copy {copy:.3f}")
            for i in bad[:5]:
                log(f"    src: {dev[i][0]}\n    ref: {dev[i][1]}\n    hyp: {hyps[i]}")
        cases = curated_cases(spec.pair)
        case_fail = 0
        for beam in (1, 4):
            hyps = ct2m.translate([c[0] for c in cases], beam)
            for (src, ref, _), hyp in zip(cases, hyps, strict=True):
                if hyp != ref:
                    case_fail += 1
                    log(f"  CASE FAIL beam {beam}\n    src: {src}\n    ref: {ref}\n    hyp: {hyp}")
    info["case_failures"] = case_fail
    log(f"[{spec.pair}] wrote {out_file} ({info['bytes']:,} bytes), case failures {case_fail}")
    return info


MIN_CASES = {"ar-en": 25, "en-vi": 15}
MIN_COPY_CASES = 6


def write_cases(log: Any) -> int:
    """Write cases.tsv: the curated candidates the packages in tests/models get exactly right.

    A candidate is kept only if it comes out identical with every decoding setting of
    tools/check_test_models.py (greedy, beam 4, beam 4 with length penalty 0.2; alone and
    batched).  Dropped candidates are logged.  Returns the number of problems (too few cases).
    """
    _lexicon()  # puts tools/ on sys.path
    import check_test_models as chk

    rows: list[tuple[str, str, str]] = []
    problems = 0
    copies = 0
    for pair in ("ar-en", "en-vi"):
        src_code, tgt_code = pair.split("-")
        package_file = MODELS_DIR / f"translate-{src_code}_{tgt_code}-test.argosmodel"
        candidates = curated_cases(pair)
        sources = [c[0] for c in candidates]
        ok = [True] * len(candidates)
        with tempfile.TemporaryDirectory() as tmp:
            model = chk.Model(unpack(package_file, Path(tmp)))
            for _name, beam, lp in chk.SETTINGS:
                batched = model.translate(sources, beam, lp)
                single = [model.translate([s], beam, lp)[0] for s in sources]
                for i, (cand, hyp_b, hyp_s) in enumerate(
                    zip(candidates, batched, single, strict=True)
                ):
                    ok[i] = ok[i] and hyp_b == cand[1] and hyp_s == cand[1]
        kept = [c for c, good in zip(candidates, ok, strict=True) if good]
        for cand, good in zip(candidates, ok, strict=True):
            if not good:
                log(f"[{pair}] case dropped (not exact in every setting): {cand[0]}")
        copies += sum(1 for c in kept if c[2])
        log(f"[{pair}] {len(kept)}/{len(candidates)} candidate cases kept")
        if len(kept) < MIN_CASES[pair]:
            log(f"[{pair}] too few cases: {len(kept)} < {MIN_CASES[pair]}")
            problems += 1
        rows += [(pair, c[0], c[1]) for c in kept]
    if copies < MIN_COPY_CASES:
        log(f"too few copy cases: {copies} < {MIN_COPY_CASES}")
        problems += 1
    with open(MODELS_DIR / "cases.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("pair\tsource\texpected\n")
        for row in rows:
            assert not any("\t" in x or "\n" in x for x in row), row
            f.write("\t".join(row) + "\n")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pair", choices=["ar-en", "en-vi", "both"], default="both")
    parser.add_argument("--bench", action="store_true", help="build only the bench model")
    parser.add_argument(
        "--mark-only",
        action="store_true",
        help="only mark the packages already in tests/models (and bench/models) as test models "
        "in their metadata.json, without retraining",
    )
    parser.add_argument(
        "--calibrate-only",
        action="store_true",
        help="only (re)write the confidence thresholds in the metadata.json of the packages "
        "in tests/models, measured on input/*.txt and the sources of cases.tsv",
    )
    parser.add_argument(
        "--cases-only",
        action="store_true",
        help="only rewrite tests/models/cases.tsv for the packages already there",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="the shared/ folder (for --bench); default ../shared",
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=15.0,
        help="training budget per model in minutes of 2-core CPU time (it stops earlier "
        "when held-out exact match reaches 100%%)",
    )
    parser.add_argument("--max-tokens", type=int, default=4000, help="padded tokens per batch")
    parser.add_argument(
        "--no-interim",
        dest="interim",
        action="store_false",
        help="do not write an early package to tests/models while training",
    )
    parser.add_argument(
        "--quantization",
        default="int8",
        help="CTranslate2 weight type in the package (int8 keeps it under 5 MB)",
    )
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.mark_only:
        packages = sorted([*MODELS_DIR.glob("*.argosmodel"), *BENCH_DIR.glob("*.argosmodel")])
        for package_file in packages:
            changed = mark_package(package_file)
            log(f"{package_file}: {'marked' if changed else 'already marked'} as a test model")
        return 0
    if args.cases_only:
        return 1 if write_cases(log) else 0
    if args.calibrate_only:
        return calibrate_test_models(log)
    if args.bench:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        gitignore = BENCH_DIR / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n!.gitignore\n", encoding="utf-8")
        build_bench(args.shared, BENCH_DIR / "translate-ar_en-bench.argosmodel", log)
        return 0

    pairs = ["ar-en", "en-vi"] if args.pair == "both" else [args.pair]
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    report = {}
    for pair in pairs:
        info = build_pair(PAIRS[pair], args, log)
        report[pair] = {k: v for k, v in info.items() if k != "history"}
    log(json.dumps(report, indent=2))
    return 1 if write_cases(log) else 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # sleeping (not spinning) OpenMP threads: on a shared machine spinning burns the CPU-time
    # budget while the other thread is descheduled; must be set before torch is imported
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    sys.exit(main())
