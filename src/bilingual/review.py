"""Review import: a reviewer's edits in a briefing DOCX become translation-memory units.

Each anchored target sentence (see :mod:`bilingual.docx_io.anchors`) whose text no
longer matches the fingerprint bilingual wrote is an edit. Its source comes from the
Arabic column when that is untouched (the source is read-only: edits there are
reported and ignored), else from the JSON twin beside the DOCX. Where a reviewer merged
or split sentences (a sentence's anchor is gone, or its text emptied) the whole cell
becomes one paragraph-level unit. The text before the edit, for ``--diff`` and for the
glossary check, is the tracked-changes original or the JSON twin's.

Nothing here writes: :func:`read_review` returns the units and the report, and
:func:`store_reviews` adds every file's units to the memory in one transaction.
"""

from __future__ import annotations

import difflib
import getpass
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bilingual import _zip
from bilingual._text import replacement_words
from bilingual.document.names import KeptName
from bilingual.document.segment import TermUse
from bilingual.docx_io.anchors import AnchoredText, read_anchors
from bilingual.docx_io.findings import FINDINGS_HEADER, NOT_IN_TABLE, parse_where
from bilingual.docx_io.styles import fingerprint
from bilingual.errors import BilingualError, BriefingReadError, ReviewError
from bilingual.glossary.match import TermMatcher
from bilingual.glossary.term import EMPTY, Glossary
from bilingual.lang import LANGUAGES
from bilingual.memory.names import StoredName
from bilingual.memory.store import Level, Status, TranslationMemory, Unit, source_key
from bilingual.signature import Signature

__all__ = ["Change", "Review", "TermNotice", "check_not_open", "read_review", "store_reviews"]


@dataclass(frozen=True)
class Change:
    """One edited target: a sentence, or a whole paragraph cell."""

    segment_id: str
    """``p3.s2``; for a paragraph-level change ``p3``."""
    lang: str
    before: str | None
    """The text bilingual wrote, when it is known (tracked changes or the JSON twin)."""
    after: str
    level: Level = "sentence"
    note: str = ""

    def diff(self) -> str:
        """A word diff: ``[-removed-]{+added+}`` around the words that changed."""
        if self.before is None:
            return f"{{+{self.after}+}}"
        a, b = self.before.split(), self.after.split()
        out: list[str] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                out.append(" ".join(a[i1:i2]))
                continue
            if i2 > i1:
                out.append(f"[-{' '.join(a[i1:i2])}-]")
            if j2 > j1:
                out.append(f"{{+{' '.join(b[j1:j2])}+}}")
        return " ".join(out)


@dataclass(frozen=True)
class TermNotice:
    """A glossary rendering the reviewer removed or changed; never applied on its own."""

    term_id: str
    lang: str
    rendering: str
    segment_id: str
    replacement: str | None
    """The words that took its place, when the diff shows them."""

    @property
    def command(self) -> str:
        new = self.replacement or "NEW RENDERING"
        return f'bilingual glossary set {self.term_id} --{self.lang} "{new}"'


@dataclass(frozen=True)
class Review:
    """What one reviewed DOCX holds."""

    path: Path
    article: str
    source_lang: str
    targets: tuple[str, ...]
    changed: tuple[Change, ...]
    unchanged: int
    unmappable: tuple[str, ...]
    """Messages for edits that could not be tied to a source sentence."""
    source_edits: tuple[str, ...]
    """Segment ids whose source text a reviewer changed (ignored)."""
    terms: tuple[TermNotice, ...]
    units: tuple[Unit, ...]
    dismissed: tuple[tuple[str, str, str, str], ...] = ()
    """``(source, target language, target text, code)`` of each QA finding the reviewer
    dismissed (its row deleted, its comment resolved or deleted): the same finding on the
    same unchanged text is not raised again."""
    names: tuple[StoredName, ...] = ()
    """The reviewer's renderings of names the run kept (see bilingual.names.reviewed)."""

    @property
    def paragraph_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changed if c.level == "paragraph")


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


