"""Tests for bilingual.align: 1:1 paragraph and sentence alignment and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.align import SentenceResult, align_article, alignment_problems
from bilingual.document import AlignedParagraph, TermUse
from bilingual.errors import OutputError
from bilingual.ingest import Article, Paragraph
from bilingual.segment import Sentence

WORD = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + ".")
ARTICLE = st.lists(st.lists(SENTENCE, min_size=1, max_size=5), min_size=1, max_size=6)


def build(paragraph_sentences: list[list[str]]) -> tuple[Article, tuple[tuple[Sentence, ...], ...]]:
    paragraphs = []
    segmented = []
    line = 1
    for i, sents in enumerate(paragraph_sentences):
        text = " ".join(sents)
        paragraphs.append(Paragraph(i, text, (line, line)))
        out, pos = [], 0
        for k, s in enumerate(sents, start=1):
            start = text.index(s, pos)
            out.append(Sentence(f"p{i + 1}.s{k}", i, k, s, start, start + len(s)))
            pos = start + len(s)
        segmented.append(tuple(out))
        line += 2
    article = Article(Path("a.txt"), "a", "utf-8", tuple(paragraphs), (), None, (), ())
    return article, tuple(segmented)


def results_for(segmented: tuple[tuple[Sentence, ...], ...]) -> dict[str, SentenceResult]:
    return {s.id: SentenceResult(f"EN {s.id}", f"VI {s.id}") for para in segmented for s in para}


@settings(max_examples=100, deadline=None)
@given(ARTICLE)
def test_every_paragraph_and_sentence_once_in_order(paragraph_sentences: list[list[str]]) -> None:
    article, segmented = build(paragraph_sentences)
    aligned = align_article(article, segmented, results_for(segmented))
    assert [p.index for p in aligned] == [p.index for p in article.paragraphs]
    for para, src in zip(aligned, article.paragraphs, strict=True):
        assert [s.number for s in para.sentences] == list(range(1, len(para.sentences) + 1))
        assert para.text("ar") == src.text
        assert para.text("en") == " ".join(f"EN {s.id}" for s in para.sentences)
    ids = [s.id for p in aligned for s in p.sentences]
    assert len(ids) == len(set(ids)) == sum(len(p) for p in paragraph_sentences)


@settings(max_examples=50, deadline=None)
@given(ARTICLE, st.data())
def test_a_lost_sentence_is_refused(
    paragraph_sentences: list[list[str]], data: st.DataObject
) -> None:
    article, segmented = build(paragraph_sentences)
    results = results_for(segmented)
    victim = data.draw(st.sampled_from(sorted(results)))
    del results[victim]
    with pytest.raises(OutputError, match=victim):
        align_article(article, segmented, results)


def test_dropped_or_reordered_paragraphs_are_problems() -> None:
    article, segmented = build([["أ ب."], ["ت ث."], ["ج ح."]])
    aligned = align_article(article, segmented, results_for(segmented))
    assert alignment_problems(article, aligned) == []
    assert alignment_problems(article, aligned[:2])
    assert alignment_problems(article, (aligned[1], aligned[0], aligned[2]))


def test_a_sentence_that_does_not_add_up_is_a_problem() -> None:
    article, segmented = build([["أ ب.", "ت ث."]])
    aligned = align_article(article, segmented, results_for(segmented))
    para = aligned[0]
    broken = AlignedParagraph(para.index, para.lines, para.sentences[:1])
    assert any("add up" in p for p in alignment_problems(article, [broken]))


def test_a_term_missing_from_its_target_is_a_problem() -> None:
    article, segmented = build([["أ ب."]])
    use = TermUse("hanoi", "en", "أ", 0, 1, "Hanoi", "injected")
    results = {"p1.s1": SentenceResult("no city here", None, (use,))}
    with pytest.raises(OutputError, match="hanoi"):
        align_article(article, segmented, results)
