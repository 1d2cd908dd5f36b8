"""Review import: a reviewer's edits in a briefing DOCX become translation-memory units.

Each anchored target sentence (see :mod:`bilingual.docx_io.anchors`) whose text no
longer matches the fingerprint bilingual wrote is an edit. Its source comes from the
Arabic column when that is untouched (the source is read-only: edits there are
reported and ignored), else from the JSON twin beside the DOCX. Where a reviewer merged
or split sentences (a sentence's anchor is gone, or its text emptied) the whole cell
becomes one paragraph-level unit. The text before the edit, for ``--diff`` and for the
glossary check, is the tracked-changes original or the JSON twin's.

No change to the table is dropped: a row the reviewer deleted (its paragraph's anchors all
gone) is reported and recorded in the memory, and the next briefing shows it again marked
``deleted-row``; a row the reviewer added (text, no anchor) is reported and kept as their
note on the sentence above it. A comment that only shows the memory's note again (the
DOCX writer puts it there) is no new note.

Nothing here writes: :func:`read_review` returns the units and the report, and
:func:`store_reviews` adds every file's units to the memory in one transaction."""

from __future__ import annotations

import difflib
import getpass
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bilingual._text import occurrences, replacement_words
from bilingual.docx_io.anchors import AnchoredText, read_anchors
from bilingual.docx_io.findings import NOT_IN_TABLE
from bilingual.docx_io.styles import fingerprint
from bilingual.errors import BriefingReadError
from bilingual.glossary.match import TermMatcher
from bilingual.glossary.term import EMPTY, Glossary
from bilingual.lang import LANGUAGES, language_name
from bilingual.memory.manage import retracted
from bilingual.memory.names import StoredName
from bilingual.memory.store import Level, Status, TranslationMemory, Unit, source_key
from bilingual.review_tables import (
    ROW_DELETED,
    SHOWN_DELETED,
    AddedRow,
    DeletedRow,
    added_rows,
    appendix_terms,
    check_not_open,
    finding_rows,
    names_table,
    no_anchors_error,
    open_briefing,
    read_twin,
)
from bilingual.shell import shell_command
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
    approved: bool = False
    """Its approval box was ticked: stored approved, as it stands (an edit included)."""

    def diff(self) -> str:
        """A word diff: ``[-removed-]{+added+}`` around the words that changed."""
        if self.before is None:
            # neither tracked changes nor the briefing JSON say what was written
            return f"(text before unknown) {{+{self.after}+}}"
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
        """The command that makes the reviewer's words the glossary's rendering, quoted
        for pasting: a reviewer's text may hold ``$(...)``, quotes or a newline."""
        new = self.replacement or "NEW RENDERING"
        return shell_command("bilingual", "glossary", "set", self.term_id, f"--{self.lang}", new)


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
    deleted: tuple[DeletedRow, ...] = ()
    """Rows of the aligned table the reviewer deleted (recorded, never silently undone)."""
    added: tuple[AddedRow, ...] = ()
    """Rows the reviewer added (kept as a note on the sentence above them)."""
    ticked: tuple[str, ...] = ()
    """``p2.s1 (en)`` for each sentence whose approval box the reviewer ticked."""

    @property
    def paragraph_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changed if c.level == "paragraph")


def row_messages(review: Review) -> list[str]:
    """One line per row of the aligned table the reviewer deleted or added, saying what
    became of it (``review import`` and ``translate`` print them)."""
    lines = [
        f"{row.paragraph}: the reviewer deleted the row of paragraph {row.number}; recorded "
        f"in the memory: the next briefing shows it again (the article has it), marked "
        f"{SHOWN_DELETED!r}"
        for row in review.deleted
    ]
    for row in review.added:
        where = f"after paragraph {row.after[1:]}" if row.after else "at the top"
        lines.append(
            f"the reviewer added a row {where} ({', '.join(row.texts)}): kept as their note "
            "on the sentence above it, shown as their comment in the next briefing"
        )
    return lines


