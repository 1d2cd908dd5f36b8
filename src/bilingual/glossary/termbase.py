"""Importing termbases (CSV, TBX) into the glossary, and exporting the glossary as them.

Records from every file given are merged into terms, in two passes. First the records
that have both an Arabic and an English term: one whose English (or given id) is a term
already, from an earlier record or the glossary, adds its Arabic forms and Vietnamese
to it (*merged*), or adds nothing (*duplicate*). Then the records lacking one of the two
(an English-Vietnamese file) join the term of their English, or of their Arabic form:
that is how ``f_en-ar_AR.csv f_en-vi_VN.csv`` become terms with both renderings.

A record is skipped as a *conflict* when it contradicts the glossary or an earlier
record: its Arabic form belongs to a term with another English (the glossary maps each
form to one term), its Vietnamese differs from the term's, its id names a term with
another English, or the term it adds to lives in another file than the one written.
It is *invalid* when it cannot make a term: no Arabic or no English, Arabic with no
Arabic letter (swapped columns), a character no document can hold, a row with the
wrong number of cells. Every skipped record is in the :class:`ImportReport` with its
``file:line`` and reason; nothing already in the glossary is changed but by additions.

New terms get the record's id when it has a usable one (a glossary id with a letter;
TICO-19's ``1``, ``2`` are not), else one made from the English (``1918 flu`` ->
``1918-flu``), unique in the folder.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bilingual._fs import write_bytes_atomically
from bilingual.errors import GlossaryError
from bilingual.glossary.edit import import_terms
from bilingual.glossary.match import FormKey, form_key
from bilingual.glossary.store import load_glossary
from bilingual.glossary.tbcsv import read_csv, write_csv
from bilingual.glossary.tbrecord import Record, Rejected
from bilingual.glossary.tbx import read_tbx, write_tbx
from bilingual.glossary.term import EMPTY, TERM_TYPES, Glossary, Term
from bilingual.glossary.termcheck import Problems, validate_term
from bilingual.glossary.yamlfile import bad_char
from bilingual.lang.ar import is_arabic_letter

Kind = Literal["duplicate", "conflict", "invalid"]
FORMATS = ("csv", "tbx")
_ID = re.compile(r"[a-z0-9_-]+")
_MAX_ID = 60
_form_key = functools.lru_cache(maxsize=1 << 16)(form_key)
"""form_key, asked several times per form while merging (normalising is the cost)."""


@dataclass(frozen=True)
class Skipped:
    """A record that made no change, and why."""

    file: Path
    line: int
    kind: Kind
    reason: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class ImportReport:
    """What an import read, wrote and left out."""

    target: Path | None
    """The glossary file written; None when nothing was new."""
    created: bool
    records: int
    """Rows and entries read, the skipped ones included."""
    imported: int
    """New terms."""
    updated: int
    """Terms of the target file that gained forms or a rendering."""
    merged: int
    """Records folded into a term another record or the glossary made."""
    skipped: tuple[Skipped, ...]
    notices: tuple[str, ...]
    """What was left out of records that were used (a synonym, an ignored column)."""

    def count(self, kind: Kind) -> int:
        return sum(1 for s in self.skipped if s.kind == kind)


def format_of(path: Path, given: str | None) -> str:
    """``csv`` or ``tbx``: ``given``, else by the file's extension."""
    fmt = (given or path.suffix.lstrip(".")).lower()
    if fmt == "tsv":
        return "csv"
    if fmt not in FORMATS:
        raise GlossaryError(
            f"cannot tell the termbase format of {path.name}",
            where=str(path),
            fix=f"name it .csv or .tbx, or say --format {'|'.join(FORMATS)}",
        )
    return fmt


def slug(text: str) -> str:
    """An id made from English text: ASCII letters and digits joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:_MAX_ID].strip("-")
    return out or "term"


def _usable_id(term_id: str | None) -> str | None:
    if term_id is None or not _ID.fullmatch(term_id) or not re.search("[a-z]", term_id):
        return None
    return term_id


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class _Entry:
    """A term being built, or a glossary term records add to."""

    term_id: str
    type: str
    forms: list[str]
    en: str
    vi: str | None
    note: str | None
    where: str
    existing: Term | None = None
    added: dict[str, object] = field(default_factory=dict)
    first: Record | None = None
    avoid: dict[str, list[str]] = field(default_factory=dict)
    """What a TBX entry marks deprecated: the new term's avoid lists."""

    def mapping(self) -> dict[str, object]:
        forms: object = self.forms if len(self.forms) > 1 else self.forms[0]
        out = {"id": self.term_id, "type": self.type, "ar": forms, "en": self.en}
        extra = (("vi", self.vi), ("avoid", self.avoid), ("note", self.note))
        return out | {k: v for k, v in extra if v}


