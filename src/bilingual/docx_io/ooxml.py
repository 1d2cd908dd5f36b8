"""OOXML primitives over python-docx: typed runs, right-to-left paragraphs, fields, links.

Arabic is written as real right-to-left text, never reshaped: ``w:bidi`` on the
paragraph (in schema order, no ``w:jc``, so the paragraph starts at the right), and on
every run the complex-script font (``w:rFonts/@w:cs``), size (``w:szCs``), bold
(``w:bCs``) and language (``w:lang/@w:bidi``). Runs get ``w:rtl`` unless they hold
left-to-right letters: ECMA-376 leaves ``w:rtl`` on strong left-to-right text undefined,
so a Latin name inside Arabic (``AquaNova``) is its own run without it and the Unicode
bidi algorithm places it (:func:`direction_segments`). The reverse holds in English and
Vietnamese cells: an Arabic word left untranslated gets its own ``w:rtl`` run.

``w:rPr`` children are appended in the schema's order (CT_RPr is a sequence), which Word
insists on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import cast

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from bilingual.lang import LANGUAGES

ARABIC_FONT = "Noto Naskh Arabic"
"""Complex-script font (Debian: fonts-noto-core)."""
LATIN_FONT = "Noto Sans"
"""Latin and Vietnamese font (Debian: fonts-noto-core); covers Vietnamese diacritics."""
MONO_FONT = "DejaVu Sans Mono"
"""Monospace font for the signature (Debian: fonts-dejavu-core)."""

LATIN_SIZE = 10.0
ARABIC_SIZE = 12.0
"""Points. Naskh reads small at the Latin size, so complex script is set larger."""

LABELS = "en"
"""The language of the briefing's own words: headings, labels, numbers, the signature."""
COMPLEX_SCRIPT_LANG = "ar"
"""The language of complex-script text in a briefing (``w:lang/@w:bidi``): the source."""

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


@dataclass(frozen=True)
class RunStyle:
    """The direct formatting of one run (what is not its language or direction)."""

    bold: bool = False
    forced: bool = False
    """Yellow highlight: a rendering forced into the translation."""
    style_id: str | None = None
    """A character style (``w:rStyle``), by id."""
    mono: bool = False
    size: float | None = None
    """Points; None: :data:`LATIN_SIZE`."""
    cs_size: float | None = None
    """Complex-script points; None: ``size`` scaled as Arabic is to Latin."""
    color: str | None = None
    """``RRGGBB``."""
    italic: bool = False
    underline: bool = False
    shade: str | None = None
    """Background fill ``RRGGBB`` (``w:shd``): a sentence's confidence band."""


PLAIN = RunStyle()


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML cannot hold (each becomes U+FFFD)."""
    return _XML_INVALID.sub("\ufffd", text)


def append_element(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append a new ``w:`` element with ``w:`` attributes to ``parent``."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


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


def keep_with_next(*paragraphs: Paragraph) -> None:
    """``w:keepNext`` on each: a heading or a note stays on the page of what follows it
    (Word and LibreOffice honour it into a table's first row), never alone at a foot."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def set_rtl(paragraph: Paragraph) -> None:
    """Make ``paragraph`` right-to-left: ``w:bidi`` in schema order, no ``w:jc``."""
    ppr = paragraph._p.get_or_add_pPr()
    for jc in ppr.findall(qn("w:jc")):
        ppr.remove(jc)
    if ppr.find(qn("w:bidi")) is None:
        # python-docx has no element class for w:bidi, so it is a plain lxml element;
        # insert_element_before only needs an element
        bidi = cast(BaseOxmlElement, OxmlElement("w:bidi"))
        ppr.insert_element_before(bidi, *_BIDI_SUCCESSORS)


def add_run(paragraph: Paragraph, text: str, *, rtl: bool, lang: str, fmt: RunStyle = PLAIN) -> Run:
    """Append one run, its ``w:rPr`` children built in schema order."""
    run = paragraph.add_run(xml_safe(text))
    rpr = run._r.get_or_add_rPr()
    if fmt.style_id:
        append_element(rpr, "w:rStyle", val=fmt.style_id)
    latin = MONO_FONT if fmt.mono else LATIN_FONT
    append_element(rpr, "w:rFonts", ascii=latin, hAnsi=latin, cs=ARABIC_FONT)
    if fmt.bold:
        append_element(rpr, "w:b")
        append_element(rpr, "w:bCs")
    if fmt.italic:
        append_element(rpr, "w:i")
        append_element(rpr, "w:iCs")
    if fmt.color:
        append_element(rpr, "w:color", val=fmt.color)
    size = fmt.size if fmt.size is not None else LATIN_SIZE
    cs_size = fmt.cs_size if fmt.cs_size is not None else size * ARABIC_SIZE / LATIN_SIZE
    append_element(rpr, "w:sz", val=str(round(size * 2)))
    append_element(rpr, "w:szCs", val=str(round(cs_size * 2)))
    if fmt.forced:
        append_element(rpr, "w:highlight", val="yellow")
    if fmt.underline:
        append_element(rpr, "w:u", val="single")
    if fmt.shade:
        append_element(rpr, "w:shd", val="clear", color="auto", fill=fmt.shade)
    if rtl:
        append_element(rpr, "w:rtl")
    append_element(rpr, "w:lang", val=_tag(lang), bidi=_tag(COMPLEX_SCRIPT_LANG))
    return run


def _tag(lang: str) -> str:
    known = LANGUAGES.get(lang)
    return known.tag if known is not None else "en-US"


def is_rtl(lang: str) -> bool:
    """Whether text in ``lang`` is written right to left (unknown codes: no)."""
    known = LANGUAGES.get(lang)
    return known is not None and known.rtl


def add_text(
    paragraph: Paragraph, text: str, *, rtl_para: bool, lang: str, fmt: RunStyle = PLAIN
) -> list[Run]:
    """Append ``text`` as runs split by direction (see :func:`direction_segments`); returns
    them (``paragraph.runs`` builds a new list of every run at each read)."""
    return [
        add_run(paragraph, segment, rtl=rtl, lang=lang, fmt=fmt)
        for segment, rtl in direction_segments(text, rtl_para)
    ]


def add_field(paragraph: Paragraph, instruction: str, placeholder: str, fmt: RunStyle) -> None:
    """A complex field (``PAGE``, ``NUMPAGES``): Word and LibreOffice update it on open."""
    begin = add_run(paragraph, "", rtl=False, lang=LABELS, fmt=fmt)
    append_element(begin._r, "w:fldChar", fldCharType="begin")
    instr = add_run(paragraph, "", rtl=False, lang=LABELS, fmt=fmt)
    code = append_element(instr._r, "w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = f" {instruction} "
    separate = add_run(paragraph, "", rtl=False, lang=LABELS, fmt=fmt)
    append_element(separate._r, "w:fldChar", fldCharType="separate")
    add_run(paragraph, placeholder, rtl=False, lang=LABELS, fmt=fmt)
    end = add_run(paragraph, "", rtl=False, lang=LABELS, fmt=fmt)
    append_element(end._r, "w:fldChar", fldCharType="end")


def add_hyperlink(paragraph: Paragraph, url: str, fmt: RunStyle) -> None:
    """An external link showing ``url`` itself."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = append_element(paragraph._p, "w:hyperlink")
    link.set(qn("r:id"), r_id)
    # build the run in the paragraph, then move it into the hyperlink
    run = add_run(paragraph, url, rtl=False, lang=LABELS, fmt=fmt)
    paragraph._p.remove(run._r)
    link.append(run._r)
