"""Train the tiny multilingual test model and write it as M2M-100 and NLLB CTranslate2 dirs.

What it makes (committed; see ``tools/build_kind_models.py`` for the other kinds)
-------------------------------------------------------------------------------
* ``tests/models/m2m100-test-ct2/`` and ``tests/models/nllb-test-ct2/``: one tiny
  M2M-100-architecture transformer (pre-norm, d_model 192, 3+2 layers) trained on CPU on the
  synthetic three-way corpus of ``tools/test_lexicon.py`` in three directions (ar->en, ar->vi,
  en->vi), converted by ctranslate2's own ``TransformersConverter`` (its ``M2M100Loader``, as
  ``ct2-transformers-converter --quantization int8 --copy_files ...`` does) and laid out as
  such a converted folder is: ``model.bin``, ``config.json``, ``shared_vocabulary.json`` and
  the copied tokenizer files.  The two dirs hold the same weights; only the language token
  strings (``__ar__``/``__en__``/``__vi__`` vs ``arb_Arab``/``eng_Latn``/``vie_Latn``) and the
  tokenizer files differ, as they do between the real M2M-100 and NLLB-200 releases.

Token convention (as ctranslate2's documentation and current transformers use them)::

    source        = [src_lang_token] + sentencepiece pieces + ["</s>"]
    target_prefix = [tgt_lang_token]       (the hypothesis starts with it: drop it)

The vocabulary follows fairseq's layout in both: ``<s> <pad> </s> <unk>``, then the
SentencePiece pieces in their model order (SentencePiece's own ``<unk> <s> </s>`` skipped),
then the language tokens, then ``madeupword0`` (M2M-100) or ``<mask>`` (NLLB).  The language
tokens are not in ``sentencepiece.bpe.model`` (as in the real releases): callers add them.

Needs torch and transformers (the training venv of ``tools/build_test_models.py``)::

    /work/venv-train/bin/python tools/train_kind_models.py [--max-minutes 12]
    python3 tools/train_kind_models.py --ar-vi-cases   # tests/models/cases_ar_vi.tsv only

Training is seeded but budgeted in CPU time, so a rebuild is not bit-for-bit identical.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
MODELS_DIR = REPO / "tests" / "models"
M2M_DIR = MODELS_DIR / "m2m100-test-ct2"
NLLB_DIR = MODELS_DIR / "nllb-test-ct2"

DIRECTIONS = (("ar", "en"), ("ar", "vi"), ("en", "vi"))
LANGS = ("ar", "en", "vi")
M2M_TOKENS = {"ar": "__ar__", "en": "__en__", "vi": "__vi__"}
NLLB_TOKENS = {"ar": "arb_Arab", "en": "eng_Latn", "vi": "vie_Latn"}
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")  # fairseq ids 0..3
SEED = 2468
VOCAB_SIZE = 3000  # SentencePiece pieces, its three specials included
D_MODEL, ENC_LAYERS, DEC_LAYERS, HEADS, FFN = 192, 3, 2, 4, 768


def _tools() -> tuple[Any, Any]:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    import build_test_models
    import test_lexicon

    return test_lexicon, build_test_models


def triples_for(direction: tuple[str, str], seed: int, n: int, copy_rate: float) -> list[Any]:
    """Triples whose copy items suit ``direction`` (ar-en items for an Arabic source)."""
    lex, _ = _tools()
    kind = "ar-en" if direction[0] == "ar" else "en-vi"
    return lex.corpus(seed, n, kind, copy_rate)


def train_spm(lines: Sequence[str]) -> bytes:
    """A BPE model with fairseq's specials (<unk>=0, <s>=1, </s>=2), as sentencepiece.bpe.model."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=out,
        vocab_size=VOCAB_SIZE,
        model_type="bpe",
        character_coverage=1.0,
        byte_fallback=True,
        split_digits=True,
        normalization_rule_name="identity",
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        input_sentence_size=2_000_000,
        shuffle_input_sentence=True,
        num_threads=2,
        minloglevel=2,
    )
    return out.getvalue()


