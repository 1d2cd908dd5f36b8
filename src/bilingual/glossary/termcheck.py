"""Validating one glossary term: every problem of one YAML mapping, each at its line.

A problem is reported as ``file:line: term 'id': what (how to fix)``; a draft term's
problem (``status: draft``) is a warning that it is left out instead. The checks: unknown
keys (with the key meant), ids, types, statuses, source forms, renderings, the note, the
``avoid`` lists (:mod:`bilingual.glossary.avoid`) and characters no document can hold.
:mod:`bilingual.glossary.store` reads whole files and merges their terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bilingual.errors import printable
from bilingual.glossary.avoid import read_avoid
from bilingual.glossary.match import form_key
from bilingual.glossary.term import (
    AVOID_KEY,
    RENDERING_KEYS,
    SOURCE_KEY,
    TERM_KEYS,
    TERM_STATUSES,
    TERM_TYPES,
    Term,
    TermStatus,
    TermType,
)
from bilingual.glossary.yamlfile import bad_char
from bilingual.lang import language_name

_ID_RE = re.compile(r"[a-z0-9_-]+")


_ALLOWED = ", ".join(TERM_KEYS)
_KEY_ALIASES = {
    "english": "en",
    "arabic": "ar",
    "vietnamese": "vi",
    "notes": "note",
    "comment": "note",
    "kind": "type",
    "forms": "ar",
    "name": "id",
}


def shown(value: object) -> str:
    """``value`` as a problem quotes it: its repr, cut short (a value can be a huge list)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


@dataclass
class RawTerm:
    """A term as read, before merging: what validation of one file produced."""

    id: str | None
    """The id when it is a valid one, even if the term has other problems."""
    file: Path
    line: int
    term: Term | None
    """None when the term has problems (already reported)."""
    form_lines: tuple[int, ...]
    draft: bool = False


class Problems:
    """Collects problems in the ``file:line: term 'id': what (fix)`` shape, and the
    warnings about draft terms left out, ``file:line: draft term 'id' is left out: ...``."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.warnings: list[str] = []

    def add(
        self,
        file: Path | str,
        line: int | None,
        term: str | None,
        what: str,
        fix: str,
        *,
        draft: bool = False,
    ) -> None:
        """A problem; about a draft term (``draft``), a warning that it is left out."""
        where = f"{file}:{line}" if line is not None else f"{file}"
        if draft:
            who = f" draft term {term} is left out:"
        else:
            who = f" term {term}:" if term is not None else ""
        # a file name or a value can hold what a console cannot print (surrogates, escapes)
        (self.warnings if draft else self.items).append(printable(f"{where}:{who} {what} ({fix})"))


def _who(term_id: object, number: int) -> str:
    if isinstance(term_id, str) and term_id:
        return f"'{term_id}'"
    return f"#{number} (no id)"


LineOf = Callable[[str | None, int | None], int | None]
"""Line of a term's key (None: the term itself), or of item ``sub`` of a list value."""


