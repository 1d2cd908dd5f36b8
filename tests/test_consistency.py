"""The consistency check: each check finds its planted case and names both places,
consistent input gives nothing, the flags point at the other place, the report is stable."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from bilingual.consistency import (
    SCHEMA,
    check_consistency,
    consistency_flags,
    consistency_report,
)
from bilingual.document.names import Inconsistency, Place
from bilingual.document.segment import Rendering, Segment
from bilingual.glossary.term import Glossary, Term
from bilingual.memory.names import StoredName
from bilingual.memory.store import TranslationMemory, Unit, source_key
from bilingual.names.detect import NameFinder
from bilingual.names.keep import name_key

MINISTER = Term(
    "minister-karim", "person", ("كريم حداد",), {"en": "Karim Haddad", "vi": "Karim Haddad"},
    None, Path("glossary/people.yaml"), 4,
)  # fmt: skip
LUONG = Term(
    "auto-1a2b3c4d5e", "person", ("لونغ تام كوانغ",), {"en": "Luong Tam Quang"},
    None, Path("<names kept by this run>"), 0, "auto",
)  # fmt: skip
GLOSSARY = Glossary((MINISTER, LUONG), (Path("glossary/people.yaml"),), "g1")

OPENED = "وافتتح كريم حداد الاجتماع صباح الثلاثاء."
OPENED_EN = "Karim Haddad opened the meeting on Tuesday morning."
MET = "والتقى لونغ تام كوانغ بالوفد في هانوي."
MET_EN = "Luong Tam Quang met the delegation in Hanoi."
TALKS = "وبحث لونغ تام كوانغ التعاون مع الوزير."
WEATHER = "وكان الطقس باردا."


def seg(sid: str, source: str, en: str, vi: str | None = None, **kw: object) -> Segment:
    renderings = {"en": Rendering(en, **kw)}  # type: ignore[arg-type]
    if vi is not None:
        renderings["vi"] = Rendering(vi)
    number = int(sid.rsplit("s", 1)[-1]) if ".s" in sid else int(sid[1:])
    return Segment(sid, number, "ar", source, renderings)


def check(
    articles: Sequence[tuple[str, Sequence[Segment]]],
    memory: TranslationMemory | None = None,
    glossary: Glossary = GLOSSARY,
    targets: Sequence[str] = ("en",),
) -> tuple[Inconsistency, ...]:
    return check_consistency(articles, glossary, targets, memory)


def only(findings: Sequence[Inconsistency], code: str) -> Inconsistency:
    chosen = [f for f in findings if f.code == code]
    assert len(chosen) == 1, findings
    return chosen[0]


def where(finding: Inconsistency) -> list[tuple[str, str, str]]:
    return [(p.article, p.segment, p.memory) for p in finding.places if not p.glossary]


def memory_with(
    tmp_path: Path, *units: Unit, names: Sequence[StoredName] = ()
) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "memory.sqlite")
    with tm.transaction():
        tm.add_units(units)
        tm.names.add(names)
    return tm


CONSISTENT = (
    ("001_sample", (seg("p1.s1", OPENED, OPENED_EN), seg("p1.s2", MET, MET_EN))),
    (
        "002_sample_signing",
        (
            seg("p1.s1", WEATHER, "The weather was cold."),
            seg("p2.s1", OPENED, OPENED_EN),
            seg("p2.s2", TALKS, "Luong Tam Quang discussed cooperation with the minister."),
        ),
    ),
)


def test_a_consistent_run_and_memory_give_no_finding(tmp_path: Path) -> None:
    reviewed = Unit("ar", OPENED, "en", OPENED_EN, origin="review:001.docx", article="001_sample")
    row = StoredName(
        name_key("ar", NameFinder(GLOSSARY).key(LUONG.forms[0])), "ar", LUONG.forms[0], "en",
        "Luong Tam Quang", article="001_sample", segment="p1.s2",
    )  # fmt: skip
    with memory_with(tmp_path, reviewed, names=[row]) as tm:
        assert check(CONSISTENT, tm) == ()
    assert check(CONSISTENT) == ()
    assert consistency_flags(()) == {}


def test_one_sentence_translated_two_ways_in_the_run_names_both_places() -> None:
    other = "Karim Haddad inaugurated the meeting on Tuesday morning."
    run = (
        CONSISTENT[0],
        # the same sentence with a tatweel and a double space: the same source key
        ("002_sample_signing", (seg("p3.s1", OPENED.replace("الاجتماع", "الاجـتماع  "), other),)),
    )
    finding = only(check(run), "same-source")
    assert finding.lang == "en" and finding.subject == OPENED
    assert where(finding) == [("001_sample", "p1.s1", ""), ("002_sample_signing", "p3.s1", "")]
    assert [p.text for p in finding.places] == [OPENED_EN, other]
    assert "002_sample_signing p3.s1" in finding.message and "001_sample p1.s1" in finding.message
    flags = consistency_flags([finding])
    (flag,) = flags[("001_sample", "p1.s1")]["en"]
    assert (flag.code, flag.level, flag.lang) == ("inconsistent-translation", "warning", "en")
    assert flag.message == f"the same sentence is {other!r} in 002_sample_signing p3.s1"
    (back,) = flags[("002_sample_signing", "p3.s1")]["en"]
    assert "001_sample p1.s1" in back.message and OPENED_EN in back.message


def test_whitespace_blank_texts_and_a_merged_paragraph_do_not_count() -> None:
    paragraph = "Luong Tam Quang met the delegation in Hanoi. The weather was cold."
    run = (
        CONSISTENT[0],
        (
            "002_sample_signing",
            (
                seg("p1.s1", OPENED, " Karim  Haddad opened the meeting on Tuesday morning. "),
                # a reviewer merged p2: the whole paragraph on its first sentence
                seg("p2.s1", MET, paragraph, status="reviewed", origin="review:002.docx"),
                seg("p2.s2", WEATHER, "", status="reviewed", origin="review:002.docx"),
                seg("p3.s1", WEATHER, "It was cold."),
                seg("p4.s1", "", ""),
                seg("p5.s1", "   ", "Something."),
            ),
        ),
    )
    assert [f.code for f in check(run)] == []


def test_a_reviewed_memory_unit_that_differs_is_reported_with_its_origin(tmp_path: Path) -> None:
    old = Unit("ar", WEATHER, "en", "It was cold.", origin="review:a.docx", article="007_x")
    new = Unit(
        "ar", WEATHER, "en", "The weather was cold.", origin="review:a.docx", article="007_x"
    )
    tmx = Unit("ar", WEATHER, "en", "The weather was chilly.", origin="tmx:old.tmx", article="")
    machine = Unit("ar", WEATHER, "en", "Cold weather.", status="machine", origin="model:m")
    with memory_with(tmp_path, old, new, tmx, machine) as tm:
        finding = only(check(CONSISTENT, tm), "same-source")
    # the older review of a.docx is replaced by the newer; a machine unit is nobody's review
    assert where(finding) == [
        ("002_sample_signing", "p1.s1", ""),
        ("007_x", "", "review:a.docx"),
        ("", "", "tmx:old.tmx"),
    ]
    assert [p.text for p in finding.places[1:]] == [
        "The weather was cold.",
        "The weather was chilly.",
    ]
    assert "memory (tmx:old.tmx)" in finding.message
    (flag,) = consistency_flags([finding])[("002_sample_signing", "p1.s1")]["en"]
    assert (
        flag.message
        == "the same sentence is 'The weather was chilly.' in memory (tmx:old.tmx): (no article)"
    )
    assert [f.code for f in check(CONSISTENT, None)] == []


def test_the_review_a_sentence_was_recalled_from_is_left_to_the_name_check(tmp_path: Path) -> None:
    unit = Unit("ar", OPENED, "en", "The minister opened the meeting on Tuesday morning.",
                origin="review:001.docx", article="001_sample")  # fmt: skip
    run = (
        (
            "001_sample",
            (seg("p1.s1", OPENED, OPENED_EN, status="reviewed", origin="review:001.docx"),),
        ),
    )
    with memory_with(tmp_path, unit) as tm:
        findings = check(run, tm)
    # the run recalled the review and wrote the glossary's rendering into it: the
    # sentences differ only there, and the name check says so, naming the unit
    assert [f.code for f in findings] == ["same-name"]
    assert where(findings[0]) == [
        ("001_sample", "p1.s1", ""),
        ("001_sample", "", "review:001.docx"),
    ]


def test_a_memory_unit_that_disagrees_with_the_glossary_is_reported(tmp_path: Path) -> None:
    """The issue's acceptance: a planted reviewed unit that names the minister otherwise."""
    planted = Unit(
        "ar", OPENED, "en", "Kareem Hadad opened the meeting on Tuesday morning.",
        origin="review:briefing-001.docx", article="001_sample",
    )  # fmt: skip
    with memory_with(tmp_path, planted) as tm:
        findings = check(CONSISTENT, tm)
    name = only(findings, "same-name")
    assert (name.lang, name.subject) == ("en", "كريم حداد")
    assert where(name) == [
        ("001_sample", "p1.s1", ""),
        ("002_sample_signing", "p2.s1", ""),
        ("001_sample", "", "review:briefing-001.docx"),
    ]
    assert name.places[-1].glossary == "minister-karim, glossary/people.yaml:4"
    assert name.places[-1].text == "Karim Haddad"
    assert "memory (review:briefing-001.docx): 001_sample" in name.message
    assert "glossary term minister-karim" in name.message
    # the same unit is also the same sentence translated otherwise
    assert where(only(findings, "same-source"))[-1] == (
        "001_sample",
        "",
        "review:briefing-001.docx",
    )
    (flag,) = consistency_flags([name])[("001_sample", "p1.s1")]["en"]
    assert flag.code == "inconsistent-name"
    assert "memory (review:briefing-001.docx): 001_sample" in flag.message


