"""Tests for bilingual.memory.store: a real SQLite file, its faults, kills and concurrency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from bilingual.errors import TranslationMemoryError
from bilingual.memory.store import SCHEMA_VERSION, Query, TranslationMemory, Unit, source_key

SRC = "وافتتح الوزير الاجتماع صباح الثلاثاء."


def _unit(target: str = "The minister opened it.", **kw: object) -> Unit:
    return Unit("ar", SRC, "en", target, **kw)  # type: ignore[arg-type]


def test_a_new_memory_is_wal_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    with TranslationMemory(path) as tm:
        assert tm.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert tm.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_units_accumulate_and_an_identical_one_is_stored_once(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        with tm.transaction():
            assert tm.add_units([_unit(), _unit()]) == 1
        with tm.transaction():
            assert tm.add_units([_unit("Another.")]) == 1
        assert [u.target for u in tm.units()] == ["The minister opened it.", "Another."]
        (hit,) = tm.lookup([Query("ar", SRC, "en")])
        assert hit is not None and hit.unit.target == "Another."  # the newest wins


def test_context_ranks_before_age_and_a_later_edit_beats_an_approval(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        with tm.transaction():
            tm.add_units(
                [
                    _unit("In context.", prev="قبل", next="بعد"),
                    _unit("Approved.", status="approved"),
                    _unit("Newest."),
                ]
            )
        (hit,) = tm.lookup([Query("ar", SRC, "en", prev="قبل", next="بعد")])
        assert hit is not None and hit.unit.target == "In context." and hit.context
        (hit,) = tm.lookup([Query("ar", SRC, "en")])
        # the reviewer's later edit of an approved sentence is what comes back
        assert hit is not None and hit.unit.target == "Newest."


def test_the_key_ignores_spacing_and_diacritics_but_not_words() -> None:
    assert source_key("ar", "وافتتح  الوزيرُ الاجتماع") == source_key("ar", "وافتتح الوزير الاجتماع")
    assert source_key("ar", "وافتتح الوزير") != source_key("ar", "وافتتح الرئيس")
    assert source_key("ar", "x") != source_key("en", "x")


def test_machine_units_are_never_returned_as_reviews(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        with tm.transaction():
            tm.add_units([_unit(status="machine")])
        assert tm.lookup([Query("ar", SRC, "en")]) == [None]


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    path.write_text("my notes, not a database\n")
    with pytest.raises(TranslationMemoryError, match="not a SQLite database") as info:
        TranslationMemory(path)
    assert str(path) in info.value.message
    assert path.read_text() == "my notes, not a database\n"


def test_an_emptied_memory_is_refused_not_started_over(tmp_path: Path) -> None:
    """A memory truncated to 0 bytes (a full disk, a bad copy) is no new memory: SQLite
    would start one silently and the next import would write into it."""
    path = tmp_path / "m.sqlite"
    path.write_bytes(b"")
    for create in (True, False):
        with pytest.raises(TranslationMemoryError, match="is empty") as info:
            TranslationMemory(path, create=create)
        assert "delete the empty file" in info.value.message
    assert path.read_bytes() == b""


def test_a_damaged_memory_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    with TranslationMemory(path) as tm:
        with tm.transaction():
            tm.add_units(_unit(f"Text {k} " * 20, prev=str(k)) for k in range(400))
        tm.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:-4096] = b"\xde\xad" * ((len(data) - 8192) // 2)
    path.write_bytes(bytes(data))
    with (
        pytest.raises(TranslationMemoryError, match="damaged") as info,
        TranslationMemory(path) as tm,
    ):
        list(tm.units())
        tm.lookup([Query("ar", SRC, "en")])
    assert str(path) in info.value.message
    assert path.read_bytes() == bytes(data)


def test_a_memory_from_a_newer_bilingual_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    with pytest.raises(TranslationMemoryError, match="newer bilingual"):
        TranslationMemory(path)
    assert path.read_bytes() == before


def test_a_new_sqlite_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 0")
    db.execute("CREATE TABLE t (x)")  # a header written: SQLite's, no memory's tables yet
    db.execute("DROP TABLE t")
    db.close()
    with TranslationMemory(path) as tm:
        assert tm.stats().schema == SCHEMA_VERSION and tm.integrity() == "ok"


def test_stats_of_a_missing_memory_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(TranslationMemoryError, match="does not exist"):
        TranslationMemory(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


_SLOW_IMPORT = """
import sys, time
from pathlib import Path
from bilingual.memory.store import TranslationMemory, Unit
path, ready = Path(sys.argv[1]), Path(sys.argv[2])
with TranslationMemory(path) as tm:
    with tm.transaction():
        tm.add_units(Unit("ar", f"جملة {k}", "en", f"Sentence {k}.") for k in range(5000))
        ready.write_text("in the transaction")
        time.sleep(60)
