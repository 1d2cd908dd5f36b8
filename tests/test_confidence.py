"""The model's own judgement: confidence per rendering, lock cost, repetition, thresholds,
and how the DOCX, the JSON and the XLIFF show them (bilingual.confidence)."""

from __future__ import annotations

import dataclasses
import json
import math
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from briefing_factory import example_en_vi
from conftest import REPO
from lxml import etree
from typer.testing import CliRunner

from bilingual.assemble import with_flags
from bilingual.calibrate import calibration_sentences
from bilingual.cli import app
from bilingual.confidence import (
    confidence_flags,
    judge,
    lock_cost,
    mt_confidence,
    repetition,
)
from bilingual.config import Settings, resolve_settings
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Rendering, Segment
from bilingual.docx_io import write_docx
from bilingual.docx_io.findings import REVIEW_FIRST, least_confident
from bilingual.docx_io.styles import CONFIDENCE_MARKS
from bilingual.enforce import Locked, Requirement, lock
from bilingual.engine import Hypothesis, Translation
from bilingual.json_io import briefing_to_dict, read_json, write_json
from bilingual.memory.cache import CachedTranslator
from bilingual.memory.store import TranslationMemory
from bilingual.models import install_package_file, installed_packages
from bilingual.models.calibrate import (
    Thresholds,
    derive_thresholds,
    percentile,
    thresholds_from_card,
)
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.qa import translation_flags
from bilingual.translate import Hop, Route, translate_segments
from bilingual.xliff.write import ITS, xliff_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THRESHOLDS = Thresholds(low=-1.0, high=-0.3, costly_lock=0.5)


@dataclasses.dataclass(frozen=True)
class Decoded(Translation):
    """A translation with the decode's own numbers (as the engine gives them)."""

    tokens: int = 0
    log_prob: float = 0.0


class Scoring:
    """A translator double: answers from a function, with the decode's numbers (mean
    ``decode_mean`` per token, 4 tokens), and scores any text at ``score_mean`` per token,
    recording every scoring call."""

    def __init__(
        self, answer: Callable[[str], str], decode_mean: float = -0.2, score_mean: float = -0.9
    ) -> None:
        self.answer = answer
        self.decode_mean = decode_mean
        self.score_mean = score_mean
        self.score_calls: list[list[tuple[str, str]]] = []

    def translate(self, sentences: Sequence[str], **kwargs: object) -> list[Translation]:
        out: list[Translation] = []
        for s in sentences:
            text = self.answer(s)
            out.append(Decoded(text, 0.0, (Hypothesis(text, 0.0),), 4, 4 * self.decode_mean))
        return out

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        self.score_calls.append(list(zip(sources, targets, strict=True)))
        return [(2 * self.score_mean, 2) for _ in sources]


class NoScore:
    """A translator that can neither score nor give decode numbers (an older engine)."""

    def translate(self, sentences: Sequence[str], **kwargs: object) -> list[Translation]:
        return [Translation(s.upper(), 0.0, (Hypothesis(s.upper(), 0.0),)) for s in sentences]


# -- confidence and lock cost ------------------------------------------------------------


def test_a_natural_output_takes_the_decodes_confidence_and_a_locked_one_is_scored() -> None:
    model = Scoring(lambda s: "The Council met." if "X" in s else "It rained.")
    req = Requirement("council", 0, 5, "Council")
    out = lock(model, ["مطر", "مجلس اجتمع"], [(), (req,)])
    plain, locked = out
    assert (plain.confidence, plain.lock_cost) == (-0.2, 0.0)  # the decode's own, no cost
    # the injected input came out with the term: scored against the real source, once
    assert len(model.score_calls) == 1
    assert model.score_calls[0] == [("مجلس اجتمع", locked.text)]
    assert locked.confidence == -0.9
    assert locked.lock_cost == pytest.approx(0.7)  # free choice -0.2 minus -0.9


