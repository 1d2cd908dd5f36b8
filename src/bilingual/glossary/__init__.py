"""The glossary: the term model, the YAML store, the matcher, editing and termbases.

Modules, from the bottom up: :mod:`~bilingual.glossary.term` (records),
:mod:`~bilingual.glossary.match` (finding terms in source text),
:mod:`~bilingual.glossary.yamlfile` (the guarded YAML loader),
:mod:`~bilingual.glossary.store` (loading and validating the YAML files),
:mod:`~bilingual.glossary.edit` (adding and changing terms in place). This face
re-exports the public names; the library's own stages import the module they need.
Suggesting names the glossary lacks lives with the names stage
(:mod:`bilingual.names.suggest`): it builds on the name finder, which builds on the
matcher here.
"""

from __future__ import annotations

from bilingual.glossary.edit import add_term, confirm_terms, update_term
from bilingual.glossary.match import TermMatch, TermMatcher, form_key
from bilingual.glossary.store import check_glossary, count_by_type, load_glossary
from bilingual.glossary.term import EMPTY, TERM_TYPES, Glossary, Term, TermType

__all__ = [
    "EMPTY",
    "TERM_TYPES",
    "Glossary",
    "Term",
    "TermMatch",
    "TermMatcher",
    "TermType",
    "add_term",
    "check_glossary",
    "confirm_terms",
    "count_by_type",
    "form_key",
    "load_glossary",
    "update_term",
]
