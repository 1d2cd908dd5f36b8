"""Segment: split cleaned paragraphs into sentences, Arabic punctuation aware.

A sentence ends at a run of terminators ``.`` ``؟`` ``?`` ``!`` ``…`` ``؛`` ``۔`` (so
``...`` and ``?!`` are one end), together with the closing quotes and brackets that follow
it (``"`` ``»`` ``”`` ``’`` ``'`` ``)`` ``]``). Such a run is a sentence end only when
whitespace or the end of the text follows, with these exceptions:

* never at ``،`` or ``,``: they are not terminators at all;
* not inside a number or a dotted name: ``3.5``, ``1,000.25``, ``example.org``,
  ``info@example.org`` have no space after the dot. (``٣٫٥`` uses the Arabic decimal
  separator, which is no terminator either);
* not after an initial or a one-letter title: ``د.`` ``أ.`` ``م.`` ``ص.``, ``U.N.``,
  ``A.M.``, ``e.g.``; a one-letter era suffix right after a number (``2024 م.``) does end;
* not after a listed Latin abbreviation (``No.`` ``Mr.`` ``Dr.`` ``Jan.`` ...), nor when the
  next word starts with a lowercase Latin letter (``approx. five``) or is ``،``/``,``;
* not after a list number that opens the sentence (``1. ...``);
* not at an ellipsis followed by a word that cannot open a sentence (a preposition such as
  ``من`` ``في`` ``على``): ``حضر الوزراء والخبراء... من 40 دولة`` is one sentence, while
  ``ناقشوا الأمن والتدريب... وقال الوزير`` is two;
* not at a terminator closed by ``)`` or ``]`` when the bracket opened in the middle of
  the sentence: ``(وغيرها...) في`` is a parenthetical, not an end.

Without a following space, ``؟ ؛ ! ? …`` still end a sentence when an Arabic letter follows
directly, and ``.`` does too after an Arabic word of two or more letters, because scrapes
often lose the space after Arabic punctuation (``الاجتماع.وقال``).

Quotes need no special rule: a quote that opens a quoted sentence after ``:`` is not a
terminator, so it stays with its sentence. Spans are trimmed of surrounding whitespace
and together cover every non-space character of the text exactly once, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilingual.document.segment import Segment
from bilingual.lang.ar import CONTINUATION_WORDS, is_arabic_letter

if TYPE_CHECKING:
    from bilingual.document.article import Article, Paragraph


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, with its character span in the paragraph text."""

    id: str
    """Stable id ``p{paragraph+1}.s{number}``, used in the JSON and the DOCX."""
    paragraph: int
    number: int
    """1-based within its paragraph."""
    text: str
    start: int
    end: int
    """``paragraph.text[start:end] == text``."""

    def to_segment(self, source_lang: str) -> Segment:
        """The sentence as a segment still to translate."""
        return Segment(self.id, self.number, source_lang, self.text)


_TERMINATORS = ".!?؟…؛۔"
_CLOSERS = "\"'»”’)]"
_END_RUN = re.compile(
    rf"[{re.escape(_TERMINATORS)}]+(?:[{re.escape(_CLOSERS)}]+[{re.escape(_TERMINATORS)}]*)*"
)
_WORD_BEFORE = re.compile(r"(\w+)$")
_NEXT_WORD = re.compile(r"\s*(\S+)")
_LOOKBACK = 200
_TATWEEL = "\u0640"

# Dotted Latin abbreviations that do not end a sentence (compared case-insensitively).
# "etc." is left out on purpose: it ends sentences as often as not.
_LATIN_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "jr", "sr", "inc", "ltd",
        "co", "corp", "gen", "lt", "col", "sgt", "gov", "sen", "rep", "fig", "vol", "pp",
        "art", "approx", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "mt", "ft", "amb", "min",
    }
)  # fmt: skip


def _is_ellipsis(core: str) -> bool:
    return "…" in core or ".." in core


