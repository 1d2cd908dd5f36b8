"""Benchmark: the seed articles copied N times through the whole pipeline.

Reports total wall time and the share spent outside the translation model (cleaning,
segmentation, glossary matching, locking bookkeeping, QA, DOCX and JSON writing).
Target: under 10% outside the model on the engine's benchmark model.

With ``--memory`` the same invocation then measures the review loop's re-runs on one
translation memory: a warm re-run with nothing changed (target: zero model calls, at
least 50x faster than the cold run), and a re-run after one glossary term's rendering
changed (only the sentences holding the term may reach the model).

    python bench/pipeline.py --model bench/models/translate-ar_en-bench.argosmodel --memory
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bilingual.config import Settings, resolve_settings
from bilingual.models import install_package_file
from bilingual.pipeline import RunOptions, RunReport, translate_articles

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
    ap.add_argument(
        "--memory",
        action="store_true",
        help="run on a translation memory, then re-run warm and after a glossary change",
    )
    ap.add_argument("--term", default="cybercrime", help="the glossary term --memory changes")
    ap.add_argument(
        "--names",
        action="store_true",
        help="run without, then with, the names stage and the consistency check, and "
        "report what they add (target: under 5 %%)",
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
            paths=(inputs,),
            targets=("en",),
            glossary_dir=args.glossary,
            out_dir=tmp / "out",
            dedupe=args.dedupe,
            memory=tmp / "memory.sqlite" if args.memory else None,
        )
        if args.names:
            _names_ab(options, settings, tmp)
            return
        t0 = time.perf_counter()
        report = translate_articles(options, settings)
        total = time.perf_counter() - t0
        if args.memory:
            _rerun(options, settings, tmp, args.term, total, report)
        shutil.rmtree(tmp / "out", ignore_errors=True)

    sentences = sum(a.sentences for a in report.articles)
    outside = total - report.model_seconds
    print(f"articles: {len(report.articles)} ({len(report.failed)} failed), sentences: {sentences}")
    print("| total s | model s | outside model s | share outside |")
    print("|---:|---:|---:|---:|")
    print(f"| {total:.1f} | {report.model_seconds:.1f} | {outside:.1f} | {outside / total:.1%} |")
    print(f"signature: {report.signature}")


def _names_ab(options: RunOptions, settings: Settings, tmp: Path) -> None:
    """The same run without, then with, names and consistency (fresh output each time)."""
    off = replace(options, auto_names=False, consistency=False, out_dir=tmp / "out-off")
    on = replace(options, out_dir=tmp / "out-on")
    runs: list[tuple[str, float, RunReport]] = []
    for name, opts in (("names and consistency off", off), ("names and consistency on", on)):
        t0 = time.perf_counter()
        report = translate_articles(opts, settings)
        runs.append((name, time.perf_counter() - t0, report))
        print(f"{name}: {runs[-1][1]:.1f} s", flush=True)
    print("| run | wall s | model s | names s | consistency s | names kept | findings |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, wall, r in runs:
        print(
            f"| {name} | {wall:.1f} | {r.model_seconds:.1f} | {r.names_seconds:.2f} "
            f"| {r.consistency_seconds:.2f} | {len(r.names)} | {len(r.consistency)} |"
        )
    (_, base, _), (_, full, report) = runs
    stages = report.names_seconds + report.consistency_seconds
    print(
        f"added: {full / base - 1:+.1%} wall (noisy); the two stages themselves: {stages:.2f} s "
        f"= {stages / base:.1%} of the run without them"
    )


def _changed_glossary(folder: Path, tmp: Path, term: str) -> tuple[Path, str]:
    """A copy of the glossary where ``term``'s English rendering gains a suffix."""
    from ruamel.yaml import YAML

    copy = tmp / "glossary"
    shutil.copytree(folder, copy)
    yaml = YAML()
    for file in sorted(copy.glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"))
        for entry in data.get("terms", []):
            if entry.get("id") == term:
                entry["en"] = f"{entry['en']}-x"
                with file.open("w", encoding="utf-8") as fh:
                    yaml.dump(data, fh)
                return copy, str(entry["en"])
    raise SystemExit(f"no term {term!r} in {folder}")


def _rerun(
    options: RunOptions, settings: Settings, tmp: Path, term: str, cold: float, first: RunReport
) -> None:
    from bilingual.docx_io.reader import read_docx

    t0 = time.perf_counter()
    warm = translate_articles(options, settings)
    warm_s = time.perf_counter() - t0
    glossary, rendering = _changed_glossary(options.glossary_dir or REPO / "glossary", tmp, term)
    t0 = time.perf_counter()
    changed = translate_articles(replace(options, glossary_dir=glossary), settings)
    changed_s = time.perf_counter() - t0
    holding = sum(
        1
        for a in changed.articles
        if a.docx is not None
        for s in read_docx(a.docx).segments
        if rendering in (s.text("en") or "")
    )
    print("| run | wall s | model inputs | inputs per call | from cache |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, r in (
        ("cold", cold, first),
        ("warm, nothing changed", warm_s, warm),
        (f"term {term} changed", changed_s, changed),
    ):
        print(
            f"| {name} | {seconds:.2f} | {r.model_sentences} | {list(r.model_batches)} "
            f"| {r.cached_sentences} |"
        )
    print(f"warm re-run: {cold / warm_s:.0f}x faster than the cold run")
    print(f"sentences holding {rendering!r} after the change: {holding}")


if __name__ == "__main__":
    main()
