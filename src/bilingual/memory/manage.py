"""Managing the translation memory: search, look at a unit's history, edit, retire, retract.

Nothing is ever deleted. A unit is *retired* (``retired_at`` set): kept, shown by
``memory show``, but never recalled by a run or exported (every such query filters on
:data:`~bilingual.memory.schema.LIVE`). An *edit* is a new unit that ``replaces`` the old
one, which is retired, so the edit is what a run recalls from now on. A *retraction*
retires every live unit one import batch brought, in one transaction.

Two choices a reviewer should know:

* A later import (or edit) that corrected a sentence of the retracted import is its own
  work and is kept; the retraction reports how many of its units such a later unit had
  already superseded. An older unit of the sentence, from before the retracted import, is
  recalled again once the retraction took the newer one away.
* Importing the same file again after a retraction stores its retracted units afresh,
  under the new batch, live: a retraction is undone by importing again. A unit edited or
  retired one by one stays so: importing its file again does not bring it back (the
  import counts it as already there), so an edit is never undone by a repeated import.

Search compares folded text (:func:`~bilingual.memory.schema.fold`: Arabic diacritics,
tatweel and letter variants as the glossary matcher treats them; other languages
casefolded) as a substring, so a word finds its forms with a clitic in front (الرئيس finds
والرئيس; للرئيس, where ل + ال is written لل, is searched for too). It is one scan of two
stored columns, linear in the memory's size, newest first, stopping at ``limit``.
Every write runs in the memory's ``BEGIN IMMEDIATE`` transactions; every check is made
inside them, so a refused command changes nothing.
"""

from __future__ import annotations

import getpass
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bilingual.errors import TranslationMemoryError, printable
from bilingual.lang import LANGUAGES
from bilingual.memory.schema import LIVE, fold
from bilingual.memory.store import (
    _COLUMNS,
    TranslationMemory,
    Unit,
    _damage_reported,
    _unit,
    now,
)

MAX_SEARCH = 1000
"""The longest search text, in characters: more than any sentence a reviewer would type."""

_STORED = f"id, {_COLUMNS}, retired_at, retired_by, retired_note, import_id, replaces"
_SIDES = (("search_source", "source_lang"), ("search_target", "target_lang"))
_BATCH = "id, kind, origin, created_at, created_by, units, note, retracted_at, retracted_by"


@dataclass(frozen=True)
class StoredUnit:
    """A unit as stored: its id, and whether, when and why it was retired."""

    id: int
    unit: Unit
    retired_at: str | None = None
    retired_by: str = ""
    retired_note: str = ""
    import_id: int | None = None
    replaces: int | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class ImportBatch:
    """One import: a reviewed DOCX, an XLIFF or TMX file, or an edit."""

    id: int
    kind: str
    origin: str
    created_at: str
    created_by: str
    units: int
    note: str = ""
    retracted_at: str | None = None
    retracted_by: str = ""


@dataclass(frozen=True)
class History:
    """A unit with the import that brought it and its versions, oldest first."""

    unit: StoredUnit
    batch: ImportBatch | None
    versions: tuple[StoredUnit, ...]
    """Every version of the sentence along ``replaces`` links, this one included."""


@dataclass(frozen=True)
class Retraction:
    batch: ImportBatch
    retired: int
    """Units this retraction retired."""
    already_retired: int
    """Units of the batch retired before (edited since, or retired by hand)."""
    superseded: int
    """Of the retired ones, those a later live unit of the same sentence had already
    superseded (that later unit is kept, and is still recalled)."""


def search_problem(text: str) -> str | None:
    """Why ``text`` cannot be searched for, or None."""
    if len(text) > MAX_SEARCH:
        return (
            f"the search text is {len(text):,} characters long; the limit is {MAX_SEARCH:,} "
            "(search for a word or a phrase of the sentence)"
        )
    if not text.strip():
        return "the search text is empty; give a word or phrase to look for"
    # diacritics, tatweel and punctuation alone fold to nothing: they would match all
    if not any(ch.isalnum() and ch != "\u0640" for ch in text):
        return (
            f"the search text {printable(text)!r} has no letter or digit (diacritics and "
            "tatweel are ignored in the search); give a word or phrase to look for"
        )
    return None


def _stored(row: Sequence[object]) -> StoredUnit:
    n = len(_COLUMNS.split(","))
    rest = row[n + 1 :]
    return StoredUnit(
        int(str(row[0])),
        _unit(row[1 : n + 1]),
        None if rest[0] is None else str(rest[0]),
        str(rest[1]),
        str(rest[2]),
        None if rest[3] is None else int(str(rest[3])),
        None if rest[4] is None else int(str(rest[4])),
    )


def _batch(row: Sequence[object]) -> ImportBatch:
    return ImportBatch(
        int(str(row[0])), str(row[1]), str(row[2]), str(row[3]), str(row[4]), int(str(row[5])),
        str(row[6]), None if row[7] is None else str(row[7]), str(row[8]),
    )  # fmt: skip


