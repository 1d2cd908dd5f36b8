"""JSON writer: schema, stable key order, the ``vi`` rule, review fields, atomic writes,
golden file; reading back /2 and /1 files."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from briefing_factory import (
    CAPTION_EN,
    EXAMPLES,
    example_en,
    example_en_vi,
    make_briefing,
    with_first_sentence,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import bilingual.json_io as json_io
from bilingual.document import Briefing, Flag, Rendering
from bilingual.errors import BriefingReadError, OutputError
from bilingual.json_io import SCHEMA_ID, briefing_from_dict, briefing_to_dict, read_json, write_json

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((DATA / "briefing.schema.json").read_text(encoding="utf-8"))
GOLDEN = DATA / "briefing_en_vi.golden.json"

TOP_KEYS = [
    "schema",
    "bilingual_version",
    "signature",
    "run_date",
    "article",
    "targets",
    "models",
    "title",
    "paragraphs",
    "flags",
    "terms",
    "test_models",  # added within /2: last, so the keys before keep their places
    "names",  # new in /3
    "licences",  # new in /4
]


def _write(briefing: Briefing, tmp_path: Path) -> Any:
    path = tmp_path / f"{briefing.article.name}.json"
    write_json(briefing, path)
    return json.loads(path.read_text(encoding="utf-8"))


def _sentences(data: Any) -> list[Any]:
    return [s for p in data["paragraphs"] for s in p["sentences"]]


NO_JUDGEMENT = {"confidence": None, "lock_cost": None}
"""A reviewer's text carries no model confidence (/4)."""
REVIEW_EN = {
    "status": "reviewed",
    "origin": "review:001.docx",
    "note": "shorter headline",
    **NO_JUDGEMENT,
}
REVIEW_VI = {"status": "approved", "origin": "tmx:desk.tmx", "note": "", **NO_JUDGEMENT}
REVIEW_CAPTION = {
    "status": "reviewed",
    "origin": "review:001.docx",
    "note": "credit checked",
    **NO_JUDGEMENT,
}


def reviewed_briefing() -> Briefing:
    """The en+vi example after a review: the headline's English is a reviewer's text from
    the memory (its terms secured by ``memory``, one updated since and flagged), its
    Vietnamese an approved TMX unit, and the caption's English reviewed."""
    base = example_en_vi()
    s0 = base.paragraphs[0].sentences[0]
    en, vi = s0.renderings["en"], s0.renderings["vi"]
    updated = Flag(
        "term-updated",
        "warning",
        "glossary term desalination: the reviewed 'desalting' is now 'desalination',"
        " replaced in the reviewer's text",
        "en",
    )
    renderings = {
        "en": dataclasses.replace(
            en,
            terms=tuple(dataclasses.replace(u, strategy="memory") for u in en.terms),
            flags=(*en.flags, updated),
            **REVIEW_EN,
        ),
        "vi": dataclasses.replace(vi, **REVIEW_VI),
    }
    caption = base.captions[0]
    caption = dataclasses.replace(
        caption, renderings={**caption.renderings, "en": Rendering(CAPTION_EN, **REVIEW_CAPTION)}
    )
    briefing = with_first_sentence(base, s0.with_renderings(renderings))
    return dataclasses.replace(briefing, captions=(caption,))


def as_v1(data: Any) -> Any:
    """A /2 JSON object as /1 wrote it: no ``review`` keys, the old schema name."""
    old = json.loads(json.dumps(data))
    old["schema"] = "bilingual.briefing/1"
    for item in (*_sentences(old), *old["article"]["captions"]):
        del item["review"]
    return old


@pytest.mark.parametrize("briefing", [make() for make in EXAMPLES.values()], ids=list(EXAMPLES))
def test_output_validates_against_schema(briefing: Briefing, tmp_path: Path) -> None:
    data = _write(briefing, tmp_path)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["schema"] == SCHEMA_ID == "bilingual.briefing/4"


