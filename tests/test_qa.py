"""Tests for bilingual.qa: the reviewer's findings."""

from __future__ import annotations

from bilingual.document import TermUse
from bilingual.qa import numbers, sentence_flags


def codes(flags: tuple) -> set[str]:  # type: ignore[type-arg]
    return {f.code for f in flags}


def test_numbers_normalise_digits_and_separators() -> None:
    assert numbers("وقع ٦٩ دولة و1,000 مندوب في 3.5 ساعة") == numbers(
        "69 states, 1000 delegates, 3.5 hours"
    )


def test_number_mismatch_is_flagged_both_ways() -> None:
    flags = sentence_flags(
        "p1.s1", "وقعت 69 دولة في 25 أكتوبر", "70 states signed on 25 October", "en"
    )
    [flag] = [f for f in flags if f.code == "number-mismatch"]
    assert "missing 69" in flag.message and "added 70" in flag.message


def test_untranslated_arabic_and_empty_and_copied() -> None:
    assert "untranslated-arabic" in codes(sentence_flags("s", "وقع الوزير", "signed الوزير", "en"))
    assert codes(sentence_flags("s", "وقع الوزير", "", "en")) == {"empty-translation"}
    assert codes(sentence_flags("s", "وقع الوزير", "وقع  الوزير", "en")) == {"untranslated"}
    assert sentence_flags("s", "وقع الوزير", "the minister signed", "en") == ()


def test_length_ratio_only_on_long_enough_sentences() -> None:
    src = "وقع الوزير على الاتفاقية في هانوي اليوم مع المندوبين"
    assert "short-translation" in codes(sentence_flags("s", src, "signed.", "en"))
    assert "long-translation" in codes(sentence_flags("s", src, "signed " * 40, "en"))
    assert "short-translation" not in codes(sentence_flags("s", "هانوي", "H", "en"))


def test_forced_term_flag_per_language() -> None:
    use = TermUse("unodc", "vi", "مكتب", 0, 4, "UNODC", "forced")
    assert "forced-term" in codes(sentence_flags("s", "مكتب", "UNODC", "vi", [use]))
    assert "forced-term" not in codes(sentence_flags("s", "مكتب", "UNODC", "en", [use]))
