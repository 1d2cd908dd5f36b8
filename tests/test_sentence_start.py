"""A glossary rendering at the start of a sentence, and where a forced rendering goes.

Capitalising the first letter of a lower-case rendering that starts a sentence is an
allowed change (like a leading "the" or a trailing "'s"): the locking takes
``Cybercrime rose`` as keeping ``cybercrime`` exactly, puts the capital on a rendering
it placed there itself, and every later stage (the next hop, the DOCX's bold terms, the
alignment check, a reviewer's text) finds the term the same way. A rendering written in
after decoding lands where its term sits in the sentence, never inside another term's
rendering and never appended at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bilingual._text import occurrences, rendering_spans, sentence_case
from bilingual.align import align_article
from bilingual.config import Settings
from bilingual.document import Segment
from bilingual.document.segment import Rendering, TermUse
from bilingual.docx_io.pieces import target_pieces
from bilingual.enforce import Requirement, lock, write_in
from bilingual.engine import Hypothesis, Translation, open_translator
from bilingual.glossary import Glossary, Term
from bilingual.ingest import read_article
from bilingual.segment import segment_article
from bilingual.translate import Hop, Recalled, Route, translate_segments

# -- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rendering", "count"),
    [
        ("Cybercrime rose by 3.5 percent.", "cybercrime", 1),
        ("cybercrime rose by 3.5 percent.", "cybercrime", 1),
        ('"Cybercrime rose," she said.', "cybercrime", 1),  # after an opening quote
        ("«Tội phạm mạng» tăng.", "tội phạm mạng", 1),
        ("Đường sắt mới.", "đường sắt", 1),  # Vietnamese đ -> Đ
        ("Cybercrime and cybercrime.", "cybercrime", 2),
        ("Signing ceremony of the United Nations", "signing ceremony of the United Nations", 1),
        # mid-sentence the rendering is exact, as before
        ("Police said Cybercrime rose.", "cybercrime", 0),
        ("The Cybercrime unit", "cybercrime", 0),
        # a rendering lower case on purpose is never changed, even at the start
        ("IPhone sales fell.", "iPhone", 0),
        ("iPhone sales fell.", "iPhone", 1),
        # only the first letter may change
        ("CYBERCRIME rose.", "cybercrime", 0),
        ("Cybercrimes rose.", "cybercrime", 0),
    ],
)
def test_a_rendering_may_take_the_capital_of_the_sentence_start(
    text: str, rendering: str, count: int
) -> None:
    assert occurrences(text, rendering) == count
    assert len(rendering_spans(text, rendering)) == count


@pytest.mark.parametrize(
    ("text", "renderings", "expected"),
    [
        ("cybercrime rose.", ["cybercrime"], "Cybercrime rose."),
        ('"cybercrime rose."', ["cybercrime"], '"Cybercrime rose."'),
        ("tội phạm mạng đã tăng.", ["tội phạm mạng"], "Tội phạm mạng đã tăng."),
        (
            "signing ceremony of the UN",
            ["signing ceremony of the UN"],
            "Signing ceremony of the UN",
        ),
        # not a term at the start: the model's words are the model's
        (
            "rose by 3 percent, cybercrime did.",
            ["cybercrime"],
            "rose by 3 percent, cybercrime did.",
        ),
        # a sentence that starts with a number keeps it
        ("3.5 percent more cybercrime.", ["cybercrime"], "3.5 percent more cybercrime."),
        # a term deliberately lower case
        ("iPhone sales fell.", ["iPhone"], "iPhone sales fell."),
        ("eBay cybercrime.", ["eBay", "cybercrime"], "eBay cybercrime."),
        # a rendering glued to more letters is not the rendering
        ("cybercrimes rose.", ["cybercrime"], "cybercrimes rose."),
    ],
)
def test_sentence_case_capitalises_only_a_term_that_starts_the_sentence(
    text: str, renderings: list[str], expected: str
) -> None:
    assert sentence_case(text, renderings) == expected


# -- the locking ladder ---------------------------------------------------------------------


class Scripted:
    """A translator answering ``answer(source, prefix)``; records its calls."""

    def __init__(self, answer: Callable[[str, str | None], str]) -> None:
        self.answer = answer
        self.inputs: list[str] = []

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        prefixes = list(target_prefixes) if target_prefixes else [None] * len(sentences)
        self.inputs.extend(sentences)
        out = []
        for sentence, prefix in zip(sentences, prefixes, strict=True):
            text = self.answer(sentence, prefix)
            out.append(Translation(text, 0.0, (Hypothesis(text, 0.0),)))
        return out


AR = "ارتفعت الجرائم الإلكترونية بنسبة 3.5 في المئة."
AR_TERM = "الجرائم الإلكترونية"


def _req(rendering: str = "cybercrime", source: str = AR, ar: str = AR_TERM) -> Requirement:
    at = source.index(ar)
    return Requirement("cybercrime", at, at + len(ar), rendering)


def test_a_capitalised_rendering_at_the_start_is_kept_not_forced() -> None:
    model = Scripted(lambda s, p: "Cybercrime rose by 3.5 percent.")
    [out] = lock(model, [AR], [[_req()]])
    assert (out.text, out.strategies) == ("Cybercrime rose by 3.5 percent.", ("injected",))
    assert len(model.inputs) == 1  # no repair was needed


def test_a_lower_case_rendering_the_model_put_first_takes_the_capital() -> None:
    model = Scripted(lambda s, p: "cybercrime rose by 3.5 percent.")
    [out] = lock(model, [AR], [[_req()]])
    assert (out.text, out.strategies) == ("Cybercrime rose by 3.5 percent.", ("injected",))


def test_a_rendering_forced_in_first_takes_the_capital() -> None:
    source = "الجرائم الإلكترونية ارتفعت."
    model = Scripted(lambda s, p: "rose sharply.")
    [out] = lock(model, [source], [[_req(source=source)]])
    assert out.strategies == ("forced",)
    assert out.text == "Cybercrime rose sharply."


def test_a_lower_case_rendering_mid_sentence_stays_lower_case() -> None:
    model = Scripted(lambda s, p: "Last year cybercrime rose.")
    [out] = lock(model, [AR], [[_req()]])
    assert out.text == "Last year cybercrime rose."


def test_a_sentence_that_starts_with_a_number_is_left_as_it_is() -> None:
    model = Scripted(lambda s, p: "3.5 percent more cybercrime.")
    [out] = lock(model, [AR], [[_req()]])
    assert out.text == "3.5 percent more cybercrime."


def test_a_capitalised_near_miss_is_still_repaired() -> None:
    """``Cybercrime`` mid-sentence is not the rendering: it is replaced, not taken."""
    model = Scripted(lambda s, p: (p or "") + " rose." if p else "The Cybercrime rose.")
    [out] = lock(model, [AR], [[_req()]])
    assert out.strategies == ("prefix",)
    assert out.text.startswith("The cybercrime")


def _glossary(*terms: tuple[str, str, dict[str, str]]) -> Glossary:
    made = tuple(
        Term(tid, "term", (ar,), renderings, None, Path("g.yaml"), n)
        for n, (tid, ar, renderings) in enumerate(terms, start=1)
    )
    return Glossary(made, (Path("g.yaml"),), "test")


CYBERCRIME = ("cybercrime", AR_TERM, {"en": "cybercrime", "vi": "tội phạm mạng"})


def test_the_next_hop_finds_the_capitalised_english_term() -> None:
    """en -> vi replaces the English rendering where the locking found it, capital and all;
    the Vietnamese rendering that comes out first takes the capital in turn."""
    to_en = Scripted(lambda s, p: "Cybercrime rose by 3.5 percent.")
    echo = Scripted(lambda s, p: s)  # copies its input: shows what the hop was given
    route = Route("ar", (Hop("ar", "en", to_en), Hop("en", "vi", echo)))
    (out,) = translate_segments([Segment("p1.s1", 1, "ar", AR)], route, _glossary(CYBERCRIME))
    assert echo.inputs == ["tội phạm mạng rose by 3.5 percent."]
    assert out.text("vi") == "Tội phạm mạng rose by 3.5 percent."
    assert [(u.rendering, u.strategy) for u in out.renderings["vi"].terms] == [
        ("tội phạm mạng", "injected")
    ]


def test_a_reviewed_text_with_the_old_rendering_first_is_updated() -> None:
    """A glossary update replaces the old rendering in a reviewer's text where it starts
    the sentence (capitalised), and the new one keeps the capital."""
    model = Scripted(lambda s, p: "unused")
    route = Route("ar", (Hop("ar", "en", model),))
    recall = {"en": Recalled("Cyber crime rose.", terms={"cybercrime": "cyber crime"})}
    (out,) = translate_segments(
        [Segment("p1.s1", 1, "ar", AR)], route, _glossary(CYBERCRIME), recalled=[recall]
    )
    assert out.text("en") == "Cybercrime rose."
    assert [u.strategy for u in out.renderings["en"].terms] == ["memory"]
    assert [f.code for f in out.renderings["en"].flags] == ["term-updated"]
    assert model.inputs == []


def test_the_docx_bolds_a_capitalised_rendering_at_the_start() -> None:
    [use] = _uses("Cybercrime rose.", "cybercrime")
    pieces = target_pieces("Cybercrime rose.", [use])
    assert [(p.text, p.bold) for p in pieces] == [("Cybercrime", True), (" rose.", False)]


def test_the_alignment_check_accepts_a_capitalised_rendering(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(AR + "\n", encoding="utf-8")
    article = read_article(path)
    [[sentence]] = segment_article(article)
    segment = sentence.to_segment("ar")
    uses = tuple(_uses("Cybercrime rose.", "cybercrime"))
    done = segment.with_renderings({"en": Rendering("Cybercrime rose 3.5.", uses)})
    align_article(article, [[done]], ("en",))  # raises when a locked term is missing


def _uses(text: str, rendering: str) -> list[TermUse]:
    return [TermUse("cybercrime", AR_TERM, 0, len(AR_TERM), rendering, "injected")]


# -- where a forced rendering goes ----------------------------------------------------------


def test_a_forced_rendering_never_splits_another_terms_rendering() -> None:
    """The relative position of a term can fall between the words of a rendering already
    there; the new rendering goes in front of it, and nothing is appended at the end."""
    kept = Requirement("a", 0, 5, "chargé d'affaires")
    missing = Requirement("b", 6, 10, "Chinese Embassy")
    text = write_in("He met chargé d'affaires in town today.", [kept, missing], 12)
    assert occurrences(text, "chargé d'affaires") == 1
    assert occurrences(text, "Chinese Embassy") == 1
    assert not text.endswith(")")
    assert "(" not in text


def test_a_forced_rendering_never_overwrites_another_terms_rendering() -> None:
    """A near miss that overlaps another term's rendering is not a near miss to write
    over: "Minister of Public Security" must not replace the ministry's rendering."""
    ministry = Requirement("ministry", 0, 4, "Ministry of Public Security")
    minister = Requirement("minister", 10, 14, "Minister of Public Security")
    model = Scripted(lambda s, p: "The Ministry of Public Security said on Monday.")
    [out] = lock(model, ["وزارة الأمن العام وزير الأمن العام"], [[ministry, minister]])
    assert out.strategies == ("injected", "forced")
    assert occurrences(out.text, "Ministry of Public Security") == 1
    assert occurrences(out.text, "Minister of Public Security") == 1
    assert "(" not in out.text


