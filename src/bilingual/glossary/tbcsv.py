"""Termbases as CSV: reading spreadsheets' exports, and writing the glossary as one.

Reading takes what spreadsheets and termbase tools write: UTF-8 with or without a byte
order mark, UTF-16 with one (Excel's "Unicode text"), a comma, ``;`` (Excel in many
locales), tab or ``|`` between cells (:class:`csv.Sniffer` on the first lines), and the
languages named by their column headers (``ar``, ``ar_AR``, ``en-US``, ``Arabic``) or per
row (``sourceLang``/``targetLang`` with ``sourceString``/``targetString``, as TICO-19 and
many tools export pairs). ``--columns ar=0,en=2`` (0-based indexes, or header names)
says it where the headers do not. A file in Windows-1256 or ISO-8859-6 is recognised as
the article reader recognises it (and a notice says so); any other code page is refused
with the encoding it most likely is and how to say so (``--encoding``).

Writing gives one row per Arabic form (``id,type,ar,en,vi,note``), the canonical form
first: the reader folds rows with the same id back into one term. A cell that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written after a single
quote, so that a spreadsheet shows it as text instead of running it as a formula; the
reader takes that quote off again.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import GlossaryError
from bilingual.glossary.tbrecord import (
    GLOSSARY_LANGS,
    OTHER,
    Record,
    Rejected,
    clean,
    header_language,
    language_code,
)
from bilingual.glossary.term import TERM_KEYS, Term
from bilingual.lang.ar import is_arabic_letter
from bilingual.readers.decode import legacy_decoding, legacy_notice

_FIELDS = {"id": "id", "type": "type", "note": "note", "notes": "note", "comment": "note"}
_FIELDS |= {"comments": "note", "definition": "note", "description": "note", "remark": "note"}
_PAIR = {
    "sourcelang": "source_lang",
    "sourcelanguage": "source_lang",
    "srclang": "source_lang",
    "targetlang": "target_lang",
    "targetlanguage": "target_lang",
    "tgtlang": "target_lang",
    "sourcestring": "source",
    "sourceterm": "source",
    "source": "source",
    "targetstring": "target",
    "targetterm": "target",
    "target": "target",
}
MAX_CELL = 10_000
"""The most characters one cell may hold: a term is a few words, a note a paragraph. A
row with a longer cell is left out (and reported with its line), the others imported."""
_SNIFF_CHARS = 1 << 16
_COLUMNS_FIX = "say which column holds what: --columns ar=0,en=1 (0-based indexes or header names)"


@dataclass(frozen=True)
class Layout:
    """Which column holds what: a language, a field (id, type, note), or a language pair."""

    langs: Mapping[str, int]
    fields: Mapping[str, tuple[int, ...]]
    pair: Mapping[str, int]
    """``source_lang``, ``target_lang``, ``source``, ``target`` -> column, when per row."""
    header: bool
    ignored: tuple[str, ...] = ()


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, tuple[str, ...]]:
    """The text of a CSV file and the notice of a legacy code page: the given encoding,
    else a byte order mark's, else UTF-8, else Windows-1256 or ISO-8859-6 as the article
    reader detects them (:func:`~bilingual.readers.decode.legacy_decoding`)."""
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), ()
        except LookupError:
            raise GlossaryError(
                f"unknown encoding {encoding!r}",
                fix="name one Python knows, e.g. --encoding windows-1256 or iso-8859-6",
            ) from None
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise GlossaryError(
                f"is not {encoding} text: byte 0x{data[exc.start]:02X} cannot be decoded",
                where=f"{path}:{line}",
                fix="check the encoding the file was saved in",
            ) from None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if data.startswith(bom):
            return _strict(path, data[len(bom) :], codec, len(bom)), ()
    if data.startswith(codecs.BOM_UTF16_BE):
        return _strict(path, data[2:], "utf-16-be", 2), ()
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        legacy = legacy_decoding(data)
        if legacy is None:
            return _strict(path, data, "utf-8", 0), ()  # raises, naming the likely encoding
        text, codec = legacy
        return text, (legacy_notice(codec),)


def _strict(path: Path, data: bytes, codec: str, skipped: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        high = bytes(b for b in data if b >= 0x80).decode("cp1256", errors="replace")
        arabic = sum(1 for ch in high if is_arabic_letter(ch)) * 2 > len(high)
        guess = "windows-1256" if arabic else "latin-1"
        raise GlossaryError(
            f"is not {codec.upper()} text: byte 0x{data[exc.start]:02X} at byte offset "
            f"{exc.start + skipped} is invalid; it is probably {guess} "
            f"({'Arabic Windows' if arabic else 'Western'} code page) text",
            where=f"{path}:{line}",
            fix=f"say its encoding: --encoding {guess} (or save it as CSV UTF-8)",
        ) from None


def sniff_delimiter(text: str) -> str:
    """The cell delimiter of ``text``: ``,`` ``;`` tab or ``|``, by its first lines."""
    # the first 64 kB at most: the Sniffer's patterns on a megabyte cell take minutes
    sample = "\n".join(text[:_SNIFF_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _header_key(cell: str) -> str:
    return "".join(cell.lower().split()).replace("_", "").replace("-", "")


def _detect(header: Sequence[str]) -> Layout:
    """The layout a header row names; columns it cannot place are listed as ignored."""
    langs: dict[str, int] = {}
    fields: dict[str, list[int]] = {}
    pair: dict[str, int] = {}
    ignored: list[str] = []
    for i, cell in enumerate(header):
        key = _header_key(cell)
        if key in _PAIR and _PAIR[key] not in pair:
            pair[_PAIR[key]] = i
        elif key in _FIELDS:
            fields.setdefault(_FIELDS[key], []).append(i)
        elif (lang := header_language(cell)) in GLOSSARY_LANGS and lang not in langs:
            langs[lang] = i
        else:
            ignored.append(cell or f"#{i}")
    if len(pair) != 4:
        ignored.extend(header[i] for i in pair.values())
        pair = {}
    return Layout(langs, {k: tuple(v) for k, v in fields.items()}, pair, True, tuple(ignored))


def _given(spec: str, header: Sequence[str]) -> tuple[Layout, bool]:
    """The layout ``--columns`` says, and whether it named a header (so there is one)."""
    langs: dict[str, int] = {}
    fields: dict[str, list[int]] = {}
    named = False
    for part in filter(None, (p.strip() for p in spec.split(","))):
        what, sep, column = (s.strip() for s in part.partition("="))
        if not sep or not what or not column:
            raise GlossaryError(f"--columns: {part!r} is not KEY=COLUMN", fix=_COLUMNS_FIX)
        if column.isdigit():
            index = int(column)
        else:
            keys = [_header_key(h) for h in header]
            if _header_key(column) not in keys:
                raise GlossaryError(
                    f"--columns: no column is headed {column!r} (the header is: "
                    f"{', '.join(header)})",
                    fix=_COLUMNS_FIX,
                )
            index, named = keys.index(_header_key(column)), True
        key = _FIELDS.get(what.lower()) or language_code(what)
        if key in (None, OTHER):
            raise GlossaryError(
                f"--columns: {what!r} is not a language the glossary holds nor a field",
                fix=f"use {', '.join(GLOSSARY_LANGS)} for languages, or id, type, note",
            )
        assert key is not None
        if key in GLOSSARY_LANGS:
            langs[key] = index
        else:
            fields.setdefault(key, []).append(index)
    if not langs:
        raise GlossaryError(f"--columns {spec!r} names no language column", fix=_COLUMNS_FIX)
    layout = Layout(langs, {k: tuple(v) for k, v in fields.items()}, {}, True)
    return layout, named


def _layout(path: Path, first: Sequence[str], columns: str | None) -> Layout:
    if columns is not None:
        layout, named = _given(columns, first)
        used = [*layout.langs.values(), *(i for f in layout.fields.values() for i in f)]
        if max(used) >= len(first):
            raise GlossaryError(
                f"--columns names column {max(used)}, but the rows have {len(first)} "
                f"(0 to {len(first) - 1}: {', '.join(repr(c) for c in first[:8])})",
                where=f"{path}:1",
                fix=_COLUMNS_FIX,
            )
        ar = layout.langs.get("ar")
        # index-only columns: the first row is a header unless it holds the first term
        if named:
            header = True
        elif ar is not None:
            header = not any(map(is_arabic_letter, first[ar]))
        else:
            header = bool(_detect(first).langs)
        return Layout(layout.langs, layout.fields, {}, header)
    layout = _detect(first)
    if layout.pair or len(layout.langs) >= 2:
        return layout
    found = ", ".join(f"{lang} (column {i})" for lang, i in layout.langs.items()) or "none"
    raise GlossaryError(
        f"cannot tell which columns hold which language: the first row is "
        f"{', '.join(repr(c) for c in first[:8])}; language columns found: {found}",
        where=f"{path}:1",
        fix="head the columns with language codes (ar, en, vi; ar_AR and en-US work too), "
        f"or {_COLUMNS_FIX}",
    )


def _rows(
    path: Path, text: str, delimiter: str
) -> Generator[tuple[int, list[str] | Rejected], None, None]:
    """(line where the row starts, its cells or why it was left out), skipping blank rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    limit = csv.field_size_limit(len(text) + 1)  # a long cell is reported below, by line
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # the reader goes on at the next line
                yield start, Rejected(path, start, f"the row is not readable as CSV ({exc})")
            else:
                longest = max(map(len, cells), default=0)
                if longest > MAX_CELL:
                    yield (
                        start,
                        Rejected(
                            path,
                            start,
                            f"a cell holds {longest:,} characters (the limit is {MAX_CELL:,}): "
                            "no term or note is that long (an unclosed quote runs on to the end "
                            "of the file)",
                        ),
                    )
                elif any(c.strip() for c in cells):
                    yield start, cells
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(limit)  # the limit is the csv module's, shared by everyone


