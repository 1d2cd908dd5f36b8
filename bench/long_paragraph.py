"""Benchmark: one huge Arabic paragraph with no punctuation through ``bilingual translate``.

A paragraph of ``--sizes`` (default 0.2 and 1 MB) of Arabic-looking words from a seeded
generator, with no full stop anywhere (issue 18: such a paragraph is one "sentence" to
the segmenter, and the locking ladder's fuzzy matching grew as requirements x words).
The ``names`` variant puts ``السيد جون سميث`` and two other names after the honorific,
then a varying word, every 30 words or so, so that the names stage produces requirements
(a person kept in Latin script) without a glossary. The ``sentences`` variant is the
other hostile shape, one line of many short sentences (a full stop every 15 words or so:
about 10,000 sentences in one paragraph of 1 MB), which the DOCX writer once handled in
time quadratic in the sentence count. ``--variants`` picks any of ``plain``, ``names``
and ``sentences``.

Each run is a fresh child process, as a user runs it::

    bilingual translate PARAGRAPH.txt --out OUT --no-memory -q

with ``BILINGUAL_HOME`` pointing at a temporary home holding the test models
(``tests/models``). The child wraps :meth:`bilingual.engine.Translator.translate` in a
clock, so each row gives the wall time, the time spent in the model, the rest (the tool
around the model) and the child's peak RSS (``os.wait4``'s ``ru_maxrss``).

    .venv/bin/python bench/long_paragraph.py --sizes 0.2,1 --variants plain,names

``--timeout`` (seconds, default 300) kills a run that takes longer and reports it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_NAMES = ("جون سميث", "ماري جونسون", "بيتر براون")
_AFTER = ("سيزور", "يقول", "قال", "في", "تحدث", "وصل", "أكد", "من", "إلى", "سيلتقي")

# Run in the child: clock the model, then hand over to the console entry point.
_CHILD = """
import json, os, sys, time
from bilingual import engine
from bilingual.cli import main
spent = [0.0]
inner = engine.Translator.translate
def timed(self, *args, **kwargs):
    t0 = time.perf_counter()
    try:
        return inner(self, *args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - t0
engine.Translator.translate = timed
try:
    main()
finally:
    with open(os.environ["BENCH_MODEL_SECONDS"], "w") as fh:
        json.dump(spent[0], fh)
"""


def build_paragraph(size: int, names: bool, seed: int = 18, stops: bool = False) -> str:
    """About ``size`` bytes (UTF-8) of Arabic-looking words on one line, without
    punctuation (``stops``: a full stop after one word in 15 or so)."""
    rng = random.Random(seed)
    words: list[str] = []
    total = 0
    while total < size:
        if names and rng.random() < 1 / 30:
            word = f"السيد {rng.choice(_NAMES)} {rng.choice(_AFTER)}"
        else:
            word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 7)))
            if stops and rng.random() < 1 / 15:
                word += "."
        words.append(word)
        total += len(word.encode("utf-8")) + 1
    return " ".join(words) + "\n"


def _bilingual() -> Path:
    return Path(sys.executable).with_name("bilingual")


def _install_models(home: Path) -> None:
    models = sorted(str(p) for p in (REPO / "tests" / "models").glob("*.argosmodel"))
    subprocess.run(
        [str(_bilingual()), "models", "install", *models],
        env={**os.environ, "BILINGUAL_HOME": str(home)},
        check=True,
        capture_output=True,
    )


def run_once(article: Path, home: Path, out: Path, timeout: float) -> dict[str, float | str]:
    """Wall and model seconds, peak RSS (MB) and exit status of one ``bilingual translate``."""
    clock = out.parent / f"{out.name}.model.json"
    cmd = [sys.executable, "-c", _CHILD, "translate", str(article), "--out", str(out)]
    cmd += ["--no-memory", "-q"]
    env = {**os.environ, "BILINGUAL_HOME": str(home), "BENCH_MODEL_SECONDS": str(clock)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status = "?"
    usage = None
    while True:
        pid, wstatus, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status = str(os.waitstatus_to_exitcode(wstatus))
            break
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            status = "killed"
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    model = json.loads(clock.read_text()) if clock.exists() else float("nan")
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if status not in ("0", "3", "killed"):
        print(err[-2000:], file=sys.stderr)
    return {
        "seconds": seconds,
        "model": model,
        "rss": usage.ru_maxrss * 1024 / MB if usage else float("nan"),
        "exit": status,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="0.2,1", help="paragraph sizes in MB, comma-separated")
    ap.add_argument("--variants", default="plain,names", help="plain, names, or both")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run is killed")
    ap.add_argument("--keep", type=Path, help="also save the paragraphs in this folder")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]

    print("| paragraph | MB | total s | model s | outside model s | peak RSS MB | exit |")
    print("|---|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="bilingual-long-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        _install_models(home)
        for size in sizes:
            for variant in variants:
                article = tmp / f"long_{variant}_{size:g}mb.txt"
                text = build_paragraph(
                    int(size * MB), names=variant == "names", stops=variant == "sentences"
                )
                article.write_text(text, encoding="utf-8")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / article.name).write_text(text, encoding="utf-8")
                row = run_once(article, home, tmp / f"out-{variant}-{size:g}", args.timeout)
                seconds, model = float(row["seconds"]), float(row["model"])
                print(
                    f"| {article.name} | {article.stat().st_size / MB:.2f} | {seconds:.1f} "
                    f"| {model:.1f} | {seconds - model:.1f} | {float(row['rss']):.0f} "
                    f"| {row['exit']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
