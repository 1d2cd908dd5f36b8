"""The model's alternatives where it is unsure (bilingual.alternatives): the next best
hypotheses of the same beam, kept only below the model's low threshold, deduplicated,
glossary-true, on the rendering's confidence scale; carried by the cache, the JSON and a
DOCX comment that the review import passes over."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from briefing_factory import example_en_vi
from conftest import REPO
from docx_edit import comment_ids, delete_comment, resolve_comment, set_sentence
from lxml import etree
from test_engine_adapters import CARDS, _cases, package, unpacked  # noqa: F401

from bilingual.alternatives import Pool, candidates, hypotheses_for, offer
from bilingual.config import Settings, resolve_settings
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Alternative, Rendering, Segment
from bilingual.docx_io import write_docx
from bilingual.docx_io.alternatives import ALTERNATIVES_AUTHOR, alternatives_text
from bilingual.enforce import Locked, Requirement, lock
from bilingual.engine import Hypothesis, Translation, load_translator, open_translator
from bilingual.errors import BriefingReadError
from bilingual.json_io import read_json, write_json
from bilingual.memory.cache import CachedTranslator, _load, _locked
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.review import read_review
from bilingual.translate import Hop, Route, translate_segments

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCHEMA = json.loads((REPO / "tests/data/briefing.schema.json").read_text(encoding="utf-8"))
LOW = -0.5


class Beam:
    """A translator double with an n-best list per input: ``(text, tokens, log_prob)``,
    best first; it answers with as many as asked for, and scores any text at
    ``score_mean`` per token, recording what it was asked."""

    def __init__(
        self,
        answer: Callable[[str], list[tuple[str, int, float]]],
        score_mean: float = -3.0,
    ) -> None:
        self.answer = answer
        self.score_mean = score_mean
        self.asked: list[int] = []
        self.inputs: list[str] = []
        self.score_calls: list[list[tuple[str, str]]] = []

    def translate(
        self, sentences: Sequence[str], *, num_hypotheses: int = 1, **kwargs: Any
    ) -> list[Translation]:
        self.asked.append(num_hypotheses)
        self.inputs.extend(sentences)
        out = []
        for s in sentences:
            hyps = [Hypothesis(t, lp / n, n, lp) for t, n, lp in self.answer(s)][:num_hypotheses]
            best = hyps[0]
            out.append(Translation(best.text, best.score, tuple(hyps), best.tokens, best.log_prob))
        return out

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        self.score_calls.append(list(zip(sources, targets, strict=True)))
        return [(2 * self.score_mean, 2) for _ in sources]


RAIN = [
    ("It rained.", 4, -4.0),  # confidence -1.0: low
    ("It  rained. ", 5, -4.5),  # the best again, spaced otherwise
    ("It poured.", 5, -4.0),
    ("It rained hard.", 4, -6.0),
]


# -- how many hypotheses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alternatives", "beam", "asked"), [(2, 4, 3), (2, 2, 2), (2, 1, 1), (0, 4, 1), (9, 4, 4)]
)
def test_the_decode_never_asks_past_the_beam(alternatives: int, beam: int, asked: int) -> None:
    assert hypotheses_for(alternatives, beam) == asked


# -- the ladder keeps them ----------------------------------------------------------------


def test_a_low_sentence_gets_its_next_best_from_the_same_decode_without_repeats() -> None:
    model = Beam(lambda s: RAIN)
    (out,) = lock(model, ["مطر"], [()], alternatives=2, unsure_below=LOW)
    assert model.asked == [3]  # one decode, three hypotheses: the best and two more
    assert out.text == "It rained." and out.confidence == -1.0
    # the second hypothesis is the best again after spacing: dropped, never replaced by a
    # fourth the decode was not asked for
    assert out.alternatives == (Alternative("It poured.", -0.8),)
    assert model.score_calls == []  # the decode's own numbers: nothing scored


def test_with_a_term_in_the_batch_the_nbest_decode_serves_and_two_are_kept() -> None:
    model = Beam(lambda s: RAIN if s == "مطر" else [("The Council met.", 3, -0.3)])
    req = Requirement("council", 0, 5, "Council")
    out = lock(model, ["مطر", "مجلس اجتمع"], [(), (req,)], alternatives=2, unsure_below=LOW)
    assert model.asked == [4]  # the ladder's own n-best: no more asked for
    assert out[0].alternatives == (
        Alternative("It poured.", -0.8),
        Alternative("It rained hard.", -1.5),
    )
    assert out[1].alternatives == ()  # sure of it (-0.1)


def test_the_alternatives_are_listed_by_the_confidence_shown() -> None:
    """The beam ranks by its length-normalised score; the reviewer is shown confidences,
    so the list follows them (a later hypothesis surer per piece comes first)."""
    ranked = [
        ("It rained.", 4, -4.0),
        ("It rained hard today.", 6, -9.0),  # -1.5
        ("It poured.", 5, -4.0),  # -0.8
    ]
    (out,) = lock(Beam(lambda s: ranked), ["مطر"], [()], alternatives=2, unsure_below=LOW)
    assert [a.confidence for a in out.alternatives] == [-0.8, -1.5]


def test_a_sure_sentence_or_an_uncalibrated_model_keeps_none() -> None:
    sure = Beam(lambda s: [("It rained.", 4, -0.4), ("It poured.", 4, -2.0)])
    (out,) = lock(sure, ["مطر"], [()], alternatives=2, unsure_below=LOW)
    assert out.confidence == -0.1 and out.alternatives == ()
    uncalibrated = Beam(lambda s: RAIN)
    (out,) = lock(uncalibrated, ["مطر"], [()], alternatives=2, unsure_below=None)
    assert out.alternatives == () and uncalibrated.asked == [1]  # as before: one hypothesis
    off = Beam(lambda s: RAIN)
    (out,) = lock(off, ["مطر"], [()], unsure_below=LOW)
    assert out.alternatives == () and off.asked == [1]


def test_alternatives_keep_the_glossary_and_are_scored_against_the_real_source() -> None:
    """The input was injected, so the decode's numbers are of another input: each kept
    alternative is scored against the real source, all in one call. One that lost the
    term is not offered; one where the term came first takes the sentence's capital, as
    the rendering does."""
    hyps = [
        ("cybercrime rose sharply.", 4, -4.0),
        ("Crime rose.", 3, -0.3),  # lost the term
        ("cybercrime rose.", 3, -1.5),
        ("cybercrime went up.", 4, -2.0),
    ]
    model = Beam(lambda s: hyps, score_mean=-0.9)
    req = Requirement("cyber", 0, 19, "cybercrime")
    (out,) = lock(model, ["الجرائم الإلكترونية ارتفعت"], [(req,)], alternatives=2, unsure_below=LOW)
    assert out.text == "Cybercrime rose sharply." and out.confidence == -0.9
    assert out.alternatives == (
        Alternative("Cybercrime rose.", -0.9),
        Alternative("Cybercrime went up.", -0.9),
    )
    source = "الجرائم الإلكترونية ارتفعت"
    asked = [pair for call in model.score_calls for pair in call]
    assert (source, "Cybercrime rose.") in asked and (source, "Cybercrime went up.") in asked
    assert all(s == source for s, _ in asked)


def test_a_forced_sentence_offers_none() -> None:
    """Every hypothesis lost the term (the ladder forced it in): none is offered, as
    copying one in would lose the term again."""
    model = Beam(lambda s: [("The board met.", 3, -3.0), ("A board met.", 3, -3.3)])
    req = Requirement("council", 0, 5, "Council")
    (out,) = lock(model, ["مجلس اجتمع"], [(req,)], alternatives=2, unsure_below=0.0)
    assert out.strategies == ("forced",) and out.alternatives == ()


def test_hypotheses_without_decode_numbers_are_not_offered() -> None:
    """A split sentence's other hypotheses (its pieces' k-th, joined) and a decode cached
    before hypotheses kept their numbers have none: not offered."""
    decode = Translation(
        "A. B.", -1.0, (Hypothesis("A. B.", -1.0, 4, -4.0), Hypothesis("A! B.", -1.2)), 4, -4.0
    )
    assert candidates("A. B.", Pool("x", decode), lambda t: t, 2) == []
    assert offer(
        None, ["x"], ["A. B."], [-1.0], [Pool("x", decode)], [str], count=2, below=LOW
    ) == [()]


def test_a_split_sentence_has_no_alternatives_on_the_real_model(models_home: Path) -> None:
    settings = resolve_settings({}, home=models_home, threads=2)
    translator = open_translator(settings, "ar", "en", max_input_tokens=8)
    source = "وقع ممثلو أكثر من 9135 دولة ومنظمة دولية على البرنامج. ترأست الجزائر الجلسة"
    assert len(translator.split_for_model(source)) > 1
    (result,) = translator.translate([source], num_hypotheses=3)
    assert result.hypotheses[0].tokens == result.tokens > 0
    assert all(h.tokens == 0 for h in result.hypotheses[1:])


# -- the engine: the same best, numbers for every hypothesis --------------------------------


def _first_equals_single(translator: Any, sources: list[str]) -> None:
    single = translator.translate(sources)
    for n in (2, 3, 4):
        several = translator.translate(sources, num_hypotheses=n)
        for a, b in zip(single, several, strict=True):
            assert (b.text, b.tokens, b.log_prob, b.score) == (
                a.text,
                a.tokens,
                a.log_prob,
                a.score,
            )
            first = b.hypotheses[0]
            assert (first.text, first.tokens, first.log_prob) == (b.text, b.tokens, b.log_prob)


@pytest.mark.parametrize(("a", "b"), [("ar", "en"), ("en", "vi")])
def test_more_hypotheses_never_change_the_best_on_the_test_models(
    model_settings: Settings, a: str, b: str
) -> None:
    translator = open_translator(model_settings, a, b)
    assert translator.decoding.beam_size >= 4
    sources = [s for s, _ in _cases(f"{a}-{b}")]
    _first_equals_single(translator, sources)
    # every hypothesis carries its own numbers, and they are the scale of the confidence:
    # scoring a hypothesis's text gives them back (up to sentencepiece's round trip)
    (result,) = translator.translate(sources[:1], num_hypotheses=3)
    assert len(result.hypotheses) == 3
    assert all(h.tokens > 0 and h.log_prob < 0 for h in result.hypotheses)
    scored = translator.score(sources[:1] * 3, [h.text for h in result.hypotheses])
    for (lp, n), h in zip(scored, result.hypotheses, strict=True):
        assert n == h.tokens and lp == pytest.approx(h.log_prob, rel=1e-3, abs=5e-4)


@pytest.mark.parametrize("kind", sorted(CARDS))
def test_other_kinds_keep_the_best_and_strip_their_language_tokens(
    kind: str,
    unpacked: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    info = package(unpacked, tmp_path, CARDS[kind])
    settings = resolve_settings({}, home=tmp_path, threads=1)
    translator = load_translator(settings, info, source="ar", target="en")
    sources = [s for s, _ in _cases("ar-en")[:6]]
    _first_equals_single(translator, sources)
    for result in translator.translate(sources, num_hypotheses=3):
        assert all(h.text and "<0x" not in h.text for h in result.hypotheses)


# -- routes: each target's alternatives from its own hop ------------------------------------


def test_each_target_has_the_alternatives_of_its_own_hop() -> None:
    to_en = Beam(lambda s: [("It rained.", 4, -4.0), ("It poured.", 4, -4.4)])
    to_vi = Beam(lambda s: [(f"Trời mưa ({s})", 4, -4.0), ("Mưa to.", 4, -6.0)])
    route = Route(
        "ar",
        (
            Hop("ar", "en", to_en, alternatives=2, unsure_below=LOW),
            Hop("en", "vi", to_vi, alternatives=2, unsure_below=-2.0),
        ),
    )
    from test_translate import glossary

    (out,) = translate_segments([Segment("p1.s1", 1, "ar", "أمطرت.")], route, glossary())
    assert out.renderings["en"].alternatives == (Alternative("It poured.", -1.1),)
    # the Vietnamese hop translated the best English; its model was not unsure (-1.0 is
    # above its -2.0): none there
    assert to_vi.inputs == ["It rained."]
    assert out.renderings["vi"].alternatives == ()


# -- the cache -----------------------------------------------------------------------------


def test_the_cache_keeps_alternatives_and_reads_older_entries(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        cache = CachedTranslator(Beam(lambda s: RAIN), tm, "model", 4)
        locked = Locked("It rained.", (), -1.0, 0.0, (Alternative("It poured.", -0.8),))
        cache.put_locked("k", locked)
        with tm.transaction():
            cache.save()
        again = CachedTranslator(Beam(lambda s: RAIN), tm, "model", 4)
        assert again.get_locked(["k"]) == {"k": locked}
    # a value written before alternatives were kept, and one before confidence was
    assert _locked(json.dumps(["t", ["natural"], -0.2, 0.0])) == Locked(
        "t", ("natural",), -0.2, 0.0
    )
    assert _locked(json.dumps(["t", []])).alternatives == ()
    # a cached decode from before: its hypotheses have no numbers (none offered from it)
    old = _load(json.dumps(["a", -0.1, [["a", -0.1], ["b", -0.5]], 2, -0.2]))
    assert [(h.tokens, h.log_prob) for h in old.hypotheses] == [(0, 0.0), (0, 0.0)]


# -- JSON ----------------------------------------------------------------------------------


def _with_alternatives(base: Briefing) -> tuple[Briefing, str]:
    """``base`` with its first sentence's English low and carrying two alternatives."""
    first = base.segments()[0]
    offered = (Alternative("An other way.", -0.61), Alternative("A third way.", -0.9))

    def change(segment: Segment) -> Segment:
        if segment.id != first.id:
            return segment
        en = dataclasses.replace(
            segment.renderings["en"], confidence=-1.25, lock_cost=0.0, alternatives=offered
        )
        return segment.with_renderings({**segment.renderings, "en": en})

    paragraphs = tuple(
        dataclasses.replace(p, sentences=tuple(change(s) for s in p.sentences))
        for p in base.paragraphs
    )
    briefing = dataclasses.replace(base, paragraphs=paragraphs, bands={"en": (-1.0, -0.3)})
    return briefing, first.id


