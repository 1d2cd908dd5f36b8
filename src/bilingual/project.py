"""A bilingual project: a folder with a ``bilingual.toml``, found by walking up from a folder.

Like ruff and pytest finding their configuration, every command looks for the nearest
``bilingual.toml`` in the current folder or one above it, so a command run from any
sub-folder uses the project's glossary, output folder, targets and translation memory.
Paths in the file are relative to the folder that holds it. The file is read with the
standard library's ``tomllib``; a key the tool does not know is an error (a typo would
otherwise be ignored silently).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import ConfigError

PROJECT_FILE = "bilingual.toml"

_KEYS = (
    "glossary",
    "output",
    "targets",
    "memory",
    "models",
    "ray",
    "route",
    "desk",
    "route_models",
    "similar",
)

_TEMPLATE = """\
# bilingual project settings. Paths are relative to this file's folder.
# Command-line options win over BILINGUAL_* variables, which win over this file.

# glossary folder (YAML term files)
glossary = "glossary"
# where briefings (DOCX + JSON) are written
output = "output"
# target languages, e.g. ["en"], ["en", "vi"] or ["vi"]
targets = {targets}
# how to reach them (default: English from Arabic, the others from the English):
# "ar-en-vi" through English, "ar-vi" direct, "ar-en,ar-vi" both from the Arabic
# route = "ar-en-vi"
# the translation memory: reviewers' corrections and the machine-translation cache
memory = "memory.sqlite"
# show the memory's most similar reviewed sentence (a comment) from this similarity, in %
# (0: never); it is never used as the translation
# similar = 75
# a folder of installed argos models for this project only (default: the user's models)
# models = "models"
# translate on a Ray cluster (needs pip install 'bilingual[ray]'; see docs/cluster.md):
# "auto" joins or starts a Ray on this machine, else the head's address
# ray = "auto"
# the desk's name, on the cover of the day's digest (bilingual publish --digest)
# desk = "Foreign desk"
# which installed package a hop uses where several serve its pair (bilingual models
# list); a table, so it stays last:
# [route_models]
# ar-en = "translate-ar_en-1_0"
"""


@dataclass(frozen=True)
class Project:
    """The settings of one ``bilingual.toml``, with paths made absolute."""

    file: Path
    glossary: Path | None = None
    output: Path | None = None
    targets: tuple[str, ...] | None = None
    memory: Path | None = None
    models: Path | None = None
    ray: str | None = None
    """Ray address for translation (``auto`` or the head's), see bilingual.cluster."""
    route: str | None = None
    """The route as written (``ar-en-vi``), read by :mod:`bilingual.routes`."""
    route_models: tuple[tuple[str, str], ...] | None = None
    """``[route_models]``: ``(pair, package name)`` as written, checked by the config."""
    desk: str | None = None
    """The desk's name, on the cover of ``publish --digest``."""
    similar: float | None = None
    """``similar``: the percentage from which the memory's similar sentences are shown."""

    @property
    def root(self) -> Path:
        return self.file.parent


def find_project(start: Path) -> Project | None:
    """The project whose ``bilingual.toml`` is in ``start`` or the nearest folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return read_project(candidate)
    return None


def _path(file: Path, key: str, value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{key} must be a path in quotes, not {value!r}",
            where=str(file),
            fix=f'write e.g. {key} = "{key}"',
        )
    return (file.parent / value).resolve()


def _targets(file: Path, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise ConfigError(
            f"targets must be a list of language codes, not {value!r}",
            where=str(file),
            fix='write targets = ["en"] or targets = ["en", "vi"]',
        )
    return tuple(str(v).strip().lower() for v in value)


_TRIPLES = ('"""', "'''")


def _open_at(text: str, line: int) -> tuple[str, int] | None:
    """The bracket or multi-line string still open where ``line`` (1-based) starts, as
    (its opening characters, the line it opened on); None when nothing is open there.

    tomllib names the line where it noticed the fault, which for an unclosed ``[`` is the
    next key's line, some lines below the slip: this scan finds the slip's line."""
    stack: list[tuple[str, int]] = []
    quote: tuple[str, int] | None = None
    for number, row in enumerate(text.splitlines()[: max(line - 1, 0)], start=1):
        i = 0
        while i < len(row):
            if quote is not None:  # inside a multi-line string: only its end counts
                end = row.find(quote[0], i)
                if end < 0:
                    break
                i, quote = end + 3, None
                continue
            char = row[i]
            if char == "#":
                break
            if row[i : i + 3] in _TRIPLES:
                quote, i = (row[i : i + 3], number), i + 3
            elif char in "\"'":
                end = row.find(char, i + 1)  # a one-line string never spans lines
                i = len(row) if end < 0 else end + 1
            else:
                if char in "[{":
                    stack.append((char, number))
                elif char in "]}" and stack:
                    stack.pop()
                i += 1
    return quote or (stack[0] if stack else None)


def _toml_error(file: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """The decode error, with the line an unclosed bracket or string started on."""
    found = re.search(r"at line (\d+)", str(exc))
    detected = int(found.group(1)) if found else 0
    opened = _open_at(text, detected)
    if opened is None or opened[1] >= detected:
        return ConfigError(
            f"is not valid TOML: {exc}", where=str(file), fix="correct the line named"
        )
    mark, line = opened
    return ConfigError(
        f"is not valid TOML: {exc} (an unclosed `{mark}` may start earlier, on line {line})",
        where=f"{file}:{line}",
        fix=f"close the `{mark}` opened on line {line}",
    )


def read_project(file: Path) -> Project:
    """Read one ``bilingual.toml``; raises ConfigError naming the file, line and fix."""
    text = ""
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(file, text, exc) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc}", where=str(file)) from None
    except RecursionError:  # tomllib nests by recursion; a project file is flat
        raise ConfigError(
            "is not a project file: its arrays or tables nest thousands of levels deep",
            where=str(file),
            fix="write the settings as `bilingual init` does: key = value, one a line",
        ) from None
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown setting {', '.join(unknown)}",
            where=str(file),
            fix=f"use only {', '.join(_KEYS)}",
        )
    paths = {
        k: _path(file, k, data[k]) for k in ("glossary", "output", "memory", "models") if k in data
    }
    targets = _targets(file, data["targets"]) if "targets" in data else None
    ray = data.get("ray")
    if ray is not None and (not isinstance(ray, str) or not ray.strip()):
        raise ConfigError(
            f"ray must be an address in quotes, not {ray!r}",
            where=str(file),
            fix='write ray = "auto" or ray = "HOST:6379"',
        )
    desk = data.get("desk")
    if desk is not None and (not isinstance(desk, str) or not desk.strip()):
        raise ConfigError(
            f"desk must be a name in quotes, not {desk!r}",
            where=str(file),
            fix='write desk = "Foreign desk"',
        )
    return Project(
        file=file.resolve(),
        desk=desk.strip() if desk else None,
        targets=targets,
        ray=ray.strip() if ray else None,
        route=_route(file, data["route"]) if "route" in data else None,
        route_models=_route_models(file, data["route_models"]) if "route_models" in data else None,
        similar=_similar(file, data["similar"]) if "similar" in data else None,
        **paths,
    )


