"""The source side: an article as ingest leaves it (paragraphs, captions, what was removed).

:class:`ArticleInfo` is what a briefing keeps of its article (where it came from and what
cleaning did); :class:`Article` adds the cleaned text that segmentation reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the cleaned article."""

    index: int
    """0-based position in the cleaned article."""
    text: str
    """NFC text; hard-wrapped lines joined with one space."""
    lines: tuple[int, int]
    """First and last 1-based line of the input file it came from."""


@dataclass(frozen=True)
class Caption:
    """An image caption, kept out of the body and shown under the table."""

    text: str
    """The caption without its credit."""
    credit: str | None
    """The credit as printed, e.g. ``تصوير: سارة أحمد``; None when there is none."""
    line: int
    after_paragraph: int
    """Index of the paragraph it follows; -1 when it comes before the first."""


@dataclass(frozen=True)
class Repeat:
    """A paragraph that repeats an earlier one (after normalisation); translated and shown once."""

    paragraph: int
    """Index of the kept (first) paragraph."""
    first_lines: tuple[int, int]
    repeat_lines: tuple[int, int]


@dataclass(frozen=True)
class Removed:
    """Something cleaning dropped from the input, listed in the JSON so nothing vanishes."""

    line: int
    kind: str
    """``image-stub`` | ``empty-row`` | ``separator`` | ``counter`` | ``source-line`` |
    ``repeat``."""
    text: str
    last_line: int | None = field(default=None)
    """Last line when the item spans several lines (a repeated hard-wrapped paragraph)."""

    @property
    def lines(self) -> tuple[int, int]:
        """First and last 1-based input line of the removed item."""
        return (self.line, self.last_line if self.last_line is not None else self.line)


@dataclass(frozen=True)
class ArticleInfo:
    """Where an article came from and what cleaning did to it: what its briefing keeps."""

    path: Path
    """The input path as given (not resolved)."""
    name: str
    """File name without extension; names the outputs."""
    encoding: str
    """``utf-8``, ``utf-8-sig`` or ``utf-16``."""
    source_url: str | None
    removed: tuple[Removed, ...]
    repeats: tuple[Repeat, ...]


@dataclass(frozen=True)
class Article(ArticleInfo):
    """A cleaned article, ready for segmentation."""

    paragraphs: tuple[Paragraph, ...] = ()
    captions: tuple[Caption, ...] = ()

    def info(self) -> ArticleInfo:
        """The article without its text, as a briefing records it."""
        return ArticleInfo(
            self.path, self.name, self.encoding, self.source_url, self.removed, self.repeats
        )
