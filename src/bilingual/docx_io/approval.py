"""The approval box: a checkbox before each target sentence that a reviewer ticks to approve
the sentence as it stands.

It is a checkbox content control (``w:sdt`` with ``w14:checkbox``), which Word toggles
with a click and LibreOffice (7.4 and later) keeps as a content control through a DOCX
save. Its content is the glyph, ``☐`` or ``☒``, in the "Approval Box" character style,
so the box prints and shows in an editor that flattens the control to text. It is read
back from the control's ``w14:checked`` or its glyph (LibreOffice's UNO property
``Checked`` sets only the flag), and where an editor flattened the control to text, from
the glyph: ``☐`` is not ticked; ``☒``, ``☑``, a check mark or an ``x`` typed over the box
in its style is ticked.

A sentence approved already gets no box: its tag says so, and a box that is ticked as
written would approve it again at every import of an untouched briefing.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from bilingual.document.segment import Rendering
from bilingual.docx_io.ooxml import append_element
from bilingual.docx_io.styles import NBSP

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
UNCHECKED = "\u2610"
CHECKED = "\u2612"
BOX_FONT = "DejaVu Sans"
"""Has both glyphs, on Debian and in Word's fallback; the body font (Noto Sans) has not."""
TAG = "bilingual-approve"
"""The control's tag (Word keeps it; LibreOffice 7.4 drops it, so it is not relied on)."""
_TICKED = frozenset({CHECKED, "\u2611", "\u2713", "\u2714", "\u2717", "\u2718", "x", "X"})
_SDT, _SDT_PR, _T = qn("w:sdt"), qn("w:sdtPr"), qn("w:t")
_CHECKBOX, _CHECKED, _VAL = f"{{{W14}}}checkbox", f"{{{W14}}}checked", f"{{{W14}}}val"
LEADING_BOX = re.compile(rf"^\s*([{UNCHECKED}{CHECKED}\u2611])[\s{NBSP}]?")
"""A box glyph at a sentence's start whose style an editor dropped: never its text."""


def _w14(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{W14}}}{name}")
    for key, value in attrs.items():
        element.set(f"{{{W14}}}{key}", value)
    return element


def _glyph_run(parent: etree._Element, text: str, style_id: str) -> None:
    run = append_element(parent, "w:r")
    rpr = append_element(run, "w:rPr")
    append_element(rpr, "w:rStyle", val=style_id)
    append_element(rpr, "w:rFonts", ascii=BOX_FONT, hAnsi=BOX_FONT, cs=BOX_FONT)
    t = append_element(run, "w:t")
    t.text = text
    if text.isspace():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def add_approval_box(paragraph: Paragraph, style_id: str) -> None:
    """Append an unticked approval box and the no-break space after it to ``paragraph``."""
    sdt = append_element(paragraph._p, "w:sdt")
    pr = append_element(sdt, "w:sdtPr")
    append_element(pr, "w:alias", val="Approve this sentence")
    append_element(pr, "w:tag", val=TAG)
    box = _w14(pr, "checkbox")
    _w14(box, "checked", val="0")
    _w14(box, "checkedState", val=f"{ord(CHECKED):04X}", font=BOX_FONT)
    _w14(box, "uncheckedState", val=f"{ord(UNCHECKED):04X}", font=BOX_FONT)
    _glyph_run(append_element(sdt, "w:sdtContent"), UNCHECKED, style_id)
    _glyph_run(paragraph._p, NBSP, style_id)


def checkbox_state(element: etree._Element) -> bool | None:
    """Whether the checkbox control ``element`` (a ``w:sdt``) is ticked; None for a
    ``w:sdt`` that is no checkbox (a reviewer's own control: its text is text)."""
    if element.tag != _SDT:
        return None
    pr = element.find(_SDT_PR)
    box = pr.find(_CHECKBOX) if pr is not None else None
    if box is None:
        return None
    checked = box.find(_CHECKED)
    value = checked.get(_VAL, checked.get(qn("w:val"), "0")) if checked is not None else "0"
    # either sign of a tick counts: Word sets both, LibreOffice's UNO property only the
    # flag, and a reviewer may type an x over the glyph
    glyph = glyph_state("".join(t.text or "" for t in element.iter(_T)))
    return value in ("1", "true", "on") or glyph is True


def is_checkbox(element: etree._Element) -> bool:
    return checkbox_state(element) is not None


def glyph_state(text: str) -> bool | None:
    """A box's state from its text (the control flattened); None when ``text`` is not a
    box but words a reviewer typed in the box's style."""
    glyphs = text.replace(NBSP, "").strip()
    if not glyphs:
        return None
    if glyphs == UNCHECKED:
        return False
    return True if glyphs in _TICKED else None


def add_box_for(paragraph: Paragraph, rendering: Rendering | None, style_id: str) -> None:
    """The box before a translation a reviewer may approve: one not approved already."""
    if style_id and rendering is not None and rendering.text and rendering.status != "approved":
        add_approval_box(paragraph, style_id)