CHARGE = ("charge", "القائم بأعمال", {"en": "chargé d'affaires", "vi": "Đại biện"})
EMBASSY = (
    "embassy",
    "السفارة الصينية في فيتنام",
    {"en": "Chinese Embassy in Viet Nam", "vi": "Đại sứ quán Trung Quốc tại Việt Nam"},
)


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        # seed 000, caption 2: "Đại" of the embassy looked like a near miss of "Đại biện"
        (
            "The chargé d'affaires of the Chinese Embassy in Viet Nam thanked the minister.",
            "Đại sứ quán Trung Quốc tại Việt Nam đã cảm ơn bộ trưởng.",
        ),
        # the term's relative position falls between the embassy's words
        (
            "Ministers of the Chinese Embassy in Viet Nam met the chargé d'affaires today.",
            "Các bộ trưởng Đại sứ quán Trung Quốc tại Việt Nam đã gặp hôm nay.",
        ),
        # no other term in the way: the middle of the sentence, as in English
        (
            "Yesterday the minister met the chargé d'affaires in Hanoi for talks.",
            "Hôm qua bộ trưởng đã gặp tại Hà Nội để hội đàm.",
        ),
    ],
)
def test_a_forced_vietnamese_term_sits_where_its_english_counterpart_does(
    english: str, vietnamese: str
) -> None:
    """en -> vi: a Vietnamese model that drops a term gets it written where the English
    term stands in the English sentence; no other term's rendering is cut, and nothing is
    appended at the end in parentheses."""
    to_en = Scripted(lambda s, p: english)
    to_vi = Scripted(lambda s, p: vietnamese)
    route = Route("ar", (Hop("ar", "en", to_en), Hop("en", "vi", to_vi)))
    source = "شكر القائم بأعمال السفارة الصينية في فيتنام الوزير."
    terms = _glossary(CHARGE, EMBASSY)
    (out,) = translate_segments([Segment("p1.s1", 1, "ar", source)], route, terms)
    vi = out.text("vi") or ""
    by_id = {u.term_id: u for u in out.renderings["vi"].terms}
    assert by_id["charge"].strategy == "forced"
    assert "(" not in vi, vi
    for _, _, renderings in (CHARGE, EMBASSY):
        if renderings["en"] in english:
            assert occurrences(vi, renderings["vi"]) == 1, vi
    en_at = english.index("chargé") / len(english)
    vi_at = vi.index("Đại biện") / len(vi)
    assert abs(en_at - vi_at) < 0.3, (english, vi)


# -- through the real engine ----------------------------------------------------------------


def test_the_test_models_give_a_capital_to_a_term_that_starts_a_sentence(
    model_settings: Settings,
) -> None:
    """The sample's "cybercrime rose by 3.5 percent": both languages start with a capital,
    and the term still counts as kept (not forced) in each."""
    route = Route(
        "ar",
        (
            Hop("ar", "en", open_translator(model_settings, "ar", "en")),
            Hop("en", "vi", open_translator(model_settings, "en", "vi")),
        ),
    )
    source = "وارتفعت الجرائم الإلكترونية بنسبة 3.5 في المئة في العام الماضي."
    (out,) = translate_segments([Segment("p1.s1", 1, "ar", source)], route, _glossary(CYBERCRIME))
    for lang, rendering in (("en", "cybercrime"), ("vi", "tội phạm mạng")):
        text = out.text(lang) or ""
        assert text[:1].isupper(), text
        assert occurrences(text, rendering) >= 1
        assert [u.forced for u in out.renderings[lang].terms] == [False], text
