"""Termbases as TBX (ISO 30042): reading TBX-Basic and older TBX, writing TBX-Basic.

Written: TBX-Basic in the 2019 form (``<tbx type="TBX-Basic" style="dca">``, namespace
``urn:iso:std:iso:30042:ed-2``): one ``<conceptEntry>`` per term, a ``<langSec
xml:lang>`` per language and a ``<termSec><term>`` per form; the canonical Arabic form is
the ``preferredTerm``, the others ``admittedTerm``. The term's type travels as the
concept's ``subjectField`` (the one classification TBX-Basic has at that level), its
note as ``<note>``. A term's avoid list is written as more terms of that language marked
``deprecatedTerm-admn-sts`` (its rendering then marked ``preferredTerm-admn-sts``); on
import a term marked deprecated, superseded, not recommended, obsolete or forbidden goes
to the avoid list, never to the renderings. Glossary ids become the ``id`` attributes;
one that XML does not allow there (``1918-flu``: an XML id cannot start with a digit) is
written ``id.1918-flu`` and read back as it was.

Read: that form and the older one most tools still export (``<martif>``, ``<termEntry>``,
``<langSet>``, ``<tig>``/``<ntig>``), with or without a namespace. The parser never
resolves entities, never loads a DTD and never touches the network (no XXE); a file that
declares entities at all is refused, so no entity bomb is expanded either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from bilingual import _xml
from bilingual.errors import GlossaryError
from bilingual.glossary.tbrecord import GLOSSARY_LANGS, Record, clean, language_code
from bilingual.glossary.term import SOURCE_KEY, Term

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
EXPORT_MARK = "bilingual glossary export"
"""The first words of the header's source description in files bilingual wrote: their
ids are the glossary's own, and are kept on import."""
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ESCAPED_ID = "id."
_ENTRIES = ("conceptEntry", "termEntry")
_LANGS = ("langSec", "langSet")
_TERM_HOLDERS = ("termSec", "tig", "ntig")


def _local(elem: Any) -> str:
    tag = elem.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""  # comments: no name


def _entities_error(path: Path, names: Sequence[str]) -> GlossaryError:
    return GlossaryError(_xml.entities_what(names), where=str(path), fix=_xml.ENTITIES_FIX)


