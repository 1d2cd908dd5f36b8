"""The translated, aligned article that the writers render: frozen records shared by the
enforce, align, QA, pipeline and writer stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bilingual.ingest import Article, Caption

Strategy = Literal["natural", "nbest", "injected", "prefix", "forced"]
"""How a term's rendering got into the translation, from best to worst:
``natural`` the best hypothesis already had it; ``nbest`` another n-best hypothesis had it;
``injected`` the target rendering was put into the source and the model kept it;
``prefix`` decoding was restarted with a target prefix ending in the rendering;
``forced`` the rendering was written into the output after decoding (flagged)."""

Level = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class TermUse:
    """One occurrence of a glossary term in one sentence, for one target language."""

    term_id: str
    lang: str
    """Target language code: ``en`` or ``vi``."""
    source_text: str
    """The Arabic surface as found (term proper, without clitic prefix)."""
    start: int
    end: int
    """Span of the term in the Arabic sentence text."""
    rendering: str
    """The exact string the glossary prescribes; it occurs in the target sentence."""
    strategy: Strategy

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
    sentence: str | None = None
    """Sentence id (``p2.s1``) or None for an article-level finding."""
    lang: str | None = None


@dataclass(frozen=True)
class AlignedSentence:
    id: str
    """``p{paragraph}.s{number}``, 1-based."""
    number: int
    """1-based within its paragraph; printed in every column."""
    source: str
    en: str
    vi: str | None
    terms: tuple[TermUse, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class AlignedParagraph:
    index: int
    """0-based position in the cleaned article."""
    lines: tuple[int, int]
    sentences: tuple[AlignedSentence, ...]

    def text(self, lang: str) -> str:
        """The paragraph in ``ar``, ``en`` or ``vi``: its sentences joined with spaces."""
        parts = [
            s.source if lang == "ar" else s.en if lang == "en" else (s.vi or "")
            for s in self.sentences
        ]
        return " ".join(parts)


@dataclass(frozen=True)
class TranslatedCaption:
    caption: Caption
    en: str
    vi: str | None


@dataclass(frozen=True)
class TermCount:
    """A glossary term used in the article, for the appendix."""

    term_id: str
    type: str
    ar: str
    """Canonical Arabic form."""
    en: str
    vi: str | None
    count: int
    forced: int


@dataclass(frozen=True)
class Briefing:
    """Everything the DOCX and JSON writers need for one article."""

    article: Article
    targets: tuple[str, ...]
    """``("en",)`` or ``("en", "vi")``."""
    title_ar: str
    title_en: str
    title_vi: str | None
    paragraphs: tuple[AlignedParagraph, ...]
    captions: tuple[TranslatedCaption, ...]
    flags: tuple[Flag, ...]
    """Every QA finding: article-level and per sentence."""
    terms: tuple[TermCount, ...]
    models: tuple[str, ...]
    """Package labels, e.g. ``translate-ar_en-1_0@1.0``."""
    signature: str
    """One reproducibility string: version, languages, models, glossary hash, decoding."""
    run_date: str
    """ISO 8601 date-time (UTC) of the run."""
    version: str
