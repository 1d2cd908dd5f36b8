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
from lxml import etree

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


# -- comments, as Word keeps them -----------------------------------------------------------

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_EXTENDED_RT = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
_EXTENDED_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"


def _comments_part(document: docx.document.Document):  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return document.part.part_related_by(RT.COMMENTS)


def comment_ids(path: Path, segment_id: str, lang: str) -> list[str]:
    """Ids of the comments whose range starts inside the sentence's bookmark."""
    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    mark_id = start.get(qn("w:id"))
    ids: list[str] = []
    node = start.getnext()
    while node is not None and not (
        node.tag == qn("w:bookmarkEnd") and node.get(qn("w:id")) == mark_id
    ):
        if node.tag == qn("w:commentRangeStart"):
            ids.append(node.get(qn("w:id")))
        node = node.getnext()
    return ids


def all_comment_ids(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [n.get(qn("w:id")) for n in document.element.body.iter(qn("w:commentRangeStart"))]


def delete_comment(path: Path, comment_id: str) -> None:
    """Delete a comment, its range and its reference, as Word's "Delete" does."""
    document = docx.Document(str(path))
    body = document.element.body
    for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"):
        for node in list(body.iter(qn(tag))):
            if node.get(qn("w:id")) == comment_id:
                parent = node.getparent()
                target = parent if tag == "w:commentReference" else node
                target.getparent().remove(target)
    root = _comments_part(document).element
    for c in list(root.iter(qn("w:comment"))):
        if c.get(qn("w:id")) == comment_id:
            root.remove(c)
    document.save(str(path))


def _extended(document: docx.document.Document):  # type: ignore[no-untyped-def]
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml.parser import parse_xml

    for rel in document.part.rels.values():
        if rel.reltype == _EXTENDED_RT:
            return rel.target_part
    xml = f'<w15:commentsEx xmlns:w15="{W15}"/>'.encode()
    part = XmlPart(
        PackURI("/word/commentsExtended.xml"), _EXTENDED_CT, parse_xml(xml), document.part.package
    )
    document.part.relate_to(part, _EXTENDED_RT)
    return part


def _para_id(comment) -> str:  # type: ignore[no-untyped-def]
    last = list(comment.iter(qn("w:p")))[-1]
    key = f"{{{W14}}}paraId"
    if last.get(key) is None:
        last.set(key, f"{abs(hash(comment.get(qn('w:id')))) % 0x7FFFFFFF:08X}")
    return str(last.get(key))


def resolve_comment(path: Path, comment_id: str) -> None:
    """Mark a comment resolved (``w15:done``), as Word's "Resolve" does."""
    document = docx.Document(str(path))
    root = _comments_part(document).element
    [comment] = [c for c in root.iter(qn("w:comment")) if c.get(qn("w:id")) == comment_id]
    para = _para_id(comment)
    ext = _extended(document).element
    node = etree.SubElement(ext, f"{{{W15}}}commentEx")
    node.set(f"{{{W15}}}paraId", para)
    node.set(f"{{{W15}}}done", "1")
    document.save(str(path))


def reply_to_comment(
    path: Path, comment_id: str, text: str, author: str = "Reviewer", *, ranged: bool = True
) -> None:
    """A reviewer's reply: a comment of its own (with a range over the same text, as Word
    writes it, or ``ranged=False``: linked to its parent only in commentsExtended.xml)."""
    document = docx.Document(str(path))
    part = _comments_part(document)
    root = part.element
    [parent] = [c for c in root.iter(qn("w:comment")) if c.get(qn("w:id")) == comment_id]
    parent_para = _para_id(parent)
    new_id = str(max(int(c.get(qn("w:id"))) for c in root.iter(qn("w:comment"))) + 1)
    reply = OxmlElement("w:comment")
    reply.set(qn("w:id"), new_id)
    reply.set(qn("w:author"), author)
    reply.set(qn("w:date"), "2026-12-01T00:00:00Z")
    p = OxmlElement("w:p")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    p.append(r)
    reply.append(p)
    root.append(reply)
    node = etree.SubElement(_extended(document).element, f"{{{W15}}}commentEx")
    node.set(f"{{{W15}}}paraId", _para_id(reply))
    node.set(f"{{{W15}}}paraIdParent", parent_para)
    if ranged:
        body = document.element.body
        for start in list(body.iter(qn("w:commentRangeStart"))):
            if start.get(qn("w:id")) == comment_id:
                mine = OxmlElement("w:commentRangeStart")
                mine.set(qn("w:id"), new_id)
                start.addnext(mine)
    document.save(str(path))
