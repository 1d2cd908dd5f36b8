"""Tests for bilingual.qa: the reviewer's findings."""

from __future__ import annotations

import pytest

from bilingual.document import TermUse
from bilingual.qa import LEVELS, article_flags, line_span, numbers, translation_flags


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
    assert flag.code == "repeated-paragraph" and "lines 3\u20134" in flag.message
    assert "lines 9\u201310" in flag.message and flag.lang is None
    # a one-line paragraph is "line 3", never "lines 3-3"
    single = ArticleInfo(Path("a.txt"), "a", "utf-8", None, (), (Repeat(0, (3, 3), (7, 7)),))
    [flag] = article_flags(single)
    assert "(line 3)" in flag.message and "at line 7;" in flag.message
    assert "3\u20133" not in flag.message and "lines 3" not in flag.message


def test_line_span() -> None:
    assert line_span(3, 3) == "line 3"
    assert line_span(3, 5) == "lines 3\u20135"


# -- numbers in disguise: dates, ordinals, number words, separators, percentages ----------

AGREE = [
    # month names against digits, in every language and both directions
    ("وقعت الاتفاقية في 12 مارس", "Hiệp định được ký ngày 12 tháng 3", "vi"),
    ("وقعت الاتفاقية في 12 مارس", "Hiệp định được ký ngày 12 tháng Ba", "vi"),
    ("في 31 ديسمبر", "ngày 31 tháng Mười Hai", "vi"),
    ("في 31 ديسمبر", "ngày 31 tháng Chạp", "vi"),
    ("في 2 يناير", "ngày 2 tháng Giêng", "vi"),
    ("في 1 يناير", "vào ngày 1 tháng 1", "vi"),
    ("في 5 مايو 2024", "ngày 5 tháng 5 năm 2024", "vi"),
    ("وقعت في 25 أكتوبر 2024", "signed on 25/10/2024", "en"),
    ("وقعت في 25/10/2024", "signed on 25 October 2024", "en"),
    ("وقعت في 25/10/2024", "signed on Oct. 25, 2024", "en"),
    ("وقعت في 25 تشرين الأول", "signed on 25 October", "en"),
    ("وقعت في 25 تشرين الأول", "ký ngày 25 tháng 10", "vi"),
    ("في 3 كانون الثاني", "on 3 January", "en"),
    ("في 3 كانون الثاني", "ngày 3 tháng 1", "vi"),
    ("في 8 آب", "on 8/8", "en"),
    ("في 14 جويلية", "ngày 14 tháng 7", "vi"),
    ("في ٢٥ أكتوبر", "ngày 25 tháng 10", "vi"),
    # ordinals and number words
    ("الدورة الثالثة", "the 3rd session", "en"),
    ("الدورة الثالثة", "phiên thứ 3", "vi"),
    ("الدورة 3", "the third session", "en"),
    ("الدورة 3", "phiên họp thứ ba", "vi"),
    ("في الأول من يناير", "on 1 January", "en"),
    ("للمرة الثانية", "for the 2nd time", "en"),
    ("ثلاثة أيام", "3 days", "en"),
    ("3 أيام", "three days", "en"),
    ("ثلاثة أيام", "3 ngày", "vi"),
    ("الدورة 25", "the twenty-fifth session", "en"),
    ("أحد عشر بلدا", "11 countries", "en"),
    # Arabic-Indic and Persian digits, separators, scales
    ("وقع ٦٩ دولة", "69 states signed", "en"),
    ("وقع ۶۹ دولة", "69 nước đã ký", "vi"),
    ("١٬٢٠٠ مندوب", "1,200 delegates", "en"),
    ("1,000 مندوب", "1.000 đại biểu", "vi"),
    ("1,000 مندوب", "1,000 delegates", "en"),
    ("1,000 مندوب", "1\u00a0000 delegates", "en"),
    ("1,000 مندوب", "1\u202f000 delegates", "en"),
    ("2,500,000 دولار", "2.500.000 đô la", "vi"),
    ("1.5 مليون دولار", "1,5 triệu đô la", "vi"),
    ("1.5 مليون دولار", "$1,500,000", "en"),
    ("3 مليارات دولار", "3 billion dollars", "en"),
    ("5 آلاف شخص", "5,000 people", "en"),
    # percentages
    ("ارتفع بنسبة ٣٫٥٪", "rose by 3.5 percent", "en"),
    ("ارتفع بنسبة ٣٫٥٪", "tăng 3,5%", "vi"),
    ("ارتفع بنسبة 3.5%", "tăng 3,5 phần trăm", "vi"),
    ("ارتفع بنسبة 50 في المائة", "tăng 50 phần trăm", "vi"),
    ("ارتفع بنسبة %50", "rose by 50%", "en"),
]


