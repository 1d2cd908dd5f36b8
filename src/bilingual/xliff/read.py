"""XLIFF 2 import: a translated or reviewed XLIFF read back against its briefing JSON.

The parser never loads a DTD, resolves no entity and opens no network connection; a
file that declares a DTD at all is refused (no XXE, no entity expansion). See
:mod:`bilingual.xliff` for what is stored.
"""

from __future__ import annotations

import getpass
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from bilingual import _xml
from bilingual._text import replacement_words
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Rendering, Segment
from bilingual.docx_io.styles import fingerprint
from bilingual.errors import BilingualError, XliffError
from bilingual.json_io import read_json
from bilingual.lang import LANGUAGES
from bilingual.memory.store import Status, Unit
from bilingual.memory.tmx import primary_language
from bilingual.review import Change, Review, TermNotice
from bilingual.xliff.write import EXPORTED, MDA, NS_12, QA_NOTE, REVIEW_NOTE, STATES, qname

_RANK = {"initial": 0, "translated": 1, "reviewed": 2, "final": 3}
_EXAMPLES = 5


def _parse(path: Path) -> etree._Element:
    """The root of ``path``, parsed with no DTD, no entities and no network."""
    try:
        # from bytes, not the file name: libxml2 would inflate a gzip file on its own
        tree = etree.parse(io.BytesIO(path.read_bytes()), _xml.parser())
    except OSError as exc:
        raise XliffError(
            f"cannot be read ({exc.strerror or exc})",
            where=str(path),
            fix="check the path and that the file is readable",
        ) from None
    except etree.XMLSyntaxError as exc:
        if _declares_dtd(path):  # e.g. libxml2's guard against entity amplification
            raise _dtd_error(path) from None
        line = exc.lineno or exc.position[0]
        raise XliffError(
            f"is not well-formed XML ({exc.msg}); nothing was imported",
            where=f"{path}:{line}" if line else str(path),
            fix="give the complete .xlf file as the CAT tool saved it (export it again if "
            "it was cut short)",
        ) from None
    info = tree.docinfo
    if getattr(info, "doctype", "") or info.internalDTD is not None:  # stubs lack doctype
        raise _dtd_error(path)
    return _check_root(path, tree.getroot())