def _variants(lang: str, text: str) -> list[str]:
    folded = fold(lang, text)
    out = [folded]
    if lang == "ar" and folded.startswith("ال"):
        out.append("لل" + folded[2:])  # ل + ال is written لل (see bilingual.lang.ar)
    return out


@_damage_reported  # a damaged page read: the house's error, naming the file
def search(
    memory: TranslationMemory,
    text: str,
    *,
    lang: str | None = None,
    limit: int = 20,
    include_retired: bool = False,
) -> list[StoredUnit]:
    """Units whose source or target holds ``text`` (folded), newest first.

    ``lang``: only that language's side (the source of units from it, the target of
    units into it). Raises :class:`TranslationMemoryError` for an empty or too long text.
    """
    problem = search_problem(text)
    if problem is not None:
        raise TranslationMemoryError(
            problem, where=str(memory.path), fix="give a shorter, non-empty search text"
        )
    conditions: list[str] = []
    params: list[object] = []
    for code in LANGUAGES:
        if lang is not None and code != lang:
            continue
        for column, lang_column in (
            ("search_source", "source_lang"),
            ("search_target", "target_lang"),
        ):
            for variant in dict.fromkeys(_variants(code, text)):
                if not variant.strip():
                    continue  # nothing left of it in this language: instr('') matches all
                conditions.append(f"({lang_column} = ? AND instr({column}, ?) > 0)")
                params += [code, variant]
    if not conditions:
        return []
    live = "" if include_retired else f" AND {LIVE}"
    rows = memory.db.execute(
        f"SELECT {_STORED} FROM units WHERE ({' OR '.join(conditions)}){live} "
        "ORDER BY id DESC LIMIT ?",
        (*params, max(limit, 0)),
    )
    return [_stored(row) for row in rows]


def _missing(memory: TranslationMemory, what: str) -> TranslationMemoryError:
    return TranslationMemoryError(
        f"{what} does not exist",
        where=str(memory.path),
        fix="find it with bilingual memory search TEXT (units) or bilingual memory imports",
    )


