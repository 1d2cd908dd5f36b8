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

A sentence longer than :data:`MAX_SENTENCE_CHARS` characters (a paragraph scraped without
its full stops, a list run together) is cut into numbered sentences of about equal size:
at clause punctuation (``،`` ``؛`` ``,`` ``;`` ``:``) where there is any, else between
words, and only inside a word longer than the limit. Every later stage works sentence by
sentence (glossary and name matching, locking, alignment, the reviewer's rows), and some
of them cost more than linearly in a sentence's length (the locking ladder's fuzzy
matching is requirements x words), so bounding the sentence keeps a whole run linear in
the article's size; the engine would cut such a sentence into pieces of at most
250 tokens for the model anyway (:func:`bilingual.engine.split_long_text`).
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
MAX_SENTENCE_CHARS = 800
"""Longest sentence the segmenter returns (see the module docstring): about the 250
tokens the engine feeds the model at once; real news sentences stay well under it."""
_CLAUSE_BREAK = re.compile(r"(?<=[،؛])\s*|(?<=[,;:])\s+")
_SPACE = re.compile(r"\s+")
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


def _parts(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The trimmed non-blank stretches of ``text[start:end]`` between matches of ``pattern``."""
    parts: list[tuple[int, int]] = []
    pos = start
    for match in pattern.finditer(text, start, end):
        a, b = _trimmed(text, _skip_space(text, pos), match.start())
        if b > a:
            parts.append((a, b))
        pos = max(pos, match.end())
    a, b = _trimmed(text, _skip_space(text, pos), end)
    if b > a:
        parts.append((a, b))
    return parts


def _pack(parts: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Consecutive parts joined into spans of at most ``limit`` characters (a longer part
    stays whole), about equal in size rather than each filled to the brim."""
    total = parts[-1][1] - parts[0][0]
    target = total / max(2, -(-total // limit))
    spans: list[tuple[int, int]] = []
    first = parts[0][0]
    last_end = parts[0][1]
    for a, b in parts[1:]:
        if b - first > limit or last_end - first >= target:
            spans.append((first, last_end))
            first = a
        last_end = b
    spans.append((first, last_end))
    return spans


def _bounded(text: str, start: int, end: int, level: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` cut into spans of at most :data:`MAX_SENTENCE_CHARS` characters:
    at clause punctuation, then between words, then (one enormous word) anywhere."""
    limit = MAX_SENTENCE_CHARS
    if end - start <= limit:
        return [(start, end)]
    for pattern in (_CLAUSE_BREAK, _SPACE)[level:]:
        parts = _parts(text, start, end, pattern)
        level += 1
        if len(parts) > 1:
            out: list[tuple[int, int]] = []
            for a, b in _pack(parts, limit):
                out.extend(_bounded(text, a, b, level))
            return out
    return [(a, min(a + limit, end)) for a in range(start, end, limit)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``; see the module docstring."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _END_RUN.finditer(text):
        if _is_boundary(text, start, match):
            span = _trimmed(text, start, match.end())
            if span[1] > span[0]:
                spans.extend(_bounded(text, *span))
            start = _skip_space(text, match.end())
    if start < len(text):
        span = _trimmed(text, start, len(text))
        if span[1] > span[0]:
            spans.extend(_bounded(text, *span))
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
