"""Installing and removing packages, one at a time, invisibly to readers.

An install checks the archive (:mod:`bilingual.models.archive`) before writing
anything, then, holding the install lock (:mod:`bilingual.models.locks`):

1. deletes staging folders that killed installs left behind (no live install owns one:
   installs hold the lock from start to end, and a dead process's lock is gone);
2. unpacks into a hidden staging folder and renames it to a hidden versioned folder
   ``.pkg-NAME.XXXX``;
3. under the swap lock, points ``packages/NAME`` at it with one ``os.replace`` of a
   symlink and unlinks the other argos packages for the same pair, so a reader sees
   the old package or the new one, never none, never both;
4. deletes what was replaced.

``NAME`` comes from the metadata (``translate-ar_en-1_0``), never from the zip's folder
name, and an install only ever replaces argos packages for its own language pair.

:func:`staged_install` is those steps for any package: ``bilingual models import``
(:mod:`bilingual.models.importer`) fills the staging folder by converting a model
instead of unpacking one, and replaces only a package of the same name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bilingual.config import Settings
from bilingual.errors import ModelError, ModelInstallError, ModelNotInstalledError
from bilingual.models.archive import (
    check_archive,
    extract,
    free_space_error,
    install_error,
)
from bilingual.models.locks import install_lock, swap_lock
from bilingual.models.registry import (
    VERSION_PREFIX,
    PackageInfo,
    list_packages,
    package_name,
    read_package,
)

STAGING_PREFIXES = (".install-", ".old-", ".remove-", ".link-")
"""Hidden entries of ours that only exist while an install or removal runs."""
_WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _own_target(link: Path) -> Path | None:
    """The versioned folder a package link points to, if it is one of ours."""
    try:
        target = os.readlink(link)
    except OSError:
        return None
    if "/" in target or not target.startswith(VERSION_PREFIX):
        return None  # a link the user made: what it points to is not ours to delete
    return link.parent / target


def clean_stale(packages_dir: Path) -> None:
    """Delete leftovers of killed installs; call it holding the install lock."""
    if not packages_dir.is_dir():
        return
    entries = list(packages_dir.iterdir())
    live = {
        target.name
        for entry in entries
        if not entry.name.startswith(".") and entry.is_symlink()
        for target in [_own_target(entry)]
        if target is not None
    }
    for entry in entries:
        name = entry.name
        if name.startswith(STAGING_PREFIXES) or (
            name.startswith(VERSION_PREFIX) and name not in live
        ):
            _remove_tree(entry)


def _hide(path: Path, suffix: str) -> list[Path]:
    """Take a package out of view (hold the swap lock); return what is left to delete."""
    if path.is_symlink():
        target = _own_target(path)
        path.unlink()
        return [target] if target is not None else []
    hidden = path.parent / f".old-{path.name}.{suffix}"
    os.rename(path, hidden)
    return [hidden]


def _choose_name(settings: Settings, base: str, same: Callable[[PackageInfo], bool]) -> str:
    """``base``, or ``base-2``… if ``base`` holds a package ``same`` does not accept."""
    for n in range(1, 1000):
        name = base if n == 1 else f"{base}-{n}"
        target = settings.packages_dir / name
        if not target.exists():
            if not target.is_symlink() or _own_target(target) is not None:
                return name  # free, or a dangling link of ours
            continue
        try:
            info = read_package(settings, target)
        except ModelError:
            continue  # not a package we can read: leave it alone
        if same(info):
            return name
    raise install_error(str(settings.packages_dir), f"no free name for {base}")


@contextlib.contextmanager
def _writing(shown: str, where: Path) -> Iterator[None]:
    """A full disk or a refused write while filling the staging folder, said plainly."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ModelInstallError(
                "the disk filled up while writing the package",
                where=str(where),
                fix="free some disk space or set BILINGUAL_HOME to a larger disk",
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ModelInstallError(
                f"cannot write the package: {exc.strerror}",
                where=str(where),
                fix="check write permission there, or set BILINGUAL_HOME",
            ) from None
        raise


def _unpack(shown: str, zf: zipfile.ZipFile, staging: Path) -> None:
    try:
        extract(shown, zf, staging)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise install_error(shown, f"the archive is corrupt: {exc}") from None
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            raise  # _writing says it
        raise install_error(shown, f"could not unpack the archive: {exc}") from None


def _place(settings: Settings, staging: Path, name: str, others: list[Path]) -> None:
    """Swap the staged package in as ``name`` and hide ``others`` (module docstring)."""
    packages_dir = settings.packages_dir
    suffix = staging.name.removeprefix(".install-")
    version_dir = packages_dir / f"{VERSION_PREFIX}{name}.{suffix}"
    link = packages_dir / f".link-{suffix}"
    target = packages_dir / name
    os.rename(staging, version_dir)
    doomed: list[Path] = []
    swapped = False
    try:
        os.symlink(version_dir.name, link)
        with swap_lock(packages_dir):
            aside = None
            if target.is_symlink():
                old = _own_target(target)  # os.replace swaps the link itself
                doomed += [old] if old is not None else []
            elif target.exists():  # an older install's plain folder: cannot be swapped
                aside = packages_dir / f".old-{name}.{suffix}"
                os.rename(target, aside)
            try:
                os.replace(link, target)
            except BaseException:
                if aside is not None:
                    os.rename(aside, target)
                raise
            swapped = True
            doomed += [aside] if aside is not None else []
            for other in others:
                doomed += _hide(other, suffix)
    except BaseException:
        _remove_tree(link)
        if not swapped:
            _remove_tree(version_dir)
        raise
    for path in doomed:
        _remove_tree(path)


