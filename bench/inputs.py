"""Benchmark: reading saved web pages and Word files, against the whole pipeline's time.

The seed articles are converted to HTML pages and DOCX files (``tools/make_input_forms.py``:
the page furniture, figures and tables the readers must get through) and copied N times,
as ``bench/pipeline.py`` copies the ``.txt`` seeds. For each form the script times

* the reader alone (``bilingual.readers.read_source``: trafilatura's extraction and the
  charset check, or python-docx's reading), then the whole ``read_article`` (reader and
  cleaning), over every copy;
* the whole pipeline on that folder (``translate_articles`` with the benchmark model, no
  de-duplication, as bench/pipeline.py runs it),

and prints the reader's share of the pipeline time. Target: under 10 %.

    python bench/inputs.py --model bench/models/translate-ar_en-bench.argosmodel
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import tempfile
import time
from pathlib import Path

from bilingual.config import resolve_settings
from bilingual.ingest import read_article
from bilingual.models import install_package_file
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.readers import read_source

REPO = Path(__file__).resolve().parents[1]


def _forms_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_input_forms", REPO / "tools" / "make_input_forms.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _inputs(seeds: list[Path], form: str, copies: int, folder: Path) -> list[Path]:
    made = folder / "made"
    tool = _forms_tool()
    built = [tool.write_forms(seed, made, [form])[0] for seed in seeds]
    out = folder / form
    out.mkdir()
    paths = []
    for k in range(copies):
        for path in built:
            target = out / f"{path.stem}_{k:03d}{path.suffix}"
            shutil.copy(path, target)
            paths.append(target)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--forms", default="html,docx")
    ap.add_argument("--glossary", type=Path, default=REPO / "glossary")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--no-pipeline", action="store_true", help="time the readers only, not the pipeline"
    )
    args = ap.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seed articles in {args.seeds}")
    print("| form | files | reader s | read_article s | pipeline s | reader share |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-inputs-") as tmp_name:
        tmp = Path(tmp_name)
        settings = resolve_settings({}, home=tmp / "home", threads=args.threads)
        if not args.no_pipeline:
            install_package_file(settings, args.model)
        for form in args.forms.split(","):
            paths = _inputs(seeds, form, args.copies, tmp)
            data = [(p, p.read_bytes()) for p in paths]
            t0 = time.perf_counter()
            for path, raw in data:
                read_source(path, raw)
            reader = time.perf_counter() - t0
            t0 = time.perf_counter()
            for path in paths:
                read_article(path)
            whole = time.perf_counter() - t0
            pipeline = share = "-"
            if not args.no_pipeline:
                options = RunOptions(
                    paths=(paths[0].parent,),
                    glossary_dir=args.glossary,
                    out_dir=tmp / f"out-{form}",
                    dedupe=False,
                )
                t0 = time.perf_counter()
                report = translate_articles(options, settings)
                total = time.perf_counter() - t0
                assert not report.failed, [a.error for a in report.failed]
                pipeline, share = f"{total:.1f}", f"{reader / total:.1%}"
            print(f"| {form} | {len(paths)} | {reader:.2f} | {whole:.2f} | {pipeline} | {share} |")


if __name__ == "__main__":
    main()
