"""Benchmark: speed per model size, weight type and model kind (issue 19).

Two tables, both through the engine as ``bilingual translate`` runs it (a package
installed with ``bilingual models install`` / ``models import`` into a temporary
``BILINGUAL_HOME``, opened with ``open_translator`` on ``--threads`` cores, default
thread split, beam 4, batches of 32) against CTranslate2's own ``translate_batch`` on
the same loaded model and the very same model inputs (the engine's plan, language
tokens and target prefixes included), every variant capped at the same
``--max-decoding-length`` (random weights never stop on their own):

* ``sizes``: OPUS-MT-shaped Marian models, transformer-base (d_model 512, 6+6 layers, 8
  heads, FFN 2048) and tc-big (1024, 6+6, 16, 4096), each with int8 and float32 weights,
  imported as CTranslate2 folders (``models import DIR --pairs ar-en``). big float32 is
  slow: the big rows translate ``--big-sentences`` (default 64) instead of
  ``--sentences`` (default 200); ``--sizes m2m418`` adds M2M-100 418M's shape (d_model
  1024, 12+12 layers, FFN 4096, 128,112-entry vocabulary) as a Marian model;
* ``kinds``: the base/int8 model dressed as each kind the engine speaks, with that
  kind's special tokens: an argos package (``.argosmodel``, ``models install``); a
  multi-target Marian folder (``source.spm``/``target.spm``, ``>>eng<<`` ``>>vie<<``
  in its vocabulary: the target's token first in the source); an M2M-100 folder
  (``sentencepiece.bpe.model``, ``__ar__`` first in the source, ``</s>`` appended by the
  engine as the converted config asks, ``__en__`` forced first in the target) and an
  NLLB one (``arb_Arab`` / ``eng_Latn``), both imported with ``models import``.

The weights are random, written by ``tools/build_kind_models.py``'s bench writer
(``build_bench``) into ``bench/models/kinds/`` (git-ignored), with a SentencePiece model
trained here in a few seconds on the UNPC dev set (Arabic and English, as the argos
bench model's), so that a sentence is as many tokens as with a real model (about 34 on
average; the kinds tool's default, the tiny test vocabulary, makes them three times
longer). The UNPC dev lines are read from ``../shared/data`` at run time; without them
the script says so and stops.

Each row runs in a child process (its peak RSS reported); engine and raw alternate
``--repeat`` times (which goes first too) and the best wall time counts; the 1-minute
load average is read before and after each row. Acceptance: engine / raw >= 0.9.

    python bench/kinds.py                       # both tables: ~20 minutes on 2 quiet cores
    python bench/kinds.py --parts sizes --sizes base   # one size at a time: under 8 minutes
    python bench/kinds.py --parts kinds --sentences 48 --repeat 1
    python bench/kinds.py --prepare             # build models and packages only
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import DEFAULT_SOURCE, REPO, read_sentences, timed  # bench/engine.py

MODELS = REPO / "bench" / "models" / "kinds"
TOOL = REPO / "tools" / "build_kind_models.py"
SPM_NAME = "unpc.spm"
ARGOS_PACKAGE = "translate-ar_en-kinds_bench.argosmodel"
KINDS = ("argos", "marian", "m2m100", "nllb")
LANGUAGE_TOKENS = {
    "marian": (">>eng<<", ">>vie<<"),
    "m2m100": ("__ar__", "__en__", "__vi__"),
    "nllb": ("arb_Arab", "eng_Latn", "vie_Latn"),
}
TOKENIZER_CLASS = {
    "marian": "MarianTokenizer",
    "m2m100": "M2M100Tokenizer",
    "nllb": "NllbTokenizer",
}


def log(msg: str) -> None:
    print(msg, flush=True)


def load() -> float:
    return os.getloadavg()[0]


# --------------------------------------------------------------------------- models


def kinds_tool() -> ModuleType:
    """``tools/build_kind_models.py`` as a module (its bench writer)."""
    spec = importlib.util.spec_from_file_location("build_kind_models", TOOL)
    if spec is None or spec.loader is None:
        sys.exit(f"{TOOL}: not found (it comes with the kinds branch)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tokenizer(source: Path) -> bytes:
    """A SentencePiece model of the UNPC dev set (cached in bench/models/kinds)."""
    path = MODELS / SPM_NAME
    if path.is_file():
        return path.read_bytes()
    import sentencepiece as spm

    lines: list[str] = []
    for name in (source.name, source.with_suffix(".en").name):
        with open(source.parent / name, encoding="utf-8") as fh:
            lines.extend(line.strip() for line in fh if line.strip())
    out = io.BytesIO()
    # the dev set is too small for a strict 32k vocabulary: SentencePiece stops below it,
    # and the bench writer pads the model's vocabulary to 32,000
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=out,
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
        num_threads=1,
        minloglevel=2,
    )
    MODELS.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return out.getvalue()


EXTRA_SIZES = {
    # name: ((d_model, (encoder, decoder layers), heads, FFN), vocabulary)
    "m2m418": ((1024, (12, 12), 16, 4096), 128_112),  # M2M-100 418M's shape (config.json)
}
"""Shapes beyond the kinds tool's base and big, measured with ``--sizes m2m418``."""