def test_json_carries_the_alternatives_and_reads_back_byte_for_byte(tmp_path: Path) -> None:
    briefing, _ = _with_alternatives(example_en_vi())
    path = tmp_path / "b.json"
    write_json(briefing, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    review = data["paragraphs"][0]["sentences"][0]["review"]
    assert review["en"]["alternatives"] == [
        {"text": "An other way.", "confidence": -0.61},
        {"text": "A third way.", "confidence": -0.9},
    ]
    assert "alternatives" not in review["vi"]  # optional: absent where there are none
    back = read_json(path)
    assert back.segments()[0].renderings["en"].alternatives == (
        Alternative("An other way.", -0.61),
        Alternative("A third way.", -0.9),
    )
    again = tmp_path / "again.json"
    write_json(back, again)
    assert again.read_bytes() == path.read_bytes()
    # a briefing without any writes what it wrote before the key existed
    plain = tmp_path / "plain.json"
    write_json(example_en_vi(), plain)
    assert '"alternatives"' not in plain.read_text(encoding="utf-8")


def test_json_with_malformed_alternatives_is_refused(tmp_path: Path) -> None:
    briefing, _ = _with_alternatives(example_en_vi())
    path = tmp_path / "b.json"
    write_json(briefing, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["paragraphs"][0]["sentences"][0]["review"]["en"]["alternatives"] = [{"text": 3}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingReadError):
        read_json(path)


# -- DOCX ----------------------------------------------------------------------------------


def _comments(path: Path) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text)."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/comments.xml"))
    return {
        c.get(f"{W}id", ""): (
            c.get(f"{W}author", ""),
            "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p")),
        )
        for c in root.iter(f"{W}comment")
    }