class _TermCheck:
    """Validates one term mapping, reporting every problem; ``ok`` when it has none."""

    def __init__(
        self,
        item: Mapping[str, Any],
        number: int,
        file: Path,
        base_line: int,
        problems: Problems,
        line_of: LineOf,
    ) -> None:
        self.item = item
        self.file = file
        self.base_line = base_line
        self.problems = problems
        self.line_of = line_of
        self.who = _who(item.get("id"), number)
        self.draft = item.get("status") == "draft"
        self.ok = True

    def add(self, key: str | None, what: str, fix: str, sub: int | None = None) -> None:
        self.ok = False
        line = self.line_of(key, sub) or self.base_line or None
        self.problems.add(self.file, line, self.who, what, fix, draft=self.draft)

    def status(self) -> TermStatus:
        value = self.item.get("status", "confirmed")
        if value not in TERM_STATUSES:
            self.add(
                "status",
                f"bad status {shown(value)}",
                "write `status: draft` for a term still to be confirmed, or delete the line",
            )
            return "confirmed"
        return cast(TermStatus, value)

    def keys(self) -> None:
        for key in self.item:
            if key not in TERM_KEYS:
                import difflib  # lazy: only a typo needs it

                close = _KEY_ALIASES.get(str(key).lower()) or next(
                    iter(difflib.get_close_matches(str(key), TERM_KEYS, n=1)), None
                )
                hint = f"did you mean '{close}'? " if close else ""
                self.add(str(key), f"unknown key '{key}'", f"{hint}allowed keys: {_ALLOWED}")

    def chars(self) -> None:
        """Refuse text no briefing can hold: not writable as UTF-8, or not allowed in XML.

        ``id`` and ``type`` are left to their own checks, unknown keys are reported already.
        """
        for key in (*RENDERING_KEYS, SOURCE_KEY, AVOID_KEY, "note"):
            value = self.item.get(key)
            items = value if isinstance(value, list) else [value]
            for k, item in enumerate(items):
                char = next(filter(None, map(bad_char, _strings(item))), None)
                if char is None:
                    continue
                self.add(
                    key,
                    f"'{key}' holds {char}, which no document can hold",
                    "delete it; check the escapes (\\u..., \\x...) in this value",
                    k if isinstance(value, list) else None,
                )

    def term_id(self) -> str:
        raw_id = self.item.get("id")
        if "id" not in self.item or raw_id is None:
            self.add(None, "missing 'id'", "add `id: a-unique-slug` using a-z, 0-9, - and _")
        elif not isinstance(raw_id, str) or not _ID_RE.fullmatch(raw_id):
            self.add(
                "id",
                f"bad id {shown(raw_id)}",
                "use only lowercase a-z, digits, '-' and '_', e.g. `id: un-cybercrime-convention`",
            )
        else:
            return raw_id
        return ""

    def term_type(self) -> str:
        term_type = self.item.get("type", "term")
        if term_type not in TERM_TYPES:
            self.add(
                "type", f"bad type {shown(term_type)}", f"use one of: {' | '.join(TERM_TYPES)}"
            )
        return str(term_type)

    def forms(self) -> tuple[list[str], list[int]]:
        """The usable source forms and their lines."""
        key, name = SOURCE_KEY, language_name(SOURCE_KEY)
        if key not in self.item or self.item.get(key) is None:
            self.add(
                None if key not in self.item else key,
                f"missing '{key}'",
                f"add `{key}: [{name} form, ...]`",
            )
            return [], []
        raw = self.item[key]
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or not values:
            self.add(
                key,
                f"'{key}' must be an {name} string or a non-empty list of them",
                f"write `{key}: [form one, form two]`",
            )
            return [], []
        forms: list[str] = []
        lines: list[int] = []
        for k, form in enumerate(values):
            line = (self.line_of(key, k) if not isinstance(raw, str) else None) or self.line_of(
                key, None
            )
            if not isinstance(form, str):
                self.add(key, f"{name} form #{k + 1} is not text: {shown(form)}", "quote it", k)
            elif not form.strip():
                self.add(key, f"{name} form #{k + 1} is empty", "delete it or fill it in", k)
            elif not form_key(form)[0]:
                self.add(key, f"{name} form {form!r} has no letters", "write the words", k)
            else:
                forms.append(form.strip())
                lines.append(line or self.base_line)
        return forms, lines

    def text(self, key: str, *, required: bool) -> str | None:
        """A rendering or the note: text when given; a required one must be there."""
        value = self.item.get(key)
        name = language_name(key)
        if self.draft and key != "note" and (value is None or value == "" or _blank(value)):
            return None  # a draft's rendering may be still to come (the run leaves it alone)
        if value is None:
            if required:
                self.add(
                    None if key not in self.item else key,
                    f"missing '{key}'",
                    f"add `{key}: {name} rendering`",
                )
            return None
        if not isinstance(value, str):
            self.add(key, f"'{key}' is not text: {shown(value)}", f'quote it: {key}: "..."')
        elif not value.strip() and key != "note":
            fix = f"fill in the {name} rendering" + ("" if required else " or remove the key")
            self.add(key, f"'{key}' is empty", fix)
        else:
            return value.strip() or None
        return None

    def avoid(self, renderings: Mapping[str, str | None]) -> dict[str, tuple[str, ...]]:
        """The avoid lists (:mod:`bilingual.glossary.avoid`), each problem at its line."""
        value = self.item.get(AVOID_KEY)
        found, problems = read_avoid(value, renderings)
        for problem in problems:
            line = self.line_of(AVOID_KEY, None)
            if problem.lang is not None and isinstance(value, Mapping):
                line = node_line(value, problem.lang) or line
                listed = value.get(problem.lang)
                if problem.item is not None and isinstance(listed, list):
                    line = node_line(listed, problem.item) or line
            self.ok = False
            self.problems.add(
                self.file,
                line or self.base_line or None,
                self.who,
                problem.what,
                problem.fix,
                draft=self.draft,
            )
        return found


def node_line(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of a mapping key / sequence item / node, when ruamel knows it."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return int(lc.line) + 1
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _strings(value: object) -> Iterator[str]:
    """Every string in ``value``, keys included (nesting and aliases are bounded on load)."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)


def validate_term(
    item: Mapping[str, Any],
    number: int,
    file: Path,
    base_line: int,
    problems: Problems,
    line_of: LineOf,
) -> RawTerm:
    """Check one term mapping; report every problem; the term is None when not usable."""
    check = _TermCheck(item, number, file, base_line, problems, line_of)
    check.keys()
    check.chars()
    term_id = check.term_id()
    term_type = check.term_type()
    status = check.status()
    forms, lines = check.forms()
    renderings = {key: check.text(key, required=k == 0) for k, key in enumerate(RENDERING_KEYS)}
    note = check.text("note", required=False)
    avoid = check.avoid(renderings)
    if not check.ok:
        return RawTerm(term_id or None, file, base_line, None, (), check.draft)
    term = Term(
        id=term_id,
        type=cast(TermType, term_type),
        forms=tuple(forms),
        renderings={key: value for key, value in renderings.items() if value is not None},
        note=note,
        file=file,
        line=base_line,
        status=status,
        avoid=avoid,
    )
    return RawTerm(term_id, file, base_line, term, tuple(lines), check.draft)