def _declares_dtd(path: Path) -> bool:
    """Whether the file's prolog holds a ``<!DOCTYPE`` (UTF-8 or UTF-16)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_xml.PROLOG_BYTES)
    except OSError:
        return False
    return _xml.has_doctype(head)


def _dtd_error(path: Path) -> XliffError:
    return XliffError(
        "declares a DTD (<!DOCTYPE ...>), which XLIFF 2 never uses; bilingual does not load "
        "it or expand its entities (an external or nested entity could read local files or "
        "exhaust memory), so nothing was imported",
        where=f"{path}:1",
        fix="export the file again from the CAT tool, or remove the <!DOCTYPE> block",
    )


def _check_root(path: Path, root: etree._Element) -> etree._Element:
    where = f"{path}:{root.sourceline or 1}"
    version = root.get("version", "")
    if etree.QName(root).localname == "xliff" and (
        etree.QName(root).namespace == NS_12 or version.startswith("1.")
    ):
        raise XliffError(
            f"is XLIFF {version or '1.x'}; bilingual reads XLIFF 2.0 and 2.1",
            where=where,
            fix="save or export the file as XLIFF 2 from the CAT tool (memoQ, Trados and "
            "OmegaT's Okapi filters can), or translate the file bilingual export xliff "
            "wrote, which is XLIFF 2.1",
        )
    if root.tag != qname("xliff") or not version.startswith("2."):
        raise XliffError(
            f"is not an XLIFF 2 document (root <{etree.QName(root).localname}>, "
            f"namespace {etree.QName(root).namespace or 'none'}, version {version or 'none'})",
            where=where,
            fix="give an .xlf file written by bilingual export xliff (or its translation)",
        )
    return root


@dataclass
class _Article:
    """The segments of the briefing an XLIFF ``<file>`` came from."""

    json: Path
    briefing: Briefing
    segments: dict[str, Segment] = field(init=False)
    order: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.segments = {s.id: s for s in self.briefing.all_segments()}
        self.order = [s.id for s in self.briefing.segments()]

    def context(self, segment_id: str) -> tuple[str, str]:
        if segment_id not in self.order:
            return "", ""
        k = self.order.index(segment_id)
        prev = self.segments[self.order[k - 1]].source if k > 0 else ""
        nxt = self.segments[self.order[k + 1]].source if k + 1 < len(self.order) else ""
        return prev, nxt


def _find_briefing(path: Path, file: etree._Element, folders: Sequence[Path]) -> _Article:
    """The briefing JSON named by the ``<file>``'s ``original``: at that path, beside
    the XLIFF, or in one of ``folders``."""
    original = file.get("original", "")
    candidates = [Path(original)] if original else []
    names = [Path(original).name] if original.endswith(".json") else []
    names.append(_article_name(path, file) + ".json")  # a tool may drop or rewrite original
    candidates += [folder / n for n in dict.fromkeys(names) for folder in (path.parent, *folders)]
    for candidate in candidates:
        if candidate.is_file():
            try:
                return _Article(candidate, read_json(candidate))
            except BilingualError as exc:
                raise XliffError(
                    f"names the briefing {candidate}, which cannot be read: {exc.what}",
                    where=f"{path}:{file.sourceline or 1}",
                    fix="translate the article again and export a new XLIFF",
                ) from None
    looked = ", ".join(str(c) for c in candidates) or "no original attribute on <file>"
    raise XliffError(
        f"its briefing JSON cannot be found (looked for: {looked}); segments are matched "
        "by id against it",
        where=f"{path}:{file.sourceline or 1}",
        fix="give --briefings DIR, the folder holding the .json that bilingual translate "
        "wrote, or export the XLIFF again with bilingual export xliff",
    )


def _article_name(path: Path, file: etree._Element) -> str:
    """The article's name: the export's ``mda`` record, else the XLIFF's own name without
    its target language (``NAME.en.xlf``)."""
    for meta in file.iter(qname("meta", MDA)):
        if meta.get("type") == "article" and (meta.text or "").strip():
            return (meta.text or "").strip()
    stem = path.stem
    head, _, lang = stem.rpartition(".")
    return head if head and lang in LANGUAGES else stem


def _languages(path: Path, root: etree._Element, article: _Article) -> str:
    """The target language of the document, checked against the briefing's pair."""
    briefing = article.briefing
    src = primary_language(root.get("srcLang", ""))
    where = f"{path}:{root.sourceline or 1}"
    if src != briefing.source_lang:
        raise XliffError(
            f"is for source language {root.get('srcLang') or 'none'}, but its briefing "
            f"{article.json.name} translates from {briefing.source_lang}: its segments "
            "cannot be this article's",
            where=where,
            fix=f"import an XLIFF whose srcLang is {briefing.source_lang} (the file bilingual "
            "export xliff wrote, translated)",
        )
    trg = primary_language(root.get("trgLang", ""))
    if trg not in briefing.targets:
        raise XliffError(
            f"has target language {root.get('trgLang') or 'none'}, which is not one of the "
            f"briefing's ({', '.join(briefing.targets)})",
            where=where,
            fix="import the XLIFF of one of the briefing's target languages",
        )
    return trg


def _text(elem: etree._Element | None) -> str:
    """The plain text of a ``<source>`` or ``<target>``: markers' text kept, codes
    (``ph``, ``sc``, ``ec``) dropped, ``<cp hex>`` as its character."""
    if elem is None:
        return ""
    return "".join(_pieces(elem))


def _pieces(elem: etree._Element) -> Iterator[str]:
    if elem.text:
        yield elem.text
    for child in elem:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            if name == "cp":
                yield _code_point(child.get("hex", ""))
            elif name in ("mrk", "pc"):
                yield from _pieces(child)
        if child.tail:
            yield child.tail


