"""The day's digest in one DOCX: a cover, a table of contents with page numbers, one
section per article on a new page, running headers and page numbers.

The contents are plain paragraphs, each a link to a bookmark on an article's title and a
``PAGEREF`` field to it, not a ``TOC`` field: Word shows a field's cached result and
updates it only when asked (``w:updateFields`` makes it ask the reader on open), while
LibreOffice recomputes every ``PAGEREF`` from its own layout when it loads the file. So
the cached numbers must already be right: :class:`Contents` holds them, first an estimate
from the text's length (:func:`estimate_pages`), then, where LibreOffice is installed, the
page of each bookmark in LibreOffice's own rendering (see
:func:`bilingual.publish.docx_out.write_docx`). Pages are numbered from the cover, with
no restart, so a number in the contents is the PDF's page index too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from lxml import etree

from bilingual.docx_io.ooxml import (
    LABELS,
    RunStyle,
    add_field,
    add_run,
    add_text,
    append_element,
    is_rtl,
)
from bilingual.errors import PublishError
from bilingual.publish.docx_article import TEXT_WIDTH, TITLE, ArticleWriter
from bilingual.publish.edition import Edition, Publication

BOOKMARK = "digestarticle{}"
"""The bookmark on the title of article ``k`` (from 1): what the contents refer to. Letters
and digits only: LibreOffice writes an underscore as ``5F`` in the PDF's destination names."""
CONTENTS_HEADING = "Contents"

CHARS_PER_LINE = 95
"""About how many characters of 10 pt Noto Sans fill a 17 cm line."""
LINES_PER_PAGE = 50
"""About how many such lines (with paragraph spacing) fit between the margins."""

_RUNNING = RunStyle(size=8, color="666666")
_SMALL = RunStyle(size=8)


@dataclass
class Contents:
    """The table of contents' cached page numbers, one per article, by bookmark name."""

    names: list[str]
    results: list[etree._Element]
    """The ``w:t`` holding each ``PAGEREF``'s cached result, in the order of ``names``."""

    def set_pages(self, pages: Mapping[str, int]) -> None:
        for name, result in zip(self.names, self.results, strict=True):
            if name not in pages:
                raise PublishError(
                    f"the digest's layout has no page for bookmark {name}",
                    fix="this is a bug in bilingual: please report it",
                )
            result.text = str(pages[name])

    def pages(self) -> list[int]:
        return [int(result.text or 0) for result in self.results]


def write_digest(document: Document, publication: Publication, writer: ArticleWriter) -> Contents:
    """The cover, the contents (page numbers estimated) and every article in its section."""
    cover(document, publication, writer)
    contents = table_of_contents(document, publication.editions, writer)
    first = document.sections[0]
    # the cover has no header or footer; the contents' pages show the digest's name
    first.different_first_page_header_footer = True
    running_header(first, publication.digest or "", None)
    page_footer(first)
    for k, edition in enumerate(publication.editions, start=1):
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        running_header(section, publication.digest or "", edition)
        writer.write(edition, bookmark=(k, BOOKMARK.format(k)))
    estimate = estimate_pages(publication, contents_lines=len(contents.names))
    contents.set_pages(dict(zip(contents.names, estimate, strict=True)))
    return contents


def cover(document: Document, publication: Publication, writer: ArticleWriter) -> None:
    """The desk's name, the digest's name and date, and the notices that concern it all."""
    if publication.desk:
        writer.para(publication.desk, fmt=RunStyle(size=14, color="595959"))
    writer.para(publication.digest or "", style="Title", fmt=RunStyle(size=28, color="1F3864"))
    count = len(publication.editions)
    writer.para(
        f"{publication.date} \u00b7 {count} article{'s' if count != 1 else ''}",
        fmt=RunStyle(size=12),
    )
    notices = dict.fromkeys(
        e.colophon.test_model_notice for e in publication.editions if e.colophon.test_model_notice
    )
    for notice in notices:
        if notice:
            writer.notice(notice)
    if publication.has_machine_text:
        writer.legend()


