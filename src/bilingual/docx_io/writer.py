"""Write a briefing as a reviewer's Word document.

Layout, in order: title (first target's heading, the source and later targets under it),
metadata block, the aligned table, captions, QA section (findings, forced terms), appendix
of the glossary terms used. The page is landscape when there are three text columns.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document

from bilingual._fs import write_atomically
from bilingual.document.briefing import Briefing
from bilingual.docx_io.sections import BriefingSections
from bilingual.docx_io.styles import set_properties, setup_page, setup_styles


def build_document(briefing: Briefing) -> Document:
    """The briefing as an unsaved python-docx document (for callers that post-process it)."""
    document = docx.Document()
    styles = setup_styles(document)
    setup_page(document, landscape=len(briefing.targets) >= 2, article_name=briefing.article.name)
    set_properties(document, briefing)
    BriefingSections(document, briefing, styles).write()
    return document


def save_docx(briefing: Briefing, path: Path) -> None:
    """Write the DOCX to ``path`` directly (for :func:`bilingual._fs.write_atomically`)."""
    build_document(briefing).save(str(path))


def write_docx(briefing: Briefing, path: Path) -> None:
    """Write the briefing to ``path`` atomically (a failure leaves any old file intact).

    Raises :class:`~bilingual.errors.OutputError` when the file cannot be written.
    """
    document = build_document(briefing)
    write_atomically([(path, lambda tmp: document.save(str(tmp)))], what="the DOCX briefing")
