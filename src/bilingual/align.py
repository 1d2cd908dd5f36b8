"""Align: put each source paragraph beside its translation, sentence by sentence.

The engine returns exactly one translation per source sentence, so alignment is by
construction 1:1 and monotone; this module builds the records and then checks the
invariants the briefing promises (every cleaned paragraph once, every sentence once, in
order, numbered 1..n in every column) before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bilingual.document import AlignedParagraph, AlignedSentence, Flag, TermUse
from bilingual.enforce import occurrences
from bilingual.errors import OutputError
from bilingual.ingest import Article
from bilingual.segment import Sentence

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SentenceResult:
    """What translation produced for one source sentence."""

    en: str
    vi: str | None
    terms: tuple[TermUse, ...] = ()
    flags: tuple[Flag, ...] = ()


def align_article(
    article: Article,
    sentences: Sequence[Sequence[Sentence]],
    results: Mapping[str, SentenceResult],
) -> tuple[AlignedParagraph, ...]:
    """Build the aligned paragraphs of ``article`` from its sentences and their results.

    ``sentences`` has one entry per cleaned paragraph (from :mod:`bilingual.segment`);
    ``results`` is keyed by sentence id.
    """
    if len(sentences) != len(article.paragraphs):
        raise OutputError(
            f"{len(article.paragraphs)} paragraphs but {len(sentences)} segmented",
            where=str(article.path),
            fix="this is a bug in bilingual; please report it with the input file",
        )
    out: list[AlignedParagraph] = []
    for para, sents in zip(article.paragraphs, sentences, strict=True):
        aligned: list[AlignedSentence] = []
        for s in sents:
            r = results.get(s.id)
            if r is None:
                raise OutputError(
                    f"sentence {s.id} has no translation",
                    where=f"{article.path}:{para.lines[0]}",
                    fix="this is a bug in bilingual; please report it with the input file",
                )
            aligned.append(
                AlignedSentence(
                    id=s.id,
                    number=s.number,
                    source=s.text,
                    en=r.en,
                    vi=r.vi,
                    terms=r.terms,
                    flags=r.flags,
                )
            )
        out.append(AlignedParagraph(index=para.index, lines=para.lines, sentences=tuple(aligned)))
    paragraphs = tuple(out)
    check_alignment(article, paragraphs)
    return paragraphs


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def alignment_problems(article: Article, paragraphs: Sequence[AlignedParagraph]) -> list[str]:
    """Every way ``paragraphs`` breaks the briefing's promises; empty when all hold."""
    problems: list[str] = []
    if [p.index for p in paragraphs] != [p.index for p in article.paragraphs]:
        problems.append("paragraphs are missing, repeated or out of order")
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
        if _squash("".join(s.source for s in ali.sentences)) != _squash(src.text):
            problems.append(f"{where}: sentences do not add up to the source paragraph")
        for s in ali.sentences:
            if s.source.strip() and not s.en.strip():
                problems.append(f"sentence {s.id}: the English translation is empty")
            for use in s.terms:
                target = s.en if use.lang == "en" else (s.vi or "")
                if occurrences(target, use.rendering) == 0:
                    problems.append(
                        f"sentence {s.id}: term '{use.term_id}' is not rendered as "
                        f"{use.rendering!r} in {use.lang}"
                    )
    return problems


def check_alignment(article: Article, paragraphs: Sequence[AlignedParagraph]) -> None:
    """Refuse a briefing that drops, repeats or reorders source text (like mdformat's check)."""
    problems = alignment_problems(article, paragraphs)
    if problems:
        raise OutputError(
            "refusing to write a briefing that would lose or misplace source text: "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
            where=str(article.path),
            fix="this is a bug in bilingual; please report it with the input file",
        )
