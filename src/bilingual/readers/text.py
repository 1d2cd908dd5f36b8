"""Plain-text articles (``.txt``): decoded bytes, one block per line."""

from __future__ import annotations

from pathlib import Path

from bilingual.readers.base import Block, Source, check_lines
from bilingual.readers.decode import decode


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` whatever its line ends (LF, CRLF, CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_source(path: Path, data: bytes, encoding: str | None = None) -> Source:
    decoded = decode(path, data, encoding)
    lines = split_lines(decoded.text)
    check_lines(path, lines)
    blocks = tuple(Block(n, line) for n, line in enumerate(lines, start=1))
    return Source(blocks, "text", decoded.encoding, notices=decoded.notices)
