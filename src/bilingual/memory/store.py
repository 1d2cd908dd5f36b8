"""The translation memory: one SQLite file holding reviewers' work and the machine cache.

Why SQLite (the standard library's ``sqlite3``): one file a user can copy, atomic
transactions, readers that never block a writer in WAL mode, and an integrity check.
Every import or run writes in one ``BEGIN IMMEDIATE`` transaction, so a process killed
midway leaves all of it or none. A busy file is waited for (``busy_timeout``), so two
runs and an import on one memory all finish. The schema version is SQLite's
``user_version``; :data:`_MIGRATIONS` lifts an older file step by step, and a file from
a newer bilingual is refused, never touched. A file that is not SQLite, or is damaged,
is refused with its path; it is never overwritten.

Tables: ``units`` (translation units: reviewed, approved, or imported from TMX; never
updated in place, a new review is a new row and the newest wins), ``cache`` (machine
output keyed by everything that changes it), ``dismissed`` (QA findings a reviewer
resolved on a given sentence and translation), ``briefings`` (a hash of each DOCX a
run wrote: a file still equal to it holds no reviewer's edit, so it need not be read),
``names`` (one rendering per new name and target: see :mod:`bilingual.memory.names`),
``imports`` (one row per import batch), ``similar_keys`` (the similar-sentence index: see
:mod:`bilingual.memory.similar`). The schema and its migrations are in
:mod:`bilingual.memory.schema`; searching, editing, retiring and retracting in
:mod:`bilingual.memory.manage`. A retired unit (``retired_at`` set) is kept but never
recalled, suggested or exported: every such query filters on
:data:`~bilingual.memory.schema.LIVE`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

from bilingual.errors import TranslationMemoryError, printable
from bilingual.lang import LANGUAGES
from bilingual.memory import names as _names
from bilingual.memory import similar as _similar
from bilingual.memory.diagnose import diagnose
from bilingual.memory.schema import LIVE, MIGRATIONS, SCHEMA_VERSION, fold

_MIGRATIONS = MIGRATIONS  # the name older code and tests know
Status = Literal["machine", "reviewed", "approved"]
Level = Literal["sentence", "paragraph"]
STATUSES: tuple[Status, ...] = ("machine", "reviewed", "approved")
_HEADER = b"SQLite format 3\x00"
_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit


def _chunks(values: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    """``values`` in slices of at most :data:`_CHUNK`, each with its ``?,?,...`` marks."""
    for k in range(0, len(values), _CHUNK):
        chunk = list(values[k : k + _CHUNK])
        yield chunk, ",".join("?" * len(chunk))


def source_key(lang: str, text: str) -> str:
    """The normalised key a source text is looked up by: the language's own matching
    normalisation (Arabic: diacritics and tatweel dropped, letter variants unified) over
    NFC text with whitespace collapsed. Two sources with one key share reviews."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    language = LANGUAGES.get(lang)
    if language is not None and language.source is not None:
        text = language.source.normalize(text)[0]
    return hashlib.sha1(f"{lang}\x00{text}".encode()).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Unit:
    """One translation unit: a source text and a human-checked (or imported) translation."""

    source_lang: str
    source: str
    target_lang: str
    target: str
    status: Status = "reviewed"
    origin: str = ""
    """Where it came from: ``review:<docx>``, ``tmx:<file>``, ``model:<label>``."""
    article: str = ""
    prev: str = ""
    """The source text of the sentence before it ('' at the start or unknown)."""
    next: str = ""
    level: Level = "sentence"
    """``paragraph``: a reviewer merged or split the sentences of a paragraph."""
    created_at: str = ""
    created_by: str = ""
    changed_at: str = ""
    changed_by: str = ""
    note: str = ""
    glossary: str = ""
    """The glossary signature the translation was made under ('' unknown)."""
    terms: tuple[tuple[str, str], ...] = ()
    """``(term id, rendering)`` the glossary prescribed for the terms of the source when
    the translation was made: where a rendering changed since, the old one is known."""

    @property
    def key(self) -> str:
        return source_key(self.source_lang, self.source)

    @property
    def ident(self) -> str:
        """What makes a unit the same unit: stored once however often it is imported (a
        hash, so the unique index stays small)."""
        parts = (self.key, self.target_lang, self.level, self.target, self.prev, self.next)
        # a reviewer's note is part of their review: a new comment on a sentence already
        # stored is a new unit (the newest wins), not a duplicate dropped in silence; a
        # unit without a note keeps the identity it always had
        note = (self.note,) if self.note else ()
        return hashlib.sha1("\x00".join((*parts, self.status, *note)).encode()).hexdigest()


