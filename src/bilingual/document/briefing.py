"""A briefing: one article's segments aligned paragraph by paragraph, with everything the
DOCX and JSON writers render and the readers recover."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bilingual.document.article import ArticleInfo, Caption
from bilingual.document.segment import Flag, Rendering, Segment
from bilingual.signature import Signature


@dataclass(frozen=True)
class AlignedParagraph:
    index: int
    """0-based position in the cleaned article."""
    lines: tuple[int, int]
    sentences: tuple[Segment, ...]

    def text(self, lang: str) -> str:
        """The paragraph in ``lang``: its sentences joined with spaces."""
        return " ".join(s.text(lang) or "" for s in self.sentences)


@dataclass(frozen=True)
class TranslatedCaption:
    caption: Caption
    renderings: Mapping[str, Rendering]
    """Target language code -> the caption's translation."""

    def segment(self, source_lang: str, number: int) -> Segment:
        """The caption as segment ``c{number}`` (1-based, in page order)."""
        return Segment(f"c{number}", number, source_lang, self.caption.text, self.renderings)


@dataclass(frozen=True)
class TermCount:
    """A glossary term used in the article, for the appendix."""

    term_id: str
    type: str
    source: str
    """Canonical source-language form."""
    renderings: Mapping[str, str | None]
    """Target language code -> the glossary's rendering (None: the glossary has none)."""
    count: int
    """Occurrences in the article's sentences."""
    forced: int
    """Renderings of it that were forced, over every target."""


@dataclass(frozen=True)
class Briefing:
    """Everything the DOCX and JSON writers need for one article."""

    article: ArticleInfo
    source_lang: str
    targets: tuple[str, ...]
    """Target languages in route order, e.g. ``("en", "vi")``."""
    title: Mapping[str, str | None]
    """The title (the lead sentence) by language: the source and every target."""
    paragraphs: tuple[AlignedParagraph, ...]
    captions: tuple[TranslatedCaption, ...]
    flags: tuple[Flag, ...]
    """Article-level findings only; a segment's findings live on its renderings."""
    terms: tuple[TermCount, ...]
    models: tuple[str, ...]
    """Package labels, e.g. ``translate-ar_en-1_0@1.0``."""
    signature: Signature
    run_date: str
    """ISO 8601 date-time (UTC) of the run."""
    version: str

    @property
    def languages(self) -> tuple[str, ...]:
        """The source language, then the targets: the columns of the briefing."""
        return (self.source_lang, *self.targets)

    def segments(self) -> list[Segment]:
        """Every sentence segment, in reading order."""
        return [s for p in self.paragraphs for s in p.sentences]
