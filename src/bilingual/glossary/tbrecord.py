"""Termbase records as the CSV and TBX readers hand them over, and language codes.

A :class:`Record` is one CSV row or one TBX concept entry: the terms it gives per
language of the glossary (``ar``, ``en``, ``vi``) and its id, type and note when the
file has them, with the file and line it came from. The readers never decide whether a
record makes a term; :mod:`bilingual.glossary.termbase` merges them and says why one
was skipped.

Language codes are read the way termbases write them: ``ar``, ``AR``, ``ar_AR``,
``ar-EG``, ``ara``, ``Arabic``. A well-formed code of a language the glossary does not
hold (``fr``, ``de-DE``) is :data:`OTHER`; anything else is unknown (None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bilingual.glossary.term import RENDERING_KEYS, SOURCE_KEY

GLOSSARY_LANGS: tuple[str, ...] = (SOURCE_KEY, *RENDERING_KEYS)
"""The languages a glossary term holds, the source first."""

OTHER = "other"
"""A well-formed language code of a language the glossary does not hold."""

_NAMES: Mapping[str, str] = {
    "ar": "ar",
    "ara": "ar",
    "arb": "ar",
    "arabic": "ar",
    "العربية": "ar",
    "عربي": "ar",
    "en": "en",
    "eng": "en",
    "english": "en",
    "الإنجليزية": "en",
    "الانجليزية": "en",
    "vi": "vi",
    "vie": "vi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
}
# a BCP 47 tag as termbases write it: ar, ar-EG, ar_AR, zh-Hant-TW, en-US-x-private
_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")


def language_code(text: str) -> str | None:
    """The glossary language of a code or name (``ar``, ``en``, ``vi``), :data:`OTHER`
    for a well-formed code of another language, None for what is no language code."""
    key = " ".join(text.strip().lower().split())
    if key in _NAMES:
        return _NAMES[key]
    m = _TAG.fullmatch(key)
    if m is None:
        return None
    return _NAMES.get(m.group(1), OTHER)


def header_language(text: str) -> str | None:
    """The language a column header names: a code (``ar_AR``), a name (``Arabic``), or a
    name as one of its words (``Arabic term``, ``Term (English)``); else None."""
    code = language_code(text)
    if code is not None:
        return code
    words = re.findall(r"[^\W\d_]+", text.lower())
    found = {_NAMES[w] for w in words if w in _NAMES and len(w) > 3}
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class Record:
    """One termbase entry as read: terms per glossary language, and where it came from."""

    file: Path
    line: int
    """1-based line where the row or the concept entry starts."""
    terms: Mapping[str, tuple[str, ...]]
    """Glossary language -> its terms, the preferred first (no empty strings)."""
    term_id: str | None = None
    term_type: str | None = None
    note: str | None = None
    dropped: tuple[str, ...] = ()
    """What the reader left out of this record, each said in a sentence."""
    avoid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Target language -> terms the entry marks deprecated or forbidden (a TBX
    ``administrativeStatus``): the glossary term's avoid list."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Rejected:
    """A row or entry the reader could not turn into a record, and why."""

    file: Path
    line: int
    reason: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def clean(text: str | None) -> str:
    """A cell or term text with its outer whitespace gone and inner runs made one space."""
    return " ".join((text or "").split())