def _opened_mid_sentence(text: str, sent_start: int, pos: int) -> bool:
    """True when an unclosed ``(`` or ``[`` before ``pos`` opened after the sentence start."""
    depth = 0
    # a bounded look-back keeps pathological inputs linear; real parentheticals are short
    for i in range(pos - 1, max(sent_start, pos - _LOOKBACK) - 1, -1):
        ch = text[i]
        if ch in ")]":
            depth += 1
        elif ch in "([":
            if depth == 0:
                return i != sent_start
            depth -= 1
    return False


def _word_before(text: str, sent_start: int, pos: int) -> tuple[str, int] | None:
    """The word ending right at ``pos`` (within the sentence) and where it starts."""
    low = max(sent_start, pos - _LOOKBACK)
    match = _WORD_BEFORE.search(text, low, pos)
    return (match.group(1), match.start()) if match else None


def _dot_ends_sentence(text: str, sent_start: int, dot: int) -> bool:
    """Whether a single ``.`` at ``dot`` (followed by whitespace) ends the sentence."""
    found = _word_before(text, sent_start, dot)
    if found is None:
        return True
    word, word_start = found
    letters = word.replace(_TATWEEL, "")
    if word.isdigit():
        # "1. ..." opening a sentence is a list number, not a sentence
        return word_start != sent_start
    if len(letters) == 1 and letters.isalpha():
        # an initial or one-letter title ("د." "U.N."), unless it is an era after a year
        head = text[max(sent_start, word_start - 2) : word_start].rstrip()
        return bool(head) and head[-1].isdigit()
    return word.casefold() not in _LATIN_ABBREVIATIONS


def _next_word(text: str, pos: int) -> str:
    match = _NEXT_WORD.match(text, pos)
    return match.group(1) if match else ""


def _is_boundary(text: str, sent_start: int, match: re.Match[str]) -> bool:
    end = match.end()
    if end >= len(text):
        return True
    run = match.group(0)
    core = run.rstrip(_CLOSERS)
    closers = run[len(core) :]
    nxt = text[end]
    if not nxt.isspace():
        if not is_arabic_letter(nxt):
            return False
        if core.strip(".") or _is_ellipsis(core):
            return True
        # ".وقال": only after an Arabic word of two or more letters (not "د.محمد")
        found = _word_before(text, sent_start, match.start())
        return found is not None and len(found[0]) > 1 and is_arabic_letter(found[0][-1])
    following = _next_word(text, end)
    if following[:1] in {"،", ",", ";", ":"} or following[:1].islower():
        return False
    if any(c in ")]" for c in closers) and _opened_mid_sentence(text, sent_start, match.start()):
        return False
    if _is_ellipsis(core):
        return following.strip("\"'«“‘(") not in CONTINUATION_WORDS
    if core == ".":
        return _dot_ends_sentence(text, sent_start, match.start())
    return True


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` with trailing whitespace cut; ``start`` is already on a non-space."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``; see the module docstring."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _END_RUN.finditer(text):
        if _is_boundary(text, start, match):
            span = _trimmed(text, start, match.end())
            if span[1] > span[0]:
                spans.append(span)
            start = _skip_space(text, match.end())
    if start < len(text):
        span = _trimmed(text, start, len(text))
        if span[1] > span[0]:
            spans.append(span)
    return spans


def segment_paragraph(paragraph: Paragraph) -> tuple[Sentence, ...]:
    """The sentences of one paragraph, numbered from 1, with ids ``p{index+1}.s{n}``."""
    return tuple(
        Sentence(
            id=f"p{paragraph.index + 1}.s{number}",
            paragraph=paragraph.index,
            number=number,
            text=paragraph.text[start:end],
            start=start,
            end=end,
        )
        for number, (start, end) in enumerate(split_sentences(paragraph.text), start=1)
    )


def segment_article(article: Article) -> tuple[tuple[Sentence, ...], ...]:
    """One tuple of sentences per paragraph of ``article``, in order."""
    return tuple(segment_paragraph(p) for p in article.paragraphs)
