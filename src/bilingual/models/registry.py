"""Installed packages: what is installed, reading one, finding the one for a pair.

Each package is reached through ``packages/NAME``: since the swap-safe layout this is a
symlink to a hidden versioned folder ``packages/.pkg-NAME.XXXX`` that an install
replaces in one ``os.replace``; an older install's plain folder ``packages/NAME`` reads
the same. Hidden entries (names starting with ``.``) are never packages. Listing holds
the shared lock of :mod:`bilingual.models.locks`, so it never sees an install half done.

argostranslate is used to read package metadata, but it creates folders under ``$HOME``
and reads the environment when first imported; :func:`_argos_package_module` imports it
with its folders pointed inside ``settings.home`` and restores ``os.environ`` afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from bilingual.config import Settings
from bilingual.errors import ModelError, ModelNotInstalledError
from bilingual.models.card import ModelCard, read_card
from bilingual.models.locks import read_lock

VERSION_PREFIX = ".pkg-"
"""Hidden versioned folders that package links point to."""

EN_VI_URL = "https://argos-net.com/v1/translate-en_vi-1_9.argosmodel"
"""en->vi 1.9 is not in the argos index; it is installed from this URL."""

_KNOWN_FILES: dict[tuple[str, str], str] = {
    ("ar", "en"): "translate-ar_en-1_0.argosmodel",
    ("en", "vi"): "translate-en_vi-1_9.argosmodel",
}
KNOWN_URLS: dict[tuple[str, str], str] = {("en", "vi"): EN_VI_URL}


@dataclass(frozen=True)
class PackageInfo:
    """An installed argos package."""

    from_code: str
    to_code: str
    package_version: str
    name: str
    """Name under the packages dir, e.g. ``translate-ar_en-1_0``."""
    path: Path
    size_bytes: int
    card: ModelCard = field(default_factory=ModelCard)
    """Kind, language pairs, tokens and licence (:mod:`bilingual.models.card`)."""

    @property
    def kind(self) -> str:
        return self.card.kind

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every direction it translates (``from_code``/``to_code`` is the first)."""
        return self.card.pairs or ((self.from_code, self.to_code),)

    def serves(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def label(self) -> str:
        """``name@version``, used in the briefing signature."""
        return f"{self.name}@{self.package_version}"


def package_name(from_code: str, to_code: str, version: str) -> str:
    """The install name, from the metadata only: ``translate-ar_en-1_0`` for ar, en, 1.0."""
    suffix = re.sub(r"[^A-Za-z0-9]+", "_", version).strip("_")[:40]
    return f"translate-{from_code}_{to_code}" + (f"-{suffix}" if suffix else "")


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


def read_package(settings: Settings, path: Path) -> PackageInfo:
    """Read the package at ``path`` (a folder, or a link to one)."""
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
        card=read_card(_metadata(path)),
    )


