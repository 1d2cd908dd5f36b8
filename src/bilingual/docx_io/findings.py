"""The QA findings as the briefing shows them: grouped rows, and comments on the sentences.

A sentence's findings of one kind (code) are one row however many languages and items
they name: ``p3.s1 (en, vi) number-mismatch`` with a line per language. Forced terms
have their own table ("Forced terms": term, source, rendering), so they are not rows of
the findings table too; like every sentence finding they are also a Word comment on the
translation they concern, by :data:`QA_AUTHOR`.

The review import reads the same vocabulary back: a reviewer dismisses a finding by
deleting its row, or by resolving (or deleting) its comment; comments by
:data:`QA_AUTHOR` are bilingual's own, never a reviewer's note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, cast

from docx.comments import Comments
from docx.document import Document
from docx.oxml.comments import CT_Comments
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bilingual.document.briefing import Briefing
from bilingual.document.segment import Flag, Level, Rendering, Segment, TermUse
from bilingual.docx_io.ooxml import LABELS, PLAIN, RunStyle, add_run, add_text, keep_with_next
from bilingual.docx_io.styles import CONFIDENCE_MARKS, FORCED_MARK, StyleIds
from bilingual.lang import language_name
from bilingual.qa import LEVELS, line_span

REVIEW_FIRST = "Review these first"
"""Heading of the list of the translations the model was least sure of."""
REVIEW_FIRST_HEADER = ("Confidence", "Sentence", "Language", "Translation")
REVIEW_FIRST_MAX = 10
"""At most this many sentences in that list."""
QA_AUTHOR = "bilingual QA"
"""Author of the comments bilingual writes; the review import leaves them out of notes."""
QA_INITIALS = "QA"
FINDINGS_HEADER = ("Level", "Code", "Where", "Message")
NOT_IN_TABLE = frozenset({"forced-term"})
"""Codes shown in a table of their own, not as rows of the findings table."""
_RANK: dict[Level, int] = {"error": 0, "warning": 1, "info": 2}
_WHERE = re.compile(r"^(\S+)(?: \(([^)]*)\))?$")


@dataclass(frozen=True)
class FindingRow:
    """One row of the findings table."""

    level: Level
    code: str
    where: str
    """``p3.s1 (en, vi)``, ``c1 (en)``, ``article``, ``paragraph 4``."""
    lines: tuple[str, ...]
    """The message, a line per language where there are several."""


def where_of(segment_id: str, langs: Sequence[str]) -> str:
    return f"{segment_id} ({', '.join(langs)})" if langs else segment_id


def parse_where(where: str) -> tuple[str, tuple[str, ...]]:
    """``p3.s1 (en, vi)`` -> ``("p3.s1", ("en", "vi"))``; the inverse of :func:`where_of`."""
    m = _WHERE.match(where.strip())
    if m is None:
        return where.strip(), ()
    langs = tuple(x.strip() for x in (m.group(2) or "").split(",") if x.strip())
    return m.group(1), langs


def confidence_band(rendering: Rendering | None, limits: tuple[float, float] | None) -> str | None:
    """``low`` or ``fair`` for a machine translation the model is unsure of (see
    :mod:`bilingual.confidence`), None in the good band, for a reviewer's text, or where
    nothing is known. Without the model's ``(low, high)`` thresholds only a rendering
    flagged ``low-confidence`` is placed (low)."""
    if rendering is None or rendering.reviewed or rendering.confidence is None:
        return None
    if limits is None:
        flagged = any(f.code == "low-confidence" for f in rendering.flags)
        return "low" if flagged else None
    low, high = limits
    if rendering.confidence < low:
        return "low"
    return "fair" if rendering.confidence < high else None


def least_confident(
    briefing: Briefing, limit: int = REVIEW_FIRST_MAX
) -> list[tuple[Segment, str, float, str]]:
    """``(segment, language, confidence, band)`` of the translations in the low or fair
    band, least confident first (then in document order), at most ``limit``."""
    found: list[tuple[float, int, Segment, str, str]] = []
    for k, segment in enumerate(briefing.all_segments()):
        for lang, rendering in segment.renderings.items():
            marked = confidence_band(rendering, briefing.bands.get(lang))
            if marked is not None and rendering.confidence is not None:
                found.append((rendering.confidence, k, segment, lang, marked))
    found.sort(key=lambda item: (item[0], item[1]))
    return [(s, lang, c, marked) for c, _, s, lang, marked in found[:limit]]


def band_legend(bands: Mapping[str, tuple[float, float]]) -> str:
    """What the confidence marks mean (the aligned table's legend)."""
    low, fair = CONFIDENCE_MARKS["low"], CONFIDENCE_MARKS["fair"]
    return (
        f"{low} low confidence (shaded red): the model was unsure of this translation, "
        f"check it first; {fair} fair (shaded amber): less sure than usual for this model. "
        "Unmarked: as sure as the model usually is. Confidence is the model's mean "
        "log-probability per word piece, judged against thresholds measured for each model "
        "(`bilingual models calibrate`)"
        + ("" if bands else "; no thresholds are known here, so only low is marked")
        + "."
    )


def _worst(flags: Iterable[Flag]) -> Level:
    return min((f.level for f in flags), key=_RANK.__getitem__)


def group_rows(found: Sequence[tuple[str, Flag]]) -> list[FindingRow]:
    """``(where, flag)`` pairs as rows: one per place and code, the most serious first,
    then in document order; each row at the level of its most serious finding."""
    groups: dict[tuple[str, str], list[Flag]] = {}
    for where, flag in found:
        if flag.code not in NOT_IN_TABLE:
            groups.setdefault((where, flag.code), []).append(flag)
    rows: list[FindingRow] = []
    for (where, code), flags in groups.items():
        flags = list(dict.fromkeys(flags))
        langs = list(dict.fromkeys(f.lang for f in flags if f.lang))
        several = len(langs) > 1
        lines = tuple(f"{f.lang}: {f.message}" if several and f.lang else f.message for f in flags)
        rows.append(FindingRow(_worst(flags), code, where_of(where, langs), lines))
    order = {row.where: k for k, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (_RANK[r.level], order[r.where]))


def sentence_findings(briefing: Briefing) -> list[tuple[str, Flag]]:
    """``(segment id, flag)`` for every sentence and caption finding, in document order."""
    segments: list[Segment] = list(briefing.all_segments())
    return [(s.id, f) for s in segments for f in s.flags()]


def comment_text(flags: Sequence[Flag]) -> str:
    """A Word comment holding one sentence's findings in one language, a line each."""
    ordered = sorted(dict.fromkeys(flags), key=lambda f: _RANK[f.level])
    return "\n".join(f"{f.level}: {f.code}: {f.message}" for f in ordered)


def add_comment(document: Document, runs: Sequence[Run], flags: Sequence[Flag]) -> None:
    """The findings on one translated sentence as a Word comment over its runs."""
    if flags:
        _append_comment(document, runs, comment_text(flags), QA_AUTHOR, QA_INITIALS)


def add_note(document: Document, runs: Sequence[Run], note: str, author: str, date: str) -> None:
    """A reviewer's note from the memory, shown again as their comment on the sentence:
    their name as its author (never :data:`QA_AUTHOR`), their date when it is known."""
    if note:
        who = author or "reviewer"
        initials = "".join(w[0] for w in who.split()[:3]).upper() or "R"
        _append_comment(document, runs, note, who, initials, date)


def _append_comment(
    document: Document,
    runs: Sequence[Run],
    text: str,
    author: str,
    initials: str,
    date: str = "",
) -> None:
    """What ``document.add_comment`` does, but for the id: python-docx reads every comment's
    id to number a new one, quadratic over the thousands of comments of a long article
    (minutes for a 5 MB one). Comments are only ever appended here, numbered up from 0,
    so the last one holds the largest id.
    """
    if not runs:
        return
    comments = document.comments
    last = next(comments._comments_elm.iterchildren(qn("w:comment"), reversed=True), None)
    comment_id = int(last.get(qn("w:id"), "-1")) + 1 if last is not None else 0
    # python-docx builds the comment (text, styles, date) in an empty collection: id 0
    empty = cast(CT_Comments, parse_xml(f"<w:comments {nsdecls('w')}/>"))
    scratch = Comments(empty, comments._comments_part)
    comment = scratch.add_comment(text, author=author, initials=initials)
    element = comment._comment_elm
    element.set(qn("w:id"), str(comment_id))
    if date:
        element.set(qn("w:date"), date)
    comments._comments_elm.append(element)
    runs[0].mark_comment_range(runs[-1], comment_id)


# -- the section ----------------------------------------------------------------------------


class SectionWriter(Protocol):
    """What the QA section needs of :class:`.sections.BriefingSections`."""

    doc: Document
    b: Briefing
    styles: StyleIds
    width: float

    def para(
        self,
        text: str = "",
        *,
        lang: str = LABELS,
        style: str | None = None,
        fmt: RunStyle = PLAIN,
        into: Paragraph | None = None,
    ) -> Paragraph: ...

    def new_table(self, names: Sequence[str]) -> Table: ...

    def row(
        self, table: Table, values: Sequence[str], langs: Sequence[str] | None = None
    ) -> _Row: ...

    def widths(self, table: Table, widths: Sequence[float]) -> None: ...

    def release(self, *elements: BaseOxmlElement) -> None: ...


_SMALL = RunStyle(size=9)


class QualitySection:
    """The "Quality checks" section: the levels, the findings table, the forced terms."""

    def __init__(self, writer: SectionWriter) -> None:
        self.w = writer
        self.b = writer.b

    def write(self) -> None:
        b = self.b
        doc = self.w.doc
        keep_with_next(doc.add_heading("Quality checks", level=1))
        self.review_first()
        found = [("article", f) for f in b.flags] + sentence_findings(b)
        if b.article.repeats:
            # each repeat is shown once, from article.repeats (it has both line ranges)
            found = [(w, f) for w, f in found if f.code != "repeated-paragraph"]
        rows = group_rows(found)
        forced = [
            (s.id, lang, u) for s in b.all_segments() for lang, u in s.term_uses() if u.forced
        ]
        if not rows and not b.article.repeats and not forced:
            self.w.para("No findings.", fmt=RunStyle(italic=True))
            return
        self.legend()
        if rows or b.article.repeats:
            self.findings_table(rows)
        if forced:
            self.forced_table(forced)

    def legend(self) -> None:
        """What the levels mean, and how a reviewer dismisses a finding."""
        for level, meaning in LEVELS.items():
            p = self.w.doc.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            keep_with_next(p)  # the legend stays with the heading above and the table below
            add_run(p, f"{level}: ", rtl=False, lang=LABELS, fmt=replace(_SMALL, bold=True))
            add_run(p, meaning + ".", rtl=False, lang=LABELS, fmt=_SMALL)
        note = (
            "Each sentence's findings are also a comment on its translation (by "
            f"\u201c{QA_AUTHOR}\u201d). To dismiss a finding, delete its row here or resolve "
            "or delete its comment: it is not raised again on the same text."
        )
        keep_with_next(self.w.para(note, fmt=RunStyle(size=9, italic=True)))

    def review_first(self) -> None:
        """The translations the model was least sure of, least confident first."""
        w = self.w
        unsure = least_confident(self.b)
        if not unsure:
            return
        keep_with_next(w.doc.add_heading(REVIEW_FIRST, level=2))
        note = w.para(
            "The translations the model was least sure of (most negative confidence first; "
            f"at most {REVIEW_FIRST_MAX}). Their marks in the table: " + band_legend(self.b.bands),
            fmt=_SMALL,
        )
        keep_with_next(note)  # with the table it introduces
        table = w.new_table(list(REVIEW_FIRST_HEADER))
        w.widths(table, [3.0, 2.0, 2.2, w.width - 7.2])
        for segment, lang, confidence, marked in unsure:
            values = [
                f"{CONFIDENCE_MARKS[marked]} {confidence:.2f} ({marked})",
                segment.id,
                lang,
                segment.text(lang) or "",
            ]
            added = w.row(table, values, langs=[LABELS, LABELS, LABELS, lang])
            w.release(added._tr)

    def findings_table(self, rows: Sequence[FindingRow]) -> None:
        w = self.w
        table = w.new_table(list(FINDINGS_HEADER))
        repeats = [
            FindingRow(
                "info",
                "repeated-paragraph",
                f"paragraph {repeat.paragraph + 1}",
                (
                    f"{line_span(*repeat.first_lines)} "
                    f"{'appears' if len(set(repeat.first_lines)) == 1 else 'appear'} again at "
                    f"{line_span(*repeat.repeat_lines)}; translated and shown once",
                ),
            )
            for repeat in self.b.article.repeats
        ]
        # widths first: each row takes them from the grid and is released when written
        w.widths(table, [1.7, 3.6, 3.0, w.width - 8.3])
        serious = [row for row in rows if row.level != "info"]
        for row in [*serious, *repeats, *rows[len(serious) :]]:
            added = w.row(table, [row.level, row.code, row.where, row.lines[0]])
            cells = added.cells
            for line in row.lines[1:]:
                add_text(cells[3].add_paragraph(), line, rtl_para=False, lang=LABELS, fmt=_SMALL)
            w.release(added._tr)

    def forced_table(self, forced: Sequence[tuple[str, str, TermUse]]) -> None:
        w = self.w
        keep_with_next(w.doc.add_heading("Forced terms", level=2))
        note = w.doc.add_paragraph()
        keep_with_next(note)
        add_run(
            note,
            "Renderings written into the translation after decoding; marked ",
            rtl=False,
            lang=LABELS,
            fmt=_SMALL,
        )
        mark = replace(_SMALL, style_id=w.styles.forced_mark)
        add_run(note, FORCED_MARK, rtl=False, lang=LABELS, fmt=mark)
        add_run(
            note,
            " and highlighted in the table (level info: listed here, not in the table above). "
            "Check that the sentence still reads right.",
            rtl=False,
            lang=LABELS,
            fmt=_SMALL,
        )
        table = w.new_table(
            ["Sentence", "Term", "Language", language_name(self.b.source_lang), "Rendering"]
        )
        half = (w.width - 7.7) / 2
        w.widths(table, [2.0, 3.5, 2.2, half, half])
        for sentence_id, lang, use in forced:
            values = [sentence_id, use.term_id, lang, use.source_text, use.rendering]
            added = w.row(table, values, langs=[LABELS, LABELS, LABELS, self.b.source_lang, lang])
            w.release(added._tr)
