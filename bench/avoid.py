"""Benchmark: what steering the decode away from avoided renderings costs.

``suppress_sequences`` holds for a whole ``translate_batch`` call, so the engine batches a
sentence only with sentences that avoid the very same renderings
(:meth:`bilingual.engine.Translator._groups`). This times one ``Translator.translate`` call
on the same sentences (the test model's ar->en cases, repeated to ``--sentences``) four
ways: nothing avoided; a share (``--share``) of the sentences avoiding one word, all the
same list (one extra group); the same share each avoiding a list of its own (the worst
case: one batch per such sentence); and every sentence avoiding the same list (one group,
as many batches as without). Prints a markdown table of sentences/s, best of
``--repeat``.

    python bench/avoid.py --sentences 320 --share 0.1 --repeat 3
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bilingual.config import resolve_settings
from bilingual.engine import open_translator
from bilingual.models import install_package_file

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "tests" / "models" / "translate-ar_en-test.argosmodel"
CASES = REPO / "tests" / "models" / "cases.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--sentences", type=int, default=320)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    cases = [
        line.split("\t")[1]
        for line in CASES.read_text(encoding="utf-8").splitlines()
        if line.startswith("ar-en\t")
    ]
    sentences = [cases[k % len(cases)] for k in range(args.sentences)]
    marked = set(range(0, args.sentences, max(1, round(1 / args.share))))
    variants: dict[str, list[list[str]] | None] = {
        "nothing avoided": None,
        f"{len(marked)} sentences, one list": [
            ["delegates"] if k in marked else [] for k in range(args.sentences)
        ],
        f"{len(marked)} sentences, a list each": [
            ["delegates", f"word{k}"] if k in marked else [] for k in range(args.sentences)
        ],
        "every sentence, one list": [["delegates"]] * args.sentences,
    }
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as tmp:
        settings = resolve_settings({}, home=Path(tmp), threads=args.threads)
        install_package_file(settings, args.model)
        translator = open_translator(settings, "ar", "en")
        print(f"{args.sentences} sentences, {args.threads} threads, best of {args.repeat}\n")
        print("| variant | batches | sentences/s |\n| --- | --- | --- |")
        for name, avoid in variants.items():
            batches = len(translator.plan(sentences, avoid=avoid).batches)
            best = min(_timed(translator, sentences, avoid) for _ in range(args.repeat))
            print(f"| {name} | {batches} | {args.sentences / best:.1f} |")


def _timed(translator: object, sentences: list[str], avoid: list[list[str]] | None) -> float:
    t0 = time.perf_counter()
    translator.translate(sentences, avoid=avoid)  # type: ignore[attr-defined]
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
