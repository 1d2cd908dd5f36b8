"""The term model: one glossary entry exactly as the user's YAML says, and the merged glossary.

Languages are keys: a term has its source-language forms (the YAML ``ar`` list) and a
rendering per target language (``en``, required; ``vi``, optional). A term marked
``status: draft`` (what ``glossary suggest`` writes) is used like any other when it has a
rendering, flagged in the briefing, and never stops a run: it may lack ``en``, and a
problem of its own leaves it out with a warning instead of an error. A term may list,
per target language, renderings it must never take (``avoid: {en: [...]}``): the model
is steered away from them and a translation that still has one is an error finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

TermStatus = Literal["confirmed", "draft", "auto"]
"""``auto`` is never written in a glossary file: it marks the terms a run makes of new
names to keep them to one rendering (see :mod:`bilingual.names`)."""
TERM_STATUSES: tuple[str, ...] = ("confirmed", "draft")
"""The statuses a glossary file may give a term."""
TermType = Literal["person", "organization", "place", "instrument", "event", "title", "term"]
TERM_TYPES: tuple[str, ...] = get_args(TermType)

SOURCE_KEY = "ar"
"""The YAML key, and language code, of a term's source forms."""
RENDERING_KEYS: tuple[str, ...] = ("en", "vi")
"""The YAML keys, and language codes, of renderings; the first is required."""
AVOID_KEY = "avoid"
"""The YAML key of the renderings a term must never take, a list per target language."""
TERM_KEYS: tuple[str, ...] = (
    "id",
    "type",
    SOURCE_KEY,
    *RENDERING_KEYS,
    AVOID_KEY,
    "note",
    "status",
)


@dataclass(frozen=True)
class Term:
    """One glossary entry, exactly as the user's YAML says."""

    id: str
    type: TermType
    forms: tuple[str, ...]
    """Source-language forms; the first is canonical."""
    renderings: Mapping[str, str]
    """Target language code -> the exact string the term must appear as."""
    note: str | None
    file: Path
    line: int
    """1-based line of the entry in ``file``."""
    status: TermStatus = "confirmed"
    """``draft``: used and flagged, never blocking; ``renderings`` may be empty."""
    avoid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Target language code -> renderings the term must never take (none: no key)."""

    @property
    def draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    files: tuple[Path, ...]
    signature: str
    """Short content hash of the merged terms, shown in the briefing's signature."""
    source_lang: str = SOURCE_KEY
    warnings: tuple[str, ...] = ()
    """Draft terms left out, each as ``file:line: draft term 'id' is left out: ...``."""
    _by_id: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # an index derived from ``terms``; frozen, so it is set through object.__setattr__
        object.__setattr__(self, "_by_id", {t.id: t for t in self.terms})

    def term(self, term_id: str) -> Term | None:
        """The term with this id, or None."""
        return self._by_id.get(term_id)


EMPTY = Glossary(terms=(), files=(), signature="none")
"""No glossary at all."""