class _Merger:
    """Folds records into terms (see the module docstring for the rules)."""

    def __init__(self, glossary: Glossary, target: Path, default_type: str) -> None:
        self.target = target
        self.default_type = default_type
        self.entries: list[_Entry] = []
        self.by_id: dict[str, _Entry | Term] = {t.id: t for t in glossary.terms}
        self.by_en: dict[str, _Entry | Term] = {}
        self.owners: dict[FormKey, tuple[_Entry | Term, str]] = {}
        for term in glossary.terms:
            if term.renderings.get("en"):  # a draft term may have none yet
                self.by_en.setdefault(_key(term.renderings["en"]), term)
            for form in term.forms:
                self.owners.setdefault(_form_key(form), (term, form))
        self.wrapped: dict[str, _Entry] = {}
        self.dropped_en: dict[str, str] = {}
        self.skipped: list[Skipped] = []
        self.notices: list[str] = []
        self.merged = 0
        self.odd_types: Counter[str] = Counter()

    # -- helpers ---------------------------------------------------------------------------

    def skip(self, record: Record, kind: Kind, reason: str) -> None:
        self.skipped.append(Skipped(record.file, record.line, kind, reason))
        en = record.terms.get("en")
        if en and kind != "duplicate":
            self.dropped_en.setdefault(_key(en[0]), f"{reason} ({record.where})")

    def entry(self, found: _Entry | Term) -> _Entry:
        if isinstance(found, _Entry):
            return found
        if found.id not in self.wrapped:
            self.wrapped[found.id] = _Entry(
                found.id,
                found.type,
                list(found.forms),
                found.renderings.get("en", ""),
                found.renderings.get("vi"),
                found.note,
                f"{found.file}:{found.line}",
                existing=found,
            )
        return self.wrapped[found.id]

    def problem(self, record: Record) -> str | None:
        """Why ``record`` cannot be used at all, or None."""
        for lang, terms in record.terms.items():
            for text in terms:
                char = bad_char(text)
                if char is not None:
                    return f"the {lang} term {text!r} holds {char}, which no document can hold"
        if record.note is not None and (char := bad_char(record.note)) is not None:
            return f"the note holds {char}, which no document can hold"
        ar = record.terms.get("ar", ())
        if ar and not any(_form_key(form)[0] for form in ar):
            return f"the Arabic term {ar[0]!r} has no letters (a form is words to find)"
        return None

    # -- the two passes --------------------------------------------------------------------

    def add(self, record: Record) -> None:
        """Pass one: a record with Arabic and English."""
        ar = [f for f in record.terms["ar"] if _form_key(f)[0]]
        en = record.terms["en"][0]
        given = _usable_id(record.term_id)
        found = self.by_id.get(given) if given else self.by_en.get(_key(en))
        if found is not None:
            entry = self.entry(found)
            if given and _key(entry.en) != _key(en):
                self.skip(
                    record,
                    "conflict",
                    f"id '{given}' is the term {entry.en!r} ({entry.where}), not {en!r}",
                )
                return
            self.join(record, entry, ar)
            return
        free, clashes = self.free_forms(ar, None)
        if not free:
            self.skip(record, "conflict", clashes[0])
            return
        self.notices.extend(f"{record.where}: {c}; the form was left out" for c in clashes)
        term_id = self.new_id(given, en)
        entry = _Entry(
            term_id,
            self.type_of(record),
            free,
            en,
            (record.terms.get("vi") or (None,))[0],
            record.note,
            record.where,
            first=record,
            avoid={lang: list(found) for lang, found in record.avoid.items()},
        )
        self.entries.append(entry)
        self.by_id[term_id] = entry
        self.by_en.setdefault(_key(en), entry)
        for form in free:
            self.owners[_form_key(form)] = (entry, form)
        self.synonyms(record)

    def join(self, record: Record, entry: _Entry, ar: Sequence[str]) -> None:
        """Add what ``record`` has that ``entry`` lacks; say why when it adds nothing."""
        free, clashes = self.free_forms(ar, entry)
        new_forms = [f for f in free if _form_key(f) not in {_form_key(x) for x in entry.forms}]
        vi = (record.terms.get("vi") or (None,))[0]
        if vi is not None and entry.vi is not None and vi != entry.vi:
            clashes.append(
                f"its Vietnamese {vi!r} differs from {entry.vi!r} of '{entry.term_id}' "
                f"({entry.where})"
            )
            vi = None
        new_vi = vi if vi is not None and entry.vi is None else None
        if not new_forms and new_vi is None:
            if clashes:
                self.skip(record, "conflict", clashes[0])
            else:
                self.skip(
                    record, "duplicate", f"same as the term '{entry.term_id}' ({entry.where})"
                )
            return
        if entry.existing is not None and entry.existing.file != self.target:
            self.skip(
                record,
                "conflict",
                f"it adds to the term '{entry.term_id}' of {entry.existing.file.name} "
                f"({entry.where}); import --into {entry.existing.file} to add to it",
            )
            return
        self.notices.extend(f"{record.where}: {c}" for c in clashes)
        entry.forms.extend(new_forms)
        for form in new_forms:
            self.owners[_form_key(form)] = (entry, form)
        if new_forms:
            entry.added["ar"] = list(entry.forms)
        if new_vi is not None:
            entry.vi = entry.added["vi"] = new_vi
        self.merged += 1
        self.synonyms(record)

    def fill(self, record: Record) -> None:
        """Pass two: a record lacking Arabic or English joins the term of the other."""
        en = record.terms.get("en")
        ar = record.terms.get("ar")
        if en is None and ar is None:
            langs = ", ".join(record.terms) or "none"
            self.skip(record, "invalid", f"no Arabic and no English term (languages: {langs})")
            return
        if en is not None:
            found = self.by_en.get(_key(en[0]))
            if found is None:
                dropped = self.dropped_en.get(_key(en[0]))
                if dropped is not None:
                    self.skip(record, "conflict", f"its English term was skipped: {dropped}")
                else:
                    self.skip(
                        record,
                        "invalid",
                        f"no Arabic term for {en[0]!r}, here or in the other files (a "
                        "glossary term needs ar and en): import this file together with "
                        "the one that has the Arabic",
                    )
                return
            self.join(record, self.entry(found), ())
            return
        assert ar is not None
        owner = next((self.owners[k] for f in ar if (k := _form_key(f)) in self.owners), None)
        if owner is None:
            self.skip(
                record,
                "invalid",
                f"no English term for {ar[0]!r}, here or in the other files (a glossary "
                "term needs ar and en): import this file together with the one that has it",
            )
            return
        self.join(record, self.entry(owner[0]), ar)

    def free_forms(self, ar: Sequence[str], entry: _Entry | None) -> tuple[list[str], list[str]]:
        """The forms no other term owns, and a sentence for each one another term owns."""
        free: list[str] = []
        clashes: list[str] = []
        for form in ar:
            owner = self.owners.get(_form_key(form))
            if owner is None or (entry is not None and self.entry(owner[0]) is entry):
                if _form_key(form) not in {_form_key(f) for f in free}:
                    free.append(form)
                continue
            other = self.entry(owner[0])
            clashes.append(
                f"the Arabic {form!r} is already the term '{other.term_id}' ({other.en!r}, "
                f"{other.where}): a form belongs to one term"
            )
        return free, clashes

    def new_id(self, given: str | None, en: str) -> str:
        base = given or slug(en)
        term_id, n = base, 2
        while term_id in self.by_id:
            term_id, n = f"{base[: _MAX_ID - 4]}-{n}", n + 1
        return term_id

    def type_of(self, record: Record) -> str:
        if record.term_type in TERM_TYPES:
            return record.term_type
        if record.term_type and record.file.suffix.lower() != ".tbx":
            self.odd_types[record.term_type] += 1
        return self.default_type

    def synonyms(self, record: Record) -> None:
        for lang in ("en", "vi"):
            extra = record.terms.get(lang, ())[1:]
            if extra:
                self.notices.append(
                    f"{record.where}: {lang} synonym(s) {', '.join(map(repr, extra))} left "
                    "out: a term has one rendering per language"
                )
        self.notices.extend(f"{record.where}: {d}" for d in record.dropped)


