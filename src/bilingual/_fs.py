"""Atomic file replacement: the one way every writer (DOCX, JSON, glossary) puts a file down.

A writer fills a temporary sibling and renames it over the target only when it is
complete and on disk, so an interrupted run never leaves a half-written file where the old
one was. :func:`write_atomically` does that for several files at once (a briefing's DOCX
and JSON): all are written first, and renamed only when every one succeeded.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bilingual.errors import OutputError

Writer = Callable[[Path], None]
"""Writes the whole file at the path it is given (a temporary name)."""

_FIX = "check that the folder exists, is writable and has free space"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); the finished file should have the mode
        # any new file gets here (0644 under the usual umask), or the old one's
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return Path(name)


def _fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def write_atomically(files: Sequence[tuple[Path, Writer]], *, what: str) -> None:
    """Write each ``(target, writer)`` to a temporary sibling, sync it, then rename all.

    Nothing is replaced unless every writer succeeded, and no temporary file is left
    behind whatever happens. An ``OSError`` becomes an :class:`OutputError` naming
    ``what`` ("the DOCX briefing") and the file concerned.
    """
    temps: list[Path] = []
    current = files[0][0] if files else Path()
    try:
        for target, write in files:
            current = target
            temps.append(_temporary_beside(target))
            write(temps[-1])
            _fsync(temps[-1])
        for (target, _), tmp in zip(files, temps, strict=True):
            current = target
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write {what}: {exc.strerror or exc}", where=str(current), fix=_FIX
        ) from exc
    finally:
        for tmp in temps:
            # after a successful replace the temporary name no longer exists
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def write_bytes_atomically(target: Path, data: bytes, *, what: str) -> None:
    """:func:`write_atomically` for one file whose content is already in memory."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomically([(target, write)], what=what)
