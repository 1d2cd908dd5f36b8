"""Read the anchored sentences of a briefing DOCX as a reviewer left them.

Every sentence bilingual writes sits behind a bookmark (see :class:`.styles.Anchor`)
whose name says the segment, the language and a fingerprint of the text written. Here
the document's XML is walked in reading order; each table cell or body paragraph is a
*container*. A target sentence's text runs from its bookmark to the next anchor in the
container (text a reviewer typed just past a bookmark's end still belongs to the
sentence before it); a source sentence's text is what lies inside its bookmark (the
caption credit that follows it is not the source). Runs in the briefing's number and
mark styles are not text.

Tracked changes are read here, since python-docx's ``paragraph.text`` skips text
inside ``w:ins`` (python-docx issue #340): insertions count and deletions do not,
unless ``reject_changes``, which reads the text as it was before the reviewer's
tracked edits. Comments anchored in a sentence are returned with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from bilingual import _xml
from bilingual.docx_io.alternatives import ALTERNATIVES_AUTHOR
from bilingual.docx_io.approval import LEADING_BOX, checkbox_state, glyph_state
from bilingual.docx_io.findings import QA_AUTHOR
from bilingual.docx_io.similar import SIMILAR_AUTHOR
from bilingual.docx_io.styles import (
    APPROVAL_BOX_STYLE,
    CONFIDENCE_MARK_STYLE,
    CONFIDENCE_MARKS,
    FORCED_MARK,
    FORCED_MARK_STYLE,
    NBSP,
    REVIEWED_MARK,
    REVIEWED_MARK_STYLE,
    SENTENCE_NUMBER_STYLE,
    STATUS_TAG_TEXT,
    Anchor,
    fingerprint,
)
from bilingual.errors import BriefingReadError

_INSERTED = frozenset({qn("w:ins"), qn("w:moveTo")})
_DELETED = frozenset({qn("w:del"), qn("w:moveFrom")})
# every node of a briefing is compared with these: qn() each time was half of a review
# import's time on a briefing of thousands of sentences
_P, _R, _T, _DEL_TEXT = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:delText")
_RUN_STYLE, _VAL = f"{qn('w:rPr')}/{qn('w:rStyle')}", qn("w:val")
_BOOKMARK_START, _BOOKMARK_END, _ID = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:id")
_SDT = qn("w:sdt")
_BREAKS = frozenset({qn("w:tab"), qn("w:br")})
_COMMENT_MARKS = frozenset({qn("w:commentRangeStart"), qn("w:commentReference")})
_LOST_NUMBER = re.compile(rf"^\s*\d+{NBSP}")
_NUMBER_TEXT = re.compile(rf"^[\d\s{NBSP}]*$")
_CONFIDENCE = "".join(CONFIDENCE_MARKS.values())
_MARK_TEXT = re.compile(
    rf"^(?:[{FORCED_MARK}{REVIEWED_MARK}{_CONFIDENCE}\s{NBSP}]|REVIEWED|APPROVED)*$"
)
"""A sentence number whose style an editor dropped."""


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    text: str
    done: bool = False
    """Resolved (Word's and LibreOffice's "resolve", kept in ``commentsExtended.xml``)."""
    parent: str = ""
    """The id of the comment this one replies to, '' for none."""

    @property
    def ours(self) -> bool:
        """Written by bilingual (a QA finding), not by a reviewer."""
        return self.author == QA_AUTHOR


@dataclass
class AnchoredText:
    """One anchored sentence in one language, as the document holds it now."""

    anchor: Anchor
    container: int
    """Index of the table cell or paragraph that holds it (in reading order)."""
    text: str = ""
    tracked: bool = False
    """Tracked insertions or deletions touch it."""
    comments: list[Comment] = field(default_factory=list)
    """A reviewer's comments (and replies) on it."""
    qa_comments: list[Comment] = field(default_factory=list)
    """bilingual's own comments on it: its QA findings, as the reviewer left them."""
    shown: list[Comment] = field(default_factory=list)
    """bilingual's suggestions on it (the memory's similar sentence): neither a note nor
    a finding."""
    closed: bool = False
    """Its bookmark end was seen: the anchor is whole."""
    gap: str = ""
    """Text after the bookmark's end, before the next anchor (the writer puts one space
    there; an editor may put a reviewer's words there, see :func:`_settle_gaps`)."""
    approved: bool | None = None
    """Its approval box: ticked, not ticked, or None where it has none (see .approval)."""


