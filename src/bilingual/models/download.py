"""Downloading packages over HTTP(S): from a URL, or the newest one the argos index lists.

Every network or HTTP failure (refused connection, timeout, TLS, a body cut half way,
chunked or not, a malformed response) becomes a :class:`ModelInstallError` naming the URL.
Bodies are capped: a package at :data:`MAX_DOWNLOAD_BYTES`, the index at
:data:`MAX_INDEX_BYTES`, so an endless body cannot fill the disk or the memory.
Downloads go to hidden temporary files under ``home/downloads``, each locked while in
use, so a killed download's file is deleted by the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from bilingual.config import Settings
from bilingual.errors import ModelInstallError
from bilingual.models.install import install_archive
from bilingual.models.registry import KNOWN_URLS, PackageInfo, version_key
from bilingual.shell import shell_command

Progress = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total_or_None)``, called while downloading."""

MAX_DOWNLOAD_BYTES = 1 << 30
"""1 GiB: no package file is larger than it unpacks to (see archive.MAX_UNPACKED_BYTES)."""
MAX_INDEX_BYTES = 16 << 20
"""16 MiB: the argos index is about 100 KB."""

NETWORK_ERRORS = (OSError, ValueError, EOFError, http.client.HTTPException)
"""urllib errors and timeouts are OSErrors; IncompleteRead and bad status lines are
HTTPExceptions; a malformed URL is a ValueError."""

_CHUNK = 1 << 20
_USER_AGENT = "bilingual (argos package installer)"
_DOWNLOAD_PREFIX = ".download-"


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
    if isinstance(exc, http.client.IncompleteRead):
        return "download incomplete: the connection closed before the end of the file"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.HTTPException):
        return f"the server's answer is not valid HTTP ({type(exc).__name__}: {exc})"
    return f"{type(exc).__name__}: {exc}"


def _fetch_index(settings: Settings) -> list[dict[str, Any]]:
    url = settings.model_index
    fix = "check BILINGUAL_MODEL_INDEX points at an argos index.json"
    try:
        with _open(url, settings.download_timeout) as response:
            raw = response.read(MAX_INDEX_BYTES + 1)
    except NETWORK_ERRORS as exc:
        raise ModelInstallError(
            f"could not download the model index: {_describe(exc)}",
            where=url,
            fix=_offline_fix("the package") + " (set BILINGUAL_MODEL_INDEX for another index)",
        ) from None
    if len(raw) > MAX_INDEX_BYTES:
        raise ModelInstallError(
            f"the model index is larger than {MAX_INDEX_BYTES:,} bytes", where=url, fix=fix
        )
    try:
        index = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelInstallError(
            f"the model index is not valid JSON: {exc}", where=url, fix=fix
        ) from None
    if not isinstance(index, list):
        raise ModelInstallError(
            "the model index is not a JSON list of packages", where=url, fix=fix
        )
    return [entry for entry in index if isinstance(entry, dict)]


def _refuse(url: str, what: str, fix: str | None = None) -> ModelInstallError:
    return ModelInstallError(what, where=url, fix=fix or "try again; " + _offline_fix("the file"))


