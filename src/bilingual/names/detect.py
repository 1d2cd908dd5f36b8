"""Name candidates in one text, found without a glossary.

Per-text heuristics on the Arabic (the word lists live in :mod:`bilingual.lang.ar`):

* ``title+name``: a title or honorific, then a name (``د. أحمد سالم`` -> ``أحمد سالم``);
  the title is left out of the span, the translation model renders it by itself.
* ``transliterated name``: runs of words that look transliterated (Vietnamese and
  Chinese ``-ng``, ``-inh``, Persian letters, ``تش``).
* ``parenthesised``: an acronym, a Latin name or an organisation's name in parentheses.
* ``organization``: ``وزارة …``, ``منظمة …``: the head, then its definite words.
* ``latin name``: capitalised Latin-script words inside Arabic text (never in a URL).

:class:`Scan` and the ``*_spans`` generators are shared with ``glossary suggest``,
which keeps its looser filters; :class:`NameFinder` is the precise one, run on every
article: a common word taken for a name would be locked to one rendering everywhere, so
each heuristic errs towards missing a name rather than inventing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from bilingual._text import squash
from bilingual.glossary.match import TermMatch, TermMatcher, form_text, tokens
from bilingual.glossary.term import Glossary, TermType
from bilingual.lang.ar import (
    ABBREVIATED_TITLES_RAW,
    CLITICS,
    FOREIGN_LETTERS,
    HONORIFICS_RAW,
    NOT_NAME_WORDS_RAW,
    ORGANIZATION_HEADS_RAW,
    ORGANIZATION_WEAK_HEADS_RAW,
    TITLE_TAIL_RAW,
    TITLES_RAW,
    TRAILING_MARKS,
    TYPE_HINTS_RAW,
    is_definite,
    is_stop,
    normalize_arabic,
    without_clitic,
    word_set,
)


@dataclass(frozen=True)
class NameSpan:
    """A name found in a text; spans index the original (unnormalised) text."""

    key: str
    """Identity of the name: equal for the same name whatever its clitic prefix,
    diacritics, tatweel or alef/hamza forms (the matcher's normalisation)."""
    surface: str
    """As written in the text, clitic prefix removed, title or honorific not included."""
    start: int
    """Start of the name proper, after any clitic prefix."""
    end: int
    word_start: int
    """Start of the whole word, clitic prefix included (== start when there is none)."""
    kind: str
    """Why: ``title+name``, ``transliterated name``, ``parenthesised``, ``organization``
    or ``latin name``."""
    type: TermType


Found = tuple[str, int, int]
"""A raw candidate: ``(kind, start, end)`` in the original text."""


@cache
def hint_words() -> frozenset[str]:
    """First words of organisations, instruments and events (not titles)."""
    return frozenset().union(*(word_set(raw) for raw, _kind in TYPE_HINTS_RAW[:3]))


class Scan:
    """One text, normalised and tokenised once, with the glossary's coverage marked."""

    def __init__(self, text: str, matcher: TermMatcher) -> None:
        self.text = text
        self.norm, self.index = normalize_arabic(text)
        self.toks, self.starts, self.ends = tokens(self.norm)
        self.covered = bytearray(len(text) + 1)
        self.cover(matcher.find(text))

    def cover(self, matches: Iterable[TermMatch]) -> None:
        for m in matches:
            self.covered[m.word_start : m.end] = b"\x01" * (m.end - m.word_start)

    def sep(self, k: int) -> str:
        """Squashed separator after token ``k`` (``"$"`` after the last one)."""
        if k + 1 >= len(self.toks):
            return "$"
        return squash(self.norm[self.ends[k] : self.starts[k + 1]])

    def span(self, i: int, j: int, prefix: int = 0) -> tuple[int, int]:
        """Original span of tokens ``i..j-1``, skipping ``prefix`` normalised chars."""
        start = self.index[self.starts[i] + prefix]
        end = self.index[self.ends[j - 1] - 1] + 1
        while end < len(self.text) and self.text[end] in TRAILING_MARKS:
            end += 1
        return start, end

    def surface(self, k: int) -> str:
        start, end = self.span(k, k + 1)
        return self.text[start:end]

    def free(self, start: int, end: int) -> bool:
        return not any(self.covered[start:end])


def is_title(tok: str, titles: frozenset[str]) -> bool:
    """A title word, also behind a clitic: والرئيس, بالسيد, ورئيس."""
    return (
        tok in titles or without_clitic(tok) in titles or (tok[0] in "وفبلك" and tok[1:] in titles)
    )


def foreign_score(surface: str, tok: str) -> int:
    """How much a token looks transliterated: 2 for a sure sign (Vietnamese/Chinese -ng,
    -inh, Persian letters, Latin script), 1 for ch (تش, also common in Arabic: تشجيع)."""
    if FOREIGN_LETTERS & set(surface) or (tok.isascii() and tok.isalpha() and len(tok) >= 2):
        return 2
    light = normalize_arabic(surface, ta_marbuta=False)[0]
    if light.endswith("نغ") or (light.endswith("ينه") and len(light) >= 4 and light[-4] != "ع"):
        # -inh: مينه, تشينه, لينه; never after ع (an Arabic عين: بعينه)
        return 2
    return 1 if "تش" in light else 0


def _is_foreign(surface: str, tok: str) -> bool:
    return foreign_score(surface, tok) == 2


def _title_end(scan: Scan, i: int, titles: frozenset[str]) -> tuple[int, bool, bool]:
    """Where the title opening at token ``i`` ends, whether it is complete (has ال or a
    colon: وزير الأمن العام, تصوير:) and whether it is an honorific (always a name)."""
    toks = scan.toks
    n = len(toks)
    tails = word_set(TITLE_TAIL_RAW)
    if toks[i] in word_set(ABBREVIATED_TITLES_RAW) and scan.sep(i) == ".":
        # د. أحمد: the letter alone is the title only with its dot; after a number, م. is
        # a year's era (2020 م.), not an engineer
        return i + 1, i == 0 or not toks[i - 1].isdigit(), True
    honorific = is_title(toks[i], word_set(HONORIFICS_RAW))
    complete = is_definite(toks[i])
    j = i + 1
    # the rest of the title: وزير الأمن العام, الفريق أول, نائب وزير الخارجية الدائم
    while (
        j < n
        and j - i <= 5
        and scan.sep(j - 1) == ""
        and (toks[j] in titles or toks[j] in tails or is_definite(toks[j]))
    ):
        complete = complete or is_definite(toks[j])
        j += 1
    if j < n and scan.sep(j - 1) == ":":
        complete = True  # a credit: تصوير: name
    elif j < n and scan.sep(j - 1) != "":
        complete = False  # رئيس مجلس..., مدير منظمة...: a construct, not a title
    return j, complete, honorific


def _name_not_stop(scan: Scan, k: int, first: int) -> bool:
    """A name's later word that normalises onto a stop word: علي (Ali) is على once ى is
    folded, but as written it keeps its ي."""
    return k > first and scan.toks[k] == "علي" and scan.surface(k).endswith("ي")


_TANWEEN = frozenset("\u064b\u064c\u064d")


def _stands_alone(scan: Scan, j: int, k: int, titles: frozenset[str]) -> bool:
    """Tokens ``j..k-1`` after a title read as a name of their own (see strict mode)."""
    toks = scan.toks
    after = scan.sep(k - 1)
    bounded = after != "" or k == len(toks) or is_stop(toks[k]) or is_title(toks[k], titles)
    first = toks[j]
    clitic = first[0] in "وفبلك" and len(first) >= 5
    accusatives = all(tok.endswith("ا") for tok in toks[j:k])
    return bounded and not clitic and not accusatives


def title_name_spans(scan: Scan, *, strict: bool = False) -> Iterator[Found]:
    """A title or honorific followed by a name: the name's span, without the title.

    ``strict`` (the run's finder) takes a name after a title that is not an honorific
    (الفريق is a general and a team, المدير التنفيذي may be followed by anything) only up
    to a word joined by و, and only when it looks transliterated or stands
    alone: followed by punctuation, a stop word or another title, with no clitic on its
    first word and not a pair of accusatives (تحقيقا رسميا)."""
    titles = word_set(TITLES_RAW)
    tails = word_set(TITLE_TAIL_RAW)
    abbreviated = word_set(ABBREVIATED_TITLES_RAW)
    toks = scan.toks
    n = len(toks)
    i = 0
    while i < n:
        if not is_title(toks[i], titles) and toks[i] not in abbreviated:
            i += 1
            continue
        j, complete, honorific = _title_end(scan, i, titles)
        if j >= n or toks[j] in hint_words() or not complete:
            i = j
            continue
        k = j
        while k < n and k - j < 5:
            tok = toks[k]
            if (is_stop(tok) and not _name_not_stop(scan, k, j)) or is_title(tok, titles | tails):
                break
            if any(c.isdigit() for c in tok) or (len(tok) < 2 and not tok.isascii()):
                break  # a number, a list letter: (أ), ب
            if strict and (tok in word_set(NOT_NAME_WORDS_RAW) or _TANWEEN & set(scan.surface(k))):
                break  # السيد X مؤخرا; a word with tanween is never a name: مكلفاً
            if strict and not honorific and k > j and tok.startswith("و") and len(tok) >= 4:
                break  # a second thing, not a second name: تقارير ومقترحات
            if k > j and tok.startswith(("يت", "يست")) and len(tok) >= 5:
                break  # a verb after the name: أحمد سالم يتحدث, يستقبل
            if scan.surface(k).endswith("ة") and (k > j or not honorific):
                break  # a feminine noun, not a name: مينه فو جلسة
            compound = k > j and toks[k - 1] == "عبد"  # عبد الله, عبد الرحمن: one name
            if is_definite(tok) and strict and not compound:
                # the run's finder: a word with ال after a name is far more often what the
                # sentence says next (حضر أحمد سالم الاجتماع, قال خالد يوسف للصحفيين) than a
                # family name; a name that repeats is locked, so a wrong word costs more
                # than a name cut short (عبد الله stays whole)
                break
            if (
                is_definite(tok)
                and not compound
                and (k == j or (scan.sep(k) == "" and not is_stop(toks[k + 1])))
            ):
                break  # an Arabic family name with ال is kept only at the end: معاذ العتوم
            k += 1
            if scan.sep(k - 1) != "":
                break
        foreign = any(_is_foreign(scan.surface(m), toks[m]) for m in range(j, k))
        strong = honorific or k - j >= 2 or foreign
        if strict and k > j and not honorific and not foreign:
            strong = strong and _stands_alone(scan, j, k, titles | tails)
        if k > j and strong:
            yield ("title+name", *scan.span(j, k))
        i = max(k, i + 1)


PAREN_RE = re.compile(r"\(([^()\n]{2,80})\)")
_CREDIT_RE = re.compile(r"^\s*(?:تصوير|صورة|الصورة|المصدر|مصدر)\s*[:：]")
_ARABIC_RE = re.compile("[\u0621-\u064a]")
_QUOTES = "\"'`«»“”‘’„"


def parenthesised_spans(scan: Scan, *, latin: bool = False) -> Iterator[Found]:
    """Words in parentheses (credits and numbers left out): Arabic ones, and Latin ones
    too when ``latin`` is set (``glossary suggest`` takes Arabic only)."""
    for m in PAREN_RE.finditer(scan.text):
        inner = m.group(1)
        if _CREDIT_RE.match(inner) or any(ch.isdigit() for ch in inner):
            continue
        core = inner.strip().strip(_QUOTES).strip()
        if not 1 <= len(core.split()) <= 8:
            continue
        if len(_ARABIC_RE.findall(core)) < 2 and not (latin and _LATIN_NAME_RE.fullmatch(core)):
            continue
        start = m.start(1) + inner.index(core)
        yield ("parenthesised", start, start + len(core))


def transliterated_spans(scan: Scan, *, strict: bool = False) -> Iterator[Found]:
    """Runs of words that look transliterated, from the first to the last foreign one;
    ``strict`` wants one sure sign, not only two تش (وتشييدها وتشغيلها)."""
    titles = word_set(TITLES_RAW) | word_set(TITLE_TAIL_RAW)
    toks = scan.toks
    n = len(toks)

    def name_like(k: int) -> bool:
        tok = toks[k]
        return (
            not is_stop(tok)
            and tok not in titles
            and not tok.startswith("ال")
            and not any(ch.isdigit() for ch in tok)
            and len(tok) <= 8
            and not is_title(tok, titles)
            and not scan.surface(k).endswith("ة")
        )

    i = 0
    while i < n:
        if not name_like(i):
            i += 1
            continue
        j = i + 1
        while j < n and scan.sep(j - 1) == "" and name_like(j):
            j += 1
        scores = [foreign_score(scan.surface(k), toks[k]) for k in range(i, j)]
        flags = [score > 0 for score in scores]
        if max(scores, default=0) == 2 or (scores.count(1) >= 2 and not strict):
            # keep from the first to the last foreign-looking token, plus one short word
            # on each side (فام, تو, لام: Vietnamese syllables look like Arabic words)
            a = flags.index(True)
            b = len(flags) - flags[::-1].index(True)
            if a and len(toks[i + a - 1]) <= 4:
                a -= 1
            if b < len(flags) and len(toks[i + b]) <= 4:
                b += 1
            if b - a >= 2:
                yield ("transliterated name", *scan.span(i + a, i + b))
        i = j


def _head_prefix(tok: str, heads: frozenset[str]) -> int | None:
    """Length of the clitic in front of an organisation head (لوزارة -> 1), or None."""
    for clitic in sorted(CLITICS, key=len):
        if tok.startswith(clitic) and tok[len(clitic) :] in heads:
            return len(clitic)
    return None


def _adjective(scan: Scan, k: int) -> bool:
    """A definite adjective: a nisba (الدولي, العالمية), a feminine (المتحدة) or one of
    the few others organisations take (العام, الأعلى)."""
    tok = scan.toks[k]
    return tok.endswith("ي") or scan.surface(k).endswith("ة") or tok in word_set(_ORG_ADJ)


_ORG_ADJ = "العام الأعلى الأول الأحمر الأخضر"
_ORG_OPEN_ENDS = "المعني المعنية الخاص الخاصة"
"""Words that need a complement after them: a name does not end on them."""


def _org_end(scan: Scan, i: int) -> int:
    """The token after the end of the organisation name opened by the head at ``i``."""
    toks = scan.toks
    n = len(toks)
    k = i + 1
    state = "head"  # then "noun", "adjective", "complement" (after لل or بال)
    while k < n and k - i <= 6 and scan.sep(k - 1) == "" and not is_stop(toks[k]):
        tok = toks[k]
        bare = tok.startswith("ال") and len(tok) > 3
        if bare and state == "head":
            state = "noun"  # وزارة الخارجية, منظمة الأمم
        elif bare and _adjective(scan, k):
            state = "adjective" if state != "complement" else state  # الأمم المتحدة
        elif is_definite(tok) and tok.startswith(("لل", "ل")) and state == "adjective":
            state = "complement"  # منظمة الأمم المتحدة للتربية
        elif is_definite(tok) and tok[0] == "ب" and toks[k - 1] in word_set(_ORG_OPEN_ENDS):
            state = "complement"  # المعني بالمخدرات
        elif not (state == "complement" and is_definite(tok) and tok[0] == "و"):
            break  # مجلس الأمن الإعراب: a noun after the name is the sentence's
        k += 1
    while k > i + 1 and toks[k - 1] in word_set(_ORG_OPEN_ENDS):
        k -= 1  # لجنة الخبراء المعنية [بـ...]
    return k


def organization_spans(scan: Scan) -> Iterator[tuple[int, int, int]]:
    """``وزارة الخارجية``, ``منظمة الصحة العالمية``: ``(word start, start, end)``.

    The name runs from the head over one definite noun and its definite adjectives
    (الأمم المتحدة الإنمائي), then over a complement with لل or after المعني بـ, whose
    conjunctions it keeps (``للتربية والعلم والثقافة``, ``بالمخدرات والجريمة``). It stops
    at any other word, a separator or a conjunction: ``وزارة الداخلية والشرطة`` is two
    things, and in ``يود مجلس الأمن الإعراب`` the last noun is the sentence's.
    """
    strong = word_set(ORGANIZATION_HEADS_RAW)
    weak = word_set(ORGANIZATION_WEAK_HEADS_RAW)
    toks = scan.toks
    n = len(toks)
    i = 0
    while i < n:
        prefix = _head_prefix(toks[i], strong | weak)
        if prefix is None:
            i += 1
            continue
        k = _org_end(scan, i)
        needed = 1 if toks[i][prefix:] in strong else 2
        if k - i - 1 >= needed:
            start, end = scan.span(i, k, prefix)
            yield scan.index[scan.starts[i]], start, end
        i = max(k, i + 1)


_LATIN_LETTER_RE = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_LATIN_WORD = r"[A-Z][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’.&-]*"
_LATIN_NAME_RE = re.compile(rf"{_LATIN_WORD}(?: {_LATIN_WORD})*")
_LATIN_RUN_RE = re.compile(rf"(?<![\w/.@-]){_LATIN_WORD}(?: {_LATIN_WORD}){{0,5}}(?![\w/@])")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\]\([^)]*\)")


