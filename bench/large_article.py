"""Benchmark: one very large Arabic article through ``bilingual translate``.

Builds a synthetic article of each ``--sizes`` (default 1 MB and 5 MB) from the project's
sample articles in ``input/``: copy ``k`` of every sample has each number shifted by ``k``
(so most paragraphs and sentences differ, as in a real long article; the sentences with
no number repeat, and ingest drops the paragraphs that repeat whole), and the copies are
joined with blank lines, captions, image stubs and source lines included.

Each size is run ``--repeat`` times in a fresh child process, exactly as a user runs it::

    bilingual translate ARTICLE --out OUT --glossary glossary --no-memory -q

with ``BILINGUAL_HOME`` pointing at a temporary home holding the test models
(``tests/models``: tiny, so the numbers measure the tool around the model). Reported: the
best wall time, and the peak RSS of the child (``os.wait4``'s ``ru_maxrss``), best and
worst. ``--memory`` runs on a fresh translation memory instead of ``--no-memory``.

    .venv/bin/python bench/large_article.py --sizes 1,5 --repeat 2

``--profile`` runs the pipeline in this process instead, once per size, under
``tracemalloc``, and prints the peak traced memory of each stage and the allocation
sites holding the most at the end of translation.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000
_NUMBER = re.compile(r"\d+")


def _shift(match: re.Match[str], k: int) -> str:
    return str(int(match.group()) + k)


def build_article(size: int, samples: list[str]) -> str:
    """About ``size`` bytes (UTF-8) of article text made of shifted sample copies."""
    parts: list[str] = []
    total = 0
    k = 0
    while total < size:
        for sample in samples:
            copy = _NUMBER.sub(partial(_shift, k=k), sample)
            parts.append(copy)
            total += len(copy.encode("utf-8")) + 2
        k += 1
    return "\n\n".join(parts) + "\n"


def _samples() -> list[str]:
    files = sorted((REPO / "input").glob("*.txt"))
    return [f.read_text(encoding="utf-8").lstrip("\ufeff").strip() for f in files]


def _install_models(home: Path) -> None:
    models = sorted(str(p) for p in (REPO / "tests" / "models").glob("*.argosmodel"))
    subprocess.run(
        [str(_bilingual()), "models", "install", *models],
        env={**os.environ, "BILINGUAL_HOME": str(home)},
        check=True,
        capture_output=True,
    )


def _bilingual() -> Path:
    return Path(sys.executable).with_name("bilingual")


def _run_once(article: Path, home: Path, out: Path, memory: bool) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (bytes) and exit status of one ``bilingual translate``."""
    cmd = [str(_bilingual()), "translate", str(article), "--out", str(out)]
    cmd += ["--glossary", str(REPO / "glossary"), "-q"]
    cmd += ["--memory", str(out / "memory.sqlite")] if memory else ["--no-memory"]
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the max of all children
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 3):
        print(err[-2000:], file=sys.stderr)
    return seconds, usage.ru_maxrss * 1024, proc.returncode


def _rss() -> tuple[float, float]:
    """This process's resident memory now and its peak, in MB (Linux ``/proc``)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return (int(fields["VmRSS"].split()[0]) / 1000, int(fields["VmHWM"].split()[0]) / 1000)


def _reset_peak() -> None:
    # "5" resets the peak RSS (VmHWM) of this process (Linux 4.0 and later)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _profile(article: Path, home: Path, out: Path, trace: bool) -> None:
    """Run in-process; print each stage's time, resident memory and peak RSS (and with
    ``trace`` the Python heap's peak and the sites holding most after translation)."""
    import tracemalloc

    from bilingual import pipeline
    from bilingual.config import resolve_settings
    from bilingual.docx_io import writer
    from bilingual.pipeline import RunOptions, translate_articles

    def staged(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _reset_peak()
            before = _rss()[0]
            if trace:
                tracemalloc.reset_peak()
            t0 = time.perf_counter()
            result = fn(*args, **kwargs)
            seconds = time.perf_counter() - t0
            now, peak = _rss()
            heap = ""
            if trace:
                heap = f", Python heap peak {tracemalloc.get_traced_memory()[1] / MB:6.0f} MB"
            print(
                f"  {name:<20} {seconds:6.1f} s  RSS {before:6.0f} -> {now:6.0f} MB,"
                f" peak {peak:6.0f} MB{heap}"
            )
            if trace and name == "translate_segments":
                for stat in tracemalloc.take_snapshot().statistics("lineno")[:10]:
                    print(f"      {stat.size / MB:7.1f} MB  {stat.traceback}")
            return result

        return wrapper

    for name in ("_read_jobs", "translate_segments", "assemble_briefing", "save_json"):
        setattr(pipeline, name, staged(name, getattr(pipeline, name)))
    writer.save_docx = staged("save_docx", writer.save_docx)
    settings = resolve_settings({}, home=home)
    options = RunOptions(paths=(article,), glossary_dir=REPO / "glossary", out_dir=out)
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    translate_articles(options, settings)
    print(f"  total {time.perf_counter() - t0:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1,5", help="article sizes in MB, comma-separated")
    ap.add_argument("--repeat", type=int, default=2, help="runs per size (best time reported)")
    ap.add_argument("--memory", action="store_true", help="use a fresh translation memory")
    ap.add_argument("--profile", action="store_true", help="in-process, RSS per stage")
    ap.add_argument("--tracemalloc", action="store_true", help="with --profile: Python heap")
    ap.add_argument("--keep", type=Path, help="also save the articles in this folder")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bilingual-large-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        _install_models(home)
        samples = _samples()
        rows = []
        for size in sizes:
            article = tmp / f"large_{size:g}mb.txt"
            article.write_text(build_article(int(size * MB), samples), encoding="utf-8")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / article.name).write_bytes(article.read_bytes())
            if args.profile:
                print(f"{article.name} ({article.stat().st_size / MB:.2f} MB):")
                _profile(article, home, tmp / "out-profile", args.tracemalloc)
                continue
            runs = [
                _run_once(article, home, tmp / f"out-{size:g}-{n}", args.memory)
                for n in range(args.repeat)
            ]
            rows.append((article.name, article.stat().st_size, runs))
    if rows:
        print("| article | MB | runs | best s | peak RSS MB (best-worst) | exit |")
        print("|---|---:|---:|---:|---:|---|")
    for name, nbytes, runs in rows:
        best = min(r[0] for r in runs)
        rss = sorted(r[1] / MB for r in runs)
        codes = ",".join(str(r[2]) for r in runs)
        print(
            f"| {name} | {nbytes / MB:.2f} "
            f"| {len(runs)} | {best:.1f} | {rss[0]:.0f}-{rss[-1]:.0f} | {codes} |"
        )


if __name__ == "__main__":
    main()
