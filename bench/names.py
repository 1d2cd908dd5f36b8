"""Precision and recall of the run's name finder (:class:`bilingual.names.NameFinder`).

Runs ``find`` with an empty glossary on every text the pipeline translates (paragraphs,
captions and credits, as ingest cleans them) of input/*.txt and ../shared/seeds/*.txt, and
compares with the names marked by hand in bench/names/samples.tsv and seeds.tsv.
Precision: the share of found occurrences whose key is a listed name's (a name found
shorter or longer counts as wrong). Recall: the share of listed names found at least once.
Prints the false positives and the misses.

Run from the repository root::

    .venv/bin/python bench/names.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from bilingual.glossary.term import Glossary
from bilingual.ingest import read_article
from bilingual.names.detect import NameFinder

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def texts_of(path: Path) -> list[str]:
    article = read_article(path)
    out = [p.text for p in article.paragraphs]
    for caption in article.captions:
        out += [caption.text] + ([caption.credit] if caption.credit else [])
    return out


def listed(tsv: Path, finder: NameFinder) -> dict[str, str]:
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    return {finder.key(r[0]): r[0] for r in rows if r and not r[0].startswith("#")}


def measure(label: str, files: list[Path], tsv: Path) -> None:
    finder = NameFinder(Glossary((), (), "none"))
    truth = listed(tsv, finder)
    hits: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for path in files:
        for text in texts_of(path):
            for span in finder.find(text):
                if span.key in truth:
                    hits[span.key] += 1
                else:
                    wrong[f"{span.surface} ({span.kind})"] += 1
    found = sum(hits.values())
    total = found + sum(wrong.values())
    precision = found / total if total else 1.0
    recall = len(hits) / len(truth) if truth else 1.0
    print(f"{label}: {len(files)} articles, {total} occurrences found, {len(truth)} names listed")
    print(f"  precision {precision:.3f} ({found}/{total})")
    print(f"  recall    {recall:.3f} ({len(hits)}/{len(truth)} names)")
    for surface, n in wrong.most_common():
        print(f"  false positive: {surface} x{n}")
    for key, name in truth.items():
        if key not in hits:
            print(f"  missed: {name}")


def main() -> int:
    measure("samples", sorted((REPO / "input").glob("*.txt")), REPO / "bench/names/samples.tsv")
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        print(f"seeds: skipped, {SEEDS} is absent")
    else:
        measure("seeds", seeds, REPO / "bench/names/seeds.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
