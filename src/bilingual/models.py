"""Model management: list, find, install and remove argos translation packages.

Packages live in ``settings.packages_dir`` (``BILINGUAL_HOME/packages``), one folder per
package, exactly as argos lays them out. An install is validated before anything is
written, unpacked into a hidden temporary folder beside the final one and renamed into
place only when complete, so a broken, interrupted or killed install never shows up in
:func:`installed_packages`. Hidden folders (names starting with ``.``) are never packages.

argostranslate is used to read package metadata, but it creates folders under ``$HOME``
and reads the environment when first imported; :func:`_argos_package_module` imports it
with its folders pointed inside ``settings.home`` and restores ``os.environ`` afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from bilingual.config import Settings
from bilingual.errors import ModelError, ModelInstallError, ModelNotInstalledError


@dataclass(frozen=True)
class PackageInfo:
    """An installed argos package."""

    from_code: str
    to_code: str
    package_version: str
    name: str
    """Folder name under the packages dir, e.g. ``translate-ar_en-1_0``."""
    path: Path
    size_bytes: int

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def label(self) -> str:
        """``name@version``, used in the briefing signature."""
        return f"{self.name}@{self.package_version}"


Progress = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total_or_None)``, called while downloading."""

EN_VI_URL = "https://argos-net.com/v1/translate-en_vi-1_9.argosmodel"
"""en->vi 1.9 is not in the argos index; it is installed from this URL."""

_KNOWN_FILES: dict[tuple[str, str], str] = {
    ("ar", "en"): "translate-ar_en-1_0.argosmodel",
    ("en", "vi"): "translate-en_vi-1_9.argosmodel",
}
_KNOWN_URLS: dict[tuple[str, str], str] = {("en", "vi"): EN_VI_URL}

_CHUNK = 1 << 20
_USER_AGENT = "bilingual (argos package installer)"
_VOCABULARIES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)


# --------------------------------------------------------------------------- argos import


