"""Names kept consistent beyond the glossary, and the consistency findings of a run.

A :class:`KeptName` is a name the glossary does not hold (or holds only as a draft without
a rendering) that one run kept to one rendering per target in every article: strategy
``auto`` on each of its occurrences. An :class:`Inconsistency` is one finding of the run's
consistency check, naming every place it concerns (article and sentence id, or the
memory unit). Both are data between stages: the names stage makes them, the writers
render them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bilingual.shell import shell_command

NameOrigin = Literal["model", "reviewed"]
"""Where a kept name's rendering came from: the model's rendering of the name (this run's,
or the one an earlier run kept in the memory: the same, so that an unchanged re-run
writes the same briefing), or a reviewer's (from the memory)."""

InconsistencyCode = Literal["same-source", "same-name", "same-rendering"]
"""``same-source``: one source sentence translated differently; ``same-name``: one name
(glossary, draft or auto) rendered differently; ``same-rendering``: one rendering used
for different source names (two people merged into one?)."""


@dataclass(frozen=True)
class Place:
    """Where a text of a finding stands: a segment of an article of this run, or a unit of
    the translation memory (``article`` is then the unit's article, ``segment`` '')."""

    article: str
    segment: str = ""
    memory: str = ""
    """The memory unit's origin (``review:<docx>``, ``tmx:<file>``, ``auto``) when the
    place is in the memory; '' for this run's briefings."""
    text: str = ""
    """The differing text there (a translation, a rendering, or a source name)."""
    glossary: str = ""
    """When the place is the rendering a term prescribes: the term's id and where it is
    defined (``minister-x, glossary/terms.yaml:12``; ``auto-..., a name kept by this
    run``); '' otherwise (``article`` and ``segment`` are then '')."""

    def __str__(self) -> str:
        if self.glossary:
            return f"glossary ({self.glossary})"
        where = f"{self.article} {self.segment}".strip() or "(no article)"
        return f"memory ({self.memory}): {where}" if self.memory else where


@dataclass(frozen=True)
class KeptName:
    """One name kept to one rendering across a run."""

    term_id: str
    """The id its term uses carry (``auto-...``, or the draft's own id)."""
    source: str
    """The source form as first seen (clitic prefix removed)."""
    type: str
    """Person, organization, place... (a :data:`~bilingual.glossary.term.TermType`)."""
    renderings: Mapping[str, str]
    """Target language -> the one rendering every occurrence carries."""
    origin: NameOrigin
    first_article: str
    first_segment: str
    """Where the rendering was taken from: the first occurrence in the run (or, for a
    rendering from the memory, the first occurrence in this run)."""
    count: int
    """Occurrences in the whole run (every article)."""
    count_here: int = 0
    """Occurrences in the briefing that lists it."""
    suggested_id: str = ""
    """A glossary id for ``bilingual glossary add`` (the rendering as a slug)."""
    draft: bool = False
    """A draft glossary entry without a rendering, filled by the run: confirming it is
    ``glossary set`` then ``glossary confirm``, not ``glossary add``."""

    def command(self) -> str:
        """The one command that makes this rendering permanent in the glossary."""
        renderings = [w for lang, r in self.renderings.items() for w in (f"--{lang}", r)]
        if self.draft:
            return (
                f"{shell_command('bilingual', 'glossary', 'set', self.term_id, *renderings)} && "
                f"{shell_command('bilingual', 'glossary', 'confirm', self.term_id)}"
            )
        term_id = self.suggested_id or self.term_id
        add = ("bilingual", "glossary", "add", "--id", term_id, "--type", self.type)
        return shell_command(*add, "--ar", self.source, *renderings)


@dataclass(frozen=True)
class Inconsistency:
    """One finding of the consistency check: the same thing done two ways."""

    code: InconsistencyCode
    lang: str
    """The target language concerned."""
    subject: str
    """The source sentence, the name (source form), or the shared rendering."""
    places: tuple[Place, ...]
    """Every place concerned, at least two; this run's first."""
    message: str
