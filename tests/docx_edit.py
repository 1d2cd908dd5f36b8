"""Edit a briefing DOCX the way a reviewer's editor would, with python-docx and lxml.

``set_sentence`` replaces the text of one anchored sentence (keeping its number run);
``remove_anchor`` deletes a sentence's bookmark (as an editor does when a reviewer
merges two sentences); ``add_comment`` adds a Word comment over a sentence. The real
editor (LibreOffice) is driven by ``libreoffice.py``; these cover what it cannot script.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

NUMBER_STYLES = ("SentenceNumber", "ForcedTermMark", "ReviewedMark")


def _start(document: docx.document.Document, segment_id: str, lang: str):  # type: ignore[no-untyped-def]
    prefix = f"bl_{segment_id.replace('.', '')}_{lang}_"
    for node in document.element.body.iter(qn("w:bookmarkStart")):
        if node.get(qn("w:name"), "").startswith(prefix):
            return node
    raise AssertionError(f"no anchor {prefix}*")


def _style(run) -> str | None:  # type: ignore[no-untyped-def]
    style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def set_sentence(
    path: Path, segment_id: str, lang: str, text: str, out: Path | None = None
) -> None:
    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    mark_id = start.get(qn("w:id"))
    node = start.getnext()
    last_number = None
    while node is not None and not (
        node.tag == qn("w:bookmarkEnd") and node.get(qn("w:id")) == mark_id
    ):
        following = node.getnext()
        if node.tag == qn("w:r") and _style(node) in NUMBER_STYLES[:1]:
            last_number = node
        elif node.tag == qn("w:r"):
            node.getparent().remove(node)
        node = following
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    (last_number if last_number is not None else start).addnext(run)
    document.save(str(out or path))


def remove_anchor(path: Path, segment_id: str, lang: str, out: Path | None = None) -> None:
    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    mark_id = start.get(qn("w:id"))
    for node in list(document.element.body.iter(qn("w:bookmarkEnd"))):
        if node.get(qn("w:id")) == mark_id:
            node.getparent().remove(node)
    start.getparent().remove(start)
    document.save(str(out or path))


def cell_text(path: Path, segment_id: str, lang: str) -> str:
    """The visible text of the sentence's container paragraph."""
    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    return "".join(t.text or "" for t in start.getparent().iter(qn("w:t")))
