"""Guard: before ``translate`` replaces a briefing, find the reviewer's work in it.

A briefing DOCX about to be replaced is read as a review. Its edits are imported into
the memory first, so the new briefing shows them as reviewed. The DOCX is not replaced
(the article fails with a message saying what to do) when it is open in an editor,
cannot be read or mapped, or has edits (a deleted row too) while no memory is in use.
A briefing written before sentences had anchors may be replaced only when its text still
equals its JSON twin's: then nobody edited it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bilingual.errors import BilingualError, ReviewError
from bilingual.glossary.term import Glossary
from bilingual.review import Review, check_not_open, read_review

__all__ = ["file_hash", "guard_briefing"]


def _unedited_legacy(docx: Path) -> bool:
    """An anchor-less briefing whose every sentence equals its JSON twin's."""
    from bilingual.docx_io.reader import read_docx
    from bilingual.json_io import read_json

    json_path = docx.with_suffix(".json")
    if not json_path.is_file():
        return False
    try:
        written = read_json(json_path)
        found = read_docx(docx)
    except BilingualError:
        return False
    texts = {(s.id, lang): s.text(lang) for s in written.segments() for lang in written.languages}
    return bool(found.segments) and all(
        texts.get((s.id, lang)) == s.text(lang)
        for s in found.segments
        for lang in (s.source_lang, *s.renderings)
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def guard_briefing(
    docx: Path, glossary: Glossary, *, has_memory: bool, written: str | None = None
) -> Review | None:
    """The review held by the briefing ``docx`` about to be replaced (None: no file, or
    nothing to keep). ``written`` is the hash recorded when bilingual wrote the file:
    a file still equal to it is not read. Raises ReviewError when it must not be replaced."""
    check_not_open(docx)  # a lock file alone still means an editor holds the name
    if not docx.exists():
        return None
    if written is not None and file_hash(docx) == written:
        return None
    keep = "; the briefing was not replaced"
    try:
        review = read_review(docx, glossary=glossary)
    except BilingualError as exc:
        legacy = isinstance(exc, ReviewError) and "no sentence anchors" in exc.what
        if legacy and _unedited_legacy(docx):
            return None
        raise ReviewError(exc.what + keep, where=exc.where, fix=exc.fix) from None
    if review.unmappable:
        raise ReviewError(
            f"has {len(review.unmappable)} edit(s) that cannot be mapped to a sentence{keep}: "
            + "; ".join(review.unmappable),
            where=str(docx),
            fix="restore the Arabic column or the JSON twin beside it, or copy the "
            "corrections elsewhere and move the file away",
        )
    if (review.units or review.deleted) and not has_memory:
        rows = f" and {len(review.deleted)} deleted row(s)" if review.deleted else ""
        raise ReviewError(
            f"holds {len(review.units)} reviewed sentence(s){rows} and --no-memory is set, "
            f"so they would be lost{keep}",
            where=str(docx),
            fix="run without --no-memory (the edits go into the memory), or move the file "
            "away first",
        )
    return review
