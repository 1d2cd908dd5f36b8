"""The matcher: find glossary terms in source text, with exact spans.

Decided once and documented here (the Arabic specifics live in :mod:`bilingual.lang.ar`):

* Both sides go through the source language's normalisation (for Arabic: diacritics,
  tatweel, alef and hamza forms, alef maqsura, ta marbuta, digits, compatibility forms).
* Text is split into tokens: maximal runs of letters and digits. A form matches whole
  tokens only; a token that merely contains a form is not a match.
* Only the first token of a form may carry a clitic prefix in the text (Arabic: an
  optional و or ف, then an optional ب ل or ك; ل + ال written لل, and لل alone before an
  article + lam word). For لل the term span starts at the second lam.
* The article is not optional: a form written with ال needs ال (or لل) in the text, and a
  form without ال does not match a word that has it. List both when both occur.
  No suffix is ever stripped: plural, dual and pronoun forms are separate forms.
* Between the tokens of a form the text may have any whitespace; other separators must
  be the same as in the form (``غينيا - بيساو`` needs the hyphen; a comma never joins).
* Overlaps: the candidate with the longest normalised form wins; ties go to the earliest
  start, then the term id, then the form. Results are sorted by start and never overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from bilingual._text import squash
from bilingual.glossary.term import SOURCE_KEY, Glossary
from bilingual.lang import source_rules
from bilingual.lang.base import SourceRules


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in source text; spans index the original (unnormalised) text."""

    term_id: str
    start: int
    """Start of the term itself, after any clitic prefix."""
    end: int
    word_start: int
    """Start of the whole word, clitic prefix included (== start when there is none)."""
    form: str
    """The glossary form that matched."""


SPLIT_RE = re.compile(r"([^\W_]+)")
"""Splits normalised text into separator, token, separator, ..., token, separator."""

FormKey = tuple[tuple[str, ...], tuple[str, ...]]
"""What the matcher sees of a form: its normalised tokens and squashed separators."""


def tokens(norm: str) -> tuple[list[str], list[int], list[int]]:
    """Tokens of normalised text (runs of letters and digits) with their start and end."""
    parts = SPLIT_RE.split(norm)
    offsets = list(accumulate(map(len, parts)))
    return parts[1::2], offsets[0:-1:2], offsets[1::2]


def _key_of_norm(norm: str) -> FormKey:
    parts = SPLIT_RE.split(norm)
    return tuple(parts[1::2]), tuple("" if sep == " " else squash(sep) for sep in parts[2:-1:2])


def form_key(form: str, rules: SourceRules | None = None) -> FormKey:
    """The key two forms share when the matcher cannot tell them apart."""
    rules = rules if rules is not None else source_rules(SOURCE_KEY)
    return _key_of_norm(rules.normalize(form)[0])


def form_text(form: str, rules: SourceRules | None = None) -> str:
    """:func:`form_key` as one string: the normalised tokens with their separators, a
    space between words (the identity of a name in the memory)."""
    toks, seps = form_key(form, rules)
    joints = ("", *(sep or " " for sep in seps))
    return "".join(sep + tok for sep, tok in zip(joints, toks, strict=True))


_Trie = dict[str, Any]
"""A token-trie node: edges keyed by ``separator + "\x1f" + token``; the forms that end
at the node under the key ``""`` as ``(term id, form as written, normalised size)``."""


