"""What every reader hands to cleaning: numbered blocks of text and what the file said
about itself.

A reader turns one input form (plain text, Markdown, a saved web page, a Word file) into
:class:`Source`: the text as :class:`Block` s in reading order, each with the 1-based
number that the cleaning report cites (the input line for text and Markdown, the block
for HTML and DOCX), so that one set of cleaning rules (``bilingual.ingest``) gives every
form the same paragraphs, captions and report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import InputError

MAX_LINES = 50_000
"""The most lines with text a text or Markdown article may have, and the most paragraphs
and tables a Word file may: a long news article has some hundreds, a long report a few
thousand. The Markdown parser spends about 0.1 ms on each line, python-docx 0.25 ms on
each paragraph, so 500,000 empty list items or paragraphs would take minutes. (Blank
lines of text cost nothing and are not counted.)"""

BLOCK_KINDS = ("line", "heading", "caption", "break")
"""``line``: a line the cleaning rules classify like a line of a text scrape;
``heading``: a paragraph of its own; ``caption``: an image caption (its credit split off
by the table-row rule); ``break``: a paragraph ends here (a blank line)."""


@dataclass(frozen=True)
class Block:
    """One line of the intermediate text."""

    number: int
    text: str
    kind: str = "line"


BREAK = "break"


@dataclass(frozen=True)
class Source:
    """An input file read into blocks, with what its format told about it."""

    blocks: tuple[Block, ...]
    input_format: str
    """``text`` | ``markdown`` | ``html`` | ``docx``."""
    encoding: str
    """How the bytes were decoded (``utf-8`` ...); ``docx`` for a Word file (XML inside a ZIP)."""
    extractor: str | None = None
    """The library that read the form and its version, e.g. ``trafilatura 2.3.1``."""
    source_url: str | None = None
    """From the file's own metadata (``<link rel="canonical">``, ``og:url``)."""
    source_url_from: str | None = None
    """Where ``source_url`` was found, for the report."""
    title: str | None = None
    date: str | None = None
    notices: tuple[str, ...] = ()
    """What the reader did that the user should know (a legacy code page, a lying charset)."""


def library_version(distribution: str) -> str:
    """``NAME VERSION`` of an installed library, for :attr:`Source.extractor`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{distribution} {version(distribution)}"
    except PackageNotFoundError:  # run from a source tree without metadata
        return distribution


def check_lines(path: Path, lines: Iterable[str]) -> None:
    """Refuse an article (``path``) with more than :data:`MAX_LINES` lines of text."""
    count = sum(1 for line in lines if line.strip())
    if count > MAX_LINES:
        raise InputError(
            f"has {count:,} lines of text (the limit for one article is {MAX_LINES:,}; a long news "
            "article has some hundreds): it was not read",
            where=str(path),
            fix="check that this is an article; split a long document into one file per "
            "section or story",
        )
