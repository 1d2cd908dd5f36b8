"""Validation: does the model's confidence tell text it knows from text it does not?

The test models learnt a small lexicon (tests/models/cases.tsv holds sentences made of
it). Real text (the seed articles, UN parallel corpus dev lines) is mostly outside that
lexicon, so the test model should be much less sure of its translations of it. The
measure is the AUROC of the confidence (:mod:`bilingual.confidence`) as a score for "in
the lexicon": the chance that a random in-lexicon sentence gets a higher confidence than
a random real one (ties count a half). 1.0 separates perfectly, 0.5 is chance.

    PYTHONPATH=src python bench/confidence_auroc.py            # ar->en and en->vi
    PYTHONPATH=src python bench/confidence_auroc.py --real 100 # fewer real sentences

Bounded: every in-lexicon source of cases.tsv and ``--real`` (default 150) real lines per
pair, the first ones of 20 to 300 characters, in file order (deterministic). Data is read
from ../shared (read-only); nothing of it is written anywhere.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from bilingual.calibrate import calibration_sentences, own_confidences
from bilingual.config import resolve_settings
from bilingual.engine import open_translator
from bilingual.models import install_package_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """P(a random positive scores above a random negative), ties a half (Mann-Whitney U
    over the ranks, average ranks for ties)."""
    pooled = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j][0] == pooled[i][0]:
            j += 1
        average = (i + 1 + j) / 2  # ranks i+1 .. j
        rank_sum += average * sum(1 for k in range(i, j) if pooled[k][1])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    u = rank_sum - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)


def cases(pair: str) -> list[str]:
    rows = (REPO / "tests/models/cases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [r.split("\t")[1] for r in rows if r.split("\t")[0] == pair]


def real_lines(paths: Sequence[Path], limit: int) -> list[str]:
    def lines() -> Iterator[str]:
        for path in paths:
            text = path.read_text(encoding="utf-8")
            yield from calibration_sentences(text, limit=10 * limit)

    out = [s for s in lines() if 20 <= len(s) <= 300]
    return list(dict.fromkeys(out))[:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", type=int, default=150, help="real sentences per pair")
    args = ap.parse_args()
    unpc = SHARED / "data" / "unpc-dev"
    real = {
        ("ar", "en"): real_lines(
            [*sorted((SHARED / "seeds").glob("*.txt")), unpc / "UNv1.0.devset.ar"], args.real
        ),
        ("en", "vi"): real_lines([unpc / "UNv1.0.devset.en"], args.real),
    }
    with tempfile.TemporaryDirectory() as home:
        settings = resolve_settings({}, home=Path(home), threads=2)
        for package in sorted((REPO / "tests/models").glob("*.argosmodel")):
            install_package_file(settings, package)
        for (a, b), negatives in real.items():
            translator = open_translator(settings, a, b)
            t0 = time.perf_counter()
            known = own_confidences(translator, cases(f"{a}-{b}"))
            unknown = own_confidences(translator, negatives)
            seconds = time.perf_counter() - t0
            mean_known = sum(known) / len(known)
            mean_unknown = sum(unknown) / len(unknown)
            print(
                f"{a}->{b}: AUROC {auroc(known, unknown):.3f} "
                f"(in-lexicon n={len(known)} mean {mean_known:.3f}; "
                f"real n={len(unknown)} mean {mean_unknown:.3f}; {seconds:.1f} s)"
            )


if __name__ == "__main__":
    main()