def test_the_comment_lists_the_alternatives_with_their_confidences(tmp_path: Path) -> None:
    briefing, first = _with_alternatives(example_en_vi())
    path = tmp_path / "b.docx"
    write_docx(briefing, path)
    comments = _comments(path)
    ours = {cid: text for cid, (who, text) in comments.items() if who == ALTERNATIVES_AUTHOR}
    assert len(ours) == 1
    [(cid, text)] = ours.items()
    assert cid in comment_ids(path, first, "en")
    lines = text.splitlines()
    assert "(confidence -1.25)" in lines[0]
    assert lines[1:3] == [
        "1. An other way. (confidence -0.61)",
        "2. A third way. (confidence -0.90)",
    ]
    # a reviewer's text never gets one
    reviewed = Rendering("x", status="reviewed", alternatives=(Alternative("y", -1.0),))
    assert alternatives_text(Rendering("x")) == ""
    assert alternatives_text(reviewed) != ""  # the writer checks the status, not the text


# -- the whole run on the test models --------------------------------------------------------


def _renderings(out: Path, name: str) -> list[tuple[str, str, dict[str, Any], str]]:
    """``(segment id, lang, review entry, text)`` of every sentence and caption."""
    data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    segments = [(s["id"], s) for p in data["paragraphs"] for s in p["sentences"]]
    segments += [(f"c{k}", c) for k, c in enumerate(data["article"]["captions"], start=1)]
    return [
        (sid, lang, entry, s[lang])
        for sid, s in segments
        for lang, entry in s["review"].items()
        if entry is not None
    ]


