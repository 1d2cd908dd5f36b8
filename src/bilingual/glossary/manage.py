"""Managing a glossary folder: list terms by type and status, search them, remove one.

* Listing filters by ``type`` and by ``status``: ``confirmed`` (a file says so, or says
  nothing) or ``draft`` (``status: draft``, what ``glossary suggest`` writes). ``auto``
  is no status a file holds: it marks the names a run keeps, which live in the memory.
* Searching goes by the language of the query. Arabic goes through the matcher
  (:mod:`bilingual.glossary.match`), so diacritics, hamza and alef forms, tatweel and
  clitic prefixes count as they do in articles: a term is found when one of its forms
  occurs in the query (a sentence pasted in finds its terms), or when the query's words
  occur in one of its forms (``الأمم`` finds ``الأمم المتحدة``). Any other query is
  compared with ids, renderings and avoid lists, case aside (Unicode NFC, so a
  Vietnamese word typed with combining marks is found too).
* Removing deletes the term's own lines from its file, so every comment of the file and
  of the other terms stays (a comment line before the next term belongs to it), then
  checks the folder and replaces the file atomically. A term id the translation memory
  records (each unit keeps the ``(term id, rendering)`` pairs it was made under) is not
  removed without ``force``: a term added later under the same id would be taken for it,
  and reviewed translations that have the old rendering rewritten to the new one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual._fs import write_bytes_atomically
from bilingual.errors import GlossaryError
from bilingual.glossary.match import TermMatcher, form_key
from bilingual.glossary.store import check_glossary, load_glossary, parse_file
from bilingual.glossary.term import TERM_STATUSES, TERM_TYPES, Glossary, Term
from bilingual.glossary.termcheck import Problems, node_line
from bilingual.glossary.yamlfile import load_yaml
from bilingual.lang import source_rules
from bilingual.shell import shell_command


def select_terms(glossary: Glossary, *, kind: str | None, status: str | None) -> list[Term]:
    """The terms of ``kind`` and ``status`` (None: any), in file order."""
    if kind is not None and kind not in TERM_TYPES:
        raise GlossaryError(f"no term type {kind!r}", fix=f"use one of: {', '.join(TERM_TYPES)}")
    if status == "auto":
        raise GlossaryError(
            "no glossary term has the status 'auto': it marks the names a run keeps, which "
            "the translation memory holds, not the glossary",
            fix=f"use one of: {', '.join(TERM_STATUSES)}",
        )
    if status is not None and status not in TERM_STATUSES:
        raise GlossaryError(
            f"no term status {status!r}", fix=f"use one of: {', '.join(TERM_STATUSES)}"
        )
    return [
        t
        for t in glossary.terms
        if (kind is None or t.type == kind) and (status is None or t.status == status)
    ]


@dataclass(frozen=True)
class Found:
    """A term a search found, and where: ``ar`` (a form), ``en``, ``avoid.vi``, ``id``..."""

    term: Term
    where: str


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def search_terms(glossary: Glossary, query: str) -> list[Found]:
    """The terms ``query`` finds (see the module docstring), in file order."""
    if not query.strip():
        raise GlossaryError(
            "nothing to search for: the search text is empty",
            fix="give a word or phrase in Arabic, English or Vietnamese",
        )
    rules = source_rules(glossary.source_lang)
    if rules.letter.search(query):
        return _search_source(glossary, query)
    wanted = _folded(query)
    out: list[Found] = []
    for term in glossary.terms:
        fields = list(term.renderings.items())
        fields += [(f"avoid.{lang}", a) for lang, listed in term.avoid.items() for a in listed]
        fields.append(("id", term.id))
        where = next((key for key, value in fields if wanted in _folded(value)), None)
        if where is not None:
            out.append(Found(term, where))
    return out


def _search_source(glossary: Glossary, query: str) -> list[Found]:
    """Terms with a form in ``query`` (the matcher), or whose form holds its words."""
    rules = source_rules(glossary.source_lang)
    hits = {m.term_id for m in TermMatcher(glossary, rules=rules).find(query)}
    toks, seps = form_key(query, rules)
    longest = max((len(form_key(f, rules)[0]) for t in glossary.terms for f in t.forms), default=0)
    # the query's first word may carry a clitic prefix, as a form's first word may
    firsts = {stem for _, stem in rules.stems(toks[0])} if toks else set()
    out: list[Found] = []
    for term in glossary.terms:
        if term.id in hits:
            out.append(Found(term, glossary.source_lang))
            continue
        if not toks or len(toks) > longest:
            continue
        for form in term.forms:
            if _holds(form_key(form, rules), toks, seps, firsts):
                out.append(Found(term, glossary.source_lang))
                break
    return out


def _holds(
    key: tuple[tuple[str, ...], tuple[str, ...]],
    toks: Sequence[str],
    seps: Sequence[str],
    firsts: set[str],
) -> bool:
    """True when the form ``key`` has the query's tokens (and separators) in a row."""
    form_toks, form_seps = key
    n = len(toks)
    for i in range(len(form_toks) - n + 1):
        if form_toks[i] not in firsts and form_toks[i] != toks[0]:
            continue
        if list(form_toks[i + 1 : i + n]) == list(toks[1:]) and list(
            form_seps[i : i + n - 1]
        ) == list(seps):
            return True
    return False


# --------------------------------------------------------------------------- removal


@dataclass(frozen=True)
class Removed:
    """A term removed: what it was, and the draft terms its removal lets in."""

    term: Term
    released: tuple[str, ...]
    """Warnings about draft terms that were left out before and are used now."""


