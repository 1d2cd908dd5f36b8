"""XLIFF 2.1 export of a briefing (see :mod:`bilingual.xliff` for the layout).

The model's confidence in a machine translation travels as ITS 2.0 MT Confidence (the
XLIFF 2.1 ITS module): the target's text is wrapped in ``<mrk type="its:any"
its:mtConfidence="0.8312" its:annotatorsRef="mt-confidence|urn:bilingual:model:LABEL">``,
the value being ``exp`` of the mean log-probability per token (the geometric mean of the
token probabilities, in [0, 1]; :func:`bilingual.confidence.mt_confidence`). A reviewer's
translation has none.

One document per target language, built whole with lxml (an article is small) and put
down with :func:`bilingual._fs.write_atomically`: all of an article's files appear
together, each only once complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from lxml import etree

from bilingual._fs import write_atomically
from bilingual._text import rendering_spans
from bilingual.confidence import mt_confidence
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Rendering, Segment, TermUse
from bilingual.docx_io.styles import fingerprint
from bilingual.errors import printable
from bilingual.json_io import read_json
from bilingual.lang import LANGUAGES
from bilingual.memory.tmx import xml_text

NS = "urn:oasis:names:tc:xliff:document:2.0"
"""XLIFF 2.1 keeps the 2.0 core namespace (``version`` says 2.1)."""
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
ITS = "http://www.w3.org/2005/11/its"
"""ITS 2.0, as the XLIFF 2.1 ITS module uses it (``its:mtConfidence``)."""
MODEL_URI = "urn:bilingual:model:"
VERSION = "2.1"
EXPORTED = "bilingual-exported"
"""The ``mda:metaGroup`` category of a unit's fingerprints of what was exported."""
QA_NOTE = "bilingual-qa"
REVIEW_NOTE = "bilingual-review"
STATES: dict[str, str] = {"machine": "translated", "reviewed": "reviewed", "approved": "final"}
_PRIORITY = {"error": "1", "warning": "3", "info": "5"}
_TERM_URI = "urn:bilingual:term:"


