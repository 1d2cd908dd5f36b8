"""The "Names kept consistent" section: the names outside the glossary this run held to
one rendering, each with where it was first seen and the one command that makes it
permanent.

The reviewer reads it as a to-do list: check each rendering, then run its command (a
``bilingual glossary add ...``, or ``glossary set`` then ``glossary confirm`` for a draft).
Until then, every run keeps using the same rendering: it is in the translation memory.
"""

from __future__ import annotations

from docx.shared import Pt

from bilingual.document.names import KeptName
from bilingual.docx_io.findings import SectionWriter
from bilingual.docx_io.ooxml import LABELS, RunStyle, add_run, keep_with_next
from bilingual.lang import language_name

_SMALL = RunStyle(size=9, color="444444")
_CODE = RunStyle(size=8, color="333333", mono=True)
_ORIGINS = {
    "model": "the model",
    "reviewed": "a reviewer",
}
"""Where the rendering came from, as the table says it."""


def write_names(w: SectionWriter) -> None:
    """The section, after the quality checks; nothing when the run kept no name here."""
    b = w.b
    if not b.names:
        return
    keep_with_next(w.doc.add_heading("Names kept consistent", level=1))
    note = w.doc.add_paragraph()
    keep_with_next(note)
    add_run(
        note,
        "Names the glossary does not hold, kept to one rendering in every briefing of the "
        "run and in later runs (strategy auto). Check each; the command under it makes it "
        "a glossary term.",
        rtl=False,
        lang=LABELS,
        fmt=_SMALL,
    )
    langs = [*b.targets]
    table = w.new_table(
        [
            language_name(b.source_lang),
            *(language_name(lang) for lang in langs),
            "Type",
            "First seen",
            "Here / run",
            "From",
        ]
    )
    for name in b.names:
        values = [name.source, *(name.renderings.get(lang, "") for lang in langs)]
        values += [
            name.type,
            f"{name.first_article} {name.first_segment}",
            f"{name.count_here} / {name.count}",
            _ORIGINS.get(name.origin, name.origin),
        ]
        w.row(table, values, [b.source_lang, *langs, LABELS, LABELS, LABELS, LABELS])
    fixed = 2.0 + 3.6 + 1.8 + 3.0
    text = max(2.5, (w.width - fixed) / (1 + len(langs)))
    w.widths(table, [text, *([text] * len(langs)), 2.0, 3.6, 1.8, 3.0])
    keep_with_next(w.doc.add_heading("Commands to confirm them", level=2))
    for name in b.names:
        _command(w, name)


def _command(w: SectionWriter, name: KeptName) -> None:
    paragraph = w.doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    add_run(paragraph, name.command(), rtl=False, lang=LABELS, fmt=_CODE)
