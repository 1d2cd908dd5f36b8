"""DOCX writer: render a :class:`~bilingual.document.Briefing` as a reviewer's Word document.

Layout, in order: title (English heading, Arabic and Vietnamese under it), metadata
block, the aligned table, captions, QA section (findings, forced terms), appendix of the
glossary terms used. The page is landscape when there are three text columns.

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

Arabic is written as real right-to-left text, never reshaped: ``w:bidi`` on the
paragraph (in schema order, no ``w:jc``, so the paragraph starts at the right), and on
every run the complex-script font (``w:rFonts/@w:cs``), size (``w:szCs``), bold
(``w:bCs``) and language (``w:lang/@w:bidi``). Runs get ``w:rtl`` unless they hold
left-to-right letters: ECMA-376 leaves ``w:rtl`` on strong left-to-right text undefined,
so a Latin name inside Arabic (``AquaNova``) is its own run without it and the Unicode
bidi algorithm places it. The reverse holds in English and Vietnamese cells: an Arabic
word left untranslated gets its own ``w:rtl`` run.

python-docx and lxml are imported inside the functions, so importing this module (and
so the CLI) stays fast.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bilingual._fs import atomic_path
from bilingual.document import AlignedSentence, Briefing, Flag, TermUse
from bilingual.errors import OutputError

ARABIC_FONT = "Noto Naskh Arabic"
"""Complex-script font (Debian: fonts-noto-core)."""
LATIN_FONT = "Noto Sans"
"""Latin and Vietnamese font (Debian: fonts-noto-core); covers Vietnamese diacritics."""
MONO_FONT = "DejaVu Sans Mono"
"""Monospace font for the signature (Debian: fonts-dejavu-core)."""

LATIN_SIZE = 10.0
ARABIC_SIZE = 12.0
"""Points. Naskh reads small at the Latin size, so complex script is set larger."""

FORCED_MARK = "\u2020"
"""Dagger printed after a forced rendering (besides a yellow highlight)."""
SENTENCE_NUMBER_STYLE = "Sentence Number"
"""Character style of the sentence numbers (superscript, bold): a reviewer can restyle them."""
FORCED_MARK_STYLE = "Forced Term Mark"
"""Character style of the dagger after a forced rendering."""
NBSP = "\u00a0"

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "vi": "Vietnamese"}
_LANG_TAGS = {"ar": "ar-SA", "en": "en-US", "vi": "vi-VN"}

_MARKER_RE = re.compile(r"(?:^|(?<= ))\d+\u00a0")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Successors of w:bidi in CT_PPr's schema sequence: w:bidi goes before the first of them.
_BIDI_SUCCESSORS = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)

# Page geometry (A4), in centimetres.
_PAGE_SHORT, _PAGE_LONG, _MARGIN = 21.0, 29.7, 2.0
_NUMBER_COLUMN = 1.0


def strip_markers(text: str) -> str:
    """Cell text without the ``n\u00a0`` sentence numbers and forced-term daggers.

    For a table cell this gives back ``AlignedParagraph.text(lang)``.
    """
    return _MARKER_RE.sub("", text).replace(FORCED_MARK, "")


def write_docx(briefing: Briefing, path: Path) -> None:
    """Write the briefing to ``path`` atomically (a failure leaves any old file intact).

    Raises :class:`OutputError` when the file cannot be written.
    """
    document = build_document(briefing)
    try:
        with atomic_path(path) as tmp:
            document.save(str(tmp))
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(
            f"cannot write the DOCX briefing: {exc.strerror or exc}",
            where=str(path),
            fix="check that the output folder exists, is writable and has free space",
        ) from exc


def build_document(briefing: Briefing) -> Any:
    """The briefing as an unsaved ``docx.Document`` (for callers that post-process it)."""
    import docx

    document = docx.Document()
    _Builder(document, briefing).build()
    return document


# ---------------------------------------------------------------------------------------
# text helpers


@dataclass(frozen=True)
class _Piece:
    text: str
    bold: bool = False
    forced: bool = False
    mark: bool = False
    """The forced-term dagger."""


def _clean(text: str) -> str:
    # control characters cannot be stored in XML; a stray one must not lose the briefing
    return _XML_INVALID.sub("\ufffd", text)


_STRONG_RTL = frozenset({"R", "AL"})
_STRONG_LTR = frozenset({"L"})


def direction_segments(text: str, rtl_base: bool) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(segment, is_rtl)`` runs for a paragraph of the given direction.

    A segment against the paragraph's direction starts at a strong character of the other
    direction and ends at the last character that the Unicode bidi algorithm gives the same
    direction before a strong character of the paragraph's direction: ``Windows 11`` in
    Arabic is one left-to-right run (W7 makes the digits left to right), ``الفصل ٣`` in
    English one right-to-left run. Neutrals at the edges stay with the paragraph, as the
    algorithm resolves them. Concatenating the segments gives ``text`` back.
    """
    if rtl_base:
        starts, extends, stops = _STRONG_LTR, frozenset({"L", "EN"}), _STRONG_RTL
    else:
        starts, extends, stops = _STRONG_RTL, frozenset({"R", "AL", "EN", "AN"}), _STRONG_LTR
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    segments: list[tuple[str, bool]] = []
    start = i = 0
    n = len(text)
    while i < n:
        if kinds[i] not in starts:
            i += 1
            continue
        last = i
        k = i + 1
        while k < n and kinds[k] not in stops:
            if kinds[k] in extends:
                last = k
            k += 1
        if start < i:
            segments.append((text[start:i], rtl_base))
        segments.append((text[i : last + 1], not rtl_base))
        start = i = last + 1
    if start < n:
        segments.append((text[start:], rtl_base))
    return segments