def qname(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


def xliff_paths(briefing: Briefing, out_dir: Path) -> dict[str, Path]:
    """Target language -> the XLIFF file written for it: ``NAME.xlf`` for a single
    target, ``NAME.LANG.xlf`` for each of several."""
    name = briefing.article.name
    if len(briefing.targets) == 1:
        return {briefing.targets[0]: out_dir / f"{name}.xlf"}
    return {lang: out_dir / f"{name}.{lang}.xlf" for lang in briefing.targets}


def export_xliff(path: Path, out_dir: Path) -> tuple[Path, ...]:
    """Write the XLIFF files of the briefing JSON at ``path`` into ``out_dir``.

    All of them appear together, each only once complete (a failure leaves the old
    files, or none). Raises :class:`~bilingual.errors.BriefingReadError` for a JSON that
    is not a briefing, :class:`~bilingual.errors.OutputError` when a file cannot be
    written.
    """
    briefing = read_json(path)
    # the path as given, or relative to the current folder: an absolute path would tell
    # whoever receives the XLIFF this machine's folders (the import finds the JSON by name)
    original = printable(str(path) if not path.is_absolute() else os.path.relpath(path))
    files = xliff_paths(briefing, out_dir)

    def writer(lang: str) -> Callable[[Path], None]:
        def write(tmp: Path) -> None:
            tree = etree.ElementTree(xliff_document(briefing, lang, original))
            tree.write(str(tmp), xml_declaration=True, encoding="UTF-8", pretty_print=True)

        return write

    write_atomically([(p, writer(lang)) for lang, p in files.items()], what="the XLIFF file")
    return tuple(files.values())


def xliff_document(briefing: Briefing, lang: str, original: str) -> etree._Element:
    """The ``<xliff>`` element of ``briefing`` for the target ``lang``."""
    src = briefing.source_lang
    root = etree.Element(
        qname("xliff"),
        nsmap={None: NS, "mda": MDA, "gls": GLS, "its": ITS},  # type: ignore[dict-item]
        version=VERSION,
        srcLang=src,
        trgLang=lang,
    )
    file = etree.SubElement(
        root,
        qname("file"),
        id="f1",
        original=xml_text(original),
        canResegment="no",
        srcDir=_direction(src),
        trgDir=_direction(lang),
    )
    meta = etree.SubElement(etree.SubElement(file, qname("metadata", MDA)), qname("metaGroup", MDA))
    meta.set("category", "bilingual")
    for kind, value in (
        ("article", briefing.article.name),
        ("signature", str(briefing.signature)),
        ("run_date", briefing.run_date),
        ("models", " ".join(briefing.models)),
        ("test_models", " ".join(briefing.test_models)),
    ):
        etree.SubElement(meta, qname("meta", MDA), type=kind).text = xml_text(printable(value))
    models = dict(zip(briefing.targets, briefing.models, strict=False))
    annotator = f"mt-confidence|{MODEL_URI}{models.get(lang, '')}"
    for paragraph in briefing.paragraphs:
        if paragraph.sentences:
            unit_id = paragraph.sentences[0].id.split(".")[0]
            _unit(file, unit_id, paragraph.sentences, lang, annotator)
    for caption in briefing.caption_segments():
        _unit(file, caption.id, [caption], lang, annotator)
    return root


def _direction(lang: str) -> str:
    language = LANGUAGES.get(lang)
    return "rtl" if language is not None and language.rtl else "ltr"


def _unit(
    file: etree._Element, unit_id: str, segments: Sequence[Segment], lang: str, annotator: str
) -> None:
    unit = etree.SubElement(file, qname("unit"), id=unit_id)
    entries = etree.Element(qname("glossary", GLS))
    notes = etree.Element(qname("notes"))
    exported = etree.Element(qname("metaGroup", MDA), category=EXPORTED)
    marks = 0
    built: list[etree._Element] = []
    for segment in segments:
        rendering = segment.renderings.get(lang)
        element = etree.Element(qname("segment"), id=segment.id)
        element.set("state", STATES[rendering.status] if rendering is not None else "initial")
        _exported(exported, segment, rendering, element.get("state", ""))
        source = etree.SubElement(element, qname("source"))
        uses = rendering.terms if rendering is not None else ()
        ids = [f"t{marks + k}" for k in range(1, len(uses) + 1)]
        marks += len(uses)
        _inline(source, segment.source, _source_spans(segment.source, uses, ids))
        if rendering is not None:
            target = etree.SubElement(element, qname("target"))
            if rendering.confidence is not None and not rendering.reviewed:
                marks += 1
                target = etree.SubElement(target, qname("mrk"), id=f"t{marks}", type="its:any")
                target.set(qname("mtConfidence", ITS), f"{mt_confidence(rendering.confidence)}")
                target.set(qname("annotatorsRef", ITS), annotator)
            _inline(target, rendering.text, _target_spans(rendering.text, uses, ids))
            _notes(notes, segment.id, rendering)
        for mark, use in zip(ids, uses, strict=True):
            entry = etree.SubElement(entries, qname("glossEntry", GLS), ref=f"#{mark}")
            etree.SubElement(entry, qname("term", GLS), source=use.term_id).text = xml_text(
                use.source_text
            )
            etree.SubElement(
                entry, qname("translation", GLS), source="bilingual glossary"
            ).text = xml_text(use.rendering)
        built.append(element)
    # the core's order: extensions (modules), then notes, then the segments
    etree.SubElement(unit, qname("metadata", MDA)).append(exported)
    if len(entries):
        unit.append(entries)
    if len(notes):
        unit.append(notes)
    unit.extend(built)


def _exported(
    group: etree._Element, segment: Segment, rendering: Rendering | None, state: str
) -> None:
    """Fingerprints of the source and target as exported, and the state: on import, a
    target still equal to its fingerprint was not touched, whatever the briefing holds
    by then, and a source that differs was edited in the CAT tool."""
    target = fingerprint(rendering.text) if rendering is not None else ""
    for kind, value in (("source", fingerprint(segment.source)), ("target", target)):
        etree.SubElement(group, qname("meta", MDA), type=f"{segment.id} {kind}").text = value
    etree.SubElement(group, qname("meta", MDA), type=f"{segment.id} state").text = state


def _notes(notes: etree._Element, segment_id: str, rendering: Rendering) -> None:
    for flag in rendering.flags:
        note = etree.SubElement(notes, qname("note"), category=QA_NOTE, appliesTo="target")
        note.set("priority", _PRIORITY.get(flag.level, "5"))
        note.text = xml_text(f"{segment_id} {flag.code}: {flag.message}")
    if rendering.note:
        note = etree.SubElement(notes, qname("note"), category=REVIEW_NOTE, appliesTo="target")
        note.text = xml_text(f"{segment_id}: {rendering.note}")


def _source_spans(
    text: str, uses: Sequence[TermUse], ids: Sequence[str]
) -> list[tuple[int, int, str, str]]:
    spans = [
        (u.start, u.end, mark, u.term_id)
        for u, mark in zip(uses, ids, strict=True)
        if 0 <= u.start < u.end <= len(text)
    ]
    return _disjoint(spans)


def _target_spans(
    text: str, uses: Sequence[TermUse], ids: Sequence[str]
) -> list[tuple[int, int, str, str]]:
    """Each use's rendering in the target, in order: the first occurrence not taken yet."""
    spans: list[tuple[int, int, str, str]] = []
    taken: set[tuple[int, int]] = set()
    for use, mark in zip(uses, ids, strict=True):
        for start, end in rendering_spans(text, use.rendering):
            if (start, end) not in taken:
                taken.add((start, end))
                spans.append((start, end, mark, use.term_id))
                break
    return _disjoint(spans)


def _disjoint(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    for span in sorted(spans):
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def _inline(parent: etree._Element, text: str, spans: Sequence[tuple[int, int, str, str]]) -> None:
    """``text`` into ``parent``, each span wrapped in ``<mrk type="term">``."""
    at = 0
    last: etree._Element | None = None
    for start, end, mark, term_id in spans:
        piece = xml_text(text[at:start])
        if last is None:
            parent.text = piece
        else:
            last.tail = piece
        last = etree.SubElement(parent, qname("mrk"), id=mark, type="term")
        last.set("ref", _TERM_URI + term_id)
        last.text = xml_text(text[start:end])
        at = end
    rest = xml_text(text[at:])
    if last is None:
        parent.text = rest
    else:
        last.tail = rest
