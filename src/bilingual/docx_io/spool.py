"""Finished parts of a briefing serialised out of the XML tree while it is built.

python-docx holds the whole document as an lxml tree, and libxml2 keeps every element,
attribute and attribute value as a node of its own: the tree takes about 15 times the
bytes of the XML it saves, so a 5 MB article made a 1.5 GB process. Most of a long
briefing is table rows and caption paragraphs that nothing reads or changes once they
are written. :class:`Spool` serialises each such element to bytes as soon as it is
complete and leaves a comment marker in its place; :func:`save_spooled` saves the
document with the bytes back where the markers are. The file is byte for byte the one
python-docx writes from the whole tree: the namespace declarations a detached
serialisation repeats are taken off (the document root declares them), and markers are
comments, which nothing else in a briefing is.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
from docx.opc.rel import Relationships
from lxml import etree

_MARKER = "bilingual-spool"
_MARKER_RE = re.compile(rb"<!--" + _MARKER.encode() + rb" (\d+)-->")


class Spool:
    """Serialised elements of one document's body, by marker number."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self._declared: tuple[bytes, ...] | None = None

    def _declarations(self, element: etree._Element) -> tuple[bytes, ...]:
        """What a detached serialisation repeats and the document root declares once."""
        if self._declared is None:
            root = element.getroottree().getroot()
            self._declared = tuple(
                (f" xmlns:{prefix}" if prefix else " xmlns").encode() + f'="{uri}"'.encode()
                for prefix, uri in root.nsmap.items()
            )
        return self._declared

    def release(self, *elements: etree._Element) -> None:
        """Take finished ``elements``, consecutive siblings, out of the tree (one marker
        stands for them all: a marker is a node that later appends still walk past)."""
        if not elements or elements[0].getparent() is None:
            return
        data = []
        for element in elements:
            xml = etree.tostring(element, encoding="UTF-8", xml_declaration=False)
            end = xml.index(b">")
            head = xml[:end]
            for declaration in self._declarations(element):
                head = head.replace(declaration, b"", 1)
            data.append(head + xml[end:])
        elements[0].addprevious(etree.Comment(f"{_MARKER} {len(self.chunks)}"))
        self.chunks.append(b"".join(data))
        for element in elements:
            _take_apart(element)

    def document_xml(self, document: Document) -> bytes:
        """The main part's XML with every released element back in its place."""
        xml = etree.tostring(document.element, encoding="UTF-8", standalone=True)
        pieces = _MARKER_RE.split(xml)
        # split() alternates text and marker numbers: text, n, text, n, ..., text
        for k in range(1, len(pieces), 2):
            pieces[k] = self.chunks[int(pieces[k])]
        return b"".join(pieces)


def _take_apart(element: etree._Element) -> None:
    """Remove ``element`` from its tree, its descendants first, leaves up.

    lxml moves a removed subtree into a document of its own, fixing the namespace of each
    node in it; on python-docx's elements that cost grows with the square of the subtree
    (a row of 300, 600, 1,200 sentences: 1.5, 5.8, 25.6 s of CPU), and a paragraph of
    thousands of sentences is one row. Taken apart leaves first, each node moves alone:
    0.5 s for 1,200.
    """
    for node in reversed(list(element.iter())):
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)


class _SavedPart:
    """The main document part as the package writer reads it, with the spliced XML."""

    def __init__(self, part: Part, blob: bytes) -> None:
        self.partname: PackURI = part.partname
        self.content_type: str = part.content_type
        self.rels: Relationships = part.rels
        self.blob = blob


def save_spooled(document: Document, spool: Spool, path: Path) -> None:
    """What ``document.save(path)`` writes, with the released elements put back."""
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    main = document.part
    blob = spool.document_xml(document)
    spool.chunks = []  # the blob holds them now
    saved = [_SavedPart(part, blob) if part is main else part for part in parts]
    PackageWriter.write(str(path), package.rels, saved)  # type: ignore[no-untyped-call]
