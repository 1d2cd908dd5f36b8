"""Tests for bilingual.assemble: one article's translated segments become its briefing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.assemble import RunInfo, assemble_briefing
from bilingual.document import Article, Caption, Paragraph, Rendering, Repeat, Segment, TermUse
from bilingual.errors import OutputError
from bilingual.glossary import Glossary, Term
from bilingual.signature import Signature

SOURCE = "وصل الوفد إلى هانوي يوم 25 أكتوبر."
AT = SOURCE.index("هانوي")
HANOI = Term("hanoi", "place", ("هانوي",), {"en": "Hanoi", "vi": "Hà Nội"}, None, Path("g"), 1)
GLOSSARY = Glossary((HANOI,), (Path("g"),), "0123456789ab")
SIGNATURE = Signature("ar", ("en", "vi"), (), "0123456789ab", 4, "inject-first", "0.1.0")
RUN = RunInfo("ar", ("en", "vi"), (), SIGNATURE, "2026-11-23T08:30:00+00:00", "0.1.0")


def article(captions: tuple[Caption, ...] = ()) -> Article:
    return Article(
        Path("input/a.txt"),
        "a",
        "utf-8",
        None,
        (),
        (Repeat(0, (1, 1), (5, 5)),),
        paragraphs=(Paragraph(0, SOURCE, (1, 1)),),
        captions=captions,
    )


def use(strategy: str) -> TermUse:
    rendering = "Hà Nội" if strategy == "forced" else "Hanoi"
    return TermUse("hanoi", "هانوي", AT, AT + 5, rendering, strategy)  # type: ignore[arg-type]


def translated(vi_text: str = "Phái đoàn đến Hà Nội.") -> Segment:
    return Segment(
        "p1.s1",
        1,
        "ar",
        SOURCE,
        {
            "en": Rendering("The delegation reached Hanoi on 25 October.", (use("injected"),)),
            "vi": Rendering(vi_text, (use("forced"),)),
        },
    )


def test_flags_land_on_each_rendering_and_the_article_keeps_its_own() -> None:
    captions = (Caption("صورة من هانوي", None, 3, 0),)
    caption = Segment(
        "c1", 1, "ar", captions[0].text, {"en": Rendering("Hanoi"), "vi": Rendering("Hà Nội")}
    )
    briefing = assemble_briefing(article(captions), [[translated()]], [caption], GLOSSARY, RUN)
    [segment] = briefing.segments()
    vi_codes = [f.code for f in segment.renderings["vi"].flags]
    assert "number-mismatch" in vi_codes and "forced-term" in vi_codes
    assert all(f.lang == "vi" for f in segment.renderings["vi"].flags)
    assert [f.code for f in segment.renderings["en"].flags] == []
    assert [f.code for f in briefing.flags] == ["repeated-paragraph"]
    assert briefing.captions[0].caption == captions[0]
    assert briefing.captions[0].renderings["vi"].text == "Hà Nội"
    assert briefing.title == {
        "ar": SOURCE,
        "en": "The delegation reached Hanoi on 25 October.",
        "vi": "Phái đoàn đến Hà Nội.",
    }


def test_term_counts_count_source_occurrences_and_forced_renderings_in_every_target() -> None:
    briefing = assemble_briefing(article(), [[translated()]], [], GLOSSARY, RUN)
    [count] = briefing.terms
    assert (count.term_id, count.source, count.count, count.forced) == ("hanoi", "هانوي", 1, 1)
    assert count.renderings == {"en": "Hanoi", "vi": "Hà Nội"}


def test_an_empty_english_translation_is_refused() -> None:
    broken = translated().with_renderings({"en": Rendering(""), "vi": Rendering("x")})
    with pytest.raises(OutputError, match="English translation is empty"):
        assemble_briefing(article(), [[broken]], [], GLOSSARY, RUN)


CAPTION = Caption("صورة من هانوي", "تصوير: ليلى", 3, 0)
CAPTION_AT = CAPTION.text.index("هانوي")


def _caption_use(lang: str, strategy: str) -> TermUse:
    rendering = {"en": "Hanoi", "vi": "Hà Nội"}[lang]
    return TermUse("hanoi", "هانوي", CAPTION_AT, CAPTION_AT + 5, rendering, strategy)  # type: ignore[arg-type]


def _translated_caption(en: str = "injected", vi: str = "forced") -> Segment:
    return Segment(
        "c1",
        1,
        "ar",
        CAPTION.text,
        {
            "en": Rendering("A picture of Hanoi", (_caption_use("en", en),)),
            "vi": Rendering("Ảnh (Hà Nội)", (_caption_use("vi", vi),)),
        },
    )


def test_a_caption_is_checked_like_a_sentence() -> None:
    """A caption's renderings carry their term uses and get the same QA findings as a
    sentence's: a forced term is flagged, in its language."""
    briefing = assemble_briefing(
        article((CAPTION,)), [[translated()]], [_translated_caption("injected")], GLOSSARY, RUN
    )
    [caption] = briefing.caption_segments()
    assert caption.id == "c1"
    assert [u.strategy for _, u in caption.term_uses()] == ["injected", "forced"]
    assert [(f.code, f.lang) for f in caption.renderings["vi"].flags] == [("forced-term", "vi")]
    assert [f.code for f in caption.renderings["en"].flags] == []
    assert [s.id for s in briefing.all_segments()] == ["p1.s1", "c1"]


def test_term_counts_include_captions_and_count_forced_per_language() -> None:
    """The sentence and the caption each hold Hanoi once: 2 occurrences, forced in
    Vietnamese twice and in English never; no per-language figure exceeds the count."""
    briefing = assemble_briefing(
        article((CAPTION,)), [[translated()]], [_translated_caption("injected")], GLOSSARY, RUN
    )
    [count] = briefing.terms
    assert count.count == 2
    assert count.forced_by_lang == {"en": 0, "vi": 2}
    assert count.forced == 2
    assert all(n <= count.count for n in count.forced_by_lang.values())


def test_forced_in_both_languages_never_exceeds_the_count_in_either() -> None:
    both = Segment(
        "p1.s1",
        1,
        "ar",
        SOURCE,
        {
            "en": Rendering("Hanoi.", (TermUse("hanoi", "هانوي", AT, AT + 5, "Hanoi", "forced"),)),
            "vi": Rendering("Hà Nội.", (use("forced"),)),
        },
    )
    briefing = assemble_briefing(article(), [[both]], [], GLOSSARY, RUN)
    [count] = briefing.terms
    assert (count.count, count.forced, count.forced_by_lang) == (1, 2, {"en": 1, "vi": 1})