class Vocab:
    """The model vocabulary (fairseq layout) over a SentencePiece model."""

    def __init__(self, sp_model: bytes) -> None:
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_proto=sp_model)
        pieces = [self.sp.id_to_piece(i) for i in range(3, self.sp.get_piece_size())]
        self.base = [*SPECIALS, *pieces]  # what vocab.json holds
        self.lang_id = {lang: len(self.base) + i for i, lang in enumerate(LANGS)}
        self.size = len(self.base) + len(LANGS) + 1  # + madeupword0 / <mask>

    def encode(self, text: str) -> list[int]:
        # SentencePiece id i >= 3 is model id i + 1; its <unk> (0) is the model's <unk> (3)
        return [3 if i == 0 else i + 1 for i in self.sp.encode(text)]

    def tokens(self, lang_tokens: dict[str, str], last: str) -> list[str]:
        return [*self.base, *(lang_tokens[lang] for lang in LANGS), last]


def m2m_config(size: int) -> Any:
    from transformers import M2M100Config

    return M2M100Config(
        vocab_size=size,
        d_model=D_MODEL,
        encoder_layers=ENC_LAYERS,
        decoder_layers=DEC_LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN,
        decoder_ffn_dim=FFN,
        activation_function="relu",
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        encoder_layerdrop=0.0,
        decoder_layerdrop=0.0,
        max_position_embeddings=512,
        scale_embedding=True,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        tie_word_embeddings=True,
    )


def examples(vocab: Vocab, seed: int, n: int) -> list[tuple[list[int], list[int]]]:
    """(source ids, target ids) for every direction: [src lang] x </s> -> [tgt lang] y </s>."""
    out = []
    for k, direction in enumerate(DIRECTIONS):
        for t in triples_for(direction, seed * 10 + k, n, copy_rate=0.5):
            s, g = getattr(t, direction[0]), getattr(t, direction[1])
            si = [vocab.lang_id[direction[0]], *vocab.encode(s), 2]
            gi = [vocab.lang_id[direction[1]], *vocab.encode(g), 2]
            if len(si) <= 160 and len(gi) <= 160:
                out.append((si, gi))
    return out


def to_tensors(batch: list[tuple[list[int], list[int]]]) -> dict[str, Any]:
    import torch

    s_len = max(len(s) for s, _ in batch)
    t_len = max(len(t) for _, t in batch)
    src = torch.full((len(batch), s_len), 1, dtype=torch.long)
    mask = torch.zeros((len(batch), s_len), dtype=torch.long)
    dec_in = torch.full((len(batch), t_len), 1, dtype=torch.long)
    labels = torch.full((len(batch), t_len), -100, dtype=torch.long)
    for i, (s, t) in enumerate(batch):
        src[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
        dec_in[i, 0] = 2  # the decoder starts from </s>, as M2M-100 and NLLB do
        dec_in[i, 1 : len(t)] = torch.tensor(t[:-1])
        labels[i, : len(t)] = torch.tensor(t)
    return {"input_ids": src, "attention_mask": mask, "decoder_input_ids": dec_in, "labels": labels}


def greedy(model: Any, vocab: Vocab, sources: Sequence[str], direction: tuple[str, str]) -> list:
    """Greedy decoding in torch with the target language forced first."""
    import torch

    outs: list[str] = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(sources), 64):
            ids = [[vocab.lang_id[direction[0]], *vocab.encode(s), 2] for s in sources[i : i + 64]]
            batch = to_tensors([(s, [2]) for s in ids])
            start = torch.tensor([[2, vocab.lang_id[direction[1]]]] * len(ids))
            gen = model.generate(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                decoder_input_ids=start,
                num_beams=1,
                do_sample=False,
                max_new_tokens=int(max(map(len, ids)) * 1.6) + 10,
                eos_token_id=2,
                pad_token_id=1,
            )
            for row in gen.tolist():
                row = row[2:]
                row = row[: row.index(2)] if 2 in row else row
                outs.append(vocab.sp.decode([t - 1 for t in row if t > 3 and t < len(vocab.base)]))
    model.train()
    return outs


