"""Word files (``.docx``) through python-docx; old ``.doc`` files and encrypted ones refused.

Body paragraphs and tables are read in document order. A paragraph is a paragraph (a
line break inside it is a line, joined by the hard-wrapping rule), a ``Heading`` or
``Title`` style makes it a heading, a picture an image stub; right-to-left paragraphs
are read like any other (their text is stored in logical order). A table row becomes
``| cell | cell |`` and goes through the rules of the text scrapes: a row with text is a
caption, an empty one is dropped. Block numbers count paragraphs and table rows.

What cannot be read is refused before python-docx sees it, with what it is: an old
binary Word file (``.doc``: convert it with LibreOffice), a password-protected DOCX (an
encrypted OLE container, not a ZIP: remove the password in Word), a ZIP that holds no
``word/document.xml`` (an XLSX, a PPTX, an archive of other files), a zip bomb or a part
with a DTD (:mod:`bilingual._zip`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual import _zip
from bilingual.errors import InputError
from bilingual.readers.base import BREAK, MAX_LINES, Block, Source, library_version

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The Compound File (OLE) header: old Office files, and encrypted new ones."""

_OTHER_ZIPS = (
    ("xl/workbook.xml", "an Excel workbook (XLSX)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (PPTX)"),
    ("content.xml", "an OpenDocument file (ODT/ODS)"),
)


def _refuse_container(path: Path, data: bytes) -> None:
    """Raise for a file python-docx cannot read, saying what it is instead."""
    shown = str(path)
    if data.startswith(OLE_MAGIC[:4]):
        if path.suffix.lower() == ".doc":
            raise InputError(
                "is an old binary Word document (.doc), which is not read",
                where=shown,
                fix=f"convert it to DOCX: `soffice --headless --convert-to docx {path.name}` "
                "(LibreOffice), or open it in Word and save as .docx; then translate the .docx",
            )
        raise InputError(
            "is password-protected (encrypted): it is an OLE container, not a DOCX's ZIP, so "
            "its text cannot be read",
            where=shown,
            fix="open it in Word, remove the password (File > Info > Protect Document > "
            "Encrypt with Password: clear it) and save it again",
        )
    if path.suffix.lower() == ".doc" and not data.startswith(b"PK"):
        # a DOCX renamed .doc (a ZIP) is read as the DOCX it is
        raise InputError(
            "is named .doc but is not a Word document",
            where=shown,
            fix="pass the article as .docx, .html, .md or .txt",
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(
            f"is not a Word document: it is not a ZIP archive, as every DOCX is ({exc})",
            where=shown,
            fix="check the file; save the article from Word as .docx, or pass it as .txt",
        ) from exc
    except _zip.ZIP_ERRORS as exc:
        raise InputError(
            f"is not read: its ZIP is damaged or of a kind Word does not write ({exc})",
            where=shown,
            fix="open it in Word or LibreOffice and save it again as .docx",
        ) from exc
    names = package.namelist()
    if "word/document.xml" not in names:
        what = next((w for name, w in _OTHER_ZIPS if name in names), None)
        listed = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise InputError(
            f"is a ZIP archive but not a Word document: {what or 'it has no word/document.xml'}"
            f" (it holds {len(names)} file(s): {listed or 'none'})",
            where=shown,
            fix="pass the Word file of the article itself (.docx), or its text as .txt",
        )
    problem = _zip.docx_problem(package)
    if problem is not None:
        raise InputError(
            f"is not read: {problem}",
            where=shown,
            fix="open it in Word or LibreOffice and save it again as .docx, or pass the "
            "article's text as .txt",
        )


def _paragraph(number: int, paragraph: Paragraph, headings: frozenset[str]) -> Iterator[Block]:
    from docx.drawing import Drawing
    from docx.text.hyperlink import Hyperlink

    text: list[str] = []
    images = 0
    for item in paragraph.iter_inner_content():
        for run in item.runs if isinstance(item, Hyperlink) else [item]:
            for part in run.iter_inner_content():
                if isinstance(part, str):
                    text.append(part)
                elif isinstance(part, Drawing):
                    images += 1
    if images:
        yield Block(number, " ".join(["![]()"] * images))
    # the style id from the XML: python-docx's ``paragraph.style`` looks up the default
    # style on every call (two thirds of the reading time of a seed)
    kind = "heading" if paragraph._p.style in headings else "line"
    for line in "".join(text).split("\n"):
        yield Block(number, line, kind)
    yield Block(number, "", BREAK)


def _table(number: int, table: Table) -> Iterator[Block]:
    for offset, row in enumerate(table.rows):
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            pictures = len(cell._tc.xpath(".//w:drawing"))
            text = " ".join(["![]()"] * pictures + [text]).strip()
            # a merged cell is listed once per grid column it spans
            if not cells or cells[-1] != text:
                cells.append(text)
        yield Block(number + offset, "| " + " | ".join(cells) + " |")
    yield Block(number, "", BREAK)


def docx_source(path: Path, data: bytes) -> Source:
    _refuse_container(path, data)
    import docx  # python-docx only when a Word file is read
    from docx.table import Table

    from bilingual._coreprops import adopt_core_properties

    try:
        document = docx.Document(io.BytesIO(data))
        adopt_core_properties(document)  # a file LibreOffice saved names them its own way
        # python-docx reads these parts only when asked: a damaged one fails here
        properties = document.core_properties
        briefing, title = properties.keywords == "bilingual briefing", properties.title or ""
        headings = frozenset(
            style.style_id
            for style in document.styles
            if (style.name or "").startswith(("Heading", "Title"))
        )
    except Exception as exc:  # python-docx raises KeyError, ValueError, AttributeError ...
        raise InputError(
            f"cannot be read as a Word document: {type(exc).__name__}: {exc}",
            where=str(path),
            fix="open it in Word or LibreOffice and save it again as .docx",
        ) from exc
    # the mark docx_io.styles.set_properties gives every briefing
    if briefing:
        raise InputError(
            "is a briefing that bilingual wrote, not an article",
            where=str(path),
            fix="translate the article it was made from (the briefing names it under "
            "'Article file'); keep the briefings apart from the articles",
        )
    body = document.element.body
    if len(body) > MAX_LINES:  # python-docx spends a quarter millisecond on each
        raise InputError(
            f"has {len(body):,} paragraphs and tables (the limit for one article is "
            f"{MAX_LINES:,}; a long news article has some hundreds): it was not read",
            where=str(path),
            fix="check that this is an article; split a long document into one file per "
            "section or story",
        )
    blocks: list[Block] = []
    number = 1
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks += _table(number, item)
            number += len(item.rows)
        else:
            blocks += _paragraph(number, item, headings)
            number += 1
    title = title.strip()
    return Source(
        tuple(blocks),
        "docx",
        "docx",
        extractor=library_version("python-docx"),
        title=title or None,
    )
