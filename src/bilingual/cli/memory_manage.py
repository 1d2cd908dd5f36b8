"""``bilingual memory search|show|edit|retire|imports|retract``: manage the memory's units.

Only parsing and reporting: the work is :mod:`bilingual.memory.manage`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilingual.cli._common import MEMORY_OPTION, console, handled, memory_app, workspace

if TYPE_CHECKING:
    from bilingual.memory.manage import ImportBatch, StoredUnit
    from bilingual.memory.store import TranslationMemory

_UNIT = typer.Argument(help="The unit's id (memory search shows it).", metavar="ID")


def _open(memory: Path | None) -> TranslationMemory:
    from bilingual.memory.store import TranslationMemory

    path = workspace(memory=memory).memory
    assert path is not None
    return TranslationMemory(path, create=False)


def _date(stamp: str) -> str:
    """An ISO time stamp to the minute, in UTC as stored: short enough for a table."""
    return stamp.replace("T", " ")[:16]


def _state(stored: StoredUnit) -> str:
    return f"retired {_date(stored.retired_at or '')}" if stored.retired else stored.unit.status


@memory_app.command("search")
def memory_search(
    text: Annotated[str, typer.Argument(help="A word or phrase, in any language.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only this language's side (ar, en, vi).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many units.")] = 20,
    include_retired: Annotated[
        bool, typer.Option("--include-retired", help="Show retired units too.")
    ] = False,
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Units whose source or target holds TEXT (diacritics and clitics as the glossary
    matcher treats them), newest first."""
    from bilingual.lang import LANGUAGES
    from bilingual.memory.manage import search, search_problem

    problem = search_problem(text)
    if problem is not None:
        raise typer.BadParameter(problem, param_hint="TEXT")
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(
            f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}", param_hint="--lang"
        )
    with handled(), _open(memory) as tm:
        found = search(tm, text, lang=lang, limit=limit, include_retired=include_retired)
        out = console()
        if not found:
            out.print(f"no unit holds {text!r} in {tm.path}", markup=False)
            return
        # a unit per block, not a table: two sentences side by side leave each a
        # sliver of a terminal's width
        for s in found:
            u = s.unit
            out.print(
                f"unit {s.id}  {_state(s)}  {u.source_lang}>{u.target_lang}  "
                f"{u.article or '-'}  {_date(u.created_at)}",
                markup=False,
            )
            out.print(f"  {u.source_lang}: {u.source}", markup=False)
            out.print(f"  {u.target_lang}: {u.target}", markup=False)
        more = " (the first ones; --limit shows more)" if len(found) == limit else ""
        out.print(f"{len(found)} unit(s){more}", markup=False)


def _line(s: StoredUnit) -> str:
    u = s.unit
    return f"unit {s.id} ({_state(s)}, {u.created_at} by {u.created_by or '?'}): {u.target}"


def _batch_text(b: ImportBatch) -> str:
    return f"import {b.id}: {b.kind} {b.origin}, {b.created_at} by {b.created_by or '?'}"


@memory_app.command("show")
def memory_show(
    unit_id: Annotated[int, _UNIT], memory: Annotated[Path | None, MEMORY_OPTION] = None
) -> None:
    """One unit with its history: who, when, from which import, its versions."""
    from bilingual.memory.manage import history

    with handled(), _open(memory) as tm:
        h = history(tm, unit_id)
    u, out = h.unit.unit, console()
    rows = [
        ("unit", str(h.unit.id)),
        ("status", u.status),
        ("source", f"{u.source} ({u.source_lang})"),
        ("target", f"{u.target} ({u.target_lang})"),
        ("article", u.article or "-"),
        ("origin", u.origin),
        ("created", f"{u.created_at} by {u.created_by or '?'}"),
        (
            "import",
            _batch_text(h.batch)
            if h.batch
            else "none (made by a run, or before imports were recorded)",
        ),
        ("note", u.note or "-"),
    ]
    if h.unit.retired:
        rows.append(
            ("retired", f"{h.unit.retired_at} by {h.unit.retired_by or '?'}: {h.unit.retired_note}")
        )
    else:
        rows.append(("retired", "no: recalled by runs and exported"))
    for name, value in rows:
        out.print(f"{name + ':':9} {value}", markup=False)
    if len(h.versions) > 1:
        out.print("versions, oldest first:", markup=False)
        for v in h.versions:
            mark = "*" if v.id == h.unit.id else " "
            out.print(f" {mark} {_line(v)}", markup=False)


@memory_app.command("edit")
def memory_edit(
    unit_id: Annotated[int, _UNIT],
    text: Annotated[str, typer.Option("--text", help="The corrected translation.")],
    note: Annotated[str, typer.Option("--note", help="Why (kept with the new version).")] = "",
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """A new version of a unit (reviewed); the old one is kept, retired, in its history."""
    from bilingual.memory.manage import edit

    with handled(), _open(memory) as tm:
        new = edit(tm, unit_id, text, note=note)
    console().print(
        f"unit {new.id} replaces unit {unit_id} (kept, retired); runs recall unit {new.id}",
        markup=False,
    )


@memory_app.command("retire")
def memory_retire(
    unit_id: Annotated[int, _UNIT],
    reason: Annotated[str, typer.Option("--reason", help="Why (shown by memory show).")] = "",
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Retire a unit: kept, but never recalled or exported again."""
    from bilingual.memory.manage import retire

    with handled(), _open(memory) as tm:
        retire(tm, unit_id, reason=reason)
    console().print(f"unit {unit_id} retired: no longer recalled or exported", markup=False)


@memory_app.command("imports")
def memory_imports(memory: Annotated[Path | None, MEMORY_OPTION] = None) -> None:
    """Every import batch (review, xliff, tmx, edit), oldest first."""
    from rich.table import Table

    from bilingual.memory.manage import imports

    with handled(), _open(memory) as tm:
        batches = imports(tm)
    if not batches:
        console().print("no imports recorded", markup=False)
        return
    table = Table()
    for col in ("id", "kind", "file", "date", "who", "units", "retracted"):
        table.add_column(col, justify="right" if col in ("id", "units") else "left")
    for b in batches:
        table.add_row(
            str(b.id), b.kind, b.origin, _date(b.created_at), b.created_by, str(b.units),
            f"{_date(b.retracted_at)} by {b.retracted_by}" if b.retracted_at else "",
        )  # fmt: skip
    console().print(table)


@memory_app.command("retract")
def memory_retract(
    batch_id: Annotated[
        int, typer.Argument(help="The import's id (memory imports).", metavar="IMPORT")
    ],
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Retire every unit one import brought, in one transaction (later imports' units stay)."""
    from bilingual.memory.manage import retract

    with handled(), _open(memory) as tm:
        r = retract(tm, batch_id)
    out = console()
    out.print(f"retracted {_batch_text(r.batch)}: {r.retired} unit(s) retired", markup=False)
    if r.superseded:
        out.print(
            f"  {r.superseded} of them had already been superseded by a later review; "
            "that review is kept and still recalled",
            markup=False,
        )
    if r.already_retired:
        out.print(
            f"  {r.already_retired} unit(s) were retired before (edited or retired)", markup=False
        )