CLOSING = "004_sample_closing"


def _run(settings: Settings, out: Path, memory: Path) -> Any:
    options = RunOptions(
        paths=(REPO / "input" / f"{CLOSING}.txt",),
        targets=("en", "vi"),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
    )
    return translate_articles(options, settings)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, models_home: Path) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("alternatives")
    settings = resolve_settings({}, home=models_home, threads=2)
    report = _run(settings, tmp / "out", tmp / "m.sqlite")
    assert not report.failed
    return tmp / "out", tmp / "m.sqlite"


def _low(package: str) -> float:
    """The calibrated low threshold a committed test model carries."""
    with zipfile.ZipFile(REPO / "tests/models" / package) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/metadata.json"))
        return float(json.loads(zf.read(name))["bilingual"]["confidence"]["low"])


def test_a_run_offers_alternatives_on_low_sentences_only(first_run: tuple[Path, Path]) -> None:
    out, _ = first_run
    lows = {
        "en": _low("translate-ar_en-test.argosmodel"),
        "vi": _low("translate-en_vi-test.argosmodel"),
    }
    offered: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for sid, lang, entry, text in _renderings(out, CLOSING):
        alts = entry.get("alternatives", [])
        if alts:
            assert entry["confidence"] < lows[lang], (sid, lang)
            assert 1 <= len(alts) <= 2
            texts = [" ".join(a["text"].split()) for a in alts]
            assert len(set(texts)) == len(texts) and " ".join(text.split()) not in texts
            assert all(a["confidence"] <= 0 for a in alts)
            offered[(sid, lang)] = alts
    assert {lang for _, lang in offered} == {"en", "vi"}  # each target, from its own hop
    assert any(len(a) == 2 for a in offered.values())
    # the DOCX: one comment by ALTERNATIVES_AUTHOR on exactly those translations, listing
    # each alternative with its confidence
    docx = out / f"{CLOSING}.docx"
    comments = _comments(docx)
    ours = {cid for cid, (who, _) in comments.items() if who == ALTERNATIVES_AUTHOR}
    assert len(ours) == len(offered)
    for (sid, lang), alts in offered.items():
        [cid] = [c for c in comment_ids(docx, sid, lang) if c in ours]
        text = comments[cid][1]
        for k, a in enumerate(alts, start=1):
            assert f"{k}. {a['text']} (confidence {a['confidence']:.2f})" in text


