"""What a reviewed briefing holds beside its anchored sentences.

The JSON twin written beside the DOCX (what bilingual wrote: texts, findings, term uses,
notes, the kept names), the tables a reviewer may edit (findings, names, appendix), and
the aligned table's rows themselves: a row the reviewer deleted (its paragraph's anchors
are all gone) and a row the reviewer added (no anchor in it, but text). Read only;
:mod:`bilingual.review` decides what each becomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn
from docx.table import _Row

from bilingual import _zip
from bilingual._coreprops import adopt_core_properties
from bilingual.document.names import KeptName
from bilingual.document.segment import TermUse
from bilingual.docx_io.findings import FINDINGS_HEADER, parse_where
from bilingual.docx_io.styles import Anchor
from bilingual.errors import BilingualError, BriefingReadError, ReviewError
from bilingual.lang import LANGUAGES
from bilingual.signature import Signature

__all__ = [
    "CODES_BY_NAME",
    "ROW_DELETED",
    "SHOWN_DELETED",
    "AddedRow",
    "DeletedRow",
    "Twin",
    "added_rows",
    "appendix_terms",
    "finding_rows",
    "names_table",
    "no_anchors_error",
    "open_briefing",
    "read_twin",
]

CODES_BY_NAME = {language.name: language.code for language in LANGUAGES.values()}
"""A column header of the briefing's tables ("Arabic") -> its language code."""


@dataclass(frozen=True)
class Twin:
    """What the JSON twin beside the DOCX says was written."""

    texts: dict[tuple[str, str], str]
    """``(segment id, lang) -> text``."""
    findings: tuple[tuple[str, str, str], ...] = ()
    """``(segment id, lang, code)`` of every sentence finding in its QA table."""
    names: tuple[KeptName, ...] = ()
    """The names it listed as kept to one rendering."""
    uses: Mapping[tuple[str, str], tuple[TermUse, ...]] = field(default_factory=dict)
    """``(segment id, lang) -> the term uses written there``."""
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """``(segment id, lang) -> the reviewer's note shown again as their comment``: a
    comment with this text is not new."""
    found: bool = False
    """A readable twin was there."""

    def paragraphs(self) -> dict[str, list[str]]:
        """``p3 -> [p3.s1, p3.s2]``, in the order written."""
        out: dict[str, list[str]] = {}
        for segment_id, _lang in self.texts:
            if segment_id.startswith("p"):
                group = out.setdefault(segment_id.split(".")[0], [])
                if segment_id not in group:
                    group.append(segment_id)
        return out


def read_twin(json_path: Path) -> Twin:
    """The briefing JSON at ``json_path`` (the DOCX's twin), when there is a readable one."""
    from bilingual.json_io import read_json

    if not json_path.is_file():
        return Twin({})
    try:
        briefing = read_json(json_path)
    except BilingualError:
        return Twin({})
    texts: dict[tuple[str, str], str] = {}
    segments = briefing.all_segments()  # a caption's findings are listed like a sentence's
    findings = tuple(
        (s.id, lang, f.code)
        for s in segments
        for lang, r in s.renderings.items()
        for f in r.flags
        if f.lang == lang
    )
    for segment in segments:
        for lang in (briefing.source_lang, *briefing.targets):
            texts[(segment.id, lang)] = segment.text(lang) or ""
    uses = {(s.id, lang): r.terms for s in segments for lang, r in s.renderings.items()}
    notes = {(s.id, lang): r.note for s in segments for lang, r in s.renderings.items() if r.note}
    return Twin(texts, findings, briefing.names, uses, notes, found=True)


def _header(table: object) -> list[str]:
    rows = getattr(table, "rows", None)
    return [c.text.strip() for c in rows[0].cells] if rows else []


def finding_rows(document: object) -> set[tuple[str, str, str]] | None:
    """``(segment id, lang, code)`` of each row of the DOCX's findings table (a row names
    one sentence and every language concerned); None without a table."""
    for table in getattr(document, "tables", []):
        if tuple(_header(table)[:4]) == FINDINGS_HEADER:
            rows = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
            out: set[tuple[str, str, str]] = set()
            for cells in rows:
                if len(cells) >= 3:
                    where, langs = parse_where(cells[2])
                    out.update((where, lang, cells[1]) for lang in langs)
            return out
    return None