def test_scoring_is_one_call_per_hop_however_many_sentences_were_locked() -> None:
    to_en = Scoring(lambda s: f"{s} United Nations" if "United" in s else "plain")
    to_vi = Scoring(lambda s: f"{s} Liên hợp quốc")
    route = Route("ar", (Hop("ar", "en", to_en), Hop("en", "vi", to_vi)))
    from test_translate import UN, glossary

    sources = ["وصلت الأمم المتحدة.", "قالت الأمم المتحدة اليوم.", "أمطرت."]
    segments = [Segment(f"p{k}.s1", 1, "ar", s) for k, s in enumerate(sources, start=1)]
    out = translate_segments(segments, route, glossary(UN))
    assert len(to_en.score_calls) == 1 and len(to_en.score_calls[0]) == 2
    assert len(to_vi.score_calls) == 1
    assert out[2].renderings["en"].confidence == -0.2  # no term: the decode's number
    assert out[0].renderings["en"].confidence == -0.9
    assert out[0].renderings["en"].lock_cost == pytest.approx(0.7)


def test_a_translator_that_cannot_score_leaves_changed_outputs_unknown() -> None:
    req = Requirement("un", 0, 1, "UN")
    (result,) = lock(NoScore(), ["x y"], [(req,)])
    assert (result.confidence, result.lock_cost) == (None, None)


def test_judge_scores_missing_decode_numbers_and_dedupes_pairs() -> None:
    model = Scoring(lambda s: s)
    plain = Translation("a b", 0.0, (Hypothesis("a b", 0.0),))  # no decode numbers
    out = judge(model, ["x", "x"], ["a b", "a b"], [("x", plain), ("x", plain)])
    assert out == [(-0.9, 0.0), (-0.9, 0.0)]
    assert model.score_calls == [[("x", "a b")]]


def test_lock_cost_is_never_negative_and_unknown_without_both_sides() -> None:
    assert lock_cost(-0.5, -0.2) == 0.0
    assert lock_cost(-0.2, -0.5) == pytest.approx(0.3)
    assert lock_cost(None, -0.5) is None
    assert lock_cost(-0.5, None) is None


def test_the_cache_keeps_confidence_and_reads_an_older_entry_as_unknown(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        cache = CachedTranslator(Scoring(lambda s: s), memory, "model", 4)
        cache.put_locked("k1", Locked("Hello.", ("injected",), -0.42, 0.1))
        cache.pending["k2"] = json.dumps(["Old.", []])
        got = cache.get_locked(["k1", "k2"])
    assert got["k1"] == Locked("Hello.", ("injected",), -0.42, 0.1)
    assert (got["k2"].confidence, got["k2"].lock_cost) == (None, None)


# -- repetition ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The the the the meeting.",
        "We will we will we will go.",
        "a b c a b c a b c",
        "tội phạm mạng tội phạm mạng tội phạm mạng",
        "في في في في الاجتماع",
        "one two three four one two three four one two three four",
    ],
)
def test_a_decoder_loop_is_found(text: str) -> None:
    assert repetition(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "The cat and the dog saw the bird.",
        "He had had enough, very very tired.",
        "No, no, no!",
        "the United Nations and the United Nations office",
        "",
    ],
)
def test_ordinary_repetition_is_not_a_loop(text: str) -> None:
    assert repetition(text) is None


def test_repetition_names_the_words_and_the_count_and_is_a_warning() -> None:
    assert repetition("Talks went on and on and on and on.") == ("on and", 3)
    flags = translation_flags("جرت المحادثات.", "meeting meeting meeting meeting", "en")
    assert [(f.code, f.level) for f in flags if f.code == "repetition"] == [
        ("repetition", "warning")
    ]


# -- thresholds ------------------------------------------------------------------------------


def test_thresholds_are_the_10th_percentile_the_median_and_the_iqr() -> None:
    values = [-0.1 * k for k in range(21)]  # 0.0 .. -2.0
    t = derive_thresholds(values, calibrated_on="x.txt")
    assert t.low == pytest.approx(percentile(values, 10)) == pytest.approx(-1.8)
    assert t.high == pytest.approx(-1.0)
    assert t.costly_lock == pytest.approx(1.0)  # -0.5 - (-1.5)
    assert (t.sentences, t.calibrated_on) == (21, "x.txt")
    assert thresholds_from_card(t.to_card()) == t
    assert thresholds_from_card({}) is None
    assert thresholds_from_card({"low": "x", "costly_lock": 1}) is None
    with pytest.raises(ValueError):
        derive_thresholds([-0.1] * 5)


def test_findings_levels_against_the_thresholds() -> None:
    flags = confidence_flags(-1.5, 0.8, THRESHOLDS, "en")
    assert [(f.code, f.level, f.lang) for f in flags] == [
        ("low-confidence", "warning", "en"),
        ("costly-lock", "info", "en"),
    ]
    assert confidence_flags(-0.5, 0.4, THRESHOLDS, "en") == ()
    assert confidence_flags(-5.0, 5.0, None, "en") == ()


