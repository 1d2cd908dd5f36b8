"""PLACEHOLDER DOCX renderer of the reader's edition (replaced by the real one at merge).

Only the agreed signatures (:func:`write_docx`, :func:`read_blocks`) with the least a
document needs so that ``publish`` runs end to end: a heading per edition, a paragraph
per published paragraph (a two-cell row in ``side-by-side``), the legend and colophon.
No cover, table of contents, headers or page numbers: the real renderer has them.
"""

from __future__ import annotations

from pathlib import Path

from bilingual._fs import write_atomically
from bilingual.publish.edition import (
    MACHINE_LEGEND,
    MACHINE_MARK,
    Block,
    Edition,
    Publication,
    PublishedParagraph,
)

__all__ = ["read_blocks", "write_docx"]


def _text(paragraph: PublishedParagraph, *, source: bool = False) -> str:
    parts = []
    for s in paragraph.sentences:
        text = s.source if source else s.text
        if text:
            parts.append(f"{MACHINE_MARK} {text}" if s.machine and not source else text)
    line = " ".join(parts)
    if paragraph.credit and not source:
        line += f" ({paragraph.credit})"
    return line


def _colophon(edition: Edition) -> list[str]:
    c = edition.colophon
    lines = [f"Translated by machine with bilingual {c.tool_version} ({c.signature})."]
    lines += [f"Model: {line}" for line in c.licences]
    lines += [f"Reviewed by {r.name} ({r.last_at}, {r.sentences})" for r in c.reviewers]
    if c.glossary:
        lines.append(f"Glossary {c.glossary}")
    if c.test_model_notice:
        lines.append(c.test_model_notice)
    return lines


def _document(publication: Publication) -> object:
    from docx import Document

    doc = Document()
    if publication.digest is not None:
        doc.add_paragraph(f"{publication.digest} {publication.desk} {publication.date}")
    if publication.has_machine_text:
        doc.add_paragraph(MACHINE_LEGEND)
    for edition in publication.editions:
        doc.add_heading(edition.title, level=1)
        if publication.layout == "side-by-side":
            table = doc.add_table(rows=0, cols=2)
            for paragraph in edition.paragraphs:
                cells = table.add_row().cells
                cells[0].text = _text(paragraph, source=True)
                cells[1].text = _text(paragraph)
        else:
            for paragraph in edition.paragraphs:
                doc.add_paragraph(_text(paragraph))
        for line in _colophon(edition):
            doc.add_paragraph(line)
    return doc


def write_docx(publication: Publication, path: Path) -> None:
    """Write the publication's DOCX to ``path`` atomically."""
    doc = _document(publication)
    write_atomically([(path, lambda tmp: doc.save(str(tmp)))], what="the DOCX edition")  # type: ignore[attr-defined]


def read_blocks(path: Path) -> list[Block]:
    """The document's paragraphs and table cells, in order."""
    from docx import Document

    doc = Document(str(path))
    blocks: list[Block] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            style = child.xpath("string(./w:pPr/w:pStyle/@w:val)")
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            blocks.append(Block(text, kind="heading" if style.startswith("Heading") else "text"))
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    text = "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                    blocks.append(Block(text, kind="cell"))
    return blocks
