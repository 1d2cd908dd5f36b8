"""Benchmark: the Ray backend (bilingual.cluster) against the local engine.

Translates bench/engine.py's sentences (the first ``--sentences`` lines of the UNPC dev
set) twice with the same model, beam, batch size and output cap, and prints a markdown
table (seconds, sentences/s, overhead of Ray):

* ``local``: ``bilingual.engine.Translator.translate`` with ``--local-threads`` threads
  (the split the engine picks for them), on all sentences in one call;
* ``ray``: :class:`bilingual.cluster.RayTranslator` on a local Ray started here with
  ``--actors`` × ``--actor-threads`` CPUs and no dashboard: one call, as a run's first
  decode is. The time includes what every decode of a run pays: the dataset's actors
  start and each loads the model; ``first result`` says how long until the first batch
  came back.

Both outputs are compared: they must be the same, translation for translation.

    python bench/cluster.py --sentences 200          # the bench model (slow on 2 cores)
    python bench/cluster.py --model tests/models/translate-ar_en-test.argosmodel --sentences 2000
    python bench/cluster.py --device cuda --actors 1  # one actor per GPU
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engine import DEFAULT_SOURCE, REPO, read_sentences  # noqa: E402  (bench/engine.py)


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
        rows: list[tuple[str, float, str]] = []
        local_out = None
        if not args.skip_local:
            local = load_translator(settings, info)
            local.decoding = replace(local.decoding, max_decoding_length=args.max_decoding_length)
            local.translate(sentences[:8])  # warm up, as bench/engine.py does
            t0 = time.perf_counter()
            local_out = local.translate(sentences)
            rows.append((f"local, {args.local_threads} thread(s)", time.perf_counter() - t0, "-"))
            del local

        cpus = args.actors * args.actor_threads
        gpus = args.actors if args.device == "cuda" else 0
        ray.init(num_cpus=cpus, num_gpus=gpus, include_dashboard=False, log_to_driver=False)
        options = RayOptions(actors=args.actors, threads=args.actor_threads)
        remote = RayEngine(options, args.actors)(settings, info.from_code, info.to_code)
        planner = remote.planner  # type: ignore[attr-defined]
        planner.decoding = replace(planner.decoding, max_decoding_length=args.max_decoding_length)
        first: list[float] = []
        t0 = time.perf_counter()
        ray_out = remote.translate(
            sentences, progress=lambda n: first.append(time.perf_counter() - t0)
        )
        ray_seconds = time.perf_counter() - t0
        device = f" {args.device}" if args.device != "cpu" else ""
        label = f"ray, {args.actors} actor(s) x {args.actor_threads} thread(s){device}"
        rows.append((label, ray_seconds, f"{first[0]:.1f} s" if first else "-"))
        ray.shutdown()

    print(
        f"model {args.model.name}, {len(sentences)} sentences, beam {args.beam}, "
        f"batch {args.batch_size}, output cap {args.max_decoding_length} tokens\n"
    )
    print("| variant | seconds | sentences/s | first result | vs local |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = rows[0][1] if local_out is not None else None
    for name, seconds, first_result in rows:
        ratio = f"{base / seconds:.2f}" if base else "-"
        rate = len(sentences) / seconds
        print(f"| {name} | {seconds:.1f} | {rate:.1f} | {first_result} | {ratio} |")
    if local_out is not None:
        same = local_out == ray_out
        print(f"\noutputs identical: {same}")
        if base:
            print(f"Ray overhead: {100 * (ray_seconds / base - 1):+.0f} %")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