def style_ids(document: Document) -> tuple[str | None, set[str], str | None]:
    """The ids of the number style, of the mark styles (not text) and of the box style."""
    number: str | None = None
    box: str | None = None
    marks: set[str] = set()
    for style in document.styles:
        if style.name == SENTENCE_NUMBER_STYLE:
            number = str(style.style_id)
        elif style.name in (FORCED_MARK_STYLE, REVIEWED_MARK_STYLE, CONFIDENCE_MARK_STYLE):
            marks.add(str(style.style_id))
        elif style.name == APPROVAL_BOX_STYLE:
            box = str(style.style_id)
    return number, marks, box


_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _parse_part(name: str, blob: bytes) -> etree._Element:
    """A part python-docx keeps as bytes, parsed safely; a damaged one is an error that
    the caller names the file in (see bilingual.review)."""
    try:
        return etree.fromstring(blob, _xml.parser())
    except etree.XMLSyntaxError as exc:
        raise BriefingReadError(
            f"its part {name} is not well-formed XML ({exc.msg})",
            fix="open it in Word or LibreOffice and save it again",
        ) from None


def _comments(document: Document) -> dict[str, Comment]:
    try:
        part = document.part.part_related_by(RT.COMMENTS)
    except KeyError:
        return {}
    root = _parse_part(part.partname, part.blob)
    extended = _extended(document)
    by_para: dict[str, str] = {}
    found: list[tuple[str, str, etree._Element]] = []
    for c in root.iter(qn("w:comment")):
        paragraphs = list(c.iter(qn("w:p")))
        cid = c.get(qn("w:id"), "")
        # commentsExtended keys a comment by the paraId of its last paragraph
        para = paragraphs[-1].get(f"{{{_W14}}}paraId", "") if paragraphs else ""
        by_para[para] = cid
        found.append((cid, para, c))
    out: dict[str, Comment] = {}
    for cid, para, c in found:
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in c.iter(qn("w:p"))
        ).strip()
        done, parent_para = extended.get(para, (False, "")) if para else (False, "")
        out[cid] = Comment(
            c.get(qn("w:author"), ""),
            c.get(qn("w:date"), ""),
            text,
            done=done,
            parent=by_para.get(parent_para, "") if parent_para else "",
        )
    return out


def _extended(document: Document) -> dict[str, tuple[bool, str]]:
    """``paraId -> (done, parent paraId)`` from ``commentsExtended.xml``, when there is one."""
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/commentsExtended"):
            continue
        root = _parse_part(rel.target_part.partname, rel.target_part.blob)
        return {
            ex.get(f"{{{_W15}}}paraId", ""): (
                ex.get(f"{{{_W15}}}done", "0") in ("1", "true"),
                ex.get(f"{{{_W15}}}paraIdParent", ""),
            )
            for ex in root.iter(f"{{{_W15}}}commentEx")
        }
    return {}