def _parse(path: Path, data: bytes) -> Any:
    if not data.strip():
        raise GlossaryError("is empty", where=str(path), fix="export the termbase again as TBX")
    declared = _xml.declared_entities(data[: _xml.PROLOG_BYTES])
    if declared is not None:  # before parsing: libxml2 would call a bomb "not well-formed"
        raise _entities_error(path, declared)
    try:
        root = etree.fromstring(data, _xml.parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or exc.position[0]
        raise GlossaryError(
            f"is not well-formed XML ({exc.msg}); nothing was imported",
            where=f"{path}:{line}",
            fix="export the termbase again from its tool, or repair the XML at that line",
        ) from None
    used = _xml.used_entities(root)
    if used:
        raise _entities_error(path, used)
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryError(
            f"is not a TBX file: its root element is <{_local(root)}>, not <tbx> or <martif>",
            where=f"{path}:{root.sourceline or 1}",
            fix="give a TBX file (.tbx) exported from a termbase, or a CSV",
        )
    return root


def _text(elem: Any) -> str:
    return clean("".join(elem.itertext()))


def _lang_of(elem: Any) -> str | None:
    raw = elem.get(_XML_LANG) or elem.get("lang")
    return None if raw is None else raw


_AVOIDED = ("deprecated", "superseded", "notrecommended", "obsolete", "forbidden")
"""How an ``administrativeStatus`` starts that says a term must not be used (TBX-Basic's
``deprecatedTerm-admn-sts``, TBX-Default's others, and the plain words some tools write)."""


def _terms(lang_sec: Any) -> tuple[list[str], list[str]]:
    """The terms of one language section, the preferred one first, and those it marks
    as not to be used."""
    preferred: list[str] = []
    others: list[str] = []
    avoided: list[str] = []
    for holder in lang_sec:
        if _local(holder) not in _TERM_HOLDERS:
            continue
        term = next((e for e in holder.iter() if _local(e) == "term"), None)
        if term is None or not _text(term):
            continue
        status = " ".join(
            _text(n)
            for n in holder.iter()
            if _local(n) == "termNote" and n.get("type") == "administrativeStatus"
        )
        if status.replace(" ", "").lower().startswith(_AVOIDED):
            avoided.append(_text(term))
            continue
        (preferred if status.startswith("preferred") else others).append(_text(term))
    return preferred + others, avoided


def _record(path: Path, entry: Any, own: bool) -> Record:
    line = entry.sourceline or 1
    terms: dict[str, list[str]] = {}
    avoid: dict[str, list[str]] = {}
    dropped: list[str] = []
    for lang_sec in entry:
        if _local(lang_sec) not in _LANGS:
            continue
        raw = _lang_of(lang_sec)
        lang = language_code(raw) if raw is not None else None
        found, avoided = _terms(lang_sec)
        if lang in GLOSSARY_LANGS:
            terms.setdefault(lang, []).extend(t for t in found if t not in terms.get(lang, []))
            if lang != SOURCE_KEY and avoided:
                avoid.setdefault(lang, []).extend(a for a in avoided if a not in avoid[lang])
        elif found:
            dropped.append(
                f"{len(found)} term(s) in language {raw!r} left out (the glossary holds "
                f"{', '.join(GLOSSARY_LANGS)})"
            )
    notes = [
        "".join(e.itertext()).strip()  # a note keeps its line breaks
        for e in entry
        if _local(e) == "note" or (_local(e) == "descrip" and e.get("type") == "definition")
    ]
    subject = next(
        (_text(e) for e in entry if _local(e) == "descrip" and e.get("type") == "subjectField"),
        None,
    )
    term_id = entry.get("id") if own else None
    if term_id is not None and term_id.startswith(_ESCAPED_ID):
        term_id = term_id[len(_ESCAPED_ID) :]
    return Record(
        path,
        line,
        {lang: tuple(found) for lang, found in terms.items() if found},
        term_id=term_id,
        term_type=subject,
        note="; ".join(n for n in notes if n) or None,
        dropped=tuple(dropped),
        avoid={lang: tuple(found) for lang, found in avoid.items()},
    )


def _own_export(root: Any) -> bool:
    for elem in root.iter():
        if _local(elem) == "sourceDesc":
            return _text(elem).startswith(EXPORT_MARK)
        if _local(elem) in ("text", "body"):
            break
    return False


def read_tbx(path: Path, data: bytes) -> list[Record]:
    """The records of a TBX termbase (its concept or term entries, in order)."""
    root = _parse(path, data)
    own = _own_export(root)
    records = [_record(path, entry, own) for entry in _entries(root)]
    if not records:
        raise GlossaryError(
            "holds no <conceptEntry> or <termEntry>: nothing to import",
            where=str(path),
            fix="export the termbase again with its entries",
        )
    return records


def _entries(root: Any) -> Iterator[Any]:
    for elem in root.iter():
        if _local(elem) in _ENTRIES:
            yield elem


# -- writing ----------------------------------------------------------------------------


def xml_id(term_id: str) -> str:
    """A glossary id as an XML id: itself when XML allows it, else ``id.`` before it."""
    return term_id if _NCNAME.fullmatch(term_id) else f"{_ESCAPED_ID}{term_id}"


def write_tbx(terms: Sequence[Term], *, description: str) -> bytes:
    """The glossary as TBX-Basic (UTF-8), one concept entry per term."""
    ns = f"{{{NAMESPACE}}}"
    nsmap: Any = {None: NAMESPACE}  # the default namespace (lxml-stubs wants str keys)
    root = etree.Element(f"{ns}tbx", nsmap=nsmap)
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(root, f"{ns}tbxHeader")
    source = etree.SubElement(etree.SubElement(header, f"{ns}fileDesc"), f"{ns}sourceDesc")
    etree.SubElement(source, f"{ns}p").text = f"{EXPORT_MARK}: {description}"
    body = etree.SubElement(etree.SubElement(root, f"{ns}text"), f"{ns}body")
    for term in terms:
        entry = etree.SubElement(body, f"{ns}conceptEntry", id=xml_id(term.id))
        etree.SubElement(entry, f"{ns}descrip", type="subjectField").text = term.type
        if term.note:
            etree.SubElement(entry, f"{ns}note").text = term.note
        langs = [(SOURCE_KEY, term.forms), *((k, (v,)) for k, v in term.renderings.items())]
        langs += [(k, ()) for k in term.avoid if k not in term.renderings]
        for lang, forms in langs:
            lang_sec = etree.SubElement(entry, f"{ns}langSec")
            lang_sec.set(_XML_LANG, lang)
            marked = len(forms) > 1 if lang == SOURCE_KEY else bool(term.avoid.get(lang))
            statuses = ["preferredTerm-admn-sts", *["admittedTerm-admn-sts"] * len(forms)]
            statuses = statuses[: len(forms)]
            avoided = term.avoid.get(lang, ()) if lang != SOURCE_KEY else ()
            statuses += ["deprecatedTerm-admn-sts"] * len(avoided)
            for form, status in zip([*forms, *avoided], statuses, strict=True):
                sec = etree.SubElement(lang_sec, f"{ns}termSec")
                etree.SubElement(sec, f"{ns}term").text = form
                if marked:
                    note = etree.SubElement(sec, f"{ns}termNote", type="administrativeStatus")
                    note.text = status
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
