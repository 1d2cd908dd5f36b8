"""Arabic normalisation and term matching: unit tests and hypothesis properties."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bilingual.glossary import Glossary, Term, TermMatch, TermMatcher
from bilingual.lang import ar
from bilingual.lang.ar import normalize_arabic


def glossary(*terms: tuple[str, str | tuple[str, ...]]) -> Glossary:
    made = tuple(
        Term(
            tid,
            "term",
            (forms,) if isinstance(forms, str) else forms,
            {"en": tid},
            None,
            Path("t.yaml"),
            n + 1,
        )
        for n, (tid, forms) in enumerate(terms)
    )
    return Glossary(made, (Path("t.yaml"),), "test")


def find(text: str, *terms: tuple[str, str | tuple[str, ...]]) -> tuple[TermMatch, ...]:
    return TermMatcher(glossary(*terms)).find(text)


def spans(text: str, *terms: tuple[str, str | tuple[str, ...]]) -> list[tuple[str, str, str]]:
    """(term id, whole word with clitic, term surface) for every match."""
    return [
        (m.term_id, text[m.word_start : m.end], text[m.start : m.end]) for m in find(text, *terms)
    ]


# -- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("مُحَمَّدٌ", "محمد"),  # harakat, shadda, tanwin
        ("قُرْآن", "قران"),  # sukun, madda
        ("هٰذا", "هذا"),  # superscript alef
        ("الـــمتحدة", "المتحده"),  # tatweel; ta marbuta -> ha
        ("أحمد إبراهيم آمن ٱلله", "احمد ابراهيم امن الله"),  # hamza / madda / wasla alef
        ("على مستشفى", "علي مستشفي"),  # alef maqsura -> ya
        ("مؤتمر مسائل", "موتمر مسايل"),  # hamza on waw / ya
        ("ﻻ ﺍﻟﺴﻼﻡ", "لا السلام"),  # presentation forms, lam-alef ligature
        ("UNODC Tô Lâm ÉTAT", "unodc to lam etat"),  # Latin casefolded, accents dropped
        ("٢٠٢٥ ۱۲", "2025 12"),  # Arabic-Indic and Persian digits
        ("کتاب فارسی", "كتاب فارسي"),  # Persian keheh and yeh
        ("مجلس\u200fالأمن\u200c", "مجلسالامن"),  # RLM and ZWNJ are format characters
    ],
)
def test_normalize(raw: str, norm: str) -> None:
    assert normalize_arabic(raw)[0] == norm


def test_ta_marbuta_is_optional() -> None:
    assert normalize_arabic("المتحدة")[0] == "المتحده"
    assert normalize_arabic("المتحدة", ta_marbuta=False)[0] == "المتحدة"


def test_index_maps_back_through_deletions_and_expansions() -> None:
    raw = "وَﻻ ﷲ"
    norm, index = normalize_arabic(raw)
    assert norm == "ولا الله"
    assert len(index) == len(norm)
    # و at 0; the fatha (1) is gone; ﻻ (2) became two letters; ﷲ (4) became four
    assert index == [0, 2, 2, 3, 4, 4, 4, 4]


@given(st.text(max_size=60))
def test_index_is_monotone_and_points_at_the_source_char(text: str) -> None:
    norm, index = normalize_arabic(text)
    assert len(index) == len(norm)
    assert index == sorted(index)
    assert all(0 <= i < len(text) for i in index)
    for j, i in enumerate(index):
        # each normalised char comes from the char it points at, normalised on its own
        assert norm[j] in normalize_arabic(text[i])[0]


# -- clitics, article, words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "surface"),
    [
        ("مجلس الأمن", "مجلس الأمن", "مجلس الأمن"),
        ("ومجلس الأمن", "ومجلس الأمن", "مجلس الأمن"),
        ("فمجلس الأمن", "فمجلس الأمن", "مجلس الأمن"),
        ("بمجلس الأمن", "بمجلس الأمن", "مجلس الأمن"),
        ("لمجلس الأمن", "لمجلس الأمن", "مجلس الأمن"),
        ("كمجلس الأمن", "كمجلس الأمن", "مجلس الأمن"),
        ("وبمجلس الأمن", "وبمجلس الأمن", "مجلس الأمن"),
        ("ولمجلس الأمن", "ولمجلس الأمن", "مجلس الأمن"),
        ("فبمجلس الأمن", "فبمجلس الأمن", "مجلس الأمن"),
        ("فلمجلس الأمن", "فلمجلس الأمن", "مجلس الأمن"),
        ("وكمجلس الأمن", "وكمجلس الأمن", "مجلس الأمن"),
    ],
)
def test_clitic_prefixes(text: str, word: str, surface: str) -> None:
    assert spans(f"قال {text} أمس", ("sc", "مجلس الأمن")) == [("sc", word, surface)]


@pytest.mark.parametrize(
    ("text", "word", "surface"),
    [
        ("الأمم المتحدة", "الأمم المتحدة", "الأمم المتحدة"),
        ("للأمم المتحدة", "للأمم المتحدة", "لأمم المتحدة"),  # ل + ال -> لل
        ("وللأمم المتحدة", "وللأمم المتحدة", "لأمم المتحدة"),
        ("فللأمم المتحدة", "فللأمم المتحدة", "لأمم المتحدة"),
        ("بالأمم المتحدة", "بالأمم المتحدة", "الأمم المتحدة"),
        ("وبالأمم المتحدة", "وبالأمم المتحدة", "الأمم المتحدة"),
        ("كالأمم المتحدة", "كالأمم المتحدة", "الأمم المتحدة"),
        ("والأمم المتحدة", "والأمم المتحدة", "الأمم المتحدة"),
    ],
)
def test_article_with_clitics_and_lam_lam(text: str, word: str, surface: str) -> None:
    assert spans(f"عمل {text} اليوم", ("un", "الأمم المتحدة")) == [("un", word, surface)]


def test_word_starting_with_lam_takes_lam_prefix() -> None:
    # ل + لجنة is written للجنة, and so is ل + اللجنة (the article's alef and lam go)
    assert spans("قدم للجنة تقريرا", ("c", "لجنة")) == [("c", "للجنة", "لجنة")]
    assert spans("قدم للجنة الدولية", ("icrc", "اللجنة الدولية")) == [
        ("icrc", "للجنة الدولية", "لجنة الدولية")
    ]
    assert spans("وللجنة الدولية", ("icrc", "اللجنة الدولية")) == [
        ("icrc", "وللجنة الدولية", "لجنة الدولية")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "الأمنية",  # a suffix glued after the form
        "مجلس الأمني",
        "تمجلس الأمن",  # letters glued before that are not a clitic
        "سمجلس الأمن",
        "مجالس الأمن",
        "مجلس، الأمن",  # a comma between the words
        "ومجلسالأمن",  # no space between the words
    ],
)
def test_whole_words_only(text: str) -> None:
    assert find(f"قال {text} أمس", ("sc", "مجلس الأمن")) == ()


def test_the_article_is_not_optional() -> None:
    # a form without ال does not match a word with it, and the other way round
    assert find("جاء الرئيس", ("p", "رئيس")) == ()
    assert find("جاء رئيس الوزراء", ("p", "الرئيس")) == ()
    assert [m.term_id for m in find("جاء الرئيس", ("p", "الرئيس"))] == ["p"]


def test_normalisation_applies_to_both_sides() -> None:
    text = "وَقَّعَ مُمَثِّلُو الاتّحادِ الأُورُوبيّ على الاتفاقيـــة"
    got = spans(
        text,
        ("eu", "الإتحاد الاوروبى"),  # the form itself has other hamza / maqsura spellings
        ("conv", "الاتفاقيه"),
    )
    assert got == [
        ("eu", "الاتّحادِ الأُورُوبيّ", "الاتّحادِ الأُورُوبيّ"),  # trailing diacritics kept
        ("conv", "الاتفاقيـــة", "الاتفاقيـــة"),
    ]
    assert find("الاتفاقية", ("conv", "الاتفاقيه")) != ()
    matcher = TermMatcher(glossary(("conv", "الاتفاقيه")), rules=ar.source_rules(ta_marbuta=False))
    assert matcher.find("الاتفاقية") == ()


def test_latin_forms_are_casefolded() -> None:
    assert spans("قال مكتب UNODC إن", ("u", "unodc")) == [("u", "UNODC", "UNODC")]
    assert spans("(صورة: NLĐ)", ("n", "nlđ")) == [("n", "NLĐ", "NLĐ")]


def test_separators_inside_a_form() -> None:
    g = (("gb", "غينيا - بيساو"),)
    assert [m.term_id for m in find("في غينيا-بيساو اليوم", *g)] == ["gb"]
    assert [m.term_id for m in find("في غينيا  -\nبيساو", *g)] == ["gb"]
    assert find("في غينيا بيساو", *g) == ()
    # any whitespace between words, newlines included
    assert [m.term_id for m in find("مجلس\n  الأمن", ("sc", "مجلس الأمن"))] == ["sc"]


# -- overlaps ----------------------------------------------------------------------------------


def test_longest_match_wins() -> None:
    got = spans(
        "أصدر مجلس الأمن الدولي قرارا بشأن الأمن",
        ("sec", "الأمن"),
        ("sc", "مجلس الأمن"),
        ("sci", "مجلس الأمن الدولي"),
    )
    assert got == [("sci", "مجلس الأمن الدولي", "مجلس الأمن الدولي"), ("sec", "الأمن", "الأمن")]


def test_longest_match_wins_even_when_it_starts_later() -> None:
    got = spans("حقوق الإنسان الأساسية", ("hr", "حقوق الإنسان"), ("hb", "الإنسان الأساسية"))
    assert got == [("hb", "الإنسان الأساسية", "الإنسان الأساسية")]


def test_equal_length_overlap_goes_to_the_earliest_start() -> None:
    got = spans("ألف باء جيم", ("b", "باء جيم"), ("a", "ألف باء"))
    assert got == [("a", "ألف باء", "ألف باء")]


def test_same_span_tie_goes_to_the_smaller_term_id() -> None:
    # two ids sharing a form is refused by validation, but the matcher must stay deterministic
    text = "عقد المجلس جلسة"
    assert [m.term_id for m in find(text, ("zeta", "المجلس"), ("alpha", "المجلس"))] == ["alpha"]
    assert [m.term_id for m in find(text, ("alpha", "المجلس"), ("zeta", "المجلس"))] == ["alpha"]


def test_match_reports_the_form_that_matched() -> None:
    (m,) = find("في فيتنام", ("vn", ("فييت نام", "فيتنام")))
    assert m.form == "فيتنام"
    assert m.word_start == m.start == 3


def test_empty_glossary_and_text() -> None:
    assert TermMatcher(Glossary((), (), "none")).find("مجلس الأمن") == ()
    assert find("", ("sc", "مجلس الأمن")) == ()


# -- properties --------------------------------------------------------------------------------

# Form letters and filler letters are disjoint, and neither holds a clitic letter (و ف ب ل
# ك) nor ا: a filler word can never equal a form, and nothing glued from the filler
# alphabet can pass for a clitic or the article.
FORM_LETTERS = "سشصضطظعغقمنهي"
FILLER_LETTERS = "ثجحخدذرزت"
HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"
CLITICS = ["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"]

words = st.text(alphabet=FORM_LETTERS, min_size=2, max_size=6)
forms = st.builds(
    lambda article, ws: ("ال" if article else "") + " ".join(ws),
    st.booleans(),
    st.lists(words, min_size=1, max_size=3),
)
fillers = st.lists(st.text(alphabet=FILLER_LETTERS, min_size=1, max_size=6), max_size=4)
separators = st.sampled_from([" ", "  ", "\n", "، ", ". ", " (", ") "])


def diacritise(word: str, marks: list[int]) -> str:
    """``word`` with a haraka after the letters picked by ``marks``."""
    return "".join(
        ch
        + (
            HARAKAT[marks[i % len(marks)] % len(HARAKAT)]
            if marks and marks[i % len(marks)] % 3 == 0
            else ""
        )
        for i, ch in enumerate(word)
    )


@settings(max_examples=300, deadline=None)
@given(
    form=forms,
    clitic=st.sampled_from(CLITICS),
    before=fillers,
    after=fillers,
    left=separators,
    right=separators,
    marks=st.lists(st.integers(0, 20), max_size=8),
)
@example(form="الامم", clitic="ل", before=[], after=[], left=" ", right=" ", marks=[])
def test_inserted_form_is_found_at_its_span(
    form: str,
    clitic: str,
    before: list[str],
    after: list[str],
    left: str,
    right: str,
    marks: list[int],
) -> None:
    stem = form[1:] if clitic.endswith("ل") and form.startswith("ال") else form  # لل
    stem = diacritise(stem, marks)
    head = " ".join(before) + left if before else ""
    text = head + clitic + stem + (right + " ".join(after) if after else "")
    (m,) = find(text, ("t", form))
    assert m.word_start == len(head)
    assert m.start == len(head) + len(clitic)
    assert m.end == len(head) + len(clitic) + len(stem)
    assert text[m.start : m.end] == stem


@settings(max_examples=300, deadline=None)
@given(
    form=forms,
    glue_before=st.text(alphabet=FILLER_LETTERS + "ال", max_size=3),
    glue_after=st.text(alphabet=FILLER_LETTERS + FORM_LETTERS + "وفبلكا", max_size=3),
    clitic=st.sampled_from(CLITICS),
)
def test_form_inside_a_longer_word_is_never_matched(
    form: str, glue_before: str, glue_after: str, clitic: str
) -> None:
    if not glue_before and not glue_after:
        glue_after = "ت"
    if glue_before in ("", "ل") and not glue_after:
        glue_after = "ت"  # "ل" alone is a clitic: glue something after instead
    text = f"ثم {clitic}{glue_before}{form}{glue_after} جاء"
    assert find(text, ("t", form)) == ()


vocab = ["مجلس", "الامن", "الدولي", "حقوق", "الانسان", "العامه", "الجمعيه", "لجنه"]


@settings(max_examples=200, deadline=None)
@given(
    text_words=st.lists(
        st.tuples(st.sampled_from(["", "و", "ب", "ل", "ول"]), st.sampled_from(vocab)),
        max_size=30,
    ),
    term_forms=st.lists(st.lists(st.sampled_from(vocab), min_size=1, max_size=3), max_size=8),
)
def test_results_are_sorted_and_never_overlap(
    text_words: list[tuple[str, str]], term_forms: list[list[str]]
) -> None:
    text = " ".join(c + w for c, w in text_words)
    terms = [(f"t{n}", " ".join(f)) for n, f in enumerate(term_forms)]
    matches = find(text, *terms)
    assert list(matches) == sorted(matches, key=lambda m: m.start)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.word_start
    forms_by_id = dict(terms)
    for m in matches:
        assert m.word_start <= m.start < m.end <= len(text)
        assert m.form == forms_by_id[m.term_id]
        surface = normalize_arabic(text[m.start : m.end])[0]
        assert surface in (m.form, m.form[1:])  # [1:]: the alef لل swallowed
