"""The briefing document's set-up: its styles, marks, page, header, footer and properties.

The style names and marks here are the document's vocabulary: the writer puts them in,
and :mod:`bilingual.docx_io.reader` finds the sentences again by them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bilingual.document.briefing import Briefing
from bilingual.docx_io.ooxml import (
    ARABIC_FONT,
    COMPLEX_SCRIPT_LANG,
    LABELS,
    LATIN_FONT,
    LATIN_SIZE,
    RunStyle,
    add_field,
    add_run,
    append_element,
    xml_safe,
)
from bilingual.lang import language

FORCED_MARK = "\u2020"
"""Dagger printed after a forced rendering (besides a yellow highlight)."""
NBSP = "\u00a0"
"""Joins a sentence number to its sentence, so a line never ends between them."""
SENTENCE_NUMBER_STYLE = "Sentence Number"
"""Character style of the sentence numbers (superscript, bold): a reviewer can restyle them."""
FORCED_MARK_STYLE = "Forced Term Mark"
"""Character style of the dagger after a forced rendering."""
REVIEWED_MARK = "\u2713"
"""The check mark that opens a status tag."""
REVIEWED_MARK_STYLE = "Reviewed Mark"
"""Character style of the status tag: body size, bold, on a grey band (reads on screen and
on a greyscale print; a superscript check mark alone did neither)."""
STATUS_TAGS = {"reviewed": "\u2713 REVIEWED", "approved": "\u2713\u2713 APPROVED"}
"""The tag after a sentence's number that says whose translation it is (the review
status, apart from the model's confidence marks); a machine translation has none."""
STATUS_TAG_TEXT = re.compile(
    "(?:" + "|".join(re.escape(t) for t in STATUS_TAGS.values()) + f")[{NBSP} ]?"
)
"""A status tag as text (its style lost in an editor): never part of the sentence."""
CONFIDENCE_MARKS = {"low": "\u25bc", "fair": "\u25bd"}
"""Printed after the number of a machine translation the model is unsure of: a filled
triangle in the low band, a hollow one in the fair band, none in the good band (shapes,
so the bands show in greyscale print too)."""
CONFIDENCE_SHADING = {"low": "F4CCCC", "fair": "FFF2CC"}
"""Background of the sentence's text in each marked band (light red, light amber)."""
CONFIDENCE_MARK_STYLE = "Confidence Mark"
"""Character style of the confidence marks."""
APPROVAL_BOX_STYLE = "Approval Box"
"""Character style of the approval box before a target sentence (see :mod:`.approval`)."""
TABLE_HEADING = "Aligned translation"
"""The heading above the aligned table (the reader looks for the table under it)."""

# Page geometry (A4), in centimetres.
PAGE_SHORT, PAGE_LONG, MARGIN = 21.0, 29.7, 2.0
NUMBER_COLUMN = 1.0
_SMALL = RunStyle(size=8)


ANCHOR_PREFIX = "bl_"
_ANCHOR = re.compile(r"^bl_(p\d+s\d+|c\d+)_([a-z]{2,3})_([0-9a-f]{8})$")


@dataclass(frozen=True)
class StyleIds:
    """The ids Word gives the briefing's own character styles."""

    sentence_number: str
    forced_mark: str
    reviewed_mark: str
    confidence_mark: str = ""
    approval_box: str = ""


@dataclass(frozen=True)
class Anchor:
    """What a sentence's bookmark says: which segment and language, and a fingerprint of
    the text bilingual wrote there (so an edit shows without any other file)."""

    segment_id: str
    lang: str
    fingerprint: str

    @property
    def name(self) -> str:
        """The bookmark name: ``bl_p3s2_en_1a2b3c4d`` (Word allows 40 characters)."""
        return f"{ANCHOR_PREFIX}{self.segment_id.replace('.', '')}_{self.lang}_{self.fingerprint}"

    @staticmethod
    def parse(name: str) -> Anchor | None:
        m = _ANCHOR.match(name)
        if m is None:
            return None
        compact = m.group(1)
        segment_id = compact.replace("s", ".s", 1) if compact.startswith("p") else compact
        return Anchor(segment_id, m.group(2), m.group(3))


def fingerprint(text: str) -> str:
    """Eight hex digits of a hash of ``text`` with whitespace collapsed: editors change
    spacing when they save, a reviewer's words are what counts."""
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:8]