def _read(
    path: Path, fmt: str | None, columns: str | None, encoding: str | None
) -> tuple[list[Record], list[Rejected], tuple[str, ...]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(
            f"cannot be read ({exc.strerror or exc})",
            where=str(path),
            fix="check the path and that the file is readable",
        ) from None
    if format_of(path, fmt) == "tbx":
        return read_tbx(path, data), [], ()
    return read_csv(path, data, columns=columns, encoding=encoding)


def _check_swapped(path: Path, records: Sequence[Record]) -> None:
    """Refuse a file whose Arabic is mostly not Arabic: its columns are mixed up. (One
    Latin form is a form like any other: a name printed in Latin letters, ``NLĐ``.)"""
    with_ar = [r for r in records if r.terms.get("ar")]
    latin = [r for r in with_ar if not any(any(map(is_arabic_letter, f)) for f in r.terms["ar"])]
    if len(latin) >= 2 and len(latin) * 2 > len(with_ar):
        first = latin[0]
        raise GlossaryError(
            f"{len(latin)} of its {len(with_ar)} Arabic terms have no Arabic letter (the "
            f"first, {first.terms['ar'][0]!r}, at line {first.line}): are the columns "
            "swapped?; nothing was imported",
            where=str(path),
            fix="say which column is which: --columns ar=N,en=M (0-based) or header names",
        )


def default_target(folder: Path, first: Path) -> Path:
    """A new file in ``folder`` named after the first termbase, never an existing one."""
    base = slug(first.stem)
    target, n = folder / f"{base}.yaml", 2
    while target.exists() or target.is_symlink():
        target, n = folder / f"{base}-{n}.yaml", n + 1
    return target


def import_termbase(
    files: Sequence[Path],
    *,
    folder: Path,
    into: Path | None = None,
    fmt: str | None = None,
    columns: str | None = None,
    encoding: str | None = None,
    default_type: str = "term",
) -> ImportReport:
    """Merge the termbases ``files`` into the glossary ``folder`` (see the module doc).

    New terms go to ``into`` (which may exist: its comments and order are kept) or to a
    new file named after the first termbase. The folder must be valid; every file is
    read before anything is written, and a file that cannot be read at all (not UTF-8,
    not XML, no language columns) raises :class:`GlossaryError` with nothing written.
    """
    if default_type not in TERM_TYPES:
        raise GlossaryError(
            f"unknown type {default_type!r}", fix=f"use one of: {' | '.join(TERM_TYPES)}"
        )
    folder = into.parent if into is not None else folder
    glossary = load_glossary(folder) if folder.is_dir() else EMPTY
    target = into if into is not None else default_target(folder, files[0])
    merger = _Merger(glossary, target, default_type)
    records: list[Record] = []
    total = 0
    for path in files:
        found, rejected, notices = _read(path, fmt, columns, encoding)
        _check_swapped(path, found)
        total += len(found) + len(rejected)
        records.extend(found)
        merger.skipped.extend(Skipped(r.file, r.line, "invalid", r.reason) for r in rejected)
        merger.notices.extend(f"{path}: {notice}" for notice in notices)
    usable: list[Record] = []
    for record in records:
        problem = merger.problem(record)
        if problem is not None:
            merger.skip(record, "invalid", problem)
        else:
            usable.append(record)
    for record in usable:
        if "ar" in record.terms and "en" in record.terms:
            merger.add(record)
    for record in usable:
        if "ar" not in record.terms or "en" not in record.terms:
            merger.fill(record)
    for kind, n in merger.odd_types.items():
        merger.notices.append(f"type {kind!r} ({n} row(s)) is no glossary type: '{default_type}'")
    return _write(merger, target, total, files)


def _write(merger: _Merger, target: Path, total: int, files: Sequence[Path]) -> ImportReport:
    new = [_checked(merger, e) for e in merger.entries]
    terms = [m for m in new if m is not None]
    changes = {e.term_id: e.added for e in merger.wrapped.values() if e.added}
    created = not target.exists()
    if terms or changes:
        import_terms(target, terms, changes)
    order = {path: n for n, path in enumerate(files)}
    skipped = sorted(merger.skipped, key=lambda s: (order[s.file], s.line))
    return ImportReport(
        target=target if terms or changes else None,
        created=created and bool(terms or changes),
        records=total,
        imported=len(terms),
        updated=len(changes),
        merged=merger.merged,
        skipped=tuple(skipped),
        notices=tuple(merger.notices),
    )


def _checked(merger: _Merger, entry: _Entry) -> dict[str, object] | None:
    """The term's mapping when it passes the glossary's own checks (it should)."""
    mapping = entry.mapping()
    problems = Problems()
    if validate_term(mapping, 1, merger.target, 0, problems, lambda k, s: None).term is None:
        assert entry.first is not None
        merger.skip(entry.first, "invalid", "; ".join(problems.items))
        return None
    return mapping


def export_glossary(glossary: Glossary, path: Path, *, fmt: str | None, description: str) -> int:
    """Write every term of ``glossary`` to ``path`` as CSV or TBX-Basic; the count."""
    if not glossary.terms:
        raise GlossaryError(
            "the glossary has no terms: nothing to export",
            fix="check the glossary folder (`bilingual glossary check`)",
        )
    kind = format_of(path, fmt)
    data = write_tbx(glossary.terms, description=description) if kind == "tbx" else None
    data = data if data is not None else write_csv(glossary.terms)
    write_bytes_atomically(path, data, what=f"the {kind.upper()} export")
    return len(glossary.terms)


def summary(report: ImportReport) -> Mapping[str, int]:
    """The report's counts, in the order the CLI prints them."""
    return {
        "read": report.records,
        "imported": report.imported,
        "updated": report.updated,
        "merged": report.merged,
        "duplicates": report.count("duplicate"),
        "conflicts": report.count("conflict"),
        "invalid": report.count("invalid"),
    }
