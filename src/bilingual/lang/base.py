"""What the stages need to know about a language, as data: one record per language.

A language module (``ar.py``, ``en.py``, ``vi.py``) fills a :class:`Language`; a source
language also fills :class:`SourceRules`, the knowledge the glossary matcher, the
segmenter and QA use on source text. Adding a language is one module and one line in
:mod:`bilingual.lang`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


def keep_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The default :attr:`Language.term_span`: the rendering's own span, nothing around it."""
    return start, end


def _bare(token: str) -> Sequence[str]:
    return (token,)


@dataclass(frozen=True)
class NumberWords:
    """How a language writes numbers besides plain digits, for QA's number check.

    Dates are where translations differ most: ``25 أكتوبر`` is ``25 October``, ``25/10``
    and ``ngày 25 tháng 10``; a month name, an ordinal or a number word stands for a
    number another language may write in digits.
    """

    decimal: str = "."
    """The decimal separator; the other of ``.`` and ``,`` groups thousands."""
    words: Mapping[str, int] = field(default_factory=dict)
    """Folded words and phrases (words joined by one space) that may stand for a number:
    month names, ordinals, number words."""
    scales: Mapping[str, int] = field(default_factory=dict)
    """Folded words that multiply the number before them: ``million`` -> 10**6."""
    fold: Callable[[str], str] = str.casefold
    """How text is folded before its words are looked up."""
    stems: Callable[[str], Sequence[str]] = _bare
    """A folded word -> the forms to look up, the word itself first (clitics set aside)."""


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
    numbers: NumberWords = field(default_factory=NumberWords)
    """How it writes numbers, dates and percentages (QA's number check)."""
