"""Benchmark: the Ray backend (bilingual.cluster) against the local engine.

Translates bench/engine.py's sentences (the first ``--sentences`` lines of the UNPC dev
set) with the same model, beam, batch size and output cap, locally and through Ray, in
``--repeat`` pairs (alternating which goes first, so that other jobs on a shared machine
hit both alike), and prints a markdown table of the medians (seconds, sentences/s,
overhead of Ray) and the ratio of each pair:

* ``local``: ``bilingual.engine.Translator.translate`` with ``--local-threads`` threads
  (the split the engine picks for them), on all sentences in one call;
* ``ray, pool started``: :class:`bilingual.cluster.RayTranslator` on a local Ray started
  here with ``--actors`` × ``--actor-threads`` CPUs and no dashboard (``ray.init`` is
  timed apart), timed from opening the translator, which starts the run's pool (actors
  spawned, each loading the model), to the end of one call on all sentences: a run's
  first decode when the driver has nothing else to do meanwhile (a real run reads its
  articles while the actors load); ``first result`` says how long until the first
  batch came back;
* ``ray, warm pool``: the same call again on the same pool, as every later decode of a
  run (the ladder's repair, the second hop) finds it: the figure to hold against
  ``local``, which is timed after its model is loaded and warmed up.

All outputs are compared: they must be the same, translation for translation.

    python bench/cluster.py --sentences 720          # the bench model (~6 min on 2 cores)
    python bench/cluster.py --model tests/models/translate-ar_en-test.argosmodel --sentences 2000
    python bench/cluster.py --device cuda --actors 1  # one actor per GPU
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engine import DEFAULT_SOURCE, REPO, read_sentences  # noqa: E402  (bench/engine.py)


def _timed(
    translator: Any, sentences: list[str], t0: float | None = None
) -> tuple[Any, float, float]:
    """One call's output, seconds since ``t0`` (or the call) and until its first batch."""
    t0 = time.perf_counter() if t0 is None else t0
    first: list[float] = []
    out = translator.translate(sentences, progress=lambda n: first.append(time.perf_counter() - t0))
    return out, time.perf_counter() - t0, first[0] if first else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-decoding-length", type=int, default=64, help="output cap, both")
    ap.add_argument("--local-threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--actors", type=int, default=2)
    ap.add_argument("--actor-threads", type=int, default=1)
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    ap.add_argument("--repeat", type=int, default=3, help="paired local/Ray runs")
    ap.add_argument("--skip-local", action="store_true", help="only the Ray run")
    args = ap.parse_args()
    if not args.model.is_file():
        sys.exit(f"{args.model}: not found; build it with tools/build_test_models.py --bench")
    sentences = read_sentences(args.source, args.sentences)

    import ray

    from bilingual.cluster import RayEngine, RayOptions
    from bilingual.config import resolve_settings
    from bilingual.engine import load_translator
    from bilingual.models import install_package_file

    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        settings = resolve_settings(
            {},
            home=Path(tmp) / "home",
            threads=args.local_threads,
            beam_size=args.beam,
            batch_size=args.batch_size,
            device=args.device,
        )
        info = install_package_file(settings, args.model)
        local = None
        if not args.skip_local:
            local = load_translator(settings, info)
            local.decoding = replace(local.decoding, max_decoding_length=args.max_decoding_length)
            local.translate(sentences[:8])  # warm up, as bench/engine.py does

        cpus = args.actors * args.actor_threads
        gpus = args.actors if args.device == "cuda" else 0
        t0 = time.perf_counter()
        ray.init(num_cpus=cpus, num_gpus=gpus, include_dashboard=False, log_to_driver=False)
        started = time.perf_counter() - t0
        engine = RayEngine(RayOptions(actors=args.actors, threads=args.actor_threads), args.actors)
        t0 = time.perf_counter()
        remote = engine(settings, info.from_code, info.to_code)  # starts the pool
        planner = remote.planner  # type: ignore[attr-defined]
        planner.decoding = replace(planner.decoding, max_decoding_length=args.max_decoding_length)
        cold = _timed(remote, sentences, t0)
        outs = [cold[0]]
        runs: dict[str, list[tuple[float, float]]] = {"local": [], "ray": []}
        for k in range(args.repeat):
            # paired and alternated (local first, then Ray first), so that other jobs on
            # the machine hit both alike; the medians are reported
            for name in ("local", "ray") if k % 2 == 0 else ("ray", "local"):
                if name == "local" and local is None:
                    continue
                out, seconds, first = _timed(local if name == "local" else remote, sentences)
                outs.append(out)
                runs[name].append((seconds, first))
        engine.close()
        ray.shutdown()

    return _report(args, len(sentences), started, cold, runs, outs, local is not None)


def _report(
    args: argparse.Namespace,
    n: int,
    started: float,
    cold: tuple[Any, float, float],
    runs: dict[str, list[tuple[float, float]]],
    outs: list[Any],
    has_local: bool,
) -> int:
    """Print the table; 0 when every output was the same."""
    print(
        f"model {args.model.name}, {n} sentences, beam {args.beam}, "
        f"batch {args.batch_size}, output cap {args.max_decoding_length} tokens; "
        f"ray.init {started:.1f} s (not in the figures); medians of {args.repeat} paired runs\n"
    )
    label = f"ray, {args.actors} actor(s) x {args.actor_threads} thread(s)"
    label += f" {args.device}" if args.device != "cpu" else ""
    rows = [(f"local, {args.local_threads} thread(s)", *_median(runs["local"]))]
    rows += [
        (f"{label}, pool started", cold[1], cold[2]),
        (f"{label}, warm pool", *_median(runs["ray"])),
    ]
    base = rows[0][1] if has_local else None
    print("| variant | seconds | sentences/s | first result | vs local |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, seconds, first in rows[0 if base else 1 :]:
        ratio = f"{base / seconds:.2f}" if base else "-"
        print(f"| {name} | {seconds:.1f} | {n / seconds:.1f} | {first:.1f} s | {ratio} |")
    same = all(out == outs[0] for out in outs)
    print(f"\noutputs identical: {same}")
    if base:
        print(
            "per pair, ray/local: "
            + ", ".join(
                f"{r[0] / lo[0]:.2f}" for lo, r in zip(runs["local"], runs["ray"], strict=True)
            )
        )
        for name, seconds, _ in rows[1:]:
            print(f"Ray overhead, {name.rpartition(', ')[2]}: {100 * (seconds / base - 1):+.0f} %")
    return 0 if same else 1


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    if not runs:
        return float("nan"), float("nan")
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


if __name__ == "__main__":
    raise SystemExit(main())