def read_csv(
    path: Path, data: bytes, *, columns: str | None = None, encoding: str | None = None
) -> tuple[list[Record], list[Rejected], tuple[str, ...]]:
    """The records and rejected rows of a CSV termbase, and notices (the encoding
    detected, the columns left out)."""
    text, notices = decode(path, data, encoding)
    if not text.strip():
        raise GlossaryError(
            "is empty: no header and no rows",
            where=str(path),
            fix="export the termbase again, with a header row such as ar,en,vi",
        )
    delimiter = sniff_delimiter(text)
    rejected: list[Rejected] = []
    rows: list[tuple[int, list[str]]] = []
    with contextlib.closing(_rows(path, text, delimiter)) as read:  # restores the limit
        for line, row in read:
            if isinstance(row, Rejected):
                if not rows:  # the header (or first row), without which no row can be read
                    raise GlossaryError(
                        f"{row.reason}; nothing was imported",
                        where=row.where,
                        fix="save it again from the spreadsheet as CSV",
                    )
                rejected.append(row)
            else:
                rows.append((line, row))
    if not rows:
        raise GlossaryError(
            "holds no cell with text: no header and no rows",
            where=str(path),
            fix="export the termbase again, with a header row such as ar,en,vi",
        )
    layout = _layout(path, rows[0][1], columns)
    width = len(rows[0][1])
    records: list[Record] = []
    for line, cells in rows[1:] if layout.header else rows:
        if len(cells) != width:
            rejected.append(_width_problem(path, line, len(cells), width, delimiter, layout))
            continue
        record = _record(path, line, cells, layout)
        if isinstance(record, Rejected):
            rejected.append(record)
        else:
            records.append(record)
    rejected.sort(key=lambda r: r.line)
    if layout.ignored:
        notices += (f"columns left out: {', '.join(layout.ignored)}",)
    return records, rejected, notices