"""


def _kill_when_ready(args: list[str], ready: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", *args], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, "the child ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_a_killed_import_leaves_none_of_it_and_a_sound_file(tmp_path: Path) -> None:
    path, ready = tmp_path / "m.sqlite", tmp_path / "ready"
    with TranslationMemory(path) as tm, tm.transaction():
        tm.add_units([_unit()])
    _kill_when_ready([_SLOW_IMPORT, str(path), str(ready)], ready)
    with TranslationMemory(path) as tm:
        assert tm.integrity() == "ok"
        assert [u.target for u in tm.units()] == ["The minister opened it."]


_SLOW_RUN = """
import sys, time
from pathlib import Path
from bilingual.config import resolve_settings
from bilingual.memory import cache
from bilingual.pipeline import RunOptions, translate_articles
home, out, memory, ready = (Path(a) for a in sys.argv[1:5])
real_save = cache.CachedTranslator.save
def slow_save(self):
    real_save(self)
    ready.write_text("the run's transaction holds its cache entries")
    time.sleep(60)
cache.CachedTranslator.save = slow_save
options = RunOptions(paths=(Path("input"),), glossary_dir=Path("glossary"), out_dir=out,
                     memory=memory)
translate_articles(options, resolve_settings({}, home=home, threads=1))
"""


def test_a_run_killed_while_it_writes_the_memory_leaves_none_of_it(
    tmp_path: Path, models_home: Path
) -> None:
    memory, ready = tmp_path / "m.sqlite", tmp_path / "ready"
    args = [_SLOW_RUN, str(models_home), str(tmp_path / "out"), str(memory), str(ready)]
    _kill_when_ready(args, ready)
    with TranslationMemory(memory) as tm:
        assert tm.integrity() == "ok"
        assert tm.stats().cache_entries == 0


def test_two_runs_and_an_import_on_one_memory_all_finish(tmp_path: Path, models_home: Path) -> None:
    from docx_edit import set_sentence

    memory = tmp_path / "m.sqlite"
    env = {**os.environ, "BILINGUAL_HOME": str(models_home), "COLUMNS": "200"}
    cli = [sys.executable, "-m", "bilingual"]
    first = subprocess.run(
        [*cli, "translate", "input", "--out", str(tmp_path / "a"), "--memory", str(memory), "-q"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    docx = tmp_path / "a" / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", "Edited at the same time.")
    procs = [
        subprocess.Popen(
            [*cli, *args, "--memory", str(memory)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in (
            ["translate", "input", "--out", str(tmp_path / "b"), "--to", "en,vi", "-q"],
            ["translate", "input", "--out", str(tmp_path / "c"), "--to", "en,vi", "-q"],
            ["review", "import", str(docx)],
        )
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with TranslationMemory(memory) as tm:
        assert tm.integrity() == "ok"
        assert [u.target for u in tm.units()] == ["Edited at the same time."]
        assert tm.stats().cache_entries > 0


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(TranslationMemoryError, match="another program"):
        TranslationMemory(path)
    assert path.read_bytes() == before


def test_the_cache_keeps_a_translations_tokens_and_log_probability() -> None:
    """The confidence measure reads them from a cached translation as from a fresh one;
    an entry cached before they were kept loads with zeros."""
    from bilingual.engine import Hypothesis, Translation
    from bilingual.memory import cache

    fresh = Translation("A b.", -0.25, (Hypothesis("A b.", -0.25),), tokens=4, log_prob=-1.5)
    assert cache._load(cache._dump(fresh)) == fresh
    old = cache._load('["A b.", -0.25, [["A b.", -0.25]]]')
    assert (old.text, old.tokens, old.log_prob) == ("A b.", 0, 0.0)
