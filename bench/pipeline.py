"""Benchmark: the seed articles copied N times through the whole pipeline.

Reports total wall time and the share spent outside the translation model (cleaning,
segmentation, glossary matching, locking bookkeeping, QA, DOCX and JSON writing).
Target: under 10% outside the model on the engine's benchmark model.

    python bench/pipeline.py --model bench/models/translate-ar_en-bench.argosmodel
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from bilingual.config import resolve_settings
from bilingual.models import install_package_file
from bilingual.pipeline import RunOptions, translate_articles

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--glossary", type=Path, default=REPO / "glossary")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument(
        "--dedupe",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="translate identical sentences once (the tool's default); "
        "off here so that every copy costs model time",
    )
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = resolve_settings(
            {}, home=tmp / "home", threads=args.threads, beam_size=args.beam
        )
        install_package_file(settings, args.model)
        inputs = tmp / "input"
        inputs.mkdir()
        seeds = sorted(args.seeds.glob("*.txt"))
        for k in range(args.copies):
            for seed in seeds:
                shutil.copy(seed, inputs / f"{seed.stem}_{k:03d}.txt")
        options = RunOptions(
            paths=(inputs,), targets=("en",), glossary_dir=args.glossary, out_dir=tmp / "out"
        )
        t0 = time.perf_counter()
        report = translate_articles(options, settings)
        total = time.perf_counter() - t0
        shutil.rmtree(tmp / "out", ignore_errors=True)

    sentences = sum(a.sentences for a in report.articles)
    outside = total - report.model_seconds
    print(f"articles: {len(report.articles)} ({len(report.failed)} failed), sentences: {sentences}")
    print("| total s | model s | outside model s | share outside |")
    print("|---:|---:|---:|---:|")
    print(f"| {total:.1f} | {report.model_seconds:.1f} | {outside:.1f} | {outside / total:.1%} |")
    print(f"signature: {report.signature}")


if __name__ == "__main__":
    main()
