"""Glossary suggestion: names and terms in articles that the glossary does not cover yet.

Heuristics on the Arabic (the word lists live in :mod:`bilingual.lang.ar`): a title or
honorific followed by a name, words in parentheses, transliterated foreign names, and
repeated multi-word phrases (only the longest phrase that repeats as often as its
parts). The result can be written as YAML stubs that pass ``glossary check`` once each
``en`` is filled in.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bilingual._text import squash
from bilingual.glossary.match import TermMatch, TermMatcher, form_key, tokens
from bilingual.glossary.term import Glossary, Term
from bilingual.lang.ar import (
    FOREIGN_LETTERS,
    HONORIFICS_RAW,
    TITLE_TAIL_RAW,
    TITLES_RAW,
    TRAILING_MARKS,
    TRANSLITERATION,
    TYPE_HINTS_RAW,
    article_prefix,
    is_definite,
    is_stop,
    normalize_arabic,
    without_clitic,
    word_set,
)


@dataclass(frozen=True)
class Suggestion:
    """A name or term found in articles that the glossary does not cover yet."""

    ar: str
    """The Arabic form as it appears in the text (clitic prefix removed)."""
    kind: str
    """Why: ``title+name``, ``parenthesised``, ``transliterated name`` or ``repeated phrase``."""
    count: int
    """Occurrences outside anything the glossary already matches."""
    example: str
    """A short piece of context around the first occurrence."""


_KIND_WEIGHT = {
    "title+name": 4,
    "parenthesised": 3,
    "transliterated name": 3,
    "repeated phrase": 1,
}
_KIND_ORDER = {kind: n for n, kind in enumerate(_KIND_WEIGHT)}


@cache
def _hint_words() -> frozenset[str]:
    return frozenset().union(*(word_set(raw) for raw, _kind in TYPE_HINTS_RAW[:3]))


@dataclass
class _Cand:
    kind: str
    surface: str
    example: str


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


class _Doc:
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

    def add(self, out: list[_Cand], kind: str, start: int, end: int) -> None:
        if self.free(start, end):
            out.append(_Cand(kind, self.text[start:end], _context(self.text, start, end)))


def _is_title(tok: str, titles: frozenset[str]) -> bool:
    """A title word, also behind a clitic: والرئيس, بالسيد, ورئيس."""
    return (
        tok in titles or without_clitic(tok) in titles or (tok[0] in "وفبلك" and tok[1:] in titles)
    )


def _foreign_score(surface: str, tok: str) -> int:
    """How much a token looks transliterated: 2 for a sure sign (Vietnamese/Chinese -ng,
    -inh, Persian letters, Latin script), 1 for ch (تش, also common in Arabic: تشجيع)."""
    if FOREIGN_LETTERS & set(surface) or (tok.isascii() and tok.isalpha() and len(tok) >= 2):
        return 2
    light = normalize_arabic(surface, ta_marbuta=False)[0]
    if light.endswith("نغ") or (light.endswith("ينه") and len(light) >= 4):
        return 2
    return 1 if "تش" in light else 0


def _is_foreign(surface: str, tok: str) -> bool:
    return _foreign_score(surface, tok) == 2


def _title_names(doc: _Doc, out: list[_Cand]) -> None:
    titles = word_set(TITLES_RAW)
    honorifics = word_set(HONORIFICS_RAW)
    tails = word_set(TITLE_TAIL_RAW)
    toks = doc.toks
    n = len(toks)
    i = 0
    while i < n:
        if not _is_title(toks[i], titles):
            i += 1
            continue
        honorific = _is_title(toks[i], honorifics)
        complete = is_definite(toks[i])
        j = i + 1
        # the rest of the title: وزير الأمن العام, الفريق أول, نائب وزير الخارجية الدائم
        while (
            j < n
            and j - i <= 5
            and doc.sep(j - 1) == ""
            and (toks[j] in titles or toks[j] in tails or is_definite(toks[j]))
        ):
            complete = complete or is_definite(toks[j])
            j += 1
        if j >= n or toks[j] in _hint_words():
            i = j
            continue
        if doc.sep(j - 1) == ":":
            complete = True  # a credit: تصوير: name
        elif doc.sep(j - 1) != "" or not complete:
            i = j  # رئيس مجلس..., مدير منظمة...: a construct, not a title before a name
            continue
        k = j
        while k < n and k - j < 5:
            tok = toks[k]
            if is_stop(tok) or _is_title(tok, titles | tails) or any(c.isdigit() for c in tok):
                break
            if len(tok) < 2 and not tok.isascii():
                break  # a list letter: (أ), ب
            if doc.surface(k).endswith("ة") and (k > j or not honorific):
                break  # a feminine noun, not a name: مينه فو جلسة
            if is_definite(tok) and (k == j or (doc.sep(k) == "" and not is_stop(toks[k + 1]))):
                break  # an Arabic family name with ال is kept only at the end: معاذ العتوم
            k += 1
            if doc.sep(k - 1) != "":
                break
        strong = (
            honorific
            or k - j >= 2
            or any(_is_foreign(doc.surface(m), toks[m]) for m in range(j, k))
        )
        if k > j and strong:
            doc.add(out, "title+name", *doc.span(j, k))
        i = max(k, i + 1)


_PAREN_RE = re.compile(r"\(([^()\n]{2,80})\)")
_CREDIT_RE = re.compile(r"^\s*(?:تصوير|صورة|الصورة|المصدر|مصدر)\s*[:：]")
_ARABIC_RE = re.compile("[\u0621-\u064a]")
_QUOTES = "\"'`«»“”‘’„"


def _parenthesised(doc: _Doc, out: list[_Cand]) -> None:
    for m in _PAREN_RE.finditer(doc.text):
        inner = m.group(1)
        if _CREDIT_RE.match(inner) or any(ch.isdigit() for ch in inner):
            continue
        core = inner.strip().strip(_QUOTES).strip()
        if len(_ARABIC_RE.findall(core)) < 2 or not 1 <= len(core.split()) <= 8:
            continue
        start = m.start(1) + inner.index(core)
        doc.add(out, "parenthesised", start, start + len(core))


def _transliterated(doc: _Doc, out: list[_Cand]) -> None:
    titles = word_set(TITLES_RAW) | word_set(TITLE_TAIL_RAW)
    toks = doc.toks
    n = len(toks)

    def name_like(k: int) -> bool:
        tok = toks[k]
        return (
            not is_stop(tok)
            and tok not in titles
            and not tok.startswith("ال")
            and not any(ch.isdigit() for ch in tok)
            and len(tok) <= 8
            and not _is_title(tok, titles)
            and not doc.surface(k).endswith("ة")
        )

    i = 0
    while i < n:
        if not name_like(i):
            i += 1
            continue
        j = i + 1
        while j < n and doc.sep(j - 1) == "" and name_like(j):
            j += 1
        scores = [_foreign_score(doc.surface(k), toks[k]) for k in range(i, j)]
        flags = [score > 0 for score in scores]
        if max(scores, default=0) == 2 or scores.count(1) >= 2:
            # keep from the first to the last foreign-looking token, plus one short word
            # on each side (فام, تو, لام: Vietnamese syllables look like Arabic words)
            a = flags.index(True)
            b = len(flags) - flags[::-1].index(True)
            if a and len(toks[i + a - 1]) <= 4:
                a -= 1
            if b < len(flags) and len(toks[i + b]) <= 4:
                b += 1
            if b - a >= 2:
                doc.add(out, "transliterated name", *doc.span(i + a, i + b))
        i = j


def _phrases(docs: Sequence[_Doc], out: list[_Cand], min_count: int = 2) -> None:
    counts: Counter[tuple[str, ...]] = Counter()
    first_seen: dict[tuple[str, ...], tuple[_Doc, int, int]] = {}
    for doc in docs:
        toks = doc.toks
        n = len(toks)
        for i in range(n):
            for size in range(2, 7):
                j = i + size
                if j > n or doc.sep(j - 2) != "":
                    break
                words = toks[i:j]
                if any(is_stop(w) or any(ch.isdigit() for ch in w) or len(w) < 2 for w in words):
                    break
                if not doc.free(*doc.span(i, j, article_prefix(words[0]))):
                    continue
                key = (without_clitic(words[0]), *words[1:])
                counts[key] += 1
                first_seen.setdefault(key, (doc, i, j))
    # the highest count of a phrase one word longer that contains each phrase
    longer: dict[tuple[str, ...], int] = {}
    for key, count in counts.items():
        for sub in (key[:-1], key[1:]):
            if len(sub) >= 2 and longer.get(sub, 0) < count:
                longer[sub] = count
    for key, count in counts.items():
        if count < min_count or longer.get(key, 0) >= count:
            continue  # only the maximal phrase is worth a stub
        doc, i, j = first_seen[key]
        prefix = article_prefix(doc.toks[i])
        start, end = doc.span(i, j, prefix)
        surface = doc.text[start:end]
        if prefix and not doc.toks[i][prefix:].startswith("ال"):
            surface = "ا" + surface  # للتعاون -> التعاون
        out.append(_Cand("repeated phrase", surface, _context(doc.text, start, end)))


def _recount(docs: Sequence[_Doc], cands: Sequence[_Cand]) -> Counter[int]:
    """Occurrences of each candidate outside what is already covered; covers them after."""
    stub = tuple(
        Term(f"s{n}", "term", (c.surface,), {"en": "-"}, None, Path("-"), 0)
        for n, c in enumerate(cands)
    )
    matcher = TermMatcher(Glossary(stub, (), "suggest"))
    counts: Counter[int] = Counter()
    for doc in docs:
        found = [m for m in matcher.find(doc.text) if doc.free(m.word_start, m.end)]
        for m in found:
            counts[int(m.term_id[1:])] += 1
        doc.cover(found)
    return counts


def _unique(cands: Iterable[_Cand]) -> list[_Cand]:
    """One candidate per normalised form, the strongest kind kept."""
    merged: dict[tuple[tuple[str, ...], tuple[str, ...]], _Cand] = {}
    for cand in cands:
        key = form_key(cand.surface)
        have = merged.get(key)
        if key[0] and (have is None or _KIND_WEIGHT[cand.kind] > _KIND_WEIGHT[have.kind]):
            merged[key] = cand
    return list(merged.values())


def suggest_terms(texts: Sequence[str], glossary: Glossary) -> list[Suggestion]:
    """Names and terms in ``texts`` that ``glossary`` does not match, best first.

    Looks for a title followed by a name (السيد، السيدة، الجنرال، الوزير، الفريق أول...),
    words in parentheses, transliterated foreign names and repeated multi-word phrases.
    Anything overlapping a glossary match is left out; a repeated paragraph counts once.
    Ranked by count times a weight per kind (names and parenthesised terms first).
    """
    matcher = TermMatcher(glossary)
    distinct: dict[str, str] = {}
    for text in texts:
        key = " ".join(normalize_arabic(text)[0].split())
        if key:
            distinct.setdefault(key, text)
    docs = [_Doc(text, matcher) for text in distinct.values()]
    names: list[_Cand] = []
    for doc in docs:
        _title_names(doc, names)
        _parenthesised(doc, names)
        _transliterated(doc, names)
    names = _unique(names)
    # names first, longest wins: a fragment (ذي تونغ) inside a longer name counts nothing
    counts = _recount(docs, names)
    result = [
        Suggestion(c.surface, c.kind, counts[n], c.example)
        for n, c in enumerate(names)
        if counts[n]
    ]
    phrases: list[_Cand] = []
    _phrases(docs, phrases)
    phrases = _unique(phrases)
    counts = _recount(docs, phrases)
    result += [
        Suggestion(c.surface, c.kind, counts[n], c.example)
        for n, c in enumerate(phrases)
        if counts[n] >= 2
    ]
    result.sort(
        key=lambda s: (-s.count * _KIND_WEIGHT[s.kind], _KIND_ORDER[s.kind], -s.count, s.ar)
    )
    return result


def _slug(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if ch in TRANSLITERATION:
            out.append(TRANSLITERATION[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch.isspace() or ch in "-_":
            out.append("-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    return slug[:40].strip("-")


def _guess_type(s: Suggestion) -> str:
    if s.kind in ("title+name", "transliterated name"):
        return "person"
    first = normalize_arabic(s.ar)[0].split()[:1]
    for raw, kind in TYPE_HINTS_RAW:
        if first and first[0] in word_set(raw):
            return kind
    return "term"


def _yaml_str(value: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar, once the characters YAML 1.1
    # readers take for line breaks are escaped too
    out = json.dumps(value, ensure_ascii=False)
    return out.replace("\u0085", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def suggestions_to_yaml(
    suggestions: Sequence[Suggestion], *, glossary: Glossary | None = None
) -> str:
    """YAML stubs for ``suggestions``: a complete glossary file whose items can be pasted
    under ``terms:`` of an existing one. Once every ``en`` is filled in it passes check.
    Ids are transliteration slugs (``term-001`` when there is nothing to transliterate),
    made unique among the stubs and against ``glossary`` when it is given.
    """
    taken = {t.id for t in glossary.terms} if glossary is not None else set()
    lines = [
        "# Suggested glossary terms: fill in every `en` (and `vi` if you translate to",
        "# Vietnamese), check `type`, delete what you do not want, then paste the items under",
        "# `terms:` in a glossary file (or save this file in the glossary folder as it is).",
        "version: 1",
        "terms:",
    ]
    if not suggestions:
        lines[-1] = "terms: []  # nothing to suggest: the glossary covers every name found"
    for n, s in enumerate(suggestions, start=1):
        base = _slug(s.ar) or f"term-{n:03d}"
        slug = base
        k = 2
        while slug in taken:
            slug = f"{base}-{k}"
            k += 1
        taken.add(slug)
        note = f"suggested ({s.kind}, {s.count}x): {s.example}"
        lines += [
            f"  - id: {slug}",
            f"    type: {_guess_type(s)}  # a guess: check it",
            f"    ar: [{_yaml_str(s.ar)}]",
            '    en: ""  # TODO: the English rendering',
            f"    note: {_yaml_str(note)}",
        ]
    return "\n".join(lines) + "\n"
