"""Tests for bilingual.names.keep: one rendering per new name across the articles of a run.

The translator double renders the same name differently by context (as MT models do with
transliterations); after the names stage and the locking, every occurrence carries one
rendering, the model's rendering of the name itself, strategy ``auto``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from test_translate import Scripted

import bilingual.glossary  # noqa: F401  # the glossary package first, as the CLI imports it
from bilingual.document import Segment
from bilingual.glossary import Glossary, Term
from bilingual.memory.names import StoredName
from bilingual.names.keep import KeptNames, auto_id, clean_rendering, keep_names, name_key, slug
from bilingual.translate import Hop, Recalled, Route, translate_segments

NAME = "أحمد سالم"
LATIN = re.compile(r"[A-Za-z][A-Za-z .'-]*[A-Za-z]")


class ByContext(Scripted):
    """A model double: the name alone is "Ahmed Salem."; inside a sentence its spelling
    depends on the verb around it; injected Latin text is copied through."""

    def __init__(self, alone: Callable[[str], str] | None = None) -> None:
        self.alone = alone or (lambda s: "Ahmed Salem.")
        super().__init__(lambda s: self.alone(s) if s == NAME else self.in_context(s))

    @staticmethod
    def in_context(s: str) -> str:
        if NAME not in s and "سالم" not in s:
            latin = LATIN.findall(s)
            return f"Dr. {latin[0]} spoke." if latin else "The meeting went on."
        if "قال" in s:
            return "Dr. Ahmad Salim said so."
        return "Dr. Ahmed Saalem agreed."


def _articles() -> list[tuple[str, list[Segment]]]:
    one = [
        Segment("p1.s1", 1, "ar", f"وقال د. {NAME} إن الاجتماع ناجح."),
        Segment("p1.s2", 2, "ar", f"وأكد د. {NAME} أن الدول ستعمل معا."),
    ]
    two = [Segment("p1.s1", 1, "ar", f"وأكد د. {NAME} أهمية التعاون.")]
    return [("001_meeting", one), ("002_signing", two)]


def _run(
    translator: ByContext,
    glossary: Glossary | None = None,
    stored: Callable[[Sequence[str]], Mapping[str, Mapping[str, StoredName]]] | None = None,
) -> tuple[list[tuple[str, list[Segment]]], KeptNames]:
    glossary = glossary or Glossary((), (), "none")
    route = Route("ar", (Hop("ar", "en", translator),))
    articles = _articles()
    kept = keep_names(articles, glossary, route, stored)
    flat = [s for _, segments in articles for s in segments]
    translated = translate_segments(flat, route, kept.glossary)
    out, k = [], 0
    for name, segments in articles:
        out.append((name, translated[k : k + len(segments)]))
        k += len(segments)
    return out, kept


def test_every_occurrence_in_every_article_gets_the_one_rendering() -> None:
    translator = ByContext()
    out, _ = _run(translator)
    for _, segments in out:
        for s in segments:
            assert "Ahmed Salem" in (s.text("en") or ""), s.text("en")
            [use] = s.renderings["en"].terms
            assert (use.origin, use.rendering) == ("auto", "Ahmed Salem")
    assert NAME in translator.inputs  # the name was translated alone, once
    assert translator.inputs.count(NAME) == 1


def test_without_the_names_stage_the_model_spells_the_name_three_ways() -> None:
    """The double really is inconsistent: what the stage fixes is there to fix."""
    translator = ByContext()
    route = Route("ar", (Hop("ar", "en", translator),))
    flat = [s for _, segments in _articles() for s in segments]
    texts = {s.text("en") for s in translate_segments(flat, route, Glossary((), (), "none"))}
    assert texts == {"Dr. Ahmad Salim said so.", "Dr. Ahmed Saalem agreed."}


def test_the_listing_names_the_first_place_and_the_counts() -> None:
    out, kept = _run(ByContext())
    listing = kept.listing(out)
    [first] = listing["001_meeting"]
    [second] = listing["002_signing"]
    assert (first.first_article, first.first_segment) == ("001_meeting", "p1.s1")
    assert (first.count, first.count_here, second.count_here) == (3, 2, 1)
    assert first.origin == "model" and first.renderings == {"en": "Ahmed Salem"}
    assert first.term_id == auto_id(name_key("ar", "احمد سالم"))
    command = first.command()
    assert command.startswith("bilingual glossary add --id ahmed-salem --type person")
    assert f"--ar '{NAME}'" in command and "--en 'Ahmed Salem'" in command


def test_a_reviewed_rendering_in_the_memory_beats_the_model() -> None:
    translator = ByContext()
    asked: list[str] = []

    def stored(keys: Sequence[str]) -> dict[str, dict[str, StoredName]]:
        asked.extend(keys)
        key = name_key("ar", "احمد سالم")
        row = StoredName(key, "ar", NAME, "en", "Ahmad Salem", "reviewed")
        return {key: {"en": row}} if key in keys else {}

    out, kept = _run(translator, stored=stored)
    assert asked  # only the run's names are asked for
    for _, segments in out:
        for s in segments:
            assert "Ahmad Salem" in (s.text("en") or "")
    assert NAME not in translator.inputs  # the model was not asked for the name
    [name] = kept.listing(out)["001_meeting"]
    assert name.origin == "reviewed"
    assert kept.to_store(("en",), "ar") == []


def test_a_glossary_term_beats_the_memory_and_the_model() -> None:
    term = Term("salem", "person", (NAME,), {"en": "Ahmed Salim"}, None, Path("g.yaml"), 1)
    glossary = Glossary((term,), (Path("g.yaml"),), "g")

    def stored(keys: Sequence[str]) -> dict[str, dict[str, StoredName]]:
        key = name_key("ar", "احمد سالم")
        return {key: {"en": StoredName(key, "ar", NAME, "en", "Ahmad Salem", "reviewed")}}

    out, kept = _run(ByContext(), glossary, stored)
    assert kept.auto == ()
    for _, segments in out:
        for s in segments:
            [use] = s.renderings["en"].terms
            assert (use.term_id, use.origin, use.rendering) == ("salem", "glossary", "Ahmed Salim")


def test_a_draft_without_a_rendering_is_filled_and_stays_a_draft() -> None:
    draft = Term("salem", "person", (NAME,), {}, None, Path("g.yaml"), 1, "draft")
    out, kept = _run(ByContext(), Glossary((draft,), (Path("g.yaml"),), "g"))
    for _, segments in out:
        for s in segments:
            [use] = s.renderings["en"].terms
            assert (use.term_id, use.origin, use.rendering) == ("salem", "draft", "Ahmed Salem")
    [name] = kept.listing(out)["002_signing"]
    assert name.draft and name.command() == (
        "bilingual glossary set salem --en 'Ahmed Salem' && bilingual glossary confirm salem"
    )


def test_a_name_seen_once_and_unknown_to_the_memory_is_left_to_the_model() -> None:
    translator = ByContext()
    route = Route("ar", (Hop("ar", "en", translator),))
    articles = [("a", [Segment("p1.s1", 1, "ar", f"وقال د. {NAME} إن الاجتماع ناجح.")])]
    kept = keep_names(articles, Glossary((), (), "none"), route)
    assert kept.auto == () and NAME not in translator.inputs


@pytest.mark.parametrize("answer", ["", "أحمد سالم", "  .  "])
def test_a_name_the_model_cannot_render_is_not_kept(answer: str) -> None:
    _, kept = _run(ByContext(alone=lambda s: answer))
    assert kept.auto == ()


def test_the_memory_gets_each_new_rendering_once_and_knows_where_it_came_from() -> None:
    _, kept = _run(ByContext())
    [row] = kept.to_store(("en",), "ar")
    assert (row.rendering, row.status, row.article, row.segment) == (
        "Ahmed Salem",
        "auto",
        "001_meeting",
        "p1.s1",
    )


def test_cleaning_a_name_translated_alone() -> None:
    assert clean_rendering(' "Ahmed  Salem." ') == "Ahmed Salem"
    assert clean_rendering("(UNODC)") == "UNODC"
    assert clean_rendering("أحمد") == ""
    assert clean_rendering("...") == ""
    assert slug("Lương Tam Quang") == "luong-tam-quang"


def test_a_reviewers_text_is_never_rewritten_to_fit_a_kept_name() -> None:
    """The reviewer named him otherwise: the text stays, the use is not claimed."""
    translator = ByContext()
    route = Route("ar", (Hop("ar", "en", translator),))
    articles = _articles()
    kept = keep_names(articles, Glossary((), (), "none"), route)
    flat = [s for _, segments in articles for s in segments]
    reviewer = "Dr. Salem, the host, said so."
    recalled = [{"en": Recalled(reviewer)}, {}, {}]
    out = translate_segments(flat, route, kept.glossary, recalled=recalled)
    assert out[0].text("en") == reviewer and out[0].renderings["en"].terms == ()
    assert all("Ahmed Salem" in (s.text("en") or "") for s in out[1:])


def test_a_name_followed_by_many_different_words_is_one_kept_name() -> None:
    """Issue 18: after a title the span ran on into the next word (``السيد جون سميث
    سيزور``), so one person repeated thousands of times became three kept names."""
    after = ["سيزور المدينة", "يقول كلاما", "قال ذلك", "في المدينة", "سيلتقي الوفد", "وصل"]
    segments = [
        Segment(f"p1.s{n}", n, "ar", f"وصل السيد جون سميث {after[n % len(after)]} اليوم.")
        for n in range(1, 61)
    ]
    translator = Scripted(lambda s: "John Smith." if s == "جون سميث" else "x")
    route = Route("ar", (Hop("ar", "en", translator),))
    kept = keep_names([("001_visit", segments)], Glossary((), (), "none"), route)
    assert [(a.term.forms, a.term.renderings["en"]) for a in kept.auto] == [
        (("جون سميث",), "John Smith")
    ]


def test_a_longer_name_settles_only_on_a_person_of_two_words() -> None:
    from bilingual.names.detect import NameFinder
    from bilingual.names.keep import settle_extents

    finder = NameFinder(Glossary((), (), "none"))
    texts = ["وصل السيد محمد قال", "وصل السيد محمد بن سلمان يقول", "وصل السيد جون سميث قال",
             "وصل السيد جون سميث سيزور البلد"]  # fmt: skip
    spans = [span for text in texts for span in finder.find(text)]
    assert [s.surface for s in spans] == [
        "محمد", "محمد بن سلمان يقول", "جون سميث", "جون سميث سيزور"
    ]  # fmt: skip
    settled = settle_extents(spans, finder)
    # one word alone (محمد) does not swallow every محمد ...
    assert [s.surface for s in settled] == ["محمد", "محمد بن سلمان يقول", "جون سميث", "جون سميث"]
    last = settled[-1]
    assert texts[-1][last.start : last.end] == "جون سميث" and last.key == settled[2].key