def test_schema_rejects_what_it_should() -> None:
    """The schema is strict enough to catch a renamed or missing field."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    data: Any = briefing_to_dict(example_en())
    assert validator.is_valid(data)
    renamed = json.loads(json.dumps(data))
    renamed["paragraphs"][0]["sentences"][0]["source"] = renamed["paragraphs"][0]["sentences"][
        0
    ].pop("ar")
    assert not validator.is_valid(renamed)
    missing = json.loads(json.dumps(data))
    del missing["article"]["repeats"]
    assert not validator.is_valid(missing)
    no_review = json.loads(json.dumps(data))
    del no_review["paragraphs"][0]["sentences"][0]["review"]
    assert not validator.is_valid(no_review)
    bad_status = json.loads(json.dumps(data))
    bad_status["article"]["captions"][0]["review"]["en"]["status"] = "checked"
    assert not validator.is_valid(bad_status)
    extra = json.loads(json.dumps(data))
    extra["paragraphs"][0]["sentences"][0]["review"]["en"]["reviewer"] = "desk"
    assert not validator.is_valid(extra)
    assert not validator.is_valid(as_v1(data))


def test_schema_validates_a_reviewed_briefing() -> None:
    """A reviewer's rendering and a term secured from the memory are valid /2."""
    data: Any = briefing_to_dict(reviewed_briefing())
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    first = _sentences(data)[0]
    assert first["review"] == {"en": REVIEW_EN, "vi": REVIEW_VI}
    assert {u["strategy"] for u in first["terms"] if u["lang"] == "en"} == {"memory"}
    assert "term-updated" in [f["code"] for f in first["flags"]]
    vi_missing = json.loads(json.dumps(data))
    del vi_missing["paragraphs"][0]["sentences"][0]["review"]["vi"]
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(vi_missing)


def test_key_order_is_stable(tmp_path: Path) -> None:
    data = _write(example_en_vi(), tmp_path)
    assert list(data) == TOP_KEYS
    article = data["article"]
    assert list(article) == [
        "name",
        "path",
        "encoding",
        "source_url",
        "captions",
        "removed",
        "repeats",
        "input_format",
        "extractor",
        "notices",
        "source_title",
        "source_date",
    ]
    assert list(article["captions"][0]) == [
        "ar",
        "en",
        "vi",
        "credit",
        "line",
        "after_paragraph",
        "review",
        "terms",  # added within /2, after every key that was there
        "flags",
    ]
    sentence = _sentences(data)[0]
    assert list(sentence) == ["id", "number", "ar", "en", "vi", "terms", "flags", "review"]
    for review in (sentence["review"], article["captions"][0]["review"]):
        assert list(review) == ["en", "vi"]
        assert all(
            list(entry) == ["status", "origin", "note", "confidence", "lock_cost"]
            for entry in review.values()
        )
    assert list(sentence["terms"][0]) == [
        "term_id",
        "lang",
        "source_span",
        "source_text",
        "rendering",
        "strategy",
        "forced",
        "origin",
        "ladder",
    ]
    terms = data["terms"]
    assert list(terms[0]) == [
        "term_id",
        "type",
        "ar",
        "en",
        "vi",
        "count",
        "forced",
        "forced_by_lang",  # added within /2, last
    ]
    assert list(terms[0]["forced_by_lang"]) == ["en", "vi"]


def test_vi_keys_only_when_vietnamese_is_a_target(tmp_path: Path) -> None:
    en = _write(example_en(), tmp_path / "en")
    both = _write(example_en_vi(), tmp_path / "both")
    for data, present in ((en, False), (both, True)):
        title = data["title"]
        assert ("vi" in title) is present
        assert all(("vi" in s) is present for s in _sentences(data))
        article = data["article"]
        assert all(("vi" in c) is present for c in article["captions"])
        assert all(("vi" in c["review"]) is present for c in article["captions"])
        assert all(("vi" in s["review"]) is present for s in _sentences(data))
        terms = data["terms"]
        assert all(("vi" in t) is present for t in terms)
        assert all(u["lang"] == "en" or present for s in _sentences(data) for u in s["terms"])
    assert both["targets"] == ["en", "vi"] and en["targets"] == ["en"]


