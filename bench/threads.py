"""Benchmark: CTranslate2's thread split and batch type, through the engine and raw.

For each number of cores (``--cores``, default 1 and 2) every split ``inter_threads x
intra_threads`` that uses all of them (1x1; 1x2 and 2x1; ...), and each batching
(``--batches``: ``examples:32`` is today's 32 sentences per batch, ``tokens:1024`` at most
1024 source tokens per batch), translates the same Arabic sentences two ways, with the
same model, beam size and output cap:

* ``engine``: ``bilingual.engine.Translator.translate`` on all sentences in one call,
  the translator loaded by ``load_translator`` with ``inter_threads`` asked for
  (``Settings.inter_threads``), so the engine queues that many batches at once;
* ``unspread`` (with ``--unspread``): ``engine`` without cutting a small decode into
  one batch per worker (:func:`bilingual.engine.batching.spread`), as before issue 19:
  on a small run (``--sentences`` below the batch size) 2 x 1 left a worker idle;
* ``raw``: one ``ctranslate2.Translator.translate_batch`` call on the sentences tokenized
  beforehand (untimed), on the same loaded model, CTranslate2 batching by
  ``max_batch_size`` and ``batch_type`` and running the batches on its own workers: the
  ceiling.

Each configuration runs in a child process pinned to that many cores
(``sched_setaffinity``, so "1 core" is one core even on a bigger machine), which reports
its peak RSS: the memory cost of more workers (CTranslate2 shares the weights between the
workers of one translator; each has its own buffers). Prints a markdown table with
sentences/s and engine/raw per configuration.

    python bench/threads.py --sentences 240
    python bench/threads.py --model tests/models/translate-ar_en-test.argosmodel \
        --cores 2 --batches examples:32 --sentences 24 --repeat 5 --unspread
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import DEFAULT_SOURCE, REPO, read_sentences, timed  # bench/engine.py


def splits(cores: int) -> list[tuple[int, int]]:
    """Every ``(inter, intra)`` with ``inter * intra == cores``, fewest workers first."""
    return [(i, cores // i) for i in range(1, cores + 1) if cores % i == 0]


def parse_batches(text: str) -> list[tuple[str, int]]:
    out = []
    for item in text.split(","):
        kind, _, size = item.partition(":")
        if kind not in ("examples", "tokens") or not size.isdigit():
            sys.exit(f"--batches: {item!r} is not examples:N or tokens:N")
        out.append((kind, int(size)))
    return out


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(args: argparse.Namespace) -> int:
    """One configuration: load, warm up, time engine and raw alternately; JSON to stdout."""
    from bilingual.config import resolve_settings
    from bilingual.engine import Translator, load_translator
    from bilingual.engine.batching import cut
    from bilingual.models import find_package

    settings = resolve_settings(
        {},
        home=args.home,
        threads=args.inter * args.intra,
        inter_threads=args.inter,
        beam_size=args.beam,
        batch_size=args.batch_size,
        device="cpu",
    )
    translator = load_translator(settings, find_package(settings, "ar", "en"))
    translator.batch_type = args.batch_type
    assert translator.parallel_batches == args.inter
    sentences = read_sentences(args.source, args.sentences)
    pre = [translator.tokenize(s) for s in sentences]  # untimed: raw gets tokens for free
    options: dict[str, Any] = {
        "max_batch_size": args.batch_size,
        "batch_type": args.batch_type,
        "beam_size": args.beam,
        "length_penalty": translator.decoding.length_penalty,
        "replace_unknowns": translator.decoding.replace_unknowns,
        "return_scores": True,
        "max_input_length": 0,
        "max_decoding_length": args.max_decoding_length,
    }
    cap = args.max_decoding_length
    n_batches = len(translator.batches([len(p) for p in pre]))

    # the same model and workers: only the batches differ
    unspread = Translator(
        translator.info,
        translator.model,
        adapter=translator.adapter,
        batch_size=args.batch_size,
        batch_type=args.batch_type,
        decoding=translator.decoding,
        parallel_batches=translator.parallel_batches,
    )
    unspread.batches = lambda lengths: cut(lengths, args.batch_size, args.batch_type)  # type: ignore[method-assign]
    variants = {
        "engine": lambda: translator.translate(sentences, max_decoding_length=cap),
        "raw": lambda: translator.model.translate_batch(pre, **options),
    }
    if args.unspread:
        variants["unspread"] = lambda: unspread.translate(sentences, max_decoding_length=cap)
    translator.translate(sentences[:8], max_decoding_length=cap)  # warm-up
    translator.model.translate_batch(pre[:8], **options)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for k in range(args.repeat):
        # alternated, first one then the other, so background load hits both alike
        for name in list(variants) if k % 2 == 0 else list(variants)[::-1]:
            cpu = time.process_time()
            _, seconds = timed(variants[name])
            runs[name].append((seconds, time.process_time() - cpu))
    report = {name: min(timings) for name, timings in runs.items()}  # best wall time
    report.update(batches=n_batches, rss_mb=peak_rss_mb())
    print(json.dumps(report))
    return 0


def run_child(
    args: argparse.Namespace, home: Path, cores: int, split: tuple[int, int], batch: tuple[str, int]
) -> dict[str, Any]:
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < cores:
        sys.exit(f"{cores} cores asked for, this process may use {len(allowed)}")
    pinned = set(allowed[:cores])
    command = [
        sys.executable,
        __file__,
        "--child",
        "--home",
        str(home),
        "--inter",
        str(split[0]),
        "--intra",
        str(split[1]),
        "--batch-type",
        batch[0],
        "--batch-size",
        str(batch[1]),
        "--sentences",
        str(args.sentences),
        "--source",
        str(args.source),
        "--beam",
        str(args.beam),
        "--max-decoding-length",
        str(args.max_decoding_length),
        "--repeat",
        str(args.repeat),
    ] + (["--unspread"] if args.unspread else [])
    # one OpenMP/CTranslate2 runtime per configuration, on exactly these cores
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.sched_setaffinity(0, pinned),
    )
    if done.returncode != 0:
        sys.exit(f"configuration {split} {batch} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--sentences", type=int, default=240)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--max-decoding-length", type=int, default=64, help="output cap, all runs")
    ap.add_argument("--cores", default="1,2", help="comma-separated core counts")
    ap.add_argument("--batches", default="examples:32,tokens:1024", help="batch_type:size,...")
    ap.add_argument(
        "--repeat", type=int, default=1, help="timed runs of each, alternated (best wall time)"
    )
    ap.add_argument(
        "--unspread", action="store_true", help="also time the engine without spread batches"
    )
    # a child process runs one configuration
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--inter", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--intra", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--batch-type", default="examples", help=argparse.SUPPRESS)
    ap.add_argument("--batch-size", type=int, default=32, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    if not args.model.is_file():
        sys.exit(f"{args.model}: not found; build it with tools/build_test_models.py --bench")
    read_sentences(args.source, args.sentences)  # fail early on a missing data set
    core_counts = [int(c) for c in args.cores.split(",")]
    batches = parse_batches(args.batches)

    from bilingual.config import resolve_settings, thread_split
    from bilingual.models import install_package_file

    started = time.perf_counter()
    rows: list[tuple[int, tuple[int, int], tuple[str, int], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-threads-") as tmp_name:
        home = Path(tmp_name) / "home"
        install_package_file(resolve_settings({}, home=home), args.model)
        for cores in core_counts:
            for split in splits(cores):
                for batch in batches:
                    result = run_child(args, home, cores, split, batch)
                    rows.append((cores, split, batch, result))
                    print(f"  {cores} cores {split[0]}x{split[1]} {batch}: {result}", flush=True)

    print(
        f"\nmodel {args.model.name}, {args.sentences} sentences, beam {args.beam}, "
        f"output cap {args.max_decoding_length} tokens, best of {args.repeat}, "
        f"{time.perf_counter() - started:.0f} s in all\n"
    )
    print(
        "| cores | inter x intra | batch | batches | engine sent/s | raw sent/s "
        "| engine / raw | CPU s engine, raw | peak RSS MB | default |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for cores, split, batch, r in rows:
        default = "yes" if split == thread_split(cores) and batch == ("examples", 32) else ""
        print(
            f"| {cores} | {split[0]} x {split[1]} | {batch[0]} {batch[1]} | {r['batches']} "
            f"| {args.sentences / r['engine'][0]:.2f} | {args.sentences / r['raw'][0]:.2f} "
            f"| {r['raw'][0] / r['engine'][0]:.2f} | {r['engine'][1]:.0f}, {r['raw'][1]:.0f} "
            f"| {r['rss_mb']:.0f} | {default} |"
            + (
                f" unspread {args.sentences / r['unspread'][0]:.2f} sent/s"
                if "unspread" in r
                else ""
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
