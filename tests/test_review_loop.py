"""The review loop end to end: translate, a reviewer edits the DOCX, translate again.

A real SQLite memory in a temporary folder, the committed test models, and DOCX files
edited with lxml (``docx_edit``); the LibreOffice round trips are in
``test_review_libreoffice.py``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO
from docx_edit import (
    all_comment_ids,
    comment_ids,
    delete_comment,
    remove_anchor,
    reply_to_comment,
    resolve_comment,
    set_sentence,
)

from bilingual._text import occurrences
from bilingual.config import Settings
from bilingual.docx_io.findings import parse_where
from bilingual.docx_io.reader import read_docx
from bilingual.errors import TranslationMemoryError
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import read_review, store_reviews

INPUT = REPO / "input"
MEETING = INPUT / "001_sample_meeting.txt"


def _run(settings: Settings, out: Path, memory: Path | None, **kw: object) -> RunReport:
    options = RunOptions(
        paths=(kw.pop("paths", INPUT),),  # type: ignore[arg-type]
        targets=kw.pop("targets", ("en",)),  # type: ignore[arg-type]
        glossary_dir=kw.pop("glossary", REPO / "glossary"),  # type: ignore[arg-type]
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
    )
    return translate_articles(options, settings)


def _sentence(docx: Path, segment_id: str, lang: str = "en") -> str | None:
    for s in read_docx(docx).segments:
        if s.id == segment_id:
            return s.text(lang)
    return None


def _review_json(out: Path, name: str, segment_id: str) -> dict[str, object]:
    data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    for p in data["paragraphs"]:
        for s in p["sentences"]:
            if s["id"] == segment_id:
                return s  # type: ignore[no-any-return]
    raise AssertionError(segment_id)


@pytest.fixture()
def loop(tmp_path: Path, model_settings: Settings) -> tuple[Path, Path, Settings]:
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"
    report = _run(model_settings, out, memory)
    assert not report.failed
    return out, memory, model_settings


NEW = "The Minister of the Interior opened the session this morning."


def test_an_edit_survives_the_next_run_and_shows_as_reviewed(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    report = _run(settings, out, memory)
    assert not report.failed
    meeting = next(a for a in report.articles if a.name == "001_sample_meeting")
    assert meeting.imported == 1
    assert meeting.from_memory == 1
    assert _sentence(docx, "p2.s2") == NEW
    # nothing changed but the edit: every other input comes from the machine cache
    assert report.model_sentences == 0
    sentence = _review_json(out, "001_sample_meeting", "p2.s2")
    assert sentence["en"] == NEW


def test_a_reviewed_sentence_is_marked_in_the_docx_with_a_legend(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    _run(settings, out, memory)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "reviewed: a reviewer's translation" in text
    xml = Document(str(docx)).element.xml
    assert "ReviewedMark" in xml and "\u2713" in xml
    # the reviewed sentence reads back without its mark
    assert _sentence(docx, "p2.s2") == NEW


def test_the_edit_is_kept_when_the_run_is_repeated_again(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    _run(settings, out, memory)
    report = _run(settings, out, memory)
    meeting = next(a for a in report.articles if a.name == "001_sample_meeting")
    assert meeting.imported == 0  # the briefing shows the memory's text: nothing new
    assert _sentence(docx, "p2.s2") == NEW


def test_a_second_edit_of_a_reviewed_sentence_wins_and_the_first_is_kept(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    _run(settings, out, memory)
    set_sentence(docx, "p2.s2", "en", "The minister opened it.")
    _run(settings, out, memory)
    assert _sentence(docx, "p2.s2") == "The minister opened it."
    with TranslationMemory(memory) as tm:
        targets = {u.target for u in tm.units()}
    assert {NEW, "The minister opened it."} <= targets


def test_a_vietnamese_run_translates_from_the_reviewed_english(
    tmp_path: Path, model_settings: Settings
) -> None:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory, targets=("en", "vi"))
    docx = out / "001_sample_meeting.docx"
    before_vi = _sentence(docx, "p2.s2", "vi")
    set_sentence(docx, "p2.s2", "en", "Interior ministers met today.")
    report = _run(model_settings, out, memory, targets=("en", "vi"))
    assert _sentence(docx, "p2.s2") == "Interior ministers met today."
    assert _sentence(docx, "p2.s2", "vi") != before_vi
    assert report.model_sentences == 1  # only the new English goes to the en->vi model


def test_no_memory_translates_as_today_and_refuses_to_lose_an_edit(loop) -> None:  # type: ignore[no-untyped-def]
    out, _memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    before = docx.read_bytes()
    report = _run(settings, out, None)
    failed = {a.name: a.error for a in report.articles if a.error}
    assert "001_sample_meeting" in failed and "--no-memory" in (failed["001_sample_meeting"] or "")
    assert docx.read_bytes() == before
    assert len(report.articles) - len(failed) == len(list(INPUT.glob("*.txt"))) - 1  # the others


def test_merged_sentences_become_one_paragraph_unit(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    merged = "Over 1,000 delegates from 40 countries attended, and the minister opened it."
    set_sentence(docx, "p2.s1", "en", merged)
    set_sentence(docx, "p2.s2", "en", "")
    remove_anchor(docx, "p2.s2", "en")
    review = read_review(docx)
    assert review.changed[0].after == merged
    assert [c.level for c in review.changed] == ["paragraph"]
    assert review.changed[0].segment_id == "p2"
    _run(settings, out, memory)
    assert _sentence(docx, "p2.s1") == merged
    assert _sentence(docx, "p2.s2") == ""


def test_an_edit_to_the_source_column_is_reported_and_ignored(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "ar", "نص آخر")
    set_sentence(docx, "p2.s2", "en", NEW)
    review = read_review(docx)
    assert review.source_edits == ("p2.s2",)
    # the original source comes from the JSON twin: the unit is stored under it
    assert [u.source for u in review.units] == ["وافتتح الوزير الاجتماع صباح الثلاثاء."]
    (out / "001_sample_meeting.json").unlink()
    review = read_review(docx)
    assert review.units == () and review.unmappable
    before = docx.read_bytes()
    report = _run(settings, out, memory)
    assert any(a.error and "cannot be mapped" in a.error for a in report.articles)
    assert docx.read_bytes() == before


def test_a_reviewer_replacing_a_glossary_rendering_gets_the_command(
    tmp_path: Path, model_settings: Settings
) -> None:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory)
    docx = out / "002_sample_signing.docx"
    target = next(s for s in read_docx(docx).segments if "cybercrime" in (s.text("en") or ""))
    changed = (target.text("en") or "").replace("cybercrime", "cyber offences", 1)
    set_sentence(docx, target.id, "en", changed)
    from bilingual.glossary import load_glossary

    review = read_review(docx, glossary=load_glossary(REPO / "glossary"))
    notices = [n for n in review.terms if n.rendering == "cybercrime"]
    assert notices, review.terms
    assert notices[0].replacement == "cyber offences"
    assert notices[0].command == "bilingual glossary set cybercrime --en 'cyber offences'"


def _glossary_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "glossary"
    shutil.copytree(REPO / "glossary", folder)
    for file in folder.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace(f"en: {old}\n", f"en: {new}\n"), encoding="utf-8")
    return folder


def test_a_changed_glossary_rendering_updates_the_reviewed_text_and_flags_it(
    tmp_path: Path, model_settings: Settings
) -> None:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory)
    docx = out / "002_sample_signing.docx"
    target = next(s for s in read_docx(docx).segments if "cybercrime" in (s.text("en") or ""))
    reviewed = "Reviewed: 65 countries signed the convention against cybercrime."
    set_sentence(docx, target.id, "en", reviewed)
    _run(model_settings, out, memory)
    glossary = _glossary_with(tmp_path, "cybercrime", "cyber-crime")
    report = _run(model_settings, out, memory, glossary=glossary)
    assert _sentence(docx, target.id) == reviewed.replace("cybercrime", "cyber-crime")
    signing = next(a for a in report.articles if a.name == "002_sample_signing")
    assert signing.term_updates >= 1
    sentence = _review_json(out, "002_sample_signing", target.id)
    assert any(f["code"] == "term-updated" for f in sentence["flags"])  # type: ignore[union-attr]


def test_a_term_missing_from_the_reviewed_text_is_forced_and_flagged(
    tmp_path: Path, model_settings: Settings
) -> None:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory)
    docx = out / "002_sample_signing.docx"
    target = next(s for s in read_docx(docx).segments if "cybercrime" in (s.text("en") or ""))
    set_sentence(docx, target.id, "en", "65 countries signed the convention in the capital.")
    _run(model_settings, out, memory)
    text = _sentence(docx, target.id) or ""
    assert (
        "cybercrime" in text and "capital" in text
    )  # the reviewer's words stay, the term is added
    sentence = _review_json(out, "002_sample_signing", target.id)
    assert any(t["strategy"] == "forced" for t in sentence["terms"])  # type: ignore[union-attr]


def test_only_sentences_holding_a_changed_term_reach_the_model(
    tmp_path: Path, model_settings: Settings
) -> None:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory)
    glossary = _glossary_with(tmp_path, "cybercrime", "cyber-crime")
    report = _run(model_settings, out, memory, glossary=glossary)
    holding = sum(
        1
        for a in ("001_sample_meeting", "002_sample_signing", "003_sample_delegates")
        for s in read_docx(out / f"{a}.docx").segments
        # as the locking counts it: "Cyber-crime rose..." at a sentence start holds it too
        if occurrences(s.text("en") or "", "cyber-crime")
    )
    assert holding == 5
    # each sentence holding the term is decoded again (its injected input changed), plus
    # a prefix repair for those where the model drops it; no other sentence
    assert holding <= report.model_sentences <= 2 * holding


def test_unchanged_rerun_makes_no_model_call(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    before = {p: p.read_bytes() for p in out.glob("*.*")}
    report = _run(settings, out, memory)
    assert report.model_sentences == 0 and report.model_calls == 0
    # nothing changed, so nothing is rewritten
    assert not any(a.rewritten for a in report.articles)
    assert {p: p.read_bytes() for p in out.glob("*.*")} == before


def test_store_reviews_is_one_transaction(loop, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    out, memory, _settings = loop
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    set_sentence(docx, "p2.s1", "en", "Delegates came.")
    review = read_review(docx)
    broken = replace(review, units=(*review.units[:1], replace(review.units[1], status="bogus")))  # type: ignore[arg-type]
    with TranslationMemory(memory) as tm, pytest.raises(TranslationMemoryError, match="nothing"):
        store_reviews(tm, [broken])
    with TranslationMemory(memory) as tm:
        assert list(tm.units()) == []
        assert tm.integrity() == "ok"


def _delete_finding_row(docx_path: Path, segment_id: str, lang: str, code: str) -> None:
    from docx import Document

    document = Document(str(docx_path))
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][:3] == ["Level", "Code", "Where"]:
            for row in table.rows[1:]:
                where, langs = parse_where(row.cells[2].text)
                if row.cells[1].text == code and where == segment_id and lang in langs:
                    row._tr.getparent().remove(row._tr)
                    document.save(str(docx_path))
                    return
    raise AssertionError(f"no finding row {segment_id} ({lang}) {code}")


SIGNING = "002_sample_signing"
"""The sample with several findings (numbers, length) besides forced terms."""


def _a_finding(
    out: Path, name: str = SIGNING, *, in_table: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """A sentence of a briefing and one of its findings with a language."""
    data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    return next(
        (s, f)
        for p in data["paragraphs"]
        for s in p["sentences"]
        for f in s["flags"]
        if f["lang"] and (f["code"] != "forced-term" or not in_table)
    )


def test_a_finding_the_reviewer_deleted_is_not_raised_again(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    sentence, flag = _a_finding(out)
    docx = out / f"{SIGNING}.docx"
    _delete_finding_row(docx, sentence["id"], flag["lang"], flag["code"])
    report = _run(settings, out, memory)
    assert not report.failed
    again = _review_json(out, SIGNING, sentence["id"])
    assert flag["code"] not in [f["code"] for f in again["flags"]]  # type: ignore[union-attr]
    with TranslationMemory(memory) as tm:
        assert tm.stats().dismissed == 1
    # an edited sentence is another text: the dismissal does not carry over to it
    set_sentence(docx, sentence["id"], "en", (sentence["en"] or "") + " Edited.")
    _run(settings, out, memory)
    assert _sentence(docx, sentence["id"]) == (sentence["en"] or "") + " Edited."


@pytest.mark.parametrize("how", ["resolve", "delete"])
def test_a_finding_whose_comment_the_reviewer_resolved_or_deleted_is_not_raised_again(
    loop, how: str
) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    sentence, flag = _a_finding(out)
    docx = out / f"{SIGNING}.docx"
    [comment] = comment_ids(docx, sentence["id"], flag["lang"])
    (resolve_comment if how == "resolve" else delete_comment)(docx, comment)
    review = read_review(docx)
    assert review.dismissed and all(d[1] == flag["lang"] for d in review.dismissed)
    assert review.units == ()  # bilingual's own comments are never a reviewer's note
    report = _run(settings, out, memory)
    assert not report.failed
    again = _review_json(out, SIGNING, sentence["id"])
    codes = [f["code"] for f in again["flags"] if f["lang"] == flag["lang"]]  # type: ignore[union-attr]
    assert flag["code"] not in codes
    # the other sentences keep their findings (and their comments)
    assert any(
        f
        for p in json.loads((out / f"{SIGNING}.json").read_text("utf-8"))["paragraphs"]
        for s in p["sentences"]
        if s["id"] != sentence["id"]
        for f in s["flags"]
    )


def test_a_document_stripped_of_every_comment_dismisses_nothing(loop) -> None:  # type: ignore[no-untyped-def]
    out, _memory, _settings = loop
    docx = out / f"{SIGNING}.docx"
    assert len(all_comment_ids(docx)) > 1
    for cid in all_comment_ids(docx):
        delete_comment(docx, cid)
    assert all_comment_ids(docx) == []
    assert read_review(docx).dismissed == ()


@pytest.mark.parametrize("ranged", [True, False])
def test_qa_comments_are_not_notes_but_a_reply_to_one_is(loop, ranged: bool) -> None:  # type: ignore[no-untyped-def]
    out, _memory, _settings = loop
    sentence, flag = _a_finding(out, "001_sample_meeting", in_table=False)
    docx = out / "001_sample_meeting.docx"
    # bilingual's comments are no reviewer's note: nothing to store
    assert read_review(docx).units == ()
    [comment] = comment_ids(docx, sentence["id"], flag["lang"])
    reply_to_comment(docx, comment, "the number is right: 2027 is in the source", ranged=ranged)
    review = read_review(docx)
    [unit] = review.units
    assert unit.target_lang == flag["lang"] and unit.target == sentence[flag["lang"]]
    assert unit.note == "the number is right: 2027 is in the source"
    assert review.dismissed == ()  # a reply dismisses nothing


def test_a_similar_sentence_gets_a_note_never_the_reviewers_text(
    tmp_path: Path, model_settings: Settings
) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    shutil.copy(MEETING, articles / MEETING.name)
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory, paths=articles)
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", NEW)
    _run(model_settings, out, memory, paths=articles)
    # the next day's version of the article fixes a word in that sentence
    text = MEETING.read_text(encoding="utf-8")
    (articles / MEETING.name).write_text(
        text.replace("صباح الثلاثاء", "صباح يوم الثلاثاء"), encoding="utf-8"
    )
    _run(model_settings, out, memory, paths=articles)
    assert _sentence(docx, "p2.s2") != NEW
    sentence = _review_json(out, "001_sample_meeting", "p2.s2")
    notes = [f for f in sentence["flags"] if f["code"] == "fuzzy-match"]  # type: ignore[union-attr]
    assert len(notes) == 1 and NEW in notes[0]["message"] and notes[0]["level"] == "info"


def test_a_caption_finding_the_reviewer_deleted_is_not_raised_again(
    tmp_path: Path, model_settings: Settings
) -> None:
    """A caption is checked like a sentence, so its findings are dismissed like one's:
    the row deleted under the caption's id ``c1`` is not raised again on the same text."""
    article = tmp_path / "captioned.txt"
    article.write_text(
        "وارتفعت الجرائم الإلكترونية بنسبة 3.5 في المئة في العام الماضي.\n"
        # seed 002's first caption: the test model drops its "26"
        "| نظرة عامة على جلسة المناقشة رفيعة المستوى التي عقدت صباح يوم 26 أكتوبر. "
        "(تصوير: جاكي شان) |\n",
        encoding="utf-8",
    )
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    _run(model_settings, out, memory, paths=article)
    data = json.loads((out / "captioned.json").read_text(encoding="utf-8"))
    [caption] = data["article"]["captions"]
    flag = next(f for f in caption["flags"] if f["lang"] and f["code"] != "forced-term")
    _delete_finding_row(out / "captioned.docx", "c1", flag["lang"], flag["code"])
    report = _run(model_settings, out, memory, paths=article)
    assert not report.failed
    data = json.loads((out / "captioned.json").read_text(encoding="utf-8"))
    [caption] = data["article"]["captions"]
    left = [(f["code"], f["lang"]) for f in caption["flags"]]
    assert (flag["code"], flag["lang"]) not in left
    with TranslationMemory(memory) as tm:
        assert tm.stats().dismissed >= 1
