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
One term's own checks (its avoid lists among them) are :mod:`bilingual.glossary.termcheck`'s;
this module reads the files, merges their terms and signs the result.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bilingual.errors import GlossaryError
from bilingual.glossary.match import FormKey, form_key
from bilingual.glossary.term import (
    RENDERING_KEYS,
    SOURCE_KEY,
    TERM_TYPES,
    Glossary,
    Term,
)
from bilingual.glossary.termcheck import Problems, RawTerm, node_line, shown, validate_term
from bilingual.glossary.yamlfile import load_yaml
from bilingual.lang import language_name
from bilingual.shell import shell_command


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
                node_line(data, str(key)),
                None,
                f"unknown top-level key '{key}'",
                "only `version: 1` and `terms:` belong at the top level",
            )
    if data.get("version") != 1:
        problems.add(
            path,
            node_line(data, "version") or 1,
            None,
            f"'version' is {shown(data.get('version'))}, expected 1",
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
            node_line(data, "terms"),
            None,
            "`terms` is not a list",
            "write each term as an item starting with `- id: ...`",
        )
        return []
    out: list[RawTerm] = []
    for number, item in enumerate(raw_terms, start=1):
        base = node_line(raw_terms, number - 1) or node_line(data, "terms") or 1
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
                return node_line(node)
            if sub is not None:
                value = node.get(key)
                return node_line(value, sub) if isinstance(value, list) else node_line(node, key)
            return node_line(node, key)

        out.append(validate_term(item, number, path, node_line(item) or base, problems, line_of))
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
    adds ``"draft"`` (its briefings carry a flag that confirming it removes), and a term
    with avoid lists adds them (they steer the decode: a cached translation made without
    them must not be taken for one made with them).
    """
    canon = [
        [
            t.id,
            t.type,
            list(t.forms),
            *(t.renderings.get(k) for k in RENDERING_KEYS),
            *(["draft"] if t.draft else []),
            *([{lang: list(t.avoid[lang]) for lang in sorted(t.avoid)}] if t.avoid else []),
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
