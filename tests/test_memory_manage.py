"""Tests for bilingual.memory.manage and ``bilingual memory search|show|edit|retire|imports|
retract``: the schema 2 -> 3 migration, every bad input (a clear message, nothing changed),
what a retraction does to later corrections and to a re-import, and a retraction racing a
review import."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from conftest import REPO
from docx_edit import set_sentence
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.errors import TranslationMemoryError
from bilingual.glossary.store import load_glossary
from bilingual.memory import names as memory_names
from bilingual.memory.manage import (
    MAX_SEARCH,
    edit,
    get,
    history,
    imports,
    retract,
    search,
)
from bilingual.memory.schema import SCHEMA_1, SCHEMA_VERSION
from bilingual.memory.store import Query, TranslationMemory, Unit
from bilingual.memory.tmx import export_tmx
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.review import read_review, store_reviews

runner = CliRunner()
SRC = "وقالَ الرئيسُ إنّ الاجتماعَ انتهى."
OTHER = "وافتتح الوزير الاجتماع صباح الثلاثاء."


def _unit(target: str, source: str = SRC, **kw: object) -> Unit:
    return Unit("ar", source, "en", target, **kw)  # type: ignore[arg-type]


def _import(tm: TranslationMemory, origin: str, *units: Unit, kind: str = "review") -> int:
    with tm.transaction():
        batch, _ = tm.add_import(kind, origin, units, who="tester")
    return batch


def _recalled(tm: TranslationMemory, source: str = SRC) -> str | None:
    (hit,) = tm.lookup([Query("ar", source, "en")])
    return hit.unit.target if hit is not None else None


def _state(path: Path) -> list[tuple[object, ...]]:
    """Everything a refused command must leave as it was."""
    db = sqlite3.connect(path)
    try:
        return [
            *db.execute("SELECT * FROM units ORDER BY id"),
            *db.execute("SELECT * FROM imports ORDER BY id"),
        ]
    finally:
        db.close()


def _cli(memory: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["memory", *args, "--memory", str(memory)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.fixture()
def memory(tmp_path: Path) -> Path:
    path = tmp_path / "m.sqlite"
    with TranslationMemory(path) as tm:
        _import(tm, "a.docx", _unit("The President said the meeting ended."))
        _import(tm, "b.tmx", _unit("The minister opened it.", OTHER), kind="tmx")
    return path


# -- the migration -------------------------------------------------------------------------


def test_a_version_2_memory_is_migrated_and_its_units_stay_recalled(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1 + memory_names.SCHEMA)  # schema 2 as bilingual wrote it
    db.execute(
        "INSERT INTO units (source_lang, source, source_key, target_lang, target, status, "
        "origin, created_at, changed_at, ident) VALUES ('ar', ?, ?, 'en', ?, 'reviewed', "
        "'review:old.docx', '2026-01-01', '2026-01-01', 'x')",
        (SRC, _unit("").key, "The President said so."),
    )
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with TranslationMemory(path) as tm:
        assert tm.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert tm.integrity() == "ok"
        assert _recalled(tm) == "The President said so."
        # its folded columns were filled: found without diacritics, clitic or case
        [found] = search(tm, "الرئيس")
        assert found.import_id is None and not found.retired
        assert search(tm, "PRESIDENT SAID") == [found]
        assert imports(tm) == [] and tm.stats().retired == 0
        assert history(tm, found.id).batch is None
        # a new import on the migrated file is recorded
        batch = _import(tm, "new.docx", _unit("New.", OTHER))
        assert [b.id for b in imports(tm)] == [batch]


# -- search --------------------------------------------------------------------------------


def test_search_treats_diacritics_clitics_and_case_as_the_matcher_does(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        # no diacritics in the query, a clitic و in the stored text, the hamza form folded
        assert [s.id for s in search(tm, "قال الرئيس ان")] == [1]
        assert [s.id for s in search(tm, "الاجتماع")] == [2, 1]  # newest first
        assert [s.id for s in search(tm, "الاجتماع", limit=1)] == [2]
        assert [s.id for s in search(tm, "minister OPENED")] == [2]
        assert search(tm, "minister", lang="ar") == []  # the Arabic side only
        assert [s.id for s in search(tm, "minister", lang="en")] == [2]
        assert search(tm, "nowhere") == []
        _import(tm, "c.docx", _unit("To the President.", "وقال للرئيس شيئا."))
        # ل + ال is written لل: the article's word is found after the preposition too
        assert [s.unit.target for s in search(tm, "الرئيس")] == [
            "To the President.",
            "The President said the meeting ended.",
        ]


def test_an_empty_or_huge_search_text_is_a_usage_error(memory: Path) -> None:
    before = _state(memory)
    for text in ("", "   "):
        code, output = _cli(memory, "search", text)
        assert code == 2 and "the search text is empty" in output
    for text in ("\u064b\u064e\u064f", "\u0640\u0640", "\u0651", "..."):  # match-all before
        code, output = _cli(memory, "search", text)
        assert code == 2 and "has no letter or digit" in output, text
    code, output = _cli(memory, "search", "ا" * 1_000_000)
    assert code == 2
    assert f"the limit is {MAX_SEARCH:,}" in output and "1,000,000 characters" in output
    with TranslationMemory(memory) as tm, pytest.raises(TranslationMemoryError, match="limit"):
        search(tm, "x" * (MAX_SEARCH + 1))
    assert _state(memory) == before


def test_search_on_the_command_line_shows_the_unit(memory: Path) -> None:
    code, output = _cli(memory, "search", "الرئيس")
    assert code == 0, output
    assert "The President said the meeting ended." in output and "ar>en" in output
    assert "1 unit(s)" in output
    code, output = _cli(memory, "search", "absent words")
    assert code == 0 and "no unit holds 'absent words'" in output


# -- edit, retire, show --------------------------------------------------------------------


def test_an_edit_is_a_new_version_recalled_from_then_on(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        tm.db.execute("UPDATE units SET status = 'approved' WHERE id = 1")  # even over approved
        code, output = _cli(memory, "edit", "1", "--text", "The president said it ended.")
        assert code == 0 and "unit 3 replaces unit 1" in output, output
        assert _recalled(tm) == "The president said it ended."
        new = get(tm, 3)
        assert (new.replaces, new.unit.status, new.unit.prev) == (1, "reviewed", "")
        old = get(tm, 1)
        assert old.retired and old.unit.target == "The President said the meeting ended."
        [batch] = [b for b in imports(tm) if b.kind == "edit"]
        assert new.import_id == batch.id and batch.units == 1
        assert [v.id for v in history(tm, 1).versions] == [1, 3]
        # a second edit chains on
        edit(tm, 3, "The president said the meeting was over.", note="wire copy")
        assert [v.id for v in history(tm, 4).versions] == [1, 3, 4]
        assert get(tm, 4).unit.note == "wire copy"
    code, output = _cli(memory, "show", "3")
    assert code == 0, output
    assert "retired: " in output and "replaced by unit 4" in output
    assert "versions, oldest first:" in output and "* unit 3" in output
    assert "import 3: edit unit 1" in output


def test_a_retired_unit_is_kept_but_never_recalled_or_exported(
    memory: Path, tmp_path: Path
) -> None:
    code, output = _cli(memory, "retire", "1", "--reason", "wrong speaker")
    assert code == 0 and "unit 1 retired" in output
    with TranslationMemory(memory) as tm:
        assert _recalled(tm) is None
        assert [u.target for u in tm.units()] == ["The minister opened it."]
        assert tm.reviewed_units([_unit("").key], ["en"]) == {}
        assert [u.target for u in tm.article_units([""], "en")] == ["The minister opened it."]
        assert export_tmx(tm, tmp_path / "out.tmx", version="t") == 1
        assert "The President" not in (tmp_path / "out.tmx").read_text(encoding="utf-8")
        assert search(tm, "الرئيس") == []
        assert [s.id for s in search(tm, "الرئيس", include_retired=True)] == [1]
        stats = tm.stats()
        assert stats.retired == 1 and sum(stats.units.values()) == 1
    code, output = _cli(memory, "show", "1")
    assert code == 0 and "retired:" in output and "wrong speaker" in output
    code, output = _cli(memory, "stats")
    assert code == 0 and "retired: 1 unit(s)" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["edit", "99", "--text", "x"], "unit 99 does not exist"),
        (["retire", "99"], "unit 99 does not exist"),
        (["show", "99"], "unit 99 does not exist"),
        (["edit", "1", "--text", "x"], "unit 1 was retired"),
        (["retire", "1"], "unit 1 was retired"),
        (["edit", "2", "--text", "The minister opened it."], "nothing to change"),
        (["edit", "2", "--text", "  "], "is empty"),
        (["edit", "2", "--text", "Two\nlines."], "control character U+000A"),
        (["edit", "2", "--text", "A \x1b[31mred\x1b[0m word."], "control character U+001B"),
        (["retract", "99"], "import 99 does not exist"),
        (["retract", "1"], "import 1 (review a.docx) was already retracted"),
    ],
)
def test_a_bad_id_is_refused_and_changes_nothing(
    memory: Path, args: list[str], message: str
) -> None:
    with TranslationMemory(memory) as tm:
        retract(tm, 1)
    before = _state(memory)
    code, output = _cli(memory, *args)
    assert code == 1 and message in " ".join(output.split()), output
    assert _state(memory) == before


def test_an_id_that_is_not_a_number_is_a_usage_error(memory: Path) -> None:
    assert _cli(memory, "show", "one")[0] == 2
    assert _cli(memory, "retract", "")[0] == 2
    code, output = _cli(memory, "search", "x", "--lang", "fr")
    assert code == 2 and "unknown language 'fr'" in output


def test_editing_a_retired_version_names_the_live_one(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        edit(tm, 1, "Corrected.")
        with pytest.raises(TranslationMemoryError, match="its live version is unit 3"):
            edit(tm, 1, "Again.")


# -- imports and retraction ----------------------------------------------------------------


def test_retract_retires_what_one_import_brought_in_one_go(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        batch = _import(tm, "wrong.docx", _unit("Wrong one."), _unit("Wrong two.", OTHER))
        assert _recalled(tm) == "Wrong one."
    code, output = _cli(memory, "imports")
    assert code == 0 and "wrong.docx" in output and "tmx" in output
    code, output = _cli(memory, "retract", str(batch))
    assert code == 0 and "2 unit(s) retired" in output, output
    with TranslationMemory(memory) as tm:
        # the earlier reviews of both sentences are recalled again
        assert _recalled(tm) == "The President said the meeting ended."
        assert _recalled(tm, OTHER) == "The minister opened it."
        [b] = [b for b in imports(tm) if b.id == batch]
        assert b.retracted_at is not None and b.retracted_by
        assert tm.stats().retired == 2
    code, output = _cli(memory, "imports")
    assert code == 0 and "by " in output.split("wrong.docx")[1]


def test_a_later_correction_of_a_retracted_import_is_kept(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        wrong = _import(tm, "wrong.docx", _unit("Wrong one."), _unit("Wrong two.", OTHER))
        # a later import corrected the first sentence, an edit the second
        later = _import(tm, "fixed.docx", _unit("Fixed one."))
        [two] = search(tm, "Wrong two")
        edited = edit(tm, two.id, "Fixed two.")
        result = retract(tm, wrong)
        assert (result.retired, result.superseded, result.already_retired) == (1, 1, 1)
        # the later work is its own: kept, and still what a run recalls
        assert _recalled(tm) == "Fixed one."
        assert _recalled(tm, OTHER) == "Fixed two." and not get(tm, edited.id).retired
        assert not any(b.retracted_at for b in imports(tm) if b.id == later)
    code, output = _cli(memory, "retract", str(later))
    assert code == 0 and "1 unit(s) retired" in output


def test_importing_a_retracted_file_again_brings_its_units_back(memory: Path) -> None:
    with TranslationMemory(memory) as tm:
        units = (_unit("Wrong one."), _unit("Wrong two.", OTHER))
        first = _import(tm, "x.docx", *units)
        [two] = search(tm, "Wrong two")
        edit(tm, two.id, "Edited two.")
        retract(tm, first)
        assert _recalled(tm) == "The President said the meeting ended."
        with tm.transaction():
            again, added = tm.add_import("review", "x.docx", units)
        # the retracted unit comes back, under the new import; the edited one does not:
        # a repeated import never undoes an edit
        assert added == 1
        assert _recalled(tm) == "Wrong one." and _recalled(tm, OTHER) == "Edited two."
        assert [s.import_id for s in search(tm, "Wrong one")] == [again]
        # and importing it once more adds nothing (it is there, live)
        with tm.transaction():
            assert tm.add_import("review", "x.docx", units)[1] == 0


def test_a_tmx_import_is_one_batch(memory: Path, tmp_path: Path) -> None:
    from bilingual.memory.tmx import import_tmx

    tmx = tmp_path / "x.tmx"
    with TranslationMemory(memory) as tm:
        export_tmx(tm, tmx, version="t")
    other = tmp_path / "other.sqlite"
    with TranslationMemory(other) as tm:
        assert import_tmx(tm, tmx).added == 2
        [batch] = imports(tm)
        assert (batch.kind, batch.units, batch.origin) == ("tmx", 2, str(tmx))
        assert retract(tm, batch.id).retired == 2 and list(tm.units()) == []


# -- concurrency ---------------------------------------------------------------------------


def test_a_retract_and_a_review_import_at_once_lose_nothing(
    tmp_path: Path, model_settings: object
) -> None:
    from conftest import REPO
    from docx_edit import set_sentence

    from bilingual.pipeline import RunOptions, translate_articles
    from bilingual.review import read_review, store_reviews

    out, path = tmp_path / "out", tmp_path / "m.sqlite"
    options = RunOptions(
        paths=(REPO / "input" / "001_sample_meeting.txt",),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        memory=path,
    )
    assert not translate_articles(options, model_settings).failed  # type: ignore[arg-type]
    docx = out / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", "Edited while a retraction runs.")
    review = read_review(docx)
    wrong = [_unit(f"Wrong {k}.", f"جملة رقم {k}.") for k in range(2000)]
    with TranslationMemory(path) as tm:
        batch = _import(tm, "wrong.tmx", *wrong, kind="tmx")
    barrier, errors = threading.Barrier(2), []

    def run(work: str) -> None:
        try:
            with TranslationMemory(path) as tm:  # each thread its own connection
                barrier.wait()
                if work == "retract":
                    retract(tm, batch)
                else:
                    store_reviews(tm, [review])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in ("retract", "import")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with TranslationMemory(path) as tm:
        assert tm.integrity() == "ok"
        assert [u.target for u in tm.units()] == ["Edited while a retraction runs."]
        assert tm.stats().retired == 2000
        kinds = {b.kind: b for b in imports(tm)}
        assert kinds["tmx"].retracted_at is not None
        assert kinds["review"].units == 1 and kinds["review"].retracted_at is None


def test_the_import_translate_makes_is_a_batch_a_retraction_takes_back(
    tmp_path: Path, model_settings: object
) -> None:
    from conftest import REPO
    from docx_edit import cell_text, set_sentence

    from bilingual.pipeline import RunOptions, translate_articles

    out, path = tmp_path / "out", tmp_path / "m.sqlite"
    options = RunOptions(
        paths=(REPO / "input" / "001_sample_meeting.txt",),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        memory=path,
    )
    assert not translate_articles(options, model_settings).failed  # type: ignore[arg-type]
    docx = out / "001_sample_meeting.docx"
    machine = cell_text(docx, "p2.s2", "en")
    set_sentence(docx, "p2.s2", "en", "A wrong correction.")
    translate_articles(options, model_settings)  # type: ignore[arg-type]  # imports it first
    assert "A wrong correction." in cell_text(docx, "p2.s2", "en")
    with TranslationMemory(path) as tm:
        [batch] = imports(tm)
        assert (batch.kind, batch.origin, batch.units) == ("review", str(docx), 1)
    code, output = _cli(path, "retract", str(batch.id))
    assert code == 0 and "1 unit(s) retired" in output, output
    translate_articles(options, model_settings)  # type: ignore[arg-type]
    assert cell_text(docx, "p2.s2", "en") == machine  # the machine's sentence again


# -- a retraction and the daily loop --------------------------------------------------------


def test_a_retraction_holds_through_the_next_translate(
    tmp_path: Path, model_settings: Settings
) -> None:
    """The briefing still holds the retracted edit; ``translate`` imports a briefing before
    replacing it, but never brings back what a retraction took: ``review import`` does."""
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"
    options = RunOptions(
        paths=(REPO / "input" / "001_sample_meeting.txt",),
        targets=("en",),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        memory=memory,
    )
    assert not translate_articles(options, model_settings).failed
    docx_path = out / "001_sample_meeting.docx"
    set_sentence(docx_path, "p2.s2", "en", "A wrong edit.")
    with TranslationMemory(memory) as tm:
        (batch,) = store_review_of(tm, docx_path)
        retract(tm, batch)
    report = translate_articles(options, model_settings)
    assert not report.failed and not any(a.imported for a in report.articles)
    with TranslationMemory(memory) as tm:
        assert [u for u in tm.units() if u.status != "machine"] == []
        assert len(imports(tm)) == 1  # no new batch: nothing was brought back
    # the reviewer's edit is not lost: importing the file on purpose restores it
    set_sentence(docx_path, "p2.s2", "en", "A wrong edit.")
    with TranslationMemory(memory) as tm:
        store_review_of(tm, docx_path, restore=True)
        assert [u.target for u in tm.units() if u.status == "reviewed"] == ["A wrong edit."]


def store_review_of(tm: TranslationMemory, path: Path, *, restore: bool = True) -> list[int]:
    """Import ``path`` as ``review import`` does; the ids of the batches it made."""
    before = {b.id for b in imports(tm)}
    store_reviews(
        tm, [read_review(path, glossary=load_glossary(REPO / "glossary"))], restore=restore
    )
    return [b.id for b in imports(tm) if b.id not in before]
