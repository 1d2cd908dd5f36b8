"""Tests for bilingual.translate: routes, per-hop requirements, de-duplication, blank segments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bilingual.config import Settings
from bilingual.document import Segment
from bilingual.engine import Hypothesis, Translation, open_translator
from bilingual.glossary import Glossary, Term
from bilingual.lang import en
from bilingual.translate import Hop, Route, route_pairs, translate_segments

REPO = Path(__file__).resolve().parents[1]


class Scripted:
    """A translator that answers from a function of the input, and records the inputs."""

    def __init__(self, answer: Callable[[str], str]) -> None:
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
        self.inputs.extend(sentences)
        out = []
        for sentence in sentences:
            text = self.answer(sentence)
            out.append(Translation(text, 0.0, (Hypothesis(text, 0.0),)))
            if progress is not None:
                progress(len(out))  # as the engine does: sentences finished so far
        return out


def glossary(*terms: tuple[str, str, dict[str, str]]) -> Glossary:
    made = tuple(
        Term(tid, "organization", (ar,), renderings, None, Path("g.yaml"), n)
        for n, (tid, ar, renderings) in enumerate(terms, start=1)
    )
    return Glossary(made, (Path("g.yaml"),), "test")


UN = ("un", "الأمم المتحدة", {"en": "United Nations", "vi": "Liên hợp quốc"})


def segment(text: str, sid: str = "p1.s1") -> Segment:
    return Segment(sid, 1, "ar", text)


def test_route_pairs_chain_each_target_from_the_one_before() -> None:
    assert route_pairs("ar", ("en",)) == (("ar", "en"),)
    assert route_pairs("ar", ("en", "vi")) == (("ar", "en"), ("en", "vi"))


def test_english_the_goes_with_a_term_replaced_on_the_next_hop() -> None:
    """en -> vi replaces "the United Nations", article included: Vietnamese has none."""
    to_en = Scripted(lambda s: "She met the United Nations team.")
    echo = Scripted(lambda s: s)  # a "model" that copies: shows what the hop was given
    route = Route("ar", (Hop("ar", "en", to_en), Hop("en", "vi", echo)))
    source = "التقت بفريق الأمم المتحدة."
    (out,) = translate_segments([segment(source)], route, glossary(UN))
    assert out.text("en") == "She met the United Nations team."
    assert echo.inputs == ["She met Liên hợp quốc team."]
    assert out.text("vi") == "She met Liên hợp quốc team."
    [vi_use] = out.renderings["vi"].terms
    assert (vi_use.rendering, vi_use.strategy) == ("Liên hợp quốc", "injected")
    at = source.index("الأمم")
    assert (vi_use.start, vi_use.end, vi_use.source_text) == (at, at + 13, "الأمم المتحدة")


def test_english_term_span_rule() -> None:
    text = "The treaty of the United Nations"
    at = text.index("United")
    assert en.term_span(text, at, at + 14) == (at - 4, at + 14)
    assert en.term_span("United Nations", 0, 14) == (0, 14)
    assert en.term_span("theUnited Nations", 3, 17) == (3, 17)


def test_a_term_without_a_rendering_for_a_hop_is_not_required_there() -> None:
    hanoi = ("hanoi", "هانوي", {"en": "Hanoi"})
    to_en = Scripted(lambda s: "In Hanoi today.")
    to_vi = Scripted(lambda s: "Hôm nay.")
    route = Route("ar", (Hop("ar", "en", to_en), Hop("en", "vi", to_vi)))
    (out,) = translate_segments([segment("في هانوي اليوم.")], route, glossary(hanoi))
    assert [u.term_id for u in out.renderings["en"].terms] == ["hanoi"]
    assert out.renderings["vi"].terms == ()
    assert out.text("vi") == "Hôm nay."


def test_identical_texts_go_to_the_model_once_unless_dedupe_is_off() -> None:
    model = Scripted(lambda s: f"EN[{s}]")
    route = Route("ar", (Hop("ar", "en", model),))
    segments = [segment("وصل الوفد.", "p1.s1"), segment("وصل الوفد.", "p2.s1")]
    out = translate_segments(segments, route, glossary())
    assert model.inputs == ["وصل الوفد."]
    assert [s.id for s in out] == ["p1.s1", "p2.s1"]
    assert out[0].text("en") == out[1].text("en") == "EN[وصل الوفد.]"
    model.inputs.clear()
    translate_segments(segments, route, glossary(), dedupe=False)
    assert model.inputs == ["وصل الوفد.", "وصل الوفد."]


def test_a_blank_segment_gets_empty_renderings_without_a_model_call() -> None:
    model = Scripted(lambda s: "never")
    route = Route("ar", (Hop("ar", "en", model), Hop("en", "vi", model)))
    (out,) = translate_segments([segment("  ", "c1")], route, glossary(UN))
    assert model.inputs == []
    assert {lang: r.text for lang, r in out.renderings.items()} == {"en": "", "vi": ""}


def test_progress_names_each_hop_and_adds_up_to_its_total() -> None:
    events: list[tuple[str, int]] = []

    class Recorder:
        def start(self, stage: str, total: int) -> None:
            events.append((stage, total))

        def advance(self, n: int) -> None:
            events.append(("advance", n))

    model = Scripted(lambda s: "x")
    route = Route("ar", (Hop("ar", "en", model), Hop("en", "vi", model)))
    segments = [segment(f"جملة {k}.", f"p{k}.s1") for k in range(1, 4)]
    translate_segments(segments, route, glossary(), progress=Recorder())
    assert events == [
        ("translating to English", 3),
        *[("advance", 1)] * 3,
        ("translating to Vietnamese", 3),
        *[("advance", 1)] * 3,
    ]


def test_pivot_through_the_test_models_keeps_the_english(model_settings: Settings) -> None:
    """The product's ar -> en -> vi route on the real test models: the English of each
    sentence is the ar -> en model's, and the Vietnamese is the en -> vi model's
    translation of exactly that English."""
    cases = [
        line.split("\t")
        for line in (REPO / "tests" / "models" / "cases.tsv").read_text("utf-8").splitlines()
        if line.startswith("ar-en\t")
    ][:4]
    if len(cases) < 4:
        pytest.fail("cases.tsv has ar-en cases")
    ar_en = open_translator(model_settings, "ar", "en")
    en_vi = open_translator(model_settings, "en", "vi")
    route = Route("ar", (Hop("ar", "en", ar_en), Hop("en", "vi", en_vi)))
    segments = [segment(src, f"p{k}.s1") for k, (_, src, _) in enumerate(cases, start=1)]
    out = translate_segments(segments, route, glossary())
    english = [expected for _, _, expected in cases]
    assert [s.text("en") for s in out] == english
    assert [s.text("vi") for s in out] == [t.text for t in en_vi.translate(english)]