def test_content_matches_the_briefing(tmp_path: Path) -> None:
    briefing = example_en_vi()
    data = _write(briefing, tmp_path)
    sentences = _sentences(data)
    expected = [s for p in briefing.paragraphs for s in p.sentences]
    assert [s["id"] for s in sentences] == [s.id for s in expected]
    for got, want in zip(sentences, expected, strict=True):
        assert (got["ar"], got["en"], got["vi"]) == (want.source, want.text("en"), want.text("vi"))
        assert got["number"] == want.number
        for use in got["terms"]:
            start, end = use["source_span"]
            assert got["ar"][start:end] == use["source_text"]
            assert use["rendering"] in got[use["lang"]]
            assert use["forced"] == (use["strategy"] == "forced")
    forced = [
        (s["id"], u["term_id"], u["lang"]) for s in sentences for u in s["terms"] if u["forced"]
    ]
    assert forced == [("p4.s1", "ebrd", "en")]
    paragraphs = data["paragraphs"]
    assert [p["lines"] for p in paragraphs] == [list(p.lines) for p in briefing.paragraphs]
    article = data["article"]
    assert article["repeats"] == [
        {"paragraph": 2, "first_lines": [11, 12], "repeat_lines": [17, 18]}
    ]
    assert [r["kind"] for r in article["removed"]] == ["image-stub", "repeat", "counter"]
    assert article["path"] == "input/aqaba-desalination.txt"
    terms = data["terms"]
    assert {t["term_id"]: (t["count"], t["forced"]) for t in terms}["ebrd"] == (1, 1)


def test_article_flags_at_top_sentence_flags_on_their_sentence(tmp_path: Path) -> None:
    data = _write(example_en_vi(), tmp_path)
    assert [f["code"] for f in data["flags"]] == ["repeated-paragraph"]
    by_id = {s["id"]: [f["code"] for f in s["flags"]] for s in _sentences(data)}
    assert by_id["p3.s3"] == ["number-mismatch"]
    assert by_id["p4.s1"] == ["forced-term"]
    assert by_id["p1.s1"] == []


def test_each_flag_is_written_where_the_model_holds_it_once() -> None:
    """A sentence's findings live on its renderings only, so nothing is listed twice."""
    data: Any = briefing_to_dict(example_en_vi())
    flags = [(s["id"], f["code"], f["lang"]) for s in _sentences(data) for f in s["flags"]]
    assert len(flags) == len(set(flags))
    assert ("p2.s2", "number-mismatch", "vi") in flags
    assert all(f["lang"] is None for f in data["flags"])


def test_machine_renderings_name_the_model_of_their_hop() -> None:
    """A machine rendering's origin is written ``model:<label>``, the label of its target's
    hop (``models`` in target order)."""
    data: Any = briefing_to_dict(example_en_vi())
    labels = dict(zip(data["targets"], data["models"], strict=True))
    assert labels == {"en": "translate-ar_en-1_0@1.0", "vi": "translate-en_vi-1_9@1.9"}
    items = [*_sentences(data), *data["article"]["captions"]]
    for item in items:
        assert item["review"] == {
            lang: {"status": "machine", "origin": f"model:{label}", "note": "", **NO_JUDGEMENT}
            for lang, label in labels.items()
        }


def test_a_missing_rendering_has_a_null_review() -> None:
    base = example_en_vi()
    s0 = base.paragraphs[0].sentences[0]
    briefing = with_first_sentence(base, s0.with_renderings({"en": s0.renderings["en"]}))
    data: Any = briefing_to_dict(briefing)
    first = _sentences(data)[0]
    assert first["vi"] is None and first["review"]["vi"] is None
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    back = briefing_from_dict(data)
    assert back.paragraphs[0].sentences[0] == briefing.paragraphs[0].sentences[0]


