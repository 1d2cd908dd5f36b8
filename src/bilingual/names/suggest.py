"""Glossary suggestion: names and terms in articles that the glossary does not cover yet.

Heuristics on the Arabic: a title or honorific followed by a name, words in
parentheses, transliterated foreign names (the per-text ones shared with the run's name
finder, :mod:`bilingual.names.detect`), and repeated multi-word phrases across articles
(only the longest phrase that repeats as often as its parts). The result is written as
draft YAML stubs (``status: draft``: they check, and never stop a run), each ``en`` filled
with the rendering a run would keep when one is given.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.glossary.match import TermMatcher, form_key
from bilingual.glossary.term import Glossary, Term
from bilingual.lang.ar import (
    TRANSLITERATION,
    TYPE_HINTS_RAW,
    article_prefix,
    is_stop,
    normalize_arabic,
    without_clitic,
    word_set,
)
from bilingual.names.detect import (
    Found,
    Scan,
    parenthesised_spans,
    title_name_spans,
    transliterated_spans,
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


def _add(doc: Scan, out: list[_Cand], found: Iterable[Found]) -> None:
    for kind, start, end in found:
        if doc.free(start, end):
            out.append(_Cand(kind, doc.text[start:end], _context(doc.text, start, end)))


def _phrases(docs: Sequence[Scan], out: list[_Cand], min_count: int = 2) -> None:
    counts: Counter[tuple[str, ...]] = Counter()
    first_seen: dict[tuple[str, ...], tuple[Scan, int, int]] = {}
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


def _recount(docs: Sequence[Scan], cands: Sequence[_Cand]) -> Counter[int]:
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
    docs = [Scan(text, matcher) for text in distinct.values()]
    names: list[_Cand] = []
    for doc in docs:
        _add(doc, names, title_name_spans(doc))
        _add(doc, names, parenthesised_spans(doc))
        _add(doc, names, transliterated_spans(doc))
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
    suggestions: Sequence[Suggestion],
    *,
    glossary: Glossary | None = None,
    renderings: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """YAML stubs for ``suggestions``: a complete glossary file whose items can be pasted
    under ``terms:`` of an existing one. Every stub is a draft (``status: draft``): it
    checks, and never stops a run, even with its ``en`` still empty.
    ``renderings`` maps an Arabic form to its rendering per language (``en``, ``vi``), the
    one the run would use; a stub without one has ``en: ""``.
    Ids are transliteration slugs (``term-001`` when there is nothing to transliterate),
    made unique among the stubs and against ``glossary`` when it is given.
    """
    taken = {t.id for t in glossary.terms} if glossary is not None else set()
    lines = [
        "# Suggested glossary terms, as drafts: a draft is used (once it has an `en`) and",
        "# flagged in the briefings, and never stops a run. Check or fill in every `en` (and",
        "# `vi` if you translate to Vietnamese), check `type`, delete what you do not want,",
        "# then paste the items under `terms:` in a glossary file (or save this file in the",
        "# glossary folder as it is); `bilingual glossary confirm ID` makes a draft final.",
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
        given = {k: v for k, v in (renderings or {}).get(s.ar, {}).items() if v and v.strip()}
        en = given.get("en")
        lines += [
            f"  - id: {slug}",
            f"    type: {_guess_type(s)}  # a guess: check it",
            f"    ar: [{_yaml_str(s.ar)}]",
            f"    en: {_yaml_str(en.strip())}  # check it"
            if en
            else '    en: ""  # TODO: the English rendering',
        ]
        if given.get("vi"):
            lines.append(f"    vi: {_yaml_str(given['vi'].strip())}  # check it")
        lines += [f"    note: {_yaml_str(note)}", "    status: draft"]
    return "\n".join(lines) + "\n"
