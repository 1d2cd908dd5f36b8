"""The briefing as a Word document: written for reviewers, and read back.

:mod:`.ooxml` holds the typed OOXML primitives (runs, right-to-left paragraphs, fields,
links), :mod:`.styles` the document's set-up and vocabulary (styles, marks, page),
:mod:`.sections` the sections in page order, :mod:`.writer` puts them together, and
:mod:`.reader` recovers the segments from a DOCX that bilingual wrote.
"""

from __future__ import annotations

from bilingual.docx_io.pieces import strip_markers
from bilingual.docx_io.reader import DocxBriefing, read_docx
from bilingual.docx_io.writer import build_document, save_docx, write_docx

__all__ = [
    "DocxBriefing",
    "build_document",
    "read_docx",
    "save_docx",
    "strip_markers",
    "write_docx",
]
