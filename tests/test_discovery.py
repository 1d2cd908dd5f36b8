"""Discovery: every folder entry that is not read as an article is accounted for.

A dangling link, a link loop, a FIFO, a socket or a folder named like an article is a
problem of its own (never opened, never silent); hidden files and editor leftovers are
notices; other files are not articles and pass without a word.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from bilingual.discovery import Found, article_name, discover, scan
from bilingual.errors import InputError

ARTICLE = "عقد الوزراء اجتماعا حول التعاون.\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "via-link.md").symlink_to(folder / "good.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "sub.txt").mkdir()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "s.md"))
    for name in (".draft.txt", "~$report.txt", "good.txt~", "#good.txt#", "good.txt.bak"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "control")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "deeper").mkdir()
    return folder


def _scan(paths: list[Path]) -> Found:
    """``scan`` in a thread: a FIFO opened by mistake would block it, not the tests."""
    out: list[Found] = []
    thread = threading.Thread(target=lambda: out.append(scan(paths)), daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "scan blocked (did it open a FIFO?)"
    return out[0]


def test_every_entry_is_an_article_a_problem_a_notice_or_not_an_article(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    found = _scan([folder])
    assert [p.name for p in found.files] == ["good.txt"]  # via-link.md is the same file
    problems = {p.name: str(e) for p, e in found.problems}
    assert sorted(problems) == ["dangling.txt", "loop.txt", "pipe.txt", "s.md", "sub.txt"]
    assert "dangling symbolic link" in problems["dangling.txt"]
    assert "gone.txt" in problems["dangling.txt"]
    assert "symbolic link loop" in problems["loop.txt"]
    assert "FIFO" in problems["pipe.txt"] and "without opening it" in problems["pipe.txt"]
    assert "socket" in problems["s.md"] and "folder" in problems["sub.txt"]
    assert all(str(folder) in m and "fix:" in m for m in problems.values())
    notices = {s.path.name: s.reason for s in found.skipped}
    assert sorted(notices) == sorted(
        [".draft.txt", "~$report.txt", "good.txt~", "#good.txt#", "good.txt.bak", "control"]
    )
    assert "hidden" in notices[".draft.txt"] and "backup" in notices["good.txt~"]
    assert "FIFO" in notices["control"]


@pytest.mark.parametrize("kind", ["fifo", "dangling", "loop", "socket"])
def test_a_special_file_named_on_the_command_line_is_a_problem_not_a_hang(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "x.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dangling":
        path.symlink_to(tmp_path / "gone.txt")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    found = _scan([path, good])
    assert found.files == (good,)
    ((bad, error),) = found.problems
    assert bad == path and "x.txt" in str(error)
    assert ": does not exist" not in str(error)  # it does: say what it is
    with pytest.raises(InputError):
        discover([path])


def test_a_hidden_file_named_on_the_command_line_is_taken(tmp_path: Path) -> None:
    hidden = tmp_path / ".draft.txt"
    hidden.write_text(ARTICLE, encoding="utf-8")
    assert _scan([hidden]).files == (hidden,)


def test_a_folder_of_only_broken_entries_reports_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    found = _scan([folder])
    assert found.files == () and [p.name for p, _ in found.problems] == ["dangling.txt"]


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b"\xe3\xd5\xd1-news.txt", "\\xe3\\xd5\\xd1-news"),
        (b"a\x01b.txt", "a\\x01b"),
        (b"tab\there\nnl.md", "tab\\x09here\\x0anl"),
        ("c\uffffd.txt".encode(), "c\\uffffd"),
        ("[draft] مقال.txt".encode(), "[draft] مقال"),
    ],
)
def test_an_article_name_is_printable_text_on_one_line(raw: bytes, name: str) -> None:
    got = article_name(Path(os.fsdecode(raw)))
    assert got == name
    got.encode("utf-8")
