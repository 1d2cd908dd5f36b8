"""Tests for bilingual._fs: every file is put down whole, or not at all."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilingual import _fs
from bilingual._fs import (
    TEMPORARY,
    Writer,
    remove_stale_temporaries,
    write_atomically,
    write_bytes_atomically,
)
from bilingual.errors import OutputError


def test_files_are_replaced_together_and_no_temporary_file_stays(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.docx"
    write_atomically(
        [(a, lambda p: p.write_text("A1")), (b, lambda p: p.write_text("B1"))], what="x"
    )
    assert (a.read_text(), b.read_text()) == ("A1", "B1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.docx"]


@pytest.mark.parametrize("failing", [0, 1])
def test_a_failing_writer_replaces_nothing(tmp_path: Path, failing: int) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.docx"
    write_bytes_atomically(a, b"old a", what="x")
    write_bytes_atomically(b, b"old b", what="x")

    def writer(k: int, text: str):  # type: ignore[no-untyped-def]
        def write(path: Path) -> None:
            path.write_text(text)
            if k == failing:
                raise OSError(28, "No space left on device")

        return write

    with pytest.raises(OutputError) as info:
        write_atomically([(a, writer(0, "new a")), (b, writer(1, "new b"))], what="the briefing")
    assert "cannot write the briefing: out of disk space (No space left on device)" in str(
        info.value
    )
    assert str([a, b][failing]) in str(info.value) and "fix:" in str(info.value)
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.docx"]


def test_an_unexpected_error_also_leaves_no_temporary_file(tmp_path: Path) -> None:
    def broken(path: Path) -> None:
        path.write_text("half")
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        write_atomically([(tmp_path / "a.json", broken)], what="x")
    assert list(tmp_path.iterdir()) == []


# -- interrupts, killed runs, a full disk, modes -------------------------------------------


def _dotfiles(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("where", ["fchmod", "flock"])
def test_an_interrupt_while_the_temporary_is_created_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Ctrl-C right after the temporary file came into being (before the writer ran)."""
    target = tmp_path / "d03.json"
    target.write_text("old")
    module = _fs.os if where == "fchmod" else _fs.fcntl

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(module, where, interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomically([(target, lambda p: p.write_text("new"))], what="x")
    assert target.read_text() == "old"
    assert _dotfiles(tmp_path) == []


def test_out_of_disk_names_the_target_not_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "d03.json"
    target.write_text("old")

    def full(path: Path) -> None:
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    with pytest.raises(OutputError) as info:
        write_atomically([(target, full)], what="the briefing")
    message = str(info.value)
    assert message.startswith(f"{target}: cannot write the briefing: out of disk space")
    assert ".part" not in message and "free some space" in message
    assert target.read_text() == "old"
    assert _dotfiles(tmp_path) == []


def test_an_error_text_naming_the_temporary_names_the_target(tmp_path: Path) -> None:
    """An OSError without strerror, whose text holds the temporary path (a library's)."""
    target = tmp_path / "d03.docx"

    def broken(path: Path) -> None:
        raise OSError(f"could not flush {path}")

    with pytest.raises(OutputError) as info:
        write_atomically([(target, broken)], what="the briefing")
    assert ".part" not in str(info.value) and f"could not flush {target}" in str(info.value)


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from bilingual._fs import write_atomically

def hang(path: Path) -> None:
    path.write_text("half")
    print("writing", flush=True)
    time.sleep(600)

write_atomically([(Path(sys.argv[1]), hang)], what="x")
"""


def test_a_killed_writers_temporary_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "d03.json"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        (live,) = (p for p in tmp_path.iterdir() if TEMPORARY.match(p.name))
        assert remove_stale_temporaries(tmp_path) == ()  # its writer is alive
        assert live.exists()
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert live.exists()  # SIGKILL cannot be caught: the file stays...
        assert remove_stale_temporaries(tmp_path) == (live,)  # ...until the next run
        assert list(tmp_path.iterdir()) == []
    finally:
        child.kill()
        child.wait()


def test_stale_cleaning_touches_only_our_exact_naming(tmp_path: Path) -> None:
    ours = [".d03.json.abcd_123.part", ".d03.docx.q1w2e3r4.part", ".bilingual-probe.zzzzzzzz.part"]
    theirs = [
        "d03.json.abcd_123.part",  # not hidden
        ".d03.json.part",  # no tag
        ".d03.json.abc.part",  # short tag
        ".d03.json.ABCD1234.part",  # not our letters
        ".d03.json.abcd1234.part.bak",
        "notes.txt",
        ".notes.part",
    ]
    for name in ours + theirs:
        (tmp_path / name).write_text("x")
    (tmp_path / ".dir.json.abcdefgh.part").mkdir()
    (tmp_path / ".link.json.abcdefgh.part").symlink_to(tmp_path / "notes.txt")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted(ours)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*theirs, ".dir.json.abcdefgh.part", ".link.json.abcdefgh.part"])


@pytest.fixture()
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    old.write_text("x")
    old.chmod(0o640)
    write_bytes_atomically(new, b"{}", what="x")
    write_bytes_atomically(old, b"{}", what="x")
    assert (_mode(new), _mode(old)) == (0o644, 0o640)


def _write_json(path: Path) -> None:
    from briefing_factory import example_en

    from bilingual.json_io import write_json

    write_json(example_en(), path)


def _write_docx(path: Path) -> None:
    from briefing_factory import example_en

    from bilingual.docx_io.writer import write_docx

    write_docx(example_en(), path)


def _write_tmx(path: Path) -> None:
    from bilingual.memory.store import TranslationMemory, Unit
    from bilingual.memory.tmx import export_tmx

    with TranslationMemory(path.parent / "m.sqlite") as memory:
        with memory.transaction():
            memory.add_units([Unit("ar", "قال الوزير", "en", "The minister said")])
        export_tmx(memory, path, version="1")


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize(
    ("name", "write"),
    [("b.json", _write_json), ("b.docx", _write_docx), ("m.tmx", _write_tmx)],
    ids=["json", "docx", "tmx"],
)
def test_every_writer_gives_new_files_the_umask_mode_and_keeps_a_replaced_ones(
    tmp_path: Path, name: str, write: Writer
) -> None:
    """Briefings go to colleagues: 0644 under umask 022 (not mkstemp's private 0600)."""
    new = tmp_path / "new" / name
    write(new)
    assert _mode(new) == 0o644
    kept = tmp_path / "kept" / name
    write(kept)
    kept.chmod(0o640)
    write(kept)
    assert _mode(kept) == 0o640


def test_a_temporary_name_already_taken_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers drew the same random name: the second draws again, and the first's
    file is left alone whatever happens next."""
    target = tmp_path / "d03.json"
    taken = tmp_path / ".d03.json.taken___.part"
    taken.write_text("another writer's")
    names = iter([taken, tmp_path / ".d03.json.fresh___.part"])
    monkeypatch.setattr(_fs, "_temporary_name", lambda _: next(names))

    def broken(path: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(OutputError):
        write_atomically([(target, broken)], what="x")
    assert taken.read_text() == "another writer's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name]


_BLOCKED_TRANSLATE = """
import sys, time
from pathlib import Path
from bilingual import _fs
from bilingual.cli import main

out, marker = Path(sys.argv[1]), Path(sys.argv[2])
real_fsync = _fs._fsync


def blocking_fsync(path):
    real_fsync(path)
    if len(list(out.glob(".*.part"))) >= 2:  # the DOCX and the JSON are both half-done
        marker.write_text("writing")
        time.sleep(120)


_fs._fsync = blocking_fsync
sys.argv = ["bilingual", "translate", sys.argv[3], "--out", str(out), "--no-memory", "-q"]
main()
"""


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"]
)
def test_a_signalled_run_leaves_no_temporary_and_the_old_briefing(
    models_home: Path, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """Issue 18: SIGTERM ended the process on the spot, leaving ``.x.docx.*.part`` and
    ``.x.json.*.part`` behind; it now unwinds as Ctrl-C does."""
    article = tmp_path / "x.txt"
    article.write_text("وقع الوزير الاتفاقية في هانوي اليوم.\n", encoding="utf-8")
    out, marker = tmp_path / "out", tmp_path / "writing"
    env = {**os.environ, "BILINGUAL_HOME": str(models_home)}
    cmd = [sys.executable, "-m", "bilingual", "translate", str(article), "--out", str(out)]
    subprocess.run([*cmd, "--no-memory", "-q"], env=env, check=True, capture_output=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"x.docx", "x.json"} <= set(before)
    # a changed article: an unchanged briefing would not be written again
    article.write_text("وقع الوزير الاتفاقية في هانوي اليوم. ووقع الوزير.\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", _BLOCKED_TRANSLATE, str(out), str(marker), str(article)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(1200):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), child.stderr.read() if child.stderr else ""
        assert len([p for p in out.iterdir() if TEMPORARY.match(p.name)]) == 2
        child.send_signal(sig)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == code, err
    assert not [p.name for p in out.rglob("*") if TEMPORARY.match(p.name)]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
