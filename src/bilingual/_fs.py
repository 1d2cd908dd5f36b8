"""Atomic file replacement: the one way every writer (DOCX, JSON, glossary) puts a file down.

A writer fills a temporary sibling and renames it over the target only when it is
complete and on disk, so an interrupted run never leaves a half-written file where the old
one was. :func:`write_atomically` does that for several files at once (a briefing's DOCX
and JSON): all are written first, and renamed only when every one succeeded.

Temporary files are named ``.TARGET.XXXXXXXX.part`` (eight of ``[a-z0-9_]``, as
``tempfile.mkstemp`` made them before). Their name is recorded before the file is
created, so an interrupt (Ctrl-C) at any moment still removes it. A SIGKILL cannot be
caught: for that, each temporary file is held under an exclusive ``flock`` by the
process writing it for as long as it exists, and :func:`remove_stale_temporaries`
(called at the start of a run) deletes only temporaries of that exact naming whose
lock it can take, i.e. whose writer is dead. No age guess is needed: a live writer's
file is never touched, however slow it is, and a killed run's leftovers go at once.

Modes: a new file gets what a plain ``open()`` would give (0666 less the umask, 0644
usually); a replaced file keeps its mode.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import re
import stat
import string
from collections.abc import Callable, Sequence
from pathlib import Path

from bilingual.errors import OutputError

Writer = Callable[[Path], None]
"""Writes the whole file at the path it is given (a temporary name)."""

_FIX = "check that the folder exists, is writable and has free space"
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_LETTERS = string.ascii_lowercase + string.digits + "_"
TEMPORARY = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.part$")
"""The names of our temporary files (and only ours): ``.TARGET.XXXXXXXX.part``."""


def _temporary_name(target: Path) -> Path:
    tag = "".join(random.choices(_LETTERS, k=8))
    return target.with_name(f".{target.name}.{tag}.part")


def _create(tmp: Path, target: Path) -> int:
    """Create ``tmp`` (never an existing file) and hold its lock; the open descriptor."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        # O_CREAT applied the umask already; a replaced file keeps its own mode
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(fd, target.stat().st_mode & 0o7777)
        # blocking: only a cleaner that found it a microsecond old can hold it, briefly
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _new_temporary(target: Path, temps: list[Path]) -> int:
    """Create a temporary sibling of ``target``, its name appended to ``temps`` *before*
    it exists (whoever removes ``temps`` afterwards can never miss it); the lock's fd."""
    while True:
        temps.append(_temporary_name(target))
        try:
            return _create(temps[-1], target)
        except FileExistsError:
            temps.pop()  # another writer's file by that name: never ours to remove


def _fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _reason(exc: OSError, names: Sequence[tuple[Path, Path]]) -> tuple[str, str]:
    """What went wrong and the fix; ``names`` (temporary, target) put each target's name
    where the error named its temporary file, which the user has never heard of."""
    if exc.errno in _FULL:
        return (
            f"out of disk space ({os.strerror(exc.errno or errno.ENOSPC)})",
            "free some space on that disk, or write to another one, and run again; the "
            "previous file, if any, is untouched",
        )
    text = exc.strerror or str(exc) or type(exc).__name__
    for tmp, target in names:
        text = text.replace(str(tmp), str(target)).replace(tmp.name, target.name)
    return text, _FIX


def write_atomically(files: Sequence[tuple[Path, Writer]], *, what: str) -> None:
    """Write each ``(target, writer)`` to a temporary sibling, sync it, then rename all.

    Nothing is replaced unless every writer succeeded, and no temporary file is left
    behind whatever happens. An ``OSError`` becomes an :class:`OutputError` naming
    ``what`` ("the DOCX briefing") and the target concerned (never the temporary name).
    """
    temps: list[Path] = []
    locks: list[int] = []
    current = files[0][0] if files else Path()
    try:
        for target, write in files:
            current = target
            target.parent.mkdir(parents=True, exist_ok=True)
            # recorded before it exists: the finally below removes it whenever we stop
            locks.append(_new_temporary(target, temps))
            write(temps[-1])
            _fsync(temps[-1])
        for (target, _), tmp in zip(files, temps, strict=True):
            current = target
            os.replace(tmp, target)
    except OSError as exc:
        reason, fix = _reason(exc, list(zip(temps, (t for t, _ in files), strict=False)))
        raise OutputError(f"cannot write {what}: {reason}", where=str(current), fix=fix) from exc
    finally:
        for tmp in temps:
            # after a successful replace the temporary name no longer exists
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        for fd in locks:
            os.close(fd)


def write_bytes_atomically(target: Path, data: bytes, *, what: str) -> None:
    """:func:`write_atomically` for one file whose content is already in memory."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomically([(target, write)], what=what)


def probe_writable(folder: Path) -> None:
    """Create and remove a temporary file in ``folder``; raises the ``OSError`` if not."""
    temps: list[Path] = []
    try:
        os.close(_new_temporary(folder / "bilingual-probe", temps))
    finally:
        for tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _remove_if_dead(path: Path) -> bool:
    """Remove our temporary ``path`` when no live process holds its lock."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False  # gone already, a symlink, unreadable: not ours to judge
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer is alive
        # the name must still be the file we locked (not renamed over meanwhile)
        if os.stat(path, follow_symlinks=False).st_ino != st.st_ino:
            return False
        path.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> tuple[Path, ...]:
    """Delete the temporaries a killed run left in ``folder``: only files named as ours
    (:data:`TEMPORARY`) that no live process is writing. Returns the removed paths."""
    try:
        names = [e.name for e in os.scandir(folder) if TEMPORARY.match(e.name)]
    except OSError:
        return ()
    return tuple(folder / n for n in sorted(names) if _remove_if_dead(folder / n))
