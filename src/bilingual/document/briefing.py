"""A briefing: one article's segments aligned paragraph by paragraph, with everything the
DOCX and JSON writers render and the readers recover."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bilingual.document.article import ArticleInfo, Caption
from bilingual.document.names import KeptName
from bilingual.document.segment import Flag, Rendering, Segment
from bilingual.signature import Signature

TITLE_CHARS = 90
"""Most characters of a briefing's title: two lines of the heading on a portrait page.
The lead sentence it comes from is often a whole paragraph; the table keeps it whole."""

# what a cut title must not end with before its ellipsis (Latin and Arabic punctuation)
_TRAILING = " \t,;:.\u060c\u061b\u2013\u2014-"


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters with
    an ellipsis when it is longer (a title line or a short lead stays whole)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]  # room for the ellipsis
    if flat[limit - 1] != " ":  # the cut is inside a word: go back to its start
        space = cut.rfind(" ")
        if space >= limit // 2:  # else one enormous word: cut inside it
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "\u2026"


TEST_MODEL_WARNING = "Test model in use: translations are not real."
"""The console warning and the briefing banner start so."""


def notice_for_test_models(labels: Sequence[str]) -> str:
    """What the warning and the banner say after :data:`TEST_MODEL_WARNING`, naming
    the test packages ``labels``."""
    names = " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    one = len(labels) == 1
    return (
        f"{names} {'declares itself a test model' if one else 'declare themselves test models'}"
        f": {'a tiny model' if one else 'tiny models'} made for the test suite that "
        f"{'knows' if one else 'know'} only a small controlled vocabulary, so on a real "
        f"article {'its' if one else 'their'} output is placeholder text, not a translation. "
        "Install the real models (docs/models.md: Real translation needs real models) and "
        "translate again."
    )


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
    """Occurrences in the article's source text (sentences and captions)."""
    forced: int
    """Renderings of it that were forced, over every target (up to ``count`` per target)."""
    forced_by_lang: Mapping[str, int] = field(default_factory=dict)
    """Target language code -> occurrences whose rendering in that language was forced
    (each at most ``count``); empty when read from a file that did not record it."""


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
    test_models: tuple[str, ...] = ()
    """The labels in ``models`` of packages that declare themselves test models: their
    output is not a real translation, and the briefing says so on its first page."""
    licences: tuple[str, ...] = ()
    """One line per model: its licence and the credit it asks for (CC-BY models such as
    OPUS-MT require attribution; a non-commercial one says so)."""
    names: tuple[KeptName, ...] = ()
    """Names outside the glossary this run kept to one rendering (strategy ``auto``) that
    occur in this article, for the reviewer to confirm."""
    bands: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Target -> its model's calibrated ``(low, high)`` confidence thresholds, for the
    DOCX's confidence marks; absent for an uncalibrated model (and in a briefing read
    back from its JSON, which marks only the renderings flagged low-confidence)."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The source language, then the targets: the columns of the briefing."""
        return (self.source_lang, *self.targets)

    def segments(self) -> list[Segment]:
        """Every sentence segment, in reading order."""
        return [s for p in self.paragraphs for s in p.sentences]

    def caption_segments(self) -> list[Segment]:
        """Every caption as a segment (``c1``, ``c2``...), in page order."""
        return [c.segment(self.source_lang, n) for n, c in enumerate(self.captions, 1)]

    def all_segments(self) -> list[Segment]:
        """The sentences, then the captions: every text that was translated, locked and
        checked (what findings, term uses and counts are gathered from)."""
        return [*self.segments(), *self.caption_segments()]