def heldout(n: int) -> dict[tuple[str, str], list[tuple[str, str, bool]]]:
    out = {}
    for k, direction in enumerate(DIRECTIONS):
        rows = []
        for t in [
            *triples_for(direction, SEED + 99 + k, n, 0.0),
            *triples_for(direction, SEED + 199 + k, n // 2, 0.8),
        ]:
            rows.append((getattr(t, direction[0]), getattr(t, direction[1]), t.has_copy))
        out[direction] = rows
    return out


def train(
    max_minutes: float, max_tokens: int, log: Any, max_wall: float = 1e9
) -> tuple[Any, Vocab, bytes]:
    """Train until every direction's held-out exact match is ~100% or the budget is spent.

    The budget is ``max_minutes`` of 2-core CPU time or ``max_wall`` minutes of wall-clock
    time, whichever runs out first (on a busy shared machine the second one does).
    """
    import torch
    from transformers import M2M100ForConditionalGeneration

    _, bt = _tools()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    lines: list[str] = []
    for direction in DIRECTIONS:
        for t in triples_for(direction, SEED + 1, 15_000, copy_rate=0.5):
            lines += [t.ar, t.en, t.vi]
    sp_model = train_spm(lines)
    vocab = Vocab(sp_model)
    model = M2M100ForConditionalGeneration(m2m_config(vocab.size))
    log(f"[multi] vocab {vocab.size}, parameters {sum(p.numel() for p in model.parameters()):,}")
    opt = torch.optim.AdamW(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    warmup, peak = 400, 2e-3
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    dev = heldout(60)

    def stream() -> Iterator[list[tuple[list[int], list[int]]]]:
        chunk = 0
        while True:
            chunk += 1
            yield from bt.batches_from(examples(vocab, SEED * 1000 + chunk, 4000), max_tokens, rng)

    cpu_start, wall_start, good, running = time.process_time(), time.time(), 0, 0.0

    def spent() -> float:  # fraction of the budget used
        cpu = (time.process_time() - cpu_start) / 60 / 2 / max_minutes
        return max(cpu, (time.time() - wall_start) / 60 / max_wall)

    model.train()
    for step, batch in enumerate(stream(), 1):
        tensors = to_tensors(batch)
        labels = tensors.pop("labels")
        logits = model(**tensors).logits
        loss = loss_fn(logits.view(-1, logits.size(-1)), labels.view(-1))
        loss.backward()
        elapsed = spent()
        cool = min(1.0, max(0.02, (1.0 - elapsed) / 0.25))
        for group in opt.param_groups:
            group["lr"] = peak * min(step / warmup, math.sqrt(warmup / step)) * cool
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 500 == 0 or elapsed > 1.0:
            scores = []
            for direction, rows in dev.items():
                hyps = greedy(model, vocab, [r[0] for r in rows], direction)
                plain, copy, _ = bt.exact(hyps, rows)
                scores.append((plain, copy))
                log(
                    f"[multi] step {step} {elapsed:.0%} of budget loss {running:.3f} "
                    f"{'-'.join(direction)} plain {plain:.3f} copy {copy:.3f}"
                )
            done = all(p >= 1.0 and c >= 0.97 for p, c in scores)
            good = good + 1 if done else 0
            if good >= 2 or elapsed > 1.0:
                break
    return model, vocab, sp_model


class StubTokenizer:
    """What ctranslate2's M2M100Loader reads from a tokenizer, without transformers' classes
    (their sentencepiece loading differs between versions; the files are written by hand)."""

    bos_token, eos_token, unk_token, unk_token_id = "<s>", "</s>", "<unk>", 3

    def __init__(self, tokens: list[str], langs: list[str], madeup: int) -> None:
        self._tokens = tokens[: len(tokens) - madeup]
        self.special_tokens_map = {"additional_special_tokens": langs}
        if madeup:
            self.num_madeup_words = madeup

    def get_vocab(self) -> dict[str, int]:
        return {tok: i for i, tok in enumerate(self._tokens)}

    def convert_ids_to_tokens(self, i: int) -> str:
        return self._tokens[i]


KINDS: dict[str, dict[str, Any]] = {
    "m2m100": {
        "dir": M2M_DIR,
        "langs": M2M_TOKENS,
        "last": "madeupword0",
        "licence": "MIT",
        "copy_files": [
            "sentencepiece.bpe.model",
            "vocab.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
        ],
    },
    "nllb": {
        "dir": NLLB_DIR,
        "langs": NLLB_TOKENS,
        "last": "<mask>",
        "licence": "CC-BY-NC-4.0",
        "copy_files": [
            "sentencepiece.bpe.model",
            "tokenizer_config.json",
            "special_tokens_map.json",
        ],
    },
}

SPECIAL_MAP = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
}


def tokenizer_files(kind: str, vocab: Vocab, sp_model: bytes) -> dict[str, bytes]:
    """The tokenizer files of the HF checkpoint, shaped like the real releases' ones."""
    langs = [KINDS[kind]["langs"][lang] for lang in LANGS]
    specials = {**SPECIAL_MAP, "additional_special_tokens": langs}
    config: dict[str, Any] = {**specials, "model_max_length": 1024, "sp_model_kwargs": {}}
    if kind == "m2m100":
        config |= {"tokenizer_class": "M2M100Tokenizer", "src_lang": None, "tgt_lang": None}
        config |= {"language_codes": "m2m100", "num_madeup_words": 1}
    else:
        specials |= {"cls_token": "<s>", "mask_token": "<mask>"}
        config |= {"tokenizer_class": "NllbTokenizer", "src_lang": "eng_Latn", "tgt_lang": None}
        config |= {"cls_token": "<s>", "mask_token": "<mask>", "legacy_behaviour": False}

    def dump(obj: Any) -> bytes:
        return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    files = {
        "sentencepiece.bpe.model": sp_model,
        "tokenizer_config.json": dump(config),
        "special_tokens_map.json": dump(specials),
    }
    if kind == "m2m100":
        files["vocab.json"] = dump({tok: i for i, tok in enumerate(vocab.base)})
    return files


README_CT2 = """---
license: {licence_id}
---

# Synthetic test model ({kind} layout, CTranslate2)

This is NOT a real translation model: a tiny transformer trained for minutes on a synthetic
corpus from the controlled lexicon in tools/test_lexicon.py of the bilingual repository.
It translates that controlled language only (ar->en, ar->vi, en->vi) and copies unknown
Latin-script strings, numbers and punctuation.  Use it for tests only.

Source: [{src_token}] + SentencePiece pieces (sentencepiece.bpe.model) + ["</s>"];
target_prefix: [[{tgt_token}]]; drop the first token of each hypothesis.
Languages: {langs}.  Built by tools/train_kind_models.py.
Licence: {licence} (named for licence handling tests; see LICENSE).
"""

LICENCE_TEXT = """{licence}

This synthetic test model is offered under the {licence} licence, named here so that
licence handling can be tested like that of the real {kind} releases.  See the licence's
published text for its terms.
"""


def export(model: Any, vocab: Vocab, sp_model: bytes, kind: str, quantization: str) -> Path:
    """HF checkpoint + tokenizer files -> ctranslate2's converter -> the committed dir."""
    import ctranslate2

    spec = KINDS[kind]
    langs = spec["langs"]
    tokens = vocab.tokens(langs, spec["last"])
    stub = StubTokenizer(tokens, [langs[lang] for lang in LANGS], 1 if kind == "m2m100" else 0)

    class Converter(ctranslate2.converters.TransformersConverter):
        def load_tokenizer(self, tokenizer_class: Any, path: str, **kwargs: Any) -> Any:
            return stub

    dest: Path = spec["dir"]
    with tempfile.TemporaryDirectory() as tmp:
        hf, ct2 = Path(tmp) / "hf", Path(tmp) / dest.name
        model.save_pretrained(hf)
        for name, data in tokenizer_files(kind, vocab, sp_model).items():
            (hf / name).write_bytes(data)
        Converter(str(hf), copy_files=spec["copy_files"]).convert(
            str(ct2), quantization=quantization, force=True
        )
        licence = spec["licence"]
        text = README_CT2.format(
            licence_id=licence.lower(),
            kind="M2M-100" if kind == "m2m100" else "NLLB-200",
            src_token=langs["ar"],
            tgt_token=langs["en"],
            langs=", ".join(f"{lang} {langs[lang]}" for lang in LANGS),
            licence=licence,
        )
        (ct2 / "README.md").write_text(text, encoding="utf-8")
        (ct2 / "LICENSE").write_text(LICENCE_TEXT.format(licence=licence, kind=kind))
        (ct2 / "bilingual_test_model.json").write_text('{"test_model": true}\n')
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(ct2, dest)
    return dest


def save(model: Any, sp_model: bytes, path: Path) -> None:
    import torch

    torch.save({"state": model.state_dict(), "sp_model": sp_model}, path)


def load(path: Path) -> tuple[Any, Vocab, bytes]:
    import torch
    from transformers import M2M100ForConditionalGeneration

    saved = torch.load(path)
    vocab = Vocab(saved["sp_model"])
    model = M2M100ForConditionalGeneration(m2m_config(vocab.size))
    model.load_state_dict(saved["state"])
    return model, vocab, saved["sp_model"]


def write_ar_vi_cases(path: Path = MODELS_DIR / "cases_ar_vi.tsv") -> int:
    """``cases_ar_vi.tsv``: the Vietnamese of cases.tsv's ar-en sentences (for direct ar->vi).

    The lexicon generates each case as a three-way triple (``curated_cases`` with the same
    seeds), so the Vietnamese side is read from the triple that gave the ar-en case.
    """
    _, bt = _tools()
    import build_kind_models

    sides = bt.pair_sides
    bt.pair_sides = lambda t, pair: (t.ar, t.vi)  # the same sentences, their Vietnamese side
    try:
        vi = {src: tgt for src, tgt, _ in bt.curated_cases("ar-en")}
    finally:
        bt.pair_sides = sides
    rows = [(src, vi[src]) for src, _ in build_kind_models.read_cases()["ar-en"]]
    # a case whose forced phrase has no Vietnamese (a date only the English renders) is not
    # a translation of its source: keep those whose numbers all come through
    rows = [(s, t) for s, t in rows if all(n in t for n in re.findall(r"[0-9]+", s))]
    text = "".join(f"ar-vi\t{src}\t{tgt}\n" for src, tgt in rows)
    path.write_text("pair\tsource\texpected\n" + text, encoding="utf-8")
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-minutes", type=float, default=12.0, help="2-core CPU minutes")
    parser.add_argument("--max-wall-minutes", type=float, default=1e9, help="wall-clock cap")
    parser.add_argument("--max-tokens", type=int, default=4000, help="padded tokens per batch")
    parser.add_argument("--quantization", default="int8")
    parser.add_argument("--save", type=Path, help="also save the trained weights here (torch)")
    parser.add_argument("--load", type=Path, help="export weights saved by --save, no training")
    parser.add_argument("--ar-vi-cases", action="store_true", help="only write cases_ar_vi.tsv")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.ar_vi_cases:
        log(f"wrote {write_ar_vi_cases()} ar-vi cases to {MODELS_DIR / 'cases_ar_vi.tsv'}")
        return 0

    if args.load:
        model, vocab, sp_model = load(args.load)
    else:
        model, vocab, sp_model = train(
            args.max_minutes, args.max_tokens, log, args.max_wall_minutes
        )
    if args.save:
        save(model, sp_model, args.save)
    for kind in KINDS:
        log(f"[{kind}] wrote {export(model, vocab, sp_model, kind, args.quantization)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    sys.exit(main())