def text_width(landscape: bool) -> float:
    """Centimetres between the margins."""
    return (PAGE_LONG if landscape else PAGE_SHORT) - 2 * MARGIN


def setup_fonts(document: Document) -> None:
    """The document's default fonts and languages: Noto Sans for Latin and Vietnamese,
    Noto Naskh Arabic for complex script (Debian has both everywhere), theme fonts
    dropped (a theme font names what the reader's Office has, not what we checked)."""
    styles = document.styles.element
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            fonts.attrib.pop(attr, None)
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None, "python-docx's default template has run defaults"
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = append_element(rpr, "w:rFonts")
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), ARABIC_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = append_element(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:bidi"), language(COMPLEX_SCRIPT_LANG).tag)


def setup_styles(document: Document) -> StyleIds:
    """Fonts that exist on Debian everywhere (theme fonts dropped), the two character
    styles, and the Normal and Caption styles the sections use."""
    setup_fonts(document)

    ids: dict[str, str] = {}
    marks = (
        (SENTENCE_NUMBER_STYLE, "2F5496"),
        (FORCED_MARK_STYLE, "C00000"),
        (REVIEWED_MARK_STYLE, "2E7D32"),
        (CONFIDENCE_MARK_STYLE, "B45F06"),
        (APPROVAL_BOX_STYLE, "1F3864"),
    )
    for name, color in marks:
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.font.bold = True
        style.font.cs_bold = True
        style.font.color.rgb = RGBColor.from_string(color)
        ids[name] = style.style_id
        if name == REVIEWED_MARK_STYLE:
            # a tag, not a footnote: readable size, dark text on a light grey band
            style.font.size = Pt(8)
            style.font.color.rgb = RGBColor.from_string("1B5E20")
            append_element(
                style.element.get_or_add_rPr(), "w:shd", val="clear", color="auto", fill="D9D9D9"
            )
        elif name == APPROVAL_BOX_STYLE:
            style.font.size = Pt(11)  # a box big enough to click and to tick with a pen
        else:
            style.font.superscript = True
    caption = document.styles["Caption"]
    caption.font.bold = False
    caption.font.cs_bold = False
    caption.font.italic = True
    caption.font.size = Pt(LATIN_SIZE)
    caption.font.color.rgb = RGBColor.from_string("404040")
    normal = document.styles["Normal"]
    normal.font.size = Pt(LATIN_SIZE)
    normal.paragraph_format.space_after = Pt(3)
    return StyleIds(
        ids[SENTENCE_NUMBER_STYLE],
        ids[FORCED_MARK_STYLE],
        ids[REVIEWED_MARK_STYLE],
        ids[CONFIDENCE_MARK_STYLE],
        ids[APPROVAL_BOX_STYLE],
    )


def setup_page(document: Document, *, landscape: bool, article_name: str) -> None:
    """A4, landscape for three text columns; header with the article, footer ``Page N of M``."""
    section = document.sections[0]
    short, long = Cm(PAGE_SHORT), Cm(PAGE_LONG)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long
    margin = Cm(MARGIN)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    header = section.header.paragraphs[0]
    add_run(
        header,
        "bilingual briefing \u2014 ",
        rtl=False,
        lang=LABELS,
        fmt=RunStyle(size=8, color="666666"),
    )
    add_run(header, article_name, rtl=False, lang=LABELS, fmt=RunStyle(size=8, bold=True))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(footer, "Page ", rtl=False, lang=LABELS, fmt=_SMALL)
    add_field(footer, "PAGE", "1", _SMALL)
    add_run(footer, " of ", rtl=False, lang=LABELS, fmt=_SMALL)
    add_field(footer, "NUMPAGES", "1", _SMALL)


def set_properties(document: Document, briefing: Briefing) -> None:
    """Core properties: title, subject, author, the signature, and the run date."""
    props = document.core_properties
    first_target = briefing.targets[0] if briefing.targets else briefing.source_lang
    props.title = xml_safe(briefing.title.get(first_target) or "")[:255]
    props.subject = briefing.article.name
    props.author = f"bilingual {briefing.version}"
    props.comments = xml_safe(str(briefing.signature))[:255]
    props.keywords = "bilingual briefing"
    try:
        when = datetime.fromisoformat(briefing.run_date.replace("Z", "+00:00"))
    except ValueError:
        return
    props.created = props.modified = when
    props.last_modified_by = props.author
    props.revision = 1
