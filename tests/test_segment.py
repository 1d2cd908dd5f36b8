"""Sentence segmentation: Arabic punctuation rules, properties, and golden files.

Golden files live in tests/golden/<article>.segments.json; rewrite them with
``BILINGUAL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_segment.py`` after checking the
new segmentation by eye. The seeds' golden files hold spans and hashes only, never text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from golden_files import check_golden
from hypothesis import given
from hypothesis import strategies as st

from bilingual.document import Article, Paragraph
from bilingual.ingest import read_article
from bilingual.segment import (
    MAX_SENTENCE_CHARS,
    segment_article,
    segment_paragraph,
    split_sentences,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SEED_NAMES = ("000_4b56c2879e1419f5", "002_8d4835901057fe72")
SAMPLES = sorted((REPO / "input").glob("*.txt"))


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# ------------------------------------------------------------------------ rule cases

SPLIT_CASES = [
    # plain Arabic terminators, runs, and the Arabic semicolon
    ("وصل الوفد. بدأ الاجتماع.", ["وصل الوفد.", "بدأ الاجتماع."]),
    ("هل وصل الوفد؟ نعم وصل.", ["هل وصل الوفد؟", "نعم وصل."]),
    ("مذهل!! بدأ الاجتماع", ["مذهل!!", "بدأ الاجتماع"]),
    ("حقا؟! نعم.", ["حقا؟!", "نعم."]),
    ("انتهى الاجتماع؛ وغادر الوفد.", ["انتهى الاجتماع؛", "وغادر الوفد."]),
    ("انتظروا… ثم وصل الوزير.", ["انتظروا…", "ثم وصل الوزير."]),
    # the comma never ends a sentence
    ("وصل الوزير، ثم بدأ الاجتماع، وانتهى.", ["وصل الوزير، ثم بدأ الاجتماع، وانتهى."]),
    ("Hello, world. Next one", ["Hello, world.", "Next one"]),
    # numbers and dates
    ("ارتفعت النسبة 3.5 في المئة. وقال الوزير.", ["ارتفعت النسبة 3.5 في المئة.", "وقال الوزير."]),
    ("بلغت ٣٫٥ مليون. ثم ارتفعت.", ["بلغت ٣٫٥ مليون.", "ثم ارتفعت."]),
    ("حضر 1,000.5 مندوب يوم 25 أكتوبر. ووقعوا.", ["حضر 1,000.5 مندوب يوم 25 أكتوبر.", "ووقعوا."]),
    ("في عام 2030. بدأ التنفيذ.", ["في عام 2030.", "بدأ التنفيذ."]),
    ("1. البند الأول يتعلق بالتعاون.", ["1. البند الأول يتعلق بالتعاون."]),
    # abbreviations and initials
    ("وقال د. أحمد إن الاتفاقية مهمة.", ["وقال د. أحمد إن الاتفاقية مهمة."]),
    ("التقى أ. د. سالم بالوفد. ثم غادر.", ["التقى أ. د. سالم بالوفد.", "ثم غادر."]),
    ("وقال م. خالد: نعم.", ["وقال م. خالد: نعم."]),
    ("رقم ص. ب. 1234 للمراسلات.", ["رقم ص. ب. 1234 للمراسلات."]),
    (
        "The U.N. Office met at 9 A.M. Today it ended.",
        ["The U.N. Office met at 9 A.M. Today it ended."],
    ),
    ("Use tools, e.g. Python. Done.", ["Use tools, e.g. Python.", "Done."]),
    ("See No. 5 for details. Mr. Smith agreed.", ["See No. 5 for details.", "Mr. Smith agreed."]),
    ("It is approx. five days.", ["It is approx. five days."]),
    ("تأسست عام 622 م. وانتشرت بعد ذلك.", ["تأسست عام 622 م.", "وانتشرت بعد ذلك."]),
    # URLs and e-mail addresses
    (
        "راجع https://example.org/a.b?x=1 للتفاصيل. وراسلنا على info@example.org اليوم.",
        ["راجع https://example.org/a.b?x=1 للتفاصيل.", "وراسلنا على info@example.org اليوم."],
    ),
    ("الموقع هو www.example.org. ثم انتهى.", ["الموقع هو www.example.org.", "ثم انتهى."]),
    # ellipses: a continuing word keeps the sentence open
    ("حضر الوزراء والخبراء... من 40 دولة.", ["حضر الوزراء والخبراء... من 40 دولة."]),
    (
        "ناقشوا الأمن والتدريب... وقال الوزير إنه مهم.",
        ["ناقشوا الأمن والتدريب...", "وقال الوزير إنه مهم."],
    ),
    ("ناقشوا الأمن (والدفاع...) في الجلسة.", ["ناقشوا الأمن (والدفاع...) في الجلسة."]),
    ("(هذا تعليق كامل.) وهذه جملة.", ["(هذا تعليق كامل.)", "وهذه جملة."]),
    # quotes: closing quotes stay with their sentence, opening quotes after ':' too
    ('قال: "أنا سعيد." ثم غادر.', ['قال: "أنا سعيد."', "ثم غادر."]),
    ('وقال الوزير: "التعاون ضروري". ثم غادر.', ['وقال الوزير: "التعاون ضروري".', "ثم غادر."]),
    ("قال: «نعم.» وغادر.", ["قال: «نعم.»", "وغادر."]),
    ('قال: "جملة أولى. جملة ثانية." وانتهى.', ['قال: "جملة أولى.', 'جملة ثانية."', "وانتهى."]),
    ('"انتهى الاجتماع"، قال الوزير.', ['"انتهى الاجتماع"، قال الوزير.']),
    # lost spaces in scrapes
    ("انتهى الاجتماع.وقال الوزير.", ["انتهى الاجتماع.", "وقال الوزير."]),
    ("هل انتهى؟نعم.", ["هل انتهى؟", "نعم."]),
    ("التقى د.محمد بالوفد.", ["التقى د.محمد بالوفد."]),
    # whitespace and degenerate texts
    ("   وصل الوفد.   بدأ الاجتماع   ", ["وصل الوفد.", "بدأ الاجتماع"]),
    ("", []),
    ("   ", []),
    ("...", ["..."]),
    ("بدون نهاية", ["بدون نهاية"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_segment_paragraph_ids_and_spans() -> None:
    paragraph = Paragraph(index=4, text="وصل الوفد. بدأ الاجتماع؟ نعم.", lines=(9, 10))
    got = segment_paragraph(paragraph)
    assert [s.id for s in got] == ["p5.s1", "p5.s2", "p5.s3"]
    assert [s.number for s in got] == [1, 2, 3]
    assert all(s.paragraph == 4 for s in got)
    assert all(paragraph.text[s.start : s.end] == s.text for s in got)
    assert [s.text for s in got] == ["وصل الوفد.", "بدأ الاجتماع؟", "نعم."]


def test_segment_article_one_tuple_per_paragraph() -> None:
    paragraphs = (
        Paragraph(0, "وصل الوفد. بدأ الاجتماع.", (1, 1)),
        Paragraph(1, "انتهى الاجتماع", (3, 4)),
    )
    article = Article(Path("x.txt"), "x", "utf-8", None, (), (), paragraphs=paragraphs)
    got = segment_article(article)
    assert [[s.id for s in p] for p in got] == [["p1.s1", "p1.s2"], ["p2.s1"]]


def _word_salad(words: int) -> str:
    """Arabic-looking words with no punctuation at all (issue 18's hostile paragraph)."""
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return " ".join(letters[k % 28] + letters[(k * 7) % 28] * (1 + k % 5) for k in range(words))


def test_a_paragraph_without_punctuation_becomes_bounded_sentences() -> None:
    text = _word_salad(20_000)  # about 110 000 characters, not one full stop
    paragraph = Paragraph(index=2, text=text, lines=(5, 5))
    got = segment_paragraph(paragraph)
    assert len(got) >= len(text) // MAX_SENTENCE_CHARS
    assert max(len(s.text) for s in got) <= MAX_SENTENCE_CHARS
    # of about equal size, so no stray short piece is left at the end
    assert min(len(s.text) for s in got) > MAX_SENTENCE_CHARS // 3
    assert [s.id for s in got[:2]] == ["p3.s1", "p3.s2"] and got[-1].id == f"p3.s{len(got)}"
    assert_partition(text, [(s.start, s.end) for s in got])
    # cut between words, never inside one
    assert " ".join(s.text for s in got) == text


def test_a_long_sentence_is_cut_at_clause_punctuation_first() -> None:
    clause = "وقال الوزير إن الاتفاقية مهمة للتعاون بين البلدين في مجالات كثيرة، "
    text = (clause * 40).strip()
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(text[b - 1] == "،" for a, b in spans[:-1])


def test_one_enormous_word_is_cut_anyway() -> None:
    text = "ب" * (MAX_SENTENCE_CHARS * 3 + 5)
    spans = split_sentences(text)
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert "".join(text[a:b] for a, b in spans) == text


def test_a_sentence_at_the_limit_stays_whole() -> None:
    text = _word_salad(400)[:MAX_SENTENCE_CHARS].strip() + "."
    text = text[-MAX_SENTENCE_CHARS:].strip()
    assert split_sentences(text) == [(0, len(text))]


# ------------------------------------------------------------------------ properties

WORDS = st.sampled_from(
    ["الوزير", "الاتفاقية", "د.", "U.N.", "e.g.", "www.example.org", "12.5", "٣٫٥", "1,000"]
)
PUNCT = st.sampled_from(
    [".", "؟", "?", "!", "…", "...", "؛", "،", ",", ":", '"', "»", "«", "(", ")", "?!", '."']
)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", ""])
TOKENS = st.lists(st.one_of(WORDS, PUNCT, SPACE, st.text(max_size=3)), max_size=40)


def assert_partition(text: str, spans: list[tuple[int, int]]) -> None:
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[position:start].isspace() or position == start
        assert not text[start].isspace() and not text[end - 1].isspace()
        position = end
    assert text[position:].strip() == "" or not text[position:]
    covered = "".join(text[a:b] for a, b in spans)
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]


