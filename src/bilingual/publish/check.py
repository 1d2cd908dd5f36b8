"""Check a written edition by what it shows: every sentence once, in order, in its
language and direction, and nothing that is only for the reviewer.

A renderer's ``read_blocks`` reads its file back (DOCX XML, the PDF's text, the HTML's
DOM) as :class:`~bilingual.publish.edition.Block` items; :func:`verify` compares them
with the :class:`~bilingual.publish.edition.Publication` that was rendered. Text is
compared after NFKC (a PDF's Arabic presentation forms and no-break spaces become the
letters and spaces they stand for), without invisible format characters (bidi marks,
soft hyphens), with runs of white space as one space.

A PDF is checked by its letters (:func:`verify_letters`): pdftotext gives a line's
runs in visual order, puts the Arabic cell and the translation's cell of one line of a
side-by-side table on one line, and joins a word hyphenated at a line's end. So each
script's letters are compared alone (digits, punctuation and spaces left out), in
order, once; the DOCX the PDF is made from was checked exactly before.

Near-linear in the file's length: each language's sentences are found in order by one
moving cursor, and a sentence shown twice is looked for only in the text between the
sentences found (gaps), at word starts, through an index of the sentences' first words.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.docx_io.findings import REVIEW_FIRST
from bilingual.docx_io.styles import (
    CONFIDENCE_MARKS,
    FORCED_MARK,
    REVIEWED_MARK,
    TABLE_HEADING,
)
from bilingual.errors import PublishError
from bilingual.lang import LANGUAGES
from bilingual.publish.edition import MACHINE_LEGEND, MACHINE_MARK, Block, Edition, Publication

__all__ = ["REVIEWER_HEADINGS", "SEARCHED", "letters", "normalise", "verify", "verify_letters"]

SEARCHED = frozenset({"text", "cell", "caption"})
"""Block kinds that hold the article's sentences. Every other kind (``heading``, ``meta``
and whatever a renderer names its titles, cover, contents, colophon, legend, credits or
running headers) is never searched for sentences, always for reviewer-only material: a
list of what may hold sentences, so a new kind of furniture cannot pass for a copy."""

REVIEWER_HEADINGS = frozenset(
    h.casefold()
    for h in (
        "Quality checks",
        REVIEW_FIRST,
        "Forced terms",
        "Appendix: glossary terms used",
        "Names kept consistent",
        "Commands to confirm them",
        TABLE_HEADING,
    )
)
"""Headings of the briefing's parts for the reviewer (the DOCX writer's words)."""

_MARKS = (FORCED_MARK, REVIEWED_MARK, *CONFIDENCE_MARKS.values())
"""The briefing's glyphs for the reviewer: † forced term, ✓ reviewed (and the
✓ REVIEWED / ✓✓ APPROVED tags), ▼ ▽ confidence."""
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
"""Format characters (Unicode category Cf) a writer or pdftotext may add or drop: soft
hyphens, zero-width and bidi marks and isolates, the byte order mark."""
_NUMBER = re.compile(r"\s*\d{1,4}[.)]?\s*")
_DUPLICATE_WORDS = 2
"""A sentence is looked for a second time only from this many words: a one-word caption
("Hanoi") may stand inside a colophon or another sentence and be no copy."""
_FIX = (
    "this is a fault of the renderer, not of the briefing: please report it with the "
    "briefing; nothing was written"
)


def normalise(text: str) -> str:
    """``text`` as the check compares it (see the module's docstring)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class _Wanted:
    edition: Edition
    id: str
    text: str
    lang: str
    machine: bool | None = None
    """Whether the mark must precede it (None: the Arabic beside, never marked)."""


@dataclass(frozen=True)
class _Found:
    wanted: _Wanted
    start: int
    end: int


class _Text:
    """The searched blocks' normalised text, joined by spaces (a sentence wrapped over
    lines of a PDF, or cut by a page break with its running header and footer between,
    reads whole), and where each of those blocks starts."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.shown = [normalise(b.text) for b in blocks]
        self.index = [k for k, b in enumerate(blocks) if b.kind in SEARCHED and self.shown[k]]
        """The blocks searched for sentences, in order (the others are left out)."""
        self.text = " ".join(self.shown[k] for k in self.index)
        self.starts: list[int] = []
        at = 0
        for k in self.index:
            self.starts.append(at)
            at += len(self.shown[k]) + 1

    def block_at(self, offset: int) -> int:
        """The position in :attr:`index` of the searched block holding ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def block(self, offset: int) -> Block:
        return self.blocks[self.index[self.block_at(offset)]]

    def excerpt(self, offset: int) -> str:
        shown = self.shown[self.index[self.block_at(offset)]]
        return shown if len(shown) <= 120 else shown[:119] + "\u2026"


def _error(what: str, where: Path) -> PublishError:
    return PublishError(what, where=str(where), fix=_FIX)


def _wanted(publication: Publication) -> list[list[_Wanted]]:
    """The sentences each language's cursor looks for, in reading order: the
    translations, and with ``side-by-side`` the sources too."""
    target: list[_Wanted] = []
    source: list[_Wanted] = []
    for edition in publication.editions:
        for s in edition.sentences():
            text = normalise(s.text)
            if text:
                target.append(_Wanted(edition, s.id, text, edition.target_lang, s.machine))
            source_text = normalise(s.source) if publication.layout == "side-by-side" else ""
            if source_text:
                source.append(_Wanted(edition, s.id, source_text, edition.source_lang))
    return [w for w in (target, source) if w]


def _name(w: _Wanted) -> str:
    return f"sentence {w.id} ({w.lang}) of {w.edition.article}"


def _in_order(text: _Text, wanted: Sequence[_Wanted], where: Path) -> list[_Found]:
    found: list[_Found] = []
    cursor = 0
    for w in wanted:
        at = text.text.find(w.text, cursor)
        if at < 0:
            # the file is refused now: one more scan to say which fault it is
            anywhere = text.text.find(w.text)
            if anywhere < 0:
                raise _error(f"{_name(w)} is missing: {w.text!r}", where)
            before = found[-1].wanted if found else None
            after = f" before {_name(before)}" if before is not None else ""
            raise _error(f"{_name(w)} is out of order: it stands{after}", where)
        found.append(_Found(w, at, at + len(w.text)))
        cursor = at + len(w.text)
    return found


def _language(text: _Text, found: _Found, where: Path) -> None:
    block = text.block(found.start)
    want = found.wanted.lang
    if block.lang is not None and block.lang.lower().split("-")[0] != want:
        raise _error(f"{_name(found.wanted)} is marked as language {block.lang!r}", where)
    language = LANGUAGES.get(want)
    rtl = language.rtl if language is not None else False
    if block.rtl is not None and block.rtl != rtl:
        way = "right to left" if block.rtl else "left to right"
        raise _error(f"{_name(found.wanted)} is laid out {way}", where)


def _before(text: _Text, spans: Sequence[_Found], where: Path) -> None:
    """What precedes each sentence in its block: never a sentence number; the machine
    mark exactly before each sentence nobody reviewed."""
    last_end = -1
    for f in spans:
        start = max(text.starts[text.block_at(f.start)], last_end)
        before = text.text[start : f.start]
        marked = MACHINE_MARK in before
        before = before.replace(MACHINE_MARK, " ")
        if before.strip() and _NUMBER.fullmatch(before):
            raise _error(
                f"{_name(f.wanted)} has a sentence number before it ({before.strip()!r}): "
                "numbers are for the reviewer",
                where,
            )
        if f.wanted.machine is not None and marked != f.wanted.machine:
            what = (
                f"is a machine translation nobody reviewed, not marked {MACHINE_MARK}"
                if f.wanted.machine
                else f"was reviewed, yet is marked {MACHINE_MARK} as machine translation"
            )
            raise _error(f"{_name(f.wanted)} {what}", where)
        last_end = f.end


def _word_starts(text: str) -> Iterable[int]:
    for k, char in enumerate(text):
        if char.isalnum() and (k == 0 or not text[k - 1].isalnum()):
            yield k


def _key(text: str) -> str:
    return " ".join(text.split(" ", 2)[:2])


def _duplicates(text: _Text, spans: Sequence[_Found], titles: Sequence[str], where: Path) -> None:
    """A sentence shown again between the sentences found (a paragraph written twice)."""
    index: dict[str, list[_Wanted]] = {}
    for f in spans:
        if len(f.wanted.text.split(" ")) >= _DUPLICATE_WORDS:
            index.setdefault(_key(f.wanted.text), []).append(f.wanted)
    if not index:
        return
    edges = [0, *(x for f in spans for x in (f.start, f.end)), len(text.text)]
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        gap = text.text[a:b].replace("\n", " ")  # a copy may span blocks
        for title in titles:  # a title may be the lead sentence itself
            if title:
                gap = gap.replace(title, " " * len(title))
        for k in _word_starts(gap):
            for w in index.get(_key(gap[k : k + 200]), ()):
                end = k + len(w.text)
                whole = end == len(gap) or not gap[end].isalnum()
                if whole and gap.startswith(w.text, k):
                    raise _error(f"{_name(w)} is shown twice: {w.text!r}", where)


def _reviewer_only(text: _Text, publication: Publication, where: Path) -> None:
    own = [t for e in publication.editions for s in e.sentences() for t in (s.text, s.source)]
    own += [p.credit for e in publication.editions for p in e.paragraphs if p.credit]
    everything = "\n".join(own)  # the marks are the same after normalise()
    marks = [m for m in _MARKS if m not in everything]
    for k, shown in enumerate(text.shown):
        if len(shown) < 60 and shown.casefold().rstrip(":") in REVIEWER_HEADINGS:
            raise _error(f"holds the reviewer's section {shown!r} (block {k + 1})", where)
        for mark in marks:
            if mark in shown:
                shown_at = shown if len(shown) <= 120 else shown[:119] + "\u2026"
                raise _error(
                    f"holds the reviewer's mark {mark!r} (block {k + 1}: {shown_at!r})", where
                )


def verify(publication: Publication, blocks: Sequence[Block], where: Path) -> None:
    """Raise :class:`~bilingual.errors.PublishError` naming ``where`` (the file as the
    user will see it) unless ``blocks`` show every sentence of every edition once, in
    order, in its language and direction, and nothing reviewer-only."""
    titles = sorted(
        {normalise(t) for e in publication.editions for t in (e.title, e.source_title) if t},
        key=len,
        reverse=True,  # the longest first: one title may start another
    )
    text = _Text(blocks)
    _reviewer_only(text, publication, where)
    spans: list[_Found] = []
    for wanted in _wanted(publication):
        spans += _in_order(text, wanted, where)
    spans.sort(key=lambda f: f.start)
    for f in spans:
        _language(text, f, where)
    _before(text, spans, where)
    if publication.has_machine_text and normalise(MACHINE_LEGEND) not in "\n".join(text.shown):
        raise _error(f"marks machine translations {MACHINE_MARK} without the legend", where)
    _duplicates(text, spans, titles, where)


def _arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u08ff" or "\ufb50" <= char <= "\ufefc"


def letters(text: str, rtl: bool) -> str:
    """The letters (and combining marks) of ``text`` in the Arabic script (``rtl``) or in
    any other script, in order, after :func:`normalise`: what :func:`verify_letters`
    compares."""
    return "".join(
        ch for ch in normalise(text) if unicodedata.category(ch)[0] in "LM" and _arabic(ch) == rtl
    )


def verify_letters(publication: Publication, blocks: Sequence[Block], where: Path) -> None:
    """:func:`verify` for a file whose text is known only by its letters (a PDF): every
    sentence's letters, per script, in order, and nothing reviewer-only."""
    text = _Text(blocks)
    _reviewer_only(text, publication, where)
    streams = {rtl: letters(text.text, rtl) for rtl in (False, True)}
    for wanted in _wanted(publication):
        language = LANGUAGES.get(wanted[0].lang)
        rtl = language.rtl if language is not None else False
        stream, cursor = streams[rtl], 0
        for w in wanted:
            key = letters(w.text, rtl)
            if not key:
                continue  # digits alone ("2026"): nothing to compare
            at = stream.find(key, cursor)
            if at < 0:
                where_else = "is out of order" if stream.find(key) >= 0 else "is missing"
                raise _error(f"{_name(w)} {where_else}: {w.text!r}", where)
            cursor = at + len(key)
    if publication.has_machine_text:
        shown = letters(" ".join(text.shown), False)
        if letters(MACHINE_LEGEND, False) not in shown:
            raise _error(f"marks machine translations {MACHINE_MARK} without the legend", where)