def model_dir(size: str, weights: str) -> Path:
    return MODELS / f"opus-mt-{size}-{weights}-ct2"


def build_models(sizes: Sequence[str], types: Sequence[str], sp_model: bytes) -> None:
    """The random-weight CTranslate2 folders still missing, by the kinds tool's writer,
    with this SentencePiece model's pieces as the vocabulary (padded to 32,000)."""
    import sentencepiece as spm

    tool = kinds_tool()
    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    tool.read_argos = lambda _package: (
        {},
        list(pieces),
        sp_model,
    )  # our tokenizer, not the test one
    for size in sizes:
        missing = [t for t in types if not (model_dir(size, t) / "model.bin").is_file()]
        if missing:
            started = time.perf_counter()
            if size in EXTRA_SIZES:  # the writer's tables, for this shape
                tool.BENCH_SIZES[size], tool.BENCH_VOCAB = EXTRA_SIZES[size]
            tool.build_bench(MODELS, [size], missing, log)
            log(f"  built {size} {','.join(missing)} in {time.perf_counter() - started:.0f} s")


def _vocabulary_with(folder: Path, tokens: Sequence[str]) -> None:
    """Replace the last padding entries of the vocabulary by ``tokens`` (same size, so
    model.bin still matches it)."""
    path = folder / "shared_vocabulary.json"
    vocab = json.loads(path.read_text(encoding="utf-8"))
    pads = [i for i, t in enumerate(vocab) if t.startswith("<bench_pad_")]
    for i, token in zip(pads[-len(tokens) :], tokens, strict=True):
        vocab[i] = token
    path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")


