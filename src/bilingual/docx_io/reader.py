"""Read a briefing's segments back from a DOCX that bilingual wrote (and a reviewer edited).

The aligned table is the one under the "Aligned translation" heading whose header row is
``# | <source language> | <target>...``; its columns name the languages. In each cell a
sentence starts at a run in the "Sentence Number" character style (its text is the
number and a no-break space); runs in the "Forced Term Mark" and "Reviewed Mark" styles
(the dagger, the check mark) are not text; the single space the writer puts between
two sentences is not part of either.
Where a reviewer's editor dropped the styles, the numbers are found as text (``2``
followed by a no-break space after a space or at the start).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.run import Run

from bilingual import _zip
from bilingual._coreprops import adopt_core_properties
from bilingual.document.segment import Rendering, Segment
from bilingual.docx_io.approval import LEADING_BOX, is_checkbox
from bilingual.docx_io.styles import (
    APPROVAL_BOX_STYLE,
    CONFIDENCE_MARK_STYLE,
    CONFIDENCE_MARKS,
    FORCED_MARK,
    FORCED_MARK_STYLE,
    NBSP,
    REVIEWED_MARK_STYLE,
    SENTENCE_NUMBER_STYLE,
    STATUS_TAG_TEXT,
)
from bilingual.errors import BriefingReadError
from bilingual.lang import LANGUAGES
from bilingual.signature import Signature

_FIX = "give a .docx briefing written by `bilingual translate`"
_NUMBER_TEXT = re.compile(r"(?:^|(?<= ))(\d+)\u00a0")


@dataclass(frozen=True)
class DocxBriefing:
    """What a briefing DOCX holds of its segments."""

    source_lang: str
    targets: tuple[str, ...]
    signature: Signature | None
    """From the document properties; None when it is missing or was edited."""
    segments: tuple[Segment, ...]
    """Sentence segments in reading order: id, number, source, a rendering per column."""


def _style_id(document: Document, name: str) -> str | None:
    for style in document.styles:
        if style.name == name:
            return str(style.style_id)
    return None


def _columns(table: Table) -> tuple[str, ...] | None:
    """The language codes of an aligned table's text columns, or None for another table."""
    names = [cell.text.strip() for cell in table.rows[0].cells] if table.rows else []
    codes = {lang.name: lang.code for lang in LANGUAGES.values()}
    if len(names) < 3 or names[0] != "#" or not all(n in codes for n in names[1:]):
        return None
    return tuple(codes[n] for n in names[1:])


def _runs(cell: _Cell) -> Iterator[Run]:
    for paragraph in cell.paragraphs:
        for r in paragraph._p.iter(qn("w:r")):
            content = r.getparent()
            if content is not None and content.tag == qn("w:sdtContent"):
                sdt = content.getparent()
                if sdt is not None and is_checkbox(sdt):
                    continue  # the approval box (see .approval): not text
            yield Run(r, paragraph)


class _CellReader:
    def __init__(self, number_style: str | None, mark_styles: set[str]) -> None:
        self.number_style = number_style
        self.mark_styles = mark_styles

    def _parts(self, cell: _Cell) -> list[tuple[int | None, str]]:
        """``(number, "")`` where a sentence number stands, ``(None, text)`` for text.

        An editor may split the number run (LibreOffice cuts ``2`` from its no-break
        space when it saves right-to-left text): neighbouring number runs are one number.
        """
        parts: list[tuple[int | None, str]] = []
        pending: list[str] = []

        def close_number() -> None:
            digits = "".join(pending).strip(f"{NBSP} ")
            if digits.isdigit():
                parts.append((int(digits), ""))
            elif digits:
                parts.append((None, "".join(pending)))  # styled, but not a number: text
            pending.clear()

        for run in _runs(cell):
            style = run._r.style
            if style is not None and style == self.number_style:
                pending.append(run.text)
                continue
            close_number()
            if style is None or style not in self.mark_styles:
                parts.append((None, run.text))
        close_number()
        return parts

    def sentences(self, cell: _Cell) -> dict[int, str]:
        """Sentence number -> text, for one cell."""
        parts = self._parts(cell)
        if not any(number is not None for number, _ in parts):
            # the styles are gone: so is the way to tell a dagger mark from a typed one
            plain = "".join(text for _, text in parts)
            plain = STATUS_TAG_TEXT.sub("", plain.replace(FORCED_MARK, ""))
            # the box's no-break space, its style gone, is no part of the sentence either
            return {
                n: LEADING_BOX.sub("", text).removeprefix(NBSP)
                for n, text in _split_plain(_without_confidence_marks(plain)).items()
            }
        out: dict[int, str] = {}
        current: int | None = None
        for number, text in parts:
            if number is not None:
                current = number
                out.setdefault(current, "")
            elif current is not None:
                out[current] += text
            elif text.strip():
                out[0] = out.get(0, "") + text  # text before the first number: kept, not lost
        # a box whose control and style an editor dropped is no part of the sentence
        return {n: LEADING_BOX.sub("", text) for n, text in _without_separators(out).items()}


