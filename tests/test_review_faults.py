"""Bad reviewed briefings: each is refused with its name and a fix, and nothing is lost.

``review import`` reports the file and goes on with the others; ``translate`` fails
only that article, leaves its DOCX byte for byte as it was, and writes the others.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import REPO
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.errors import BriefingReadError, ReviewError
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import read_review

runner = CliRunner()
NAME = "001_sample_meeting"


def _run(settings: Settings, out: Path, memory: Path) -> RunReport:
    options = RunOptions(
        paths=(REPO / "input",), glossary_dir=REPO / "glossary", out_dir=out, memory=memory
    )
    return translate_articles(options, settings)


@pytest.fixture()
def written(tmp_path: Path, model_settings: Settings) -> tuple[Path, Path, Settings]:
    out, memory = tmp_path / "output", tmp_path / "m.sqlite"
    assert not _run(model_settings, out, memory).failed
    return out, memory, model_settings


def _corrupt(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:500])


def _foreign(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("A letter, not a briefing.")
    d.save(str(path))


def _table_deleted(path: Path) -> None:
    d = docx.Document(str(path))
    table = d.tables[0]._tbl
    table.getparent().remove(table)
    d.save(str(path))


def _docm(path: Path) -> Path:
    target = path.with_suffix(".docm")
    shutil.copyfile(path, target)
    return target


FAULTS = {
    "corrupt": (_corrupt, BriefingReadError, "is not a Word document"),
    "foreign": (_foreign, ReviewError, "not a briefing bilingual wrote"),
    "table deleted": (_table_deleted, ReviewError, "lost its aligned table"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_translate_fails_only_that_article_and_keeps_its_file(written, fault: str) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = written
    spoil, _, message = FAULTS[fault]
    target = out / f"{NAME}.docx"
    spoil(target)
    before = target.read_bytes()
    report = _run(settings, out, memory)
    (failed,) = report.failed
    assert failed.name == NAME and failed.error is not None
    assert message in failed.error and "not replaced" in failed.error
    assert str(target) in failed.error
    assert target.read_bytes() == before
    others = [a for a in report.articles if a.name != NAME]
    assert len(others) == len(report.articles) - 1 >= 2
    assert all(a.error is None and a.docx for a in others)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_review_import_names_the_file_and_the_fix(written, fault: str) -> None:  # type: ignore[no-untyped-def]
    out, _memory, _settings = written
    spoil, error, message = FAULTS[fault]
    spoil(out / f"{NAME}.docx")
    with pytest.raises(error, match=message) as info:
        read_review(out / f"{NAME}.docx")
    assert info.value.fix


def test_a_docm_is_refused_with_how_to_save_it(written) -> None:  # type: ignore[no-untyped-def]
    out, memory, _settings = written
    docm = _docm(out / f"{NAME}.docx")
    result = runner.invoke(app, ["review", "import", str(docm), "--memory", str(memory)])
    assert result.exit_code == 1
    assert "macro-enabled" in result.output and "Word Document (.docx)" in result.output


@pytest.mark.parametrize(
    "lock", ["~$" + NAME + ".docx", "~$" + NAME[2:] + ".docx", f".~lock.{NAME}.docx#"]
)
def test_a_briefing_open_in_an_editor_is_not_replaced(written, lock: str) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = written
    (out / lock).write_text("locked by Reviewer")
    before = (out / f"{NAME}.docx").read_bytes()
    report = _run(settings, out, memory)
    (failed,) = report.failed
    assert failed.error is not None and "open in Word or LibreOffice" in failed.error
    assert lock in failed.error
    assert (out / f"{NAME}.docx").read_bytes() == before


def test_review_import_goes_on_after_a_bad_file(written) -> None:  # type: ignore[no-untyped-def]
    from docx_edit import set_sentence

    out, memory, _settings = written
    set_sentence(out / "002_sample_signing.docx", "p1.s1", "en", "Edited.")
    _corrupt(out / f"{NAME}.docx")
    files = [str(out / f"{NAME}.docx"), str(out / "002_sample_signing.docx")]
    result = runner.invoke(app, ["review", "import", *files, "--memory", str(memory)])
    assert result.exit_code == 1
    assert "is not a Word document" in result.output
    assert "1 new unit(s)" in result.output


def _strip_anchors(path: Path) -> None:
    from docx.oxml.ns import qn

    d = docx.Document(str(path))
    body = d.element.body
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for node in list(body.iter(qn(tag))):
            node.getparent().remove(node)
    d.save(str(path))


def test_an_older_unedited_briefing_is_replaced_an_edited_one_is_kept(written) -> None:  # type: ignore[no-untyped-def]
    out, memory, settings = written
    target = out / f"{NAME}.docx"
    _strip_anchors(target)  # as an older bilingual wrote it
    assert not _run(settings, out, memory).failed
    _strip_anchors(target)
    d = docx.Document(str(target))
    cell = d.tables[0].rows[2].cells[2]
    cell.paragraphs[0].runs[-1].text += " Edited."
    d.save(str(target))
    before = target.read_bytes()
    (failed,) = _run(settings, out, memory).failed
    assert failed.error is not None and "no sentence anchors" in failed.error
    assert target.read_bytes() == before