@_damage_reported
def get(memory: TranslationMemory, unit_id: int) -> StoredUnit:
    row = memory.db.execute(f"SELECT {_STORED} FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise _missing(memory, f"unit {unit_id}")
    return _stored(row)


def _live(memory: TranslationMemory, unit_id: int, doing: str) -> StoredUnit:
    stored = get(memory, unit_id)
    if stored.retired:
        newer = memory.db.execute(
            f"SELECT id FROM units WHERE replaces = ? AND {LIVE}", (unit_id,)
        ).fetchone()
        hint = f"; its live version is unit {newer[0]}" if newer else ""
        raise TranslationMemoryError(
            f"unit {unit_id} was retired on {stored.retired_at} by {stored.retired_by or '?'} "
            f"({stored.retired_note or 'no reason given'}), so it cannot be {doing}{hint}",
            where=str(memory.path),
            fix=f"bilingual memory show {newer[0] if newer else unit_id} shows its history",
        )
    return stored


@_damage_reported
def history(memory: TranslationMemory, unit_id: int) -> History:
    """The unit, its import batch, and every version linked to it by ``replaces``."""
    stored = get(memory, unit_id)
    batch = None
    if stored.import_id is not None:
        row = memory.db.execute(
            f"SELECT {_BATCH} FROM imports WHERE id = ?", (stored.import_id,)
        ).fetchone()
        batch = _batch(row) if row is not None else None
    older: list[StoredUnit] = []
    current = stored
    while current.replaces is not None and len(older) < 1000:  # a chain, never a cycle
        current = get(memory, current.replaces)
        older.append(current)
    newer: list[StoredUnit] = []
    current = stored
    while len(newer) < 1000:
        row = memory.db.execute(
            f"SELECT {_STORED} FROM units WHERE replaces = ? ORDER BY id LIMIT 1", (current.id,)
        ).fetchone()
        if row is None:
            break
        current = _stored(row)
        newer.append(current)
    return History(stored, batch, (*reversed(older), stored, *newer))


def _retire(
    memory: TranslationMemory,
    where: str,
    params: Sequence[object],
    who: str,
    note: str,
    *,
    free: bool = False,
) -> int:
    # free: the identity is made unique by the id, so the same unit imported again is
    # stored afresh (a retraction is undone by importing again); a unit edited or retired
    # one by one keeps it, so importing its file again does not bring it back
    ident = "ident || ':retracted:' || id" if free else "ident"
    cursor = memory.db.execute(
        "UPDATE units SET retired_at = ?, retired_by = ?, retired_note = ?, "
        f"ident = {ident} WHERE {where} AND {LIVE}",
        (now(), who, note, *params),
    )
    return int(cursor.rowcount)


def retire(
    memory: TranslationMemory, unit_id: int, *, reason: str = "", who: str = ""
) -> StoredUnit:
    """Retire one live unit: kept, never recalled or exported again."""
    with memory.transaction():
        _live(memory, unit_id, "retired")
        _retire(memory, "id = ?", (unit_id,), who or getpass.getuser(), reason or "retired")
    return get(memory, unit_id)


def edit(
    memory: TranslationMemory, unit_id: int, text: str, *, note: str = "", who: str = ""
) -> StoredUnit:
    """A new reviewed version of a live unit with ``text`` as its translation, recorded as
    an import batch of kind ``edit``; the old unit is retired (kept) so the new one is
    what runs recall from now on. Returns the new unit."""
    who = who or getpass.getuser()
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:  # a TMX could not carry it; a briefing would show U+FFFD
        raise TranslationMemoryError(
            f"the new text of unit {unit_id} holds the control character U+{ord(bad):04X}"
            " (a line break or a terminal escape is no part of a sentence)",
            where=str(memory.path),
            fix="give the sentence on one line, without control characters",
        )
    if not text.strip():
        raise TranslationMemoryError(
            f"the new text of unit {unit_id} is empty",
            where=str(memory.path),
            fix=f"give the translation with --text, or: bilingual memory retire {unit_id}",
        )
    with memory.transaction():
        old = _live(memory, unit_id, "edited")
        if old.unit.target == text:
            raise TranslationMemoryError(
                f"unit {unit_id} already reads {text!r}; nothing to change",
                where=str(memory.path),
                fix="give the corrected translation with --text",
            )
        stamp = now()
        unit = replace(
            old.unit, target=text, status="reviewed", origin=f"edit:unit {unit_id}",
            created_at=stamp, created_by=who, changed_at=stamp, changed_by=who,
            note=note or old.unit.note,
        )  # fmt: skip
        batch, added = memory.add_import(
            "edit", f"unit {unit_id}", [unit], who=who, note=note, replaces=unit_id
        )
        if not added:  # rolled back by the transaction: nothing is changed
            raise TranslationMemoryError(
                f"a live unit identical to the edit of unit {unit_id} is already stored",
                where=str(memory.path),
                fix=f"bilingual memory search {text[:40]!r} finds it",
            )
        (new_id,) = memory.db.execute(
            "SELECT id FROM units WHERE import_id = ?", (batch,)
        ).fetchone()
        _retire(memory, "id = ?", (unit_id,), who, f"edited: replaced by unit {new_id}")
    return get(memory, int(new_id))


@_damage_reported
def imports(memory: TranslationMemory) -> list[ImportBatch]:
    """Every import batch, oldest first."""
    return [_batch(r) for r in memory.db.execute(f"SELECT {_BATCH} FROM imports ORDER BY id")]


def retracted(memory: TranslationMemory, idents: Iterable[str]) -> set[str]:
    """Those of ``idents`` (:attr:`Unit.ident`) a retraction took back: kept retired under
    ``ident:retracted:id`` (see :func:`_retire`). One indexed range look-up each."""
    found: set[str] = set()
    for ident in set(idents):
        # ':' + 1 is ';': every key that starts with ident + ':retracted:'
        row = memory.db.execute(
            "SELECT 1 FROM units WHERE ident > ? AND ident < ? LIMIT 1",
            (f"{ident}:retracted:", f"{ident}:retracted;"),
        ).fetchone()
        if row is not None:
            found.add(ident)
    return found


def retract(memory: TranslationMemory, batch_id: int, *, who: str = "") -> Retraction:
    """Retire every live unit import ``batch_id`` brought, in one transaction."""
    who = who or getpass.getuser()
    with memory.transaction():
        row = memory.db.execute(
            f"SELECT {_BATCH} FROM imports WHERE id = ?", (batch_id,)
        ).fetchone()
        if row is None:
            raise _missing(memory, f"import {batch_id}")
        batch = _batch(row)
        if batch.retracted_at is not None:
            raise TranslationMemoryError(
                f"import {batch_id} ({batch.kind} {batch.origin}) was already retracted on "
                f"{batch.retracted_at} by {batch.retracted_by or '?'}",
                where=str(memory.path),
                fix="bilingual memory imports lists the imports; import the file again to "
                "bring its units back",
            )
        (already,) = memory.db.execute(
            f"SELECT count(*) FROM units WHERE import_id = ? AND NOT ({LIVE})", (batch_id,)
        ).fetchone()
        # a later live review of the same sentence, from another batch: it stays
        (superseded,) = memory.db.execute(
            f"SELECT count(*) FROM units u WHERE u.import_id = ? AND u.{LIVE} AND EXISTS ("
            f"SELECT 1 FROM units v WHERE v.source_key = u.source_key AND v.target_lang = "
            f"u.target_lang AND v.level = u.level AND v.id > u.id AND v.{LIVE} AND "
            "v.status IN ('reviewed', 'approved') AND v.import_id IS NOT u.import_id)",
            (batch_id,),
        ).fetchone()
        retired = _retire(
            memory, "import_id = ?", (batch_id,), who, f"import {batch_id} retracted", free=True
        )
        memory.db.execute(
            "UPDATE imports SET retracted_at = ?, retracted_by = ? WHERE id = ?",
            (now(), who, batch_id),
        )
    return Retraction(batch, retired, int(already), int(superseded))
