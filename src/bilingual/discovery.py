"""Discovery: which files of the paths given are articles, and why any other entry was not.

A path given on the command line is taken as named: a folder is scanned, a regular
article file (``.txt``, ``.md``, ``.markdown``, ``.html``, ``.htm``, ``.docx``; see
:data:`ARTICLE_SUFFIXES`) is an article (a hidden one too: it was named), anything else
is a problem of that path. A folder is scanned without recursion, by name. In it:

* a regular file (or a symbolic link to one) with such a name is an article; so is an
  old Word ``*.doc``, to be refused with the command that converts it (passing over it
  would lose the article without a word);
* an entry with such a name that cannot be one -- a dangling symbolic link, a link loop,
  a FIFO, a socket, a device, a folder, one whose type cannot be read -- is a
  **problem**: it fails like an unreadable article (its own row, exit 1), because
  something meant to be an article is missing. It is never opened, so a FIFO cannot
  block the run;
* a hidden article name (``.draft.txt``), an Office owner file (``~$note.txt``), a
  ``NAME.docx`` with a ``NAME.json`` beside it (a briefing: an output folder given as
  input) and an editor backup of an article (``news.txt~``, ``#news.txt#``, ``news.txt.bak``) are
  **notices**: skipped on purpose, listed so that the skip is not silent;
* any other FIFO, socket, device or broken link is a notice too. Plain files with other
  names (images, ``.pdf``, ``.DS_Store``) and subfolders are not articles and are
  passed over without a word.

An article's name (its briefings' file names, and the ``name`` written inside them) is
its file name without the suffix, made printable (:func:`bilingual.errors.printable`):
a name that is not valid UTF-8, such as the Windows-1256 bytes ``\\xe3\\xd5\\xd1-news.txt``,
gives briefings named ``\\xe3\\xd5\\xd1-news.docx`` (with those backslashes), which every
file system, document and database can hold.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import InputError, printable

ACCEPTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")
"""File name endings read as articles (compared case-insensitively)."""

ARTICLE_SUFFIXES = (*ACCEPTED_SUFFIXES, ".doc")
"""File name endings taken as articles: the accepted ones, and ``.doc``, which reading
refuses with advice (see bilingual.readers.docx)."""

_ACCEPTED = ", ".join(ACCEPTED_SUFFIXES[:-1]) + f" or {ACCEPTED_SUFFIXES[-1]}"
_PATTERNS = ", ".join(f"*{s}" for s in ACCEPTED_SUFFIXES)

_BACKUP_ENDINGS = ("~", ".bak", ".orig", ".swp")
_NOT_REGULAR = "skipped without opening it: only regular files are read"


@dataclass(frozen=True)
class Skipped:
    """A folder entry passed over on purpose (a notice, not an error)."""

    path: Path
    reason: str

    @property
    def message(self) -> str:
        return f"{printable(str(self.path))}: {self.reason}"


@dataclass(frozen=True)
class Found:
    """What the paths hold: articles, entries that should have been one, notices."""

    files: tuple[Path, ...]
    problems: tuple[tuple[Path, InputError], ...] = ()
    skipped: tuple[Skipped, ...] = ()


def article_name(path: Path) -> str:
    """The name of the article in ``path``, as its briefings are named: printable, and on
    one line (a tab or newline in a file name is escaped too)."""
    return printable(path.stem).replace("\t", "\\x09").replace("\n", "\\x0a")


def is_article_name(name: str) -> bool:
    return Path(name).suffix.lower() in ARTICLE_SUFFIXES


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _unusable(path: Path) -> str | None:
    """Why ``path`` cannot be read as an article file, or None when it can."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            if exc.errno == errno.ELOOP:
                return "is a symbolic link loop (it points back at itself)"
            return f"is a dangling symbolic link: its target {os.readlink(path)!r} does not exist"
        return f"cannot be examined: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    return f"is {file_kind(mode)}, not a regular file; {_NOT_REGULAR}"