def latin_spans(text: str) -> Iterator[tuple[int, int]]:
    """Capitalised Latin-script words (``UNODC``, ``Tran Van Nam``), outside URLs."""
    blocked = bytearray(len(text) + 1)
    for m in _URL_RE.finditer(text):
        blocked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _LATIN_RUN_RE.finditer(text):
        core = m.group().rstrip(".'’&-")
        if len(core) >= 2 and not any(blocked[m.start() : m.end()]):
            yield m.start(), m.start() + len(core)


_KIND_RANK = {
    "title+name": 0,
    "organization": 1,
    "parenthesised": 2,
    "transliterated name": 3,
    "latin name": 4,
}
_HINT_TYPES: tuple[TermType, ...] = ("organization", "instrument", "event")
_LATIN_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&-]{2,9}")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&.-]{1,9}")

_Cand = tuple[int, int, int, str, TermType]
"""``(word start, start, end, kind, type)``."""


def _title_name_type(core: str) -> TermType:
    # a credit may name an agency: (صورة: NLĐ)
    return "organization" if _ACRONYM_RE.fullmatch(core) else "person"


def _latin_type(core: str) -> TermType:
    if _ACRONYM_RE.fullmatch(core):
        return "organization"  # UNODC, ASEAN
    return "person" if " " in core else "term"


