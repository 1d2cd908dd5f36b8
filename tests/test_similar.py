"""The memory's similar sentences: the index, the look-up, and the briefing's comment.

A reviewed sentence of any article comes back as a comment (score, the Arabic difference
word by word, the reviewed translation) on a sentence that differs from it by a word; it
is never used as the text, an exact match still wins, a machine unit is never offered,
and the review import never reads the comment as a reviewer's note.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO
from docx_edit import comments_on, set_sentence

from bilingual.config import Settings
from bilingual.docx_io.reader import read_docx
from bilingual.docx_io.similar import SIMILAR_AUTHOR, word_diff
from bilingual.memory import manage
from bilingual.memory.similar import Wanted
from bilingual.memory.store import TranslationMemory, Unit
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import read_review

MEETING = REPO / "input" / "001_sample_meeting.txt"
SCHEMA = json.loads((REPO / "tests" / "data" / "briefing.schema.json").read_text("utf-8"))
OLD = "وافتتح الوزير الاجتماع صباح الثلاثاء."  # the meeting's p2.s2
NEAR = "وافتتح الوزير الاجتماع صباح يوم الثلاثاء."  # the next day's: one word more
NEW = "The Minister of the Interior opened the session this morning."


def _unit(source: str, target: str = NEW, status: str = "reviewed", **kw: str) -> Unit:
    return Unit("ar", source, kw.pop("lang", "en"), target, status, "review:x.docx", **kw)  # type: ignore[arg-type]


def _similar(memory: Path, source: str, threshold: float = 0.75, lang: str = "en"):  # type: ignore[no-untyped-def]
    with TranslationMemory(memory) as tm:
        return tm.similar([Wanted("ar", source, lang)], threshold)[0]


def test_a_sentence_one_word_apart_finds_the_reviewed_unit_of_another_article(
    tmp_path: Path,
) -> None:
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD, article="yesterday"), _unit("جملة أخرى لا علاقة لها بالموضوع")])
    found = _similar(memory, NEAR)
    assert found is not None
    assert (found.source, found.target, found.status, found.article) == (
        OLD,
        NEW,
        "reviewed",
        "yesterday",
    )
    assert found.score == pytest.approx(2 * 5 / (5 + 6))  # 5 words in common, 5 and 6 long


def test_the_score_is_on_the_normalised_arabic(tmp_path: Path) -> None:
    """Diacritics, tatweel and letter variants do not lower the score."""
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD)])
    plain = _similar(memory, NEAR)
    marked = _similar(memory, "وَافْتَتَحَ الوزيـــر الإجتماع صباح يوم الثلاثاء.")
    assert plain is not None and marked is not None and marked.score == plain.score


def test_below_the_threshold_nothing_and_another_language_nothing(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD)])
    assert _similar(memory, NEAR, threshold=0.95) is None  # 91 % < 95 %
    assert _similar(memory, NEAR, lang="vi") is None
    assert _similar(memory, "وقال الوزير إن التعاون الدولي ضروري لمكافحة الجرائم") is None


def test_machine_units_are_never_suggested_and_approved_wins_a_tie(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD, "machine text", "machine")])
    assert _similar(memory, NEAR) is None
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD, "approved text", "approved"), _unit(OLD, "reviewed text")])
    found = _similar(memory, NEAR)
    assert found is not None and (found.status, found.target) == ("approved", "approved text")


def test_a_memory_of_schema_3_gets_its_index_when_opened(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD)])
    # as schema 3 left it: the units, no index
    db = sqlite3.connect(memory)
    db.execute("DROP TABLE similar_keys")
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    found = _similar(memory, NEAR)
    assert found is not None and found.target == NEW
    with TranslationMemory(memory) as tm:
        assert int(tm.db.execute("PRAGMA user_version").fetchone()[0]) == 4


def test_a_unit_stored_twice_is_keyed_once(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    for _ in range(2):
        with TranslationMemory(memory) as tm, tm.transaction():
            tm.add_units([_unit(OLD)])
    with TranslationMemory(memory) as tm:
        (units,) = tm.db.execute("SELECT count(DISTINCT unit) FROM similar_keys").fetchone()
    assert units == 1


def test_the_difference_says_what_was_removed_and_added() -> None:
    lines = word_diff("ar", "أ ب ج د", "أ ج د هـ و")
    assert lines == ["removed \u201cب\u201d", "added \u201cهـ و\u201d"]
    assert word_diff("ar", "أ ب ج", "أ س ج") == ["\u201cب\u201d became \u201cس\u201d"]
    # compared as matching sees the words: a diacritic is no difference
    assert word_diff("ar", "وافتتح الوزير", "وَافْتَتَحَ الوزير") == []


# -- end to end -----------------------------------------------------------------------------


def _run(settings: Settings, out: Path, memory: Path, paths: Path, **kw: object) -> RunReport:
    options = RunOptions(
        paths=(paths,),
        targets=("en",),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
        **kw,  # type: ignore[arg-type]
    )
    report = translate_articles(options, settings)
    assert not report.failed
    return report


def _sentence(docx: Path, segment_id: str) -> str | None:
    return next(s.text("en") for s in read_docx(docx).segments if s.id == segment_id)


def _ours(docx: Path, segment_id: str) -> list[str]:
    return [text for who, _, text in comments_on(docx, segment_id, "en") if who == SIMILAR_AUTHOR]


@pytest.fixture()
def reviewed(tmp_path: Path, model_settings: Settings) -> tuple[Path, Path, Path]:
    """Yesterday: the meeting translated and its p2.s2 corrected by a reviewer; today, a
    follow-up article (another name) whose p2.s2 has one word more."""
    yesterday, today = tmp_path / "yesterday", tmp_path / "today"
    yesterday.mkdir()
    today.mkdir()
    shutil.copy(MEETING, yesterday / MEETING.name)
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"
    _run(model_settings, out, memory, yesterday)
    set_sentence(out / "001_sample_meeting.docx", "p2.s2", "en", NEW)
    _run(model_settings, out, memory, yesterday)  # imports the correction
    text = MEETING.read_text(encoding="utf-8").replace(OLD, NEAR)
    (today / "002_follow_up.txt").write_text(text, encoding="utf-8")
    return out, memory, today


def test_the_briefing_shows_the_similar_sentence_as_a_comment_never_as_text(
    reviewed: tuple[Path, Path, Path], model_settings: Settings
) -> None:
    out, memory, today = reviewed
    _run(model_settings, out, memory, today)
    docx = out / "002_follow_up.docx"
    assert _sentence(docx, "p2.s2") != NEW  # the machine's text stays
    [comment] = _ours(docx, "p2.s2")
    assert "91%" in comment and "added \u201cيوم\u201d" in comment and NEW in comment
    assert OLD in comment
    data = json.loads((out / "002_follow_up.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    [sentence] = [s for p in data["paragraphs"] for s in p["sentences"] if s["id"] == "p2.s2"]
    similar = sentence["review"]["en"]["similar"]
    assert (similar["target"], similar["source"], similar["status"]) == (NEW, OLD, "reviewed")
    assert similar["article"] == "001_sample_meeting" and similar["score"] == pytest.approx(
        10 / 11, abs=1e-4
    )
    assert sentence["review"]["en"]["status"] == "machine"
    # only where the sentence was near: the others carry no such key
    others = [s for p in data["paragraphs"] for s in p["sentences"] if s["id"] != "p2.s2"]
    assert not any("similar" in s["review"]["en"] for s in others)


def test_an_exact_match_wins_and_a_high_threshold_shows_nothing(
    reviewed: tuple[Path, Path, Path], model_settings: Settings, tmp_path: Path
) -> None:
    out, memory, today = reviewed
    yesterday = out / "001_sample_meeting.docx"
    assert _sentence(yesterday, "p2.s2") == NEW and _ours(yesterday, "p2.s2") == []
    strict = tmp_path / "strict"
    _run(model_settings, strict, memory, today, similar=0.95)
    assert _ours(strict / "002_follow_up.docx", "p2.s2") == []
    off = tmp_path / "off"
    _run(model_settings, off, memory, today, similar=0.0)
    data = json.loads((off / "002_follow_up.json").read_text(encoding="utf-8"))
    assert "similar" not in json.dumps(data["paragraphs"])


def test_review_import_does_not_take_the_comment_for_a_note(
    reviewed: tuple[Path, Path, Path], model_settings: Settings
) -> None:
    out, memory, today = reviewed
    _run(model_settings, out, memory, today)
    docx = out / "002_follow_up.docx"
    assert _ours(docx, "p2.s2")
    assert read_review(docx).units == ()  # nothing edited, and the comment is no new note
    set_sentence(docx, "p2.s2", "en", NEW.replace("this morning", "on Tuesday morning"))
    review = read_review(docx)
    [unit] = review.units
    assert unit.source == NEAR and unit.note == ""
    # the next run takes the edit in, and the sentence is then an exact match
    _run(model_settings, out, memory, today)
    assert _sentence(docx, "p2.s2") == NEW.replace("this morning", "on Tuesday morning")
    assert _ours(docx, "p2.s2") == []


# -- the threshold ----------------------------------------------------------------------------


def test_the_threshold_comes_from_the_argument_the_variable_the_project_or_75(
    tmp_path: Path,
) -> None:
    from bilingual.config import resolve_workspace
    from bilingual.project import read_project

    file = tmp_path / "bilingual.toml"
    file.write_text("similar = 80\n", encoding="utf-8")
    project = read_project(file)
    env = {"BILINGUAL_SIMILAR": "90"}

    def threshold(**kw: object) -> float:
        return resolve_workspace(cwd=tmp_path, **kw).similar  # type: ignore[arg-type]

    assert threshold(env={}) == 0.75
    assert threshold(env={}, project=project) == 0.80
    assert threshold(env=env, project=project) == 0.90
    assert threshold(env=env, project=project, similar=60) == 0.60
    assert threshold(env={"BILINGUAL_SIMILAR": "0"}) == 0.0


@pytest.mark.parametrize("value", ["150", "-1", "most"])
def test_a_threshold_that_is_no_percentage_is_refused_naming_where(value: str) -> None:
    from bilingual.config import resolve_workspace
    from bilingual.errors import ConfigError

    with pytest.raises(ConfigError, match="BILINGUAL_SIMILAR"):
        resolve_workspace(env={"BILINGUAL_SIMILAR": value})


def test_the_project_file_refuses_a_bad_similar(tmp_path: Path) -> None:
    from bilingual.errors import ConfigError
    from bilingual.project import read_project

    file = tmp_path / "bilingual.toml"
    file.write_text('similar = "high"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="similar must be a percentage"):
        read_project(file)


def test_the_comment_survives_libreoffice_and_stays_bilinguals(
    reviewed: tuple[Path, Path, Path], model_settings: Settings, tmp_path: Path
) -> None:
    """Saved by LibreOffice, the comment keeps its author: review import reads it as
    bilingual's own, neither a note nor a finding."""
    import docx as python_docx
    from libreoffice import edit_in_libreoffice, libreoffice_available

    from bilingual.docx_io.anchors import read_anchors

    reason = libreoffice_available()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the LibreOffice round trip: {reason}")
        pytest.skip(reason)
    out, memory, today = reviewed
    _run(model_settings, out, memory, today)
    docx = out / "002_follow_up.docx"
    saved = tmp_path / "saved.docx"
    edit_in_libreoffice(docx, saved)
    anchors = read_anchors(python_docx.Document(str(saved)), frozenset({"ar"}))
    shown = [(a.anchor.segment_id, c) for a in anchors for c in a.shown]
    assert [(s, c.author) for s, c in shown] == [("p2.s2", SIMILAR_AUTHOR)]
    assert NEW in shown[0][1].text
    assert not [c for a in anchors for c in a.comments]
    assert read_review(saved).units == ()


def test_the_command_line_refuses_a_threshold_past_100(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bilingual.cli import app

    result = CliRunner().invoke(app, ["translate", str(tmp_path), "--similar", "150"])
    assert result.exit_code == 2 and "--similar" in result.output


def test_a_retired_unit_is_never_suggested_and_its_edit_is(tmp_path: Path) -> None:
    """Retiring a unit (by hand, or by editing it) takes it out of the suggestions: the
    memory's management and the similar look-up agree on what is live."""
    memory = tmp_path / "m.sqlite"
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units([_unit(OLD, "wrong text")])
    with TranslationMemory(memory) as tm:
        (unit_id,) = tm.db.execute("SELECT id FROM units").fetchone()
        edited = manage.edit(tm, int(unit_id), "right text", who="huda")
    found = _similar(memory, NEAR)
    assert found is not None and (found.target, found.unit_id) == ("right text", edited.id)
    with TranslationMemory(memory) as tm:
        manage.retire(tm, edited.id, who="huda", reason="wrong article")
    assert _similar(memory, NEAR) is None
