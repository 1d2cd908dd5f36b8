"""One article of the reader's edition, written into a python-docx document.

What the reader gets, in order: the title (a bookmark on it in a digest), the source and
date line, the test-model notice and the machine legend where they apply, the translation
as continuous paragraphs (``target``) or as a two-column table, Arabic right to left
beside the translation (``side-by-side``), captions with their credits, and the colophon.
Nothing of the reviewer's document comes along: no sentence numbers, status tags,
confidence marks, comments or sentence bookmarks. The one mark is
:data:`~bilingual.publish.edition.MACHINE_MARK` before a sentence nobody reviewed.

Right-to-left text is written as the briefing writes it (:mod:`bilingual.docx_io.ooxml`):
``w:bidi`` paragraphs, ``w:rtl`` runs, ``w:lang/@w:bidi``, Noto Naskh Arabic as the
complex-script font and Noto Sans (which has the Vietnamese letters) for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bilingual.docx_io.ooxml import (
    LABELS,
    LATIN_SIZE,
    PLAIN,
    RunStyle,
    add_hyperlink,
    add_run,
    add_text,
    append_element,
    is_rtl,
    keep_with_next,
    set_rtl,
)
from bilingual.docx_io.styles import MARGIN, PAGE_LONG, PAGE_SHORT, setup_fonts
from bilingual.lang import language_name
from bilingual.publish.edition import (
    MACHINE_LEGEND,
    MACHINE_MARK,
    Edition,
    Layout,
    PublishedParagraph,
    PublishedSentence,
)

NBSP = "\u00a0"
"""Joins the machine mark to its sentence: a line never ends between them."""
TEXT_WIDTH = PAGE_SHORT - 2 * MARGIN
"""Centimetres between the margins (A4 portrait)."""
COLOPHON_HEADING = "About this translation"

_MARK = RunStyle(bold=True, color="B45F06")
_NOTICE = RunStyle(bold=True, color="C00000", size=11)
_META = RunStyle(size=9, color="595959")
_CREDIT = RunStyle(size=8, color="595959")
_MONO = RunStyle(mono=True, size=8)
_STYLES = ("Title", "Heading 1", "Heading 2", "Caption", "List Bullet")
TITLE = RunStyle(size=18, bold=True, color="1F3864")
SUBTITLE = RunStyle(size=14, color="404040")
_HEADING2 = RunStyle(size=12, bold=True, color="1F3864")


def setup_document(document: Document) -> None:
    """Fonts, A4 portrait with 2 cm margins, and the Normal and Caption styles."""
    setup_fonts(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_SHORT), Cm(PAGE_LONG)
    section.left_margin = section.right_margin = Cm(MARGIN)
    section.top_margin = section.bottom_margin = Cm(MARGIN)
    normal = document.styles["Normal"]
    normal.font.size = Pt(LATIN_SIZE)
    normal.paragraph_format.space_after = Pt(6)
    caption = document.styles["Caption"]
    caption.font.bold = caption.font.cs_bold = False
    caption.font.italic = True
    caption.font.size = Pt(LATIN_SIZE)
    caption.font.color.rgb = RGBColor.from_string("404040")


class ArticleWriter:
    """Writes editions, one after another, at the end of ``document``."""

    def __init__(self, document: Document, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        # style ids looked up once: python-docx finds a style by name by scanning every
        # style and then the default one, 10 ms a paragraph (a third of a digest's time)
        self.style_ids = {name: document.styles[name].style_id for name in _STYLES}
        self.table_style = document.styles["Table Grid"]

    def paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the body, in the style named ``style``."""
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def para(
        self,
        text: str = "",
        *,
        lang: str = LABELS,
        style: str | None = None,
        fmt: RunStyle = PLAIN,
        into: Paragraph | None = None,
    ) -> Paragraph:
        """A new paragraph (or ``into``) holding ``text``, right to left where ``lang`` is."""
        paragraph = into if into is not None else self.paragraph(style)
        rtl = is_rtl(lang)
        if rtl:
            set_rtl(paragraph)
        if text:
            add_text(paragraph, text, rtl_para=rtl, lang=lang, fmt=fmt)
        return paragraph

    def write(
        self, edition: Edition, *, bookmark: tuple[int, str] | None = None, legend: bool = False
    ) -> Paragraph:
        """The whole article; returns its heading (where a digest's bookmark is).
        ``legend``: the machine mark's legend goes under the title (a single article's
        edition; a digest has it once, on its cover)."""
        heading = self.title(edition, bookmark)
        self.meta(edition)
        if edition.colophon.test_model_notice:
            self.notice(edition.colophon.test_model_notice)
        if legend:
            self.legend()
        if self.layout == "side-by-side":
            self.side_by_side(edition)
        else:
            self.target_text(edition)
        self.colophon(edition)
        return heading

    def title(self, edition: Edition, bookmark: tuple[int, str] | None) -> Paragraph:
        heading = self.para(edition.title, lang=edition.target_lang, style="Heading 1", fmt=TITLE)
        keep_with_next(heading)
        if bookmark is not None:
            mark_id, name = bookmark
            start = append_element(heading._p, "w:bookmarkStart", id=str(mark_id), name=name)
            # before the title's runs (after w:pPr), so the reference lands on the title
            heading._p.remove(start)
            heading._p.insert(1 if heading._p.pPr is not None else 0, start)
            append_element(heading._p, "w:bookmarkEnd", id=str(mark_id))
        if self.layout == "side-by-side" and edition.source_title:
            keep_with_next(self.para(edition.source_title, lang=edition.source_lang, fmt=SUBTITLE))
        return heading

    def meta(self, edition: Edition) -> None:
        line = self.para()
        if edition.source:
            add_run(line, "Source: ", rtl=False, lang=LABELS, fmt=_META)
            if edition.source.startswith(("http://", "https://")):
                add_hyperlink(line, edition.source, _META)
            else:
                add_text(line, edition.source, rtl_para=False, lang=edition.source_lang, fmt=_META)
            add_run(line, " \u00b7 ", rtl=False, lang=LABELS, fmt=_META)
        translated = f"Translated from {language_name(edition.source_lang)} on {edition.date[:10]}"
        add_run(line, translated, rtl=False, lang=LABELS, fmt=_META)

    def notice(self, text: str) -> None:
        """The test-model notice: bold, red, on a light band, where a reader cannot miss it."""
        paragraph = self.para(text, fmt=_NOTICE)
        append_element(
            paragraph._p.get_or_add_pPr(), "w:shd", val="clear", color="auto", fill="FDE9E7"
        )

    def legend(self) -> None:
        self.para(MACHINE_LEGEND, fmt=RunStyle(italic=True, color="B45F06"))

    def sentences(
        self,
        paragraph: Paragraph,
        sentences: Sequence[PublishedSentence],
        lang: str,
        *,
        source: bool,
    ) -> None:
        """The sentences as one continuous paragraph; the machine mark before each one
        nobody reviewed (on the translation only)."""
        rtl = is_rtl(lang)
        if rtl:
            set_rtl(paragraph)
        for k, sentence in enumerate(sentences):
            if k:
                add_run(paragraph, " ", rtl=rtl, lang=lang)
            if not source and sentence.machine:
                add_run(paragraph, f"{MACHINE_MARK}{NBSP}", rtl=rtl, lang=lang, fmt=_MARK)
            text = sentence.source if source else sentence.text
            add_text(paragraph, text, rtl_para=rtl, lang=lang)

    def credit(self, edition: Edition, credit: str, into: Paragraph | None = None) -> None:
        """A caption's credit as the article printed it (its words in the article's
        language), set in the translation's direction under the translated caption."""
        paragraph = into if into is not None else self.paragraph()
        rtl = is_rtl(edition.target_lang)
        if rtl:
            set_rtl(paragraph)
        add_text(paragraph, credit, rtl_para=rtl, lang=edition.source_lang, fmt=_CREDIT)

    def target_text(self, edition: Edition) -> None:
        for paragraph in edition.paragraphs:
            style = "Caption" if paragraph.kind == "caption" else None
            self.sentences(
                self.paragraph(style),
                paragraph.sentences,
                edition.target_lang,
                source=False,
            )
            if paragraph.credit:
                self.credit(edition, paragraph.credit)

    def side_by_side(self, edition: Edition) -> None:
        """One row per paragraph: the article's language beside the translation."""
        langs = (edition.source_lang, edition.target_lang)
        table = self.doc.add_table(rows=1, cols=2)
        table.style = self.table_style
        table.autofit = False
        for column in table.columns:
            column.width = Cm(TEXT_WIDTH / 2)
        header = table.rows[0]
        append_element(header._tr.get_or_add_trPr(), "w:tblHeader")
        for cell, lang in zip(header.cells, langs, strict=True):
            cell.width = Cm(TEXT_WIDTH / 2)
            add_run(cell.paragraphs[0], language_name(lang), rtl=False, lang=LABELS, fmt=_MARK)
        for paragraph in edition.paragraphs:
            source_cell, target_cell = _add_row(table)
            self.cell_text(source_cell, paragraph, edition.source_lang, source=True)
            self.cell_text(target_cell, paragraph, edition.target_lang, source=False)
            if paragraph.credit:
                self.credit(edition, paragraph.credit, target_cell.add_paragraph())

    def cell_text(
        self, cell: _Cell, paragraph: PublishedParagraph, lang: str, *, source: bool
    ) -> None:
        first = cell.paragraphs[0]
        if paragraph.kind == "caption":
            first._p.style = self.style_ids["Caption"]
        self.sentences(first, paragraph.sentences, lang, source=source)

    def colophon(self, edition: Edition) -> None:
        """How the text was made and checked, at the end of the article."""
        c = edition.colophon
        keep_with_next(self.para(COLOPHON_HEADING, style="Heading 2", fmt=_HEADING2))
        made = self.para(f"Translated by machine with bilingual {c.tool_version}. Signature: ")
        add_run(made, c.signature, rtl=False, lang=LABELS, fmt=_MONO)
        for line in c.licences:
            self.para(line, style="List Bullet")
        if c.reviewers:
            for r in c.reviewers:
                count = f"{r.sentences} sentence{'s' if r.sentences != 1 else ''}"
                self.para(f"Reviewed by {r.name} ({count}), last on {_when(r.last_at)}.")
        else:
            self.para("No reviewer has checked this translation.")
        unreviewed = edition.unreviewed
        if unreviewed:
            self.para(
                # no glyph here: the mark stands before machine sentences and nowhere else
                f"{unreviewed} sentence{'s' if unreviewed != 1 else ''} went out unreviewed "
                "(marked as the legend says).",
                fmt=_MARK,
            )
        glossary = self.para("Glossary: ")
        if c.glossary:
            add_run(glossary, c.glossary, rtl=False, lang=LABELS, fmt=_MONO)
        else:
            add_run(glossary, "none", rtl=False, lang=LABELS)
        if c.test_model_notice:
            self.notice(c.test_model_notice)


def _when(stamp: str) -> str:
    """``2026-12-06 10:00 UTC`` for an ISO 8601 date-time (as it is if it is not one)."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
        return when.strftime("%Y-%m-%d %H:%M UTC")
    return when.strftime("%Y-%m-%d %H:%M")


def _add_row(table: Table) -> tuple[_Cell, _Cell]:
    """A row of two cells at the table's column widths, without ``Table.add_row`` and
    ``_Row.cells`` (each scans the whole table: quadratic in an article's paragraphs)."""
    tr = table._tbl.add_tr()
    width = Cm(TEXT_WIDTH / 2)
    cells = []
    for _ in range(2):
        tc = tr.add_tc()
        tc.width = width
        cells.append(_Cell(tc, table))
    return cells[0], cells[1]
