"""The model's alternatives in the DOCX: a Word comment on a translation it was unsure of.

A machine translation in the low confidence band (marked with the low triangle) that
carries the model's next best translations (:mod:`bilingual.alternatives`) gets one
comment over its text, by :data:`ALTERNATIVES_AUTHOR`, listing them highest confidence
first, each with its confidence as the briefing prints confidences (two decimals). A
reviewer who prefers one copies it over the translation: an ordinary edit, imported as
any other.

The review import reads these comments as bilingual's own: neither a reviewer's note nor
a QA finding (resolving or deleting one dismisses nothing), see
:mod:`bilingual.docx_io.anchors`.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.text.run import Run

from bilingual.document.segment import Rendering
from bilingual.docx_io.findings import add_note

ALTERNATIVES_AUTHOR = "bilingual alternatives"
"""Author of the alternatives comments; the review import passes over them."""


def alternatives_text(rendering: Rendering) -> str:
    """The comment listing ``rendering``'s alternatives, '' when it has none."""
    if not rendering.alternatives:
        return ""
    sure = f" (confidence {rendering.confidence:.2f})" if rendering.confidence is not None else ""
    lines = [f"The model was unsure of this translation{sure}. Its next best:"]
    lines += [
        f"{k}. {a.text} (confidence {a.confidence:.2f})"
        for k, a in enumerate(rendering.alternatives, start=1)
    ]
    lines.append("To use one, copy it over the translation.")
    return "\n".join(lines)


def add_alternatives(document: Document, runs: Sequence[Run], rendering: Rendering) -> None:
    """The comment listing a machine translation's alternatives over its runs (none for a
    reviewer's text, or where there are none)."""
    if rendering.reviewed:
        return
    text = alternatives_text(rendering)
    if text:
        add_note(document, runs, text, ALTERNATIVES_AUTHOR, "")
