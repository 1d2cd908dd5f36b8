"""Languages as data: every language bilingual knows, keyed by its code.

The rest of the code never names a language in a field or a branch; it asks
:func:`language` for the record of a code and uses what it says.
"""

from __future__ import annotations

from bilingual.lang import ar, en, vi
from bilingual.lang.base import Language, SourceRules

LANGUAGES: dict[str, Language] = {
    lang.code: lang for lang in (ar.LANGUAGE, en.LANGUAGE, vi.LANGUAGE)
}


def language(code: str) -> Language:
    """The record for ``code``; raises ``KeyError`` for a code bilingual does not know."""
    return LANGUAGES[code]


def source_rules(code: str) -> SourceRules:
    """The source-reading rules of ``code``; ``KeyError`` if it is not a source language."""
    rules = LANGUAGES[code].source
    if rules is None:
        raise KeyError(f"{code} is not a source language")
    return rules


def language_name(code: str) -> str:
    """English name of ``code``, or the code itself when it is unknown."""
    lang = LANGUAGES.get(code)
    return lang.name if lang is not None else code


__all__ = ["LANGUAGES", "Language", "SourceRules", "language", "language_name", "source_rules"]