def _copy_model(source: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for item in source.iterdir():
        if item.name == "model.bin":
            os.link(item, dest / item.name)  # read only: a hard link saves the copy
        else:
            shutil.copy2(item, dest / item.name)


def kind_folder(kind: str, base: Path, out: Path, sp_model: bytes) -> Path:
    """``base`` (an OPUS-MT-shaped CTranslate2 folder) laid out as a ``kind`` folder, as
    ``ct2-transformers-converter --copy_files`` writes one."""
    dest = out / f"kinds-{kind}"
    _copy_model(base, dest)
    _vocabulary_with(dest, LANGUAGE_TOKENS[kind])
    config: dict[str, Any] = {"tokenizer_class": TOKENIZER_CLASS[kind], "name_or_path": dest.name}
    if kind == "marian":  # a multi-target release: >>eng<< or >>vie<< first in the source
        config |= {"source_lang": "ara", "target_lang": "eng vie"}
    else:
        # converted from transformers: no </s> added by CTranslate2 (the tokenizer did it)
        ct2 = json.loads((dest / "config.json").read_text(encoding="utf-8"))
        ct2 |= {"add_source_eos": False, "decoder_start_token": "</s>"}
        (dest / "config.json").write_text(json.dumps(ct2, indent=2), encoding="utf-8")
        for name in ("source.spm", "target.spm"):
            (dest / name).unlink()
        (dest / "sentencepiece.bpe.model").write_bytes(sp_model)
        config["additional_special_tokens"] = list(LANGUAGE_TOKENS[kind])
    (dest / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return dest


def argos_package(base: Path, path: Path, sp_model: bytes) -> Path:
    """``base`` as an argos package (metadata.json, sentencepiece.model, model/)."""
    top = "translate-ar_en-kinds_bench"
    metadata = {
        "package_version": "0.0.1",
        "argos_version": "1.9.0",
        "from_code": "ar",
        "from_name": "Arabic",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "links": [],
        "bilingual": {"test_model": True},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=2))
        zf.writestr(f"{top}/sentencepiece.model", sp_model)
        for name in ("model.bin", "config.json", "shared_vocabulary.json"):
            zf.write(base / name, f"{top}/model/{name}")
    return path


def bilingual(home: Path, *args: str) -> str:
    """Run ``bilingual ARGS`` (the real CLI) with ``home`` as BILINGUAL_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILINGUAL_")}
    env["BILINGUAL_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", "bilingual", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bilingual {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip().splitlines()[0]


# --------------------------------------------------------------------------- child


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(args: argparse.Namespace) -> int:
    """One row: open the package as a run does, time engine and raw alternately."""
    from bilingual.config import resolve_settings, thread_split
    from bilingual.engine import open_translator

    settings = resolve_settings(
        {},
        home=args.home,
        threads=args.threads,
        beam_size=args.beam,
        device="cpu",
        route_models=[f"ar-en={args.package}"],
    )
    translator = open_translator(settings, "ar", "en")
    assert translator.info.name == args.package, translator.info.name
    sentences = read_sentences(args.source, args.sentences)
    cap = args.max_decoding_length
    # raw gets exactly the engine's model inputs, in input order: language tokens, </s>
    # where the engine adds it, a long sentence's pieces, the forced target prefix
    plan = translator.plan(sentences, max_decoding_length=cap)
    source: list[list[str]] = [[] for _ in plan.units]
    prefixes: list[list[str] | None] = [None for _ in plan.units]
    for batch in plan.batches:
        forced = batch.options["target_prefix"] or [None] * len(batch.units)
        for k, unit in enumerate(batch.units):
            source[unit], prefixes[unit] = batch.source[k], forced[k]
    longest = max((len(p or ()) for p in prefixes), default=0)
    options: dict[str, Any] = {
        "max_batch_size": translator.batch_size,
        "beam_size": args.beam,
        "length_penalty": translator.decoding.length_penalty,
        "replace_unknowns": translator.decoding.replace_unknowns,
        "return_scores": True,
        "max_input_length": 0,
        "max_decoding_length": cap + longest,  # as the engine's plan: the cap after the prefix
    }
    if longest:
        options["target_prefix"] = prefixes
    out_tokens: list[int] = []

    def raw() -> None:
        results = translator.model.translate_batch(source, **options)
        out_tokens[:] = [len(r.hypotheses[0]) for r in results]

    variants: dict[str, Callable[[], Any]] = {
        "engine": lambda: translator.translate(sentences, max_decoding_length=cap),
        "raw": raw,
    }
    translator.translate(sentences[:8], max_decoding_length=cap)  # warm-up, both
    translator.model.translate_batch(
        source[:8], **{**options, "target_prefix": prefixes[:8]} if longest else options
    )
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for k in range(args.repeat):
        for name in list(variants) if k % 2 == 0 else list(variants)[::-1]:
            cpu = time.process_time()
            _, seconds = timed(variants[name])
            runs[name].append((seconds, time.process_time() - cpu))
    adapter = translator.adapter
    report: dict[str, Any] = {name: min(timings) for name, timings in runs.items()}
    report |= {
        "runs": {name: [round(s, 2) for s, _ in timings] for name, timings in runs.items()},
        "kind": translator.info.kind,
        "split": list(thread_split(settings.threads, settings.inter_threads, "cpu")),
        "sentences": len(sentences),
        "inputs": len(plan.units),
        "batches": len(plan.batches),
        "source_tokens": sum(len(s) for s in source),
        "output_tokens_mean": sum(out_tokens) / max(1, len(out_tokens)),
        "example": " ".join([*adapter.source_prefix, "(pieces)", *adapter.source_suffix]),
        "tokens": {
            "source_prefix": list(adapter.source_prefix),
            "source_suffix": list(adapter.source_suffix),
            "target_prefix": list(adapter.target_prefix),
            "added_by_ctranslate2": adapter.added,
        },
        "rss_mb": peak_rss_mb(),
    }
    print(json.dumps(report))
    return 0


def run_child(args: argparse.Namespace, home: Path, package: str, sentences: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--home",
        str(home),
        "--package",
        package,
        "--sentences",
        str(sentences),
        "--source",
        str(args.source),
        "--beam",
        str(args.beam),
        "--threads",
        str(args.threads),
        "--max-decoding-length",
        str(args.max_decoding_length),
        "--repeat",
        str(args.repeat),
    ]
    before = load()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=args.row_timeout
        )
    except subprocess.TimeoutExpired:
        sys.exit(f"{package}: over --row-timeout {args.row_timeout} s, stopped")
    if done.returncode != 0:
        sys.exit(f"{package} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = [round(before, 2), round(load(), 2)]
    return result


# --------------------------------------------------------------------------- main


def _ratio(r: dict[str, Any]) -> float:
    return float(r["raw"][0] / r["engine"][0])


def _mark(r: dict[str, Any]) -> str:
    return f"{_ratio(r):.2f}" + (" **below 0.9**" if _ratio(r) < 0.9 else "")


def _sps(r: dict[str, Any], variant: str) -> str:
    return f"{r['sentences'] / r[variant][0]:.2f}"


def print_sizes(rows: list[dict[str, Any]]) -> None:
    print(
        "\n| size | weights | model.bin MB | sentences | engine sent/s | raw sent/s "
        "| engine / raw | CPU s engine, raw | peak RSS MB | load before, after |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r['size']} | {r['weights']} | {r['model_mb']:.0f} | {r['sentences']} "
            f"| {_sps(r, 'engine')} | {_sps(r, 'raw')} | {_mark(r)} "
            f"| {r['engine'][1]:.0f}, {r['raw'][1]:.0f} | {r['rss_mb']:.0f} "
            f"| {r['load'][0]:.1f}, {r['load'][1]:.1f} |"
        )


def print_kinds(rows: list[dict[str, Any]]) -> None:
    print(
        "\n| kind | installed with | model input | target prefix | sentences "
        "| engine sent/s | raw sent/s | engine / raw | load before, after |"
    )
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        prefix = " ".join(r["tokens"]["target_prefix"]) or "-"
        added = " (+ `</s>` by CTranslate2)" if r["tokens"]["added_by_ctranslate2"] else ""
        print(
            f"| {r['kind']} | {r['installed_with']} | `{r['example']}`{added} | {prefix} "
            f"| {r['sentences']} | {_sps(r, 'engine')} | {_sps(r, 'raw')} | {_mark(r)} "
            f"| {r['load'][0]:.1f}, {r['load'][1]:.1f} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--parts", default="sizes,kinds", help="sizes, kinds or both")
    ap.add_argument("--sizes", default="base,big", help="comma-separated: base,big,m2m418")
    ap.add_argument("--types", default="int8,float32", help="weight types: int8,float32")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset")
    ap.add_argument("--sentences", type=int, default=200, help="UNPC dev lines (base rows)")
    ap.add_argument("--big-sentences", type=int, default=64, help="UNPC dev lines (other rows)")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2, help="cores (default thread split)")
    ap.add_argument("--max-decoding-length", type=int, default=64, help="output cap, all rows")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs of each (best)")
    ap.add_argument("--row-timeout", type=int, default=480, help="seconds; a row over it stops")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--prepare", action="store_true", help="build models and packages only")
    # a child process runs one row
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--package", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    if not args.source.is_file():
        log(
            f"{args.source}: not found (the UNPC dev set lives in ../shared/data/unpc-dev); skipped"
        )
        return 0
    parts = args.parts.split(",")
    sizes, types = args.sizes.split(","), args.types.split(",")
    kinds = args.kinds.split(",")
    needed = {(s, t) for s in sizes for t in types} if "sizes" in parts else set()
    if "kinds" in parts:
        needed.add(("base", "int8"))
    sp_model = tokenizer(args.source)
    for size in dict.fromkeys(s for s, _ in sorted(needed)):
        build_models([size], [t for s, t in sorted(needed) if s == size], sp_model)
    base = model_dir("base", "int8")
    package = MODELS / ARGOS_PACKAGE
    if "kinds" in parts and not package.is_file():
        argos_package(base, package, sp_model)
    if args.prepare:
        log(f"models and packages in {MODELS}")
        return 0

    started = time.perf_counter()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    size_rows: list[dict[str, Any]] = []
    kind_rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-kinds-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        if "sizes" in parts:
            for size in sizes:
                for weights in types:
                    name = f"bench-{size}-{weights}"
                    folder = model_dir(size, weights)
                    bilingual(
                        home, "models", "import", str(folder), "--pairs", "ar-en", "--name", name
                    )
                    n = args.sentences if size == "base" else args.big_sentences
                    row = run_child(args, home, name, n)
                    row |= {"size": size, "weights": weights}
                    row["model_mb"] = (folder / "model.bin").stat().st_size / 1e6
                    size_rows.append(row)
                    log(f"  {size} {weights}: {json.dumps(row)}")
        if "kinds" in parts:
            for kind in kinds:
                if kind == "argos":
                    line = bilingual(home, "models", "install", str(package))
                    name, how = line.split()[2], "`models install` (.argosmodel)"
                else:
                    folder = kind_folder(kind, base, tmp / "folders", sp_model)
                    name = f"kinds-{kind}"
                    bilingual(home, "models", "import", str(folder), "--name", name)
                    how = "`models import` (CTranslate2 folder)"
                row = run_child(args, home, name, args.sentences)
                row["installed_with"] = how
                kind_rows.append(row)
                log(f"  {kind}: {json.dumps(row)}")

    print(
        f"\n{stamp}, {os.cpu_count()} CPUs, {args.threads} threads (default split), beam "
        f"{args.beam}, batch 32, output cap {args.max_decoding_length} tokens, best of "
        f"{args.repeat}, {time.perf_counter() - started:.0f} s in all"
    )
    if size_rows:
        print_sizes(size_rows)
    if kind_rows:
        print_kinds(kind_rows)
    low = [r for r in size_rows + kind_rows if _ratio(r) < 0.9]
    if low:
        print(f"\nengine / raw below 0.9 in {len(low)} row(s)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"date": stamp, "argv": sys.argv, "sizes": size_rows, "kinds": kind_rows},
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