def _download(
    settings: Settings, url: str, dest: Path, out: BinaryIO, progress: Progress | None
) -> None:
    """Stream ``url`` into ``out``; raise if the body is cut, too long, or a web page."""
    with _open(url, settings.download_timeout) as response:
        kind = str(response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "text/html":
            raise _refuse(
                url,
                "the server sent a web page (text/html), not an .argosmodel file",
                "check that the URL is the .argosmodel file itself, not a page about it; "
                + _offline_fix("the file"),
            )
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > MAX_DOWNLOAD_BYTES:
            raise _refuse(
                url,
                f"the file is {total:,} bytes, more than a package can be "
                f"({MAX_DOWNLOAD_BYTES:,} bytes)",
                "check the URL",
            )
        if total is not None:
            free = os.statvfs(dest.parent)
            if total > free.f_bavail * free.f_frsize:
                raise ModelInstallError(
                    f"the download needs {total:,} bytes but only "
                    f"{free.f_bavail * free.f_frsize:,} are free",
                    where=str(dest.parent),
                    fix="free some disk space or set BILINGUAL_HOME to a larger disk",
                )
        done = 0
        if progress is not None:
            progress(done, total)
        while True:
            try:
                chunk = response.read(_CHUNK)
            except http.client.IncompleteRead:
                raise _refuse(
                    url, f"download incomplete: the connection closed after {done:,} bytes"
                ) from None
            if not chunk:
                break
            done += len(chunk)
            if done > MAX_DOWNLOAD_BYTES:
                raise _refuse(
                    url,
                    f"the download goes on past {MAX_DOWNLOAD_BYTES:,} bytes, more than a "
                    "package can be: stopped",
                    "check the URL",
                )
            out.write(chunk)
            if progress is not None:
                progress(done, total)
    if total is not None and done != total:
        raise _refuse(url, f"download incomplete: got {done:,} of {total:,} bytes")


def _clean_stale_downloads(downloads: Path) -> None:
    """Delete download files no live process holds (a killed download's)."""
    for path in downloads.glob(_DOWNLOAD_PREFIX + "*"):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path.unlink(missing_ok=True)
        except OSError:
            pass  # locked: a live download
        finally:
            os.close(fd)


@contextlib.contextmanager
def _download_file(downloads: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new locked temporary file, deleted afterwards (with the folder, if then empty)."""
    downloads.mkdir(parents=True, exist_ok=True)
    _clean_stale_downloads(downloads)
    while True:
        fd, name = tempfile.mkstemp(prefix=_DOWNLOAD_PREFIX, suffix=".argosmodel", dir=downloads)
        fcntl.flock(fd, fcntl.LOCK_EX)
        path = Path(name)
        with contextlib.suppress(OSError):
            if path.stat().st_ino == os.fstat(fd).st_ino:
                break  # still ours: no cleaner took it before it was locked
        os.close(fd)
    try:
        with os.fdopen(fd, "w+b") as fh:
            yield path, fh
    finally:
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            downloads.rmdir()  # only if empty: leave nothing behind


def install_from_url(
    settings: Settings, url: str, *, progress: Progress | None = None
) -> PackageInfo:
    """Download an ``.argosmodel`` from ``url`` and install it (see install_package_file)."""
    return _install_from_links(settings, [url], progress=progress)


def _install_from_links(
    settings: Settings,
    links: list[str],
    *,
    progress: Progress | None,
    expected_pair: tuple[str, str] | None = None,
) -> PackageInfo:
    failures: list[tuple[str, str]] = []
    last: ModelInstallError | None = None
    for url in links:
        with _download_file(settings.home / "downloads") as (tmp, fh):
            try:
                _download(settings, url, tmp, fh, progress)
                fh.flush()
            except ModelInstallError as exc:
                if exc.where != url:
                    raise  # no free space here: the next link will not help
                failures.append((url, exc.what))
                continue
            except NETWORK_ERRORS as exc:
                failures.append((url, _describe(exc)))
                continue
            try:
                return install_archive(settings, tmp, shown=url, expected_pair=expected_pair)
            except ModelInstallError as exc:
                if exc.where != url:
                    raise  # the packages folder's problem, not this file's
                last = exc
                failures.append((url, exc.what))
    if len(links) == 1 and last is not None:
        raise last  # the downloaded file is not a good package: say exactly why
    reasons = (
        [why for _, why in failures] if len(links) == 1 else [f"{u}: {w}" for u, w in failures]
    )
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
        url = KNOWN_URLS.get((from_code, to_code))
        raise ModelInstallError(
            f"the model index lists no package for {from_code}->{to_code}",
            where=settings.model_index,
            fix=f"run `{shell_command('bilingual', 'models', 'install', url)}`"
            if url
            else "install a package file with `bilingual models install PATH`",
        )
    best = max(candidates, key=lambda e: version_key(str(e.get("package_version", ""))))
    links = [str(link) for link in best["links"] if str(link).startswith(("http:", "https:"))]
    if not links:
        raise ModelInstallError(
            f"the index entry for {from_code}->{to_code} has no http(s) link",
            where=settings.model_index,
            fix=_offline_fix("the package"),
        )
    return _install_from_links(
        settings, links, progress=progress, expected_pair=(from_code, to_code)
    )
