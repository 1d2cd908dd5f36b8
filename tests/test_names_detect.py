"""Name candidates without a glossary: each heuristic, clitics, keys, glossary overlap,
common words left alone, and the span invariants on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.glossary.match import TermMatcher
from bilingual.glossary.term import Glossary, Term
from bilingual.names.detect import NameFinder, NameSpan

EMPTY = Glossary((), (), "none")


def glossary(*forms: str) -> Glossary:
    terms = tuple(
        Term(f"t{n}", "term", (form,), {"en": "X"}, None, Path("g.yaml"), n + 1)
        for n, form in enumerate(forms)
    )
    return Glossary(terms, (), "test")


def found(text: str, g: Glossary = EMPTY) -> dict[str, NameSpan]:
    return {s.surface: s for s in NameFinder(g).find(text)}


def test_a_title_before_a_name_gives_the_name_without_the_title() -> None:
    text = "وقال د. أحمد سالم إن الاجتماع ناجح، ورحب الوزير كريم حداد بالسيدة ماري لوبيز."
    names = found(text)
    assert set(names) == {"أحمد سالم", "كريم حداد", "ماري لوبيز"}
    span = names["أحمد سالم"]
    assert (span.kind, span.type) == ("title+name", "person")
    assert text[span.start : span.end] == "أحمد سالم"
    assert text[span.start - 3 : span.start] == "د. "  # the title stays outside the span
    assert list(found("د. أحمد سالم يتحدث إلى المندوبين")) == ["أحمد سالم"]  # not the verb


def test_a_credit_names_its_photographer_and_a_name_may_end_in_ali() -> None:
    names = found("الوفود في القاعة. (تصوير: منى علي)")
    assert list(names) == ["منى علي"]  # علي is a name here, not the preposition على


def test_a_one_letter_title_needs_its_dot_and_is_no_era_after_a_year() -> None:
    assert found("قال د أحمد سالم") == {}
    assert found("في عام 2020 م. وقال المندوبون") == {}
    assert list(found("وقال م. خالد يوسف")) == ["خالد يوسف"]


def test_after_a_plain_title_only_a_name_that_stands_alone_is_taken() -> None:
    """الفريق is a team as often as a general; an honorific is always followed by a name."""
    assert found("وقام الفريق بطلب وتنظيم اجتماع معه، ثم الأمين العام تقارير ومقترحات.") == {}
    assert found("يُجري الفريق تحقيقا رسميا. وقال المدير التنفيذي مكلفاً بالتعاون") == {}
    assert list(found("أكد الأمين العام تو لام، والرئيس لونغ كونغ")) == ["تو لام", "لونغ كونغ"]
    assert list(found("وعُيّن السيد يان كوبيش مؤخرا ممثلا")) == ["يان كوبيش"]


def test_transliterated_names_are_found_without_a_title() -> None:
    names = found("وشارك في الاجتماع وانغ تشيانغ، وفام مينه تشينه.")
    assert names["وانغ تشيانغ"].kind == "transliterated name"
    # a clitic is split off only where the text has the bare word too (see the clitic
    # test): here وفام stays whole, since فام, فو, وانغ, وليام start with those letters
    assert "وفام مينه تشينه" in names


def test_parenthesised_acronyms_and_organisations_but_not_descriptions() -> None:
    text = (
        "أعلن المكتب (UNODC) وقال السيد جون سميث (مدير مكتب الرصد الإقليمي) إن "
        "الخبيرة (مكتب الأمم المتحدة المعني بالمخدرات والجريمة) حضرت."
    )
    names = found(text)
    assert names["UNODC"].kind == "parenthesised"
    assert names["UNODC"].type == "organization"
    assert names["مكتب الأمم المتحدة المعني بالمخدرات والجريمة"].type == "organization"
    assert not any(s.startswith("مدير") for s in names)


def test_organisations_run_over_their_definite_words_and_stop_at_a_conjunction() -> None:
    text = "وأعلنت وزارة الأمن العام ومنظمة الصحة العالمية والدول الأعضاء أن وزارة الداخلية والشرطة"
    names = found(text)
    assert names["وزارة الأمن العام"].kind == "organization"
    assert names["منظمة الصحة العالمية"].word_start == text.index("ومنظمة")
    assert names["منظمة الصحة العالمية"].start == text.index("منظمة")
    assert "وزارة الداخلية" in names  # not "وزارة الداخلية والشرطة"


def test_an_organisation_stops_before_the_sentences_own_nouns() -> None:
    names = found("يود مجلس الأمن الإعراب عن قلقه، ودعت لجنة الخبراء المعنية.")
    assert names == {}  # مجلس الأمن alone and لجنة الخبراء need a second word (weak heads)
    assert list(found("لجنة الخبراء المعنية بالمياه")) == ["لجنة الخبراء المعنية بالمياه"]
    text = "منظمة الأمم المتحدة للتربية والعلم والثقافة"
    assert list(found(f"وقالت {text} إن")) == [text]


def test_a_weak_head_needs_two_words_so_common_phrases_are_left_alone() -> None:
    assert found("وبلغت قيمة برنامج الدعم 3.5 مليون دولار.") == {}
    assert list(found("وقالت لجنة المياه الدولية")) == ["لجنة المياه الدولية"]


def test_latin_names_inside_arabic_but_not_urls_or_lowercase_words() -> None:
    text = "وقال Tran Van Nam إن email و https://Example.org/News لا تكفي. ![x](https://A.B/C)"
    names = found(text + " وقال General إن ASEAN و NGO")
    assert list(names) == ["Tran Van Nam", "ASEAN", "NGO"]  # one capitalised word: no
    assert names["Tran Van Nam"].kind == "latin name"


def test_common_words_are_not_taken_for_names() -> None:
    text = (
        "عقد وزراء الداخلية اجتماعا حول التعاون في مكافحة الجرائم الإلكترونية يوم 12 مارس. "
        'وافتتح الوزير الاجتماع صباح الثلاثاء. وقال الوزير: "التعاون الدولي ضروري". '
        "ودعم التدريب للشرطة والقضاة، وحماية الأطفال على الإنترنت. تشجيع الشباب."
    )
    assert found(text) == {}


def test_a_clitic_is_outside_the_name_and_keys_ignore_clitics_and_spelling() -> None:
    text = (
        "التقى لونغ تام كوانغ بنظيره، وأشاد ولونغ تام كوانغ بوزارة الأمن العام ولوزارة الامن العام."
    )
    spans = NameFinder(EMPTY).find(text)
    longs = [s for s in spans if "تام" in s.surface]
    assert [s.surface for s in longs] == ["لونغ تام كوانغ", "لونغ تام كوانغ"]
    assert longs[1].word_start == longs[1].start - 1  # the و of ولونغ
    ministries = [s for s in spans if s.kind == "organization"]
    assert [text[s.word_start : s.start] for s in ministries] == ["ب", "ول"]
    assert len({s.key for s in ministries}) == 1  # الأمن and الامن: one name
    finder = NameFinder(EMPTY)
    assert finder.key("أحمد سالم") == finder.key("احمـد سَالم") == finder.key("إحمد سالم")


def test_a_name_starting_with_a_clitic_letter_keeps_it_when_the_text_lacks_the_bare_word() -> None:
    names = found("وشارك وانغ تشون في الحفل.")
    assert "وانغ تشون" in names  # وانغ is a name, not و + انغ


def test_glossary_matches_are_never_candidates() -> None:
    text = "وقال السيد جون سميث إن وزارة الأمن العام ستحضر، ومعه الجنرال لونغ تام كوانغ."
    g = glossary("جون سميث", "وزارة الأمن العام")
    spans = NameFinder(g).find(text)
    assert [s.surface for s in spans] == ["لونغ تام كوانغ"]
    matches = TermMatcher(g).find(text)
    for s in spans:
        assert all(s.end <= m.word_start or m.end <= s.word_start for m in matches)


def test_the_samples_names_repeat_across_two_articles() -> None:
    """input/004 repeats a person's name and shares د. أحمد سالم with input/001."""
    from conftest import REPO

    finder = NameFinder(EMPTY)
    keys = [
        [s.key for s in finder.find(p.read_text(encoding="utf-8"))]
        for p in (REPO / "input/001_sample_meeting.txt", REPO / "input/004_sample_closing.txt")
    ]
    salem = finder.key("أحمد سالم")
    assert salem in keys[0] and keys[1].count(salem) >= 2
    assert keys[1].count(finder.key("نادية حداد")) == 2


