"""Benchmark: the day's digest of 50 articles (the two seeds × 25) as DOCX, and as PDF.

The seeds in ``../shared/seeds`` are translated once with the test models (``tests/models``,
installed into a temporary ``BILINGUAL_HOME``) by ``bilingual translate --no-memory``, as a
user runs it. The digest is then built from the briefings' JSON directly
(:func:`bilingual.json_io.read_json`: each sentence's and caption's translation, every
one counted approved), not through ``publish``'s gathering (briefing, memory and gate),
which was written beside this renderer: switch :func:`edition_of` to the gathering
function once both are in. Copy ``k`` of an article is its own edition (``NAME-k``).

Timed, best of ``--repeat``, in this process:

* ``write_docx``: the DOCX as ``publish`` writes it, the contents' page numbers taken
  from LibreOffice's layout of the digest (one PDF rendering) where LibreOffice is
  installed (target: under 10 s);
* ``write_docx`` without that layout pass (the estimated numbers: what a machine
  without LibreOffice writes);
* ``write_pdf``: LibreOffice rendering the DOCX to PDF (fonts embedded); with
  ``--pdf-a`` also PDF/A-2b;
* ``write_docx(..., pdf=...)``: both files from the one rendering (``--format docx,pdf``).

    .venv/bin/python bench/digest.py --copies 25 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilingual.document import Briefing
from bilingual.document.briefing import notice_for_test_models
from bilingual.json_io import read_json
from bilingual.publish.docx_out import write_docx
from bilingual.publish.edition import (
    Colophon,
    Edition,
    Layout,
    Publication,
    PublishedParagraph,
    PublishedSentence,
    Reviewer,
)
from bilingual.publish.pdf import write_pdf

REPO = Path(__file__).resolve().parents[1]


def _bilingual() -> Path:
    return Path(sys.executable).with_name("bilingual")


def translate_seeds(seeds: list[Path], home: Path, out: Path, target: str) -> list[Path]:
    """The seeds' briefing JSON files, translated with the test models."""
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    models = sorted(str(p) for p in (REPO / "tests" / "models").glob("*.argosmodel"))
    subprocess.run(
        [str(_bilingual()), "models", "install", *models], env=env, check=True, capture_output=True
    )
    translate = [str(_bilingual()), "translate", *map(str, seeds), "--out", str(out)]
    subprocess.run(
        [*translate, "--to", target, "--no-memory", "-q"],
        env=env,
        check=True,
        capture_output=True,
    )
    return sorted(out.glob("*.json"))


def edition_of(briefing: Briefing, target: str, name: str) -> Edition:
    """The reader's edition of ``briefing``: every translation as it is, approved."""
    approved: list[PublishedParagraph] = []
    captions: dict[int, list[PublishedParagraph]] = {}
    for number, caption in enumerate(briefing.captions, start=1):
        segment = caption.segment(briefing.source_lang, number)
        sentence = PublishedSentence(
            segment.id, segment.source, segment.text(target) or "", "approved"
        )
        paragraph = PublishedParagraph("caption", (sentence,), caption.caption.credit)
        captions.setdefault(caption.caption.after_paragraph, []).append(paragraph)
    approved += captions.get(-1, [])
    count = 0
    for paragraph in briefing.paragraphs:
        sentences = tuple(
            PublishedSentence(s.id, s.source, s.text(target) or "", "approved")
            for s in paragraph.sentences
        )
        count += len(sentences)
        approved.append(PublishedParagraph("body", sentences))
        approved += captions.get(paragraph.index, [])
    notice = notice_for_test_models(briefing.test_models) if briefing.test_models else None
    colophon = Colophon(
        tool_version=briefing.version,
        signature=str(briefing.signature),
        glossary=briefing.signature.glossary,
        licences=briefing.licences,
        reviewers=(Reviewer("Bench Reviewer", briefing.run_date, count),),
        test_model_notice=notice,
    )
    return Edition(
        article=name,
        source_lang=briefing.source_lang,
        target_lang=target,
        title=briefing.title.get(target) or name,
        source_title=briefing.title.get(briefing.source_lang) or "",
        source=briefing.article.source_url,
        date=briefing.run_date,
        paragraphs=tuple(approved),
        colophon=colophon,
    )


def best_of(repeat: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--copies", type=int, default=25)
    ap.add_argument("--to", default="en", help="the digest's language: en or vi")
    ap.add_argument("--layout", choices=["target", "side-by-side"], default="target")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf-a", action="store_true", help="also time PDF/A-2b")
    ap.add_argument("--keep", type=Path, help="copy the DOCX and PDF into this folder")
    args = ap.parse_args()
    layout: Layout = args.layout
    seeds = sorted(args.seeds.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-digest-") as work:
        folder = Path(work)
        start = time.perf_counter()
        files = translate_seeds(seeds, folder / "home", folder / "out", args.to)
        print(f"translated {len(seeds)} seeds in {time.perf_counter() - start:.1f} s")
        briefings = [read_json(f) for f in files]
        editions = tuple(
            edition_of(b, args.to, f"{b.article.name}-{k}")
            for k in range(1, args.copies + 1)
            for b in briefings
        )
        publication = Publication(
            editions, layout=layout, digest="Bench digest", desk="Bench desk", date="2026-12-07"
        )
        sentences = sum(len(e.sentences()) for e in editions)
        print(f"digest: {len(editions)} articles, {sentences} sentences, layout {layout}")
        out = args.keep or folder
        out.mkdir(parents=True, exist_ok=True)
        docx_path, pdf_path = out / "digest.docx", out / "digest.pdf"
        plain = best_of(args.repeat, lambda: write_docx(publication, docx_path, layout_pass=False))
        print(f"write_docx, estimated page numbers (no LibreOffice): best {plain:.2f} s")
        laid = best_of(args.repeat, lambda: write_docx(publication, docx_path))
        print(f"write_docx, page numbers from LibreOffice's layout:  best {laid:.2f} s")
        pdf = best_of(args.repeat, lambda: write_pdf(docx_path, pdf_path))
        print(f"write_pdf:                                          best {pdf:.2f} s")
        both = best_of(args.repeat, lambda: write_docx(publication, docx_path, pdf=pdf_path))
        print(f"write_docx with pdf= (DOCX and PDF, one rendering): best {both:.2f} s")
        if args.pdf_a:
            pdf_a = best_of(args.repeat, lambda: write_pdf(docx_path, pdf_path, pdf_a=True))
            print(f"write_pdf --pdf-a:                                  best {pdf_a:.2f} s")
        pages = subprocess.run(
            ["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=False
        ).stdout
        print(next((line for line in pages.splitlines() if line.startswith("Pages")), ""))


if __name__ == "__main__":
    main()