def _without_confidence_marks(text: str) -> str:
    """``text`` without the confidence marks the writer puts after sentence numbers."""
    for mark in CONFIDENCE_MARKS.values():
        text = text.replace(f"{mark}{NBSP}", "")
    return text


def _without_separators(sentences: dict[int, str]) -> dict[int, str]:
    """Drop the one space the writer puts after each sentence but the last."""
    numbers = list(sentences)
    return {
        n: (text[:-1] if k < len(numbers) - 1 and text.endswith(" ") else text)
        for k, (n, text) in enumerate(zip(numbers, sentences.values(), strict=True))
    }


def _split_plain(text: str) -> dict[int, str]:
    matches = list(_NUMBER_TEXT.finditer(text))
    if not matches:
        return {1: text} if text.strip() else {}
    out: dict[int, str] = {}
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        out[int(m.group(1))] = text[m.end() : end]
    return _without_separators(out)


def _open_document(path: Path) -> Document:
    try:
        with path.open("rb") as fh:
            problem = _zip.file_problem(fh)  # before python-docx inflates and parses it
            document = docx.Document(fh) if problem is None else None
            if document is not None:  # python-docx reads these parts only when asked
                adopt_core_properties(document)  # LibreOffice's, under its own name
                _ = document.core_properties.comments, document.styles
    except OSError as exc:
        raise BriefingReadError(
            f"cannot be read: {exc.strerror or exc}", where=str(path), fix=_FIX
        ) from None
    except Exception as exc:  # python-docx raises KeyError, AttributeError, lxml errors ...
        raise BriefingReadError(
            f"is not a Word document bilingual can read ({exc})", where=str(path), fix=_FIX
        ) from None
    if document is None:
        raise BriefingReadError(f"is not read: {problem}", where=str(path), fix=_FIX)
    return document


def _signature_in(document: Document) -> Signature | None:
    try:
        return Signature.parse(document.core_properties.comments or "")
    except ValueError:
        return None


def read_docx(path: Path) -> DocxBriefing:
    """The segments of the briefing DOCX at ``path``.

    Raises :class:`~bilingual.errors.BriefingReadError` when the file is not a Word
    document or has no aligned table.
    """
    document = _open_document(path)
    found = next(((t, c) for t in document.tables if (c := _columns(t)) is not None), None)
    if found is None:
        raise BriefingReadError(
            "has no aligned table (# | Arabic | English ...): not a bilingual briefing",
            where=str(path),
            fix=_FIX,
        )
    table, langs = found
    marks = {
        _style_id(document, name)
        for name in (
            FORCED_MARK_STYLE,
            REVIEWED_MARK_STYLE,
            CONFIDENCE_MARK_STYLE,
            APPROVAL_BOX_STYLE,
        )
    }
    reader = _CellReader(
        _style_id(document, SENTENCE_NUMBER_STYLE), {m for m in marks if m is not None}
    )
    segments: list[Segment] = []
    for row in table.rows[1:]:
        cells = row.cells
        try:
            paragraph = int(cells[0].text.strip())
        except ValueError:
            raise BriefingReadError(
                f"a row of the aligned table has {cells[0].text.strip()!r} as its number",
                where=str(path),
                fix="put the paragraph number back in the first column",
            ) from None
        columns = [reader.sentences(cell) for cell in cells[1:]]
        source, targets = columns[0], dict(zip(langs[1:], columns[1:], strict=True))
        for number, text in source.items():
            renderings = {
                lang: Rendering(found[number]) for lang, found in targets.items() if number in found
            }
            segments.append(Segment(f"p{paragraph}.s{number}", number, langs[0], text, renderings))
    return DocxBriefing(langs[0], langs[1:], _signature_in(document), tuple(segments))
