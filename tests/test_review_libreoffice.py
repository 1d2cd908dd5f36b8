"""The review loop with a real editor: LibreOffice edits a briefing, bilingual takes it back.

A project is made with ``bilingual init``; ``bilingual translate`` writes the briefings;
LibreOffice (through Python-UNO, ``libreoffice_edit.py``) changes a target sentence with
change tracking on and saves DOCX; ``bilingual review import`` stores the edit and
``bilingual translate`` shows it again, reviewed, unchanged, without a model call. On CI
(``CI=true``) a missing LibreOffice is a failure, not a skip: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from libreoffice import edit_in_libreoffice, libreoffice_available
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.docx_io.reader import read_docx
from bilingual.memory.store import TranslationMemory
from bilingual.review import read_review

runner = CliRunner()
OLD = "The minister opened the meeting"
NEW = "The Minister of the Interior opened the session"


@pytest.fixture(autouse=True)
def _needs_libreoffice() -> None:
    reason = libreoffice_available()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the LibreOffice round trip: {reason}")
    pytest.skip(reason)


@pytest.fixture()
def project(tmp_path: Path, models_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "desk"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BILINGUAL_HOME", str(models_home))
    monkeypatch.setenv("COLUMNS", "200")
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    shutil.copytree(REPO / "glossary", root / "glossary", dirs_exist_ok=True)
    shutil.copytree(REPO / "input", root / "input")
    (root / "input" / "today").mkdir()
    monkeypatch.chdir(root / "input" / "today")  # commands find the project from below
    result = runner.invoke(app, ["translate", "..", "-q"])
    assert result.exit_code == 0, result.output
    return root


def _sentence(docx: Path, segment_id: str) -> str | None:
    return next((s.text("en") for s in read_docx(docx).segments if s.id == segment_id), None)


def _edit(project: Path, **edits: object) -> Path:
    docx = project / "output" / "001_sample_meeting.docx"
    edited = project / "edited.docx"
    edit_in_libreoffice(docx, edited, **edits)  # type: ignore[arg-type]
    shutil.copyfile(edited, docx)
    return docx


def test_a_tracked_edit_in_libreoffice_comes_back_reviewed_without_a_model_call(
    project: Path,
) -> None:
    docx = _edit(
        project, track_changes=True, replace=[(OLD, NEW)], comment=("Interior", "check title")
    )
    result = runner.invoke(app, ["review", "import", str(docx), "--diff"])
    assert result.exit_code == 0, result.output
    assert "1 sentence(s) changed" in result.output
    assert "[-minister-]" in result.output and "{+Minister of the Interior+}" in result.output
    result = runner.invoke(app, ["translate", "..", "-q"])
    assert result.exit_code == 0, result.output
    assert "model: 0 input(s) in 0 call(s)" in result.output
    expected = "The Minister of the Interior opened the session this morning."
    assert _sentence(docx, "p2.s2") == expected
    with TranslationMemory(project / "memory.sqlite") as tm:
        (unit,) = list(tm.units())
    assert unit.status == "reviewed" and unit.target == expected
    assert unit.note == "check title" and unit.created_by == "Reviewer"
    # bilingual's QA comments went through LibreOffice as they were: no note, no dismissal
    with TranslationMemory(project / "memory.sqlite") as tm:
        assert tm.stats().dismissed == 0


def test_qa_comments_survive_libreoffice_and_stay_bilinguals(project: Path) -> None:
    import docx as python_docx

    from bilingual.docx_io.anchors import read_anchors
    from bilingual.docx_io.findings import QA_AUTHOR

    docx = _edit(project, replace=[(OLD, NEW)])
    anchors = read_anchors(python_docx.Document(str(docx)), frozenset({"ar"}))
    qa = [c for a in anchors for c in a.qa_comments]
    assert qa and all(c.author == QA_AUTHOR for c in qa)
    assert not [c for a in anchors for c in a.comments]
    result = runner.invoke(app, ["review", "import", str(docx)])
    assert result.exit_code == 0, result.output
    with TranslationMemory(project / "memory.sqlite") as tm:
        assert tm.stats().dismissed == 0
        assert [u.note for u in tm.units()] == [""]


def test_deleting_the_visible_sentence_numbers_does_not_lose_the_mapping(project: Path) -> None:
    _edit(project, delete_style="Sentence Number")
    docx = _edit(project, replace=[(OLD, NEW)])
    result = runner.invoke(app, ["translate", "..", "-q"])
    assert result.exit_code == 0, result.output
    assert "imported 1 reviewed sentence(s)" in result.output
    assert (
        _sentence(docx, "p2.s2") == "The Minister of the Interior opened the session this morning."
    )
    # every other sentence is the machine's again, in its place, numbered again
    assert (
        _sentence(
            docx,
            "p2.s1",
        )
        and read_docx(docx).segments[0].number == 1
    )


def test_tracked_numbers_deleted_and_rejected_changes(project: Path) -> None:
    docx = _edit(project, track_changes=True, replace=[(OLD, NEW)], delete_style="Sentence Number")
    dry = runner.invoke(app, ["review", "import", str(docx), "--reject-changes", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "0 sentence(s) changed" in dry.output and "nothing written" in dry.output
    result = runner.invoke(app, ["review", "import", str(docx)])
    assert "1 sentence(s) changed" in result.output


def test_text_typed_in_the_number_style_is_the_reviewers(project: Path) -> None:
    # LibreOffice gives text typed right after a sentence number the number's style
    docx = _edit(project, replace=[(OLD, NEW)])
    result = runner.invoke(app, ["review", "import", str(docx), "--dry-run", "--diff"])
    assert "1 sentence(s) changed" in result.output, result.output
    assert "{+Minister of the Interior+}" in result.output


def test_resolving_a_qa_comment_in_libreoffice_dismisses_its_finding(project: Path) -> None:
    import json

    from bilingual.docx_io.findings import QA_AUTHOR

    docx = project / "output" / "002_sample_signing.docx"
    data = json.loads(docx.with_suffix(".json").read_text(encoding="utf-8"))
    flagged = [
        (s["id"], f["code"]) for p in data["paragraphs"] for s in p["sentences"] for f in s["flags"]
    ]
    assert flagged
    edited = project / "edited.docx"
    edit_in_libreoffice(docx, edited, resolve_comments=QA_AUTHOR)
    shutil.copyfile(edited, docx)
    result = runner.invoke(app, ["translate", "..", "-q"])
    assert result.exit_code == 0, result.output
    with TranslationMemory(project / "memory.sqlite") as tm:
        assert tm.stats().dismissed >= len(flagged)
    data = json.loads(docx.with_suffix(".json").read_text(encoding="utf-8"))
    assert not [f for p in data["paragraphs"] for s in p["sentences"] for f in s["flags"]]


def test_boxes_ticked_in_libreoffice_approve_exactly_those_sentences(project: Path) -> None:
    """LibreOffice keeps the approval boxes as content controls through a DOCX save; a box
    ticked by its Checked property (what a click sets), one whose glyph was typed over
    with an x, and one ticked on a sentence that was edited too (the edit wins)."""
    before = {
        s.id: s.text("en") for s in read_docx(project / "output/001_sample_meeting.docx").segments
    }
    grew = "Cybercrime grew by 3.5 percent"
    docx = _edit(
        project,
        tick=["The minister opened", "Cybercrime rose"],
        type_over_box=["The session was held"],
        replace=[("Cybercrime rose by 3.5 percent", grew)],
    )
    result = runner.invoke(app, ["review", "import", str(docx)])
    assert result.exit_code == 0, result.output
    assert "1 sentence(s) changed" in result.output
    assert "approved (box ticked)" in result.output and "p2.s2 (en)" in result.output
    with TranslationMemory(project / "memory.sqlite") as tm:
        units = {u.target: u.status for u in tm.units()}
    edited = next(t for t in before.values() if t and t.startswith("Cybercrime rose"))
    assert units == {
        before["p2.s1"]: "approved",
        before["p2.s2"]: "approved",
        edited.replace("Cybercrime rose by 3.5 percent", grew): "approved",
    }
    # the next briefing shows those three approved, without a box; nothing else changed
    result = runner.invoke(app, ["translate", "..", "-q"])
    assert result.exit_code == 0, result.output
    assert read_review(docx).units == ()


def test_a_briefing_saved_unchanged_by_libreoffice_imports_nothing(project: Path) -> None:
    docx = _edit(project)
    result = runner.invoke(app, ["review", "import", str(docx)])
    assert result.exit_code == 0, result.output
    assert "0 sentence(s) changed, 0 unchanged kept or approved" in result.output
    assert "0 new unit(s)" in result.output and "approved (box ticked)" not in result.output


def test_a_briefing_saved_by_libreoffice_keeps_its_signature_and_article(
    project: Path,
) -> None:
    """LibreOffice relates the core properties under its own relationship type; the
    run's signature and the article's name in them are still read, also from a file the
    reviewer renamed."""
    docx = _edit(project, replace=[(OLD, NEW)])
    written = read_docx(project / "output" / "001_sample_meeting.docx").signature
    assert written is not None and written.glossary  # the signature was read back
    renamed = project / "renamed by the reviewer.docx"
    shutil.copyfile(docx, renamed)
    result = runner.invoke(app, ["review", "import", str(renamed)])
    assert result.exit_code == 0, result.output
    with TranslationMemory(project / "memory.sqlite") as tm:
        (unit,) = list(tm.units())
    assert unit.article == "001_sample_meeting"
    assert unit.glossary == written.glossary
    assert unit.created_by not in ("python-docx", "")