def _open(path: Path) -> object:
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
                _ = document.core_properties.comments, document.styles
    except OSError as exc:
        raise BriefingReadError(f"cannot be read: {exc.strerror or exc}", where=str(path)) from None
    except Exception as exc:  # python-docx raises KeyError, AttributeError, lxml errors ...
        document, problem = None, f"is not a Word document bilingual can read ({exc})"
    if document is None:
        fix = "give the .docx briefing that bilingual translate wrote; if it was damaged, "
        raise BriefingReadError(problem, where=str(path), fix=fix + "restore a copy")
    return document


@dataclass(frozen=True)
class _Twin:
    """What the JSON twin beside the DOCX says was written."""

    texts: dict[tuple[str, str], str]
    """``(segment id, lang) -> text``."""
    findings: tuple[tuple[str, str, str], ...] = ()
    """``(segment id, lang, code)`` of every sentence finding in its QA table."""
    names: tuple[KeptName, ...] = ()
    """The names it listed as kept to one rendering."""
    uses: Mapping[tuple[str, str], tuple[TermUse, ...]] = field(default_factory=dict)
    """``(segment id, lang) -> the term uses written there``."""


_CODES_BY_NAME = {language.name: language.code for language in LANGUAGES.values()}
"""A column header of the briefing's tables ("Arabic") -> its language code."""


def _twin(path: Path) -> _Twin:
    """The JSON twin's texts and findings, when there is a readable one."""
    from bilingual.json_io import read_json

    json_path = path.with_suffix(".json")
    if not json_path.is_file():
        return _Twin({})
    try:
        briefing = read_json(json_path)
    except BilingualError:
        return _Twin({})
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
    return _Twin(texts, findings, briefing.names, uses)


def _finding_rows(document: object) -> set[tuple[str, str, str]] | None:
    """``(segment id, lang, code)`` of each row of the DOCX's findings table (a row names
    one sentence and every language concerned); None without a table."""
    for table in getattr(document, "tables", []):
        header = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
        if tuple(header[:4]) == FINDINGS_HEADER:
            rows = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
            out: set[tuple[str, str, str]] = set()
            for cells in rows:
                if len(cells) >= 3:
                    where, langs = parse_where(cells[2])
                    out.update((where, lang, cells[1]) for lang in langs)
            return out
    return None


