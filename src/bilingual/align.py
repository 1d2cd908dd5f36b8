"""Align: put each source paragraph beside its translations, sentence by sentence.

The translation stage returns exactly one rendering per target for every segment, so
alignment is by construction 1:1 and monotone; this module groups the segments into
paragraphs and then checks the invariants the briefing promises (every cleaned paragraph
once, every sentence once, in order, numbered 1..n in every column, every locked term in
its translation) before anything is written, like mdformat's check that refuses to write
output that lost content.
"""

from __future__ import annotations

from collections.abc import Sequence

from bilingual._text import occurrences, squash
from bilingual.document.article import Article
from bilingual.document.briefing import AlignedParagraph
from bilingual.document.segment import Segment
from bilingual.errors import OutputError
from bilingual.lang import language_name

_BUG = "this is a bug in bilingual; please report it with the input file"


def align_article(
    article: Article, sentences: Sequence[Sequence[Segment]], targets: Sequence[str]
) -> tuple[AlignedParagraph, ...]:
    """The aligned paragraphs of ``article``: one entry of ``sentences`` per paragraph.

    Raises :class:`OutputError` when the result would lose or misplace source text.
    """
    if len(sentences) != len(article.paragraphs):
        raise OutputError(
            f"{len(article.paragraphs)} paragraphs but {len(sentences)} segmented",
            where=str(article.path),
            fix=_BUG,
        )
    paragraphs = tuple(
        AlignedParagraph(index=para.index, lines=para.lines, sentences=tuple(segs))
        for para, segs in zip(article.paragraphs, sentences, strict=True)
    )
    check_alignment(article, paragraphs, targets)
    return paragraphs


def _sentence_problems(segment: Segment, first_target: str | None) -> list[str]:
    problems: list[str] = []
    if first_target is not None and segment.source.strip():
        text = segment.text(first_target)
        if text is None:
            problems.append(f"sentence {segment.id} has no translation")
        elif not text.strip():
            name = language_name(first_target)
            problems.append(f"sentence {segment.id}: the {name} translation is empty")
    for lang, use in segment.term_uses():
        if occurrences(segment.text(lang) or "", use.rendering) == 0:
            problems.append(
                f"sentence {segment.id}: term '{use.term_id}' is not rendered as "
                f"{use.rendering!r} in {lang}"
            )
    return problems


def alignment_problems(
    article: Article, paragraphs: Sequence[AlignedParagraph], targets: Sequence[str] = ()
) -> list[str]:
    """Every way ``paragraphs`` breaks the briefing's promises; empty when all hold.

    The first of ``targets`` (the direct translation) must not be empty; later hops
    translate a translation, and an empty one there is a QA finding, not a lost text.
    """
    problems: list[str] = []
    if [p.index for p in paragraphs] != [p.index for p in article.paragraphs]:
        problems.append("paragraphs are missing, repeated or out of order")
    first_target = targets[0] if targets else None
    for src, ali in zip(article.paragraphs, paragraphs, strict=False):
        where = f"paragraph {src.index + 1} (line {src.lines[0]})"
        if ali.lines != src.lines:
            problems.append(f"{where}: line range {ali.lines} differs from the source")
        numbers = [s.number for s in ali.sentences]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{where}: sentences are not numbered 1..{len(numbers)}")
        ids = [s.id for s in ali.sentences]
        if ids != [f"p{src.index + 1}.s{k}" for k in numbers]:
            problems.append(f"{where}: sentence ids {ids} do not match their position")
        if squash("".join(s.source for s in ali.sentences)) != squash(src.text):
            problems.append(f"{where}: sentences do not add up to the source paragraph")
        for segment in ali.sentences:
            problems += _sentence_problems(segment, first_target)
    return problems


def check_alignment(
    article: Article, paragraphs: Sequence[AlignedParagraph], targets: Sequence[str]
) -> None:
    """Refuse a briefing that drops, repeats or reorders source text (like mdformat's check)."""
    problems = alignment_problems(article, paragraphs, targets)
    if problems:
        raise OutputError(
            "refusing to write a briefing that would lose or misplace source text: "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
            where=str(article.path),
            fix=_BUG,
        )
