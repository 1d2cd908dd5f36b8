"""The glossary store: read, validate and merge the YAML files of a glossary folder.

Every problem is reported at once, each as ``file:line: term 'id': what (how to fix)``:
unknown keys, missing forms or renderings, empty values, bad ids and types, YAML syntax
errors, a duplicate id across files, the same source form under two ids. A draft term
(``status: draft``) never stops a run: it may have no ``en``, and a problem of its own
(a bad value, an id or a form another term has) leaves it out with a warning instead,
``file:line: draft term 'id' is left out: what (how to fix)``. The YAML is read
with ruamel.yaml's round-trip loader, which knows the line of every key, so each problem
points at its line; :mod:`bilingual.glossary.edit` writes through the same loader and
keeps the user's comments. :mod:`bilingual.glossary.yamlfile` guards the loader (alias
bombs, deep nesting) and places syntax errors; every string must be writable as UTF-8
and in DOCX XML (no lone surrogates, no control characters but tab and line breaks).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bilingual.errors import GlossaryError, printable
from bilingual.glossary.match import FormKey, form_key
from bilingual.glossary.term import (
    RENDERING_KEYS,
    SOURCE_KEY,
    TERM_KEYS,
    TERM_STATUSES,
    TERM_TYPES,
    Glossary,
    Term,
    TermStatus,
    TermType,
)
from bilingual.glossary.yamlfile import bad_char, load_yaml
from bilingual.lang import language_name
from bilingual.shell import shell_command

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


def _shown(value: object) -> str:
    """``value`` as a problem quotes it: its repr, cut short (a value can be a huge list)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


def _line_of(node: Any, key: str | int | None = None) -> int | None:
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
                f"bad status {_shown(value)}",
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
        for key in (*RENDERING_KEYS, SOURCE_KEY, "note"):
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
                f"bad id {_shown(raw_id)}",
                "use only lowercase a-z, digits, '-' and '_', e.g. `id: un-cybercrime-convention`",
            )
        else:
            return raw_id
        return ""

    def term_type(self) -> str:
        term_type = self.item.get("type", "term")
        if term_type not in TERM_TYPES:
            self.add(
                "type", f"bad type {_shown(term_type)}", f"use one of: {' | '.join(TERM_TYPES)}"
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
                self.add(key, f"{name} form #{k + 1} is not text: {_shown(form)}", "quote it", k)
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
            self.add(key, f"'{key}' is not text: {_shown(value)}", f'quote it: {key}: "..."')
        elif not value.strip() and key != "note":
            fix = f"fill in the {name} rendering" + ("" if required else " or remove the key")
            self.add(key, f"'{key}' is empty", fix)
        else:
            return value.strip() or None
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
    )
    return RawTerm(term_id, file, base_line, term, tuple(lines), check.draft)


def _near_id(text: str, line: int) -> str:
    """The id of the term being written at ``line`` (for syntax errors), when one is visible."""
    found = None
    for raw in text.splitlines()[:line]:
        m = re.match(r"\s*(?:-\s+)?id\s*:\s*['\"]?([^'\"#\s]+)", raw)
        if m:
            found = m.group(1)
    return f"'{found}'" if found else "#? (before any id)"


def parse_file(path: Path, text: str, problems: Problems) -> list[RawTerm]:
    """Parse one glossary file; problems go to ``problems``; return its usable terms."""
    data, problem = load_yaml(text)
    if problem is not None:
        line = problem.line
        problems.add(path, line, _near_id(text, line), problem.what, problem.fix)
        return []
    if data is None:
        return []  # an empty file is an empty glossary file
    if not isinstance(data, Mapping):
        problems.add(
            path, 1, None, "the file is not a mapping", "start it with `version: 1` and `terms:`"
        )
        return []
    for key in data:
        if key not in ("version", "terms"):
            problems.add(
                path,
                _line_of(data, str(key)),
                None,
                f"unknown top-level key '{key}'",
                "only `version: 1` and `terms:` belong at the top level",
            )
    if data.get("version") != 1:
        problems.add(
            path,
            _line_of(data, "version") or 1,
            None,
            f"'version' is {_shown(data.get('version'))}, expected 1",
            "put `version: 1` at the top of the file",
        )
    raw_terms = data.get("terms")
    if raw_terms is None:
        if "terms" not in data:
            problems.add(path, 1, None, "no `terms:` list", "add `terms:` with a list of terms")
        return []
    if not isinstance(raw_terms, list):
        problems.add(
            path,
            _line_of(data, "terms"),
            None,
            "`terms` is not a list",
            "write each term as an item starting with `- id: ...`",
        )
        return []
    out: list[RawTerm] = []
    for number, item in enumerate(raw_terms, start=1):
        base = _line_of(raw_terms, number - 1) or _line_of(data, "terms") or 1
        if not isinstance(item, Mapping):
            problems.add(
                path,
                base,
                f"#{number}",
                "a term must be a mapping",
                "write `- id: ...` then `ar:` and `en:` on the following lines",
            )
            continue

        def line_of(key: str | None, sub: int | None, node: Any = item) -> int | None:
            if key is None:
                return _line_of(node)
            if sub is not None:
                value = node.get(key)
                return _line_of(value, sub) if isinstance(value, list) else _line_of(node, key)
            return _line_of(node, key)

        out.append(validate_term(item, number, path, _line_of(item) or base, problems, line_of))
    return out


