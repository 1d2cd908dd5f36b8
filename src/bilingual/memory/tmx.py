"""TMX 1.4b exchange for the translation memory: :func:`export_tmx` and :func:`import_tmx`.

Both stream, so a memory or a file of any size runs in bounded memory. Export writes one
``<tu>`` at a time with lxml's incremental ``xmlfile`` into a temporary sibling that
replaces the target only once complete (:func:`bilingual._fs.write_atomically`): an
interrupted export leaves the old file, or none. Import reads with ``iterparse`` and
drops every ``<tu>`` once used, and stores all its units in one transaction: a failure
or a kill midway leaves none of that import. A file that declares or refers to XML
entities is refused whole (:mod:`bilingual._xml`): they are never expanded or fetched,
and dropping them would store the text without their words; a DOCTYPE that only names
``tmx14.dtd``, as CAT tools and the export write, is read.

What a unit's fields become in TMX, and come back from:

* source and target: ``<tuv xml:lang="ar"><seg>``. On import a TU may hold several
  targets (one unit per known target language, the first ``<tuv>`` of each); language
  tags match on their primary subtag (``ar-SA``, ``AR``, ``ar_EG`` are ``ar``), from
  ``xml:lang`` or TMX 1.1's ``lang``; the source language is the TU's ``srclang``, else
  the header's, else the caller's. Inline codes (``bpt ept ph it ut``) hold the
  original format's native codes, not text, and are dropped; ``hi`` keeps its text.
* status, origin, article, level, glossary signature and terms: ``<prop
  type="x-status">``, ``x-origin``, ``x-article``, ``x-level``, ``x-glossary`` and
  ``x-terms`` (a JSON list of ``[term id, rendering]``). On import the status is
  ``x-status`` when it is a valid one, else reviewed; the level is ``x-level``, else the
  TU's or the header's ``segtype``; the origin is always ``tmx:<file name>``.
* prev and next (the neighbours' source text): ``<prop type="prev">`` and
  ``<prop type="next">``, exactly as OmegaT writes the context of its context-bound
  ("alternative") translations in ``project_save.tmx`` (``ProjectTMX.PROP_PREV`` and
  ``PROP_NEXT`` in OmegaT's source), so the context survives a trip through OmegaT.
* created/changed at/by: ``creationdate``, ``creationid``, ``changedate``, ``changeid``
  on the ``<tu>`` (dates as ``YYYYMMDDThhmmssZ``, UTC). On import the target
  ``<tuv>``'s attributes win over the ``<tu>``'s (OmegaT writes them on the target
  ``<tuv>``); an importing ``who`` stands in for a missing creationid.
* note: ``<note>`` (the TU's and the target ``<tuv>``'s, one per line).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from bilingual import _xml
from bilingual._fs import write_atomically
from bilingual.errors import OutputError, TmxError
from bilingual.lang import LANGUAGES
from bilingual.memory.schema import LIVE
from bilingual.memory.store import STATUSES, Level, Status, TranslationMemory, Unit

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ALL = "*all*"
_TMX_DATE = "%Y%m%dT%H%M%SZ"
_TMX_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?")
# XML 1.0 (section 2.2, Char) allows only tab, LF, CR and these ranges; anything else (C0
# controls such as \x01 or \x0b pasted from Word, U+FFFE, U+FFFF) cannot be written even
# as a character reference, so lxml refuses it and the file would not be XML. Such
# characters carry no translatable content, so they are dropped, as OmegaT does.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NATIVE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
_STATUS: dict[str, Status] = {status: status for status in STATUSES}
_LEVEL: dict[str, Level] = {
    "sentence": "sentence",
    "phrase": "sentence",
    "paragraph": "paragraph",
    "block": "paragraph",
}
_EXAMPLES = 8
"""How many distinct language tags a report or an error names."""
_PROPS = ("x-status", "x-origin", "x-article", "x-level", "x-glossary", "x-terms", "prev", "next")


@dataclass(frozen=True)
class TmxImport:
    """What :func:`import_tmx` read and stored."""

    path: Path
    source_lang: str
    """The source language the file was read with (header ``srclang`` or the caller's)."""
    tus: int
    """``<tu>`` elements read."""
    units: int
    """Units read: one per TU and known target language."""
    added: int
    """Units the memory did not hold yet."""
    already_present: int
    """Units the memory already held (or that an earlier TU of the file repeated)."""
    skipped_language: int
    """TUs without the source language or without a known target language."""
    languages: tuple[str, ...]
    """A few language tags those skipped TUs held besides the source language's
    (``(none)``: a TU without any other language)."""
    skipped_empty: int
    """TUs whose source or every known target is empty."""


# -- export ------------------------------------------------------------------------------


def export_tmx(memory: TranslationMemory, path: Path, *, version: str) -> int:
    """Write every unit of ``memory``, oldest first, to ``path`` as TMX 1.4b.

    Returns how many units were written. The file appears only once complete; an
    ``OSError`` becomes an :class:`~bilingual.errors.OutputError` naming it.
    """
    _refuse_overwrite(path)
    written = 0

    def write(tmp: Path) -> None:
        nonlocal written
        with _snapshot(memory.db), tmp.open("wb") as fh:
            srclang = _header_srclang(memory.db)
            written = _write_tmx(fh, memory.units(), srclang, version)

    write_atomically([(path, write)], what="the TMX file")
    return written


def _refuse_overwrite(path: Path) -> None:
    """A file already at ``path`` is replaced only when it is a TMX (an older export):
    ``memory export`` given a reviewed DOCX's name by mistake must not destroy it."""
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        head = b""
    if path.is_file() and b"<tmx" in head.lower():
        return
    raise OutputError(
        "exists and is not a TMX file: it is not replaced by the export",
        where=str(path),
        fix="give a new file name, or a .tmx file to replace",
    )


@contextlib.contextmanager
def _snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: the header's srclang and the units come from one state."""
    if db.in_transaction:  # the caller's own transaction is snapshot enough
        yield
        return
    db.execute("BEGIN")  # deferred: a reader never blocks writers in WAL mode
    try:
        yield
    finally:
        db.execute("ROLLBACK")  # nothing was written; this only ends the snapshot


def _header_srclang(db: sqlite3.Connection) -> str:
    langs = [
        str(row[0])
        for row in db.execute(f"SELECT DISTINCT source_lang FROM units WHERE {LIVE} LIMIT 2")
    ]
    return langs[0] if len(langs) == 1 else _ALL


def _xmlfile(fh: IO[bytes]) -> Any:
    # lxml-stubs types the incremental writer loosely (Any); so does this helper
    return etree.xmlfile(fh, encoding="utf-8")


def _write_tmx(fh: IO[bytes], units: Iterable[Unit], srclang: str, version: str) -> int:
    written = 0
    with _xmlfile(fh) as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xf.element("tmx", version="1.4"):
            header = etree.Element(
                "header",
                creationtool="bilingual",
                creationtoolversion=xml_text(version),
                datatype="plaintext",
                segtype="sentence",
                adminlang="en",
                srclang=srclang,
            )
            header.set("o-tmf", "bilingual SQLite")
            xf.write("\n  ", header, "\n  ")
            with xf.element("body"):
                for unit in units:
                    xf.write("\n    ", _tu(unit, mixed=srclang == _ALL))
                    written += 1
                xf.write("\n  ")
            xf.write("\n")
    return written


def _tu(unit: Unit, *, mixed: bool) -> etree._Element:
    tu = etree.Element("tu", tuid=tuid(unit))
    if mixed:
        tu.set("srclang", unit.source_lang)
    for name, value in (
        ("creationdate", tmx_date(unit.created_at)),
        ("creationid", unit.created_by),
        ("changedate", tmx_date(unit.changed_at)),
        ("changeid", unit.changed_by),
    ):
        if value:
            tu.set(name, xml_text(value))
    if unit.note:
        etree.SubElement(tu, "note").text = xml_text(unit.note)
    terms = json.dumps(unit.terms, ensure_ascii=False) if unit.terms else ""
    values = (unit.status, unit.origin, unit.article, unit.level, unit.glossary, terms)
    for kind, value in zip(_PROPS, (*values, unit.prev, unit.next), strict=True):
        if value:
            etree.SubElement(tu, "prop", type=kind).text = xml_text(value)
    for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = xml_text(text)
    return tu


def tuid(unit: Unit) -> str:
    """A stable id: a hash of the fields that make a unit distinct in the memory (its
    source, languages, target, context, level and status), so the same unit gets the same
    tuid in every export and from every memory."""
    fields = (
        unit.source_lang, unit.source, unit.target_lang, unit.target, unit.prev, unit.next,
        unit.level, unit.status,
    )  # fmt: skip
    return hashlib.sha1("\x00".join(fields).encode()).hexdigest()[:20]


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def tmx_date(iso: str) -> str:
    """ISO 8601 (``2026-12-01T21:11:08+00:00``) -> TMX's ``20261201T211108Z``; '' if none."""
    if not iso:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC).strftime(_TMX_DATE)