def test_a_name_rendered_otherwise_in_a_recalled_text_names_both_places() -> None:
    reviewer = "Long Tam Kwang discussed cooperation with the minister."
    run = (
        CONSISTENT[0],
        (
            "002_sample_signing",
            (seg("p2.s2", TALKS, reviewer, status="reviewed", origin="review:2.docx"),),
        ),
    )
    findings = check(run)
    name = only(findings, "same-name")
    assert name.subject == "لونغ تام كوانغ"
    assert where(name) == [("001_sample", "p1.s2", ""), ("002_sample_signing", "p2.s2", "")]
    assert [p.text for p in name.places] == ["Luong Tam Quang", reviewer, "Luong Tam Quang"]
    assert name.places[-1].glossary == "auto-1a2b3c4d5e, a name kept by this run"
    flags = consistency_flags(findings)
    (flag,) = flags[("002_sample_signing", "p2.s2")]["en"]
    assert flag.message == (
        "the name 'لونغ تام كوانغ' (auto-1a2b3c4d5e) should be 'Luong Tam Quang' here, "
        "as in 001_sample p1.s2"
    )
    (mirror,) = flags[("001_sample", "p1.s2")]["en"]
    assert "not in 002_sample_signing p2.s2" in mirror.message


def test_a_name_lacking_everywhere_is_set_against_the_glossary() -> None:
    run = (("001_sample", (seg("p1.s1", OPENED, "Kareem Hadad opened the meeting."),)),)
    name = only(check(run), "same-name")
    assert where(name) == [("001_sample", "p1.s1", "")]
    assert str(name.places[1]) == "glossary (minister-karim, glossary/people.yaml:4)"
    (flag,) = consistency_flags([name])[("001_sample", "p1.s1")]["en"]
    assert flag.message.endswith("should be 'Karim Haddad' here, as the glossary has it")


