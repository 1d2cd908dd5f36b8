"""The memory's similar sentence, shown in place: a Word comment on the translation.

Where the memory had no exact match for a sentence but a reviewed or approved one close
to it (see :mod:`bilingual.memory.similar`), the briefing puts a comment by
:data:`SIMILAR_AUTHOR` on the machine translation: how similar the two Arabic sentences
are, what differs between them word by word (what today's sentence dropped and what it
added), and the reviewed translation, for the reviewer to adapt. Nothing is copied into
the text: the machine translation stays until the reviewer edits it.

The review import reads comments by :data:`SIMILAR_AUTHOR` as bilingual's own: never a
reviewer's note, never a QA finding (see :mod:`bilingual.docx_io.anchors`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from docx.document import Document
from docx.text.run import Run

from bilingual.document.segment import Rendering, Similar
from bilingual.docx_io.findings import add_note
from bilingual.memory.similar import normalized_words

SIMILAR_AUTHOR = "bilingual memory"
"""Author of the similar-sentence comments; the review import leaves them out of notes."""

_MAX_WORDS = 12
"""Words quoted per changed stretch; a longer one is cut with an ellipsis."""


def _quoted(words: Sequence[str]) -> str:
    shown = " ".join(words[:_MAX_WORDS]) + (" …" if len(words) > _MAX_WORDS else "")
    return f"\u201c{shown}\u201d"


def _keys(lang: str, words: Sequence[str]) -> list[str]:
    """Each word as matching sees it (itself where normalisation leaves nothing)."""
    return [next(iter(normalized_words(lang, w)), (w, 0))[0] for w in words]


def word_diff(lang: str, theirs: str, ours: str) -> list[str]:
    """What changed from the memory's sentence (``theirs``) to this one (``ours``), a line
    per stretch: ``removed "…"``, ``added "…"`` or ``"…" became "…"``. Words are compared
    as matching sees them (normalised), and quoted as written."""
    a, b = theirs.split(), ours.split()
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(a=_keys(lang, a), b=_keys(lang, b), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete":
            lines.append(f"removed {_quoted(a[i1:i2])}")
        elif op == "insert":
            lines.append(f"added {_quoted(b[j1:j2])}")
        elif op == "replace":
            lines.append(f"{_quoted(a[i1:i2])} became {_quoted(b[j1:j2])}")
    return lines


def similar_text(similar: Similar, source: str, source_lang: str) -> str:
    """The comment: score and where the unit came from, the differences, the translation."""
    where = f", {similar.article}" if similar.article else ""
    when = f", {similar.date[:10]}" if similar.date else ""
    changes = word_diff(source_lang, similar.source, source) or ["the same words"]
    return "\n".join(
        (
            f"Similar sentence in the memory: {similar.score:.0%} ({similar.status}{where}"
            f"{when}; unit {similar.unit_id}). Not used: adapt it if it helps.",
            f"Its source: {similar.source}",
            "Differences (memory \u2192 this sentence): " + "; ".join(changes),
            f"Its {similar.status} translation: {similar.target}",
        )
    )


def add_similar(
    document: Document, runs: Sequence[Run], rendering: Rendering, source: str, lang: str
) -> None:
    """The comment on ``runs`` (a translation), where its rendering carries a similar unit."""
    if rendering.similar is not None:
        text = similar_text(rendering.similar, source, lang)
        add_note(document, runs, text, SIMILAR_AUTHOR, "")
