"""Nothing a reviewer does to a briefing is silently undone, and what they wrote stays visible.

Each change a reviewer can make to the aligned table is either taken or reported and
kept: a deleted row, an added row, a tracked edit inside a bold term, a comment on an
unedited sentence; the commands printed for pasting are quoted; the diff has the old
text without change tracking; the status of a sentence reads at a glance; outside a
project nothing is written somewhere unexpected without saying so.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import REPO
from docx_edit import (
    add_comment,
    add_row_after,
    aligned_rows,
    comments_on,
    delete_row,
    insert_tracked,
    set_sentence,
)
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.docx_io.reader import read_docx
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import TermNotice, read_review, store_reviews

runner = CliRunner()
SIGNING = "002_sample_signing"


def _run(settings: Settings, out: Path, memory: Path | None, **kw: object) -> RunReport:
    options = RunOptions(
        paths=(REPO / "input",),
        targets=("en",),
        glossary_dir=kw.pop("glossary", REPO / "glossary"),  # type: ignore[arg-type]
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
    )
    return translate_articles(options, settings)


@pytest.fixture()
def loop(tmp_path: Path, model_settings: Settings) -> tuple[Path, Path, Settings]:
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"
    assert not _run(model_settings, out, memory).failed
    return out, memory, model_settings


def _units(memory: Path) -> list[dict[str, str]]:
    import sqlite3

    db = sqlite3.connect(memory)
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute("SELECT * FROM units")]


def _json_sentence(out: Path, segment_id: str) -> dict[str, object]:
    data = json.loads((out / f"{SIGNING}.json").read_text(encoding="utf-8"))
    for p in data["paragraphs"]:
        for s in p["sentences"]:
            if s["id"] == segment_id:
                return s  # type: ignore[no-any-return]
    raise AssertionError(segment_id)


# -- 1: a deleted row ----------------------------------------------------------------------


def test_a_deleted_row_is_reported_recorded_and_marked_in_the_next_briefing(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    delete_row(path, 4)
    review = read_review(path)
    assert [row.paragraph for row in review.deleted] == ["p4"]
    result = runner.invoke(app, ["review", "import", str(path), "--memory", str(memory)])
    assert result.exit_code == 0, result.output
    assert "deleted the row of paragraph 4" in result.output
    _run(settings, out, memory)
    # the article still has the paragraph: the row is back, but marked, never silently
    assert len(aligned_rows(docx.Document(str(path)))) == 1 + 6
    flags = _json_sentence(out, "p4.s1")["flags"]
    assert [f["code"] for f in flags if f["code"] == "deleted-row"] == ["deleted-row"]  # type: ignore[index,union-attr]
    assert all(f["code"] != "deleted-row" for f in _json_sentence(out, "p3.s1")["flags"])  # type: ignore[index,union-attr]


def test_translate_reports_a_deleted_row_it_imports(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    delete_row(out / f"{SIGNING}.docx", 2)
    report = _run(settings, out, memory)
    signing = next(a for a in report.articles if a.name == SIGNING)
    assert any("paragraph 2" in n for n in signing.review_notes), signing.review_notes
    assert any(f.code == "deleted-row" for f in _flags(out, "p2.s1"))


def _flags(out: Path, segment_id: str) -> list[object]:
    from bilingual.json_io import read_json

    briefing = read_json(out / f"{SIGNING}.json")
    [segment] = [s for s in briefing.segments() if s.id == segment_id]
    return [f for r in segment.renderings.values() for f in r.flags]


# -- 2: an added row -----------------------------------------------------------------------

MINE = "Note from the desk: the ceremony was broadcast live."


def test_an_added_row_is_kept_as_a_note_and_shown_again(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    add_row_after(path, 2, ["", "", MINE])
    review = read_review(path)
    assert len(review.added) == 1 and review.added[0].after == "p2"
    [unit] = review.units
    assert MINE in unit.note and "after paragraph 2" in unit.note
    report = _run(settings, out, memory)
    signing = next(a for a in report.articles if a.name == SIGNING)
    assert any("added a row after paragraph 2" in n for n in signing.review_notes)
    shown = comments_on(path, "p2.s1", "en")
    assert any(MINE in text for _author, _date, text in shown), shown
    # the next import does not take the note shown again for a new one
    assert read_review(path).units == ()


# -- 3: a tracked edit inside a bold term at the sentence start ----------------------------


def test_a_tracked_edit_of_a_capitalised_term_is_reported_and_kept(loop) -> None:  # type: ignore[no-untyped-def]
    from bilingual.glossary import load_glossary

    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    set_sentence(path, "p1.s1", "en", "Cybercrime rose sharply this year.")
    _run(settings, out, memory)  # the reviewed sentence is back, its term bold
    insert_tracked(path, "p1.s1", "en", "Cybercrime", "Cyber-crime")
    review = read_review(path, glossary=load_glossary(REPO / "glossary"))
    [change] = review.changed
    assert change.after == "Cyber-crime rose sharply this year."
    assert [(n.term_id, n.replacement) for n in review.terms] == [("cybercrime", "Cyber-crime")]
    _run(settings, out, memory)
    # the reviewer's words stand: no second copy of the term written into them
    assert _sentence(path, "p1.s1") == "Cyber-crime rose sharply this year."
    flags = _json_sentence(out, "p1.s1")["flags"]
    assert any(f["code"] == "term-variant" for f in flags)  # type: ignore[index,union-attr]


def _sentence(path: Path, segment_id: str) -> str | None:
    [s] = [s for s in read_docx(path).segments if s.id == segment_id]
    return s.text("en")


# -- 4: the article of every unit ----------------------------------------------------------


def test_a_comment_on_an_unedited_sentence_and_approve_name_the_article(loop) -> None:  # type: ignore[no-untyped-def]
    out, _memory, _settings = loop
    path = out / f"{SIGNING}.docx"
    add_comment(path, "p2.s1", "en", "checked against the wire", "Reviewer")
    [unit] = read_review(path).units
    assert unit.note == "checked against the wire" and unit.article == SIGNING
    approved = read_review(path, approve=True).units
    assert len(approved) >= 6 and {u.article for u in approved} == {SIGNING}


# -- 5: commands printed for pasting -------------------------------------------------------


@pytest.mark.parametrize("words", ["$(touch PWNED)", "a `touch PWNED` b", 'it\'s "x"', "a\nb"])
def test_the_glossary_set_command_is_safe_to_paste(tmp_path: Path, words: str) -> None:
    command = TermNotice("cybercrime", "en", "cybercrime", "p1.s1", words).command
    assert "\n" not in command
    # the shell reads it back as exactly these words and runs nothing else
    echo = command.replace("bilingual glossary set", "printf '%s\\0'", 1)
    done = subprocess.run(
        ["bash", "-c", echo], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\0")[:3] == ["cybercrime", "--en", words]
    assert not (tmp_path / "PWNED").exists()


def test_a_kept_names_command_is_quoted() -> None:
    from bilingual.document.names import KeptName

    name = KeptName("obrien", "اسم", "person", {"en": "O'Brien $(x)"}, "model", "a", "p1.s1", 1)
    assert shlex.split(name.command())[-2:] == ["--en", "O'Brien $(x)"]
    draft = KeptName("x`y`", "اسم", "person", {"en": "a\nb"}, "model", "a", "p1.s1", 1, draft=True)
    assert "\n" not in draft.command() and "'x`y`'" in draft.command()


# -- 6: the reviewer's comment in the next briefing ----------------------------------------


def test_a_reviewers_comment_is_shown_again_as_theirs_and_not_stored_twice(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    add_comment(path, "p2.s1", "en", "checked against the wire", "Hanh Nguyen")
    _run(settings, out, memory)
    shown = comments_on(path, "p2.s1", "en")
    mine = [c for c in shown if c[2] == "checked against the wire"]
    assert len(mine) == 1
    author, date, _text = mine[0]
    assert author != "bilingual QA" and date
    with TranslationMemory(memory) as tm:
        assert store_reviews(tm, [read_review(path)]) == [0]
    assert read_review(path).units == ()


# -- 7: the status at a glance -------------------------------------------------------------


def test_a_reviewed_sentence_carries_a_readable_status_word(loop) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    set_sentence(path, "p2.s1", "en", "The ceremony drew a thousand delegates.")
    _run(settings, out, memory)
    document = docx.Document(str(path))
    marks = [
        r
        for r in document.element.body.iter(qn("w:r"))
        if (s := r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")) is not None
        and s.get(qn("w:val")) == "ReviewedMark"
    ]
    texts = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in marks]
    assert any("reviewed" in t.lower() for t in texts), texts
    style = document.styles["Reviewed Mark"]
    assert style.font.size is None or style.font.size.pt >= 8
    assert not style.font.superscript
    assert _sentence(path, "p2.s1") == "The ceremony drew a thousand delegates."
    assert read_review(path).units == ()


# -- 8: the diff without change tracking ---------------------------------------------------


def test_the_diff_shows_the_old_text_without_change_tracking(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, _settings = loop
    path = out / f"{SIGNING}.docx"
    set_sentence(path, "p2.s1", "en", "More than 1,000 delegates attended the ceremony.")
    result = runner.invoke(
        app, ["review", "import", str(path), "--memory", str(memory), "--diff", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "[-signing-]" in result.output, result.output
    # sent back by mail and saved elsewhere: the JSON in the output folder still says
    mail = out.parent / "mail"
    mail.mkdir()
    shutil.copyfile(path, mail / path.name)
    args = ["--memory", str(memory), "--diff", "--dry-run"]
    said = _in(out.parent, "review", "import", str(mail / path.name), *args)
    assert said.startswith("0") and "[-signing-]" in said, said


# -- 9: outside a project ------------------------------------------------------------------


def _in(folder: Path, *args: str) -> str:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)
    return f"{result.exit_code}\n{result.output}"


def test_review_import_elsewhere_uses_the_briefings_project(tmp_path: Path, models_home) -> None:  # type: ignore[no-untyped-def]
    desk, elsewhere = tmp_path / "desk", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"BILINGUAL_HOME": str(models_home)}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        mp.delenv("BILINGUAL_MEMORY", raising=False)
        assert _in(tmp_path, "init", str(desk)).startswith("0")
        assert _in(desk, "translate", str(REPO / "input" / "002_sample_signing.txt"))[0] == "0"
        path = desk / "output" / f"{SIGNING}.docx"
        set_sentence(path, "p2.s1", "en", "Edited.")
        said = _in(elsewhere, "review", "import", str(path))
    assert said.startswith("0"), said
    assert "bilingual.toml" in said and "1 new unit(s)" in said
    assert not (elsewhere / "output").exists()
    assert any(u["target"] == "Edited." for u in _units(desk / "memory.sqlite"))


def test_review_import_outside_any_project_refuses_a_missing_memory(loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, _memory, _settings = loop  # this run's memory is not beside the briefing
    path = out / f"{SIGNING}.docx"
    set_sentence(path, "p2.s1", "en", "Edited.")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    said = _in(elsewhere, "review", "import", str(path))
    assert said.startswith("1") and "no translation memory beside the briefing" in said
    assert "--memory" in said
    assert not (elsewhere / "output").exists() and not (out / "memory.sqlite").exists()
    new = tmp_path / "new.sqlite"
    said = _in(elsewhere, "review", "import", str(path), "--memory", str(new))
    assert said.startswith("0") and "created a new memory at" in said, said


def test_translate_without_a_glossary_says_no_terms_are_locked(tmp_path: Path, models_home) -> None:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BILINGUAL_HOME", str(models_home))
        said = _in(tmp_path, "translate", str(REPO / "input" / "002_sample_signing.txt"))
    assert said.startswith("0")
    assert "warning: no glossary: no terms will be locked" in said
    assert "creates a new one" in said


def test_a_deleted_row_is_never_dropped_by_a_run_without_memory(loop) -> None:  # type: ignore[no-untyped-def]
    out, _memory, settings = loop
    path = out / f"{SIGNING}.docx"
    delete_row(path, 3)
    before = path.read_bytes()
    report = _run(settings, out, None)
    (failed,) = report.failed
    assert failed.error is not None and "1 deleted row(s)" in failed.error
    assert path.read_bytes() == before


def test_translate_prints_what_became_of_a_deleted_row(loop, models_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out, memory, _settings = loop
    monkeypatch.setenv("BILINGUAL_HOME", str(models_home))
    delete_row(out / f"{SIGNING}.docx", 5)
    args = ["--out", str(out), "--memory", str(memory), "--glossary", str(REPO / "glossary")]
    said = _in(out.parent, "translate", str(REPO / "input" / f"{SIGNING}.txt"), *args)
    assert said.startswith("0"), said
    assert "the reviewer deleted the row of paragraph 5" in said


def test_a_note_the_reviewer_deleted_is_cleared(loop) -> None:  # type: ignore[no-untyped-def]
    from docx_edit import comment_ids, delete_comment

    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    add_comment(path, "p2.s1", "en", "checked against the wire", "Hanh Nguyen")
    _run(settings, out, memory)
    [shown] = [
        cid
        for cid, (_a, _d, text) in zip(
            comment_ids(path, "p2.s1", "en"), comments_on(path, "p2.s1", "en"), strict=True
        )
        if text == "checked against the wire"
    ]
    delete_comment(path, shown)
    [unit] = read_review(path).units
    assert unit.note == ""
    _run(settings, out, memory)
    assert all(t != "checked against the wire" for _a, _d, t in comments_on(path, "p2.s1", "en"))


def test_a_second_comment_on_a_reviewed_sentence_is_stored(loop) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = loop
    path = out / f"{SIGNING}.docx"
    add_comment(path, "p2.s1", "en", "checked against the wire", "Hanh Nguyen")
    _run(settings, out, memory)
    add_comment(path, "p2.s1", "en", "and with the ministry", "Hanh Nguyen")
    report = _run(settings, out, memory)
    assert next(a for a in report.articles if a.name == SIGNING).imported == 1
    [(_author, _date, text)] = [
        c for c in comments_on(path, "p2.s1", "en") if c[0] != "bilingual QA"
    ]
    assert text == "checked against the wire\nand with the ministry"