def _appendix_terms(document: object, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    """``term id -> {lang: rendering}`` from the briefing's appendix table."""
    names = _CODES_BY_NAME
    out: dict[str, dict[str, str]] = {}
    for table in getattr(document, "tables", []):
        header = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
        if header[:2] != ["Term", "Type"]:
            continue
        columns = [(k, names[h]) for k, h in enumerate(header) if h in names and names[h] in langs]
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            out[cells[0]] = {lang: cells[k] for k, lang in columns if cells[k]}
    return out


@dataclass
class _Reader:
    path: Path
    source_lang: str
    signature: Signature | None
    glossary: Glossary
    approve: bool
    who: str

    def __post_init__(self) -> None:
        twin = _twin(self.path)
        self.twin = twin.texts
        self.twin_findings = twin.findings
        self.twin_names = twin.names
        self.twin_uses = twin.uses
        self.sources: dict[str, str] = {}
        self.order: list[str] = []
        self.source_edits: list[str] = []
        self.unmappable: list[str] = []

    def read_sources(self, anchors: Sequence[AnchoredText]) -> None:
        for item in anchors:
            if item.anchor.lang != self.source_lang:
                continue
            seg = item.anchor.segment_id
            self.order.append(seg)
            if fingerprint(item.text) == item.anchor.fingerprint:
                self.sources[seg] = item.text
                continue
            self.source_edits.append(seg)
            original = self.twin.get((seg, self.source_lang))
            if original is not None and fingerprint(original) == item.anchor.fingerprint:
                self.sources[seg] = original

    def context(self, seg: str) -> tuple[str, str]:
        sentences = [s for s in self.order if s.startswith("p")]
        if seg not in sentences:
            return "", ""
        k = sentences.index(seg)
        prev = self.sources.get(sentences[k - 1], "") if k > 0 else ""
        nxt = self.sources.get(sentences[k + 1], "") if k + 1 < len(sentences) else ""
        return prev, nxt

    def before(self, item: AnchoredText, rejected: Mapping[tuple[str, str], str]) -> str | None:
        key = (item.anchor.segment_id, item.anchor.lang)
        for candidate in (rejected.get(key), self.twin.get(key)):
            if candidate is not None and fingerprint(candidate) == item.anchor.fingerprint:
                return candidate
        return None


def _cells(anchors: Sequence[AnchoredText], source_lang: str) -> list[list[AnchoredText]]:
    """Target anchors grouped by the cell or paragraph that holds them."""
    cells: dict[tuple[int, str], list[AnchoredText]] = {}
    for item in anchors:
        if item.anchor.lang != source_lang:
            cells.setdefault((item.container, item.anchor.lang), []).append(item)
    return list(cells.values())


def read_review(
    path: Path,
    *,
    glossary: Glossary = EMPTY,
    reject_changes: bool = False,
    approve: bool = False,
    who: str | None = None,
) -> Review:
    """Read the reviewer's edits in the briefing DOCX at ``path`` (nothing is written).

    Raises ReviewError or BriefingReadError when the file is open in an editor, is not a
    briefing bilingual wrote, or has lost its aligned table.
    """
    check_not_open(path)
    document = _open(path)
    props = getattr(document, "core_properties", None)
    try:
        signature: Signature | None = Signature.parse(getattr(props, "comments", "") or "")
    except ValueError:
        signature = None
    source_lang = signature.source if signature is not None else "ar"
    langs = frozenset({source_lang})
    try:
        anchors = read_anchors(document, langs, reject_changes=reject_changes)  # type: ignore[arg-type]
    except BriefingReadError as exc:  # a damaged part: the error names it, here the file
        raise BriefingReadError(exc.what, where=str(path), fix=exc.fix) from None
    if not any(a.anchor.lang == source_lang and a.anchor.segment_id[0] == "p" for a in anchors):
        # captions alone do not make a briefing: the aligned table is gone
        raise _no_anchors(path, document, signature)
    rejected = {
        (a.anchor.segment_id, a.anchor.lang): a.text
        for a in read_anchors(document, langs, reject_changes=True)  # type: ignore[arg-type]
    }
    who = who or getattr(props, "last_modified_by", "") or getpass.getuser()
    if who.startswith("bilingual "):
        who = getpass.getuser()  # the document was saved by bilingual, not by a person
    reader = _Reader(path, source_lang, signature, glossary, approve, who)
    reader.read_sources(anchors)
    targets = tuple(dict.fromkeys(a.anchor.lang for a in anchors if a.anchor.lang != source_lang))
    written_terms = _appendix_terms(document, [source_lang, *targets])
    changes, unchanged, units = _changes(reader, _cells(anchors, source_lang), rejected)
    units += [u for c in changes for u in _unit(reader, c, written_terms)]
    notices = [n for c in changes for n in _term_notices(reader, c, written_terms)]
    article = str(getattr(props, "subject", "") or path.stem)
    units = [_with_article(u, article) for u in units]
    return Review(
        path=path,
        article=article,
        source_lang=source_lang,
        targets=targets,
        changed=tuple(changes),
        unchanged=len(unchanged),
        unmappable=tuple(reader.unmappable),
        source_edits=tuple(reader.source_edits),
        terms=tuple(notices),
        units=tuple(units + [u for c in unchanged for u in _unit(reader, c, written_terms)]),
        dismissed=_dismissed(reader, document, anchors),
        names=_names(reader, document, changes, article),
    )


def _names_table(document: object, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    """Arabic -> target -> the rendering cell of the "Names kept consistent" table."""
    names = _CODES_BY_NAME
    for table in getattr(document, "tables", []):
        header = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
        if "First seen" not in header or not header or names.get(header[0]) != langs[0]:
            continue
        columns = [(k, names[h]) for k, h in enumerate(header[1:], 1) if names.get(h) in langs]
        out: dict[str, dict[str, str]] = {}
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            out[cells[0]] = {lang: cells[k] for k, lang in columns}
        return out
    return {}


def _names(
    reader: _Reader, document: object, changes: Sequence[Change], article: str
) -> tuple[StoredName, ...]:
    """The reviewer's corrections of the names the briefing kept to one rendering."""
    from bilingual.names.detect import NameFinder
    from bilingual.names.reviewed import NameEdit, reviewed_names

    if not reader.twin_names:
        return ()
    edits = [
        NameEdit(
            c.segment_id,
            c.lang,
            c.before,
            c.after,
            reader.twin_uses.get((c.segment_id, c.lang), ()),
        )
        for c in changes
        if c.level == "sentence" and c.before is not None
    ]
    langs = [reader.source_lang, *(code for code in LANGUAGES if code != reader.source_lang)]
    found = reviewed_names(
        reader.twin_names,
        edits,
        _names_table(document, langs),
        source_lang=reader.source_lang,
        article=article,
        who=reader.who,
        finder=NameFinder(EMPTY),
    )
    return tuple(found)


def _dismissed(
    reader: _Reader, document: object, anchors: Sequence[AnchoredText]
) -> tuple[tuple[str, str, str, str], ...]:
    """The twin's sentence findings the reviewer dismissed: their row is gone from the
    findings table, or their comment was resolved, or deleted while others remain (a
    document stripped of every comment dismisses nothing)."""
    rows = _finding_rows(document)
    comments = {(a.anchor.segment_id, a.anchor.lang): a.qa_comments for a in anchors}
    any_comment = any(comments.values())
    out: list[tuple[str, str, str, str]] = []
    for segment_id, lang, code in reader.twin_findings:
        source = reader.sources.get(segment_id)
        target = reader.twin.get((segment_id, lang))
        if not source or target is None:
            continue
        row_gone = rows is not None and code not in NOT_IN_TABLE
        row_gone = row_gone and (segment_id, lang, code) not in (rows or set())
        mine = comments.get((segment_id, lang), [])
        resolved = bool(mine) and all(c.done for c in mine)
        if row_gone or resolved or (any_comment and not mine):
            out.append((source, lang, target, code))
    return tuple(dict.fromkeys(out))


def _no_anchors(path: Path, document: object, signature: Signature | None) -> BilingualError:
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


def _changes(
    reader: _Reader,
    cells: Sequence[Sequence[AnchoredText]],
    rejected: Mapping[tuple[str, str], str],
) -> tuple[list[Change], list[Change], list[Unit]]:
    """Edited sentences (or paragraphs), unchanged ones with a comment or to approve."""
    changes: list[Change] = []
    kept: list[Change] = []
    for cell in cells:
        lang = cell[0].anchor.lang
        edited = [a for a in cell if fingerprint(a.text) != a.anchor.fingerprint]
        if not edited:
            for a in cell:
                note = "\n".join(c.text for c in a.comments)
                if reader.approve or note:
                    kept.append(Change(a.anchor.segment_id, lang, a.text, a.text, note=note))
            continue
        expected = _expected(reader, cell[0].anchor.segment_id)
        present = [a.anchor.segment_id for a in cell]
        merged = present != expected or any(
            not a.text and reader.sources.get(a.anchor.segment_id) for a in edited
        )
        note = "\n".join(c.text for a in cell for c in a.comments)
        if merged and len(expected) > 1:
            paragraph = expected[0].split(".")[0]
            before = [reader.before(a, rejected) for a in cell]
            joined = None if any(b is None for b in before) else " ".join(b for b in before if b)
            after = " ".join(a.text for a in cell if a.text)
            changes.append(Change(paragraph, lang, joined, after, "paragraph", note))
            continue
        for a in edited:
            n = "\n".join(c.text for c in a.comments)
            changes.append(
                Change(a.anchor.segment_id, lang, reader.before(a, rejected), a.text, note=n)
            )
    return changes, kept, []


def _expected(reader: _Reader, segment_id: str) -> list[str]:
    """The sentence ids of the paragraph (or the caption) ``segment_id`` belongs to."""
    if not segment_id.startswith("p"):
        return [segment_id]
    paragraph = segment_id.split(".")[0] + "."
    return [s for s in reader.order if s.startswith(paragraph)]


def _source_of(reader: _Reader, change: Change) -> str | None:
    if change.level == "paragraph":
        ids = [s for s in reader.order if s.startswith(change.segment_id + ".")]
        parts = [reader.sources.get(s) for s in ids]
        return None if any(p is None for p in parts) else " ".join(p for p in parts if p)
    return reader.sources.get(change.segment_id)


def _unit(reader: _Reader, change: Change, written: Mapping[str, Mapping[str, str]]) -> list[Unit]:
    source = _source_of(reader, change)
    if source is None:
        reader.unmappable.append(
            f"{change.segment_id} ({change.lang}): its source text was edited and no JSON "
            f"twin holds the original, so the correction {change.after!r} cannot be stored"
        )
        return []
    first = change.segment_id if change.level == "sentence" else f"{change.segment_id}.s1"
    prev, nxt = reader.context(first)
    matcher = TermMatcher(reader.glossary)
    terms = tuple(
        (
            m.term_id,
            written.get(m.term_id, {}).get(change.lang)
            or _rendering(reader, m.term_id, change.lang),
        )
        for m in matcher.find(source)
    )
    status: Status = "approved" if reader.approve else "reviewed"
    signature = reader.signature
    return [
        Unit(
            reader.source_lang,
            source,
            change.lang,
            change.after,
            status=status,
            origin=f"review:{reader.path.name}",
            prev=prev,
            next=nxt,
            level=change.level,
            created_by=reader.who,
            note=change.note,
            glossary=signature.glossary if signature is not None else "",
            terms=tuple((t, r) for t, r in terms if r),
        )
    ]


def _rendering(reader: _Reader, term_id: str, lang: str) -> str:
    term = reader.glossary.term(term_id)
    return (term.renderings.get(lang) or "") if term is not None else ""


def _with_article(unit: Unit, article: str) -> Unit:
    from dataclasses import replace

    return replace(unit, article=article)


def _term_notices(
    reader: _Reader, change: Change, written: Mapping[str, Mapping[str, str]]
) -> list[TermNotice]:
    """Terms whose prescribed rendering was in the text before the edit and is not after."""
    source = _source_of(reader, change)
    if source is None or change.before is None or change.before == change.after:
        return []
    notices: list[TermNotice] = []
    for m in TermMatcher(reader.glossary).find(source):
        rendering = written.get(m.term_id, {}).get(change.lang) or _rendering(
            reader, m.term_id, change.lang
        )
        if rendering and rendering in change.before and rendering not in change.after:
            replacement = replacement_words(change.before, change.after, rendering)
            notices.append(
                TermNotice(m.term_id, change.lang, rendering, change.segment_id, replacement)
            )
    return notices


def store_reviews(memory: TranslationMemory, reviews: Sequence[Review]) -> list[int]:
    """Add every review's units and dismissed findings in one transaction; returns how
    many units of each review were new (a review imported before adds none)."""
    with memory.transaction():
        memory.names.add(n for r in reviews for n in r.names)
        memory.dismiss(
            (source_key(r.source_lang, source), lang, target, code, _who(r))
            for r in reviews
            for source, lang, target, code in r.dismissed
        )
        return [memory.add_units(review.units) for review in reviews]


def _who(review: Review) -> str:
    return review.units[0].created_by if review.units else getpass.getuser()
