"""Console lines that fit the width: text wrapped between words with a hanging indent.

A terminal (or a pager) wraps a long line wherever the width runs out, mid-word; rich's
own wrapping folds a long token mid-character and has no hanging indent. Here a line is
broken only at spaces, continuation lines are indented two columns past the line's own
indent, and a token longer than a line (a path, the run's signature) goes on its own
line(s), broken after a ``/`` or ``|``; only a token with neither is cut.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

_TOKEN = re.compile(r"\S+")
_BREAK = re.compile(r"(?<=[/|])")
"""Where a long token may be broken: after each path separator or signature field bar."""

_HANG = 2
"""Columns by which a continuation line is indented past its first line."""


def _pieces(token: str, start: int, room: int) -> list[tuple[int, int]]:
    """``token`` (at ``start`` in its line) as spans of at most ``room`` cells, broken
    after ``/`` or ``|`` where it can be, else cut (a token with neither is rare)."""
    spans: list[tuple[int, int]] = []
    parts = [p for p in _BREAK.split(token) if p]
    begin = end = 0
    for part in parts:
        if end > begin and cell_len(token[begin : end + len(part)]) > room:
            spans.append((begin, end))
            begin = end
        end += len(part)
        while cell_len(token[begin:end]) > room:  # a part alone wider than a line: cut
            cut = begin + max(1, room)
            spans.append((begin, cut))
            begin = cut
    if end > begin:
        spans.append((begin, end))
    return [(start + b, start + e) for b, e in spans]


def wrap_spans(line: str, width: int) -> list[tuple[str, int, int]]:
    """``line`` (no newline) as (indent, start, end) spans of it, each indent plus span at
    most ``width`` cells where the words allow; words are never split."""
    lead = line[: len(line) - len(line.lstrip())]
    hang = lead + " " * _HANG
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
    if not tokens or cell_len(line) <= width:
        return [("", 0, len(line))]
    out: list[tuple[str, int, int]] = []
    indent, begin, end = lead, tokens[0][0], tokens[0][0]
    for s, e in tokens:
        if end > begin and cell_len(indent + line[begin:e]) <= width:
            end = e
            continue
        if end > begin:
            out.append((indent, begin, end))
            indent = hang
        room = max(width - cell_len(indent), 8)
        if e - s > room:  # a path or a signature: on lines of its own, broken at / or |
            spans = _pieces(line[s:e], s, room)
            out.extend((indent, b, f) for b, f in spans[:-1])
            indent = hang
            s = spans[-1][0]
        begin, end = s, e
    out.append((indent, begin, end))
    return out


def wrap_text(text: Text, width: int) -> list[Text]:
    """``text`` as lines that fit ``width``, styles kept, each with its hanging indent."""
    lines: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        for indent, start, end in wrap_spans(line.plain, width):
            piece = line[start:end]
            lines.append(Text.assemble(indent, piece) if indent else piece)
    return lines


class WrappingConsole(Console):
    """A console whose plain strings and :class:`Text` are wrapped by :func:`wrap_text`;
    tables and other renderables are printed as rich lays them out, and a line printed
    with ``soft_wrap=True`` is left whole."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", **kwargs: Any) -> None:
        # soft_wrap=True given by the caller: the line is to be kept whole (a name)
        whole = kwargs.get("soft_wrap") is True
        if whole or not objects or not all(isinstance(o, str | Text) for o in objects):
            super().print(*objects, sep=sep, end=end, **kwargs)
            return
        text = Text(sep).join(o if isinstance(o, Text) else Text(o) for o in objects)
        kwargs.pop("markup", None)  # a Text is never parsed for markup
        lines = wrap_text(text, self.width)
        for i, line in enumerate(lines):
            super().print(line, end=end if i == len(lines) - 1 else "\n", **kwargs)