def test_file_is_utf8_indented_with_final_newline(tmp_path: Path) -> None:
    briefing = example_en_vi()
    path = tmp_path / "out.json"
    write_json(briefing, path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "سامر الخطيب" in text  # ensure_ascii=False: Arabic is not \u-escaped
    assert "\\u06" not in text
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.splitlines()[1].startswith('  "schema"')
    assert json.loads(text) == briefing_to_dict(briefing)


def test_golden_file(tmp_path: Path) -> None:
    """The JSON of the factory's en+vi briefing, byte for byte: the schema is an interface.

    After an intended change of the schema or the factory, regenerate with
    ``BILINGUAL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_json_io.py``.
    """
    path = tmp_path / "golden.json"
    write_json(example_en_vi(), path)
    if os.environ.get("BILINGUAL_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(path.read_bytes())
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
        GOLDEN.read_text(encoding="utf-8")
    )
    assert path.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


def test_overwrites_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_json(example_en_vi(), path)
    write_json(example_en(), path)
    assert json.loads(path.read_text(encoding="utf-8"))["targets"] == ["en"]
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_failure_midway_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    write_json(example_en(), path)
    before = path.read_bytes()
    real = json_io.briefing_to_dict

    def broken(briefing: Briefing) -> dict[str, object]:
        data = real(briefing)
        data["terms"] = [object()]
        return data

    monkeypatch.setattr(json_io, "briefing_to_dict", broken)
    with pytest.raises(TypeError):
        write_json(example_en_vi(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        write_json(example_en(), blocker / "a.json")
    assert str(blocker / "a.json") in str(info.value)
    assert "fix:" in str(info.value)


@settings(max_examples=40, deadline=None)
@given(
    ar=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1),
    en=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"])),
)
def test_any_text_round_trips(ar: str, en: str) -> None:
    """Whatever the model produced (controls, bidi marks, emoji) comes back unchanged."""
    base = make_briefing(("en",))
    s0 = dataclasses.replace(
        base.paragraphs[0].sentences[0], source=ar, renderings={"en": Rendering(en)}
    )
    briefing = with_first_sentence(base, s0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.json"
        write_json(briefing, path)
        back = json.loads(path.read_text(encoding="utf-8"))
    assert back["paragraphs"][0]["sentences"][0]["ar"] == ar
    assert back["paragraphs"][0]["sentences"][0]["en"] == en
    assert briefing_to_dict(briefing_from_dict(back)) == briefing_to_dict(briefing)


# -- reading back -------------------------------------------------------------------------


@pytest.mark.parametrize("briefing", [make() for make in EXAMPLES.values()], ids=list(EXAMPLES))
def test_read_json_round_trips_byte_for_byte(briefing: Briefing, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_json(briefing, path)
    back = read_json(path)
    again = tmp_path / "b.json"
    write_json(back, again)
    assert again.read_bytes() == path.read_bytes()
    assert back.segments() == briefing.segments()
    assert (back.title, back.terms, back.flags) == (briefing.title, briefing.terms, briefing.flags)
    assert back.signature == briefing.signature


def test_a_reviewed_rendering_is_written_and_read_back(tmp_path: Path) -> None:
    """Status, origin and note of sentences and captions come back as they were."""
    briefing = reviewed_briefing()
    path = tmp_path / "a.json"
    write_json(briefing, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert _sentences(data)[0]["review"] == {"en": REVIEW_EN, "vi": REVIEW_VI}
    assert data["article"]["captions"][0]["review"]["en"] == REVIEW_CAPTION
    back = read_json(path)
    assert back == briefing
    first = back.paragraphs[0].sentences[0].renderings
    assert (first["en"].status, first["en"].origin, first["en"].note) == (
        "reviewed",
        "review:001.docx",
        "shorter headline",
    )
    assert first["vi"].status == "approved" and first["vi"].reviewed
    assert back.captions[0].renderings["en"].note == "credit checked"
    assert back.captions[0].renderings["vi"].origin == ""  # machine: model:<label> is ''
    again = tmp_path / "b.json"
    write_json(back, again)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("make", [example_en, example_en_vi, reviewed_briefing])
def test_a_v1_file_still_reads(make: Any, tmp_path: Path) -> None:
    """A /1 file (no ``review`` keys) reads: every rendering is a machine one, with no
    origin or note, and writing it again gives the /2 file of that briefing."""
    briefing = make()
    path = tmp_path / "old.json"
    path.write_text(json.dumps(as_v1(briefing_to_dict(briefing))), encoding="utf-8")
    back = read_json(path)
    renderings = [r for s in back.segments() for r in s.renderings.values()]
    renderings += [r for c in back.captions for r in c.renderings.values()]
    assert all((r.status, r.origin, r.note) == ("machine", "", "") for r in renderings)
    assert [s.id for s in back.segments()] == [s.id for s in briefing.segments()]
    assert [{t: s.text(t) for t in back.targets} for s in back.segments()] == [
        {t: s.text(t) for t in briefing.targets} for s in briefing.segments()
    ]
    if make is not reviewed_briefing:
        assert back == briefing
        assert briefing_to_dict(back) == briefing_to_dict(briefing)


def test_read_json_refuses_an_unknown_review_status(tmp_path: Path) -> None:
    data: Any = briefing_to_dict(example_en())
    _sentences(data)[0]["review"]["en"]["status"] = "checked"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingReadError, match="review status 'checked'"):
        read_json(path)


def test_read_json_needs_the_review_of_a_v2_file(tmp_path: Path) -> None:
    data: Any = briefing_to_dict(example_en())
    del data["article"]["captions"][0]["review"]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingReadError, match=r"bilingual\.briefing/4 briefing: key 'review'"):
        read_json(path)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe{", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b'{"schema": "other/1"}', "not a bilingual.briefing/4 briefing"),
        (b'{"schema": "other/1"}', "'bilingual.briefing/1'"),
        (b"[]", "not a bilingual.briefing/4 briefing"),
        (b'{"schema": "bilingual.briefing/2"}', "key 'signature' is missing"),
        (b'{"schema": "bilingual.briefing/1"}', "not a bilingual.briefing/1 briefing"),
    ],
)
def test_read_json_names_the_file_and_the_fault(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(BriefingReadError) as info:
        read_json(path)
    assert str(path) in str(info.value) and says in str(info.value)
    assert "fix:" in str(info.value)


def test_read_json_refuses_a_damaged_signature(tmp_path: Path) -> None:
    data: Any = briefing_to_dict(example_en())
    data["signature"] = "bilingual:0.1.0|langs:ar-en"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingReadError, match="signature"):
        read_json(path)


@pytest.mark.parametrize(
    "golden",
    sorted((Path(__file__).parent / "golden" / "pipeline").glob("*.json")),
    ids=lambda p: p.stem,
)
def test_read_json_round_trips_real_briefings(golden: Path, tmp_path: Path) -> None:
    """The briefings of a real run (tests/golden/pipeline) come back byte for byte."""
    back = read_json(golden)
    path = tmp_path / golden.name
    write_json(back, path)
    assert path.read_bytes() == golden.read_bytes()
    assert back.targets == ("en", "vi") and back.source_lang == "ar"
    assert all(set(s.renderings) == {"en", "vi"} for s in back.segments())


def _with_caption_terms(briefing: Briefing) -> Briefing:
    """``briefing`` with its caption's renderings holding a term use each (forced in
    Vietnamese) and the finding that goes with it, as assemble makes them."""
    from bilingual.document import TermUse

    item = briefing.captions[0]
    ar = item.caption.text
    word = ar.split()[-1]
    start = ar.rindex(word)
    renderings = {}
    for lang, rendering in item.renderings.items():
        strategy = "forced" if lang == "vi" else "injected"
        use = TermUse("t", word, start, start + len(word), rendering.text.split()[-1], strategy)  # type: ignore[arg-type]
        flags = (Flag("forced-term", "warning", "forced", lang),) if lang == "vi" else ()
        renderings[lang] = dataclasses.replace(rendering, terms=(use,), flags=flags)
    caption = dataclasses.replace(item, renderings=renderings)
    return dataclasses.replace(briefing, captions=(caption, *briefing.captions[1:]))


def test_caption_terms_and_flags_are_written_validated_and_read_back(tmp_path: Path) -> None:
    """A caption is a segment like any other: its terms and findings are in the JSON, in
    the sentences' layout, valid under the schema, and read back exactly."""
    briefing = _with_caption_terms(example_en_vi())
    data = _write(briefing, tmp_path)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    caption = data["article"]["captions"][0]
    assert [(t["lang"], t["strategy"], t["forced"]) for t in caption["terms"]] == [
        ("en", "injected", False),
        ("vi", "forced", True),
    ]
    assert [(f["code"], f["lang"]) for f in caption["flags"]] == [("forced-term", "vi")]
    back = read_json(tmp_path / f"{briefing.article.name}.json")
    assert back.captions == briefing.captions
    assert briefing_to_dict(back) == briefing_to_dict(briefing)


def test_a_v2_file_written_before_caption_terms_and_forced_by_lang_still_reads(
    tmp_path: Path,
) -> None:
    """Files written within /2 before captions had ``terms``/``flags`` and terms had
    ``forced_by_lang`` validate and read: no term uses or findings on their captions, and
    no per-language forced counts (the DOCX shows "?" rather than a guess)."""
    data: Any = briefing_to_dict(example_en_vi())
    for caption in data["article"]["captions"]:
        del caption["terms"], caption["flags"]
    for term in data["terms"]:
        del term["forced_by_lang"]
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    back = read_json(path)
    assert all(not r.terms and not r.flags for c in back.captions for r in c.renderings.values())
    assert all(t.forced_by_lang == {} for t in back.terms)
    assert [t.forced for t in back.terms] == [t["forced"] for t in data["terms"]]


def test_a_sentence_still_needs_its_terms_and_flags(tmp_path: Path) -> None:
    data: Any = briefing_to_dict(example_en())
    del _sentences(data)[0]["flags"]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingReadError, match="key 'flags' is missing"):
        read_json(path)