def appendix_terms(document: object, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    """``term id -> {lang: rendering}`` from the briefing's appendix table."""
    names = CODES_BY_NAME
    out: dict[str, dict[str, str]] = {}
    for table in getattr(document, "tables", []):
        header = _header(table)
        if header[:2] != ["Term", "Type"]:
            continue
        columns = [(k, names[h]) for k, h in enumerate(header) if h in names and names[h] in langs]
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            out[cells[0]] = {lang: cells[k] for k, lang in columns if cells[k]}
    return out


def names_table(document: object, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    """Arabic -> target -> the rendering cell of the "Names kept consistent" table."""
    names = CODES_BY_NAME
    for table in getattr(document, "tables", []):
        header = _header(table)
        if "First seen" not in header or not header or names.get(header[0]) != langs[0]:
            continue
        columns = [(k, names[h]) for k, h in enumerate(header[1:], 1) if names.get(h) in langs]
        out: dict[str, dict[str, str]] = {}
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            out[cells[0]] = {lang: cells[k] for k, lang in columns}
        return out
    return {}


def open_briefing(path: Path) -> object:
    """The DOCX at ``path`` opened with python-docx; a .docm, a ZIP that is refused before
    python-docx inflates it (see :mod:`bilingual._zip`) or a file that is no Word document
    is refused with what to do."""
    import docx

    if path.suffix.lower() == ".docm":
        raise ReviewError(
            "is a macro-enabled document (.docm); bilingual reads only .docx",
            where=str(path),
            fix="save it as a Word Document (.docx) and import that file",
        )
    document: object = None
    try:
        with path.open("rb") as fh:
            found = _zip.file_problem(fh)  # before python-docx inflates and parses it
            problem = f"is not read: {found}"
            document = docx.Document(fh) if found is None else None
            if document is not None:  # python-docx reads these parts only when asked
                adopt_core_properties(document)  # LibreOffice's, under its own name
                _ = document.core_properties.comments, document.styles
    except OSError as exc:
        raise BriefingReadError(f"cannot be read: {exc.strerror or exc}", where=str(path)) from None
    except Exception as exc:  # python-docx raises KeyError, AttributeError, lxml errors ...
        document, problem = None, f"is not a Word document bilingual can read ({exc})"
    if document is None:
        fix = "give the .docx briefing that bilingual translate wrote; if it was damaged, "
        raise BriefingReadError(problem, where=str(path), fix=fix + "restore a copy")
    return document


def no_anchors_error(path: Path, document: object, signature: Signature | None) -> BilingualError:
    """Why a document without sentence anchors cannot be read as a review."""
    has_table = any(
        t.rows and t.rows[0].cells and t.rows[0].cells[0].text.strip() == "#"
        for t in getattr(document, "tables", [])
    )
    if signature is not None and not has_table:
        return ReviewError(
            "has lost its aligned table (# | Arabic | English ...): nothing can be mapped",
            where=str(path),
            fix="restore the table (undo in the editor, or an earlier copy of the file); "
            "the file is left as it is",
        )
    if has_table:
        return ReviewError(
            "has no sentence anchors: written by a bilingual older than the review loop, "
            "or saved by a tool that drops bookmarks",
            where=str(path),
            fix="copy the corrections into a briefing written by this version, or move the "
            "file away to let bilingual write a new one",
        )
    return ReviewError(
        "is not a briefing bilingual wrote (no aligned table, no anchors)",
        where=str(path),
        fix="give a .docx written by bilingual translate",
    )


@dataclass(frozen=True)
class DeletedRow:
    """A paragraph's row the reviewer deleted from the aligned table.

    The article still has the paragraph (the source is read-only), so the next briefing
    shows the row again, marked ``row-deleted`` with who deleted it; the memory records
    the deletion per sentence and target (:data:`ROW_DELETED`)."""

    paragraph: str
    """``p3``."""
    sentences: tuple[tuple[str, str, str], ...]
    """``(source, target language, target text written)`` of each of its sentences."""

    @property
    def number(self) -> int:
        return int(self.paragraph[1:])


ROW_DELETED = "row-deleted"
"""The code that records a deleted row in the memory (beside the dismissed findings)."""
SHOWN_DELETED = "deleted-row"
"""The finding on a row shown again after a reviewer deleted it."""


@dataclass(frozen=True)
class AddedRow:
    """A row of the aligned table with text but no anchor: the reviewer added it."""

    after: str
    """The paragraph id (``p3``) of the nearest anchored row above it; '' for none."""
    texts: dict[str, str]
    """Language code -> the text the reviewer typed in that column."""


def _row_text(row: _Row) -> list[str]:
    cells = row._tr.iter(qn("w:tc"))
    return [" ".join("".join(t.text or "" for t in c.iter(qn("w:t"))).split()) for c in cells]


def added_rows(document: object) -> list[AddedRow]:
    """The rows of the aligned table (header ``# | Arabic | ...``) that hold text and no
    sentence anchor, each with the paragraph above it."""
    for table in getattr(document, "tables", []):
        header = _header(table)
        if not header or header[0] != "#" or len(header) < 3:
            continue
        langs = [CODES_BY_NAME.get(h, "") for h in header]
        out: list[AddedRow] = []
        after = ""
        for row in table.rows[1:]:
            anchors = [
                Anchor.parse(mark.get(qn("w:name"), ""))
                for mark in row._tr.iter(qn("w:bookmarkStart"))
            ]
            ids = [a.segment_id for a in anchors if a is not None]
            if ids:
                after = ids[-1].split(".")[0]
                continue
            texts = {
                lang: text
                for lang, text in zip(langs, _row_text(row), strict=False)
                if lang and text
            }
            if texts:
                out.append(AddedRow(after, texts))
        return out
    return []


def check_not_open(path: Path) -> None:
    """Raise ReviewError when Word or LibreOffice has ``path`` open (their lock files)."""
    name = path.name
    locks = [f"~${name}", f"~${name[2:]}" if len(name) > 2 else "", f".~lock.{name}#"]
    for lock in filter(None, locks):
        if (path.parent / lock).exists():
            raise ReviewError(
                f"is open in Word or LibreOffice ({lock} exists)",
                where=str(path),
                fix="save and close it, then run again (delete the lock file if no editor "
                "has it open)",
            )
