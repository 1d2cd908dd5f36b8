"""The source side: an article as ingest leaves it (paragraphs, captions, what was removed).

:class:`ArticleInfo` is what a briefing keeps of its article (where it came from and what
cleaning did); :class:`Article` adds the cleaned text that segmentation reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _inside(path: Path, folder: Path) -> Path | None:
    """``path`` relative to ``folder`` when it is inside it (as written, or once both
    are resolved: a symlinked home or working folder), else None."""
    for a, b in ((path, folder), (Path(os.path.realpath(path)), Path(os.path.realpath(folder)))):
        try:
            return a.relative_to(b)
        except ValueError:
            continue
    return None


def portable_path(path: Path, cwd: Path | None = None, home: Path | None = None) -> Path:
    """``path`` as a briefing records it: never an absolute path of this machine, since
    briefings go to colleagues. A relative path stays as given; an absolute one becomes
    relative to the working folder ``cwd`` when inside it, ``~/...`` when inside the
    home folder, else its file name alone."""
    if not path.is_absolute():
        return path
    try:
        cwd = cwd if cwd is not None else Path.cwd()
        home = home if home is not None else Path.home()
    except (OSError, RuntimeError, KeyError):  # a deleted working folder, no home known
        return Path(path.name)
    here = _inside(path, cwd)
    if here is not None and here.parts:
        return here
    mine = _inside(path, home)
    if mine is not None and mine.parts:
        return Path("~", mine)
    return Path(path.name)


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
    """``utf-8``, ``utf-8-sig``, ``utf-16``, ``windows-1256``, ``iso-8859-6`` (or the
    codec forced with ``--encoding``); ``docx`` for a Word file."""
    source_url: str | None
    removed: tuple[Removed, ...]
    repeats: tuple[Repeat, ...]
    input_format: str = "text"
    """``text`` | ``markdown`` | ``html`` | ``docx`` (see bilingual.readers)."""
    extractor: str | None = None
    """The library that read the form, with its version (``trafilatura 2.3.1``); None for
    plain text."""
    notices: tuple[str, ...] = ()
    """What reading did that the cleaning report must say (a legacy code page, a lying
    ``<meta charset>``, where the source URL came from)."""
    source_title: str | None = None
    """The title the file gives itself (a page's, a Word file's properties)."""
    source_date: str | None = None
    """The publication date a page gives (ISO 8601)."""


@dataclass(frozen=True)
class Article(ArticleInfo):
    """A cleaned article, ready for segmentation."""

    paragraphs: tuple[Paragraph, ...] = ()
    captions: tuple[Caption, ...] = ()

    def info(self) -> ArticleInfo:
        """The article without its text, as a briefing records it."""
        return ArticleInfo(
            self.path,
            self.name,
            self.encoding,
            self.source_url,
            self.removed,
            self.repeats,
            self.input_format,
            self.extractor,
            self.notices,
            self.source_title,
            self.source_date,
        )