@dataclass
class _Reader:
    path: Path
    source_lang: str
    signature: Signature | None
    glossary: Glossary
    approve: bool
    who: str
    twin_path: Path | None = None

    def __post_init__(self) -> None:
        twin = read_twin(self.twin_path or self.path.with_suffix(".json"))
        self.twin_file = twin
        self.twin = twin.texts
        self.twin_findings = twin.findings
        self.twin_names = twin.names
        self.twin_uses = twin.uses
        self.sources: dict[str, str] = {}
        self.order: list[str] = []
        self.source_edits: list[str] = []
        self.unmappable: list[str] = []
        self.any_comment = False
        """The document holds a comment: a tool that strips them all deletes no note."""
        self.extra: dict[tuple[str, str], list[str]] = {}
        """``(segment id, lang) -> notes`` the review adds to a sentence's own comments
        (a row the reviewer added, kept on the sentence above it)."""

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
    twin: Path | None = None,
) -> Review:
    """Read the reviewer's edits in the briefing DOCX at ``path`` (nothing is written).

    Raises ReviewError or BriefingReadError when the file is open in an editor, is not a
    briefing bilingual wrote, or has lost its aligned table. ``twin``: the briefing JSON
    bilingual wrote with it, when it is not beside it (a DOCX sent back by mail): what
    was written is known from it, and an edit is diffed against it.
    """
    check_not_open(path)
    document = open_briefing(path)
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
        raise no_anchors_error(path, document, signature)
    rejected = {
        (a.anchor.segment_id, a.anchor.lang): a.text
        for a in read_anchors(document, langs, reject_changes=True)  # type: ignore[arg-type]
    }
    who = who or getattr(props, "last_modified_by", "") or getpass.getuser()
    if who.startswith("bilingual "):
        who = getpass.getuser()  # the document was saved by bilingual, not by a person
    reader = _Reader(path, source_lang, signature, glossary, approve, who, twin)
    reader.read_sources(anchors)
    reader.any_comment = any(a.comments or a.qa_comments or a.shown for a in anchors)
    targets = tuple(dict.fromkeys(a.anchor.lang for a in anchors if a.anchor.lang != source_lang))
    written_terms = appendix_terms(document, [source_lang, *targets])
    added = added_rows(document)
    reader.extra = _added_notes(reader, added, targets)
    changes, unchanged = _changes(reader, _cells(anchors, source_lang), rejected)
    notices = [n for c in changes for n in _term_notices(reader, c, written_terms)]
    article = str(getattr(props, "subject", "") or path.stem)
    # every unit names its article: the edited ones, and those kept for a comment or
    # stored by --approve
    units = [
        replace(u, article=article)
        for c in (*changes, *unchanged)
        for u in _unit(reader, c, written_terms)
    ]
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
        units=tuple(units),
        dismissed=_dismissed(reader, document, anchors),
        names=_names(reader, document, changes, article),
        deleted=_deleted_rows(reader, anchors),
        added=tuple(added),
        ticked=tuple(f"{c.segment_id} ({c.lang})" for c in (*changes, *unchanged) if c.approved),
    )


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
        names_table(document, langs),
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
    rows = finding_rows(document)
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


def _notes(reader: _Reader, items: Sequence[AnchoredText]) -> tuple[str, bool]:
    """The note of ``items`` (their comments, and what the review adds), and whether it
    changed: a comment that only shows the memory's note again is not new, and a note
    the reviewer deleted is a change (unless the document lost every comment)."""
    texts: list[str] = []
    new = False
    for a in items:
        key = (a.anchor.segment_id, a.anchor.lang)
        shown = reader.twin_file.notes.get(key, "")
        mine = [c.text for c in a.comments] + reader.extra.get(key, [])
        for text in mine:
            texts.append(text)
            new = new or text != shown
        new = new or bool(shown and shown not in mine and reader.any_comment)
    return "\n".join(dict.fromkeys(t for t in texts if t)), new


def _changes(
    reader: _Reader,
    cells: Sequence[Sequence[AnchoredText]],
    rejected: Mapping[tuple[str, str], str],
) -> tuple[list[Change], list[Change]]:
    """Edited sentences (or paragraphs), unchanged ones with a new comment or to approve."""
    changes: list[Change] = []
    kept: list[Change] = []
    for cell in cells:
        lang = cell[0].anchor.lang
        edited = [a for a in cell if fingerprint(a.text) != a.anchor.fingerprint]
        if not edited:
            for a in cell:
                note, new = _notes(reader, [a])
                if reader.approve or new or a.approved:
                    kept.append(_as_is(a, note))
            continue
        expected = _expected(reader, cell[0].anchor.segment_id)
        present = [a.anchor.segment_id for a in cell]
        merged = present != expected or any(
            not a.text and reader.sources.get(a.anchor.segment_id) for a in edited
        )
        if merged and len(expected) > 1:
            paragraph = expected[0].split(".")[0]
            before = [reader.before(a, rejected) for a in cell]
            joined = None if any(b is None for b in before) else " ".join(b for b in before if b)
            after = " ".join(a.text for a in cell if a.text)
            note = _notes(reader, cell)[0]
            ticked = all(a.approved for a in cell)
            changes.append(Change(paragraph, lang, joined, after, "paragraph", note, ticked))
            continue
        for a in cell:
            note, new = _notes(reader, [a])
            if a in edited:
                was = reader.before(a, rejected)
                ok = bool(a.approved)  # an edit whose box is ticked: the edit, approved
                changes.append(Change(a.anchor.segment_id, lang, was, a.text, "sentence", note, ok))
            elif new or a.approved:
                kept.append(_as_is(a, note))
    return changes, kept