def _route(file: Path, value: object) -> str:
    """``route = "ar-en-vi"``, or a list of chains (``["ar-en", "ar-vi"]``)."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = ",".join(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"route must be language codes joined by '-' in quotes, not {value!r}",
            where=str(file),
            fix='write route = "ar-en-vi" (through English) or route = "ar-vi" (direct)',
        )
    return value.strip()


def _similar(file: Path, value: object) -> float:
    """``similar = 75``: a percentage, 0 (never) to 100."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(
            f"similar must be a percentage from 0 to 100, not {value!r}",
            where=str(file),
            fix="write e.g. similar = 75 (0 shows no similar sentence)",
        )
    return float(value)


def _route_models(file: Path, value: object) -> tuple[tuple[str, str], ...]:
    """``[route_models]``: a table of pair = package name."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(
            f"route_models must be a table of pair = package name, not {value!r}",
            where=str(file),
            fix='write [route_models] then a line such as ar-en = "translate-ar_en-1_0"',
        )
    return tuple((k, v) for k, v in value.items())


def init_project(folder: Path, targets: Iterable[str] = ("en",)) -> Path:
    """Write ``folder/bilingual.toml`` and create its glossary and output folders.

    Refuses to overwrite an existing project file (a user's settings are never lost).
    Returns the file written.
    """
    file = folder / PROJECT_FILE
    if file.exists():
        raise ConfigError(
            "already exists; bilingual init does not overwrite a project",
            where=str(file),
            fix="edit it, or run bilingual init in another folder",
        )
    quoted = ", ".join(f'"{t}"' for t in targets)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for sub in ("glossary", "output"):
            (folder / sub).mkdir(exist_ok=True)
        with file.open("x", encoding="utf-8") as fh:
            fh.write(_TEMPLATE.format(targets=f"[{quoted}]"))
    except OSError as exc:
        raise ConfigError(
            f"cannot create the project: {exc.strerror or exc}",
            where=str(folder),
            fix="choose a folder you can write to",
        ) from None
    return file