def test_a_vietnamese_rendering_is_checked_in_its_own_target() -> None:
    run = (
        ("001_sample", (seg("p1.s1", OPENED, OPENED_EN, "Karim Haddad khai mạc cuộc họp."),)),
        ("002_x", (seg("p1.s1", OPENED + " ", OPENED_EN, "Ca-rim Ha-đát khai mạc cuộc họp."),)),
    )
    findings = check(run, targets=("en", "vi"))
    assert {(f.code, f.lang) for f in findings} == {("same-source", "vi"), ("same-name", "vi")}
    name = only(findings, "same-name")
    assert where(name) == [("001_sample", "p1.s1", ""), ("002_x", "p1.s1", "")]
    assert [p.text for p in name.places] == [
        "Karim Haddad", "Ca-rim Ha-đát khai mạc cuộc họp.", "Karim Haddad",
    ]  # fmt: skip


def test_a_stored_name_the_glossary_renders_otherwise_is_reported(tmp_path: Path) -> None:
    """Kept automatically as 'Luong Tam Quang', later put in the glossary as 'Luong Tam
    Quan': the memory's row and the run disagree."""
    term = Term("luong", "person", ("لونغ تامْ كوانغ",), {"en": "Luong Tam Quan"}, None,
                Path("glossary/people.yaml"), 9)  # fmt: skip
    glossary = Glossary((term,), (), "g2")
    key = name_key("ar", NameFinder(Glossary((), (), "none")).key("لونغ تام كوانغ"))
    row = StoredName(key, "ar", "لونغ تام كوانغ", "en", "Luong Tam Quang", "auto", "person",
                     "003_old", "p4.s1")  # fmt: skip
    run = (("001_sample", (seg("p1.s1", MET, "Luong Tam Quan met the delegation in Hanoi."),)),)
    with memory_with(tmp_path, names=[row]) as tm:
        findings = check(run, tm, glossary)
    name = only(findings, "same-name")
    assert where(name) == [("001_sample", "p1.s1", ""), ("003_old", "p4.s1", "names:auto")]
    assert name.places[1].text == "Luong Tam Quang"
    assert "memory (names:auto): 003_old p4.s1" in name.message


