"""Tests for bilingual._fs: every file is put down whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual._fs import write_atomically, write_bytes_atomically
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
    assert "cannot write the briefing: No space left on device" in str(info.value)
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
