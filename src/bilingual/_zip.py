"""Untrusted Word files: a DOCX's ZIP checked before anything inflates or parses it.

python-docx reads every part of a DOCX into memory and parses the XML ones with lxml. A
3 MB file whose ``word/document.xml`` inflates to 3 GiB (a zip bomb) would take all the
memory there is, and an XML part with a DTD would have its entities silently dropped,
with the text after each. So every place that opens a DOCX (an article, a briefing read
back, a reviewed briefing) first calls :func:`docx_problem`, which reads the ZIP's
directory and refuses, before any part is inflated, too many entries, too many bytes in
all, or an entry compressed suspiciously well (the limits of ``models.archive`` for a
model package, set here for documents); then it scans each XML part, in chunks, for a
``<!DOCTYPE`` (Word and LibreOffice never write one; see :mod:`bilingual._xml`).

The declared sizes are enough to bound the reading: zipfile never yields more bytes than
an entry's header declares (it stops there and fails the CRC check).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePosixPath
from typing import IO

from lxml import etree

from bilingual import _xml

MAX_UNPACKED_BYTES = 256 << 20
"""256 MiB: the most a DOCX may inflate to. An article is some 100 kB of XML; a long
report with photographs, tens of MB."""
MAX_RATIO = 200
"""The most an entry over :data:`RATIO_FLOOR` bytes may inflate per compressed byte.
Word's XML compresses 5-30 times, photographs not at all; a zip bomb, 1000 times."""
RATIO_FLOOR = 1 << 20
"""Entries up to 1 MiB are not ratio-checked (small repetitive parts compress very well)."""
MAX_ENTRIES = 10_000
"""A DOCX has some 10-40 parts, a few hundred with many pictures."""

ZIP_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    NotImplementedError,  # a compression method or a "zip file version" zipfile lacks
    RuntimeError,  # an encrypted entry
    UnicodeDecodeError,  # an entry name flagged UTF-8 that is not
    ValueError,
)
"""What zipfile raises for a damaged or unusual ZIP as it opens or reads it (python-docx
lets them through); an OSError is the disk's, not the file's."""
_CHUNK = 1 << 20
_OVERLAP = 2 * len("<!DOCTYPE")
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_NOT_PARSED = "image/svg+xml"
"""The one XML content type python-docx keeps as bytes (an SVG picture may have a DTD)."""


def size_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """What is wrong with the sizes in a ZIP's directory, if anything."""
    if len(infos) > MAX_ENTRIES:
        return f"the ZIP holds {len(infos):,} entries (the limit for a DOCX is {MAX_ENTRIES:,})"
    total = 0
    for info in infos:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * packed:
            return (
                f"its part {info.filename!r} would inflate {info.file_size / packed:,.0f} "
                f"times ({info.compress_size:,} to {info.file_size:,} bytes; the limit is "
                f"{MAX_RATIO} times): this is a zip bomb, not a Word document"
            )
    if total > MAX_UNPACKED_BYTES:
        return (
            f"it would inflate to {total:,} bytes (the limit for a DOCX is "
            f"{MAX_UNPACKED_BYTES:,}): this is a zip bomb or not a Word document"
        )
    return None


def _content_types(zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """``[Content_Types].xml`` as (part name -> type, extension -> type); empty if none."""
    try:
        root = etree.fromstring(zf.read("[Content_Types].xml"), _xml.parser())
    except (KeyError, etree.XMLSyntaxError):
        return {}, {}  # python-docx refuses such a package itself
    overrides = {
        str(e.get("PartName", "")).lstrip("/"): str(e.get("ContentType", ""))
        for e in root.iter(f"{_TYPES}Override")
    }
    defaults = {
        str(e.get("Extension", "")).lower(): str(e.get("ContentType", ""))
        for e in root.iter(f"{_TYPES}Default")
    }
    return overrides, defaults


def _xml_parts(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The entries python-docx may parse as XML: by name, or by their content type."""
    overrides, defaults = _content_types(zf)
    parts: list[zipfile.ZipInfo] = []
    for info in zf.infolist():
        name = info.filename
        suffix = PurePosixPath(name).suffix.lower()
        kind = overrides.get(name) or defaults.get(suffix.lstrip("."), "")
        if suffix in (".xml", ".rels") or ("xml" in kind and kind != _NOT_PARSED):
            parts.append(info)
    return parts


def _holds_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            if _xml.has_doctype(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False


def docx_problem(zf: zipfile.ZipFile) -> str | None:
    """What makes the opened DOCX ``zf`` unsafe to read, if anything: sizes beyond the
    limits, a damaged ZIP, or a DTD in an XML part."""
    problem = size_problem(zf.infolist())
    if problem is not None:
        return problem
    try:
        if _xml.has_doctype(zf.read("[Content_Types].xml")):
            return _dtd_what("[Content_Types].xml")
        for info in _xml_parts(zf):
            if _holds_doctype(zf, info):
                return _dtd_what(info.filename)
    except KeyError:
        return None  # no [Content_Types].xml: python-docx says it is no Word package
    except (*ZIP_ERRORS, OSError) as exc:
        return f"its ZIP is damaged or of a kind Word does not write ({exc})"
    return None


def _dtd_what(part: str) -> str:
    return (
        f"its part {part!r} declares a DTD (<!DOCTYPE ...>), which Word and LibreOffice "
        "never write: its entities would be dropped with the text they stand for, or read "
        "files of this computer; it was not read"
    )


def file_problem(fh: IO[bytes]) -> str | None:
    """:func:`docx_problem` for an open file; None for one that is no ZIP at all (the
    caller's reader says what it is), and the file is left at its start."""
    try:
        problem = docx_problem(zipfile.ZipFile(fh))
    except zipfile.BadZipFile:
        problem = None
    except ZIP_ERRORS as exc:
        problem = f"its ZIP is damaged or of a kind Word does not write ({exc})"
    fh.seek(0)
    return problem