def test_one_rendering_for_two_names_is_reported_with_the_first_place_of_each() -> None:
    other = Term("auto-ffff", "person", ("لوانغ تان كوانغ",), {"en": "luong tam  quang"},
                 None, Path("<names kept by this run>"), 0, "auto")  # fmt: skip
    same = Term("luong-draft", "person", ("لونغ تامْ كوانغ",), {"en": "Luong Tam Quang"},
                None, Path("glossary/drafts.yaml"), 2, "draft")  # fmt: skip
    glossary = Glossary((MINISTER, LUONG, other), (), "g3")
    run = (
        CONSISTENT[0],
        (
            "002_sample_signing",
            (
                seg("p1.s1", "وصل لوانغ تان كوانغ أمس.", "luong tam  quang arrived yesterday."),
                seg("p1.s2", "وغادر لوانغ تان كوانغ اليوم.", "luong tam  quang left today."),
            ),
        ),
    )
    finding = only(check(run, glossary=glossary), "same-rendering")
    assert finding.subject == "Luong Tam Quang"
    assert where(finding) == [("001_sample", "p1.s2", ""), ("002_sample_signing", "p1.s1", "")]
    assert [p.text for p in finding.places] == ["لونغ تام كوانغ", "لوانغ تان كوانغ"]
    flags = consistency_flags([finding])
    (flag,) = flags[("001_sample", "p1.s2")]["en"]
    assert (flag.code, flag.message) == (
        "merged-names",
        "'Luong Tam Quang' also renders 'لوانغ تان كوانغ' in 002_sample_signing p1.s1",
    )
    # a draft of the same name (the same form's key) is the same person: nothing merged
    assert check(CONSISTENT, glossary=Glossary((MINISTER, LUONG, same), (), "g4")) == ()


def test_a_run_name_and_a_stored_name_of_another_key_are_reported(tmp_path: Path) -> None:
    row = StoredName("ar:لوانغ تان كوانغ", "ar", "لوانغ تان كوانغ", "en", "Luong Tam Quang",
                     "auto", "person", "005_last_week", "p2.s3")  # fmt: skip
    mine = StoredName(name_key("ar", NameFinder(GLOSSARY).key(LUONG.forms[0])), "ar",
                      LUONG.forms[0], "en", "Luong Tam Quang")  # fmt: skip
    with memory_with(tmp_path, names=[row, mine]) as tm:
        finding = only(check(CONSISTENT, tm), "same-rendering")
    assert where(finding) == [("001_sample", "p1.s2", ""), ("005_last_week", "p2.s3", "names:auto")]
    assert finding.places[1].text == "لوانغ تان كوانغ"


def test_places_are_deduplicated_in_run_order_and_findings_sorted() -> None:
    run = (
        ("a", (seg("p1.s1", WEATHER, "One."), seg("p2.s1", OPENED, "Kareem opened it."))),
        ("b", (seg("p1.s1", WEATHER, "Two."), seg("p1.s2", WEATHER, "One."))),
        ("c", (seg("p1.s1", WEATHER, "Two."),)),
    )
    findings = check(run)
    assert [f.code for f in findings] == ["same-source", "same-name"]
    assert where(findings[0]) == [
        ("a", "p1.s1", ""),
        ("b", "p1.s1", ""),
        ("b", "p1.s2", ""),
        ("c", "p1.s1", ""),
    ]
    flags = consistency_flags(findings)
    assert (
        flags[("a", "p1.s1")]["en"][0].message == "the same sentence is 'Two.' in b p1.s1, c p1.s1"
    )
    assert [f.code for f in flags[("a", "p2.s1")]["en"]] == ["inconsistent-name"]


def test_two_findings_on_one_sentence_make_one_flag_naming_both() -> None:
    other = Term("auto-eeee", "person", ("هانوي",), {"en": "Hanoi"}, None,
                 Path("<names kept by this run>"), 0, "auto")  # fmt: skip
    glossary = Glossary((MINISTER, LUONG, other), (), "g5")
    run = (
        ("a", (seg("p1.s1", MET, MET_EN),)),
        ("b", (seg("p1.s1", MET, "Long Tam Kwang met the delegation in Ha Noi."),)),
    )
    findings = check(run, glossary=glossary)
    assert [f.code for f in findings] == ["same-source", "same-name", "same-name"]
    (flag,) = consistency_flags(findings)[("b", "p1.s1")]["en"][1:]
    assert flag.code == "inconsistent-name"
    assert "'Luong Tam Quang'" in flag.message and "'Hanoi'" in flag.message


