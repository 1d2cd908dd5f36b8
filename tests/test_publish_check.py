"""The check of a written edition (publish.check.verify): every sentence once, in order,
in its language and direction, and nothing reviewer-only; each fault it must catch is
put into otherwise good blocks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bilingual.errors import PublishError
from bilingual.publish.check import verify
from bilingual.publish.edition import (
    MACHINE_LEGEND,
    MACHINE_MARK,
    Block,
    Colophon,
    Edition,
    Publication,
    PublishedParagraph,
    PublishedSentence,
)

WHERE = Path("published/today.docx")
COLOPHON = Colophon("0.1.0", "src:ar|tgt:en", "", ("model: licence MIT",), ())


def _edition(name: str, texts: list[list[tuple[str, str]]]) -> Edition:
    """Paragraphs of (source, translation); sentence ids p1.s1, p1.s2, ..."""
    paragraphs = tuple(
        PublishedParagraph(
            "body",
            tuple(
                PublishedSentence(f"p{p}.s{s}", src, text, "approved")
                for s, (src, text) in enumerate(sentences, 1)
            ),
        )
        for p, sentences in enumerate(texts, 1)
    )
    first = texts[0][0]
    return Edition(name, "ar", "en", first[1], first[0], None, "2026-12-07", paragraphs, COLOPHON)


ONE = _edition(
    "one",
    [
        [("الوزير افتتح الجلسة.", "The minister opened the session."), ("وقال كلمة.", "He spoke.")],
        [("وقعت الدول الاتفاقية اليوم.", "The countries signed the convention today.")],
    ],
)
TWO = _edition("two", [[("الاتفاق نافذ.", "The agreement is in force now.")]])
DIGEST = Publication((ONE, TWO), digest="today", desk="Desk", date="2026-12-07")


def _good() -> list[Block]:
    return [
        Block("today", kind="meta"),
        Block(ONE.title, "en", False, "heading"),
        Block("The minister opened the session. He spoke.", "en", False),
        Block("The countries signed the convention today.", "en", False),
        Block("Translated by machine with bilingual 0.1.0", kind="meta"),
        Block(TWO.title, "en", False, "heading"),
        Block("The agreement is in force now.", "en", False),
    ]


def test_good_blocks_pass() -> None:
    verify(DIGEST, _good(), WHERE)


def test_a_title_that_is_the_lead_sentence_is_not_a_second_copy() -> None:
    # a PDF's text knows no headings: the title (the lead sentence whole) is plain text
    blocks = [dataclasses.replace(b, kind="text") for b in _good()]
    verify(DIGEST, blocks, WHERE)


def _fails(blocks: list[Block], words: str, publication: Publication = DIGEST) -> None:
    with pytest.raises(PublishError) as caught:
        verify(publication, blocks, WHERE)
    assert str(WHERE) in caught.value.message
    assert words in caught.value.message


def test_a_missing_sentence_is_named() -> None:
    blocks = _good()
    blocks[2] = Block("The minister opened the session.", "en", False)
    _fails(blocks, "sentence p1.s2 (en) of one is missing")


def test_a_sentence_shown_twice_is_caught() -> None:
    blocks = _good()
    blocks.insert(4, Block("The countries signed the convention today.", "en", False))
    _fails(blocks, "p2.s1 (en) of one is shown twice")


def test_a_paragraph_written_twice_in_a_row_is_caught() -> None:
    blocks = _good()
    blocks.insert(3, blocks[2])
    _fails(blocks, "is shown twice")


def test_sentences_out_of_order_are_caught() -> None:
    blocks = _good()
    blocks[2], blocks[3] = blocks[3], blocks[2]
    _fails(blocks, "out of order")


def test_articles_out_of_order_are_caught() -> None:
    blocks = _good()
    _fails([blocks[6], *blocks[:6]], "out of order")


def test_a_sentence_in_the_wrong_language_is_caught() -> None:
    blocks = _good()
    blocks[3] = dataclasses.replace(blocks[3], lang="ar")
    _fails(blocks, "marked as language 'ar'")


def test_a_region_subtag_is_the_same_language() -> None:
    blocks = [dataclasses.replace(b, lang="en-GB") if b.lang else b for b in _good()]
    verify(DIGEST, blocks, WHERE)


def test_the_arabic_beside_must_run_right_to_left() -> None:
    pub = dataclasses.replace(DIGEST, layout="side-by-side")
    rows: list[Block] = []
    for edition in pub.editions:
        for p in edition.paragraphs:
            rows.append(Block(" ".join(s.source for s in p.sentences), "ar", True, "cell"))
            rows.append(Block(" ".join(s.text for s in p.sentences), "en", False, "cell"))
    verify(pub, rows, WHERE)
    rows[0] = dataclasses.replace(rows[0], rtl=False)
    _fails(rows, "laid out left to right", pub)
    # side by side, the Arabic is a sentence to find like the translation
    _fails(rows[1:], "(ar) of one is missing", pub)


@pytest.mark.parametrize(
    "shown",
    [
        "1\u00a0The minister opened the session. 2\u00a0He spoke.",
        "The minister opened the session. 2 He spoke.",
    ],
)
def test_sentence_numbers_are_reviewer_only(shown: str) -> None:
    blocks = _good()
    blocks[2] = Block(shown, "en", False)
    _fails(blocks, "sentence number")


def _machine(edition: Edition, *ids: str) -> Edition:
    paragraphs = tuple(
        dataclasses.replace(
            p,
            sentences=tuple(
                dataclasses.replace(x, status="machine") if x.id in ids else x for x in p.sentences
            ),
        )
        for p in edition.paragraphs
    )
    return dataclasses.replace(edition, paragraphs=paragraphs)


UNREVIEWED = dataclasses.replace(DIGEST, editions=(_machine(ONE, "p1.s2"), TWO))


def _marked() -> list[Block]:
    blocks = [Block(MACHINE_LEGEND, kind="meta"), *_good()]
    blocks[3] = Block(f"The minister opened the session. {MACHINE_MARK} He spoke.", "en")
    return blocks


def test_machine_sentences_are_marked_and_the_mark_is_no_number() -> None:
    verify(UNREVIEWED, _marked(), WHERE)


def test_an_unmarked_machine_sentence_is_caught() -> None:
    blocks = _marked()
    blocks[3] = Block("The minister opened the session. He spoke.", "en")
    _fails(blocks, "p1.s2 (en) of one is a machine translation nobody reviewed", UNREVIEWED)


def test_a_reviewed_sentence_marked_as_machine_is_caught() -> None:
    blocks = _marked()
    blocks[3] = Block(f"{MACHINE_MARK} The minister opened the session. {MACHINE_MARK} He spoke.")
    _fails(blocks, "p1.s1 (en) of one was reviewed, yet is marked", UNREVIEWED)


def test_marks_need_their_legend() -> None:
    _fails(_marked()[1:], "without the legend", UNREVIEWED)


@pytest.mark.parametrize(
    "text",
    [
        "The minister opened the session. He spoke. \u2713 REVIEWED",
        "The minister opened the session. He spoke. \u2713\u2713 APPROVED",
        "The minister\u2020 opened the session. He spoke.",
        "\u25bc The minister opened the session. He spoke.",
        "The minister opened the session. \u25bd He spoke.",
    ],
)
def test_reviewer_marks_are_refused(text: str) -> None:
    blocks = _good()
    blocks[2] = Block(text, "en", False)
    _fails(blocks, "reviewer's mark")


@pytest.mark.parametrize(
    "heading", ["Quality checks", "Forced terms", "Appendix: glossary terms used"]
)
def test_reviewer_sections_are_refused(heading: str) -> None:
    blocks = [*_good(), Block(heading, kind="heading")]
    _fails(blocks, "reviewer's section")


def test_a_mark_the_article_itself_holds_is_allowed() -> None:
    dagger = _edition("d", [[("توفي \u2020 أمس.", "He died \u2020 yesterday.")]])
    pub = Publication((dagger,))
    verify(pub, [Block("He died \u2020 yesterday.")], WHERE)


def test_text_is_compared_as_shown_by_a_pdf() -> None:
    """pdftotext may give Arabic presentation forms and no-break spaces."""
    arabic = _edition("a", [[("لا شيء", "Nothing at\u00a0all here.")]])
    pub = dataclasses.replace(Publication((arabic,)), layout="side-by-side")
    # U+FEFB is the lam-alef ligature; the check reads it as the two letters
    verify(pub, [Block("\ufefb \u0634\u064a\u0621"), Block("Nothing  at all\nhere.")], WHERE)


def test_many_sentences_are_checked_in_one_pass() -> None:
    """A long digest (5,000 sentences): found in order by the moving cursor."""
    sentences = [[(f"جملة {n}.", f"Sentence number {n} of the long article.")] for n in range(5000)]
    long = _edition("long", sentences)
    blocks = [Block(p.sentences[0].text, "en", False) for p in long.paragraphs]
    verify(Publication((long,)), blocks, WHERE)
    blocks.append(blocks[1234])
    _fails(blocks, "p1235.s1 (en) of long is shown twice", Publication((long,)))