@given(TOKENS)
def test_spans_partition_the_non_space_text(tokens: list[str]) -> None:
    text = "".join(tokens)
    assert_partition(text, split_sentences(text))


@given(st.lists(st.one_of(WORDS, PUNCT, SPACE), max_size=30), st.sampled_from(["12.5", "٣٫٥"]))
def test_never_splits_inside_a_number(tokens: list[str], number: str) -> None:
    text = " ".join([*tokens, number, *tokens])
    spans = split_sentences(text)
    for match in re.finditer(re.escape(number), text):
        inside = range(match.start() + 1, match.end())
        assert not any(end in inside or start in inside for start, end in spans)


@given(st.lists(st.one_of(WORDS, PUNCT, SPACE), max_size=30))
def test_never_ends_after_a_comma(tokens: list[str]) -> None:
    text = " ".join(tokens)
    spans = split_sentences(text)
    for _start, end in spans[:-1]:
        assert text[end - 1] not in "،,"


# ------------------------------------------------------------------------- golden files


def short_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def segmentation_record(article: Article, *, with_text: bool) -> dict[str, Any]:
    paragraphs = []
    for paragraph, sents in zip(article.paragraphs, segment_article(article), strict=True):
        rows: list[dict[str, Any]] = []
        for s in sents:
            row: dict[str, Any] = {"id": s.id, "span": [s.start, s.end]}
            row.update({"text": s.text} if with_text else {"sha": short_sha(s.text)})
            rows.append(row)
        paragraphs.append({"paragraph": paragraph.index, "sentences": rows})
    return {"article": article.name, "paragraphs": paragraphs}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_golden_seed_segmentation(name: str) -> None:
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"seed {path} not available (../shared is absent in this checkout)")
    article = read_article(path)
    for paragraph, sents in zip(article.paragraphs, segment_article(article), strict=True):
        assert_partition(paragraph.text, [(s.start, s.end) for s in sents])
    check_golden(f"seed_{name}", "segments", segmentation_record(article, with_text=False))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_golden_sample_segmentation(path: Path) -> None:
    article = read_article(path)
    for paragraph, sents in zip(article.paragraphs, segment_article(article), strict=True):
        assert_partition(paragraph.text, [(s.start, s.end) for s in sents])
        # the paragraph is its sentences joined with single spaces (AlignedParagraph.text)
        assert " ".join(s.text for s in sents) == paragraph.text
    check_golden(path.stem, "segments", segmentation_record(article, with_text=True))


def test_samples_exist() -> None:
    assert len(SAMPLES) >= 2, "input/ should hold the sample articles"
