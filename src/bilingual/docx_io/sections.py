"""The briefing's sections, in page order: title, metadata, aligned table, captions, QA, appendix.

Table layout: one row per paragraph, not one per sentence. A reviewer reads and judges a
paragraph as a whole (sentence splits of the two languages often differ in feel even
when they align one to one), a row per sentence would cut every paragraph into strips
and multiply the rows by three, and Word repeats a header row per page, not per group.
Inside each cell every sentence starts with the same superscript number (1, 2, ...) in
every column, so the matching sentence is found by its number. The numbers are in the
character style "Sentence Number", joined to the sentence by a no-break space:
bracketed ``[2]`` was tried and LibreOffice breaks lines inside it in right-to-left
text. The number column shows the 1-based paragraph number, the ``N`` of the sentence
ids ``pN.sM`` used in the QA section and the JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.table import CT_TblGrid
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bilingual.document.article import ArticleInfo
from bilingual.document.briefing import (
    TEST_MODEL_WARNING,
    Briefing,
    notice_for_test_models,
    short_title,
)
from bilingual.document.segment import Segment
from bilingual.docx_io.alternatives import add_alternatives
from bilingual.docx_io.approval import UNCHECKED, add_box_for
from bilingual.docx_io.findings import (
    QualitySection,
    add_comment,
    add_note,
    band_legend,
    confidence_band,
)
from bilingual.docx_io.names import write_names
from bilingual.docx_io.ooxml import (
    LABELS,
    PLAIN,
    RunStyle,
    add_hyperlink,
    add_run,
    add_text,
    append_element,
    is_rtl,
    keep_with_next,
    set_rtl,
    xml_safe,
)
from bilingual.docx_io.pieces import source_pieces, target_pieces
from bilingual.docx_io.similar import add_similar
from bilingual.docx_io.spool import Spool
from bilingual.docx_io.styles import (
    CONFIDENCE_MARKS,
    CONFIDENCE_SHADING,
    NBSP,
    NUMBER_COLUMN,
    STATUS_TAGS,
    TABLE_HEADING,
    Anchor,
    StyleIds,
    fingerprint,
    text_width,
)
from bilingual.lang import language_name

# -- the sections ---------------------------------------------------------------------------


class BriefingSections:
    """Writes one briefing's sections into a document that :mod:`.styles` set up."""

    def __init__(
        self, document: Document, briefing: Briefing, styles: StyleIds, spool: Spool | None = None
    ) -> None:
        self.doc = document
        self.b = briefing
        self.styles = styles
        self.landscape = len(briefing.targets) >= 2
        self.width = text_width(self.landscape)
        self._bookmark_ids = itertools.count(1)
        self.spool = spool
        """Takes finished rows and captions out of the tree (a long article's DOCX)."""

    def release(self, *elements: BaseOxmlElement) -> None:
        """``elements`` are finished: nothing reads or changes them after this."""
        if self.spool is not None:
            self.spool.release(*elements)

    def write(self) -> None:
        if self.b.test_models:
            self.test_model_banner()
        self.title()
        self.metadata()
        self.aligned_table()
        self.captions()
        self.quality_checks()
        write_names(self)
        self.appendix()

    # -- building blocks ---------------------------------------------------------------

    def para(
        self,
        text: str = "",
        *,
        lang: str = LABELS,
        style: str | None = None,
        fmt: RunStyle = PLAIN,
        into: Paragraph | None = None,
    ) -> Paragraph:
        """A new paragraph (or ``into``) holding ``text``; right-to-left languages set so."""
        paragraph = into if into is not None else self.doc.add_paragraph(style=style)
        rtl = is_rtl(lang)
        if rtl:
            set_rtl(paragraph)
        if text:
            add_text(paragraph, text, rtl_para=rtl, lang=lang, fmt=fmt)
        return paragraph

    def widths(self, table: Table, widths: Sequence[float]) -> None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)

    def new_table(self, names: Sequence[str]) -> Table:
        """A grid table whose header row (repeated on every page) holds ``names``."""
        table: Table = self.doc.add_table(rows=1, cols=len(names))
        table.style = self.doc.styles["Table Grid"]
        row = table.rows[0]
        tr_pr = row._tr.get_or_add_trPr()
        append_element(tr_pr, "w:cantSplit")  # schema order: cantSplit before tblHeader
        append_element(tr_pr, "w:tblHeader")
        for cell, name in zip(row.cells, names, strict=True):
            append_element(
                cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill="D9D9D9"
            )
            add_run(cell.paragraphs[0], name, rtl=False, lang=LABELS, fmt=RunStyle(bold=True))
            # the header row stays with the first row below it: never alone at a foot
            keep_with_next(cell.paragraphs[0])
        return table

    def heading(self, text: str, level: int) -> Paragraph:
        """A section heading kept on the page of what follows it."""
        paragraph: Paragraph = self.doc.add_heading(text, level=level)
        keep_with_next(paragraph)
        return paragraph

    def anchor(self, paragraph: Paragraph, segment_id: str, lang: str, text: str) -> str:
        """Open the bookmark that maps this text back to its segment; returns its id.

        Bookmarks survive a save in Word and in LibreOffice (the visible sentence
        numbers alone do not: reviewers delete them); the name carries a fingerprint of
        the text written, so ``review import`` sees an edit without any other file.
        """
        mark_id = str(next(self._bookmark_ids))
        name = Anchor(segment_id, lang, fingerprint(text)).name
        append_element(paragraph._p, "w:bookmarkStart", id=mark_id, name=name)
        return mark_id

    def row(self, table: Table, values: Sequence[str], langs: Sequence[str] | None = None) -> _Row:
        row = _add_row(table)
        # a row stays on one page: a finding or a term is never cut across pages
        append_element(row._tr.get_or_add_trPr(), "w:cantSplit")
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            lang = langs[i] if langs else LABELS
            self.para(value, lang=lang, into=cell.paragraphs[0], fmt=RunStyle(size=9))
        return row

    # -- sections ----------------------------------------------------------------------

    def test_model_banner(self) -> None:
        """A shaded box above the title: the translations come from test models, which
        give word salad on real articles that would otherwise look like a briefing."""
        p = self.doc.add_paragraph()
        ppr = p._p.get_or_add_pPr()
        borders = append_element(ppr, "w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            append_element(borders, f"w:{side}", val="single", sz="12", space="4", color="C00000")
        append_element(ppr, "w:shd", val="clear", color="auto", fill="FDE9E7")
        p.paragraph_format.space_after = Pt(10)
        add_run(
            p,
            f"{TEST_MODEL_WARNING} ",
            rtl=False,
            lang=LABELS,
            fmt=RunStyle(bold=True, color="C00000", size=12),
        )
        notice = notice_for_test_models(self.b.test_models)
        add_text(p, notice, rtl_para=False, lang=LABELS, fmt=RunStyle(size=9))

    def title(self) -> None:
        """The first target's title as the heading, then the source and later targets:
        each at most two lines (:func:`short_title`; the table has the whole sentence)."""
        b = self.b
        first, *rest = b.targets
        heading = self.doc.add_heading(level=0)
        heading.paragraph_format.space_after = Pt(4)
        text = short_title(b.title.get(first) or "")
        add_text(heading, text, rtl_para=False, lang=first, fmt=RunStyle(size=16))
        source_fmt = RunStyle(size=13, cs_size=15, bold=True)
        source = short_title(b.title.get(b.source_lang) or "")
        self.para(source, lang=b.source_lang, fmt=source_fmt)
        for lang in rest:
            text = b.title.get(lang) or ""
            if text:
                self.para(short_title(text), lang=lang, fmt=RunStyle(size=12, italic=True))

    def _meta_line(self, label: str) -> Paragraph:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        add_run(p, f"{label}: ", rtl=False, lang=LABELS, fmt=RunStyle(bold=True, size=9))
        return p

    def metadata(self) -> None:
        b = self.b
        small = RunStyle(size=9)
        p = self._meta_line("Source")
        if b.article.source_url:
            add_hyperlink(
                p, xml_safe(b.article.source_url), RunStyle(color="0563C1", underline=True, size=9)
            )
        else:
            add_run(
                p,
                "not given in the article",
                rtl=False,
                lang=LABELS,
                fmt=RunStyle(size=9, italic=True),
            )
        lines = [
            ("Article file", str(b.article.path)),
            ("Input", input_description(b.article)),
            ("Run date", b.run_date),
            ("Languages", self._languages()),
            ("Models", ", ".join(b.models) or "none"),
            *(("Licence", line) for line in b.licences),
        ]
        for label, value in lines:
            add_text(self._meta_line(label), value, rtl_para=False, lang=LABELS, fmt=small)
        glossary = b.signature.glossary
        add_text(
            self._meta_line("Glossary signature"),
            glossary,
            rtl_para=False,
            lang=LABELS,
            fmt=replace(small, mono=True),
        )
        add_text(
            self._meta_line("bilingual version"), b.version, rtl_para=False, lang=LABELS, fmt=small
        )
        p = self._meta_line("Signature")
        p.paragraph_format.space_after = Pt(8)
        add_text(p, str(b.signature), rtl_para=False, lang=LABELS, fmt=RunStyle(size=8, mono=True))

    def _languages(self) -> str:
        b = self.b
        targets = ", ".join(f"{language_name(t)} ({t})" for t in b.targets)
        return f"{language_name(b.source_lang)} ({b.source_lang}) \u2192 {targets}"

    def aligned_table(self) -> None:
        self.heading(TABLE_HEADING, level=1)
        self.legend()  # what the approval box and the tags say: on every briefing
        if any(self._band(s, lang) for s in self.b.all_segments() for lang in s.renderings):
            self.para(band_legend(self.b.bands), fmt=RunStyle(size=9))
        langs = self.b.languages
        column = (self.width - NUMBER_COLUMN) / len(langs)
        table = self.new_table(["#", *(language_name(lang) for lang in langs)])
        # widths first: each row takes them from the grid and is released when written
        self.widths(table, [NUMBER_COLUMN, *([column] * len(langs))])
        for paragraph in self.b.paragraphs:
            row = _add_row(table)
            # a paragraph row stays on one page (Word and LibreOffice still split a row
            # taller than a page), but for a long first one: a long lead paragraph kept
            # whole moved the table to page 2 and left page 1 mostly empty
            first = paragraph is self.b.paragraphs[0]
            if not first or _lines(paragraph.sentences, langs, column) < SHORT_ROW_LINES:
                append_element(row._tr.get_or_add_trPr(), "w:cantSplit")
            cells = row.cells
            number = cells[0].paragraphs[0]
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_run(
                number, str(paragraph.index + 1), rtl=False, lang=LABELS, fmt=RunStyle(bold=True)
            )
            for cell, lang in zip(cells[1:], langs, strict=True):
                self.cell(cell, paragraph.sentences, lang)
                if first:
                    # a split first row moves at least two lines of each cell: never one
                    # Arabic word alone at the top of page 2 beside empty cells
                    cell.paragraphs[0].paragraph_format.widow_control = True
            self.release(row._tr)

    def cell(self, cell: _Cell, sentences: Sequence[Segment], lang: str) -> None:
        paragraph = cell.paragraphs[0]
        rtl = is_rtl(lang)
        if rtl:
            set_rtl(paragraph)
        number_style = RunStyle(style_id=self.styles.sentence_number)
        for k, sentence in enumerate(sentences):
            if k:
                add_run(paragraph, " ", rtl=rtl, lang=lang)
            mark_id = self.anchor(paragraph, sentence.id, lang, sentence.text(lang) or "")
            # superscript number + no-break space: LibreOffice breaks lines inside a
            # bracketed "[2]" in right-to-left text (even with a word joiner); this way the
            # number never ends a line apart from its sentence
            add_run(paragraph, f"{sentence.number}{NBSP}", rtl=rtl, lang=lang, fmt=number_style)
            self.sentence(paragraph, sentence, lang)
            append_element(paragraph._p, "w:bookmarkEnd", id=mark_id)

    def _band(self, sentence: Segment, lang: str) -> str | None:
        return confidence_band(sentence.renderings.get(lang), self.b.bands.get(lang))

    def sentence(self, paragraph: Paragraph, sentence: Segment, lang: str) -> None:
        """One sentence's text in ``lang``: terms bold, forced ones marked, a status tag
        first where a reviewer's translation is shown, and a triangle first with the text
        shaded where the model was unsure of its translation (its confidence band)."""
        rtl = is_rtl(lang)
        band = None if lang == sentence.source_lang else self._band(sentence, lang)
        if lang != sentence.source_lang:  # the approval box, before its marks and its text
            add_box_for(paragraph, sentence.renderings.get(lang), self.styles.approval_box)
        if band is not None:
            band_fmt = RunStyle(style_id=self.styles.confidence_mark or None)
            add_run(paragraph, f"{CONFIDENCE_MARKS[band]}{NBSP}", rtl=rtl, lang=lang, fmt=band_fmt)
        shade = CONFIDENCE_SHADING[band] if band is not None else None
        if lang == sentence.source_lang:
            pieces = source_pieces(sentence)
        else:
            rendering = sentence.renderings.get(lang)
            uses = rendering.terms if rendering is not None else ()
            pieces = target_pieces(sentence.text(lang) or "", uses)
            if rendering is not None and rendering.reviewed:
                self.status_tag(paragraph, rendering.status, lang)
        mark_style = RunStyle(style_id=self.styles.forced_mark)
        # the runs made here, kept: reading paragraph.runs again rebuilds the list of every
        # run of the cell, quadratic in a paragraph of thousands of sentences
        runs: list[Run] = []
        for piece in pieces:
            if piece.mark:
                runs.append(add_run(paragraph, piece.text, rtl=rtl, lang=lang, fmt=mark_style))
            else:
                fmt = RunStyle(bold=piece.bold, forced=piece.forced, shade=shade)
                runs += add_text(paragraph, piece.text, rtl_para=rtl, lang=lang, fmt=fmt)
        rendering = sentence.renderings.get(lang)
        if rendering is not None:
            # the findings in place, on the translation they concern; the reviewer's own
            # note there too, as their comment: a briefing never hides what they wrote
            add_comment(self.doc, runs, rendering.flags)
            add_note(
                self.doc,
                runs,
                rendering.note,
                rendering.note_by,
                rendering.note_at,
            )
            add_alternatives(self.doc, runs, rendering)  # the model's next best, where unsure
            add_similar(self.doc, runs, rendering, sentence.source, sentence.source_lang)

    def status_tag(self, paragraph: Paragraph, status: str, lang: str) -> None:
        """The tag saying whose translation follows (reviewed, approved); a machine
        translation has none. Its own style, read back as no part of the sentence."""
        tag = STATUS_TAGS.get(status)
        if tag is not None:
            fmt = RunStyle(style_id=self.styles.reviewed_mark)
            add_run(paragraph, f"{tag}{NBSP}", rtl=is_rtl(lang), lang=lang, fmt=fmt)

    def legend(self) -> None:
        p = self.doc.add_paragraph()
        keep_with_next(p)  # with the table it explains
        small = RunStyle(size=9)
        tag = RunStyle(style_id=self.styles.reviewed_mark)
        box = RunStyle(style_id=self.styles.approval_box, mono=True)  # has the glyph
        add_run(p, UNCHECKED, rtl=False, lang=LABELS, fmt=box)
        add_run(p, APPROVE_LEGEND, rtl=False, lang=LABELS, fmt=small)
        meanings = (
            (
                "reviewed",
                " reviewed: a reviewer's translation, reused from the translation memory "
                "(glossary updates to it are listed under Quality checks).  ",
            ),
            ("approved", " approved: a reviewer signed it off (no box).  "),
        )
        for status, meaning in meanings:
            add_run(p, STATUS_TAGS[status], rtl=False, lang=LABELS, fmt=tag)
            add_run(p, meaning, rtl=False, lang=LABELS, fmt=small)
        add_run(p, "No tag: the machine's translation.", rtl=False, lang=LABELS, fmt=small)

    def captions(self) -> None:
        b = self.b
        if not b.captions:
            return
        self.heading("Captions", level=1)
        for number, item in enumerate(b.captions, start=1):
            c = item.caption
            where = (
                "before the first paragraph"
                if c.after_paragraph < 0
                else f"after paragraph {c.after_paragraph + 1}"
            )
            label = self.doc.add_paragraph()
            label.paragraph_format.keep_with_next = True
            label.paragraph_format.space_after = Pt(0)
            add_run(
                label,
                f"Caption {number} ({where}, line {c.line})",
                rtl=False,
                lang=LABELS,
                fmt=RunStyle(size=8, color="666666"),
            )
            segment = item.segment(b.source_lang, number)
            source = self.para(style="Caption", lang=b.source_lang)
            mark_id = self.anchor(source, segment.id, b.source_lang, c.text)
            self.sentence(source, segment, b.source_lang)  # its terms bold, as in the table
            append_element(source._p, "w:bookmarkEnd", id=mark_id)
            source.paragraph_format.keep_with_next = True
            if c.credit:
                rtl = is_rtl(b.source_lang)
                add_run(source, " \u2014 ", rtl=rtl, lang=b.source_lang)
                add_text(
                    source, c.credit, rtl_para=rtl, lang=b.source_lang, fmt=RunStyle(color="666666")
                )
            written = [label._p, source._p]
            for k, lang in enumerate(b.targets):
                p = self.para(lang=lang, style="Caption")
                mark_id = self.anchor(p, segment.id, lang, segment.text(lang) or "")
                self.sentence(p, segment, lang)
                append_element(p._p, "w:bookmarkEnd", id=mark_id)
                if k < len(b.targets) - 1:
                    p.paragraph_format.keep_with_next = True
                written.append(p._p)
            self.release(*written)

    def quality_checks(self) -> None:
        QualitySection(self).write()

    def appendix(self) -> None:
        b = self.b
        self.heading("Appendix: glossary terms used", level=1)
        if not b.terms:
            self.para("No glossary term was found in this article.", fmt=RunStyle(italic=True))
            return
        # the count is of the Arabic occurrences; "forced" is counted per target, so that
        # no column can exceed the occurrences (a total over targets did: 3 of 4)
        forced = [f"Forced ({lang})" for lang in b.targets]
        names = ["Term", "Type", *(language_name(lang) for lang in b.languages)]
        names += [f"Count ({b.source_lang})", *forced]
        table = self.new_table(names)
        for term in b.terms:
            values = [term.term_id, term.type, term.source]
            values += [term.renderings.get(lang) or "" for lang in b.targets]
            values.append(str(term.count))
            # read back from a file that kept only the total: no per-language figure
            values += [_forced_in(term.forced_by_lang, lang) for lang in b.targets]
            self.row(
                table, values, [LABELS, LABELS, *b.languages, LABELS, *(LABELS,) * len(forced)]
            )
        numbers = [1.7] * (1 + len(forced))
        fixed = 3.5 + 2.4 + sum(numbers)
        text = (self.width - fixed) / len(b.languages)
        self.widths(table, [3.5, 2.4, *([text] * len(b.languages)), *numbers])


APPROVE_LEGEND = (
    " before a translation: tick it to approve the sentence as it stands (a click in Word "
    "or LibreOffice, a pen on paper); an edited sentence whose box is ticked is approved "
    "with the edit.  "
)

SHORT_ROW_LINES = 12
"""A first row under this many lines (about a quarter of a page) is kept whole: moved to
the next page it leaves little empty; a longer one may split, two lines or more apiece."""


def _lines(sentences: Sequence[Segment], langs: Sequence[str], column: float) -> int:
    """About how many lines the tallest cell of a row of ``sentences`` takes in columns
    ``column`` cm wide (a character is about 0.2 cm at the table's sizes)."""
    per_line = max(1, int(column / 0.2))
    return max(
        sum(len(s.text(lang) or "") + 3 for s in sentences) // per_line + 1 for lang in langs
    )


def _forced_in(by_lang: Mapping[str, int], lang: str) -> str:
    return str(by_lang[lang]) if lang in by_lang else "?"


def _add_row(table: Table) -> _Row:
    """``Table.add_row`` without its cost per row that grows with the table.

    python-docx finds ``w:tblGrid`` with ``find()``, which scans every child of the
    table: quadratic in the rows (a 16,000-row table took minutes). The grid is the
    second child (after ``w:tblPr``) of every table python-docx makes; the cells get the
    grid's widths, as ``add_row`` gives them.
    """
    tbl = table._tbl
    first = next(iter(tbl), None)
    grid = first.getnext() if first is not None else None
    if not isinstance(grid, CT_TblGrid):
        row: _Row = table.add_row()  # type: ignore[no-untyped-call]
        return row
    tr = tbl.add_tr()
    for col in grid.gridCol_lst:
        tc = tr.add_tc()
        if col.w is not None:
            tc.width = col.w
    return _Row(tr, table)


_FORM_NAMES = {
    "text": "plain text",
    "markdown": "Markdown",
    "html": "web page",
    "docx": "Word file",
}


def input_description(article: ArticleInfo) -> str:
    """The metadata's Input line: the form, how it was read, and what reading noticed."""
    form = _FORM_NAMES.get(article.input_format, article.input_format)
    how = f", read with {article.extractor}" if article.extractor else ""
    encoding = f" ({article.encoding})" if article.input_format != "docx" else ""
    notices = "".join(f"; {n}" for n in article.notices)
    return f"{form}{encoding}{how}{notices}"
