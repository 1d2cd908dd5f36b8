"""Segments keyed by language: a source text and its rendering in each target language.

A :class:`Segment` is one sentence (or caption) in its source language with a mapping
from target language code to :class:`Rendering`: the translated text, the glossary terms
it carries (with the strategy that secured each) and the QA findings on it. Languages
are keys, never field names, so a route such as ar -> en -> vi is data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

Strategy = Literal["natural", "nbest", "injected", "prefix", "forced", "memory"]
"""How a term's rendering got into the translation, from best to worst:
``natural`` the best hypothesis already had it; ``nbest`` another n-best hypothesis had it;
``injected`` the target rendering was put into the source and the model kept it;
``prefix`` decoding was restarted with a target prefix ending in the rendering;
``forced`` the rendering was written into the output after decoding (flagged);
``memory`` the rendering was in a reviewer's translation reused from the memory."""

TermOrigin = Literal["glossary", "draft", "auto"]
"""What prescribed a term's rendering: a glossary term, a draft glossary term (used but
not yet confirmed), or the run itself keeping a new name to one rendering (see
:mod:`bilingual.names`)."""

Level = Literal["info", "warning", "error"]

Status = Literal["machine", "reviewed", "approved"]
"""Who stands behind a rendering: the model, a reviewer, or a reviewer's sign-off."""


@dataclass(frozen=True)
class TermUse:
    """One occurrence of a glossary term in a segment's source, as rendered in one target."""

    term_id: str
    source_text: str
    """The source surface as found (term proper, without clitic prefix)."""
    start: int
    end: int
    """Span of the term in the source text."""
    rendering: str
    """The exact string the glossary prescribes; it occurs in the rendering's text."""
    strategy: Strategy
    origin: TermOrigin = "glossary"

    @property
    def forced(self) -> bool:
        return self.strategy == "forced"


@dataclass(frozen=True)
class Flag:
    """A QA finding for the reviewer."""

    code: str
    """Stable code, e.g. ``forced-term``, ``untranslated-arabic``, ``number-mismatch``,
    ``short-translation``, ``long-translation``, ``repeated-paragraph``."""
    level: Level
    message: str
    lang: str | None = None
    """The target language concerned, or None."""


@dataclass(frozen=True)
class Alternative:
    """One of the model's next best translations of a sentence it was unsure of: another
    hypothesis of the same beam, offered to the reviewer beside the rendering."""

    text: str
    confidence: float
    """On the rendering's scale: mean log-probability per token (0 is certain)."""


@dataclass(frozen=True)
class Similar:
    """The memory's most similar reviewed sentence, for a sentence it has no exact match
    for: shown to the reviewer to adapt, never used as the translation."""

    score: float
    """Word-level similarity of the two sources (0 to 1; see bilingual.memory.similar)."""
    source: str
    """The reviewed unit's source sentence."""
    target: str
    """Its reviewed translation."""
    unit_id: int
    status: Status
    article: str = ""
    """The article the unit came from ('' unknown)."""
    date: str = ""
    """When the unit was stored (ISO 8601)."""


@dataclass(frozen=True)
class Rendering:
    """A segment in one target language."""

    text: str
    terms: tuple[TermUse, ...] = ()
    flags: tuple[Flag, ...] = ()
    status: Status = "machine"
    origin: str = ""
    """Where the text came from: ``model:<label>``, or the memory unit's origin
    (``review:<docx>``, ``tmx:<file>``); '' when not recorded."""
    note: str = ""
    """The reviewer's comment on this rendering, from the memory."""
    note_by: str = ""
    """Who wrote the note (the reviewer the memory names), '' when not known. Not in the
    JSON: the DOCX shows the note as this reviewer's comment."""
    note_at: str = ""
    """When (ISO 8601, as the memory recorded it), '' when not known; not in the JSON."""
    confidence: float | None = None
    """The model's mean log-probability per token of the text as written (0 is certain);
    None for a reviewer's text, or where the translator could not score
    (:mod:`bilingual.confidence`)."""
    lock_cost: float | None = None
    """The confidence locking the glossary terms cost (the model's free choice minus
    ``confidence``; 0 when its own text was kept); None as for ``confidence``."""
    alternatives: tuple[Alternative, ...] = ()
    """The model's next best translations, best first, where its confidence is low
    (below the model's calibrated threshold); none elsewhere and for a reviewer's text."""
    similar: Similar | None = None
    """A similar reviewed sentence from the memory, for the reviewer (never the text)."""

    @property
    def reviewed(self) -> bool:
        return self.status != "machine"


@dataclass(frozen=True)
class Segment:
    """One sentence or caption: its source and a rendering per target language."""

    id: str
    """``p{paragraph}.s{number}`` for sentences (1-based), ``c{number}`` for captions."""
    number: int
    """1-based within its paragraph; printed in every column."""
    source_lang: str
    source: str
    renderings: Mapping[str, Rendering] = field(default_factory=dict)
    """Target language code -> rendering, in route order. Not to be mutated."""

    def text(self, lang: str) -> str | None:
        """The segment in ``lang`` (source or target); None when it has no such rendering."""
        if lang == self.source_lang:
            return self.source
        rendering = self.renderings.get(lang)
        return rendering.text if rendering is not None else None

    def with_renderings(self, renderings: Mapping[str, Rendering]) -> Segment:
        return replace(self, renderings=dict(renderings))

    def flags(self) -> Iterator[Flag]:
        """Every finding on the segment, target by target."""
        for rendering in self.renderings.values():
            yield from rendering.flags

    def term_uses(self) -> Iterator[tuple[str, TermUse]]:
        """``(target language, use)`` for every term use, target by target."""
        for lang, rendering in self.renderings.items():
            for use in rendering.terms:
                yield lang, use