def _merge(raws: Iterable[RawTerm], problems: Problems) -> list[Term]:
    """Reject duplicate ids and Arabic forms shared by two ids (in file order).

    Confirmed terms claim their ids and forms first, so a draft never pushes one out:
    a draft that clashes with any term before it is left out with a warning.
    """
    ids: dict[str, RawTerm] = {}
    forms: dict[FormKey, tuple[Term, str]] = {}
    kept: dict[int, Term] = {}
    listed = list(raws)
    order = [k for k, raw in enumerate(listed) if not raw.draft]
    order += [k for k, raw in enumerate(listed) if raw.draft]
    for k in order:
        raw = listed[k]
        if raw.id is None:
            continue
        first = ids.get(raw.id)
        if first is not None:
            problems.add(
                raw.file,
                raw.line,
                f"'{raw.id}'",
                f"duplicate id, already defined at {first.file}:{first.line}",
                "rename one of them or merge the two entries",
                draft=raw.draft,
            )
            continue
        ids[raw.id] = raw
        term = raw.term
        if term is not None and _claim_forms(term, raw, forms, problems):
            kept[k] = term
    return [kept[k] for k in sorted(kept)]


def _claim_forms(
    term: Term, raw: RawTerm, forms: dict[FormKey, tuple[Term, str]], problems: Problems
) -> bool:
    """Register the forms of ``term``; False (and reported) when another term has one.

    A draft registers its forms only when it has none of another term's."""
    clash = False
    new: dict[FormKey, tuple[Term, str]] = {}
    for form, line in zip(term.forms, raw.form_lines, strict=True):
        key = form_key(form)
        owner = forms.get(key)
        if owner is not None and owner[0].id != term.id:
            other, other_form = owner
            problems.add(
                term.file,
                line,
                f"'{term.id}'",
                f"{language_name(SOURCE_KEY)} form {form!r} is already used by term "
                f"'{other.id}' ({other_form!r} at {other.file}:{other.line})",
                "keep the form under one term only",
                draft=raw.draft,
            )
            clash = True
        elif owner is None:
            new.setdefault(key, (term, form))
    if not (clash and raw.draft):
        forms.update(new)
    return not clash


def _content_hash(terms: Sequence[Term]) -> str:
    """The glossary signature: a hash of what changes translations (not notes or lines).

    The canonical form, ``[id, type, forms, en, vi]`` per term, is kept as it was when
    renderings were fields, so a glossary keeps its signature across versions; a draft
    adds ``"draft"`` (its briefings carry a flag that confirming it removes).
    """
    canon = [
        [
            t.id,
            t.type,
            list(t.forms),
            *(t.renderings.get(k) for k in RENDERING_KEYS),
            *(["draft"] if t.draft else []),
        ]
        for t in sorted(terms, key=lambda t: t.id)
    ]
    blob = json.dumps(canon, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def _typed(folder: Path) -> str:
    """``folder`` as the user would type it in a shell here: relative to the current
    folder when below it (a project's ``terms/desk``), else whole; quoted when needed."""
    import shlex

    try:
        shown = str(folder.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        shown = str(folder)
    return shlex.quote(shown)


def _glossary_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise GlossaryError(
            f"glossary folder {folder} does not exist",
            fix=f"create it (`mkdir -p {_typed(folder)}`) or pass --glossary DIR",
        )
    if not folder.is_dir():
        raise GlossaryError(
            f"glossary path {folder} is not a folder",
            fix="pass the folder that holds the *.yaml files with --glossary DIR",
        )
    # dot files are editor backups and lock files, not the user's glossary
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )


def _read(
    folder: Path, problems: Problems, edited: Mapping[Path, str]
) -> tuple[list[Term], list[Path]]:
    files = _glossary_files(folder)
    raws: list[RawTerm] = []
    for path in files:
        try:
            text = edited[path] if path in edited else path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.add(
                path,
                None,
                None,
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save the file as UTF-8",
            )
            continue
        except OSError as exc:
            problems.add(
                path, None, None, f"cannot read: {exc.strerror}", "check the file's permissions"
            )
            continue
        raws.extend(parse_file(path, text, problems))
    return _merge(raws, problems), files


def check_glossary(
    folder: Path, *, edited: Mapping[Path, str] | None = None
) -> tuple[Glossary | None, tuple[str, ...]]:
    """Validate ``folder``: the glossary and no problems, or None and every problem.

    ``edited`` gives the new text of files about to be rewritten, checked in their place.
    Draft terms left out are not problems: the glossary's ``warnings`` say why.
    """
    problems = Problems()
    try:
        terms, files = _read(folder, problems, edited or {})
    except GlossaryError as exc:
        return None, (exc.message,)
    if problems.items:
        return None, tuple(problems.items)
    signature = _content_hash(terms)
    return Glossary(tuple(terms), tuple(files), signature, warnings=tuple(problems.warnings)), ()


def load_glossary(folder: Path) -> Glossary:
    """Read, validate and merge every ``*.yaml``/``*.yml`` in ``folder`` (sorted by name).

    Raises :class:`GlossaryError` listing every problem (``problems``) at once.
    """
    glossary, problems = check_glossary(folder)
    if glossary is not None:
        return glossary
    if not folder.is_dir():
        _glossary_files(folder)  # raises the missing-folder error with its fix
    raise GlossaryError(
        f"{len(problems)} problem(s) in glossary {folder}",
        fix=f"fix each problem; `{shell_command('bilingual', 'glossary', 'check', str(folder))}` "
        "lists them all",
        problems=problems,
    )


def count_by_type(glossary: Glossary) -> dict[str, int]:
    """Terms per type, in the order of :data:`TERM_TYPES`, types with no term left out."""
    counts: Counter[str] = Counter(t.type for t in glossary.terms)
    return {kind: counts[kind] for kind in TERM_TYPES if counts[kind]}
