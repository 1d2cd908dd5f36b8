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
from bilingual.docx_io.spool import Spool, save_spooled
from bilingual.docx_io.styles import set_properties, setup_page, setup_styles


def build_document(briefing: Briefing, spool: Spool | None = None) -> Document:
    """The briefing as an unsaved python-docx document (for callers that post-process it).

    With ``spool``, finished rows and captions leave the tree as they are written (see
    :mod:`.spool`): save it with :func:`~bilingual.docx_io.spool.save_spooled`.
    """
    document = docx.Document()
    styles = setup_styles(document)
    setup_page(document, landscape=len(briefing.targets) >= 2, article_name=briefing.article.name)
    set_properties(document, briefing)
    BriefingSections(document, briefing, styles, spool).write()
    return document


def save_docx(briefing: Briefing, path: Path) -> None:
    """Write the DOCX to ``path`` directly (for :func:`bilingual._fs.write_atomically`).

    The document is built spooled: a long article's tree would take 15 times its XML.
    """
    spool = Spool()
    document = build_document(briefing, spool)
    save_spooled(document, spool, path)


def write_docx(briefing: Briefing, path: Path) -> None:
    """Write the briefing to ``path`` atomically (a failure leaves any old file intact).

    Raises :class:`~bilingual.errors.OutputError` when the file cannot be written.
    """
    document = build_document(briefing)
    write_atomically([(path, lambda tmp: document.save(str(tmp)))], what="the DOCX briefing")
