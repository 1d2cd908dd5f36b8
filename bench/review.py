"""Benchmark: import a reviewed briefing of 100 rows (target: under 2 s).

Builds an article of ``--rows`` paragraphs from the seed articles' paragraphs, translates
it with the committed test model into a fresh memory, edits every ``--every``-th English
sentence in the DOCX (lxml, as ``tests/docx_edit.py`` does), then times
``read_review`` + ``store_reviews`` (what ``bilingual review import`` does) on it.

    python bench/review.py --rows 100
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bilingual.config import resolve_settings
from bilingual.docx_io.reader import read_docx
from bilingual.memory.store import TranslationMemory
from bilingual.models import install_package_file
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.review import read_review, store_reviews

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from docx_edit import set_sentence  # noqa: E402


def _article(seeds: Path, rows: int) -> str:
    paragraphs: list[str] = []
    for seed in sorted(seeds.glob("*.txt")):
        paragraphs += [
            p.strip() for p in seed.read_text(encoding="utf-8").split("\n") if len(p) > 80
        ]
    if not paragraphs:
        raise SystemExit(f"no paragraphs in {seeds}")
    picked = [f"{paragraphs[k % len(paragraphs)]} ({k})" for k in range(rows)]
    return "\n\n".join(picked) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--every", type=int, default=3, help="edit every n-th sentence")
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as name:
        tmp = Path(name)
        settings = resolve_settings({}, home=tmp / "home", threads=2)
        install_package_file(settings, REPO / "tests/models/translate-ar_en-test.argosmodel")
        (tmp / "in").mkdir()
        # cleaning drops a few lines (captions, source lines): ask for some more
        article = _article(args.seeds, args.rows + args.rows // 5)
        (tmp / "in" / "long.txt").write_text(article, encoding="utf-8")
        options = RunOptions(
            paths=(tmp / "in",),
            glossary_dir=REPO / "glossary",
            out_dir=tmp / "out",
            memory=tmp / "m.sqlite",
        )
        translate_articles(options, settings)
        docx = tmp / "out" / "long.docx"
        segments = read_docx(docx).segments
        edited = segments[:: args.every]
        for segment in edited:
            set_sentence(docx, segment.id, "en", f"Reviewed {segment.id}.")
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            review = read_review(docx)
            with TranslationMemory(tmp / f"m{len(times)}.sqlite") as tm:
                store_reviews(tm, [review])
            times.append(time.perf_counter() - t0)
        rows = len({s.id.split(".")[0] for s in segments})
        print(
            f"rows: {rows}, sentences: {len(segments)}, edited: {len(edited)}, "
            f"found: {len(review.changed)}"
        )
        print(f"review import: min {min(times):.2f} s, max {max(times):.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