@dataclass(frozen=True)
class Query:
    """A sentence to look up, with its neighbours (context) in the article."""

    source_lang: str
    source: str
    target_lang: str
    prev: str = ""
    next: str = ""
    level: Level = "sentence"


def _path_key(path: Path) -> str:
    """A briefing's key: its absolute path, as text SQLite can hold (a folder's name
    need not be UTF-8)."""
    return printable(str(path.resolve()))


@dataclass(frozen=True)
class Hit:
    unit: Unit
    context: bool
    """Both neighbours match too (a 101 % match)."""


@dataclass(frozen=True)
class Stats:
    path: Path
    schema: int
    units: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """``(target language, status, origin kind)`` -> count."""
    cache_entries: int = 0
    dismissed: int = 0
    size_bytes: int = 0
    retired: int = 0
    """Units retired (by hand, by an edit or by a retracted import): kept, never recalled."""


_COLUMNS = (
    "source_lang, source, target_lang, target, status, origin, article, prev, next, level, "
    "created_at, created_by, changed_at, changed_by, note, glossary, terms"
)


_FIELDS = tuple(name.strip() for name in _COLUMNS.split(","))


def _unit(row: Sequence[object]) -> Unit:
    values: dict[str, object] = dict(zip(_FIELDS, (str(v) for v in row), strict=True))
    values["terms"] = tuple((str(a), str(b)) for a, b in json.loads(str(values["terms"])))
    return Unit(**values)  # type: ignore[arg-type]  # status and level come from CHECKed columns


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _damage_reported(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A damaged page found while reading becomes the house's error, naming the file."""

    @functools.wraps(method)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            memory = args[0]
            assert isinstance(memory, TranslationMemory)
            raise memory.failure("is damaged", exc) from None

    return run


class TranslationMemory:
    """An open memory file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, create: bool = True, timeout: float = 60.0) -> None:
        self.path = path
        self._check_file(create)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT)
            self.db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise self.failure("cannot be opened", exc) from None
        self.names = _names.NameStore(self.db)
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._check_version()  # before WAL: switching journal mode writes the header
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise self.failure("is damaged or not a translation memory", exc) from None
        except TranslationMemoryError:
            self.db.close()
            raise

    # -- opening ---------------------------------------------------------------------

    def _error(self, what: str, fix: str | None = None) -> TranslationMemoryError:
        return TranslationMemoryError(
            what,
            where=str(self.path),
            fix=fix
            or "restore it from a backup, or point --memory (or memory in bilingual.toml) "
            "at another file; bilingual never overwrites it",
        )

    def failure(self, what: str, exc: BaseException) -> TranslationMemoryError:
        """The error for a failed open or write: the file system's real reason (a full
        disk, a read-only folder or file) where it is one, else ``what`` with SQLite's."""
        found = diagnose(self.path, exc)
        if found is None:
            return self._error(f"{what} ({exc})")
        return TranslationMemoryError(found.what, where=str(self.path), fix=found.fix)

    def _check_file(self, create: bool) -> None:
        if not self.path.exists():
            if not create:
                raise self._error(
                    "does not exist", fix="run bilingual translate or review import first"
                )
            return
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(_HEADER))
        except OSError as exc:
            raise self._error(f"cannot be read ({exc.strerror or exc})") from None
        if not head:  # SQLite would take it as a new database and start over, silently
            raise self._error(
                "is empty (0 bytes): whatever memory it held is gone",
                fix="restore it from a backup; to start a new memory, delete the empty file",
            )
        if head != _HEADER:
            raise self._error("is not a SQLite database, so not a translation memory")

    def _check_version(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise self._error(
                f"was written by a newer bilingual (schema {version}; this one knows "
                f"{SCHEMA_VERSION})",
                fix="upgrade bilingual; the file is left untouched",
            )
        tables = {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master")}
        if version == 0 and tables:
            raise self._error(
                f"is a SQLite database of another program (tables {', '.join(sorted(tables))})"
            )

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            # read again inside the lock: another process may have migrated meanwhile
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            while version < SCHEMA_VERSION:
                _MIGRATIONS[version](self.db)
                version += 1
                self.db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        """``with memory.transaction():`` one all-or-nothing write."""
        return _Transaction(self)

    # -- units -----------------------------------------------------------------------

    def add_units(
        self, units: Iterable[Unit], *, import_id: int | None = None, replaces: int | None = None
    ) -> int:
        """Store ``units`` (inside the caller's transaction); returns how many were new.

        An identical live unit already stored is not stored twice; nothing is ever
        replaced. ``import_id``: the batch (:meth:`add_import`) they belong to.
        """
        before = self.db.total_changes
        last = int(self.db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0])
        stamp = now()
        rows = (
            (
                # a file name in the origin or article need not be UTF-8; SQLite TEXT must
                u.source_lang, u.source, u.key, u.target_lang, u.target, u.status,
                printable(u.origin), printable(u.article), u.prev, u.next, u.level,
                u.created_at or stamp, u.created_by,
                u.changed_at or u.created_at or stamp, u.changed_by or u.created_by, u.note,
                u.glossary, json.dumps(u.terms, ensure_ascii=False), u.ident, import_id,
                replaces, fold(u.source_lang, u.source), fold(u.target_lang, u.target),
            )
            for u in units
        )  # fmt: skip
        self.db.executemany(
            # ON CONFLICT DO NOTHING skips only a duplicate; OR IGNORE would also drop a
            # unit that fails a CHECK, silently
            "INSERT INTO units (source_lang, source, source_key, target_lang, target,"
            " status, origin, article, prev, next, level, created_at, created_by, changed_at,"
            " changed_by, note, glossary, terms, ident, import_id, replaces, search_source,"
            " search_target) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            rows,
        )
        added = self.db.total_changes - before
        if added:
            _similar.index_units(self.db, last)  # the new units' similarity keys
        return added

    def add_import(
        self,
        kind: str,
        origin: str,
        units: Iterable[Unit],
        *,
        who: str = "",
        note: str = "",
        replaces: int | None = None,
    ) -> tuple[int, int]:
        """Record one import batch and store its ``units`` under it (inside the caller's
        transaction, so the batch and its units are kept together or not at all).
        Returns ``(batch id, new units)``."""
        cursor = self.db.execute(
            "INSERT INTO imports (kind, origin, created_at, created_by, note) VALUES (?,?,?,?,?)",
            (kind, printable(origin), now(), who, note),
        )
        batch = int(cursor.lastrowid or 0)
        added = self.add_units(units, import_id=batch, replaces=replaces)
        self.db.execute("UPDATE imports SET units = ? WHERE id = ?", (added, batch))
        return batch, added

    def units(self) -> Iterator[Unit]:
        """Every live unit, oldest first (a stream: a large memory is not loaded at once)."""
        try:
            for row in self.db.execute(f"SELECT {_COLUMNS} FROM units WHERE {LIVE} ORDER BY id"):
                yield _unit(row)
        except sqlite3.DatabaseError as exc:
            raise self.failure("is damaged", exc) from None

    @_damage_reported
    def lookup(self, queries: Sequence[Query]) -> list[Hit | None]:
        """The best reviewed or approved unit for each query, or None.

        Best: both neighbours match (context), then approved over reviewed, then the
        newest. Machine units are never returned: they are not anyone's review.
        """
        wanted: dict[tuple[str, str, str], list[Unit]] = {}
        query_keys = [source_key(q.source_lang, q.source) for q in queries]
        by_lang: dict[tuple[str, str], set[str]] = {}
        for key, q in zip(query_keys, queries, strict=True):
            by_lang.setdefault((q.target_lang, q.level), set()).add(key)
        for (lang, level), distinct in by_lang.items():
            some = sorted(distinct)
            for chunk, marks in _chunks(some):
                cursor = self.db.execute(
                    f"SELECT source_key, {_COLUMNS} FROM units WHERE target_lang = ? AND "
                    f"level = ? AND status IN ('reviewed', 'approved') AND {LIVE} AND "
                    f"source_key IN ({marks}) ORDER BY id",
                    (lang, level, *chunk),
                )
                for row in cursor:
                    wanted.setdefault((row[0], lang, level), []).append(_unit(row[1:]))
        return [
            self._best(q, wanted.get((key, q.target_lang, q.level), []))
            for key, q in zip(query_keys, queries, strict=True)
        ]

    @_damage_reported
    def article_units(self, articles: Sequence[str], target_lang: str) -> list[Unit]:
        """The reviewed or approved sentence units of these articles (fuzzy candidates)."""
        names = sorted({printable(a) for a in articles})
        out: list[Unit] = []
        for chunk, marks in _chunks(names):
            cursor = self.db.execute(
                f"SELECT {_COLUMNS} FROM units WHERE target_lang = ? AND level = 'sentence' "
                f"AND status IN ('reviewed', 'approved') AND {LIVE} AND article IN ({marks}) "
                "ORDER BY id",
                (target_lang, *chunk),
            )
            out += [_unit(row) for row in cursor]
        return out

    @_damage_reported
    def reviewed_units(self, keys: Sequence[str], targets: Sequence[str]) -> dict[str, list[Unit]]:
        """Source key (:func:`source_key`) -> its reviewed or approved sentence units in
        ``targets``, oldest first: indexed look-ups by key, never a scan of the table."""
        langs = list(dict.fromkeys(targets))
        out: dict[str, list[Unit]] = {}
        for chunk, marks in _chunks(sorted(set(keys))):
            cursor = self.db.execute(
                f"SELECT source_key, {_COLUMNS} FROM units WHERE source_key IN ({marks}) AND "
                f"target_lang IN ({','.join('?' * len(langs))}) AND level = 'sentence' AND "
                f"status IN ('reviewed', 'approved') AND {LIVE} ORDER BY id",
                (*chunk, *langs),
            )
            for row in cursor:
                out.setdefault(str(row[0]), []).append(_unit(row[1:]))
        return out

    @_damage_reported
    def similar(
        self, wanted: Sequence[_similar.Wanted], threshold: float
    ) -> list[_similar.Candidate | None]:
        """The most similar reviewed or approved unit for each (see memory.similar)."""
        return _similar.find_similar(self.db, wanted, threshold)

    @staticmethod
    def _best(query: Query, candidates: Sequence[Unit]) -> Hit | None:
        if not candidates:
            return None
        lang = query.source_lang
        wanted = (source_key(lang, query.prev), source_key(lang, query.next))
        # matching neighbours first, then the newest human word: a reviewer who edits a
        # sentence someone approved earlier is heard (the approval stays in the memory,
        # and the edit, if they approve it too, is approved); ranking approval above a
        # newer edit would hide that edit from every later briefing and edition
        ranked = [
            ((source_key(lang, u.prev), source_key(lang, u.next)) == wanted, k, u)
            for k, u in enumerate(candidates)
        ]
        context, _, best = max(ranked, key=lambda r: r[:2])
        return Hit(best, context)

    # -- machine cache -----------------------------------------------------------------

    @_damage_reported
    def cache_get(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        distinct = list(dict.fromkeys(keys))
        for chunk, marks in _chunks(distinct):
            for key, value in self.db.execute(
                f"SELECT key, value FROM cache WHERE key IN ({marks})", chunk
            ):
                found[str(key)] = str(value)
        return found

    def cache_put(self, items: Iterable[tuple[str, str, str]]) -> None:
        """``(key, model label, value)`` rows, inside the caller's transaction."""
        stamp = now()
        self.db.executemany(
            "INSERT INTO cache (key, model, value, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            ((k, m, v, stamp) for k, m, v in items),
        )

    # -- briefings written ---------------------------------------------------------------

    @_damage_reported
    def written(self, paths: Sequence[Path]) -> dict[Path, str]:
        """The SHA-256 recorded for each DOCX this memory's runs wrote."""
        keys = {_path_key(p): p for p in paths}
        found: dict[Path, str] = {}
        names = list(keys)
        for chunk, marks in _chunks(names):
            for path, digest in self.db.execute(
                f"SELECT path, sha256 FROM briefings WHERE path IN ({marks})", chunk
            ):
                found[keys[str(path)]] = str(digest)
        return found

    def record_written(self, items: Iterable[tuple[Path, str]]) -> None:
        """``(docx, sha256)`` of the briefings a run wrote; inside its transaction."""
        stamp = now()
        self.db.executemany(
            "INSERT INTO briefings VALUES (?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "sha256 = excluded.sha256, written_at = excluded.written_at",
            ((_path_key(p), d, stamp) for p, d in items),
        )

    # -- dismissed findings --------------------------------------------------------------

    def dismiss(self, items: Iterable[tuple[str, str, str, str, str]]) -> None:
        """``(source key, target language, target text, code, who)``; in a transaction."""
        stamp = now()
        self.db.executemany(
            "INSERT INTO dismissed VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ((k, lang, text_hash(t), code, stamp, who) for k, lang, t, code, who in items),
        )

    @_damage_reported
    def dismissed(self, source_keys: Iterable[str]) -> set[tuple[str, str, str, str]]:
        """``(source key, target language, target hash, code)`` dismissed for these keys."""
        distinct = list(dict.fromkeys(source_keys))
        out: set[tuple[str, str, str, str]] = set()
        for chunk, marks in _chunks(distinct):
            for row in self.db.execute(
                "SELECT source_key, target_lang, target_hash, code FROM dismissed "
                f"WHERE source_key IN ({marks})",
                chunk,
            ):
                out.add((str(row[0]), str(row[1]), str(row[2]), str(row[3])))
        return out

    # -- reporting -----------------------------------------------------------------------

    @_damage_reported
    def stats(self) -> Stats:
        counts: dict[tuple[str, str, str], int] = {}
        for lang, status, kind, n in self.db.execute(
            "SELECT target_lang, status, substr(origin, 1, instr(origin || ':', ':') - 1), "
            f"count(*) FROM units WHERE {LIVE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ):
            counts[(str(lang), str(status), str(kind))] = int(n)
        (retired,) = self.db.execute(f"SELECT count(*) FROM units WHERE NOT ({LIVE})").fetchone()
        (cache,) = self.db.execute("SELECT count(*) FROM cache").fetchone()
        (dismissed,) = self.db.execute("SELECT count(*) FROM dismissed").fetchone()
        return Stats(
            self.path,
            SCHEMA_VERSION,
            counts,
            int(cache),
            int(dismissed),
            self.path.stat().st_size,
            int(retired),
        )

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])


class _Transaction:
    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory

    def __enter__(self) -> None:
        try:
            # IMMEDIATE: take the write lock now (waiting up to busy_timeout), so a
            # transaction never fails half-way because another writer got in first
            self.memory.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise self.memory._error(
                    f"is busy ({exc})", fix="another bilingual is writing it; try again"
                ) from None
            raise self.memory.failure("could not be written", exc) from None

    def _roll_back(self) -> None:
        # SQLite rolls back by itself on some errors (a full disk, an I/O error): a
        # ROLLBACK then fails with "no transaction is active" and would hide the cause
        db = self.memory.db
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if kind is None:
            try:
                self.memory.db.execute("COMMIT")
            except sqlite3.Error as error:
                self._roll_back()
                raise self.memory.failure(
                    "could not be written, nothing of this write was kept", error
                ) from None
            return
        self._roll_back()
        if isinstance(exc, sqlite3.Error):
            # nothing of the transaction was kept; say so in the house's terms
            raise self.memory.failure(
                "could not be written, nothing of this write was kept", exc
            ) from exc
