"""Untrusted XML: the one parser setting and the one DTD check of every XML reader.

TMX, TBX, XLIFF and the parts of a DOCX come from other people's tools. None of them needs
a DTD to be read, and a DTD is how XML attacks arrive: an external entity
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) reads local files or the network, nested
internal ones expand a kilobyte into gigabytes. So every reader parses with
:func:`parser` (no entity substituted, no DTD loaded, nothing fetched, libxml2's depth
and size limits kept) and refuses a file that declares or uses entities, checked twice:
on the prolog's bytes before parsing (:func:`declared_entities`, since libxml2 calls an
entity bomb "not well-formed" and the reader could not say why) and on the parsed tree
(:func:`used_entities`, which also catches a reference to an entity the file never
declares, kept by libxml2 when the DOCTYPE names an external DTD).

A DOCTYPE that only names the standard's DTD (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as
CAT tools and bilingual's own TMX export write) is harmless with these settings and is
accepted where the format allows it; XLIFF 2 and OOXML never have one, and their readers
refuse any (:func:`has_doctype`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

PROLOG_BYTES = 1 << 20
"""How much of a file's start :func:`declared_entities` reads: a prolog is a few hundred
bytes; an internal subset still open after 1 MiB is refused as one declaring entities."""

_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*>")
_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?([^\s\"'>]+)")


def parser() -> etree.XMLParser:
    """A parser that substitutes no entity, loads no DTD and opens no connection (no XXE);
    ``huge_tree`` stays off, so libxml2 refuses nesting over 256 levels and huge nodes."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def prolog_text(head: bytes) -> str:
    """The start of an XML file as text, for looking at its markup: UTF-16 (with or
    without a byte-order mark) decoded as such, anything else as Latin-1 (the markup of
    every ASCII-compatible encoding reads the same)."""
    if head.startswith((codecs.BOM_UTF16_LE, b"<\0")):
        return head.decode("utf-16-le", "replace")
    if head.startswith((codecs.BOM_UTF16_BE, b"\0<")):
        return head.decode("utf-16-be", "replace")
    return head.decode("latin-1")


def has_doctype(data: bytes) -> bool:
    """Whether ``data`` holds ``<!DOCTYPE`` anywhere (UTF-8 or UTF-16)."""
    return any(mark in data for mark in _DOCTYPE_MARKS)


def declared_entities(head: bytes) -> tuple[str, ...] | None:
    """The names of the entities the internal DTD subset in ``head`` (a file's first
    :data:`PROLOG_BYTES`) declares; None when it declares none.

    A subset that ``head`` does not close counts as declaring entities (its names are
    unknown: ``...``): no real file has a megabyte of DTD in it.
    """
    text = prolog_text(head)
    opened = _SUBSET.search(text)
    if opened is None:
        return None
    closed = _SUBSET_END.search(text, opened.end())
    subset = text[opened.end() : closed.start()] if closed else text[opened.end() :]
    names = tuple(dict.fromkeys(_ENTITY.findall(subset)))
    if closed is None:
        return names or ("...",)
    return names or None


def used_entities(root: etree._Element) -> tuple[str, ...]:
    """The entities the parsed document declares or refers to (none in a safe file)."""
    return tuple(dict.fromkeys(declared_in(root) + references(root)))


def declared_in(root: etree._Element) -> tuple[str, ...]:
    """The entities the parsed document's internal DTD subset declares."""
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lack iterentities
    return tuple(str(e.name) for e in dtd.iterentities()) if dtd is not None else ()


def references(elem: etree._Element) -> tuple[str, ...]:
    """The names of the entity references (``&name;``, kept unexpanded) under ``elem``."""
    nodes: Iterable[Any] = elem.iter(etree.Entity)  # lxml-stubs type them as elements
    return tuple(dict.fromkeys(str(node.name) for node in nodes))


def entities_what(names: Iterable[str]) -> str:
    """What an error says about a file that declares or uses entities."""
    shown = ", ".join(f"&{n};" for n in names if n != "...") or "in an unfinished DTD"
    return (
        f"declares XML entities ({shown}), or refers to them: bilingual never expands them (an "
        "external one can read files of this computer or the network, nested ones blow up "
        "to gigabytes), and dropping them would lose the text they stand for; nothing was "
        "imported"
    )


ENTITIES_FIX = (
    "remove the <!DOCTYPE ...[ ]> block's <!ENTITY> lines and write the text in place of "
    "each &name; (a DOCTYPE that only names the format's DTD may stay)"
)