def _code_point(hex_value: str) -> str:
    """The character of ``<cp hex="...">``; '' for a value that is not one."""
    try:
        return chr(int(hex_value, 16))
    except (ValueError, OverflowError):
        return ""


def _same(a: str, b: str) -> bool:
    return " ".join(unicodedata.normalize("NFC", a).split()) == " ".join(
        unicodedata.normalize("NFC", b).split()
    )


@dataclass
class _Reading:
    """One ``<file>`` read against its briefing."""

    path: Path
    article: _Article
    lang: str
    approve: bool
    who: str
    changed: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    unmappable: list[str] = field(default_factory=list)
    source_edits: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    def segment(
        self, element: etree._Element, notes: Sequence[str], exported: dict[str, str]
    ) -> None:
        """One ``<segment>``; ``exported`` holds the unit's fingerprints from the export
        (``"p3.s2 target"`` -> fingerprint), empty when a tool dropped them."""
        sid = element.get("id", "")
        segment = self.article.segments.get(sid)
        if segment is None:
            self.unknown.append(sid or f"(no id, line {element.sourceline})")
            return
        after = _text(element.find(qname("target"))).strip()
        if not self._source_holds(
            sid, segment, _text(element.find(qname("source"))), after, exported
        ):
            return
        rendering = segment.renderings.get(self.lang)
        briefing_text = rendering.text if rendering is not None else None
        written = exported.get(f"{sid} target")
        if written is None:  # no fingerprints: compare with the briefing as it is
            written = fingerprint(briefing_text) if briefing_text is not None else ""
        before = briefing_text
        if before is not None and fingerprint(before) != written:
            before = None  # translated again since the export: the exported text is gone
        state = element.get("state", "initial")
        exported_state = exported.get(f"{sid} state") or (
            STATES[rendering.status] if rendering is not None else "initial"
        )
        note = "\n".join(notes)
        change = Change(sid, self.lang, before, after, note=note)
        if not after:
            return
        if fingerprint(after) != written:
            self.changed.append(change)
        elif self.approve or note or _RANK.get(state, 0) > max(_RANK.get(exported_state, 0), 1):
            self.kept.append(change)
        else:
            return
        status: Status = "approved" if self.approve or state == "final" else "reviewed"
        self.units.append(self._unit(segment, rendering, change, status))

    def _source_holds(
        self, sid: str, segment: Segment, source: str, after: str, exported: dict[str, str]
    ) -> bool:
        """Whether the briefing's source is the one the segment was exported with. A source
        edited in the CAT tool is reported and ignored (the briefing's is stored); one
        the briefing no longer has (translated again since) cannot be mapped."""
        written = exported.get(f"{sid} source")
        if written is not None and fingerprint(segment.source) == written:
            if not _same(source, segment.source):
                self.source_edits.append(sid)
            return True
        if written is None and _same(source, segment.source):
            return True
        if after:
            self.unmappable.append(
                f"{sid} ({self.lang}): its source differs from the briefing's (the article was "
                f"translated again since the export), so the translation {after!r} cannot be "
                "stored; export the XLIFF again"
            )
        return False

    def _unit(
        self, segment: Segment, rendering: Rendering | None, change: Change, status: Status
    ) -> Unit:
        prev, nxt = self.article.context(segment.id)
        briefing = self.article.briefing
        terms = rendering.terms if rendering is not None else ()
        return Unit(
            briefing.source_lang,
            segment.source,
            self.lang,
            change.after,
            status=status,
            origin=f"xliff:{self.path.name}",
            article=briefing.article.name,
            prev=prev,
            next=nxt,
            created_by=self.who,
            note=change.note,
            glossary=briefing.signature.glossary,
            terms=tuple(dict.fromkeys((u.term_id, u.rendering) for u in terms)),
        )

    def notices(self) -> list[TermNotice]:
        """Glossary renderings the translator removed or replaced (never applied)."""
        out: list[TermNotice] = []
        for change in self.changed:
            segment = self.article.segments[change.segment_id]
            rendering = segment.renderings.get(self.lang)
            if rendering is None or change.before is None:
                continue
            seen: set[str] = set()
            for use in rendering.terms:
                if use.term_id in seen:
                    continue
                seen.add(use.term_id)
                if use.rendering in change.before and use.rendering not in change.after:
                    replacement = replacement_words(change.before, change.after, use.rendering)
                    out.append(
                        TermNotice(
                            use.term_id, self.lang, use.rendering, change.segment_id, replacement
                        )
                    )
        return out


