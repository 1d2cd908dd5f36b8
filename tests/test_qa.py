"""Tests for bilingual.qa: the reviewer's findings."""

from __future__ import annotations

from bilingual.document import TermUse
from bilingual.qa import article_flags, numbers, translation_flags


def codes(flags: tuple) -> set[str]:  # type: ignore[type-arg]
    return {f.code for f in flags}


def test_numbers_normalise_digits_and_separators() -> None:
    assert numbers("وقع ٦٩ دولة و1,000 مندوب في 3.5 ساعة") == numbers(
        "69 states, 1000 delegates, 3.5 hours"
    )


def test_number_mismatch_is_flagged_both_ways() -> None:
    flags = translation_flags("وقعت 69 دولة في 25 أكتوبر", "70 states signed on 25 October", "en")
    [flag] = [f for f in flags if f.code == "number-mismatch"]
    assert "missing 69" in flag.message and "added 70" in flag.message


def test_untranslated_arabic_and_empty_and_copied() -> None:
    assert "untranslated-arabic" in codes(translation_flags("وقع الوزير", "signed الوزير", "en"))
    assert codes(translation_flags("وقع الوزير", "", "en")) == {"empty-translation"}
    assert codes(translation_flags("وقع الوزير", "وقع  الوزير", "en")) == {"untranslated"}
    assert translation_flags("وقع الوزير", "the minister signed", "en") == ()


def test_length_ratio_only_on_long_enough_sentences() -> None:
    src = "وقع الوزير على الاتفاقية في هانوي اليوم مع المندوبين"
    assert "short-translation" in codes(translation_flags(src, "signed.", "en"))
    assert "long-translation" in codes(translation_flags(src, "signed " * 40, "en"))
    assert "short-translation" not in codes(translation_flags("هانوي", "H", "en"))


def test_forced_term_flag_names_its_language_once() -> None:
    use = TermUse("unodc", "مكتب", 0, 4, "UNODC", "forced")
    again = TermUse("unodc", "مكتب", 6, 10, "UNODC", "forced")
    flags = translation_flags("مكتب و مكتب", "UNODC and UNODC", "vi", [use, again])
    assert [f.lang for f in flags if f.code == "forced-term"] == ["vi"]
    assert "forced-term" not in codes(translation_flags("مكتب", "UNODC", "en", []))


def test_article_flags_name_both_positions_once() -> None:
    from pathlib import Path

    from bilingual.document import ArticleInfo, Repeat

    repeat = Repeat(1, (3, 4), (9, 10))
    info = ArticleInfo(Path("a.txt"), "a", "utf-8", None, (), (repeat, repeat))
    [flag] = article_flags(info)
    assert flag.code == "repeated-paragraph" and "lines 3-4" in flag.message
    assert "lines 9-10" in flag.message and flag.lang is None
