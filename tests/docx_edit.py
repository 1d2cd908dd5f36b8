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

NUMBER_STYLES = ("SentenceNumber", "ForcedTermMark", "ReviewedMark", "ApprovalBox")


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


def add_comment(path: Path, segment_id: str, lang: str, text: str, author: str) -> None:
    """A reviewer's comment over a sentence's text runs, as Word's "New Comment" makes it."""
    from docx.text.run import Run

    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    mark_id = start.get(qn("w:id"))
    runs = []
    node = start.getnext()
    while node is not None and not (
        node.tag == qn("w:bookmarkEnd") and node.get(qn("w:id")) == mark_id
    ):
        if node.tag == qn("w:r") and _style(node) not in NUMBER_STYLES:
            runs.append(Run(node, None))  # type: ignore[arg-type]
        node = node.getnext()
    document.add_comment(runs, text=text, author=author, initials=author[:1])
    document.save(str(path))


def comments_on(path: Path, segment_id: str, lang: str) -> list[tuple[str, str, str]]:
    """``(author, date, text)`` of each comment whose range starts in the sentence."""
    ids = comment_ids(path, segment_id, lang)
    document = docx.Document(str(path))
    out = []
    for c in _comments_part(document).element.iter(qn("w:comment")):
        if c.get(qn("w:id")) in ids:
            text = "\n".join(
                "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in c.iter(qn("w:p"))
            )
            out.append((c.get(qn("w:author")), c.get(qn("w:date")) or "", text))
    return out


def aligned_rows(document: docx.document.Document) -> list:  # type: ignore[type-arg]
    """The ``w:tr`` of the aligned table, header first."""
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == "#":
            return list(table._tbl.iter(qn("w:tr")))
    raise AssertionError("no aligned table")


def delete_row(path: Path, paragraph: int) -> None:
    """Delete the aligned table's row of paragraph ``paragraph`` (1-based), as a reviewer
    does with "Delete Row": its bookmarks go with it."""
    document = docx.Document(str(path))
    row = aligned_rows(document)[paragraph]
    row.getparent().remove(row)
    document.save(str(path))


def add_row_after(path: Path, paragraph: int, texts: list[str]) -> None:
    """Insert a row below paragraph ``paragraph``'s row with ``texts`` in its columns (the
    number column first), as "Insert Row Below" and typing do: no bookmarks."""
    document = docx.Document(str(path))
    row = aligned_rows(document)[paragraph]
    new = OxmlElement("w:tr")
    for text in texts:
        tc = OxmlElement("w:tc")
        p = OxmlElement("w:p")
        if text:
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
            p.append(r)
        tc.append(p)
        new.append(tc)
    row.addnext(new)
    document.save(str(path))


def insert_tracked(path: Path, segment_id: str, lang: str, old: str, new: str) -> None:
    """Change ``old`` to ``new`` inside the sentence's run that holds ``old`` with tracked
    changes: the run is split and ``w:del``/``w:ins`` hold the old and new text, keeping
    the run's formatting (a bold term stays bold)."""
    import copy

    document = docx.Document(str(path))
    start = _start(document, segment_id, lang)
    node = start.getnext()
    while node is not None:
        text = "".join(t.text or "" for t in node.iter(qn("w:t")))
        if node.tag == qn("w:r") and old in text:
            break
        node = node.getnext()
    assert node is not None, old
    at = text.index(old)
    pieces = [(text[:at], None), (old, "w:del"), (new, "w:ins"), (text[at + len(old) :], None)]
    anchor = node
    for k, (piece, wrap) in enumerate(pieces):
        if not piece:
            continue
        run = copy.deepcopy(node)
        for t in list(run.iter(qn("w:t"))):
            t.getparent().remove(t)
        t = OxmlElement("w:delText" if wrap == "w:del" else "w:t")
        t.text = piece
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        item = run
        if wrap is not None:
            item = OxmlElement(wrap)
            item.set(qn("w:id"), str(900 + k))
            item.set(qn("w:author"), "Reviewer")
            item.append(run)
        anchor.addnext(item)
        anchor = item
    node.getparent().remove(node)
    document.save(str(path))