def _notice(name: str) -> str | None:
    """Why an entry of a folder is skipped on purpose, or None."""
    if name.startswith(".") and is_article_name(name):
        return "hidden file, skipped (name it on the command line to translate it)"
    if name.startswith("~$"):
        return "an Office owner (lock) file, skipped"
    if name.startswith("#") and name.endswith("#") and is_article_name(name.strip("#")):
        return "an editor's autosave file, skipped"
    for ending in _BACKUP_ENDINGS:
        if name.endswith(ending) and is_article_name(name[: -len(ending)]):
            return "an editor's backup file, skipped"
    return None


def _problem(path: Path, reason: str) -> InputError:
    return InputError(
        reason,
        where=str(path),
        fix="replace it with the article file itself, or remove it from the folder",
    )


def _scan_folder(folder: Path) -> Found:
    try:
        entries = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError(
            f"cannot list the folder: {exc.strerror or exc}",
            where=str(folder),
            fix="check that the folder exists and is readable",
        ) from exc
    files: list[Path] = []
    problems: list[tuple[Path, InputError]] = []
    skipped: list[Skipped] = []
    names = set(entries)
    for name in entries:
        path = folder / name
        notice = _notice(name)
        if notice is None and name.lower().endswith(".docx") and f"{name[:-5]}.json" in names:
            # an output folder scanned as input: the briefings are not articles
            notice = "a briefing (its JSON is beside it), skipped"
        if notice is not None:
            skipped.append(Skipped(path, notice))
            continue
        why = _unusable(path)
        if is_article_name(name):
            if why is None:
                files.append(path)
            else:
                problems.append((path, _problem(path, why)))
        elif why is not None and not path.is_dir():
            skipped.append(Skipped(path, f"{why.removeprefix('is ')}; not an article name"))
    if not files and not problems:
        raise InputError(
            f"folder has no articles: looked for {_PATTERNS} files directly in it "
            "(subfolders are not scanned, hidden files are skipped)",
            where=str(folder),
            fix=f"put the Arabic articles there as {_ACCEPTED} files, or name the files directly",
        )
    return Found(tuple(files), tuple(problems), tuple(skipped))


def _given(path: Path) -> Found:
    """One path of the command line."""
    if not path.is_symlink() and not path.exists():
        raise InputError("does not exist", where=str(path), fix="check the spelling of the path")
    if path.is_dir():
        return _scan_folder(path)
    why = _unusable(path)
    if why is not None:
        raise InputError(
            why, where=str(path), fix=f"pass {_ACCEPTED} files or folders holding them"
        )
    if not is_article_name(path.name):
        raise InputError(
            f"is not an article file: expected a name ending in {_ACCEPTED}, "
            f"got {path.suffix or 'no extension'!r}",
            where=str(path),
            fix=f"save the article as a {_ACCEPTED} file (plain text: UTF-8)",
        )
    return Found((path,))


def scan(paths: Sequence[Path]) -> Found:
    """Every path's articles, problems and notices; a path that fails whole (missing, a
    folder without articles) is one problem. A file named twice (also through its folder)
    is kept once, at its first position."""
    if not paths:
        raise InputError(
            "no article given", fix=f"pass one or more {_ACCEPTED} files or folders holding them"
        )
    files: list[Path] = []
    problems: list[tuple[Path, InputError]] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for path in paths:
        try:
            found = _given(path)
        except InputError as exc:
            problems.append((path, exc))
            continue
        problems += found.problems
        skipped += found.skipped
        for file in found.files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return Found(tuple(files), tuple(problems), tuple(skipped))


def discover(paths: Sequence[Path]) -> list[Path]:
    """The article files named by ``paths``; raises the first problem of a path given
    (missing, not an article, a folder without articles). Entries of a folder that
    cannot be articles are left out here; :func:`scan` reports them."""
    found = scan(paths)
    for path, exc in found.problems:
        if path in paths:
            raise exc
    return list(found.files)
