"""Page layout: a heading and its legend never sit alone at the foot of a page with their
table on the next, and a split first row never leaves a fragment of one line behind.

Checked in the XML (``w:keepNext``, ``w:cantSplit``, ``w:widowControl``) on every shape
of briefing, and, where LibreOffice is installed, on the PDF it prints."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from briefing_factory import EXAMPLES, example_en_vi
from docx.oxml.ns import qn
from lxml import etree

from bilingual.document import Briefing
from bilingual.docx_io import write_docx

BODY_TAGS = {qn("w:p"): "p", qn("w:tbl"): "tbl"}


def _keeps(paragraph: etree._Element) -> bool:
    keep = paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
    return keep is not None and keep.get(qn("w:val")) in (None, "1", "true", "on")


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else ""


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _write(briefing: Briefing, folder: Path) -> docx.document.Document:
    path = folder / "b.docx"
    write_docx(briefing, path)
    return docx.Document(str(path))


@pytest.mark.parametrize("shape", sorted(EXAMPLES))
def test_every_heading_and_legend_keeps_with_the_table_that_follows(
    shape: str, tmp_path: Path
) -> None:
    body = list(_write(EXAMPLES[shape](), tmp_path).element.body)
    headings = [k for k, e in enumerate(body) if e.tag == qn("w:p") and "Heading" in _style(e)]
    assert len(headings) >= 3
    for k in headings:
        # the heading, and each paragraph up to the next table or heading, keep with next
        end = next(
            (j for j in range(k + 1, len(body)) if body[j].tag != qn("w:p") or j in headings),
            len(body),
        )
        assert _keeps(body[k]), _text(body[k])
        if end < len(body) and body[end].tag == qn("w:tbl"):
            for paragraph in body[k:end]:  # a legend or a note, between heading and table
                assert _keeps(paragraph), (_text(body[k]), _text(paragraph))
            # into the table: its header row keeps with the first row below it
            header = body[end].find(qn("w:tr"))
            assert header is not None
            for paragraph in header.iter(qn("w:p")):
                assert _keeps(paragraph), (_text(body[k]), _text(header))


def test_a_short_first_row_is_kept_whole_and_a_long_one_splits_two_lines_apiece(
    tmp_path: Path,
) -> None:
    (tmp_path / "short").mkdir()
    short = _write(example_en_vi(), tmp_path / "short")
    first = short.tables[0].rows[1]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    base = example_en_vi()
    p0 = base.paragraphs[0]
    s0 = p0.sentences[0]
    long = dataclasses.replace(
        s0,
        source=" ".join([s0.source] * 40),
        renderings={
            k: dataclasses.replace(r, text=" ".join([r.text] * 40), terms=())
            for k, r in s0.renderings.items()
        },
    )
    paragraphs = (
        dataclasses.replace(p0, sentences=(long, *p0.sentences[1:])),
        *base.paragraphs[1:],
    )
    (tmp_path / "long").mkdir()
    tall = _write(dataclasses.replace(base, paragraphs=paragraphs), tmp_path / "long")
    first = tall.tables[0].rows[1]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None  # page 1 is used
    cells = first.findall(f"{qn('w:tc')}")[1:]
    for cell in cells:  # at least two lines of each cell move together: no lone word
        for paragraph in cell.iter(qn("w:p")):
            control = paragraph.find(f"{qn('w:pPr')}/{qn('w:widowControl')}")
            assert control is not None and control.get(qn("w:val")) in (None, "1", "true")


# -- as LibreOffice prints it ------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.slow
@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="needs soffice and pdftotext")
def test_each_heading_is_printed_on_the_page_of_its_tables_first_row(tmp_path: Path) -> None:
    """The seed-like briefings (long articles, many findings): "Quality checks" and the
    other headings land on the same PDF page as the first row of their table."""
    files = []
    for k, shape in enumerate(sorted(EXAMPLES)):
        base = EXAMPLES[shape]()
        # longer paragraphs: the sections after the table start at varied heights
        grow = 1 + k * 3
        paragraphs = tuple(
            dataclasses.replace(
                p,
                sentences=tuple(
                    dataclasses.replace(
                        s,
                        source=" ".join([s.source] * grow),
                        renderings={
                            lang: dataclasses.replace(r, text=" ".join([r.text] * grow), terms=())
                            for lang, r in s.renderings.items()
                        },
                    )
                    for s in p.sentences
                ),
            )
            for p in base.paragraphs
        )
        path = tmp_path / f"{k}.docx"
        write_docx(dataclasses.replace(base, paragraphs=paragraphs), path)
        files.append(path)
    assert SOFFICE is not None and PDFTOTEXT is not None
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for shape, path in zip(sorted(EXAMPLES), files, strict=True):
        out = subprocess.run(
            [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(path.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode("utf-8")
        pages = out.split("\f")
        pairs = [("Appendix: glossary terms used", "Term")]
        if not shape.startswith("quiet"):  # a quiet briefing says "No findings.", no table
            pairs.append(("Quality checks", "Level"))
        for heading, header in pairs:
            at = re.compile(rf"^\s*{re.escape(heading)}\s*$", re.M)
            page = next(p for p in pages if at.search(p))
            after = page[at.search(page).end() :]  # type: ignore[union-attr]
            assert re.search(rf"^\s*{header}\s", after, re.M), (shape, heading, page[-600:])
