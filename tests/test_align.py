"""Tests for bilingual.align: 1:1 paragraph and sentence alignment and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.align import align_article, alignment_problems
from bilingual.document import AlignedParagraph, Article, Paragraph, Rendering, Segment, TermUse
from bilingual.errors import OutputError
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
    article = Article(Path("a.txt"), "a", "utf-8", None, (), (), paragraphs=tuple(paragraphs))
    return article, tuple(segmented)


TARGETS = ("en", "vi")


def translated(segmented: tuple[tuple[Sentence, ...], ...]) -> list[list[Segment]]:
    """Every sentence with an English and a Vietnamese rendering."""
    return [
        [
            s.to_segment("ar").with_renderings(
                {"en": Rendering(f"EN {s.id}"), "vi": Rendering(f"VI {s.id}")}
            )
            for s in para
        ]
        for para in segmented
    ]


@settings(max_examples=100, deadline=None)
@given(ARTICLE)
def test_every_paragraph_and_sentence_once_in_order(paragraph_sentences: list[list[str]]) -> None:
    article, segmented = build(paragraph_sentences)
    aligned = align_article(article, translated(segmented), TARGETS)
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
    paragraphs = translated(segmented)
    k = data.draw(st.sampled_from(range(len(paragraphs))))
    victim = data.draw(st.sampled_from(range(len(paragraphs[k]))))
    lost = paragraphs[k].pop(victim)
    with pytest.raises(OutputError, match=f"paragraph {k + 1}"):
        align_article(article, paragraphs, TARGETS)
    paragraphs[k].insert(victim, lost.with_renderings({"vi": Rendering("VI only")}))
    with pytest.raises(OutputError, match=f"sentence {lost.id} has no translation"):
        align_article(article, paragraphs, TARGETS)


def test_dropped_or_reordered_paragraphs_are_problems() -> None:
    article, segmented = build([["أ ب."], ["ت ث."], ["ج ح."]])
    aligned = align_article(article, translated(segmented), TARGETS)
    assert alignment_problems(article, aligned) == []
    assert alignment_problems(article, aligned[:2])
    assert alignment_problems(article, (aligned[1], aligned[0], aligned[2]))


def test_a_sentence_that_does_not_add_up_is_a_problem() -> None:
    article, segmented = build([["أ ب.", "ت ث."]])
    aligned = align_article(article, translated(segmented), TARGETS)
    para = aligned[0]
    broken = AlignedParagraph(para.index, para.lines, para.sentences[:1])
    assert any("add up" in p for p in alignment_problems(article, [broken]))


def test_a_term_missing_from_its_target_is_a_problem() -> None:
    article, segmented = build([["أ ب."]])
    use = TermUse("hanoi", "أ", 0, 1, "Hanoi", "injected")
    segment = segmented[0][0].to_segment("ar")
    lost = segment.with_renderings({"en": Rendering("no city here", (use,))})
    with pytest.raises(OutputError, match="hanoi"):
        align_article(article, [[lost]], ("en",))
    kept = segment.with_renderings({"en": Rendering("in Hanoi", (use,))})
    assert align_article(article, [[kept]], ("en",))[0].sentences == (kept,)


def test_an_empty_first_translation_is_refused_a_later_one_is_not() -> None:
    article, segmented = build([["أ ب."]])
    segment = segmented[0][0].to_segment("ar")
    empty_en = segment.with_renderings({"en": Rendering(" "), "vi": Rendering("VI")})
    with pytest.raises(OutputError, match="English translation is empty"):
        align_article(article, [[empty_en]], TARGETS)
    empty_vi = segment.with_renderings({"en": Rendering("EN"), "vi": Rendering("")})
    assert align_article(article, [[empty_vi]], TARGETS)