def _metadata(path: Path) -> dict[str, Any]:
    """``metadata.json`` parsed (argos has already read it: a fault here is a race)."""
    try:
        data = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def package_paths(packages_dir: Path) -> list[Path]:
    """Every visible entry that is a package folder or a link to one."""
    if not packages_dir.is_dir():
        return []
    return sorted(
        p
        for p in packages_dir.iterdir()
        if not p.name.startswith(".") and p.is_dir() and (p / "metadata.json").is_file()
    )


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def list_packages(settings: Settings) -> list[PackageInfo]:
    """Like :func:`installed_packages`, for a caller that holds a lock already."""
    infos = [read_package(settings, d) for d in package_paths(settings.packages_dir)]
    return sorted(infos, key=lambda i: (i.from_code, i.to_code, i.name))


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Every package installed under ``settings.packages_dir``, sorted by pair then name.

    A missing or empty folder gives ``[]`` without importing argostranslate, so listing
    on a fresh machine creates nothing anywhere.
    """
    with read_lock(settings.packages_dir):
        return list_packages(settings)


def _pair_hint(from_code: str, to_code: str) -> str:
    """The commands that install a pair, online and offline."""
    filename = _KNOWN_FILES.get((from_code, to_code), f"translate-{from_code}_{to_code}.argosmodel")
    url = KNOWN_URLS.get((from_code, to_code))
    online = (
        f"`bilingual models install {url}` (online; this package is not in the argos index)"
        if url
        else f"`bilingual models install {from_code} {to_code}` (online)"
    )
    return (
        f"run {online}, or copy {filename} onto this machine and run "
        f"`bilingual models install /path/to/{filename}` (offline)"
    )


def rank_packages(candidates: Iterable[PackageInfo]) -> list[PackageInfo]:
    """Packages for one pair, the default choice first: a package made for that one pair
    before a multilingual one, then the newest version, then by name (A before Z)."""
    ranked = sorted(candidates, key=lambda i: i.name)
    ranked.sort(key=lambda i: version_key(i.package_version), reverse=True)
    ranked.sort(key=lambda i: len(i.pairs) > 1)
    return ranked


def installed_listing(packages: Sequence[PackageInfo]) -> str:
    """``name (ar->en), m2m (ar->en, ar->vi, ...)``: each package with what it serves."""
    if not packages:
        return "none"
    return "; ".join(f"{p.name} ({', '.join(f'{a}->{b}' for a, b in p.pairs)})" for p in packages)


def _missing(
    settings: Settings, pairs: Sequence[tuple[str, str]], packages: Sequence[PackageInfo]
) -> ModelNotInstalledError:
    """No installed package serves ``pairs``: what is installed and how to get the rest."""
    named = ", ".join(f"{a}->{b}" for a, b in pairs)
    if len(pairs) == 1:
        hints = _pair_hint(*pairs[0])
    else:
        hints = "; ".join(f"for {a}->{b}: {_pair_hint(a, b)}" for a, b in pairs)
    return ModelNotInstalledError(
        f"no installed translation model serves {named} (installed: {installed_listing(packages)})",
        where=str(settings.packages_dir),
        fix=f"{hints}; or `bilingual models import PATH` (an OPUS-MT, M2M-100 or NLLB model); "
        "or choose a route the installed models serve (--route, e.g. ar-en-vi)",
    )


def choose_package(
    settings: Settings, packages: Sequence[PackageInfo], from_code: str, to_code: str
) -> PackageInfo | None:
    """The package a hop ``from_code -> to_code`` uses among ``packages``: the one
    ``settings.route_models`` names for the pair, else the first of
    :func:`rank_packages`; None when none serves the pair. A named package that is not
    installed, or does not serve the pair, is a :class:`ModelNotInstalledError`."""
    serving = [p for p in packages if p.serves(from_code, to_code)]
    wanted = settings.model_for(from_code, to_code)
    if wanted is None:
        ranked = rank_packages(serving)
        return ranked[0] if ranked else None
    for info in serving:
        if info.name == wanted:
            return info
    raise ModelNotInstalledError(
        f"the model chosen for {from_code}-{to_code}, {wanted!r}, is not an installed "
        f"package serving {from_code}->{to_code} (installed: {installed_listing(packages)})",
        where=str(settings.packages_dir),
        fix=f"choose one of `bilingual models list` for {from_code}-{to_code} (--model "
        f"{from_code}-{to_code}=NAME, BILINGUAL_MODEL or [route_models] in bilingual.toml), "
        "or leave the pair out for the default choice",
    )


def find_package(settings: Settings, from_code: str, to_code: str) -> PackageInfo:
    """The installed package for a pair: the one ``settings.route_models`` names, else
    the default choice (:func:`rank_packages`).

    To load the package's files consistently while an install may run, call this and
    load inside ``with package_reading(settings):``.
    """
    packages = installed_packages(settings)
    chosen = choose_package(settings, packages, from_code, to_code)
    if chosen is None:
        raise _missing(settings, [(from_code, to_code)], packages)
    return chosen


def route_packages(settings: Settings, pairs: Sequence[tuple[str, str]]) -> tuple[PackageInfo, ...]:
    """The package each hop of a route uses, in order, read from one listing; raises
    one :class:`ModelNotInstalledError` naming every pair nothing installed serves."""
    packages = installed_packages(settings)
    chosen = [choose_package(settings, packages, a, b) for a, b in pairs]
    missing = [pair for pair, info in zip(pairs, chosen, strict=True) if info is None]
    if missing:
        raise _missing(settings, missing, packages)
    return tuple(info for info in chosen if info is not None)


def route_choices(
    settings: Settings, pairs: Sequence[tuple[str, str]]
) -> tuple[tuple[tuple[str, str], PackageInfo | None], ...]:
    """For a listing: each hop with the package it would use, None where none would
    (nothing serves the pair, or the package chosen for it is not installed)."""
    packages = installed_packages(settings)
    out: list[tuple[tuple[str, str], PackageInfo | None]] = []
    for a, b in pairs:
        try:
            out.append(((a, b), choose_package(settings, packages, a, b)))
        except ModelNotInstalledError:
            out.append(((a, b), None))
    return tuple(out)


@contextlib.contextmanager
def package_reading(settings: Settings) -> Iterator[None]:
    """While held, no install or removal changes any package (they wait)."""
    with read_lock(settings.packages_dir):
        yield
