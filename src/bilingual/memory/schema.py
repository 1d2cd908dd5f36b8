"""The translation memory's schema: its tables, and the migrations that lift an older file.

The version is SQLite's ``user_version``; :data:`MIGRATIONS` maps version ``n`` to the
step that lifts a file to ``n + 1``, each run inside the transaction that bumps the
version (so a killed migration leaves the old file whole). Kept apart from
:mod:`bilingual.memory.store` so that the store holds the reading and writing only.

Schema 3 (management) gives every unit ``retired_at`` (NULL: live), ``retired_by``,
``retired_note``, ``import_id`` (the batch that brought it, in ``imports``),
``replaces`` (the unit it is a new version of) and two folded columns ``search_source``
and ``search_target`` that ``memory search`` scans (see :func:`fold`). Every query that
recalls or exports units filters on :data:`LIVE`: a retired unit is never recalled.
Schema 4 adds ``similar_keys``, the similar-sentence index (see
:mod:`bilingual.memory.similar`), keying the units already stored.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable

from bilingual.lang import LANGUAGES
from bilingual.memory import names as _names
from bilingual.memory import similar as _similar

SCHEMA_VERSION = 4

LIVE = "retired_at IS NULL"
"""The one condition that makes a unit recallable and exportable: every query that
recalls units (look-up, reviewed and article units, export, stats) uses it."""

SCHEMA_1 = """
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL, source TEXT NOT NULL, source_key TEXT NOT NULL,
    target_lang TEXT NOT NULL, target TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('machine', 'reviewed', 'approved')),
    origin TEXT NOT NULL, article TEXT NOT NULL DEFAULT '',
    prev TEXT NOT NULL DEFAULT '', next TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT 'sentence' CHECK (level IN ('sentence', 'paragraph')),
    created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL, changed_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', glossary TEXT NOT NULL DEFAULT '',
    terms TEXT NOT NULL DEFAULT '[]',
    ident TEXT NOT NULL UNIQUE
);
CREATE INDEX units_by_key ON units (source_key, target_lang, level);
CREATE INDEX units_by_article ON units (article, target_lang);
CREATE TABLE cache (
    key TEXT PRIMARY KEY, model TEXT NOT NULL, value TEXT NOT NULL, created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE briefings (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, written_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE dismissed (
    source_key TEXT NOT NULL, target_lang TEXT NOT NULL, target_hash TEXT NOT NULL,
    code TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source_key, target_lang, target_hash, code)
) WITHOUT ROWID;
"""

SCHEMA_3 = """
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL, origin TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
    units INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',
    retracted_at TEXT, retracted_by TEXT NOT NULL DEFAULT ''
);
ALTER TABLE units ADD COLUMN retired_at TEXT;
ALTER TABLE units ADD COLUMN retired_by TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN retired_note TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE units ADD COLUMN replaces INTEGER REFERENCES units (id);
ALTER TABLE units ADD COLUMN search_source TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN search_target TEXT NOT NULL DEFAULT '';
CREATE INDEX units_by_import ON units (import_id);
CREATE INDEX units_by_replaces ON units (replaces);
"""


def fold(lang: str, text: str) -> str:
    """``text`` as ``memory search`` compares it: NFC, whitespace collapsed, then the
    language's matching normalisation (Arabic: diacritics and tatweel dropped, letter
    variants unified, as the glossary matcher does); a language without one (English,
    Vietnamese) is casefolded with its accents kept."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    language = LANGUAGES.get(lang)
    if language is not None and language.source is not None:
        return language.source.normalize(text)[0]
    return text.casefold()


def _statements(script: str) -> Callable[[sqlite3.Connection], None]:
    # statement by statement: executescript() would COMMIT the migration's transaction
    def run(db: sqlite3.Connection) -> None:
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)

    return run


def _to_3(db: sqlite3.Connection) -> None:
    _statements(SCHEMA_3)(db)
    # the folded columns of the units already there, in the migration's transaction and
    # in slices (a large memory is never held at once); new units get theirs when added
    last = -1
    while True:
        rows = db.execute(
            "SELECT id, source_lang, source, target_lang, target FROM units WHERE id > ? "
            "ORDER BY id LIMIT 10000",
            (last,),
        ).fetchall()
        if not rows:
            return
        db.executemany(
            "UPDATE units SET search_source = ?, search_target = ? WHERE id = ?",
            [(fold(sl, s), fold(tl, t), i) for i, sl, s, tl, t in rows],
        )
        last = int(rows[-1][0])


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    # version n -> n + 1; each runs inside the transaction that bumps user_version
    0: _statements(SCHEMA_1),
    1: _statements(_names.SCHEMA),
    2: _to_3,
    3: _similar.migrate,
}
