"""Readers: each input form into the blocks that cleaning reads (see readers.base).

The form is chosen by the file name's suffix (:data:`READERS`); each reader uses a
maintained library for its format: markdown-it-py, trafilatura, python-docx, and
charset-normalizer for legacy code pages of text.
"""

from __future__ import annotations

from pathlib import Path

from bilingual.readers.base import Block, Source
from bilingual.readers.docx import docx_source
from bilingual.readers.html import html_source
from bilingual.readers.markdown import markdown_source
from bilingual.readers.text import text_source

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".doc": "docx",
}
"""Suffix (lower case) -> input form; ``.doc`` is read only to be refused with advice."""

__all__ = ["FORMATS", "Block", "Source", "read_source"]


def read_source(path: Path, data: bytes, encoding: str | None = None) -> Source:
    """``data``, the bytes of ``path``, as blocks; ``encoding`` forces a text codec
    (``--encoding``; a Word file has none to force)."""
    form = FORMATS.get(path.suffix.lower(), "text")
    if form == "docx":
        return docx_source(path, data)
    if form == "html":
        return html_source(path, data, encoding)
    if form == "markdown":
        return markdown_source(path, data, encoding)
    return text_source(path, data, encoding)
