"""Benchmark: the day's digest of 50 articles (the two seeds × 25, approved) as DOCX and PDF.

The whole day as a user runs it, each step the real command: the seeds in
``../shared/seeds`` are copied 25 times (``NAME-k.txt``, each its own article),
translated with the test models (``tests/models``, installed into a temporary
``BILINGUAL_HOME``) into a folder with its memory, every sentence approved with
``review import --approve``, then ``bilingual publish OUT --digest today`` is timed,
best of ``--repeat``, for each format:

* ``docx``: gathering (briefings, memory, gate), the DOCX with its contents' page
  numbers from LibreOffice's layout of the digest (one PDF rendering, where LibreOffice
  is installed), read back and checked (target: under 10 s);
* ``pdf``: the same, then LibreOffice rendering the DOCX to PDF (fonts embedded);
* ``html``: the self-contained HTML edition;
* with ``--pdf-a``, also the PDF as PDF/A-2b.

    .venv/bin/python bench/digest.py --copies 25 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _bilingual() -> str:
    return str(Path(sys.executable).with_name("bilingual"))


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:3])}... failed ({done.returncode}):\n{done.stderr[-2000:]}")


def prepare(seeds: list[Path], copies: int, folder: Path, target: str, env: dict[str, str]) -> Path:
    """Translate ``copies`` of every seed into ``folder/day`` and approve every sentence."""
    models = sorted(str(p) for p in (REPO / "tests" / "models").glob("*.argosmodel"))
    _run([_bilingual(), "models", "install", *models], env)
    articles = folder / "input"
    articles.mkdir()
    for k in range(1, copies + 1):
        for seed in seeds:
            shutil.copyfile(seed, articles / f"{seed.stem}-{k:02d}{seed.suffix}")
    day = folder / "day"
    _run([_bilingual(), "translate", str(articles), "--to", target, "--out", str(day), "-q"], env)
    _run(
        [_bilingual(), "review", "import", "--approve", *map(str, sorted(day.glob("*.docx")))], env
    )
    return day


def best_of(repeat: int, args: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        _run(args, env)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--copies", type=int, default=25)
    ap.add_argument("--to", default="en", help="the digest's language: en or vi")
    ap.add_argument("--layout", choices=["target", "side-by-side"], default="target")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf-a", action="store_true", help="also time PDF/A-2b")
    ap.add_argument("--keep", type=Path, help="publish into this folder (kept)")
    args = ap.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        sys.exit(f"no seed articles in {args.seeds}")
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-digest-") as work:
        folder = Path(work)
        env = {**os.environ, "BILINGUAL_HOME": str(folder / "home"), "BILINGUAL_DESK": "Bench desk"}
        start = time.perf_counter()
        day = prepare(seeds, args.copies, folder, args.to, env)
        articles = len(list(day.glob("*.json")))
        print(f"translated and approved {articles} articles in {time.perf_counter() - start:.1f} s")
        out = args.keep or folder / "published"
        publish = [_bilingual(), "publish", str(day), "--out", str(out), "--digest", "today"]
        publish += ["--to", args.to, "--layout", args.layout]
        formats = [("docx", []), ("pdf", []), ("html", [])]
        if args.pdf_a:
            formats.append(("pdf", ["--pdf-a"]))
        for fmt, extra in formats:
            seconds = best_of(args.repeat, [*publish, "--format", fmt, *extra], env)
            label = f"{fmt} {' '.join(extra)}".strip()
            print(f"publish --digest, {articles} articles, {label:<12} best {seconds:6.2f} s")
        pages = subprocess.run(
            ["pdfinfo", str(out / "today.pdf")], capture_output=True, text=True, check=False
        ).stdout
        print(next((line for line in pages.splitlines() if line.startswith("Pages")), ""))


if __name__ == "__main__":
    main()