@contextlib.contextmanager
def _sandboxed_environ(root: Path) -> Iterator[None]:
    """Point argos's data/config/cache/packages folders under ``root`` for the duration."""
    saved = dict(os.environ)
    os.environ.update(
        XDG_DATA_HOME=str(root / "data"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        ARGOS_PACKAGES_DIR=str(root / "packages"),
    )
    # under snap, argos would take its home from SNAP_USER_DATA and scan snap folders
    os.environ.pop("SNAP", None)
    try:
        yield
    finally:
        # argos also sets KMP_DUPLICATE_LIB_OK at import: undo every change
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


def _argos_package_module(settings: Settings) -> ModuleType:
    """Import ``argostranslate.package`` without letting it write under ``$HOME``.

    Only the first import in a process creates argos's folders (under
    ``settings.home / "argos"``); later calls return the already imported module.
    """
    module = sys.modules.get("argostranslate.package")
    if module is not None:
        return module
    with _sandboxed_environ(settings.home / "argos"):
        import argostranslate.package as package

    loaded: ModuleType = package
    return loaded


# --------------------------------------------------------------------------- listing


def _tree_size(path: Path) -> int:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            with contextlib.suppress(OSError):
                total += (Path(dirpath) / name).lstat().st_size
    return total


def _read_package(settings: Settings, path: Path) -> PackageInfo:
    package = _argos_package_module(settings)
    try:
        pkg = package.Package(path)
    except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise ModelError(
            f"installed package is unreadable: {exc}",
            where=str(path),
            fix=f"reinstall it with `bilingual models install FILE.argosmodel`, or delete {path}",
        ) from None
    if not pkg.from_code or not pkg.to_code:
        raise ModelError(
            "installed package has no from_code/to_code in metadata.json",
            where=str(path / "metadata.json"),
            fix=f"reinstall it with `bilingual models install FILE.argosmodel`, or delete {path}",
        )
    return PackageInfo(
        from_code=str(pkg.from_code),
        to_code=str(pkg.to_code),
        package_version=str(pkg.package_version or ""),
        name=path.name,
        path=path,
        size_bytes=_tree_size(path),
    )


def _package_dirs(settings: Settings) -> list[Path]:
    root = settings.packages_dir
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "metadata.json").is_file()
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Every package installed under ``settings.packages_dir``, sorted by pair then name.

    A missing or empty folder gives ``[]`` without importing argostranslate, so listing
    on a fresh machine creates nothing anywhere.
    """
    dirs = _package_dirs(settings)
    infos = [_read_package(settings, d) for d in dirs]
    return sorted(infos, key=lambda i: (i.from_code, i.to_code, i.name))


def _pair_hint(from_code: str, to_code: str) -> str:
    """The commands that install a pair, online and offline."""
    filename = _KNOWN_FILES.get((from_code, to_code), f"translate-{from_code}_{to_code}.argosmodel")
    url = _KNOWN_URLS.get((from_code, to_code))
    online = (
        f"`bilingual models install {url}` (online; this package is not in the argos index)"
        if url
        else f"`bilingual models install {from_code} {to_code}` (online)"
    )
    return (
        f"run {online}, or copy {filename} onto this machine and run "
        f"`bilingual models install /path/to/{filename}` (offline)"
    )


def find_package(settings: Settings, from_code: str, to_code: str) -> PackageInfo:
    """The installed package for a pair (the newest version if there are several)."""
    matches = [
        info
        for info in installed_packages(settings)
        if info.from_code == from_code and info.to_code == to_code
    ]
    if not matches:
        raise ModelNotInstalledError(
            f"no translation model for {from_code}->{to_code} is installed",
            where=str(settings.packages_dir),
            fix=_pair_hint(from_code, to_code),
        )
    return max(matches, key=lambda i: (_version_key(i.package_version), i.name))


# --------------------------------------------------------------------------- installing


def _install_error(path: Path, what: str) -> ModelInstallError:
    return ModelInstallError(
        what,
        where=str(path),
        fix="get an intact .argosmodel file (a zip with one folder holding metadata.json, "
        "model/ and sentencepiece.model) and run `bilingual models install PATH`",
    )


def _check_zip(path: Path, zf: zipfile.ZipFile) -> str:
    """Validate the archive layout and metadata; return the top folder name."""
    names = [info.filename for info in zf.infolist()]
    if not names:
        raise _install_error(path, "the archive is empty")
    tops: set[str] = set()
    for name in names:
        pure = PurePosixPath(name)
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or re.match(r"^[A-Za-z]:", name)
            or ".." in pure.parts
        ):
            raise _install_error(path, f"unsafe path in the archive: {name!r}")
        tops.add(pure.parts[0])
    if len(tops) != 1:
        raise _install_error(
            path, f"the archive must hold exactly one top folder, found: {', '.join(sorted(tops))}"
        )
    top = tops.pop()
    if top.startswith(".") or not any(n.startswith(top + "/") for n in names):
        raise _install_error(path, f"the archive's top entry {top!r} is not a package folder")
    files = {n[len(top) + 1 :] for n in names if n.startswith(top + "/") and not n.endswith("/")}
    missing = [f for f in ("metadata.json", "sentencepiece.model") if f not in files]
    if not any(n.startswith("model/") for n in files):
        missing.append("model/")
    elif "model/model.bin" not in files:
        missing.append("model/model.bin")
    elif not any(all(f"model/{v}" in files for v in vocab) for vocab in _VOCABULARIES):
        missing.append("model/shared_vocabulary.json (or source/target vocabularies)")
    if missing:
        raise _install_error(path, f"the package lacks {', '.join(missing)}")
    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _install_error(path, f"metadata.json is not valid JSON: {exc}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _install_error(path, f"the archive is corrupt: {exc}") from None
    if not isinstance(metadata, dict):
        raise _install_error(path, "metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise _install_error(path, f"metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise _install_error(
            path, f"this is a {metadata.get('type')!r} package, not a translation package"
        )
    return top


def _extract(zf: zipfile.ZipFile, dest: Path) -> None:
    """Unpack every member (names already checked by _check_zip); CRCs are verified."""
    for info in zf.infolist():
        target = dest.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _swap_into_place(staged: Path, target: Path) -> None:
    """Rename ``staged`` to ``target``; an existing ``target`` is kept until then."""
    if not target.exists():
        os.rename(staged, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".old-{target.name}.", dir=target.parent))
    os.rename(target, old / target.name)
    try:
        os.rename(staged, target)
    except BaseException:
        os.rename(old / target.name, target)  # put the old install back
        raise
    finally:
        _remove_tree(old)


def install_package_file(settings: Settings, path: Path) -> PackageInfo:
    """Validate and install an ``.argosmodel`` file; atomic, replaces the same package.

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
    if not zipfile.is_zipfile(path):
        raise _install_error(path, "not a zip archive (an .argosmodel file is a zip)")
    packages_dir = settings.packages_dir
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _install_error(path, f"the archive is corrupt: {exc}") from None
    with zf:
        top = _check_zip(path, zf)
        size = sum(info.file_size for info in zf.infolist())
        packages_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(packages_dir).free
        if size > free:
            raise ModelInstallError(
                f"the package needs {size:,} bytes but only {free:,} are free",
                where=str(packages_dir),
                fix="free some disk space or set BILINGUAL_HOME to a larger disk",
            )
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=packages_dir))
        try:
            try:
                _extract(zf, staging)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise _install_error(path, f"the archive is corrupt: {exc}") from None
            except OSError as exc:
                raise ModelInstallError(
                    f"could not unpack the package: {exc}",
                    where=str(packages_dir),
                    fix="check free space and write permission there, or set BILINGUAL_HOME",
                ) from None
            staged = staging / top
            info = _read_package(settings, staged)
            old_same_pair = [
                p
                for p in installed_packages(settings)
                if (p.from_code, p.to_code) == (info.from_code, info.to_code) and p.name != top
            ]
            target = packages_dir / top
            _swap_into_place(staged, target)
        finally:
            _remove_tree(staging)
    for old in old_same_pair:
        _discard(old.path)
    return _read_package(settings, target)