def _as_is(a: AnchoredText, note: str) -> Change:
    """An unedited sentence kept for its note or approved (its box ticked, or --approve)."""
    return Change(
        a.anchor.segment_id, a.anchor.lang, a.text, a.text, note=note, approved=bool(a.approved)
    )


def _added_notes(
    reader: _Reader, rows: Sequence[AddedRow], targets: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    """Each added row as a note on the first target sentence of the row above it (on the
    first sentence of the table for a row added at the top)."""
    sentences = [s for s in reader.order if s.startswith("p")]
    out: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if not sentences or not targets:
            reader.unmappable.append(f"a row the reviewer added ({row.texts}) has no neighbour")
            continue
        mine = [s for s in sentences if s.split(".")[0] == row.after]
        segment = mine[-1] if mine else sentences[0]
        where = f"after paragraph {row.after[1:]}" if row.after else "before the first paragraph"
        parts = "; ".join(f"{language_name(lang)}: {text}" for lang, text in row.texts.items())
        note = f"Row added by the reviewer {where}: {parts}"
        out.setdefault((segment, targets[0]), []).append(note)
    return out


def _deleted_rows(reader: _Reader, anchors: Sequence[AnchoredText]) -> tuple[DeletedRow, ...]:
    """The paragraphs the JSON twin lists whose row has no anchor left. Without a twin a
    gap in the numbering is unmappable: what the row held is not known."""
    present = {a.anchor.segment_id.split(".")[0] for a in anchors}
    targets = [
        lang for (_s, lang) in reader.twin if lang != reader.source_lang and _s.startswith("p")
    ]
    out: list[DeletedRow] = []
    # a twin of another run of the article (a DOCX sent back and the article re-run since)
    # does not say what this DOCX held: every source anchor must match it
    agrees = all(
        fingerprint(reader.twin.get((a.anchor.segment_id, a.anchor.lang), ""))
        == a.anchor.fingerprint
        for a in anchors
        if a.anchor.lang == reader.source_lang
    )
    paragraphs = reader.twin_file.paragraphs() if agrees else {}
    for paragraph, ids in paragraphs.items():
        if paragraph in present:
            continue
        rows = tuple(
            (reader.twin[(s, reader.source_lang)], lang, reader.twin.get((s, lang), ""))
            for s in ids
            for lang in dict.fromkeys(targets)
        )
        out.append(DeletedRow(paragraph, rows))
    if not paragraphs:
        numbers = sorted(int(p[1:]) for p in present if p.startswith("p") and p[1:].isdigit())
        for gap in sorted(set(range(1, numbers[-1] + 1)) - set(numbers)) if numbers else []:
            reader.unmappable.append(
                f"p{gap}: the row of paragraph {gap} was deleted and no JSON twin says what "
                "it held, so the deletion cannot be recorded"
            )
    return tuple(out)


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
    status: Status = "approved" if reader.approve or change.approved else "reviewed"
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
        # as the locking finds a rendering: whole words, capitalised at the sentence start
        # too ("Cybercrime" is the term "cybercrime"), so an edit there is a term change
        gone = rendering and not occurrences(change.after, rendering)
        if gone and occurrences(change.before, rendering):
            replacement = replacement_words(change.before, change.after, rendering)
            notices.append(
                TermNotice(m.term_id, change.lang, rendering, change.segment_id, replacement)
            )
    return notices


def store_reviews(
    memory: TranslationMemory, reviews: Sequence[Review], *, restore: bool = True
) -> list[int]:
    """Add every review's units and dismissed findings in one transaction, each file with
    units one import batch (``memory retract`` takes it back); returns how many units of
    each were new. ``restore=False`` (the import ``translate`` and ``publish`` make on
    their own) leaves out the units a retraction took back; ``review import`` restores."""
    with memory.transaction():
        gone = set() if restore else retracted(memory, (u.ident for r in reviews for u in r.units))
        reviews = [
            replace(r, units=tuple(u for u in r.units if u.ident not in gone)) for r in reviews
        ]
        memory.names.add(n for r in reviews for n in r.names)
        memory.dismiss(
            (source_key(r.source_lang, source), lang, target, code, _who(r))
            for r in reviews
            for source, lang, target, code in (
                *r.dismissed,
                *((s, lang, t, ROW_DELETED) for row in r.deleted for s, lang, t in row.sentences),
            )
        )
        return [
            memory.add_import(_kind(r), str(r.path), r.units, who=_who(r))[1] if r.units else 0
            for r in reviews
        ]


def _kind(review: Review) -> str:
    return "xliff" if review.path.suffix.lower() in (".xlf", ".xliff") else "review"


def _who(review: Review) -> str:
    return review.units[0].created_by if review.units else getpass.getuser()
