"""Lock files of a packages folder: installs take turns, readers never see a swap.

Two ``fcntl.flock`` locks live in the packages folder, as hidden files (never packages):

* ``.install.lock``: held exclusively by an install or a removal from start to end, so
  they run one at a time. A hidden staging folder found while holding it belongs to no
  live install (a killed one's lock died with its process) and can be deleted.
* ``.swap.lock``: held exclusively only while package links are replaced or removed, and
  shared by readers while they list packages or load one, so a reader always sees each
  package either wholly before or wholly after an install.

flock locks belong to the open file and vanish when the process dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bilingual.errors import ModelInstallError

INSTALL_LOCK = ".install.lock"
SWAP_LOCK = ".swap.lock"


@contextlib.contextmanager
def _held(fd: int, operation: int) -> Iterator[None]:
    try:
        fcntl.flock(fd, operation)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def _open_for_writers(packages_dir: Path, name: str) -> int:
    try:
        packages_dir.mkdir(parents=True, exist_ok=True)
        return os.open(packages_dir / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise ModelInstallError(
            f"cannot write in the packages folder: {exc.strerror or exc}",
            where=str(packages_dir),
            fix="check write permission there, or set BILINGUAL_HOME to a folder you own",
        ) from None


@contextlib.contextmanager
def install_lock(packages_dir: Path) -> Iterator[None]:
    """Hold the packages folder for one install or removal (waits for the one running)."""
    with _held(_open_for_writers(packages_dir, INSTALL_LOCK), fcntl.LOCK_EX):
        yield


@contextlib.contextmanager
def swap_lock(packages_dir: Path) -> Iterator[None]:
    """Exclusive: no reader is between listing and loading while links change."""
    with _held(_open_for_writers(packages_dir, SWAP_LOCK), fcntl.LOCK_EX):
        yield


@contextlib.contextmanager
def read_lock(packages_dir: Path) -> Iterator[None]:
    """Shared: packages do not change while it is held.

    Creates nothing when the folder does not exist, and takes no lock in a folder this
    user cannot write (no install of theirs can run there either).
    """
    if not packages_dir.is_dir():
        yield
        return
    path = packages_dir / SWAP_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            fd = -1
    if fd < 0:
        yield
        return
    with _held(fd, fcntl.LOCK_SH):
        yield
