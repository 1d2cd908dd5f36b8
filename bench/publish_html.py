"""Benchmark: the HTML edition of a large digest, written and read back.

A digest of ``--articles`` (default 10, 25, 50) copies of the test suite's example article
(tests/publication_samples.py), each body repeated ``--repeat`` times (default 50: about
400 sentences an article), side by side, one sentence in seven marked as the machine's.
For each size it times :func:`bilingual.publish.html_out.write_html` (building the tree,
serializing, the atomic write) and :func:`~bilingual.publish.html_out.read_blocks` (what
``publish`` checks), with the CPU time of this process beside the wall time: the times
should grow in proportion to the sentence count (no step is quadratic). ``--long`` adds
the other hostile shape: one article of a single paragraph of that many sentences, one in
three marked (a renderer that appends each sentence to a growing text is quadratic there)::

    .venv/bin/python bench/publish_html.py --articles 10,25,50 --long 10000,40000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the sample editions, built without any model

from publication_samples import edition, publication  # noqa: E402

from bilingual.publish.edition import Publication, PublishedParagraph  # noqa: E402
from bilingual.publish.html_out import read_blocks, write_html  # noqa: E402


def _digest(articles: int, repeat: int) -> Publication:
    base = edition(machine=frozenset({"p2.s1"}))
    body = replace(base, paragraphs=base.paragraphs * repeat)
    editions = [
        replace(body, article=f"article-{n}", title=f"{body.title} ({n})") for n in range(articles)
    ]
    return publication(*editions, layout="side-by-side", digest="Benchmark digest")


def _long(sentences: int) -> Publication:
    base = edition()
    pair = base.paragraphs[0].sentences
    body = tuple(
        replace(pair[n % 2], status="machine" if n % 3 == 0 else "reviewed")
        for n in range(sentences)
    )
    one = replace(base, paragraphs=(PublishedParagraph("body", body),))
    return publication(one, layout="side-by-side")


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="10,25,50")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--long", default="10000,40000", help="'' for none")
    args = parser.parse_args()
    print("articles  sentences  MB    write s (cpu)    read s (cpu)")
    sizes = [(int(n), _digest(int(n), args.repeat)) for n in args.articles.split(",") if n]
    sizes += [(1, _long(int(n))) for n in args.long.split(",") if n]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digest.html"
        for articles, pub in sizes:
            sentences = sum(len(e.sentences()) for e in pub.editions)
            wall, cpu = _clock()
            write_html(pub, path)
            written = [a - b for a, b in zip(_clock(), (wall, cpu), strict=True)]
            wall, cpu = _clock()
            read_blocks(path)
            read = [a - b for a, b in zip(_clock(), (wall, cpu), strict=True)]
            size = path.stat().st_size / 1e6
            print(
                f"{articles:8}  {sentences:9}  {size:4.1f}  {written[0]:6.2f} ({written[1]:5.2f})"
                f"   {read[0]:6.2f} ({read[1]:5.2f})"
            )


if __name__ == "__main__":
    main()
