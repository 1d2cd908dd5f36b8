"""The reader's edition as PDF: the published DOCX rendered by LibreOffice headless, its
fonts embedded (Noto Sans for Latin and Vietnamese, Noto Naskh Arabic), PDF/A-2b on
request; and the PDF read back as text for the checks.

LibreOffice lays the DOCX out itself, so the PDF's table of contents, running headers and
page numbers are LibreOffice's own (it recomputes page references when it loads).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bilingual._fs import write_atomically
from bilingual.publish.edition import Block
from bilingual.publish.soffice import PDF_A2, convert, page_texts


def write_pdf(docx: Path, pdf: Path, *, pdf_a: bool = False, timeout: float = 300) -> None:
    """Render ``docx`` to ``pdf`` atomically: a failure leaves any old ``pdf`` intact.

    Raises :class:`~bilingual.errors.PublishError` when LibreOffice is missing, fails or
    runs past ``timeout`` seconds, and :class:`~bilingual.errors.OutputError` when
    ``pdf`` cannot be written.
    """
    with tempfile.TemporaryDirectory(prefix="bilingual-pdf-") as work:
        rendered = Path(work) / "edition.pdf"
        convert(docx, rendered, options=PDF_A2 if pdf_a else None, timeout=timeout)
        write_atomically([(pdf, lambda tmp: _copy(rendered, tmp))], what="the published PDF")


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def read_blocks(path: Path) -> list[Block]:
    """One :class:`Block` per non-empty line of the PDF's text, pages in order (a PDF
    declares no language per line: ``lang`` and ``rtl`` stay None)."""
    return [
        Block(line.strip())
        for page in page_texts(path)
        for line in page.splitlines()
        if line.strip()
    ]
