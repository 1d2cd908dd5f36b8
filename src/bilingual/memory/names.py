"""The memory's names: one rendering per name and target, kept from run to run.

A run that keeps a new name to one rendering (see :mod:`bilingual.names`) stores it here
as ``auto``, so the next run, tomorrow's articles included, uses the same one. A
reviewer's rendering of a name is stored as ``reviewed`` and wins over every ``auto``
one. Nothing is ever updated in place: an ``auto`` rendering, once stored, stays the
name's rendering (a second run cannot replace it with the model's new whim), and a new
review is a new row, the newest winning, so no reviewer's word is lost.

The table lives in the memory's SQLite file and is written inside the memory's
transactions (:class:`bilingual.memory.store.TranslationMemory` owns the connection).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

NameStatus = Literal["auto", "reviewed"]

SCHEMA = """
CREATE TABLE names (
    name_key TEXT NOT NULL, source_lang TEXT NOT NULL, source TEXT NOT NULL,
    target_lang TEXT NOT NULL, rendering TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('auto', 'reviewed')),
    type TEXT NOT NULL DEFAULT 'person',
    article TEXT NOT NULL DEFAULT '', segment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name_key, target_lang, status, rendering)
) WITHOUT ROWID;
"""
"""Schema 2 of the memory file: the ``names`` table."""

_CHUNK = 500
_COLUMNS = (
    "name_key, source_lang, source, target_lang, rendering, status, type, article, "
    "segment, created_at, created_by"
)


@dataclass(frozen=True)
class StoredName:
    """One rendering of a name into one target language."""

    key: str
    """The name's identity (the source language and its normalised form)."""
    source_lang: str
    source: str
    """The source form as seen when it was stored."""
    target_lang: str
    rendering: str
    status: NameStatus = "auto"
    type: str = "person"
    article: str = ""
    segment: str = ""
    """Where the rendering was first taken from."""
    created_at: str = ""
    created_by: str = ""


def name_key(source_lang: str, identity: str) -> str:
    """The key of a name in the table: its language, then its normalised form
    (:func:`bilingual.glossary.match.form_text`)."""
    return f"{source_lang}:{identity}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class NameStore:
    """The ``names`` table of an open memory (the memory owns the connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, names: Iterable[StoredName]) -> int:
        """Store ``names`` (inside the caller's transaction); returns how many were new.

        A rendering already stored for the same name, target and status is kept as it
        is. An ``auto`` rendering is stored only where the name has none for that
        target yet: the first run's rendering stays the name's rendering.
        """
        before = self.db.total_changes
        stamp = _now()
        for n in names:
            if (
                n.status == "auto"
                and self.db.execute(
                    "SELECT 1 FROM names WHERE name_key = ? AND target_lang = ? LIMIT 1",
                    (n.key, n.target_lang),
                ).fetchone()
            ):
                continue
            self.db.execute(
                f"INSERT OR IGNORE INTO names ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    n.key, n.source_lang, n.source, n.target_lang, n.rendering, n.status,
                    n.type, n.article, n.segment, n.created_at or stamp, n.created_by,
                ),
            )  # fmt: skip
        return self.db.total_changes - before

    def get(self, keys: Sequence[str]) -> dict[str, dict[str, StoredName]]:
        """Name key -> target -> the rendering to use: the newest reviewed one, else the
        (single) auto one. Keys the memory has never seen are absent."""
        out: dict[str, dict[str, StoredName]] = {}
        distinct = sorted(set(keys))
        for i in range(0, len(distinct), _CHUNK):
            chunk = distinct[i : i + _CHUNK]
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM names WHERE name_key IN ({','.join('?' * len(chunk))})"
                " ORDER BY status = 'reviewed', created_at",
                chunk,
            ).fetchall()
            for row in rows:  # later rows win: reviewed after auto, newer after older
                name = StoredName(*(str(v) for v in row))  # type: ignore[arg-type]
                out.setdefault(name.key, {})[name.target_lang] = name
        return out

    def all(self) -> list[StoredName]:
        """Every stored rendering, oldest first (for the consistency check and exports)."""
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM names ORDER BY created_at").fetchall()
        return [StoredName(*(str(v) for v in row)) for row in rows]  # type: ignore[arg-type]

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM names").fetchone()[0])