def test_a_reviewed_text_gets_no_confidence_finding() -> None:
    machine = Rendering("Hello.", confidence=-3.0, lock_cost=0.0)
    reviewed = dataclasses.replace(machine, status="reviewed")
    segment = Segment("p1.s1", 1, "ar", "مرحبا.", {"en": machine, "vi": reviewed})
    out = with_flags(segment, thresholds={"en": THRESHOLDS, "vi": THRESHOLDS})
    assert [f.code for f in out.renderings["en"].flags] == ["low-confidence"]
    assert out.renderings["vi"].flags == ()


# -- calibration ---------------------------------------------------------------------------


def test_calibration_sentences_cut_lines_and_drop_repeats() -> None:
    text = "First one. Second one.\n\nFirst one.\n---\nThird"
    assert calibration_sentences(text) == ["First one.", "Second one.", "Third"]


def test_models_calibrate_writes_the_thresholds_into_the_package(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = resolve_settings({}, home=home, threads=2)
    install_package_file(settings, REPO / "tests/models/translate-ar_en-test.argosmodel")
    rows = (REPO / "tests/models/cases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    text = tmp_path / "cal.txt"
    text.write_text("\n".join(r.split("\t")[1] for r in rows if r.startswith("ar-en")))
    (info,) = installed_packages(settings)
    before = json.loads((info.path / "metadata.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(
        app, ["models", "calibrate", "ar-en", str(text)], env={"BILINGUAL_HOME": str(home)}
    )
    assert result.exit_code == 0, result.output
    assert "calibrated ar->en" in result.output
    after = json.loads((info.path / "metadata.json").read_text(encoding="utf-8"))
    confidence = after["bilingual"]["confidence"]
    assert confidence["calibrated_on"] == "cal.txt"
    assert confidence["method"] == "p10-median-iqr"
    assert confidence["sentences"] >= 20
    assert confidence["low"] <= confidence["high"] <= 0 and confidence["costly_lock"] >= 0
    # nothing else of the metadata changed, and no temporary file is left behind
    assert {k: v for k, v in after.items() if k != "bilingual"} == {
        k: v for k, v in before.items() if k != "bilingual"
    }
    assert after["bilingual"]["test_model"] is True
    assert sorted(p.name for p in info.path.resolve().iterdir() if p.name.startswith(".")) == []
    (again,) = installed_packages(settings)
    assert thresholds_from_card(again.card.confidence) is not None


def test_the_committed_test_models_carry_thresholds() -> None:
    for package in sorted((REPO / "tests/models").glob("*.argosmodel")):
        with zipfile.ZipFile(package) as zf:
            name = next(n for n in zf.namelist() if n.endswith("/metadata.json"))
            card = json.loads(zf.read(name))["bilingual"]
        assert card["test_model"] is True
        assert thresholds_from_card(card["confidence"]) is not None, package.name


def test_models_calibrate_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["models", "calibrate", "ar-en", str(tmp_path / "none.txt")],
        env={"BILINGUAL_HOME": str(tmp_path / "home")},
    )
    assert result.exit_code != 0
    assert "none.txt" in result.output


# -- the outputs -----------------------------------------------------------------------------


def _judged(briefing: Briefing, values: dict[str, float]) -> Briefing:
    """``briefing`` with the English confidence of the sentences in ``values`` set (the
    others in the good band) and its thresholds known."""

    def judged(segment: Segment) -> Segment:
        renderings = dict(segment.renderings)
        en = renderings["en"]
        renderings["en"] = dataclasses.replace(
            en, confidence=values.get(segment.id, -0.1), lock_cost=0.0
        )
        return segment.with_renderings(renderings)

    paragraphs = tuple(
        dataclasses.replace(p, sentences=tuple(judged(s) for s in p.sentences))
        for p in briefing.paragraphs
    )
    return dataclasses.replace(
        briefing, paragraphs=paragraphs, bands={"en": (THRESHOLDS.low, THRESHOLDS.high)}
    )


def test_docx_marks_the_bands_and_lists_the_least_confident_first(tmp_path: Path) -> None:
    base = example_en_vi()
    ids = [s.id for s in base.segments()]
    briefing = _judged(base, {ids[0]: -0.5, ids[1]: -2.5, ids[2]: -1.2})
    assert [(s.id, band) for s, _, _, band in least_confident(briefing)] == [
        (ids[1], "low"),
        (ids[2], "low"),
        (ids[0], "fair"),
    ]
    path = tmp_path / "b.docx"
    write_docx(briefing, path)
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        styles = etree.fromstring(zf.read("word/styles.xml"))
    style_id = next(
        s.get(f"{W}styleId")
        for s in styles.iter(f"{W}style")
        if s.find(f"{W}name") is not None and s.find(f"{W}name").get(f"{W}val") == "Confidence Mark"
    )
    marks = [
        r
        for r in root.iter(f"{W}r")
        if (rs := r.find(f"{W}rPr/{W}rStyle")) is not None and rs.get(f"{W}val") == style_id
    ]
    texts = ["".join(t.text or "" for t in r.iter(f"{W}t")) for r in marks]
    # two low, one fair, in the table; none for the good sentences
    table_marks = [t for t in texts if t.strip()]
    assert table_marks.count(f"{CONFIDENCE_MARKS['low']}\u00a0") == 2
    assert table_marks.count(f"{CONFIDENCE_MARKS['fair']}\u00a0") == 1
    fills = {s.get(f"{W}fill") for s in root.iter(f"{W}shd")}
    assert {"F4CCCC", "FFF2CC"} <= fills
    # "Review these first": a heading, then its table, least confident first
    body = list(root.iter(f"{W}p"))
    headings = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body]
    assert REVIEW_FIRST in headings
    table = next(
        t
        for t in root.iter(f"{W}tbl")
        if "".join(x.text or "" for x in next(t.iter(f"{W}tr")).iter(f"{W}t")).startswith(
            "ConfidenceSentence"
        )
    )
    rows = [
        ["".join(x.text or "" for x in c.iter(f"{W}t")) for c in tr.iter(f"{W}tc")]
        for tr in table.iter(f"{W}tr")
    ][1:]
    assert [r[1] for r in rows] == [ids[1], ids[2], ids[0]]
    assert rows[0][0].startswith(CONFIDENCE_MARKS["low"]) and "-2.50" in rows[0][0]


def test_json_carries_confidence_and_reads_back_byte_for_byte(tmp_path: Path) -> None:
    base = example_en_vi()
    first = base.segments()[0].id
    briefing = _judged(base, {first: -1.23456})
    path = tmp_path / "b.json"
    write_json(briefing, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    review = data["paragraphs"][0]["sentences"][0]["review"]
    assert review["en"]["confidence"] == -1.23456 and review["en"]["lock_cost"] == 0.0
    assert review["vi"]["confidence"] is None  # no model confidence known there
    back = read_json(path)
    again = tmp_path / "again.json"
    write_json(back, again)
    assert again.read_bytes() == path.read_bytes()
    assert back.segments()[0].renderings["en"].confidence == -1.23456
    # a /3 file (no confidence keys) reads with none
    old = briefing_to_dict(base)
    old["schema"] = "bilingual.briefing/3"
    for paragraph in old["paragraphs"]:  # type: ignore[attr-defined]
        for sentence in paragraph["sentences"]:
            for entry in sentence["review"].values():
                if entry is not None:
                    del entry["confidence"], entry["lock_cost"]
    v3 = tmp_path / "v3.json"
    v3.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert all(
        r.confidence is None for s in read_json(v3).segments() for r in s.renderings.values()
    )


def test_xliff_carries_its_mt_confidence_in_0_1(tmp_path: Path) -> None:
    base = example_en_vi()
    first = base.segments()[0].id
    briefing = _judged(base, {first: -0.25})
    root = xliff_document(briefing, "en", "x.json")
    assert root.nsmap["its"] == ITS
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    values = {}
    by_id = {s.id: s for s in briefing.all_segments()}
    for segment in root.iter(f"{ns}segment"):
        target = segment.find(f"{ns}target")
        assert target is not None
        marks = [m for m in target if m.get(f"{{{ITS}}}mtConfidence") is not None]
        if by_id[segment.get("id", "")].renderings["en"].confidence is None:
            assert marks == []  # a caption here: no confidence known
            continue
        (mark,) = marks
        assert mark.tag == f"{ns}mrk" and mark.get("type") == "its:any"
        assert mark.get(f"{{{ITS}}}annotatorsRef", "").startswith("mt-confidence|")
        values[segment.get("id")] = float(mark.get(f"{{{ITS}}}mtConfidence", ""))
        assert "".join(target.itertext()) == by_id[segment.get("id", "")].text("en")
    assert all(0.0 <= v <= 1.0 for v in values.values())
    assert values[first] == pytest.approx(math.exp(-0.25), abs=1e-4) == mt_confidence(-0.25)
    # a reviewer's text carries none
    vi = xliff_document(briefing, "vi", "x.json")
    assert not [e for e in vi.iter() if e.get(f"{{{ITS}}}mtConfidence") is not None]


def test_a_rerun_from_the_memory_writes_the_same_confidences(
    model_settings: Settings, tmp_path: Path
) -> None:
    """The second run answers from the memory's cache (no model call) and its JSON is the
    first run's, confidences included."""
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text((REPO / "input/003_sample_delegates.txt").read_text(encoding="utf-8"))
    outputs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        options = RunOptions(
            paths=(article,), targets=("en", "vi"), out_dir=out, memory=tmp_path / "m.sqlite"
        )
        report = translate_articles(options, dataclasses.replace(model_settings, run_date="x"))
        assert not report.failed and report.uncalibrated == ()
        outputs.append((out / "a.json").read_bytes())
        if k:
            assert report.model_calls == 0
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    judged = [
        entry["confidence"]
        for p in data["paragraphs"]
        for s in p["sentences"]
        for entry in s["review"].values()
    ]
    assert judged and all(isinstance(c, float) and c <= 0 for c in judged)


def test_with_natural_first_the_free_choice_is_the_plain_decode() -> None:
    """The plain decode lost the term; the ladder injected it. The cost is measured from
    the plain decode (the model's true free choice), whose number it already has."""
    model = Scoring(lambda s: "The Council met." if "Council" in s else "The board met.")
    req = Requirement("council", 0, 5, "Council")
    (result,) = lock(model, ["مجلس اجتمع"], [(req,)], natural_first=True)
    assert result.text == "The Council met." and result.strategies == ("injected",)
    assert model.score_calls == [[("مجلس اجتمع", "The Council met.")]]
    assert (result.confidence, result.lock_cost) == (-0.9, pytest.approx(0.7))


def test_a_package_without_thresholds_is_reported_and_raises_no_confidence_finding(
    model_settings: Settings, tmp_path: Path
) -> None:
    from bilingual.engine import open_translator

    def uncalibrated(settings: Settings, a: str, b: str) -> object:
        translator = open_translator(settings, a, b)
        card = dataclasses.replace(translator.info.card, confidence={})
        translator.info = dataclasses.replace(translator.info, card=card)
        return translator

    options = RunOptions(
        paths=(REPO / "input/003_sample_delegates.txt",),
        targets=("en",),
        out_dir=tmp_path,
        engine=uncalibrated,  # type: ignore[arg-type]
    )
    report = translate_articles(options, model_settings)
    assert report.uncalibrated == ("translate-ar_en-0_1_0@0.1.0",)
    data = json.loads((tmp_path / "003_sample_delegates.json").read_text(encoding="utf-8"))
    sentences = [s for p in data["paragraphs"] for s in p["sentences"]]
    codes = {f["code"] for s in sentences for f in s["flags"]}
    assert not codes & {"low-confidence", "costly-lock"}
    assert all(s["review"]["en"]["confidence"] is not None for s in sentences)


def test_translate_tells_the_user_to_calibrate_a_package_without_thresholds(
    tmp_path: Path,
) -> None:
    """An uncalibrated package (thresholds taken out of a copy): a note on the console
    naming ``models calibrate``; the run still succeeds."""
    package = REPO / "tests/models/translate-ar_en-test.argosmodel"
    copy = tmp_path / package.name
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(copy, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("/metadata.json"):
                metadata = json.loads(data)
                del metadata["bilingual"]["confidence"]
                data = json.dumps(metadata).encode()
            zf.writestr(info, data)
    home = tmp_path / "home"
    install_package_file(resolve_settings({}, home=home, threads=2), copy)
    env = {"BILINGUAL_HOME": str(home), "COLUMNS": "200"}
    article = REPO / "input/003_sample_delegates.txt"
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["translate", str(article), "--to", "en", "--out", str(out), "-q"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "no confidence thresholds" in result.output
    assert "bilingual models calibrate translate-ar_en-0_1_0" in result.output
