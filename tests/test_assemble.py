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