def test_the_report_is_deterministic_and_counts_by_code(tmp_path: Path) -> None:
    planted = Unit("ar", OPENED, "en", "Kareem Hadad opened the meeting.",
                   origin="review:001.docx", article="001_sample")  # fmt: skip
    with memory_with(tmp_path, planted) as tm:
        first = consistency_report(
            check(CONSISTENT, tm), run_date="2026-12-02T03:00:00Z", signature="s"
        )
        again = consistency_report(
            check(CONSISTENT, tm), run_date="2026-12-02T03:00:00Z", signature="s"
        )
    text = json.dumps(first, ensure_ascii=False, indent=2)
    assert text == json.dumps(again, ensure_ascii=False, indent=2)
    assert first["schema"] == SCHEMA == "bilingual.consistency/1"
    assert (first["run_date"], first["signature"]) == ("2026-12-02T03:00:00Z", "s")
    assert first["counts"] == {"same-source": 1, "same-name": 1, "same-rendering": 0}
    findings = first["findings"]
    assert isinstance(findings, list) and [f["code"] for f in findings] == [
        "same-source",
        "same-name",
    ]
    assert list(findings[1]) == ["code", "lang", "subject", "message", "places"]
    assert findings[1]["places"][-2] == {
        "article": "001_sample", "segment": "", "memory": "review:001.docx", "glossary": "",
        "text": "Kareem Hadad opened the meeting.",
    }  # fmt: skip
    empty = consistency_report((), run_date="d", signature="s")
    assert empty["counts"] == {"same-source": 0, "same-name": 0, "same-rendering": 0}
    assert empty["findings"] == []


def test_reviewed_units_are_read_by_key_in_chunks(tmp_path: Path) -> None:
    sources = [f"جملة رقم {n}." for n in range(1200)]
    units = [
        Unit("ar", s, "en", f"Sentence {n}.", origin="tmx:t.tmx") for n, s in enumerate(sources)
    ]
    units += [
        Unit("ar", sources[0], "vi", "Câu 0.", origin="tmx:t.tmx"),
        Unit("ar", sources[1], "en", "Machine.", status="machine", origin="model:m"),
        Unit("ar", sources[2], "en", "Paragraph.", level="paragraph", origin="review:p.docx"),
        Unit("ar", sources[3], "en", "Approved.", status="approved", origin="review:q.docx"),
    ]
    with memory_with(tmp_path, *units) as tm:
        keys = [source_key("ar", s) for s in sources]
        found = tm.reviewed_units([*keys, keys[0], source_key("ar", "غير موجود")], ["en"])
    assert len(found) == 1200
    assert [u.target for u in found[keys[0]]] == ["Sentence 0."]
    assert [u.target for u in found[keys[1]]] == ["Sentence 1."]
    assert [u.target for u in found[keys[2]]] == ["Sentence 2."]
    assert [(u.target, u.status) for u in found[keys[3]]] == [
        ("Sentence 3.", "reviewed"), ("Approved.", "approved"),
    ]  # fmt: skip


def test_a_place_prints_where_it_is() -> None:
    assert str(Place("001_sample", "p3.s1")) == "001_sample p3.s1"
    assert str(Place("001_sample", memory="review:x.docx")) == "memory (review:x.docx): 001_sample"
    assert str(Place("", glossary="t, g.yaml:3")) == "glossary (t, g.yaml:3)"


def test_the_memory_is_read_through_its_indexes_never_scanned(tmp_path: Path) -> None:
    statements: list[str] = []
    with memory_with(tmp_path, Unit("ar", WEATHER, "en", "Cold.", origin="tmx:t.tmx")) as tm:
        tm.db.set_trace_callback(statements.append)
        assert [f.code for f in check(CONSISTENT, tm)] == ["same-source"]
        tm.db.set_trace_callback(None)
        reads = [s for s in statements if " FROM units " in s]
        assert len(reads) == 1
        plan = " ".join(str(row[-1]) for row in tm.db.execute("EXPLAIN QUERY PLAN " + reads[0]))
    assert "units_by_key" in plan and "SCAN units" not in plan
