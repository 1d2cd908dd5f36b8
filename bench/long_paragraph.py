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
clock, so each row gives the wall time and the CPU time (user + system, from
``os.wait4``), of the whole run and of the model, the CPU time outside the model (the tool
around it) and the child's peak RSS (``ru_maxrss``). On a shared machine the CPU times
are the figures to compare: the wall time grows with the other users' load.

    .venv/bin/python bench/long_paragraph.py --sizes 0.2,1 --variants plain,names

``--timeout`` (seconds, default 300) kills a run that takes longer and reports it.
``--stub-model`` replaces the model by a stand-in that maps each Arabic letter to a Latin
one (a name alone comes back capitalised, a sentence lowercased, so every locked name is
lost and goes down the whole locking ladder): the tool's own time on sizes where the
test model alone would take many minutes.
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
nan = float("nan")
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_NAMES = ("جون سميث", "ماري جونسون", "بيتر براون")
_AFTER = ("سيزور", "يقول", "قال", "في", "تحدث", "وصل", "أكد", "من", "إلى", "سيلتقي")

# Run in the child: clock the model, then hand over to the console entry point.
_CHILD = """
LETTERS = "ARABIC_LETTERS"
import json, os, sys, time
from bilingual import engine
from bilingual.cli import main
spent = [0.0, 0.0]
inner = engine.Translator.translate
scorer = engine.Translator.score
def clocked(call):
    # decoding and scoring a text (the confidence of what locking changed) are both the
    # model's time; ``call`` looks its function up when run, so the stand-in below
    # replaces it
    def run(self, *args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return call(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0
            spent[1] += time.process_time() - c0
    return run
engine.Translator.translate = clocked(lambda self, *a, **k: inner(self, *a, **k))
engine.Translator.score = clocked(lambda self, *a, **k: scorer(self, *a, **k))
if os.environ.get("BENCH_STUB_MODEL"):
    # a stand-in's text scored by the real model would be the model's work on text it
    # never wrote: the stand-in scores as it translates, at no cost
    def scorer(self, sources, targets):
        return [(0.0, max(1, len(t.split()))) for t in targets]

    # the tool around the model alone: each Arabic letter becomes a Latin one; a short
    # input (a name translated alone) comes back capitalised, while in a sentence every
    # word is lowercased, so each locked name is lost and goes down the whole ladder
    table = {c: "abtthjhkddrzsssdtzaafqklmnhwy"[k] for k, c in enumerate(LETTERS)}

    def inner(self, sentences, *, num_hypotheses=1, target_prefixes=None,
              beam_size=None, progress=None):
        out = []
        for k, source in enumerate(sentences):
            words = "".join(table.get(c, c) for c in source).split()
            if len(words) <= 3:
                text = " ".join(w.capitalize() for w in words)
            else:
                text = " ".join(w.lower() for w in words)
            prefix = target_prefixes[k] if target_prefixes else None
            text = f"{prefix} {text}" if prefix else text
            out.append(engine.Translation(text, 0.0, (engine.Hypothesis(text, 0.0),)))
        if progress is not None:
            progress(len(out))
        return out
try:
    main()
finally:
    with open(os.environ["BENCH_MODEL_SECONDS"], "w") as fh:
        json.dump(spent, fh)
""".replace("ARABIC_LETTERS", _LETTERS)


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


def run_once(
    article: Path, home: Path, out: Path, timeout: float, stub: bool = False
) -> dict[str, float | str]:
    """Wall and model seconds, peak RSS (MB) and exit status of one ``bilingual translate``."""
    clock = out.parent / f"{out.name}.model.json"
    cmd = [sys.executable, "-c", _CHILD, "translate", str(article), "--out", str(out)]
    cmd += ["--no-memory", "-q"]
    env = {**os.environ, "BILINGUAL_HOME": str(home), "BENCH_MODEL_SECONDS": str(clock)}
    if stub:
        env["BENCH_STUB_MODEL"] = "1"
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
    model, model_cpu = json.loads(clock.read_text()) if clock.exists() else (nan, nan)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if status not in ("0", "3", "killed"):
        print(err[-2000:], file=sys.stderr)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime if usage else nan,
        "model": model,
        "model_cpu": model_cpu,
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
    ap.add_argument(
        "--stub-model",
        action="store_true",
        help="a stand-in for the model (letters mapped to Latin): the tool's own time",
    )
    ap.add_argument("--keep", type=Path, help="also save the paragraphs in this folder")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]

    print(
        "| paragraph | MB | wall s | model wall s | CPU s | model CPU s | outside model CPU s"
        " | peak RSS MB | exit |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
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
                out = tmp / f"out-{variant}-{size:g}"
                row = run_once(article, home, out, args.timeout, args.stub_model)
                cpu, model_cpu = float(row["cpu"]), float(row["model_cpu"])
                print(
                    f"| {article.name} | {article.stat().st_size / MB:.2f} "
                    f"| {float(row['seconds']):.1f} | {float(row['model']):.1f} | {cpu:.1f} "
                    f"| {model_cpu:.1f} | {cpu - model_cpu:.1f} | {float(row['rss']):.0f} "
                    f"| {row['exit']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