@dataclass(frozen=True)
class Staged:
    """How one install names its package and what it may replace."""

    shown: str
    """The source as the user gave it, for messages."""
    same: Callable[[PackageInfo], bool]
    """Whether the package already installed under the name may be replaced."""
    replaces: Callable[[PackageInfo], bool]
    """Other installed packages this one takes the place of (removed once it is in)."""
    needed_bytes: int


def staged_install(settings: Settings, staged: Staged, fill: Callable[[Path], str]) -> PackageInfo:
    """Install what ``fill`` writes into a fresh staging folder: one at a time, invisible
    until complete, cleaned up if it fails or is killed (the module docstring's steps).

    ``fill`` returns the install name it wants, from the package's metadata (never from
    a file or folder name); ``NAME-2``… if ``NAME`` holds a package ``staged.same`` refuses.
    """
    packages_dir = settings.packages_dir
    with install_lock(packages_dir):
        clean_stale(packages_dir)
        problem = free_space_error(packages_dir, staged.needed_bytes)
        if problem is not None:
            raise problem
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=packages_dir))
        # mkdtemp makes the folder private (0700); others should read models too
        os.chmod(staging, 0o777 & ~_umask())
        try:
            with _writing(staged.shown, packages_dir):
                base_name = fill(staging)
            read_package(settings, staging)  # argos can read it
            name = _choose_name(settings, base_name, staged.same)
            others = [
                p.path for p in list_packages(settings) if p.name != name and staged.replaces(p)
            ]
            _place(settings, staging, name, others)
        finally:
            _remove_tree(staging)
        return read_package(settings, packages_dir / name)


def _refuse_non_zip(path: Path, shown: str) -> ModelInstallError:
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<")):
        return install_error(
            shown,
            "this is a web page, not an .argosmodel file (a zip): the address may lead to "
            "a download page, a login page or an error page",
        )
    return install_error(shown, "not a zip archive (an .argosmodel file is a zip)")


def install_archive(
    settings: Settings,
    path: Path,
    *,
    shown: str | None = None,
    expected_pair: tuple[str, str] | None = None,
) -> PackageInfo:
    """Install an ``.argosmodel`` file; errors about it name ``shown`` (default: its path)."""
    shown = shown or str(path)
    if not zipfile.is_zipfile(path):
        raise _refuse_non_zip(path, shown)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise install_error(shown, f"the archive is corrupt: {exc}") from None
    with zf:
        checked = check_archive(shown, zf)
        pair = (checked.from_code, checked.to_code)
        if expected_pair is not None and pair != expected_pair:
            raise install_error(
                shown,
                f"this package translates {pair[0]}->{pair[1]}, "
                f"not {expected_pair[0]}->{expected_pair[1]} as the index says",
            )

        def same_pair(info: PackageInfo) -> bool:
            return (info.from_code, info.to_code) == pair

        def older_argos(info: PackageInfo) -> bool:
            # an imported model serving the pair is another choice, not an older version
            return info.kind == "argos" and same_pair(info)

        def fill(staging: Path) -> str:
            _unpack(shown, zf, staging)
            return package_name(checked.from_code, checked.to_code, checked.version)

        staged = Staged(shown, same_pair, older_argos, checked.unpacked_bytes)
        return staged_install(settings, staged, fill)


def install_package_file(settings: Settings, path: Path) -> PackageInfo:
    """Validate and install an ``.argosmodel`` file; atomic, replaces the same pair only.

    Other installed packages for the same pair are removed once the new one is in place,
    so each pair has exactly one package.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelInstallError(
            "no such file",
            where=str(path),
            fix="give the path of a downloaded .argosmodel file, "
            "or `bilingual models install FROM TO` to download one",
        )
    return install_archive(settings, path)


def remove_package(settings: Settings, name_or_pair: str) -> PackageInfo:
    """Remove a package given its name (``translate-ar_en-1_0``) or pair (``ar-en``: the
    packages that serve that pair alone)."""
    match = re.fullmatch(r"\s*([A-Za-z-]+?)\s*(?:->|-|_|\s)\s*([A-Za-z-]+)\s*", name_or_pair)
    packages_dir = settings.packages_dir
    lock = install_lock(packages_dir) if packages_dir.is_dir() else contextlib.nullcontext()
    with lock:
        installed = list_packages(settings)
        chosen = [p for p in installed if p.name == name_or_pair]
        if not chosen and match:
            pair = (match.group(1), match.group(2))
            # a model serving several pairs goes by its name only: ar-en must not take
            # an M2M-100 model whose first pair it happens to be
            chosen = [p for p in installed if p.pairs == (pair,)]
        if not chosen:
            listed = (
                ", ".join(
                    f"{p.name} ({', '.join(f'{a}->{b}' for a, b in p.pairs)})" for p in installed
                )
                or "none"
            )
            raise ModelNotInstalledError(
                f"no installed package matches {name_or_pair!r}",
                where=str(packages_dir),
                fix=f"give a name or a pair from `bilingual models list` (installed: {listed})",
            )
        doomed: list[Path] = []
        with swap_lock(packages_dir):
            for info in chosen:
                doomed += _hide(info.path, "remove")
        for path in doomed:
            _remove_tree(path)
    return chosen[0]
