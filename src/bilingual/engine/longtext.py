"""Long input: a sentence longer than the model's input limit is split at clause
boundaries (then spaces, then plain token chunks) into pieces that each fit."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

# Clause breaks, strongest first. Arabic comma and semicolon break even without a
# following space (scraped text often omits it); Latin marks need one, so "3,000" and
# "10:30" stay whole.
_BREAKS = (
    re.compile(r"(?<=[،؛])\s*|(?<=[:,;.!?؟…])\s+"),
    re.compile(r"\s+"),
)


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-blank stretches of ``text`` between matches of ``pattern``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start and text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = max(start, match.end())
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _pack(counts: list[int], limit: int) -> list[tuple[int, int]]:
    """Group consecutive parts into runs of at most ``limit`` tokens, of similar size.

    Returns ``(first, last_exclusive)`` index ranges. Aims at ``ceil(total / limit)``
    runs of about equal length rather than filling each run to the brim.
    """
    total = sum(counts)
    target = total / max(2, math.ceil(total / limit))
    runs: list[tuple[int, int]] = []
    first, size = 0, 0
    for i, count in enumerate(counts):
        if i > first and (size + count > limit or size >= target):
            runs.append((first, i))
            first, size = i, 0
        size += count
    runs.append((first, len(counts)))
    return runs


def split_long_text(
    text: str,
    count: Callable[[str], int],
    limit: int,
    split_tokens: Callable[[str], list[str]],
    level: int = 0,
) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` tokens (as ``count`` measures).

    Tries clause punctuation, then whitespace; a piece that still has no break (one
    enormous "word") is cut by ``split_tokens``. Joining the pieces with spaces gives
    back every non-space character of ``text`` in order.
    """
    if count(text) <= limit:
        return [text]
    while level < len(_BREAKS):
        spans = _spans(text, _BREAKS[level])
        if len(spans) > 1:
            runs = _pack([count(text[a:b]) for a, b in spans], limit)
            if len(runs) > 1:
                pieces: list[str] = []
                for first, last in runs:
                    chunk = text[spans[first][0] : spans[last - 1][1]]
                    pieces.extend(split_long_text(chunk, count, limit, split_tokens, level))
                return pieces
        level += 1
    return split_tokens(text)
