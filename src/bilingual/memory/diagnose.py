"""What is really wrong when SQLite cannot open or write the memory file.

SQLite reports a full disk, a read-only folder and a damaged file with the same few
words ("disk I/O error", "unable to open database file", "attempt to write a readonly
database"), and calling a healthy memory in a read-only folder "damaged" may make its
user restore a backup and lose every review since. So before a memory is called
damaged, the file system is asked directly: is the disk full, is it mounted read-only,
may this process create a file in the folder, may it write the file. Each check tries
the operation itself rather than asking ``os.access``, which a root process always
passes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

LOW_SPACE = 1 << 20
"""Below this many free bytes a write failure is put down to a full disk: SQLite needs
room for its journal and a page or more besides."""


@dataclass(frozen=True)
class Diagnosis:
    what: str
    fix: str


def _existing_folder(path: Path) -> Path:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _cannot_create_in(folder: Path) -> str | None:
    """Why a new file cannot be made in ``folder`` (None: it can)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".bilingual-probe-")
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return None


def _cannot_write(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with path.open("r+b"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def diagnose(path: Path, error: BaseException | None = None) -> Diagnosis | None:
    """The real reason a memory at ``path`` cannot be opened or written, or None when the
    file system is not to blame (the file may then be damaged)."""
    folder = _existing_folder(path)
    message = str(error or "").lower()
    elsewhere = "or point --memory (or memory in bilingual.toml) at a file on another disk"
    if _read_only_mount(folder):
        return Diagnosis(
            f"cannot be written: the file system holding {folder} is mounted read-only",
            f"remount it read-write, {elsewhere}; the memory itself is intact",
        )
    free = _free_bytes(folder)
    if "full" in message or (free is not None and free < LOW_SPACE):
        shown = f" ({free // 1024:,} KB free)" if free is not None else ""
        return Diagnosis(
            f"cannot be written: the disk holding {folder} is full{shown}",
            f"free some space on that disk and run again, {elsewhere}; "
            "nothing of this write was kept and the memory is intact",
        )
    if folder != path.parent:
        return None  # the folders are still to be made: mkdir says what fails
    refused = _cannot_create_in(folder)
    if refused is not None:
        return Diagnosis(
            f"cannot be written: its folder {folder} is not writable ({refused})",
            f"make {folder} writable for this user (SQLite keeps its journal beside the file), "
            f"{elsewhere}; the memory itself is intact",
        )
    refused = _cannot_write(path)
    if refused is not None:
        return Diagnosis(
            f"cannot be written: the file is read-only for this user ({refused})",
            f"make it writable (chmod u+w), {elsewhere}; the memory itself is intact",
        )
    return None
