"""The reader's edition as PDF: the published DOCX rendered by LibreOffice headless, its
fonts embedded (Noto Sans for Latin and Vietnamese, Noto Naskh Arabic), PDF/A-2b on
request; and the PDF read back as text for the checks.

LibreOffice lays the DOCX out itself, so the PDF's table of contents, running headers and
page numbers are LibreOffice's own (it recomputes page references when it loads).
"""

from __future__ import annotations

import re
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


_PAGE_NUMBER = re.compile(r"(?:Page\s+)?\d{1,5}")
"""A footer's page number as the digest writes it ("Page 5"), or a bare number."""


def read_blocks(path: Path) -> list[Block]:
    """One :class:`Block` per non-empty line of the PDF's text, pages in order (a PDF
    declares no language per line: ``lang`` and ``rtl`` stay None).

    A page's running header and footer are ``meta``, never text: they stand between the
    two halves of a sentence that a page break cuts, and "Page 5" before a sentence would
    read as a sentence number. A page's first line is its header when the page before or
    after begins with the same line (an article of one page has no break to cut across);
    its last line is its footer when it is a page number.
    """
    pages = [
        [line.strip() for line in page.splitlines() if line.strip()] for page in page_texts(path)
    ]
    firsts = [lines[0] if lines else None for lines in pages]
    out: list[Block] = []
    for k, lines in enumerate(pages):
        for n, line in enumerate(lines):
            header = n == 0 and line in {
                firsts[k - 1] if k else None,
                firsts[k + 1] if k + 1 < len(firsts) else None,
            }
            footer = n == len(lines) - 1 and _PAGE_NUMBER.fullmatch(line) is not None
            out.append(Block(line, kind="meta" if header or footer else "text"))
    return out
