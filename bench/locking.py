"""Benchmark: what glossary locking adds to translation time.

Translates the same Arabic sentences twice with the same loaded model: plainly, and
through the locking ladder with a glossary (term matching included). Target: locking adds
at most 20%. Also prints how many term occurrences each strategy secured.

    python bench/locking.py --model bench/models/translate-ar_en-bench.argosmodel
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from bilingual.config import resolve_settings
from bilingual.enforce import Locked, Requirement, lock
from bilingual.engine import open_translator
from bilingual.glossary import TermMatcher, load_glossary
from bilingual.models import install_package_file

REPO = Path(__file__).resolve().parents[1]
UNPC = REPO.parent / "shared" / "data" / "unpc-dev" / "UNv1.0.devset.ar"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--source", type=Path, default=UNPC)
    ap.add_argument("--glossary", type=Path, default=REPO / "bench" / "unpc-glossary")
    ap.add_argument("--sentences", type=int, default=500)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--natural-first", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each variant, alternated")
    args = ap.parse_args()

    lines = [
        ln.strip() for ln in args.source.read_text(encoding="utf-8").splitlines() if ln.strip()
    ]
    sentences = lines[: args.sentences]
    glossary = load_glossary(args.glossary)
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as tmp:
        settings = resolve_settings({}, home=Path(tmp), threads=args.threads, beam_size=args.beam)
        install_package_file(settings, args.model)
        translator = open_translator(settings, "ar", "en")
        translator.translate(sentences[:8])  # warm-up: first call pays one-off allocation

        matcher = TermMatcher(glossary)
        terms = {t.id: t for t in glossary.terms}

        def locked_run() -> list[Locked]:
            # matching is part of what locking costs, so it is inside the timing
            reqs = [
                [
                    Requirement(m.term_id, m.start, m.end, terms[m.term_id].renderings["en"])
                    for m in matcher.find(s)
                ]
                for s in sentences
            ]
            return lock(translator, sentences, reqs, natural_first=args.natural_first)

        # alternate the variants and keep the best of each, so that a change in machine
        # load during the run does not land on one variant only
        plain_times: list[float] = []
        lock_times: list[float] = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            translator.translate(sentences)
            plain_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            locked = locked_run()
            lock_times.append(time.perf_counter() - t0)
        plain, with_lock = min(plain_times), min(lock_times)

    strategies = Counter(s for r in locked for s in r.strategies)
    with_terms = sum(1 for r in locked if r.strategies)
    occurrences = sum(strategies.values())
    print(f"sentences: {len(sentences)}, with terms: {with_terms}, occurrences: {occurrences}")
    print("| plain s | locked s | overhead |")
    print("|---:|---:|---:|")
    print(f"| {plain:.1f} | {with_lock:.1f} | {with_lock / plain - 1:+.1%} |")
    print("runs plain: " + ", ".join(f"{t:.1f}" for t in plain_times))
    print("runs locked: " + ", ".join(f"{t:.1f}" for t in lock_times))
    print("strategies: " + ", ".join(f"{k} {v}" for k, v in strategies.most_common()))


if __name__ == "__main__":
    main()