class _Walker:
    def __init__(
        self, document: Document, source_langs: frozenset[str], reject_changes: bool
    ) -> None:
        self.source_langs = source_langs
        self.number_style, self.mark_styles, self.box_style = style_ids(document)
        self.reject = reject_changes
        self.comments = _comments(document)
        self.found: list[AnchoredText] = []
        self.strict: dict[str, AnchoredText] = {}
        """Open source-side anchors by bookmark id: only their inside counts."""
        self.current: AnchoredText | None = None
        self.pending_comments: list[str] = []
        self.placed: dict[str, AnchoredText] = {}
        """Comment id -> the sentence it was found on."""
        self.lead = ""
        self.box: bool | None = None
        """An approval box seen before the anchor of its sentence started."""

    def _skipped_run(self, element: etree._Element, container: etree._Element) -> bool:
        """Inside a number or mark run, or on the wrong side of a tracked change."""
        node = element.getparent()
        while node is not None and node is not container:
            if node.tag == _R and self._number_or_mark(node):
                return True
            elif node.tag == _SDT and checkbox_state(node) is not None:
                return True  # the approval box's glyph: never text
            elif node.tag in _INSERTED:
                self._touch()
                return self.reject
            elif node.tag in _DELETED:
                self._touch()
                return not self.reject
            node = node.getparent()
        return False

    def _number_or_mark(self, run: etree._Element) -> bool:
        """A run in the number or a mark style that holds only a number or a mark. A
        reviewer typing right after a number types in its style (editors carry the
        style on): such text is the reviewer's, not a number."""
        style = run.find(_RUN_STYLE)
        value = style.get(_VAL) if style is not None else None
        if value is None:
            return False
        text = "".join(t.text or "" for t in run.iter(_T, _DEL_TEXT))
        if value == self.number_style:
            return _NUMBER_TEXT.match(text) is not None
        if value == self.box_style:
            return not text.replace(NBSP, "").strip() or glyph_state(text) is not None
        return value in self.mark_styles and _MARK_TEXT.match(text) is not None

    def _touch(self) -> None:
        if self.current is not None:
            self.current.tracked = True

    def _add(self, text: str) -> None:
        if self.current is None:
            self.lead += text
        elif self.current.closed:
            self.current.gap += text
        else:
            self.current.text += text
        for item in self.strict.values():
            item.text += text

    def _approval(self, state: bool | None) -> None:
        """An approval box: the open sentence's, else the next one's. The writer puts it
        inside its sentence's bookmark, after the number; an editor may move the bookmark's
        start into the box (LibreOffice does, where the numbers were deleted), but never
        the previous sentence's end: a space lies between the two."""
        if state is None:
            return
        item = self.current
        if item is not None and item.approved is None and not item.closed:
            item.approved = state
        else:
            self.box = state

    def _box_run(self, run: etree._Element) -> None:
        """A box flattened to a run in the box style (its control lost), read by its glyph."""
        style = run.find(_RUN_STYLE)
        if self.box_style is None or style is None or style.get(_VAL) != self.box_style:
            return
        node = run.getparent()
        while node is not None and node.tag != _P:
            if node.tag == _SDT and checkbox_state(node) is not None:
                return  # the control's own glyph: its w14:checked says
            node = node.getparent()
        self._approval(glyph_state("".join(t.text or "" for t in run.iter(_T))))

    def container(self, index: int, element: etree._Element) -> None:
        self.current = None
        self.lead = ""
        self.box = None
        self.strict.clear()
        first_paragraph = True
        for node in element.iter():
            tag = node.tag
            if tag == _P:
                if not first_paragraph:
                    self._add(" ")  # a paragraph break a reviewer typed inside a cell
                first_paragraph = False
            elif tag == _BOOKMARK_START:
                self._start(index, node)
            elif tag == _BOOKMARK_END:
                self._end(node)
            elif tag in (_T, _DEL_TEXT):
                if self._skipped_run(node, element):
                    continue
                if tag == _DEL_TEXT and not self.reject:
                    continue
                self._add(node.text or "")
            elif tag in _BREAKS and not self._skipped_run(node, element):
                self._add(" ")
            elif tag == _SDT:
                self._approval(checkbox_state(node))
            elif tag == _R:
                self._box_run(node)
            elif tag in _COMMENT_MARKS:
                self._comment(node.get(_ID, ""))

    def _start(self, index: int, node: etree._Element) -> None:
        anchor = Anchor.parse(node.get(qn("w:name"), ""))
        if anchor is None:
            return
        item = AnchoredText(anchor, index)
        self.found.append(item)
        if anchor.lang in self.source_langs:
            self.strict[node.get(qn("w:id"), "")] = item
        else:
            if self.current is None and self.lead.strip():
                item.text = self.lead  # typed before the first sentence: it is the first's
            self.lead = ""
            self.current = item
            item.approved, self.box = self.box, None
        for cid in self.pending_comments:
            self._comment(cid)
        self.pending_comments.clear()

    def _end(self, node: etree._Element) -> None:
        mark_id = node.get(qn("w:id"), "")
        item = self.strict.pop(mark_id, None)
        if item is not None:
            item.closed = True
        elif self.current is not None:
            self.current.closed = True

    def _comment(self, cid: str) -> None:
        comment = self.comments.get(cid)
        if comment is None:
            return
        target = self.current
        if target is None:
            self.pending_comments.append(cid)  # a comment just before the first sentence
            return
        listed = target.qa_comments if comment.ours else target.comments
        if comment.author == SIMILAR_AUTHOR:
            listed = target.shown
        # the model's alternatives are no note and no finding: a reply to one still is
        if comment not in listed and comment.author != ALTERNATIVES_AUTHOR:
            listed.append(comment)
        self.placed[cid] = target


