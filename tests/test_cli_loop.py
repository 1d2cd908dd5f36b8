"""The review loop's commands: init, review import, memory stats/export/import, glossary set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from docx_edit import set_sentence
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.memory.store import TranslationMemory

runner = CliRunner()


@pytest.fixture()
def desk(tmp_path: Path, models_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BILINGUAL_HOME", str(models_home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init", "desk"]).exit_code == 0
    root = tmp_path / "desk"
    shutil.copytree(REPO / "glossary", root / "glossary", dirs_exist_ok=True)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["translate", str(REPO / "input"), "-q"])
    assert result.exit_code == 0, result.output
    return root


def test_init_refuses_to_overwrite_a_project(desk: Path) -> None:
    result = runner.invoke(app, ["init", "."])
    assert result.exit_code == 1 and "does not overwrite" in result.output


def test_review_import_approve_stores_every_sentence_approved(desk: Path) -> None:
    docx = desk / "output" / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", "Edited.")
    result = runner.invoke(app, ["review", "import", str(docx), "--approve"])
    assert result.exit_code == 0, result.output
    with TranslationMemory(desk / "memory.sqlite") as tm:
        units = list(tm.units())
    assert {u.status for u in units} == {"approved"}
    assert len(units) == 10  # every sentence of the article (its captions are blank)
    assert "Edited." in {u.target for u in units}


def test_memory_stats_export_and_import_round_trip(desk: Path, tmp_path: Path) -> None:
    set_sentence(desk / "output" / "001_sample_meeting.docx", "p2.s2", "en", "Edited.")
    assert runner.invoke(app, ["review", "import", "output/001_sample_meeting.docx"]).exit_code == 0
    stats = runner.invoke(app, ["memory", "stats"])
    assert stats.exit_code == 0 and "reviewed" in stats.output and "machine cache" in stats.output
    result = runner.invoke(app, ["memory", "export", "out.tmx"])
    assert result.exit_code == 0 and "wrote 1 unit(s)" in result.output
    assert "Edited." in (desk / "out.tmx").read_text(encoding="utf-8")
    other = tmp_path / "other.sqlite"
    result = runner.invoke(app, ["memory", "import", "out.tmx", "--memory", str(other)])
    assert result.exit_code == 0 and "1 new unit(s)" in result.output, result.output
    again = runner.invoke(app, ["memory", "import", "out.tmx", "--memory", str(other)])
    assert "0 new unit(s)" in again.output and "1 already there" in again.output


def test_memory_import_of_invalid_tmx_names_the_line(desk: Path) -> None:
    (desk / "bad.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body><tu>\n')
    result = runner.invoke(app, ["memory", "import", "bad.tmx"])
    assert result.exit_code == 1 and "bad.tmx:" in result.output


def test_memory_stats_without_a_memory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["memory", "stats"], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "output" / "memory.sqlite").exists()


def test_glossary_set_changes_a_rendering_in_place(desk: Path) -> None:
    result = runner.invoke(app, ["glossary", "set", "cybercrime", "--en", "cyber offences"])
    assert result.exit_code == 0, result.output
    text = (desk / "glossary" / "hanoi-convention.yaml").read_text(encoding="utf-8")
    assert "en: cyber offences" in text and "# -- terms" in text  # comments kept
    missing = runner.invoke(app, ["glossary", "set", "no-such-term", "--en", "x"])
    assert missing.exit_code == 1 and "no term 'no-such-term'" in missing.output