@pytest.mark.parametrize(("source", "target", "lang"), AGREE)
def test_numbers_in_disguise_agree(source: str, target: str, lang: str) -> None:
    flags = translation_flags(source, target, lang)
    assert "number-mismatch" not in codes(flags), [f.message for f in flags]


DIFFER = [
    ("وقعت 69 دولة في 25 أكتوبر", "70 states signed on 25 October", "en", "missing 69; added 70"),
    ("في 5 مارس 2024", "ngày 6 tháng 3 năm 2024", "vi", "missing 5; added 6"),
    ("ارتفع بنسبة ٣٫٥٪", "tăng 3,6%", "vi", "missing 3.5; added 3,6"),
    ("1,000 مندوب", "10.000 đại biểu", "vi", "missing 1,000; added 10.000"),
    ("الدورة 3", "the fourth session", "en", "missing 3"),
    ("في مارس", "in March 2024", "en", "added 2024"),
    ("1.5 مليون دولار", "$2,500,000", "en", "missing 1.5; added 2,500,000"),
]


@pytest.mark.parametrize(("source", "target", "lang", "message"), DIFFER)
def test_a_number_really_missing_or_added_is_an_error(
    source: str, target: str, lang: str, message: str
) -> None:
    [flag] = [f for f in translation_flags(source, target, lang) if f.code == "number-mismatch"]
    assert flag.level == "error" and flag.message.endswith(message), flag.message


def test_a_word_alone_never_makes_a_finding() -> None:
    # "May" and "một" may or may not be numbers: only digits are ever reported
    assert translation_flags("قد يأتي", "he may come in a month or two", "en") == ()
    assert "number-mismatch" not in codes(translation_flags("في مايو", "vào tháng Năm", "vi"))


def test_numbers_read_each_language_separators() -> None:
    assert numbers("1.000 và 3,5", "vi") == numbers("1,000 and 3.5", "en")
    assert numbers("1.000", "en") == {"1": 1} and numbers("1.000", "vi") == {"1000": 1}
    assert numbers("١٬٢٠٠٫٥ و 12.3.2024", "ar") == {"1200.5": 1, "12": 1, "3": 1, "2024": 1}


def test_levels_mean_what_they_say() -> None:
    assert set(LEVELS) == {"error", "warning", "info"}
    use = TermUse("unodc", "مكتب", 0, 4, "UNODC", "forced")
    levels = {
        f.code: f.level
        for f in translation_flags("مكتب 69 شخصا", "UNODC 70 people مكتب", "en", [use])
    }
    assert levels == {
        "number-mismatch": "error",
        "untranslated-arabic": "warning",
        "forced-term": "info",
    }
    assert translation_flags("وقع الوزير", "", "en")[0].level == "error"


def test_forced_terms_of_a_sentence_are_one_finding_naming_each() -> None:
    a = TermUse("unodc", "مكتب", 0, 4, "UNODC", "forced")
    b = TermUse("ebrd", "البنك", 5, 10, "EBRD", "forced")
    [flag] = translation_flags("مكتب البنك", "UNODC and EBRD", "en", [a, b, a])
    assert flag.code == "forced-term" and "'unodc'" in flag.message and "'ebrd'" in flag.message