def memory_references(memory: Path | None, term_id: str) -> list[str]:
    """Where the translation memory ``memory`` records ``term_id``: one line per target
    language, ``N unit(s) into en, e.g. article 'x' (review:x.docx)``; none without one."""
    import sqlite3

    from bilingual.memory.store import TranslationMemory

    if memory is None or not memory.is_file():
        return []
    # a JSON string of the id, as the terms column holds it: a cheap filter first
    quoted = '"' + term_id + '"'
    sql = (
        "SELECT target_lang, COUNT(*), MIN(article), MIN(origin) FROM units "
        "WHERE instr(terms, ?) > 0 AND EXISTS (SELECT 1 FROM json_each(units.terms) "
        "WHERE json_extract(json_each.value, '$[0]') = ?) GROUP BY target_lang"
    )
    with TranslationMemory(memory, create=False) as tm:
        try:
            rows = tm.db.execute(sql, (quoted, term_id)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise tm.failure("cannot be read", exc) from None
    return [
        f"{memory}: {n} unit(s) into {lang} made under it, e.g. article {article!r} ({origin})"
        for lang, n, article, origin in rows
    ]


def remove_term(
    folder: Path, term_id: str, *, memory: Path | None = None, force: bool = False
) -> Removed:
    """Remove term ``term_id`` from its glossary file, keeping every other line.

    Refused with :class:`GlossaryError` (nothing written) when the id is unknown, when
    the folder does not check before or after, or when ``memory`` records the id and
    ``force`` is not given (the error lists where).
    """
    glossary = load_glossary(folder)
    term = glossary.term(term_id)
    if term is None:
        import difflib  # lazy: only a typo needs it

        near = difflib.get_close_matches(term_id, [t.id for t in glossary.terms], n=3)
        hint = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
        listing = shell_command("bilingual", "glossary", "list", "--glossary", str(folder))
        raise GlossaryError(
            f"no term '{term_id}' in glossary {folder}", fix=f"{hint}`{listing}` lists the terms"
        )
    references = memory_references(memory, term_id)
    if references and not force:
        raise GlossaryError(
            f"term '{term_id}' not removed: the translation memory records it",
            where=f"{term.file}:{term.line}",
            fix="a term added later under this id would be taken for it (reviewed "
            "translations with its rendering rewritten to the new one); to remove it all "
            "the same, add --force (the memory's units keep their record)",
            problems=tuple(references),
        )
    text = term.file.read_bytes().decode("utf-8")  # bytes: keep the user's CRLF
    new_text, count = _without(term, text)
    check = Problems()
    if len(parse_file(term.file, new_text, check)) != count or check.items:
        raise GlossaryError(  # pragma: no cover - the lines removed are one whole term
            f"removing '{term_id}' would leave {term.file} invalid",
            fix="remove the term by hand; the file was not changed",
            problems=tuple(check.items),
        )
    after, problems = check_glossary(folder, edited={term.file: new_text})
    if after is None:
        raise GlossaryError(
            f"term '{term_id}' not removed: the glossary would not check without it",
            fix="fix each problem first; the file was not changed",
            problems=problems,
        )
    write_bytes_atomically(
        term.file, new_text.encode("utf-8"), what=f"glossary file {term.file.name}"
    )
    released = tuple(w for w in glossary.warnings if w not in after.warnings)
    return Removed(term, released)


_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


def _without(term: Term, text: str) -> tuple[str, int]:
    """``text`` without ``term``'s lines, and the number of terms left.

    The term's lines run from its ``-`` line to its last line of content; the blank and
    comment lines after it (up to the next term) stay: a comment there introduces what
    follows. A file in flow style (``terms: [{...}]``) has no lines of its own per term.
    """
    data, problem = load_yaml(text)
    if problem is not None or data is None:  # the folder was checked: the file changed since
        raise GlossaryError(f"{term.file} changed while it was read", fix="try again")
    items = data["terms"]
    index = next(
        k for k, e in enumerate(items) if e.get("id") == term.id and node_line(e) == term.line
    )
    lines = _LINES.findall(text)
    first = (node_line(items, index) or term.line) - 1
    if items.fa.flow_style() or not lines[first].lstrip().startswith("-"):
        raise GlossaryError(
            f"cannot remove '{term.id}' from {term.file}: its terms are written in flow "
            "style ([{...}, ...]), which has no lines of their own per term",
            where=f"{term.file}:{term.line}",
            fix="remove it by hand, or write the terms as a block list (`- id: ...`)",
        )
    dash = len(lines[first]) - len(lines[first].lstrip())
    end = _end_line(data, items, index, len(lines))
    last = end
    while last > first + 1 and _kept_after(lines[last - 1], dash):
        last -= 1
    return "".join(lines[:first] + lines[last:]), len(items) - 1


def _end_line(data: Any, items: Any, index: int, total: int) -> int:
    """0-based line where the next term, or what follows the list, starts."""
    nxt = node_line(items, index + 1) if index + 1 < len(items) else None
    if nxt is not None:
        return nxt - 1
    keys = list(data)
    after = keys[keys.index("terms") + 1 :] if "terms" in keys else []
    starts = [line - 1 for key in after if (line := node_line(data, key)) is not None]
    return min(starts, default=total)


def _kept_after(line: str, dash: int) -> bool:
    """A line after a term that is not the term's: blank, or a comment no deeper than
    its ``-`` (a deeper one sits inside the term)."""
    body = line.strip()
    return not body or (body.startswith("#") and len(line) - len(line.lstrip()) <= dash)
