"""Cost of the alternatives: engine time and memory with more hypotheses per decode.

Alternatives where the model is unsure (:mod:`bilingual.alternatives`) come from the same
decode asked for ``num_hypotheses`` > 1 (3 by default: the best and two more, within the
beam of 4). This measures what that costs, on the committed test models (real, tiny,
trained models that end their sentences on their own, so the beam's stopping matters;
a random-weight bench model runs to the output cap whatever is asked, and would show
nothing):

* ``engine``: ``Translator.translate`` of the same sentences with ``num_hypotheses`` 1,
  2, 3 and 4 (beam 4), each in a child process of its own (its peak RSS reported), the
  variants alternated ``--repeat`` times, the best wall time and the best CPU time (all
  threads: steadier than wall time on a shared machine) kept; the best hypothesis is
  checked to be the same in every variant;
* ``run``: ``translate input/ --to en,vi`` (no memory: every sentence reaches the model)
  with ``RunOptions.alternatives`` 0 and 2, the median model time of ``--repeat`` runs.

The sentences: ``input/*.txt`` and the test cases, plus the first ``--sentences`` lines
of the UNPC dev set when ``../shared`` has it (read in place, never copied).

    PYTHONPATH=src python bench/alternatives.py --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UNPC = REPO.parent / "shared" / "data" / "unpc-dev" / "UNv1.0.devset.ar"


def _install(home: Path) -> None:
    from bilingual.config import resolve_settings
    from bilingual.models import install_package_file

    settings = resolve_settings({}, home=home, threads=2)
    for package in sorted((REPO / "tests/models").glob("*.argosmodel")):
        install_package_file(settings, package)


def _sentences(pair: str, extra: int) -> list[str]:
    from bilingual.segment import split_sentences

    with (REPO / "tests/models/cases.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    out = [src for p, src, _ in rows if p == pair]
    if pair == "ar-en":
        for path in sorted((REPO / "input").glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                out += [line[a:b] for a, b in split_sentences(line)] if line else []
        if UNPC.is_file():
            out += [x for x in UNPC.read_text(encoding="utf-8").splitlines() if x.strip()][:extra]
    return out


def child(home: Path, pair: str, n: int, extra: int) -> None:
    """One variant in this process: time it, print seconds, RSS and the best texts."""
    from bilingual.config import resolve_settings
    from bilingual.engine import open_translator

    settings = resolve_settings({}, home=home, threads=2)
    translator = open_translator(settings, *pair.split("-"))
    sentences = _sentences(pair, extra)
    translator.translate(sentences[:8], num_hypotheses=n)  # warm up
    start, cpu = time.perf_counter(), time.process_time()
    results = translator.translate(sentences, num_hypotheses=n)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = [r.text for r in results]
    row = {"seconds": seconds, "cpu": cpu, "rss_mb": rss, "best": best, "count": len(best)}
    print(json.dumps(row))


def engine_table(home: Path, repeat: int, extra: int) -> None:
    print(
        "| pair | sentences | num_hypotheses | wall, best (s) | vs 1 | CPU, best (s) | vs 1 "
        "| peak RSS (MB) | same best |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for pair in ("ar-en", "en-vi"):
        runs: dict[int, list[dict[str, object]]] = {n: [] for n in (1, 2, 3, 4)}
        for k in range(repeat):
            order = [1, 2, 3, 4] if k % 2 == 0 else [4, 3, 2, 1]
            for n in order:
                cmd = [sys.executable, __file__, "--child", str(home), pair, str(n), str(extra)]
                env = {**os.environ, "CT2_USE_MKL": os.environ.get("CT2_USE_MKL", "1")}
                done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
                runs[n].append(json.loads(done.stdout.strip().splitlines()[-1]))
        base = min(float(r["seconds"]) for r in runs[1])  # type: ignore[arg-type]
        base_cpu = min(float(r["cpu"]) for r in runs[1])  # type: ignore[arg-type]
        for n, rows in runs.items():
            best = min(float(r["seconds"]) for r in rows)  # type: ignore[arg-type]
            cpu = min(float(r["cpu"]) for r in rows)  # type: ignore[arg-type]
            rss = max(float(r["rss_mb"]) for r in rows)  # type: ignore[arg-type]
            same = all(r["best"] == runs[1][0]["best"] for r in rows)
            count = rows[0]["count"]
            print(
                f"| {pair} | {count} | {n} | {best:.3f} | {best / base:.2f}x | {cpu:.3f} "
                f"| {cpu / base_cpu:.2f}x | {rss:.0f} | {'yes' if same else 'NO'} |"
            )


def run_table(home: Path, repeat: int) -> None:
    from bilingual.config import resolve_settings
    from bilingual.pipeline import RunOptions, translate_articles

    settings = resolve_settings({}, home=home, threads=2)
    times: dict[int, list[float]] = {0: [], 2: []}
    for k in range(repeat):
        for alternatives in (0, 2) if k % 2 == 0 else (2, 0):
            with tempfile.TemporaryDirectory() as out:
                options = RunOptions(
                    paths=(REPO / "input",),
                    targets=("en", "vi"),
                    glossary_dir=REPO / "glossary",
                    out_dir=Path(out),
                    alternatives=alternatives,
                )
                report = translate_articles(options, settings)
            times[alternatives].append(report.model_seconds)
    print("\n| run (input/, en,vi) | model time, median (s) |")
    print("|---|---|")
    for alternatives, values in times.items():
        print(f"| alternatives={alternatives} | {statistics.median(values):.3f} |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        home, pair, n, extra = sys.argv[2:6]
        child(Path(home), pair, int(n), int(extra))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sentences", type=int, default=500, help="UNPC dev lines to add")
    ap.add_argument("--parts", default="engine,run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        _install(home)
        parts = args.parts.split(",")
        if "engine" in parts:
            engine_table(home, args.repeat, args.sentences)
        if "run" in parts:
            run_table(home, args.repeat)


if __name__ == "__main__":
    main()
