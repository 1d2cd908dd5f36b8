"""What a cell shows: a sentence cut into pieces of one formatting (terms bold, forced
terms highlighted and marked with a dagger), and the markers a cell's text is read without."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bilingual._text import rendering_spans
from bilingual.document.segment import Segment, TermUse
from bilingual.docx_io.styles import FORCED_MARK

_MARKER_RE = re.compile(r"(?:^|(?<= ))\d+\u00a0")
_BOX = "\u2610\u00a0"
"""An unticked approval box and the no-break space after it, as text."""


def strip_markers(text: str) -> str:
    """Cell text without the ``n\u00a0`` sentence numbers, the approval boxes (see
    :mod:`.approval`) and forced-term daggers.

    For a table cell this gives back ``AlignedParagraph.text(lang)``.
    """
    return _MARKER_RE.sub("", text).replace(FORCED_MARK, "").replace(_BOX, "")


@dataclass(frozen=True)
class Piece:
    """A stretch of a sentence with one formatting."""

    text: str
    bold: bool = False
    forced: bool = False
    mark: bool = False
    """The forced-term dagger."""


def _group(text: str, bold: list[bool], forced: list[bool], marks: set[int]) -> list[Piece]:
    """Pieces of equal formatting; a dagger piece after each position in ``marks``."""
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(text) + 1):
        boundary = i == len(text) or bold[i] != bold[start] or forced[i] != forced[start]
        if boundary or i in marks:
            pieces.append(Piece(text[start:i], bold[start], forced[start]))
            start = i
        if i in marks:
            pieces.append(Piece(FORCED_MARK, True, True, mark=True))
    return pieces


def source_pieces(segment: Segment) -> list[Piece]:
    """The source sentence with every term span bold (and highlighted if it was forced)."""
    text = segment.source
    if not text:
        return []
    bold = [False] * len(text)
    forced = [False] * len(text)
    for _lang, use in segment.term_uses():
        # a span that does not fit the text is an upstream bug; render the text unbolded
        if not 0 <= use.start < use.end <= len(text):
            continue
        for i in range(use.start, use.end):
            bold[i] = True
            forced[i] = forced[i] or use.forced
    return _group(text, bold, forced, set())


def target_pieces(text: str, uses: Iterable[TermUse]) -> list[Piece]:
    """A translation with every occurrence of each rendering bold; forced ones marked."""
    if not text:
        return []
    bold = [False] * len(text)
    forced = [False] * len(text)
    marks: set[int] = set()
    for use in uses:
        if not use.rendering:
            continue
        # where the locking found it: capitalised at the start of the sentence, too
        for at, end in rendering_spans(text, use.rendering):
            for i in range(at, end):
                bold[i] = True
                forced[i] = forced[i] or use.forced
            if use.forced:
                marks.add(end)
    return _group(text, bold, forced, marks)