def _group(text: str, bold: list[bool], forced: list[bool], marks: set[int]) -> list[_Piece]:
    """Pieces of equal formatting; a dagger piece after each position in ``marks``."""
    pieces: list[_Piece] = []
    start = 0
    for i in range(1, len(text) + 1):
        boundary = i == len(text) or bold[i] != bold[start] or forced[i] != forced[start]
        if boundary or i in marks:
            pieces.append(_Piece(text[start:i], bold[start], forced[start]))
            start = i
        if i in marks:
            pieces.append(_Piece(FORCED_MARK, True, True, mark=True))
    return pieces


def arabic_pieces(sentence: AlignedSentence) -> list[_Piece]:
    """The Arabic sentence with every term span bold (and highlighted if it was forced)."""
    text = sentence.source
    if not text:
        return []
    bold = [False] * len(text)
    forced = [False] * len(text)
    for use in sentence.terms:
        # a span that does not fit the text is an upstream bug; render the text unbolded
        if not 0 <= use.start < use.end <= len(text):
            continue
        for i in range(use.start, use.end):
            bold[i] = True
            forced[i] = forced[i] or use.forced
    return _group(text, bold, forced, set())


def target_pieces(text: str, uses: Iterable[TermUse]) -> list[_Piece]:
    """A translation with every occurrence of each rendering bold; forced ones marked."""
    if not text:
        return []
    bold = [False] * len(text)
    forced = [False] * len(text)
    marks: set[int] = set()
    for use in uses:
        if not use.rendering:
            continue
        at = text.find(use.rendering)
        while at >= 0:
            end = at + len(use.rendering)
            for i in range(at, end):
                bold[i] = True
                forced[i] = forced[i] or use.forced
            if use.forced:
                marks.add(end)
            at = text.find(use.rendering, end)
    return _group(text, bold, forced, marks)


def _sentence_text(sentence: AlignedSentence, lang: str) -> str:
    if lang == "ar":
        return sentence.source
    if lang == "en":
        return sentence.en
    return sentence.vi or ""


