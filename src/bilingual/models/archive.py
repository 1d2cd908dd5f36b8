"""An ``.argosmodel`` file is an untrusted zip: check it, then unpack it within limits.

:func:`check_archive` reads only the zip's directory and ``metadata.json`` and refuses,
before anything is written, an archive whose entries are unsafe (absolute or ``..``
paths, symlinks, devices, clashing names), too many or too large, compressed
suspiciously well, or whose metadata does not name two different languages.
:func:`extract` then counts the bytes it actually writes, because a zip's headers can lie.

The checks of the entries themselves (:func:`check_tree`, :func:`check_sizes`) and
:func:`extract` serve any untrusted model zip: an OPUS-MT release zip
(:mod:`bilingual.models.opus`) passes through the same ones.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bilingual.errors import ModelInstallError

MAX_UNPACKED_BYTES = 1 << 30
"""1 GiB: the most a package may expand to. Real argos packages expand to 100-300 MB."""
MAX_RELEASE_BYTES = 4 << 30
"""4 GiB: the most an OPUS-MT release (or its ``.npz``) may expand to. Releases keep
float32 weights: a transformer-big (tc-big) model is about 1 GB of them, and the zip
holds the ``.npz`` beside its own unpacked copy in some releases. The ratio limit still
stops a zip bomb long before this."""
MAX_RATIO = 100
"""The most an entry over :data:`RATIO_FLOOR` bytes may expand per compressed byte.
Model weights compress about 1.1:1 and vocabularies about 4:1; a zip bomb, 1000:1."""
RATIO_FLOOR = 1 << 20
"""Entries up to 1 MiB are not ratio-checked (placeholders compress very well)."""
MAX_ENTRIES = 1000
"""A real package has about ten entries."""
MAX_METADATA_BYTES = 1 << 20

_VOCABULARIES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[_-](?:[A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?")
_BAD_TYPES = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Checked:
    """What an archive that passed :func:`check_archive` holds."""

    top: str
    """The one top folder of the zip (its name means nothing: it is not the install name)."""
    from_code: str
    to_code: str
    version: str
    unpacked_bytes: int


ARGOS_FIX = (
    "get an intact .argosmodel file (a zip with one folder holding metadata.json, "
    "model/ and sentencepiece.model) and run `bilingual models install PATH`"
)


def install_error(shown: str, what: str, fix: str = ARGOS_FIX) -> ModelInstallError:
    """An error about the archive ``shown`` (its path, or the URL it came from)."""
    return ModelInstallError(what, where=shown, fix=fix)


def is_language_code(code: str) -> bool:
    """``ar``, ``en``, ``fil``, ``pt_BR``, ``pt-BR``, ``es_419``, ``zh_Hant``."""
    return _LANGUAGE.fullmatch(code) is not None


def same_language(a: str, b: str) -> bool:
    return a.replace("-", "_").lower() == b.replace("-", "_").lower()


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    kind = _BAD_TYPES.get(stat.S_IFMT(info.external_attr >> 16))
    if kind is not None:
        return f"the archive holds {kind}: {name!r}"
    parts = name.rstrip("/").split("/")
    if (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\0" in name
        or re.match(r"^[A-Za-z]:", name)
        or any(part in ("", ".", "..") for part in parts)
    ):
        return f"unsafe path in the archive: {name!r}"
    return None


def check_sizes(
    shown: str,
    infos: list[zipfile.ZipInfo],
    fix: str = ARGOS_FIX,
    limit: int | None = None,
) -> int:
    """The bytes the entries declare, within the limits on count, total (``limit``;
    default :data:`MAX_UNPACKED_BYTES`) and ratio."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    if len(infos) > MAX_ENTRIES:
        raise install_error(
            shown, f"the archive holds {len(infos):,} entries (the limit is {MAX_ENTRIES:,})", fix
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise install_error(
                shown,
                f"{info.filename!r} would expand {info.file_size / max(info.compress_size, 1):,.0f}"
                f" times ({info.compress_size:,} to {info.file_size:,} bytes; the limit is "
                f"{MAX_RATIO} times): this is a zip bomb, not a model",
                fix,
            )
    if total > limit:
        raise install_error(
            shown,
            f"the archive would expand to {total:,} bytes (the limit is "
            f"{limit:,}): this is not a model package",
            fix,
        )
    return total


def check_tree(
    shown: str, infos: list[zipfile.ZipInfo], fix: str = ARGOS_FIX
) -> tuple[set[str], set[str]]:
    """Every entry safe, none twice, no name both a file and a folder: (files, folders)."""
    if not infos:
        raise install_error(shown, "the archive is empty", fix)
    files: set[str] = set()
    folders: set[str] = set()
    for info in infos:
        problem = _entry_problem(info)
        if problem:
            raise install_error(shown, problem, fix)
        parts = info.filename.rstrip("/").split("/")
        folders.update("/".join(parts[:n]) for n in range(1, len(parts)))
        path = "/".join(parts)
        if info.is_dir():
            folders.add(path)
        elif path in files:
            raise install_error(shown, f"the archive holds {path!r} twice", fix)
        else:
            files.add(path)
    clash = sorted(files & folders)
    if clash:
        raise install_error(shown, f"the archive holds {clash[0]!r} as a file and as a folder", fix)
    return files, folders


def _check_layout(shown: str, infos: list[zipfile.ZipInfo]) -> str:
    """A safe tree with one top folder holding an argos package; the top name."""
    files, folders = check_tree(shown, infos)
    tops = {path.split("/")[0] for path in files | folders}
    if len(tops) != 1:
        raise install_error(
            shown, f"the archive must hold exactly one top folder, found: {', '.join(sorted(tops))}"
        )
    top = tops.pop()
    if top in files or top.startswith("."):
        raise install_error(shown, f"the archive's top entry {top!r} is not a package folder")
    inside = {f[len(top) + 1 :] for f in files}
    missing = [f for f in ("metadata.json", "sentencepiece.model") if f not in inside]
    if not any(n.startswith("model/") for n in inside):
        missing.append("model/")
    elif "model/model.bin" not in inside:
        missing.append("model/model.bin")
    elif not any(all(f"model/{v}" in inside for v in vocab) for vocab in _VOCABULARIES):
        missing.append("model/shared_vocabulary.json (or source/target vocabularies)")
    if missing:
        raise install_error(shown, f"the package lacks {', '.join(missing)}")
    return top


def _read_metadata(shown: str, zf: zipfile.ZipFile, top: str) -> dict[str, Any]:
    info = zf.getinfo(f"{top}/metadata.json")
    if info.file_size > MAX_METADATA_BYTES:
        raise install_error(shown, f"metadata.json is {info.file_size:,} bytes: not metadata")
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_METADATA_BYTES + 1)
        metadata = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise install_error(shown, f"metadata.json is not valid JSON: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise install_error(shown, f"the archive is corrupt: {exc}") from None
    if not isinstance(metadata, dict):
        raise install_error(shown, "metadata.json is not a JSON object")
    return metadata


def _check_metadata(shown: str, metadata: dict[str, Any]) -> tuple[str, str, str]:
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise install_error(shown, f"metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise install_error(
            shown, f"this is a {metadata.get('type')!r} package, not a translation package"
        )
    from_code, to_code = str(metadata["from_code"]), str(metadata["to_code"])
    for key, code in (("from_code", from_code), ("to_code", to_code)):
        if not is_language_code(code):
            raise install_error(
                shown,
                f"metadata.json: {key} {code!r} is not a language code (expected 2-3 "
                "lowercase letters with an optional region, like ar, en or pt_BR)",
            )
    if same_language(from_code, to_code):
        raise install_error(
            shown,
            f"metadata.json: from_code and to_code are both {from_code!r}; a translation "
            "package translates between two different languages",
        )
    version = metadata.get("package_version", "")
    if not isinstance(version, str | int | float) or isinstance(version, bool):
        raise install_error(shown, "metadata.json: package_version is not a version")
    return from_code, to_code, str(version)


def check_archive(shown: str, zf: zipfile.ZipFile) -> Checked:
    """Validate layout, limits and metadata of an opened package zip; write nothing."""
    infos = zf.infolist()
    top = _check_layout(shown, infos)
    total = check_sizes(shown, infos)
    from_code, to_code, version = _check_metadata(shown, _read_metadata(shown, zf, top))
    return Checked(top, from_code, to_code, version, total)


def extract(
    shown: str,
    zf: zipfile.ZipFile,
    dest: Path,
    *,
    strip: int = 1,
    fix: str = ARGOS_FIX,
    limit: int | None = None,
) -> None:
    """Unpack the entries into ``dest`` less their first ``strip`` folders (an argos
    package's top folder), counting every byte written; the tree passed :func:`check_tree`.

    An entry that yields more than its header declares, or a total beyond
    :data:`MAX_UNPACKED_BYTES`, stops the unpacking at once (the caller deletes ``dest``).
    CRCs are verified by zipfile; corruption raises zipfile.BadZipFile, EOFError or
    zlib.error.
    """
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    written = 0
    for info in zf.infolist():
        parts = PurePosixPath(info.filename).parts[strip:]  # without the top folder
        if not parts:
            continue
        target = dest.joinpath(*parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = 0
        with zf.open(info) as src, target.open("xb") as out:
            while chunk := src.read(_CHUNK):
                entry += len(chunk)
                written += len(chunk)
                if entry > info.file_size:
                    raise install_error(
                        shown,
                        f"{info.filename!r} expands beyond the {info.file_size:,} bytes the "
                        "archive declares: the archive is corrupt or malicious",
                        fix,
                    )
                if written > limit:
                    raise install_error(
                        shown,
                        f"the archive expands beyond {limit:,} bytes, the limit "
                        "for a package: this is not a model package",
                        fix,
                    )
                out.write(chunk)


def free_space_error(where: Path, needed: int) -> ModelInstallError | None:
    """An error if the disk holding ``where`` has fewer than ``needed`` bytes free."""
    free = shutil.disk_usage(where).free
    if needed <= free:
        return None
    return ModelInstallError(
        f"the package needs {needed:,} bytes but only {free:,} are free",
        where=str(where),
        fix="free some disk space or set BILINGUAL_HOME to a larger disk",
    )