def _exported(unit: etree._Element) -> dict[str, str]:
    """``"p3.s2 target"`` -> fingerprint, from the unit's ``bilingual-exported`` group."""
    out: dict[str, str] = {}
    for group in unit.iterchildren(qname("metadata", MDA)):
        for meta_group in group.iterchildren(qname("metaGroup", MDA)):
            if meta_group.get("category") == EXPORTED:
                for meta in meta_group.iterchildren(qname("meta", MDA)):
                    out[meta.get("type", "")] = (meta.text or "").strip()
    return out


def _unit_notes(unit: etree._Element) -> list[str]:
    """The translator's own notes on a unit (bilingual's QA and review notes left out)."""
    notes = unit.find(qname("notes"))
    if notes is None:
        return []
    return [
        (n.text or "").strip()
        for n in notes.iterchildren(qname("note"))
        if n.get("category") not in (QA_NOTE, REVIEW_NOTE) and (n.text or "").strip()
    ]


def read_xliff(
    path: Path,
    *,
    folders: Sequence[Path] = (),
    approve: bool = False,
    who: str | None = None,
) -> list[Review]:
    """Read a translated or reviewed XLIFF: one :class:`~bilingual.review.Review` per
    ``<file>`` (article). Nothing is written.

    Raises :class:`~bilingual.errors.XliffError` (naming the file and line) for a file
    that is not well-formed, declares a DTD, is XLIFF 1.x or not XLIFF, is for another
    language pair than its briefing, whose briefing JSON cannot be found, or none of
    whose segment ids matches a segment of that briefing.
    """
    root = _parse(path)
    files = list(root.iterchildren(qname("file")))
    if not files:
        raise XliffError(
            "holds no <file> element", where=f"{path}:{root.sourceline or 1}",
            fix="give an .xlf file written by bilingual export xliff (or its translation)",
        )  # fmt: skip
    who = who or getpass.getuser()
    return [_read_file(path, root, file, folders, approve, who) for file in files]


def _read_file(
    path: Path,
    root: etree._Element,
    file: etree._Element,
    folders: Sequence[Path],
    approve: bool,
    who: str,
) -> Review:
    article = _find_briefing(path, file, folders)
    lang = _languages(path, root, article)
    reading = _Reading(path, article, lang, approve, who)
    segments = 0
    for unit in file.iter(qname("unit")):
        notes, exported = _unit_notes(unit), _exported(unit)
        for element in unit.iterchildren(qname("segment")):
            segments += 1
            reading.segment(element, notes, exported)
    if segments and len(reading.unknown) == segments:
        examples = ", ".join(reading.unknown[:_EXAMPLES])
        raise XliffError(
            f"none of its {segments} segment id(s) ({examples}) matches a segment of the "
            f"briefing {article.json.name} (ids such as p1.s1 and c1); nothing was imported",
            where=f"{path}:{file.sourceline or 1}",
            fix="import the XLIFF that bilingual export xliff wrote for this briefing, with "
            "its segment ids kept (set the CAT tool not to resegment it)",
        )
    for sid in reading.unknown:
        reading.unmappable.append(f"{sid} ({lang}): no segment of {article.json.name} has it")
    briefing = article.briefing
    return Review(
        path=path,
        article=briefing.article.name,
        source_lang=briefing.source_lang,
        targets=(lang,),
        changed=tuple(reading.changed),
        unchanged=len(reading.kept),  # as the DOCX import counts: kept or approved
        unmappable=tuple(reading.unmappable),
        source_edits=tuple(reading.source_edits),
        terms=tuple(reading.notices()),
        units=tuple(reading.units),
    )