def _all_flags(briefing: Briefing) -> list[Flag]:
    """Every finding once: ``briefing.flags`` first, then any only on a sentence."""
    seen: set[Flag] = set()
    flags: list[Flag] = []
    candidates = list(briefing.flags) + [
        f for p in briefing.paragraphs for s in p.sentences for f in s.flags
    ]
    for flag in candidates:
        if flag not in seen:
            seen.add(flag)
            flags.append(flag)
    return flags


def _signature_field(signature: str, *keys: str) -> str | None:
    """A ``key:value`` field of a sacrebleu-like ``a:1|b:2`` signature, if it has one."""
    for part in signature.split("|"):
        key, sep, value = part.partition(":")
        if not sep:
            key, sep, value = part.partition("=")
        if sep and key.strip().lower() in keys:
            return value.strip()
    return None


# ---------------------------------------------------------------------------------------
# document builder


class _Builder:
    """Fills one ``docx.Document``; one method per section, called in page order."""

    def __init__(self, document: Any, briefing: Briefing) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor

        self.doc = document
        self.b = briefing
        self.E = OxmlElement
        self.qn = qn
        self.Cm = Cm
        self.Pt = Pt
        self.RGB = RGBColor
        self.langs: tuple[str, ...] = ("ar", *briefing.targets)
        self.landscape = len(briefing.targets) >= 2
        self.style_ids: dict[str, str] = {}

    # -- entry -----------------------------------------------------------------------

    def build(self) -> None:
        self._styles()
        self._page()
        self._properties()
        self._title()
        self._metadata()
        self._table()
        self._captions()
        self._qa()
        self._appendix()

    # -- low-level XML ---------------------------------------------------------------

    def _on(self, parent: Any, tag: str, **attrs: str) -> Any:
        el = self.E(tag)
        for key, value in attrs.items():
            el.set(self.qn(f"w:{key}"), value)
        parent.append(el)
        return el

    def set_rtl(self, paragraph: Any) -> None:
        """Make ``paragraph`` right-to-left: ``w:bidi`` in schema order, no ``w:jc``."""
        ppr = paragraph._p.get_or_add_pPr()
        for jc in ppr.findall(self.qn("w:jc")):
            ppr.remove(jc)
        if ppr.find(self.qn("w:bidi")) is None:
            ppr.insert_element_before(self.E("w:bidi"), *_BIDI_SUCCESSORS)

    def run(
        self,
        paragraph: Any,
        text: str,
        *,
        rtl: bool,
        lang: str,
        bold: bool = False,
        forced: bool = False,
        style: str | None = None,
        mono: bool = False,
        size: float | None = None,
        cs_size: float | None = None,
        color: str | None = None,
        italic: bool = False,
        underline: bool = False,
    ) -> Any:
        """Append one run, its ``w:rPr`` children built in schema order."""
        r = paragraph.add_run(_clean(text))
        rpr = r._r.get_or_add_rPr()
        if style:
            self._on(rpr, "w:rStyle", val=self.style_ids[style])
        latin = MONO_FONT if mono else LATIN_FONT
        self._on(rpr, "w:rFonts", ascii=latin, hAnsi=latin, cs=ARABIC_FONT)
        if bold:
            self._on(rpr, "w:b")
            self._on(rpr, "w:bCs")
        if italic:
            self._on(rpr, "w:i")
            self._on(rpr, "w:iCs")
        if color:
            self._on(rpr, "w:color", val=color)
        size = size if size is not None else LATIN_SIZE
        cs_size = cs_size if cs_size is not None else size * ARABIC_SIZE / LATIN_SIZE
        self._on(rpr, "w:sz", val=str(round(size * 2)))
        self._on(rpr, "w:szCs", val=str(round(cs_size * 2)))
        if forced:
            self._on(rpr, "w:highlight", val="yellow")
        if underline:
            self._on(rpr, "w:u", val="single")
        if rtl:
            self._on(rpr, "w:rtl")
        self._on(rpr, "w:lang", val=_LANG_TAGS.get(lang, "en-US"), bidi=_LANG_TAGS["ar"])
        return r

    def text(self, paragraph: Any, text: str, *, rtl_para: bool, lang: str, **fmt: Any) -> None:
        """Append ``text`` as runs split by direction (see :func:`direction_segments`)."""
        for segment, rtl in direction_segments(text, rtl_para):
            self.run(paragraph, segment, rtl=rtl, lang=lang, **fmt)

    def para(
        self,
        container: Any,
        text: str = "",
        *,
        lang: str = "en",
        style: str | None = None,
        existing: Any = None,
        **fmt: Any,
    ) -> Any:
        """A new paragraph (or ``existing``) holding ``text``; Arabic ones right-to-left."""
        paragraph = existing if existing is not None else container.add_paragraph(style=style)
        rtl = lang == "ar"
        if rtl:
            self.set_rtl(paragraph)
        if text:
            self.text(paragraph, text, rtl_para=rtl, lang=lang, **fmt)
        return paragraph

    def field(self, paragraph: Any, instruction: str, placeholder: str) -> None:
        """A complex field (``PAGE``, ``NUMPAGES``): Word and LibreOffice update it on open."""
        begin = self.run(paragraph, "", rtl=False, lang="en", size=8)
        self._on(begin._r, "w:fldChar", fldCharType="begin")
        instr = self.run(paragraph, "", rtl=False, lang="en", size=8)
        el = self._on(instr._r, "w:instrText")
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        el.text = f" {instruction} "
        self._on(
            self.run(paragraph, "", rtl=False, lang="en", size=8)._r,
            "w:fldChar",
            fldCharType="separate",
        )
        self.run(paragraph, placeholder, rtl=False, lang="en", size=8)
        self._on(
            self.run(paragraph, "", rtl=False, lang="en", size=8)._r, "w:fldChar", fldCharType="end"
        )

    def hyperlink(self, paragraph: Any, url: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE

        r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = self.E("w:hyperlink")
        link.set(self.qn("r:id"), r_id)
        # build the run in the paragraph, then move it into the hyperlink
        run = self.run(paragraph, url, rtl=False, lang="en", color="0563C1", underline=True, size=9)
        paragraph._p.remove(run._r)
        link.append(run._r)
        paragraph._p.append(link)

    # -- document setup --------------------------------------------------------------

    def _styles(self) -> None:
        """Fonts that exist on Debian everywhere: theme fonts (Calibri, Cambria) dropped."""
        styles = self.doc.styles.element
        theme_attrs = [
            self.qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")
        ]
        for fonts in styles.iter(self.qn("w:rFonts")):
            for attr in theme_attrs:
                fonts.attrib.pop(attr, None)
        defaults = styles.find(self.qn("w:docDefaults"))
        rpr = defaults.find(f"{self.qn('w:rPrDefault')}/{self.qn('w:rPr')}")
        fonts = rpr.find(self.qn("w:rFonts"))
        fonts.set(self.qn("w:ascii"), LATIN_FONT)
        fonts.set(self.qn("w:hAnsi"), LATIN_FONT)
        fonts.set(self.qn("w:cs"), ARABIC_FONT)
        lang = rpr.find(self.qn("w:lang"))
        if lang is None:
            lang = self._on(rpr, "w:lang")
        lang.set(self.qn("w:val"), "en-US")
        lang.set(self.qn("w:bidi"), _LANG_TAGS["ar"])
        from docx.enum.style import WD_STYLE_TYPE

        for name, color in ((SENTENCE_NUMBER_STYLE, "2F5496"), (FORCED_MARK_STYLE, "C00000")):
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            style.font.bold = True
            style.font.cs_bold = True
            style.font.superscript = True
            style.font.color.rgb = self.RGB.from_string(color)
            self.style_ids[name] = style.style_id
        caption = self.doc.styles["Caption"]
        caption.font.bold = False
        caption.font.cs_bold = False
        caption.font.italic = True
        caption.font.size = self.Pt(LATIN_SIZE)
        caption.font.color.rgb = self.RGB.from_string("404040")
        normal = self.doc.styles["Normal"]
        normal.font.size = self.Pt(LATIN_SIZE)
        normal.paragraph_format.space_after = self.Pt(3)

    def _page(self) -> None:
        from docx.enum.section import WD_ORIENT

        section = self.doc.sections[0]
        if self.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = self.Cm(_PAGE_LONG), self.Cm(_PAGE_SHORT)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = self.Cm(_PAGE_SHORT), self.Cm(_PAGE_LONG)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, self.Cm(_MARGIN))
        header = section.header.paragraphs[0]
        self.run(header, "bilingual briefing \u2014 ", rtl=False, lang="en", size=8, color="666666")
        self.run(header, self.b.article.name, rtl=False, lang="en", size=8, bold=True)
        footer = section.footer.paragraphs[0]
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(footer, "Page ", rtl=False, lang="en", size=8)
        self.field(footer, "PAGE", "1")
        self.run(footer, " of ", rtl=False, lang="en", size=8)
        self.field(footer, "NUMPAGES", "1")

    def _properties(self) -> None:
        props = self.doc.core_properties
        props.title = _clean(self.b.title_en)[:255]
        props.subject = self.b.article.name
        props.author = f"bilingual {self.b.version}"
        props.comments = _clean(self.b.signature)[:255]
        props.keywords = "bilingual briefing"
        try:
            when = datetime.fromisoformat(self.b.run_date.replace("Z", "+00:00"))
        except ValueError:
            return
        props.created = props.modified = when
        props.last_modified_by = props.author
        props.revision = 1

    @property
    def _text_width(self) -> float:
        return (_PAGE_LONG if self.landscape else _PAGE_SHORT) - 2 * _MARGIN

    # -- sections --------------------------------------------------------------------

    def _title(self) -> None:
        heading = self.doc.add_heading(level=0)
        self.text(heading, self.b.title_en, rtl_para=False, lang="en", size=20)
        self.para(self.doc, self.b.title_ar, lang="ar", size=16, cs_size=18, bold=True)
        if "vi" in self.b.targets and self.b.title_vi:
            self.para(self.doc, self.b.title_vi, lang="vi", size=14, italic=True)

    def _metadata(self) -> None:
        b = self.b

        def line(label: str) -> Any:
            p = self.doc.add_paragraph()
            p.paragraph_format.space_after = self.Pt(0)
            self.run(p, f"{label}: ", rtl=False, lang="en", bold=True, size=9)
            return p

        p = line("Source")
        if b.article.source_url:
            self.hyperlink(p, _clean(b.article.source_url))
        else:
            self.run(p, "not given in the article", rtl=False, lang="en", size=9, italic=True)
        self.text(line("Article file"), str(b.article.path), rtl_para=False, lang="en", size=9)
        self.text(line("Run date"), b.run_date, rtl_para=False, lang="en", size=9)
        targets = ", ".join(f"{LANGUAGE_NAMES.get(t, t)} ({t})" for t in b.targets)
        self.text(
            line("Languages"), f"Arabic (ar) \u2192 {targets}", rtl_para=False, lang="en", size=9
        )
        self.text(line("Models"), ", ".join(b.models) or "none", rtl_para=False, lang="en", size=9)
        glossary = _signature_field(b.signature, "glossary", "gloss")
        self.text(
            line("Glossary signature"),
            glossary or "see the signature below",
            rtl_para=False,
            lang="en",
            size=9,
            mono=glossary is not None,
        )
        self.text(line("bilingual version"), b.version, rtl_para=False, lang="en", size=9)
        p = line("Signature")
        p.paragraph_format.space_after = self.Pt(8)
        self.text(p, b.signature, rtl_para=False, lang="en", size=8, mono=True)

    def _table_widths(self, table: Any, widths: Sequence[float]) -> None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = self.Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = self.Cm(width)

    def _header_row(self, table: Any, names: Sequence[str]) -> None:
        row = table.rows[0]
        trpr = row._tr.get_or_add_trPr()
        self._on(trpr, "w:tblHeader")
        for cell, name in zip(row.cells, names, strict=True):
            tcpr = cell._tc.get_or_add_tcPr()
            self._on(tcpr, "w:shd", val="clear", color="auto", fill="D9D9D9")
            self.run(cell.paragraphs[0], name, rtl=False, lang="en", bold=True)

    def _new_table(self, names: Sequence[str]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(names))
        table.style = self.doc.styles["Table Grid"]
        self._header_row(table, names)
        return table

    def _table(self) -> None:
        self.doc.add_heading("Aligned translation", level=1)
        names = ["#", *(LANGUAGE_NAMES.get(lang, lang) for lang in self.langs)]
        text_width = (self._text_width - _NUMBER_COLUMN) / len(self.langs)
        widths = [_NUMBER_COLUMN, *([text_width] * len(self.langs))]
        table = self._new_table(names)
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        for paragraph in self.b.paragraphs:
            row = table.add_row()
            # a paragraph row stays on one page (Word and LibreOffice still split a row
            # taller than a page)
            self._on(row._tr.get_or_add_trPr(), "w:cantSplit")
            cells = row.cells
            number = cells[0].paragraphs[0]
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.run(number, str(paragraph.index + 1), rtl=False, lang="en", bold=True)
            for cell, lang in zip(cells[1:], self.langs, strict=True):
                self._cell(cell.paragraphs[0], paragraph.sentences, lang)
        self._table_widths(table, widths)

    def _cell(self, paragraph: Any, sentences: Sequence[AlignedSentence], lang: str) -> None:
        rtl = lang == "ar"
        if rtl:
            self.set_rtl(paragraph)
        for k, sentence in enumerate(sentences):
            if k:
                self.run(paragraph, " ", rtl=rtl, lang=lang)
            # superscript number + no-break space: LibreOffice breaks lines inside a
            # bracketed "[2]" in right-to-left text (even with a word joiner); this way the
            # number never ends a line apart from its sentence
            self.run(
                paragraph,
                f"{sentence.number}{NBSP}",
                rtl=rtl,
                lang=lang,
                style=SENTENCE_NUMBER_STYLE,
            )
            if rtl:
                pieces = arabic_pieces(sentence)
            else:
                uses = [u for u in sentence.terms if u.lang == lang]
                pieces = target_pieces(_sentence_text(sentence, lang), uses)
            for piece in pieces:
                if piece.mark:
                    self.run(paragraph, piece.text, rtl=rtl, lang=lang, style=FORCED_MARK_STYLE)
                else:
                    self.text(
                        paragraph,
                        piece.text,
                        rtl_para=rtl,
                        lang=lang,
                        bold=piece.bold,
                        forced=piece.forced,
                    )

    def _captions(self) -> None:
        if not self.b.captions:
            return
        self.doc.add_heading("Captions", level=1)
        for number, item in enumerate(self.b.captions, start=1):
            c = item.caption
            where = (
                "before the first paragraph"
                if c.after_paragraph < 0
                else f"after paragraph {c.after_paragraph + 1}"
            )
            label = self.doc.add_paragraph()
            label.paragraph_format.keep_with_next = True
            label.paragraph_format.space_after = self.Pt(0)
            self.run(
                label,
                f"Caption {number} ({where}, line {c.line})",
                rtl=False,
                lang="en",
                size=8,
                color="666666",
            )
            ar = self.para(self.doc, c.text, lang="ar", style="Caption")
            ar.paragraph_format.keep_with_next = True
            if c.credit:
                self.run(ar, " \u2014 ", rtl=True, lang="ar")
                self.text(ar, c.credit, rtl_para=True, lang="ar", color="666666")
            langs = [("en", item.en)] + ([("vi", item.vi or "")] if "vi" in self.b.targets else [])
            for k, (lang, text) in enumerate(langs):
                p = self.para(self.doc, text, lang=lang, style="Caption")
                if k < len(langs) - 1:
                    p.paragraph_format.keep_with_next = True

    def _qa(self) -> None:
        b = self.b
        self.doc.add_heading("Quality checks", level=1)
        flags = _all_flags(b)
        if b.article.repeats:
            # each repeat is shown once, from article.repeats (it has both line ranges)
            flags = [f for f in flags if f.code != "repeated-paragraph"]
        forced = self._forced_uses()
        if not flags and not b.article.repeats and not forced:
            self.para(self.doc, "No findings.", italic=True)
            return
        if flags or b.article.repeats:
            table = self._new_table(["Level", "Code", "Where", "Message"])
            for repeat in b.article.repeats:
                a, z = repeat.first_lines
                c, d = repeat.repeat_lines
                self._row(
                    table,
                    [
                        "info",
                        "repeated-paragraph",
                        f"paragraph {repeat.paragraph + 1}",
                        f"lines {a}\u2013{z} appear again at lines {c}\u2013{d};"
                        " translated and shown once",
                    ],
                )
            for flag in flags:
                where = flag.sentence or "article"
                if flag.lang:
                    where += f" ({flag.lang})"
                self._row(table, [flag.level, flag.code, where, flag.message])
            self._table_widths(table, self._qa_widths())
        if forced:
            self.doc.add_heading("Forced terms", level=2)
            note = self.doc.add_paragraph()
            self.run(
                note,
                "Renderings written into the translation after decoding; marked ",
                rtl=False,
                lang="en",
                size=9,
            )
            self.run(
                note,
                FORCED_MARK,
                rtl=False,
                lang="en",
                size=9,
                style=FORCED_MARK_STYLE,
            )
            self.run(
                note,
                " and highlighted in the table. Check that the sentence still reads right.",
                rtl=False,
                lang="en",
                size=9,
            )
            names = ["Sentence", "Term", "Language", "Arabic", "Rendering"]
            table = self._new_table(names)
            for sentence_id, use in forced:
                self._row(
                    table,
                    [sentence_id, use.term_id, use.lang, use.source_text, use.rendering],
                    langs=["en", "en", "en", "ar", use.lang],
                )
            w = self._text_width
            self._table_widths(table, [2.0, 3.5, 2.2, (w - 7.7) / 2, (w - 7.7) / 2])

    def _qa_widths(self) -> list[float]:
        return [1.7, 3.6, 3.0, self._text_width - 8.3]

    def _forced_uses(self) -> list[tuple[str, TermUse]]:
        seen: set[tuple[str, TermUse]] = set()
        out: list[tuple[str, TermUse]] = []
        for paragraph in self.b.paragraphs:
            for sentence in paragraph.sentences:
                for use in sentence.terms:
                    key = (sentence.id, use)
                    if use.forced and key not in seen:
                        seen.add(key)
                        out.append(key)
        return out

    def _row(self, table: Any, values: Sequence[str], langs: Sequence[str] | None = None) -> None:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            lang = langs[i] if langs else "en"
            self.para(cell, value, lang=lang, existing=cell.paragraphs[0], size=9)

    def _appendix(self) -> None:
        b = self.b
        self.doc.add_heading("Appendix: glossary terms used", level=1)
        if not b.terms:
            self.para(self.doc, "No glossary term was found in this article.", italic=True)
            return
        vi = "vi" in b.targets
        names = [
            "Term",
            "Type",
            "Arabic",
            "English",
            *(["Vietnamese"] if vi else []),
            "Count",
            "Forced",
        ]
        table = self._new_table(names)
        for term in b.terms:
            values = [term.term_id, term.type, term.ar, term.en]
            langs = ["en", "en", "ar", "en"]
            if vi:
                values.append(term.vi or "")
                langs.append("vi")
            values += [str(term.count), str(term.forced)]
            langs += ["en", "en"]
            self._row(table, values, langs)
        fixed = 3.5 + 2.4 + 1.7 + 1.7
        text = (self._text_width - fixed) / (3 if vi else 2)
        widths = [3.5, 2.4, text, text, *([text] if vi else []), 1.7, 1.7]
        self._table_widths(table, widths)
