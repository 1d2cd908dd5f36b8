"""The memory under file-system faults: a full disk at any statement, a read-only mount,
folder or file. Each says what is really wrong, and leaves the memory and the previous
outputs intact: never a traceback, never "damaged" for a healthy file.

The full-disk and read-only-mount cases use a real small file system (a tmpfs mounted for
the test, root only, as in CI); SQLite's own ``max_page_count`` gives SQLITE_FULL at every
statement of every write path; the permission cases run the CLI without the capabilities
that let root ignore mode bits (:mod:`unprivileged`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO
from unprivileged import run_unprivileged

from bilingual.errors import TranslationMemoryError
from bilingual.memory.store import TranslationMemory, Unit

INPUT = REPO / "input"
GLOSSARY = REPO / "glossary"


def _cli(args: list[str | Path], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BILINGUAL_HOME": str(home), "COLUMNS": "100"}
    argv = [sys.executable, "-m", "bilingual", *map(str, args)]
    return subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@contextlib.contextmanager
def _small_filesystem(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (as in CI)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path, leave_kb: int) -> None:
    free = shutil.disk_usage(folder).free
    with (folder / "filler").open("wb") as fh:
        fh.truncate(0)
        os.posix_fallocate(fh.fileno(), 0, max(0, free - leave_kb * 1024))


def _state(out: Path) -> dict[str, object]:
    """What a user has in the output folder: each briefing's JSON, and the memory."""
    state: dict[str, object] = {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))
    }
    db = sqlite3.connect(out / "memory.sqlite")
    try:
        state["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
        state["cache"] = db.execute("SELECT count(*) FROM cache").fetchone()[0]
    finally:
        db.close()
    return state


@pytest.mark.parametrize("leave_kb", [0, 24, 128])
def test_a_full_disk_is_said_plainly_and_loses_nothing(
    models_home: Path, tmp_path: Path, leave_kb: int
) -> None:
    with _small_filesystem(tmp_path / "disk", "12m") as disk:
        first = _cli(
            ["translate", INPUT, "--glossary", GLOSSARY, "--out", "out", "--to", "en,vi", "-q"],
            models_home,
            disk,
        )
        assert first.returncode == 0, first.stdout + first.stderr
        before = _state(disk / "out")
        _fill(disk, leave_kb)
        # new articles (fresh cache entries, names, briefings) on a disk with no room
        articles = tmp_path / "more"
        articles.mkdir()
        for n, source in enumerate(sorted(INPUT.glob("*.txt"))):
            text = source.read_text(encoding="utf-8")
            (articles / f"{n}_more.txt").write_text(text + "\n\nوقع الوفد الاتفاقية.\n")
        run = _cli(
            ["translate", articles, INPUT, "--glossary", GLOSSARY, "--out", "out", "--to", "en,vi"],
            models_home,
            disk,
        )
        shown = run.stdout + run.stderr
        (disk / "filler").unlink()
        assert run.returncode == 1, shown
        assert "Traceback" not in shown and "damaged" not in shown, shown
        assert "full" in shown or "No space left" in shown, shown
        after = _state(disk / "out")
        assert after["integrity"] == "ok"
        for name, briefing in before.items():
            if name.endswith(".json"):  # a briefing is the old one or a whole new one
                assert after[name] == briefing or name.startswith(("consistency",)), name
        assert not list((disk / "out").glob("*.part")) and not list((disk / "out").glob(".*.part"))


def test_a_read_only_mount_is_named(models_home: Path, tmp_path: Path) -> None:
    with _small_filesystem(tmp_path / "disk", "12m") as disk:
        args: list[str | Path] = ["translate", INPUT, "--glossary", GLOSSARY, "--out", "out"]
        assert _cli([*args, "-q"], models_home, disk).returncode == 0
        before = _state(disk / "out")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        try:
            run = _cli([*args, "--to", "en,vi"], models_home, disk)
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        shown = run.stdout + run.stderr
        assert run.returncode == 1, shown
        assert "read-only" in shown and "damaged" not in shown and "Traceback" not in shown
        assert _state(disk / "out") == before


def _made_memory(out: Path, models_home: Path) -> Path:
    out.mkdir(parents=True)
    args: list[str | Path] = ["translate", INPUT / "001_sample_meeting.txt", "--out", out, "-q"]
    done = _cli([*args, "--glossary", GLOSSARY], models_home, out.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "memory.sqlite"


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_memory_that_cannot_be_written_is_not_called_damaged(
    models_home: Path, tmp_path: Path, what: str
) -> None:
    memory = _made_memory(tmp_path / "out", models_home)
    (memory.parent if what == "folder" else memory).chmod(0o555 if what == "folder" else 0o444)
    try:
        run = run_unprivileged(
            [
                "translate",
                INPUT / "002_sample_signing.txt",
                "--glossary",
                GLOSSARY,
                "--out",
                tmp_path / "out",
            ],
            env={"BILINGUAL_HOME": str(models_home)},
        )
    finally:
        memory.parent.chmod(0o755)
        memory.chmod(0o644)
    shown = " ".join((run.stdout + run.stderr).split())
    assert run.returncode == 1, shown
    assert "damaged" not in shown and "Traceback" not in shown, shown
    expected = "is not writable" if what == "folder" else "read-only for this user"
    assert expected in shown and "memory itself is intact" in shown, shown
    assert str(tmp_path / "out") in shown
    with TranslationMemory(memory) as opened:
        assert opened.integrity() == "ok"


def test_an_output_folder_that_cannot_be_written_is_named(
    models_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    out.mkdir()
    out.chmod(0o555)
    try:
        for extra in ([], ["--no-memory"]):
            run = run_unprivileged(
                ["translate", INPUT / "001_sample_meeting.txt", "--out", out, *extra],
                env={"BILINGUAL_HOME": str(models_home)},
            )
            shown = " ".join((run.stdout + run.stderr).split())
            assert run.returncode == 1, shown
            assert str(out) in shown and "Permission denied" in shown, shown
            assert "not writable" in shown or "cannot write to the output folder" in shown
            assert "unable to open database file" not in shown, shown
    finally:
        out.chmod(0o755)
    assert list(out.iterdir()) == []


# -- SQLITE_FULL at every statement of every write path --------------------------------


def _unit(n: int) -> Unit:
    return Unit("ar", f"جملة رقم {n}", "en", f"Sentence number {n}", article="test", note="n")


WRITES: dict[str, Callable[[TranslationMemory, int], object]] = {
    "units": lambda m, n: m.add_units(_unit(n * 100 + i) for i in range(60)),
    "cache": lambda m, n: m.cache_put((f"k{n}-{i}", "model", "x" * 400) for i in range(60)),
    "written": lambda m, n: m.record_written(
        (Path(f"/tmp/b{n}-{i}.docx"), "d" * 64) for i in range(60)
    ),
    "dismissed": lambda m, n: m.dismiss(
        (f"s{n}-{i}", "en", "kind", "t" * 200, "why") for i in range(60)
    ),
}


@pytest.mark.parametrize("path", sorted(WRITES))
def test_sqlite_full_at_any_statement_keeps_the_memory_whole(tmp_path: Path, path: str) -> None:
    file = tmp_path / "memory.sqlite"
    with TranslationMemory(file) as memory:
        for n in range(3):
            with memory.transaction():
                WRITES[path](memory, n)
        pages = memory.db.execute("PRAGMA page_count").fetchone()[0]
    failures = 0
    for extra in range(0, 12):
        with TranslationMemory(file) as memory:
            before = memory.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            counts = _counts(memory)
            memory.db.execute(f"PRAGMA max_page_count = {pages + extra}")
            try:
                with memory.transaction():
                    WRITES[path](memory, 100 + extra)
            except TranslationMemoryError as exc:
                failures += 1
                assert "full" in exc.message and str(file) in exc.message
                assert _counts(memory) == counts  # nothing of the write was kept
            assert memory.integrity() == "ok"
            assert memory.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == before
    assert failures, "the page limit never made a write fail: the test proves nothing"


def _counts(memory: TranslationMemory) -> tuple[int, ...]:
    tables = ("units", "cache", "briefings", "dismissed")
    return tuple(memory.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