def _width_problem(
    path: Path, line: int, cells: int, width: int, delimiter: str, layout: Layout
) -> Rejected:
    what = "the header" if layout.header else "the first row"
    shown = {"\t": "a tab", ",": "a comma", ";": "a semicolon", "|": "a bar"}[delimiter]
    return Rejected(
        path,
        line,
        f"the row has {cells} cells, {what} {width}: a value holding {shown} must be "
        f'quoted ("..."), or a cell is missing',
    )


def _record(path: Path, line: int, cells: Sequence[str], layout: Layout) -> Record | Rejected:
    cells = [restored(c) for c in cells]  # the quote that write_csv put before a formula
    terms: dict[str, list[str]] = {lang: [clean(cells[i])] for lang, i in layout.langs.items()}
    if layout.pair:
        for side in ("source", "target"):
            raw = cells[layout.pair[f"{side}_lang"]]
            lang = language_code(raw)
            if lang is None or lang == OTHER:
                why = "is not a language code" if lang is None else "is not a glossary language"
                return Rejected(
                    path,
                    line,
                    f"{side} language {raw.strip()!r} {why} (the glossary holds "
                    f"{', '.join(GLOSSARY_LANGS)}; ar_AR, en-US and the like work)",
                )
            terms.setdefault(lang, []).append(clean(cells[layout.pair[side]]))
    fields = {
        key: "; ".join(filter(None, (cells[i].strip() for i in indexes)))
        for key, indexes in layout.fields.items()
    }
    return Record(
        path,
        line,
        {lang: tuple(t for t in found if t) for lang, found in terms.items() if any(found)},
        term_id=fields.get("id") or None,
        term_type=fields.get("type") or None,
        note=fields.get("note") or None,
    )


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection)."""


def neutral(cell: str) -> str:
    """``cell`` made inert for a spreadsheet: one that begins as a formula would is
    written after a single quote, which Excel and LibreOffice show as text."""
    return f"'{cell}" if cell.startswith(_FORMULA) else cell


def restored(cell: str) -> str:
    """``cell`` as it was before :func:`neutral`: the quote comes off only where export
    put it, before a formula's first character, so a term such as ``'s`` is kept."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA) else cell


def write_csv(terms: Sequence[Term]) -> bytes:
    """The glossary as CSV (UTF-8 with a byte order mark, which Excel needs to read it)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    # a termbase has no draft status (and a CSV no forbidden terms): CAT tools and the
    # import read these columns
    writer.writerow([key for key in TERM_KEYS if key not in ("status", "avoid")])
    for term in terms:
        for form in term.forms:
            writer.writerow(
                neutral(cell)
                for cell in [
                    term.id,
                    term.type,
                    form,
                    *(term.renderings.get(k, "") for k in GLOSSARY_LANGS[1:]),
                    term.note or "",
                ]
            )
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