def _discard(path: Path) -> None:
    """Remove an installed package: hide it with one rename, then delete it."""
    hidden = path.parent / f".remove-{path.name}"
    _remove_tree(hidden)
    os.rename(path, hidden)
    _remove_tree(hidden)


def remove_package(settings: Settings, name_or_pair: str) -> PackageInfo:
    """Remove a package given its folder name (``translate-ar_en-1_0``) or pair (``ar-en``)."""
    match = re.fullmatch(r"\s*([A-Za-z-]+?)\s*(?:->|-|_|\s)\s*([A-Za-z-]+)\s*", name_or_pair)
    installed = installed_packages(settings)
    chosen = [p for p in installed if p.name == name_or_pair]
    if not chosen and match:
        pair = (match.group(1), match.group(2))
        chosen = [p for p in installed if (p.from_code, p.to_code) == pair]
    if not chosen:
        listed = ", ".join(f"{p.name} ({p.pair})" for p in installed) or "none"
        raise ModelNotInstalledError(
            f"no installed package matches {name_or_pair!r}",
            where=str(settings.packages_dir),
            fix=f"give a name or a pair from `bilingual models list` (installed: {listed})",
        )
    for info in chosen:
        _discard(info.path)
    return chosen[0]


# --------------------------------------------------------------------------- downloading


def _offline_fix(what: str) -> str:
    return (
        f"if this machine is offline, download {what} on a connected machine, copy the "
        ".argosmodel file here and run `bilingual models install PATH`"
    )