def test_a_second_run_shows_them_again_from_the_memory(
    first_run: tuple[Path, Path], model_settings: Settings, tmp_path: Path
) -> None:
    out, memory = first_run
    copy = tmp_path / "m.sqlite"
    copy.write_bytes(memory.read_bytes())
    report = _run(model_settings, tmp_path / "out", copy)
    assert not report.failed and report.model_calls == 0
    assert (tmp_path / "out" / f"{CLOSING}.json").read_bytes() == (
        out / f"{CLOSING}.json"
    ).read_bytes()


def test_the_review_import_passes_over_the_comment_and_takes_a_copied_one_as_an_edit(
    first_run: tuple[Path, Path], tmp_path: Path
) -> None:
    out, _ = first_run
    docx = tmp_path / f"{CLOSING}.docx"
    docx.write_bytes((out / f"{CLOSING}.docx").read_bytes())
    (tmp_path / f"{CLOSING}.json").write_bytes((out / f"{CLOSING}.json").read_bytes())
    review = read_review(docx)
    assert review.units == () and review.dismissed == ()  # no note, no dismissal
    sid, lang, entry, _ = next(r for r in _renderings(out, CLOSING) if r[2].get("alternatives"))
    ours = [c for c in comment_ids(docx, sid, lang) if _comments(docx)[c][0] == ALTERNATIVES_AUTHOR]
    # resolving or deleting it dismisses no finding
    resolve_comment(docx, ours[0])
    assert read_review(docx).dismissed == ()
    delete_comment(docx, ours[0])
    assert read_review(docx).dismissed == ()
    chosen = entry["alternatives"][0]["text"]
    set_sentence(docx, sid, lang, chosen)
    [unit] = read_review(docx).units
    assert (unit.target_lang, unit.target, unit.note) == (lang, chosen, "")