def iso_date(tmx: str | None) -> str:
    """TMX's ``YYYYMMDDThhmmssZ`` -> ISO 8601 in UTC as the memory stores it; '' if not one."""
    match = _TMX_DATE_RE.fullmatch(tmx.strip()) if tmx else None
    if match is None:
        return ""
    year, month, day, hour, minute, second = map(int, match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC).isoformat()
    except ValueError:
        return ""


# -- import ------------------------------------------------------------------------------


def primary_language(tag: str) -> str:
    """The primary subtag of a language tag, lower-case: ``ar-SA``, ``AR``, ``ar_EG`` -> ar."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def import_tmx(
    memory: TranslationMemory, path: Path, *, source_lang: str = "ar", who: str = ""
) -> TmxImport:
    """Store the translation units of the TMX file ``path`` in ``memory``.

    All in one transaction: a failure leaves none of them. Raises
    :class:`~bilingual.errors.TmxError` (with ``path:line``) for a file that cannot be
    read, is not well-formed XML or not TMX, or in which no TU has both the source
    language and a known target language.
    """
    reader = _Reader(path, primary_language(source_lang), who)
    try:
        with path.open("rb") as fh, memory.transaction():
            declared = _xml.declared_entities(fh.read(_xml.PROLOG_BYTES))
            if declared is not None:  # before parsing: libxml2 calls a bomb "not well-formed"
                raise reader.entities_error(declared)
            fh.seek(0)
            events = _iterparse(fh)
            # one import batch (``memory imports``), written with its units
            _, added = memory.add_import(
                "tmx", str(path), reader.units(events), who=who or getpass.getuser()
            )
            reader.check()
    except OSError as exc:
        raise TmxError(
            f"cannot be read ({exc.strerror or exc})",
            where=str(path),
            fix="check the path and that the file is readable",
        ) from None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or exc.position[0]
        raise TmxError(
            f"is not well-formed XML ({exc.msg}); nothing was imported",
            where=f"{path}:{line}",
            fix="export the TMX again from its tool, or repair the XML at that line",
        ) from None
    return reader.report(added)


def _iterparse(fh: IO[bytes]) -> Any:
    # End events of these three tags only: the tree still grows under them, which
    # _Reader.units prunes after every <tu>. The settings of bilingual._xml.parser: a TMX
    # never needs entities, a DTD or the network, and a hostile file gets none (no XXE).
    return etree.iterparse(
        fh,
        events=("end",),
        tag=("header", "body", "tu"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )


class _Reader:
    """Turns ``<tu>`` elements into units, counting what it skips."""

    def __init__(self, path: Path, source_lang: str, who: str) -> None:
        self.path = path
        self.source_lang = source_lang
        self.who = who
        self.origin = f"tmx:{path.name}"
        self.level: Level = "sentence"
        self.root_checked = False
        self.body = False
        self.tus = self.units_read = self.skipped_language = self.skipped_empty = 0
        self.skipped_tags: dict[str, None] = {}
        self.all_tags: dict[str, None] = {}

    def units(self, events: Iterable[tuple[str, etree._Element]]) -> Iterator[Unit]:
        for _, elem in events:
            if not self.root_checked:
                self._check_root(elem.getroottree().getroot())
            if elem.tag == "header":
                self._header(elem)
            elif elem.tag == "body":
                self.body = True
            elif (parent := elem.getparent()) is not None and parent.tag == "body":
                yield from self._tu(elem)
                # bounded memory: drop this TU and the comments and TUs before it
                elem.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs lack it
                while elem.getprevious() is not None:
                    del parent[0]
        root = getattr(events, "root", None)
        if not self.root_checked and root is not None:
            self._check_root(root)
        if not self.body:
            raise self._not_tmx("has no <body>", root)

    def _check_root(self, root: etree._Element) -> None:
        self.root_checked = True
        if root.tag != "tmx":
            raise self._not_tmx(f"is not TMX: its root element is <{root.tag}>, not <tmx>", root)
        declared = _xml.declared_in(root)
        if declared:  # a DOCTYPE that only names tmx14.dtd declares none: it is accepted
            raise self.entities_error(declared)

    def entities_error(self, names: Iterable[str], line: object = None) -> TmxError:
        """A TMX that declares or uses entities: refused whole, as TBX and XLIFF are."""
        return TmxError(
            _xml.entities_what(names),
            where=f"{self.path}:{line}" if line else str(self.path),
            fix=_xml.ENTITIES_FIX,
        )

    def _not_tmx(self, what: str, elem: etree._Element | None) -> TmxError:
        line = elem.sourceline if elem is not None else None
        return TmxError(
            what,
            where=f"{self.path}:{line}" if line else str(self.path),
            fix="give a TMX file (a <tmx> root holding <header> and <body>)",
        )

    def _header(self, header: etree._Element) -> None:
        srclang = header.get("srclang", "").strip()
        if srclang and srclang.lower() != _ALL:
            self.source_lang = primary_language(srclang)
        self.level = _LEVEL.get(header.get("segtype", "").lower(), "sentence")
        header.clear(keep_tail=True)  # type: ignore[call-arg]

    def _tu(self, tu: etree._Element) -> Iterator[Unit]:
        self.tus += 1
        used = _xml.references(tu)
        if used:  # never expanded, and dropping one would store the text without it
            raise self.entities_error(used, tu.sourceline)
        props: dict[str, str] = {}
        notes: list[str] = []
        tuvs: list[tuple[str, str, etree._Element]] = []  # (language, tag as written, tuv)
        for child in tu:
            if child.tag == "prop":
                props.setdefault(child.get("type", ""), child.text or "")
            elif child.tag == "note":
                notes.append(child.text or "")
            elif child.tag == "tuv":
                tag = child.get(_XML_LANG) or child.get("lang") or ""
                tuvs.append((primary_language(tag), tag, child))
        srclang = tu.get("srclang", "").strip()
        source_lang = primary_language(srclang) if srclang and srclang != _ALL else self.source_lang
        source = next((tuv for lang, _, tuv in tuvs if lang == source_lang), None)
        targets: dict[str, etree._Element] = {}
        for lang, tag, tuv in tuvs:
            self._seen(self.all_tags, tag)
            if lang != source_lang and lang in LANGUAGES:
                targets.setdefault(lang, tuv)
        if source is None or not targets:
            self.skipped_language += 1
            for tag in [tag for lang, tag, _ in tuvs if lang != source_lang] or [""]:
                self._seen(self.skipped_tags, tag)
            return
        source_text = segment_text(source)
        made = 0
        for lang, tuv in targets.items():
            target = segment_text(tuv)
            if source_text.strip() and target.strip():
                made += 1
                yield self._unit(tu, tuv, props, notes, (source_lang, source_text, lang, target))
        self.units_read += made
        if not made:
            self.skipped_empty += 1

    def _unit(
        self,
        tu: etree._Element,
        tuv: etree._Element,
        props: dict[str, str],
        notes: list[str],
        texts: tuple[str, str, str, str],
    ) -> Unit:
        def attribute(name: str) -> str:
            return tuv.get(name) or tu.get(name) or ""

        tuv_notes = [note.text or "" for note in tuv.iterchildren("note")]
        segtype = tu.get("segtype", "").lower()
        return Unit(
            source_lang=texts[0],
            source=texts[1],
            target_lang=texts[2],
            target=texts[3],
            status=_STATUS.get(props.get("x-status", "").strip(), "reviewed"),
            origin=self.origin,
            article=props.get("x-article", ""),
            prev=props.get("prev", ""),
            next=props.get("next", ""),
            level=_LEVEL.get(props.get("x-level", segtype).strip(), self.level),
            created_at=iso_date(attribute("creationdate")),
            created_by=attribute("creationid") or self.who,
            changed_at=iso_date(attribute("changedate")),
            changed_by=attribute("changeid"),
            note="\n".join(n for n in (*notes, *tuv_notes) if n),
            glossary=props.get("x-glossary", ""),
            terms=_terms(props.get("x-terms", "")),
        )

    @staticmethod
    def _seen(tags: dict[str, None], tag: str) -> None:
        if len(tags) < _EXAMPLES:
            tags.setdefault(tag or "(none)", None)

    def check(self) -> None:
        """Refuse a file none of whose TUs has both the source and a known target language."""
        if self.tus and self.skipped_language == self.tus:
            found = ", ".join(self.all_tags) or "none"
            known = ", ".join(sorted(set(LANGUAGES) - {self.source_lang}))
            raise TmxError(
                f"no translation unit has both the source language ({self.source_lang}) and "
                f"a known target language ({known}); language tags found: {found}",
                where=str(self.path),
                fix="import a TMX of a language pair bilingual knows, or name the source "
                "language if the header's srclang is missing or wrong",
            )

    def report(self, added: int) -> TmxImport:
        return TmxImport(
            path=self.path,
            source_lang=self.source_lang,
            tus=self.tus,
            units=self.units_read,
            added=added,
            already_present=self.units_read - added,
            skipped_language=self.skipped_language,
            languages=tuple(self.skipped_tags),
            skipped_empty=self.skipped_empty,
        )


def _terms(text: str) -> tuple[tuple[str, str], ...]:
    """``x-terms`` back: a JSON list of ``[term id, rendering]``; anything else is none."""
    try:
        pairs = json.loads(text) if text else []
        return tuple((str(term), str(rendering)) for term, rendering in pairs)
    except (ValueError, TypeError):
        return ()


def segment_text(tuv: etree._Element) -> str:
    """The text of a ``<tuv>``'s ``<seg>``: inline native codes dropped, ``<hi>`` kept."""
    seg = tuv.find("seg")
    if seg is None:
        return ""
    if len(seg) == 0:
        return seg.text or ""
    return "".join(_inline(seg))


def _inline(elem: etree._Element) -> Iterator[str]:
    if elem.text:
        yield elem.text
    for child in elem:
        # bpt/ept/ph/it/ut hold the original format's codes; comments are no text either
        if isinstance(child.tag, str) and child.tag not in _NATIVE_CODES:
            yield from _inline(child)
        if child.tail:
            yield child.tail
