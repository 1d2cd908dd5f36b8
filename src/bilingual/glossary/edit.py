"""Editing glossary files in place: add a term, change one, or confirm draft terms.

Adding and changing go through ruamel.yaml's round-trip loader, so comments, key order,
quoting and indentation survive; confirming deletes the ``status: draft`` line from the
text itself, so every other byte stays. The edited file is validated with the same rules
as ``check`` before it replaces the old one (atomically). :func:`update_term` is the seam
later stages (the review loop) call.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bilingual._fs import write_bytes_atomically
from bilingual.errors import GlossaryError, printable
from bilingual.glossary.match import form_key
from bilingual.glossary.store import check_glossary, load_glossary, parse_file
from bilingual.glossary.term import EMPTY, SOURCE_KEY, TERM_KEYS, Glossary, Term
from bilingual.glossary.termcheck import Problems, validate_term
from bilingual.glossary.yamlemit import terms_text
from bilingual.glossary.yamlfile import load_yaml, yaml_loader
from bilingual.lang import language_name
from bilingual.shell import shell_command


def _detect_offset(text: str) -> int:
    """How far the user indents ``- id:`` items under ``terms:`` (kept on rewrite)."""
    m = re.search(r"^terms\s*:[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)-", text, re.MULTILINE)
    return len(m.group(1)) if m else 2


def _check_name(file: Path) -> None:
    if file.suffix not in (".yaml", ".yml") or file.name.startswith("."):
        raise GlossaryError(
            f"{file} is not a glossary file name: only *.yaml and *.yml files are read",
            fix=f"use a name such as {file.with_suffix('.yaml').name}",
        )


def _yaml_value(key: str, value: object) -> object:
    """A value as it goes into the file: a list of forms in flow style (``[a, b]``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if key == SOURCE_KEY and isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, Mapping):  # an avoid list: {en: [a, b]}
        flow = CommentedMap({k: _yaml_value(SOURCE_KEY, list(v)) for k, v in value.items()})
        flow.fa.set_flow_style()
        return flow
    return value


def _check_new(glossary: Glossary, new: Term, file: Path) -> None:
    """Refuse an id or a source form that the folder already has."""
    old = glossary.term(new.id)
    if old is not None:
        raise GlossaryError(
            f"term '{new.id}' already exists at {old.file}:{old.line}",
            where=str(file),
            fix="choose another id, or edit the existing entry",
        )
    owners = {form_key(f): (t, f) for t in glossary.terms for f in t.forms}
    for form in new.forms:
        owner = owners.get(form_key(form))
        if owner is not None:
            other, other_form = owner
            raise GlossaryError(
                f"term '{new.id}': {language_name(SOURCE_KEY)} form {form!r} is already used by "
                f"term '{other.id}' "
                f"({other_form!r} at {other.file}:{other.line})",
                where=str(file),
                fix="add the form to that term instead, or leave it out",
            )


def _load(file: Path, text: str) -> Any:
    """The round-trip data of ``file``, through the same guards as ``check``."""
    data, problem = load_yaml(text)
    if problem is not None:  # the folder was checked: the file changed since
        where = f"{file}:{problem.line}"
        raise GlossaryError(f"{where}: {problem.what}", fix=problem.fix)
    return data