class TermMatcher:
    """Finds glossary terms in source text (see the module docstring for the rules).

    Built once per glossary: a token trie of the normalised forms. ``find`` looks each
    distinct text token up once, bare and with its clitic prefixes stripped, then walks
    the trie from the few tokens that start a form. Building allocates few objects on
    purpose: with 10,000 terms, the garbage collector's passes were most of the cost.
    """

    def __init__(self, glossary: Glossary, *, rules: SourceRules | None = None) -> None:
        self.rules = rules if rules is not None else source_rules(glossary.source_lang)
        pairs = [(term.id, form) for term in glossary.terms for form in term.forms]
        # one normalisation call for every form: a newline never occurs inside a form's
        # image, so it splits them back apart
        joined = "\n".join(" ".join(form.split()) for _, form in pairs)
        norms = self.rules.normalize(joined)[0].split("\n") if pairs else []
        roots: dict[str, _Trie] = {}
        for (term_id, form), norm in zip(pairs, norms, strict=True):
            toks, seps = _key_of_norm(norm)
            if not toks:
                continue
            node = roots.get(toks[0])
            if node is None:
                node = roots[toks[0]] = {}
            for sep, tok in zip(seps, toks[1:], strict=True):
                edge = sep + "\x1f" + tok
                child = node.get(edge)
                if child is None:
                    child = node[edge] = {}
                node = child
            ending = node.setdefault("", [])
            if all(f[0] != term_id for f in ending):  # the same form listed twice
                size = sum(map(len, toks)) + len(toks) - 1 + sum(map(len, seps))
                ending.append((term_id, form, size))
        self._roots = roots

    def _starts(self, tok: str) -> list[tuple[int, _Trie]]:
        """The trie roots ``tok`` can start: bare, or after a clitic prefix of length n."""
        roots = self._roots
        out: list[tuple[int, _Trie]] = []
        for prefix, stem in self.rules.stems(tok):
            node = roots.get(stem)
            if node is not None:
                out.append((prefix, node))
        return out

    def find(self, text: str) -> tuple[TermMatch, ...]:
        """Every term occurrence in ``text``: sorted by start, non-overlapping."""
        found, index, starts, ends = self._candidates(text)
        if not found:
            return ()
        found.sort()
        taken = bytearray(len(starts))
        kept: list[TermMatch] = []
        trailing = self.rules.trailing_marks
        for _size, i, term_id, form_text, n, prefix in found:
            if any(taken[i : i + n]):
                continue
            taken[i : i + n] = b"\x01" * n
            end = index[ends[i + n - 1] - 1] + 1
            while end < len(text) and text[end] in trailing:
                end += 1
            kept.append(
                TermMatch(
                    term_id=term_id,
                    start=index[starts[i] + prefix],
                    end=end,
                    word_start=index[starts[i]],
                    form=form_text,
                )
            )
        kept.sort(key=lambda m: m.start)
        return tuple(kept)

    def _candidates(
        self, text: str
    ) -> tuple[list[tuple[int, int, str, str, int, int]], list[int], list[int], list[int]]:
        """Every form occurrence, overlapping ones included, as sortable tuples
        ``(-size, token index, term id, form, token count, prefix length)``, with the
        index map and the token starts and ends in the normalised text."""
        if not self._roots or not text:
            return [], [], [], []
        norm, index = self.rules.normalize(text)
        parts = SPLIT_RE.split(norm)
        toks = parts[1::2]
        starters: dict[str, list[tuple[int, _Trie]]] = {}
        for tok in set(toks):
            found_roots = self._starts(tok)
            if found_roots:
                starters[tok] = found_roots
        if not starters:
            return [], [], [], []
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        last = len(toks) - 1
        found: list[tuple[int, int, str, str, int, int]] = []
        for i in [i for i, tok in enumerate(toks) if tok in starters]:
            for prefix, root in starters[toks[i]]:
                node = root
                j = i
                while True:
                    for term_id, form, size in node.get("", ()):
                        found.append((-size, i, term_id, form, j - i + 1, prefix))
                    if j == last or len(node) == ("" in node):
                        break  # the last token, or a node with no edge beyond its forms
                    sep = parts[2 * j + 2]
                    edge = ("\x1f" if sep == " " else squash(sep) + "\x1f") + toks[j + 1]
                    child = node.get(edge)
                    if child is None:
                        break
                    node = child
                    j += 1
        return found, index, starts, ends