def read_anchors(
    document: Document, source_langs: frozenset[str], *, reject_changes: bool = False
) -> list[AnchoredText]:
    """Every anchored sentence of ``document``, in reading order, with its current text
    (number and mark runs left out, whitespace at the ends stripped)."""
    walker = _Walker(document, source_langs, reject_changes)
    body = document.element.body
    index = 0
    for element in body.iter(qn("w:tc"), qn("w:p")):
        # a paragraph inside a cell belongs to the cell's container
        if element.tag == qn("w:p") and _inside_cell(element):
            continue
        if element.tag == qn("w:tc") and element.find(f".//{qn('w:tc')}") is not None:
            continue  # a nested table's cells are their own containers
        walker.container(index, element)
        index += 1
    _settle_gaps(walker.found)
    _place_replies(walker)
    for item in walker.found:
        text = STATUS_TAG_TEXT.sub("", _LOST_NUMBER.sub("", item.text))
        box = LEADING_BOX.match(text)
        if box is not None:  # a box whose control and style were both lost
            text = text[box.end() :]
            if item.approved is None:
                item.approved = glyph_state(box.group(1))
        for mark in _CONFIDENCE:
            text = text.replace(f"{mark}{NBSP}", "")
        item.text = text.strip()
    return walker.found


def _place_replies(walker: _Walker) -> None:
    """A reply an editor wrote without a range of its own goes where its comment is (a
    reviewer's reply to a QA comment is the reviewer's note on that sentence)."""
    for cid, comment in walker.comments.items():
        if cid in walker.placed or not comment.parent:
            continue
        target = walker.placed.get(comment.parent)
        if target is not None:
            walker.current = target
            walker._comment(cid)


def _settle_gaps(found: list[AnchoredText]) -> None:
    """Give the words between two sentences' bookmarks to the sentence they belong to.

    An editor puts text typed at a sentence's very start before its bookmark, and text
    typed at the previous sentence's very end after that one's bookmark end: the same
    place. The fingerprints tell them apart: when the earlier sentence is untouched
    without the words, they begin the next sentence; otherwise they end the earlier.
    """
    for k, item in enumerate(found):
        if not item.gap.strip():
            continue
        nxt = found[k + 1] if k + 1 < len(found) else None
        same_cell = nxt is not None and nxt.container == item.container
        unchanged = fingerprint(_LOST_NUMBER.sub("", item.text)) == item.anchor.fingerprint
        if same_cell and unchanged and nxt is not None:
            nxt.text = item.gap + nxt.text
        else:
            item.text += item.gap
        item.gap = ""


def _inside_cell(element: etree._Element) -> bool:
    node = element.getparent()
    while node is not None:
        if node.tag == qn("w:tc"):
            return True
        node = node.getparent()
    return False