def _parenthesised_type(scan: Scan, start: int, end: int) -> TermType | None:
    """The type of a name in parentheses, or None when it does not look like a name: a
    description (مدير مكتب الرصد), a clause, a common word."""
    core = scan.text[start:end]
    if not _ARABIC_RE.search(core):
        return _latin_type(core)
    words = tokens(normalize_arabic(core)[0])[0]
    if not words or any(is_stop(w) or w.isdigit() for w in words):
        return None
    if is_title(words[0], word_set(TITLES_RAW)):
        return None
    for (raw, _kind), kind in zip(TYPE_HINTS_RAW, _HINT_TYPES, strict=False):
        if words[0] in word_set(raw):
            return kind if len(words) >= 2 else None
    if len(words) == 1 and not is_definite(words[0]) and len(words[0]) >= 3:
        return "term"  # an acronym written in Arabic: (يونسكو)
    return None


class NameFinder:
    """Finds name candidates in source text, outside the glossary's matches.

    Built once per run (the glossary's matcher is built here). ``find`` returns the
    candidates sorted by start and never overlapping each other or a glossary match;
    where heuristics disagree the longest span wins, then the surer kind (a title before
    a name is the surest sign).
    """

    def __init__(self, glossary: Glossary) -> None:
        self._matcher = TermMatcher(glossary)
        self._rules = self._matcher.rules

    def find(self, text: str) -> tuple[NameSpan, ...]:
        """Name candidates in ``text``: sorted, non-overlapping, outside the glossary."""
        if not text:
            return ()
        scan = Scan(text, self._matcher)
        cands: list[_Cand] = [
            (start, start, end, kind, _title_name_type(text[start:end]))
            for kind, start, end in title_name_spans(scan, strict=True)
        ]
        cands += [
            (word_start, start, end, "organization", "organization")
            for word_start, start, end in organization_spans(scan)
        ]
        for kind, start, end in parenthesised_spans(scan, latin=True):
            typ = _parenthesised_type(scan, start, end)
            if typ is not None:
                cands.append((start, start, end, kind, typ))
        bare = set(scan.toks)
        token_at = {scan.index[s]: k for k, s in enumerate(scan.starts)}
        for kind, start, end in transliterated_spans(scan, strict=True):
            if _LATIN_LETTER_RE.search(text, start, end):
                continue  # Latin script is the Latin heuristic's (which knows URLs)
            prefix = _clitic_of(scan.toks[token_at[start]], bare)
            name_start = scan.span(token_at[start], token_at[start] + 1, prefix)[0]
            cands.append((start, name_start, end, kind, "person"))
        cands += [
            (start, start, end, "latin name", _latin_type(text[start:end]))
            for start, end in latin_spans(text)
            if " " in text[start:end] or _LATIN_ACRONYM_RE.fullmatch(text[start:end])
        ]  # a capitalised word alone is too often an English word: General, Journal
        return self._select(scan, cands)

    def _select(self, scan: Scan, cands: list[_Cand]) -> tuple[NameSpan, ...]:
        cands.sort(key=lambda c: (c[1] - c[2], _KIND_RANK[c[3]], c[1]))
        taken = bytearray(scan.covered)
        kept: list[NameSpan] = []
        for word_start, start, end, kind, typ in cands:
            if end <= start or any(taken[word_start:end]):
                continue
            taken[word_start:end] = b"\x01" * (end - word_start)
            surface = scan.text[start:end]
            kept.append(NameSpan(self.key(surface), surface, start, end, word_start, kind, typ))
        kept.sort(key=lambda s: s.start)
        return tuple(kept)

    def key(self, surface: str) -> str:
        """The identity of a name as written without its clitic (see :class:`NameSpan`)."""
        return form_text(surface, self._rules)


def _clitic_of(tok: str, bare: set[str]) -> int:
    """The clitic in front of the first word of a transliterated name: only where the text
    also has the word without it (ولونغ beside لونغ), since names start with those
    letters too (وانغ, بيرثا, لونغ)."""
    for clitic in sorted(CLITICS, key=len, reverse=True):
        if clitic and tok.startswith(clitic) and tok[len(clitic) :] in bare:
            return len(clitic)
    return 0