def _dump(data: Any, offset: int) -> str:
    yaml = yaml_loader()
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def add_term(file: Path, term: Mapping[str, object]) -> None:
    """Append ``term`` to glossary ``file``, keeping the user's comments, order and quoting.

    The term is validated like any other; a duplicate id or an Arabic form already used
    anywhere in the folder is refused with :class:`GlossaryError`, as is a folder that has
    problems already. The file is created when missing and replaced atomically.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    _check_name(file)
    glossary = load_glossary(file.parent) if file.parent.is_dir() else EMPTY
    problems = Problems()
    raw = validate_term(term, 1, file, 0, problems, lambda key, sub: None)
    if raw.term is None:
        label = f"{file} (new term)"
        at = printable(f"{file}:")  # as Problems wrote it
        found = (*problems.items, *problems.warnings)  # a draft's problems are warnings
        items = tuple(p.replace(at, f"{printable(label)}:", 1) for p in found)
        raise GlossaryError("term not added", fix="correct the term and try again", problems=items)
    _check_new(glossary, raw.term, file)

    text = file.read_text(encoding="utf-8") if file.exists() else ""
    data = _load(file, text) if text.strip() else None
    if data is None:
        data = CommentedMap()
        data["version"] = 1
    if data.get("terms") is None:
        data["terms"] = CommentedSeq()
    entry = CommentedMap()
    for key in TERM_KEYS:
        if term.get(key) is not None:
            entry[key] = _yaml_value(key, term[key])
    data["terms"].append(entry)
    _write_checked(file, _dump(data, _detect_offset(text)), len(data["terms"]))


def update_term(folder: Path, term_id: str, changes: Mapping[str, object]) -> Term:
    """Change fields of term ``term_id`` where it is defined, and return the new term.

    ``changes`` maps keys of the glossary format to new values; ``None`` removes a key.
    Everything else in the file stays as the user wrote it. The whole folder must be
    valid before and after; otherwise :class:`GlossaryError` says why and nothing is
    written.
    """
    unknown = sorted(set(changes) - set(TERM_KEYS) - {"id"})
    if unknown or "id" in changes:
        raise GlossaryError(
            f"cannot change {', '.join(unknown) or 'id'} of term '{term_id}'",
            fix=f"change only these keys: {', '.join(k for k in TERM_KEYS if k != 'id')}",
        )
    old = load_glossary(folder).term(term_id)
    if old is None:
        raise GlossaryError(
            f"no term '{term_id}' in glossary {folder}",
            fix=f"check the id; `{shell_command('bilingual', 'glossary', 'check', str(folder))}` "
            "lists the terms",
        )
    text = old.file.read_text(encoding="utf-8")
    data = _load(old.file, text)
    entry = next(item for item in data["terms"] if item.get("id") == term_id)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = _yaml_value(key, value)
    new_text = _dump(data, _detect_offset(text))
    glossary, problems = check_glossary(folder, edited={old.file: new_text})
    new = glossary.term(term_id) if glossary is not None else None
    if new is None:
        if glossary is not None:  # a draft with a problem is left out, with a warning
            problems = tuple(w for w in glossary.warnings if f" term '{term_id}' " in w)
        raise GlossaryError(
            f"term '{term_id}' not changed" + ("" if problems else ": it would be lost"),
            fix="correct the values and try again; the file was not changed",
            problems=problems,
        )
    _write_checked(old.file, new_text, len(data["terms"]))
    return new


_DRAFT_LINE = re.compile(r"[ \t]*status[ \t]*:[ \t]*(['\"]?)draft\1[ \t]*(#[^\n]*)?\r?\n?")
"""A ``status: draft`` line of a block mapping, as ``glossary suggest`` writes it."""


def confirm_terms(folder: Path, ids: Sequence[str]) -> tuple[Term, ...]:
    """Turn the draft terms ``ids`` into confirmed ones, and return them.

    Each loses its ``status: draft`` line; every other byte of its file stays (a file
    whose line cannot simply go, a flow mapping say, is rewritten round-trip instead).
    Every id is checked first: an unknown id, a term that is not a draft, or a draft
    with no English rendering is refused with :class:`GlossaryError` and nothing is
    written. Each file is replaced atomically once the whole folder checks.
    """
    glossary = load_glossary(folder)
    wanted = list(dict.fromkeys(ids))
    refusals = [r for r in (_refusal(glossary, folder, term_id) for term_id in wanted) if r]
    if refusals:
        raise GlossaryError(
            f"nothing confirmed: {len(refusals)} of {len(wanted)} term(s) cannot be",
            fix="correct or leave out those ids; no file was changed",
            problems=tuple(refusals),
        )
    by_file: dict[Path, list[Term]] = {}
    for term_id in wanted:
        term = glossary.term(term_id)
        assert term is not None  # checked by _refusal
        by_file.setdefault(term.file, []).append(term)
    edited = {file: _undraft(file, terms) for file, terms in by_file.items()}
    new, problems = check_glossary(folder, edited={f: text for f, (text, _) in edited.items()})
    done = [new.term(term_id) if new is not None else None for term_id in wanted]
    confirmed = tuple(t for t in done if t is not None and not t.draft)
    if len(confirmed) != len(wanted):
        raise GlossaryError(
            "nothing confirmed: as confirmed terms, the glossary would not check",
            fix="fix each problem (a confirmed term needs every rendering it lists filled "
            "in); no file was changed",
            problems=problems,
        )
    for file, (text, count) in edited.items():
        _write_checked(file, text, count)
    return confirmed


def _refusal(glossary: Glossary, folder: Path, term_id: str) -> str | None:
    """Why ``term_id`` cannot be confirmed, as ``file:line: term 'id': what (fix)``; or None."""
    term = glossary.term(term_id)
    if term is None:
        left_out = next(
            (w for w in glossary.warnings if f" draft term '{term_id}' is left out:" in w), None
        )
        if left_out is not None:
            return f"{left_out}; fix the draft before confirming it"
        import difflib  # lazy: only a typo needs it

        near = difflib.get_close_matches(term_id, [t.id for t in glossary.terms], n=3)
        hint = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
        return printable(
            f"{folder}: no term '{term_id}' ({hint}"
            f"`{shell_command('bilingual', 'glossary', 'check', str(folder))}` lists the terms)"
        )
    where = f"{term.file}:{term.line}: term '{term_id}':"
    if not term.draft:
        return printable(f"{where} not a draft: it is confirmed already (leave it out)")
    if not term.renderings.get("en"):
        fill = shell_command("bilingual", "glossary", "set", term_id, "--en", "English rendering")
        return printable(f"{where} its 'en' is empty (fill en first: {fill})")
    return None


def _undraft(file: Path, terms: Sequence[Term]) -> tuple[str, int]:
    """The text of ``file`` with the ``status`` of ``terms`` removed, and its term count."""
    # bytes, not read_text: universal newlines would turn the user's CRLF into LF
    text = file.read_bytes().decode("utf-8")
    data = _load(file, text)
    items = list(data["terms"])
    entries = [
        next(e for e in items if e.get("id") == t.id and int(e.lc.line) + 1 == t.line)
        for t in terms
    ]
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    drop = sorted({int(e.lc.key("status")[0]) for e in entries}, reverse=True)
    if all(n < len(lines) and _DRAFT_LINE.fullmatch(lines[n]) for n in drop):
        for n in drop:
            del lines[n]
        return "".join(lines), len(items)
    for entry in entries:  # not a line of its own: ruamel rewrites the file
        entry.pop("status", None)
    return _dump(data, _detect_offset(text)), len(items)


def _write_checked(file: Path, new_text: str, expected_terms: int) -> None:
    """Write ``new_text`` over ``file`` only if it is a valid glossary file with every term."""
    check = Problems()
    if len(parse_file(file, new_text, check)) != expected_terms or check.items:
        raise GlossaryError(
            f"the edit would leave {file} invalid" + ("" if check.items else ": a term is lost"),
            fix="correct the values and try again; the file was not changed",
            problems=tuple(check.items),
        )
    write_bytes_atomically(file, new_text.encode("utf-8"), what=f"glossary file {file.name}")


_SMALL = 200_000
"""Up to this many characters an imported file is parsed again and checked whole before
it is written; a larger one (thousands of new terms, seconds of ruamel per check) relies
on the terms having been validated one by one and on :mod:`.yamlemit`'s exact quoting."""


