"""The reader's edition as DOCX (python-docx), and the DOCX read back as blocks.

A single article is one section; a digest (``Publication.digest``) adds a cover and a
table of contents and puts each article in its own section (:mod:`.docx_digest`). The
contents' page numbers are cached in the file for Word, which shows them as they are:
where LibreOffice is installed, :func:`write_docx` renders the digest once and takes each
article's first page from that layout (one PDF conversion: a few seconds); without it,
the numbers are an estimate from the text's length, and LibreOffice, which recomputes
them on load, still shows the right ones. Asked for the PDF too, the same rendering is
kept as the PDF.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from bilingual import __version__
from bilingual._fs import write_atomically
from bilingual.lang import LANGUAGES
from bilingual.publish.docx_article import ArticleWriter, setup_document
from bilingual.publish.docx_digest import Contents, write_digest
from bilingual.publish.edition import Block, Publication
from bilingual.publish.soffice import DESTINATIONS, PDF_A2, convert, destinations, soffice

_TAG_TO_CODE = {lang.tag.lower(): code for code, lang in LANGUAGES.items()}


def build_document(publication: Publication) -> tuple[Document, Contents | None]:
    """The edition as an unsaved document, and the digest's contents (None for a single
    article) with estimated page numbers."""
    document = docx.Document()
    setup_document(document)
    _set_properties(document, publication)
    writer = ArticleWriter(document, publication.layout)
    if publication.digest is not None:
        return document, write_digest(document, publication, writer)
    for edition in publication.editions:
        writer.write(edition, legend=publication.has_machine_text)
    return document, None


def write_docx(
    publication: Publication,
    path: Path,
    *,
    layout_pass: bool = True,
    pdf: Path | None = None,
    pdf_a: bool = False,
    timeout: float = 300,
) -> None:
    """Write the edition to ``path`` atomically (a failure leaves any old file intact).

    For a digest with ``layout_pass`` and LibreOffice (and poppler's ``pdfinfo``)
    installed, the contents' page numbers are LibreOffice's (:func:`layout_pages`).
    With ``pdf``, that same rendering is also the PDF (PDF/A-2b with ``pdf_a``), written
    with the DOCX or not at all: ``--format docx,pdf`` costs one rendering, not two.
    Raises :class:`~bilingual.errors.PublishError` when a rendering that is needed cannot
    be made (LibreOffice missing for ``pdf``, failing, past ``timeout``), and
    :class:`~bilingual.errors.OutputError` when a file cannot be written.
    """
    document, contents = build_document(publication)

    def save(tmp: Path) -> None:
        document.save(str(tmp))

    laid_out = contents is not None and layout_pass and soffice() is not None
    if not laid_out and pdf is None:
        write_atomically([(path, save)], what="the published DOCX")
        return
    with tempfile.TemporaryDirectory(prefix="bilingual-layout-") as work:
        rendered = Path(work) / "edition.pdf"
        render(document, rendered, pdf_a=pdf_a, timeout=timeout)
        if laid_out and contents is not None:
            pages = destinations(rendered)
            if pages is not None:
                contents.set_pages(pages)
        files = [(path, save)]
        if pdf is not None:
            files.append((pdf, lambda tmp: _copy(rendered, tmp)))
        write_atomically(files, what="the published DOCX and PDF" if pdf else "the published DOCX")


def render(document: Document, pdf: Path, *, pdf_a: bool = False, timeout: float = 300) -> None:
    """LibreOffice's rendering of ``document`` to ``pdf``, every bookmark a named
    destination (so :func:`~bilingual.publish.soffice.destinations` finds the page of
    each article's title).

    The cached page numbers do not change that layout: LibreOffice recomputes each
    ``PAGEREF`` when it loads the file (and the numbers sit at a right tab), so one
    rendering gives the pages of the file as it is saved, and is that file's PDF.
    """
    with tempfile.TemporaryDirectory(prefix="bilingual-draft-") as work:
        draft = Path(work) / "edition.docx"
        document.save(str(draft))
        options = {**DESTINATIONS, **(PDF_A2 if pdf_a else {})}
        convert(draft, pdf, options=options, timeout=timeout)


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def _set_properties(document: Document, publication: Publication) -> None:
    props = document.core_properties
    first = publication.editions[0] if publication.editions else None
    title = publication.digest or (first.title if first is not None else "")
    props.title = title[:255]
    props.author = f"bilingual {__version__}"
    props.keywords = "bilingual edition"
    props.language = publication.target_lang if first is not None else ""
    when = publication.date or (first.date if first is not None else "")
    try:
        stamp = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return
    props.created = props.modified = stamp


def read_blocks(path: Path) -> list[Block]:
    """Every non-empty paragraph of the body, table cells' paragraphs included, in
    document order, with the language its runs declare (the one covering most of its
    text) and whether it is right to left (``w:bidi``).

    ``kind``: ``heading`` (Title and Heading styles), ``contents`` (a digest's line
    linking to an article: its title and page number), ``caption``, ``cell`` (a table
    cell's paragraph) or ``text``. Text inside tracked insertions counts; deleted text
    and field codes do not, a field's shown result does.
    """
    body = docx.Document(str(path)).element.body
    blocks: list[Block] = []
    for element in body.iter(qn("w:p")):
        block = _block(element)
        if block is not None:
            blocks.append(block)
    return blocks


_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")
_LINK, _ANCHOR = qn("w:hyperlink"), qn("w:anchor")


def _block(p: etree._Element) -> Block | None:
    texts: list[str] = []
    chars: dict[str | None, int] = {}
    for run in p.iter(qn("w:r")):
        lang_el = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        lang = _code(lang_el.get(qn("w:val"))) if lang_el is not None else None
        for child in run:
            piece = child.text or "" if child.tag == _T else "\t" if child.tag == _TAB else ""
            if child.tag == _BR:
                piece = "\n"
            if piece:
                texts.append(piece)
                chars[lang] = chars.get(lang, 0) + len(piece)
    text = "".join(texts)
    if not text.strip():
        return None
    ppr = p.find(qn("w:pPr"))
    style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style = style_el.get(qn("w:val"), "") if style_el is not None else ""
    if style == "Title" or style.startswith("Heading"):
        kind = "heading"
    elif p.find(f"{_LINK}[@{_ANCHOR}]") is not None:
        kind = "contents"
    elif style == "Caption":
        kind = "caption"
    elif (parent := p.getparent()) is not None and parent.tag == qn("w:tc"):
        kind = "cell"
    else:
        kind = "text"
    rtl = ppr is not None and ppr.find(qn("w:bidi")) is not None
    lang = max(chars, key=lambda k: chars[k]) if chars else None
    return Block(text, lang, rtl, kind)


def _code(tag: str | None) -> str | None:
    if tag is None:
        return None
    return _TAG_TO_CODE.get(tag.lower(), tag.split("-")[0].lower())
