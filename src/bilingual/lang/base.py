"""What the stages need to know about a language, as data: one record per language.

A language module (``ar.py``, ``en.py``, ``vi.py``) fills a :class:`Language`; a source
language also fills :class:`SourceRules`, the knowledge the glossary matcher, the
segmenter and QA use on source text. Adding a language is one module and one line in
:mod:`bilingual.lang`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def keep_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The default :attr:`Language.term_span`: the rendering's own span, nothing around it."""
    return start, end


@dataclass(frozen=True)
class SourceRules:
    """How to read a source language: normalisation, clitics, and its script."""

    normalize: Callable[[str], tuple[str, list[int]]]
    """Text -> (normalised text, index of each normalised char in the original)."""
    stems: Callable[[str], Sequence[tuple[int, str]]]
    """A normalised token -> ``(prefix length, stem)`` pairs to look up, the bare token
    first: what the token may be once a clitic prefix in front of it is set aside."""
    trailing_marks: frozenset[str]
    """Characters that belong to the word before them (combining marks): a match's end
    extends over them."""
    letter: re.Pattern[str]
    """One letter of the script."""
    word: re.Pattern[str]
    """A word of the script (two letters or more), as QA finds it left in a translation."""


@dataclass(frozen=True)
class Language:
    """One language: its code (the key everywhere), names, direction and rules."""

    code: str
    name: str
    """English name, as the DOCX column headers print it."""
    tag: str
    """BCP 47 tag for ``w:lang`` in the DOCX."""
    rtl: bool = False
    term_span: Callable[[str, int, int], tuple[int, int]] = keep_span
    """Where a term's rendering sits in text of this language, given where the rendering
    itself is, when a later hop replaces it (English takes a leading "the" along)."""
    source: SourceRules | None = None
    """Set for a language bilingual translates from."""