def import_terms(
    file: Path,
    new: Sequence[Mapping[str, object]],
    changes: Mapping[str, Mapping[str, object]],
) -> None:
    """Write ``new`` terms into glossary ``file`` and apply ``changes`` (term id -> keys)
    to its terms, keeping the file's comments, order and quoting; atomically.

    The caller validated every term against the folder (ids and forms unique). New terms
    are appended as text (:func:`~bilingual.glossary.yamlemit.terms_text`) after what the
    file holds, which ruamel rewrites only when a term of it changes.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    _check_name(file)
    text = file.read_text(encoding="utf-8") if file.exists() else ""
    offset = _detect_offset(text)
    data = _load(file, text) if text.strip() else None
    if data is None:
        body = "version: 1\nterms:\n" + terms_text(new, offset)
        _write_imported(file, body, len(new))
        return
    old_terms = data.get("terms")
    before = len(old_terms or ())  # counted now: ruamel's path below appends to the list
    for entry in old_terms or ():
        for key, value in changes.get(str(entry.get("id")), {}).items():
            old = entry.get(key)
            if key == SOURCE_KEY and isinstance(old, list) and isinstance(value, list):
                old.extend(value[len(old) :])  # new forms go last; the user's list stays
            else:
                entry[key] = _yaml_value(key, value)
    base = _dump(data, offset) if changes else text
    block = (
        isinstance(old_terms, CommentedSeq) and len(old_terms) > 0 and not old_terms.fa.flow_style()
    )
    bare = old_terms is None and re.search(r"^terms\s*:\s*(#.*)?$", base, re.MULTILINE)
    appendable = (
        (block or bool(bare))
        and list(data)[-1] == "terms"
        and not re.search(r"^(---|\.\.\.)\s*$", base, re.MULTILINE)
    )
    if appendable:
        body = base.rstrip("\n") + "\n" + terms_text(new, offset)
    else:  # `terms:` empty, in flow style, or not last: ruamel places the new items
        if not isinstance(old_terms, CommentedSeq):
            data["terms"] = CommentedSeq()
        for term in new:
            entry = CommentedMap()
            for key in TERM_KEYS:
                if term.get(key) is not None:
                    entry[key] = _yaml_value(key, term[key])
            data["terms"].append(entry)
        body = _dump(data, offset)
    _write_imported(file, body, before + len(new))


def _write_imported(file: Path, text: str, expected_terms: int) -> None:
    if len(text) <= _SMALL:
        _write_checked(file, text, expected_terms)
    else:
        write_bytes_atomically(file, text.encode("utf-8"), what=f"glossary file {file.name}")