def table_of_contents(
    document: Document, editions: Sequence[Edition], writer: ArticleWriter
) -> Contents:
    """On a new page: one line per article, its title linked to its bookmark, dot leaders,
    and a ``PAGEREF`` to the bookmark whose cached result :class:`Contents` keeps."""
    brk = document.add_paragraph()
    brk.add_run().add_break(WD_BREAK.PAGE)
    writer.para(CONTENTS_HEADING, style="Heading 1", fmt=TITLE)
    names: list[str] = []
    results: list[etree._Element] = []
    for k, edition in enumerate(editions, start=1):
        name = BOOKMARK.format(k)
        line = document.add_paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(
            Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        link = append_element(line._p, "w:hyperlink", anchor=name)
        rtl = is_rtl(edition.target_lang)
        for run in add_text(line, edition.title, rtl_para=rtl, lang=edition.target_lang):
            link.append(run._r)  # moves the run into the link
        add_run(line, "\t", rtl=False, lang=LABELS)
        results.append(page_reference(line, name))
        names.append(name)
    return Contents(names, results)


def page_reference(paragraph: Paragraph, bookmark: str) -> etree._Element:
    """A ``PAGEREF`` field to ``bookmark``; returns the ``w:t`` of its cached result."""
    begin = add_run(paragraph, "", rtl=False, lang=LABELS)
    append_element(begin._r, "w:fldChar", fldCharType="begin")
    instr = add_run(paragraph, "", rtl=False, lang=LABELS)
    code = append_element(instr._r, "w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = f" PAGEREF {bookmark} \\h "
    separate = add_run(paragraph, "", rtl=False, lang=LABELS)
    append_element(separate._r, "w:fldChar", fldCharType="separate")
    result = add_run(paragraph, "0", rtl=False, lang=LABELS)
    end = add_run(paragraph, "", rtl=False, lang=LABELS)
    append_element(end._r, "w:fldChar", fldCharType="end")
    text = result._r.find(qn("w:t"))
    assert text is not None, "add_run writes its text in a w:t"
    return text


def running_header(section: Section, digest: str, edition: Edition | None) -> None:
    """``digest / article title`` at the top of each of the section's pages."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    add_run(paragraph, digest, rtl=False, lang=LABELS, fmt=RunStyle(size=8, bold=True))
    if edition is not None:
        add_run(paragraph, " / ", rtl=False, lang=LABELS, fmt=_RUNNING)
        add_text(paragraph, edition.title, rtl_para=False, lang=edition.target_lang, fmt=_RUNNING)


def page_footer(section: Section) -> None:
    """``Page N`` centred: later sections inherit it (their footers stay linked)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, "Page ", rtl=False, lang=LABELS, fmt=_SMALL)
    add_field(paragraph, "PAGE", "1", _SMALL)


def estimate_pages(publication: Publication, *, contents_lines: int) -> list[int]:
    """The first page of each article, from the length of its text: what the contents
    show where no layout engine is at hand (LibreOffice recomputes them anyway)."""
    contents_pages = max(1, math.ceil((contents_lines + 4) / LINES_PER_PAGE))
    page = 1 + contents_pages + 1
    starts = []
    for edition in publication.editions:
        starts.append(page)
        page += max(1, math.ceil(_lines(edition, publication.layout) / LINES_PER_PAGE))
    return starts


def _lines(edition: Edition, layout: str) -> float:
    per_line = CHARS_PER_LINE if layout == "target" else CHARS_PER_LINE / 2.3
    lines = 4.0 + 2 * (edition.colophon.test_model_notice is not None)
    for paragraph in edition.paragraphs:
        target = sum(len(s.text) + 1 for s in paragraph.sentences)
        source = sum(len(s.source) + 1 for s in paragraph.sentences)
        chars = target if layout == "target" else max(target, source * 1.2)
        lines += math.ceil(chars / per_line) + 0.5 + (paragraph.credit is not None)
    return lines + 6 + len(edition.colophon.licences) + len(edition.colophon.reviewers)
