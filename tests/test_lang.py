"""Tests for bilingual.lang: languages as data, and the Arabic rules gathered in lang.ar."""

from __future__ import annotations

import pytest

from bilingual.lang import LANGUAGES, ar, language, language_name, source_rules


def test_registry_knows_each_language_by_its_code() -> None:
    assert set(LANGUAGES) == {"ar", "en", "vi"}
    assert [language(c).name for c in ("ar", "en", "vi")] == ["Arabic", "English", "Vietnamese"]
    assert language("ar").rtl and not language("en").rtl
    assert language_name("xx") == "xx"
    with pytest.raises(KeyError):
        language("xx")


def test_only_a_source_language_has_source_rules() -> None:
    assert source_rules("ar").normalize("أحمد")[0] == "احمد"
    with pytest.raises(KeyError, match="not a source language"):
        source_rules("en")


def test_clitic_stems() -> None:
    assert ar.stems("مجلس") == [(0, "مجلس")]
    assert (1, "مجلس") in ar.stems("ومجلس")
    assert (2, "مجلس") in ar.stems("وبمجلس")
    # ل + ال written لل: the article's alef, and before a lam word its lam too
    assert (1, "الامم") in ar.stems("للامم")
    assert (1, "اللجنه") in ar.stems("للجنه")
    assert all(stem for _, stem in ar.stems("و"))


def test_arabic_script_helpers() -> None:
    assert ar.is_arabic_letter("ب") and not ar.is_arabic_letter("٣")
    assert ar.without_clitic("وللامم") == "الامم"  # normalised tokens, as suggest sees them
    assert ar.without_clitic("والتعاون") == "التعاون"
    assert ar.is_definite("والأمن") and not ar.is_definite("أمن")
    assert ar.is_stop("وفي") and not ar.is_stop("مجلس")
