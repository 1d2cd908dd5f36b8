"""Reviewed names: a reviewer's correction of a kept name, taken from the briefing.

A reviewer corrects a name a run kept (strategy ``auto``) in either of two ways, and
both reach the memory as the name's ``reviewed`` rendering, so that the next run spells
it so in every sentence of every article:

* in a sentence: the kept rendering was in the text bilingual wrote and is not in the
  reviewer's, and the words that replaced it are found (the same diff as a glossary
  term's notice, :func:`bilingual._text.replacement_words`);
* in the "Names kept consistent" table: the rendering's cell was changed.

The table wins where both say something: it is the place made for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bilingual._text import replacement_words
from bilingual.document.names import KeptName
from bilingual.document.segment import TermUse
from bilingual.memory.names import StoredName, name_key
from bilingual.names.detect import NameFinder
from bilingual.names.keep import clean_rendering


@dataclass(frozen=True)
class NameEdit:
    """One edited translation of a segment, with the kept names bilingual wrote in it."""

    segment_id: str
    lang: str
    before: str
    after: str
    uses: Sequence[TermUse]
    """The term uses of the written translation (the JSON twin's)."""


def _name_sized(new: str, old: str) -> bool:
    return len(new.split()) <= max(4, 2 * len(old.split()))


def reviewed_names(
    kept: Sequence[KeptName],
    edits: Sequence[NameEdit],
    table: Mapping[str, Mapping[str, str]],
    *,
    source_lang: str,
    article: str,
    who: str,
    finder: NameFinder,
) -> list[StoredName]:
    """The reviewed renderings of kept names found in a reviewed briefing.

    ``kept``: the names the briefing listed (its JSON twin); ``table``: Arabic -> target ->
    the rendering cell as the reviewer left it in the names table.
    """
    by_id = {name.term_id: name for name in kept}
    found: dict[tuple[str, str], tuple[KeptName, str, str]] = {}
    for edit in edits:
        for use in edit.uses:
            name = by_id.get(use.term_id)
            if name is None or use.rendering not in edit.before or use.rendering in edit.after:
                continue
            words = replacement_words(edit.before, edit.after, use.rendering)
            new = clean_rendering(words or "")
            # a rewritten sentence is not a renamed name: the words that replaced it must
            # be about as many as the name's
            if new and new != use.rendering and _name_sized(new, use.rendering):
                found[(name.term_id, edit.lang)] = (name, new, edit.segment_id)
    for name in kept:
        cells = table.get(name.source, {})
        for lang, cell in cells.items():
            new = clean_rendering(cell)
            if new and new != name.renderings.get(lang):
                found[(name.term_id, lang)] = (name, new, "names table")
    return [
        StoredName(
            name_key(source_lang, finder.key(name.source)),
            source_lang,
            name.source,
            lang,
            rendering,
            "reviewed",
            name.type,
            article,
            where,
            created_by=who,
        )
        for (_, lang), (name, rendering, where) in found.items()
    ]