ARABIC_BITS = st.sampled_from(
    [
        "د.", "السيد", "الوزير", "وزارة", "الأمن", "العام", "لونغ", "تام", "كوانغ", "ولونغ",
        "(", ")", "UNODC", "Tran", "Van", ":", "تصوير", "،", ".", "منظمة", "الصحة", "علي",
        "في", "https://x.org/A", "جون", "سميث", "لجنة", "والجريمة", "بالمخدرات", "\n", "ـ", "ً",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ARABIC_BITS, st.text(max_size=4)), max_size=30), st.booleans())
def test_spans_are_sorted_disjoint_and_cut_from_the_text(parts: list[str], with_g: bool) -> None:
    text = " ".join(parts)
    g = glossary("وزارة الأمن العام", "جون سميث") if with_g else EMPTY
    spans = NameFinder(g).find(text)
    last = 0
    for s in spans:
        assert last <= s.word_start <= s.start < s.end <= len(text)
        assert s.surface == text[s.start : s.end]
        assert s.key and s.kind and s.type
        last = s.end
    for m in TermMatcher(g).find(text):
        assert all(s.end <= m.word_start or m.end <= s.word_start for s in spans)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وحضر الدكتور أحمد سالم الاجتماع.", "أحمد سالم"),
        ("وقال السيد خالد يوسف للصحفيين إن الاجتماع ناجح.", "خالد يوسف"),
        ("والتقى الوزير بالسيد خالد يوسف في هانوي.", "خالد يوسف"),
        ("وقال الشيخ عبد الله الأحمد إن الوفد وصل.", "عبد الله"),
    ],
)
def test_a_name_stops_before_the_word_the_sentence_says_next(text: str, name: str) -> None:
    """A word with the article after a name is the sentence going on, not a family name:
    a repeated name is locked, so one word too many would be written into every article."""
    found = [s.surface for s in NameFinder(Glossary((), (), "none")).find(text)]
    assert found == [name]
