"""The document model shared by every stage: articles, segments keyed by language, briefings.

Frozen records only; nothing here reads, writes or translates.
"""

from __future__ import annotations

from bilingual.document.article import Article, ArticleInfo, Caption, Paragraph, Removed, Repeat
from bilingual.document.briefing import AlignedParagraph, Briefing, TermCount, TranslatedCaption
from bilingual.document.segment import (
    Alternative,
    Flag,
    Level,
    Rendering,
    Segment,
    Strategy,
    TermUse,
)

__all__ = [
    "AlignedParagraph",
    "Alternative",
    "Article",
    "ArticleInfo",
    "Briefing",
    "Caption",
    "Flag",
    "Level",
    "Paragraph",
    "Removed",
    "Rendering",
    "Repeat",
    "Segment",
    "Strategy",
    "TermCount",
    "TermUse",
    "TranslatedCaption",
]