def _open(url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    return urllib.request.urlopen(request, timeout=timeout)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot connect ({exc.reason})"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"


def _fetch_index(settings: Settings) -> list[dict[str, Any]]:
    url = settings.model_index
    try:
        with _open(url, settings.download_timeout) as response:
            raw = response.read()
    except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts are OSErrors
        raise ModelInstallError(
            f"could not download the model index: {_describe(exc)}",
            where=url,
            fix=_offline_fix("the package") + " (set BILINGUAL_MODEL_INDEX for another index)",
        ) from None
    try:
        index = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelInstallError(
            f"the model index is not valid JSON: {exc}",
            where=url,
            fix="check BILINGUAL_MODEL_INDEX points at an argos index.json",
        ) from None
    if not isinstance(index, list):
        raise ModelInstallError(
            "the model index is not a JSON list of packages",
            where=url,
            fix="check BILINGUAL_MODEL_INDEX points at an argos index.json",
        )
    return [entry for entry in index if isinstance(entry, dict)]


def _download(settings: Settings, url: str, dest: Path, progress: Progress | None) -> None:
    """Stream ``url`` into ``dest``; raise if fewer bytes than announced arrive."""
    with _open(url, settings.download_timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None:
            free = shutil.disk_usage(dest.parent).free
            if total > free:
                raise ModelInstallError(
                    f"the download needs {total:,} bytes but only {free:,} are free",
                    where=str(dest.parent),
                    fix="free some disk space or set BILINGUAL_HOME to a larger disk",
                )
        done = 0
        if progress is not None:
            progress(done, total)
        with dest.open("wb") as fh:
            while True:
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                fh.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    if total is not None and done != total:
        raise ModelInstallError(
            f"download incomplete: got {done:,} of {total:,} bytes",
            where=url,
            fix="try again; " + _offline_fix("the file"),
        )


def install_from_url(
    settings: Settings, url: str, *, progress: Progress | None = None
) -> PackageInfo:
    """Download an ``.argosmodel`` from ``url`` and install it (see install_package_file)."""
    return _install_from_links(settings, [url], progress=progress)


def _install_from_links(
    settings: Settings, links: list[str], *, progress: Progress | None
) -> PackageInfo:
    downloads = settings.home / "downloads"
    failures: list[str] = []
    for url in links:
        downloads.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=downloads)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                _download(settings, url, tmp, progress)
            except ModelInstallError as exc:
                failures.append(f"{url}: {exc.what}")
                continue
            except (OSError, ValueError, EOFError) as exc:  # incl. http.client errors
                failures.append(f"{url}: {_describe(exc)}")
                continue
            return install_package_file(settings, tmp)
        finally:
            tmp.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                downloads.rmdir()  # only if empty: leave nothing behind
    reasons = [f.split(": ", 1)[1] for f in failures] if len(links) == 1 else failures
    raise ModelInstallError(
        "could not download the package: " + "; ".join(reasons),
        where=links[0] if len(links) == 1 else None,
        fix="check the connection and try again; " + _offline_fix("the package"),
    )


def install_from_index(
    settings: Settings, from_code: str, to_code: str, *, progress: Progress | None = None
) -> PackageInfo:
    """Install the newest package for a pair listed in the index at ``settings.model_index``."""
    candidates = [
        entry
        for entry in _fetch_index(settings)
        if entry.get("type", "translate") == "translate"
        and entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and isinstance(entry.get("links"), list)
        and entry["links"]
    ]
    if not candidates:
        url = _KNOWN_URLS.get((from_code, to_code))
        raise ModelInstallError(
            f"the model index lists no package for {from_code}->{to_code}",
            where=settings.model_index,
            fix=f"run `bilingual models install {url}`"
            if url
            else "install a package file with `bilingual models install PATH`",
        )
    best = max(candidates, key=lambda e: _version_key(str(e.get("package_version", ""))))
    links = [str(link) for link in best["links"] if str(link).startswith(("http:", "https:"))]
    if not links:
        raise ModelInstallError(
            f"the index entry for {from_code}->{to_code} has no http(s) link",
            where=settings.model_index,
            fix=_offline_fix("the package"),
        )
    return _install_from_links(settings, links, progress=progress)
