"""Tests for bilingual.enforce: the locking ladder, with scripted translators."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.document.segment import TermUse
from bilingual.enforce import (
    Requirement,
    fuzzy_span,
    inject,
    lock,
    occurrences,
    satisfied,
    write_in,
)
from bilingual.engine import Hypothesis, Translation
from bilingual.qa import translation_flags

LEXICON = {"وقع": "signed", "الوزير": "the minister", "في": "in", "اليوم": "today"}


def _word_translate(text: str) -> str:
    """Arabic words from LEXICON translated, everything else (Latin, digits) copied."""
    out = []
    for tok in text.split():
        out.append(LEXICON.get(tok, tok if re.search(r"[A-Za-z0-9]", tok) else "x"))
    return " ".join(out)


class Scripted:
    """A translator whose n-best list is made by ``make(source) -> [hyp, ...]``."""

    def __init__(self, make: Callable[[str, str | None], list[str]]) -> None:
        self.make = make
        self.calls: list[tuple[list[str], int, list[str | None] | None]] = []

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        prefixes = list(target_prefixes) if target_prefixes else [None] * len(sentences)
        self.calls.append((list(sentences), num_hypotheses, list(target_prefixes or []) or None))
        out = []
        for s, p in zip(sentences, prefixes, strict=True):
            hyps = self.make(s, p)[:num_hypotheses]
            out.append(
                Translation(
                    hyps[0], -1.0, tuple(Hypothesis(h, -1.0 - i) for i, h in enumerate(hyps))
                )
            )
        if progress:
            progress(len(sentences))
        return out


UNODC = "United Nations Office on Drugs and Crime (UNODC)"
AR_UNODC = "مكتب الأمم المتحدة المعني بالمخدرات والجريمة"


def _req(source: str, ar: str, rendering: str, term_id: str = "t") -> Requirement:
    start = source.index(ar)
    return Requirement(term_id, start, start + len(ar), rendering)


def test_occurrences_allows_the_and_possessive_only() -> None:
    assert occurrences("the Hanoi Convention's text", "Hanoi Convention") == 1
    assert occurrences("Hanoi Conventions", "Hanoi Convention") == 0
    assert occurrences("xHanoi Convention", "Hanoi Convention") == 0
    assert occurrences("hanoi convention", "Hanoi Convention") == 0
    assert occurrences("(UNODC) and (UNODC)", "(UNODC)") == 2
    assert occurrences("", "UNODC") == 0


def test_satisfied_counts_each_occurrence() -> None:
    reqs = [Requirement("a", 0, 1, "Hanoi"), Requirement("a", 5, 6, "Hanoi")]
    assert not satisfied("in Hanoi today", reqs)
    assert satisfied("Hanoi and Hanoi", reqs)


def test_inject_replaces_spans_and_keeps_clitic_apart() -> None:
    source = f"وقع و{AR_UNODC} اليوم"
    req = _req(source, AR_UNODC, UNODC)
    assert inject(source, [req]) == f"وقع و {UNODC} اليوم"


def test_injected_when_model_copies_latin() -> None:
    source = f"وقع الوزير في {AR_UNODC}"
    req = _req(source, AR_UNODC, UNODC)
    tr = Scripted(lambda s, p: [_word_translate(s)])
    [res] = lock(tr, [source], [[req]])
    assert res.strategies == ("injected",)
    assert UNODC in res.text
    assert len(tr.calls) == 1  # one decode, no repair


def test_nbest_when_only_a_lower_hypothesis_keeps_the_term() -> None:
    source = f"وقع {AR_UNODC}"
    req = _req(source, AR_UNODC, UNODC)
    tr = Scripted(lambda s, p: ["signed the office", f"signed {UNODC}", "signed"])
    [res] = lock(tr, [source], [[req]])
    assert res.strategies == ("nbest",)
    assert res.text == f"signed {UNODC}"


def test_prefix_repair_continues_after_the_term() -> None:
    source = f"وقع {AR_UNODC} اليوم"
    req = _req(source, AR_UNODC, UNODC)

    def make(s: str, prefix: str | None) -> list[str]:
        if prefix is not None:
            return [prefix + " today"]
        return ["signed United Nations Office for Drugs and Crime today"]

    tr = Scripted(make)
    [res] = lock(tr, [source], [[req]])
    assert res.strategies == ("prefix",)
    assert res.text == f"signed {UNODC} today"
    assert tr.calls[-1][2] == [f"signed {UNODC}"]


def test_forced_when_the_model_drops_the_term() -> None:
    source = f"وقع الوزير {AR_UNODC}"
    req = _req(source, AR_UNODC, UNODC)
    tr = Scripted(lambda s, p: ["the minister signed"])
    [res] = lock(tr, [source], [[req]])
    assert res.strategies == ("forced",)
    assert occurrences(res.text, UNODC) == 1
    assert "minister" in res.text


def test_natural_first_labels_terms_the_model_knew() -> None:
    source = "وقع في هانوي"
    req = _req(source, "هانوي", "Hanoi")
    tr = Scripted(lambda s, p: ["signed in Hanoi"])
    [res] = lock(tr, [source], [[req]], natural_first=True)
    assert res.strategies == ("natural",)


def test_sentences_without_terms_pass_through_in_order() -> None:
    sources = ["وقع", "الوزير", "اليوم"]
    tr = Scripted(lambda s, p: [_word_translate(s)])
    res = lock(tr, sources, [[], [], []])
    assert [r.text for r in res] == ["signed", "the minister", "today"]
    assert all(r.strategies == () for r in res)


def test_fuzzy_span_finds_near_miss() -> None:
    text = "they met the United Nations Office for Drugs and Crime yesterday"
    span = fuzzy_span(text, "United Nations Office on Drugs and Crime")
    assert span is not None
    assert text[span[0] : span[1]] == "United Nations Office for Drugs and Crime"
    assert fuzzy_span("nothing alike here", "United Nations Office") is None


def _brute_fuzzy_span(text: str, rendering: str) -> tuple[int, int] | None:
    """fuzzy_span as it was: every window of every size scored (the reference)."""
    target = [m.group().casefold() for m in re.finditer(r"\w+", rendering)]
    words = [(m.group().casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    best: tuple[float, int, int] | None = None
    n = len(target)
    for size in range(max(1, n - 2), n + 3):
        for i in range(0, len(words) - size + 1):
            window = [w for w, _, _ in words[i : i + size]]
            ratio = difflib.SequenceMatcher(a=target, b=window, autojunk=False).ratio()
            if best is None or ratio > best[0] + 1e-9:
                best = (ratio, i, i + size)
    if best is None or best[0] < 0.5:
        return None
    return words[best[1]][1], words[best[2] - 1][2]


def test_fuzzy_span_scores_only_windows_near_a_shared_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 18: a sentence of thousands of words cost every window of it, per term."""
    scored: list[int] = []
    real = difflib.SequenceMatcher

    def counting(*args: Any, **kwargs: Any) -> difflib.SequenceMatcher[str]:
        scored.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", counting)
    near_miss = "the United Nations Office for Drugs and Crime said"
    counts = []
    for filler in (50, 5000):
        scored.clear()
        text = " ".join(["word"] * filler) + f" {near_miss} " + " ".join(["other"] * filler)
        span = fuzzy_span(text, "United Nations Office on Drugs and Crime")
        assert span is not None and text[span[0] : span[1]].startswith("United Nations")
        counts.append(len(scored))
    assert counts[0] == counts[1]  # the filler words are never scored


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["the", "United", "Nations", "office", "Hanoi", "x"]), max_size=25),
    st.sampled_from(["United Nations Office", "Hanoi", "the Hanoi office", "z"]),
)
def test_fuzzy_span_finds_what_scoring_every_window_finds(words: list[str], rendering: str) -> None:
    text = " ".join(words)
    assert fuzzy_span(text, rendering) == _brute_fuzzy_span(text, rendering)


ARABIC_WORDS = st.sampled_from(["وقع", "الوزير", "في", "اليوم", "اتفاقية", "هانوي", "المندوبون"])
RENDERINGS = st.sampled_from([UNODC, "Hanoi", "Hanoi Convention", "Tô Lâm", "INTERPOL", "Viet Nam"])
BEHAVIOUR = st.sampled_from(["copy", "drop", "mangle", "empty", "nbest"])


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(ARABIC_WORDS, min_size=1, max_size=12),
    picks=st.lists(st.tuples(st.integers(0, 11), RENDERINGS), max_size=4),
    behaviour=BEHAVIOUR,
)
def test_every_requirement_is_met_whatever_the_model_does(
    words: list[str], picks: list[tuple[int, str]], behaviour: str
) -> None:
    source = " ".join(words)
    starts = [0]
    for w in words[:-1]:
        starts.append(starts[-1] + len(w) + 1)
    reqs = []
    used = set()
    for idx, rendering in picks:
        if idx < len(words) and idx not in used:
            used.add(idx)
            reqs.append(
                Requirement(f"t{idx}", starts[idx], starts[idx] + len(words[idx]), rendering)
            )

    def make(s: str, prefix: str | None) -> list[str]:
        base = _word_translate(s)
        if behaviour == "copy":
            return [base]
        if behaviour == "drop":
            return [re.sub(r"[A-Z][^ ]*", "", base)]
        if behaviour == "mangle":
            return [(prefix or "") + base.lower()]
        if behaviour == "empty":
            return [""]
        return ["nothing", base]

    [res] = lock(Scripted(make), [source], [reqs])
    assert len(res.strategies) == len(reqs)
    assert satisfied(res.text, reqs)
    if behaviour == "copy":
        assert set(res.strategies) <= {"injected"}
    assert res.forced == sum(1 for s in res.strategies if s == "forced")


# -- where a forced rendering goes ------------------------------------------------------

DELEGATES = "Các đại biểu đã thảo luận về an ninh mạng tại hội nghị."
"""Vietnamese spaces syllables: "đại biểu" (delegates) is one word of two."""
CHILDREN = "bảo vệ trẻ em trực tuyến"


def _at_word_boundary(text: str, rendering: str) -> bool:
    a = text.index(rendering)
    b = a + len(rendering)
    return (a == 0 or text[a - 1] in " (") and (b == len(text) or text[b] in " ).,")


def test_a_forced_vietnamese_term_never_lands_inside_a_word() -> None:
    # sample 003 p4.s1: the term's place in the source fell between "đại" and "biểu"
    source = "ا" * 100
    req = Requirement("child-online-protection", 12, 30, CHILDREN)
    tr = Scripted(lambda s, p: [DELEGATES])
    [res] = lock(tr, [source], [[req]])
    assert res.strategies == ("forced",)
    assert "đại biểu" in res.text, res.text
    assert res.text.casefold().startswith(CHILDREN), res.text  # the sentence's start: known
    # mid-sentence: before the phrase that starts there ("về ..."), not inside a word
    mid = Requirement("child-online-protection", 40, 50, CHILDREN)
    [res] = lock(Scripted(lambda s, p: [DELEGATES]), [source], [[mid]])
    assert res.text == f"Các đại biểu đã thảo luận {CHILDREN} về an ninh mạng tại hội nghị."
    # no known boundary near its place (no clause, no phrase start): after the sentence in
    # brackets, and the finding says so
    plain = "Hội nghị thượng đỉnh thảo luận an ninh mạng quốc gia hôm nay."
    [res] = lock(Scripted(lambda s, p: [plain]), [source], [[mid]])
    assert res.text == f"{plain} ({CHILDREN})"
    use = TermUse("child-online-protection", "x", 40, 50, CHILDREN, "forced")
    flags = translation_flags(source, res.text, "vi", [use])
    [flag] = [f for f in flags if f.code == "forced-term"]
    assert "no word boundary near its place was known" in flag.message
    assert repr(CHILDREN) in flag.message.split("known for")[1]


def test_a_clause_boundary_near_the_terms_place_takes_it() -> None:
    text = "Các đại biểu, các bộ trưởng và chuyên gia đã thảo luận về an ninh mạng."
    req = Requirement("t", 20, 30, CHILDREN)
    out = write_in(text, [req], 100)
    assert (
        out == f"Các đại biểu, {CHILDREN} các bộ trưởng và chuyên gia đã thảo luận về an ninh mạng."
    )
    use = TermUse("t", "x", 20, 30, CHILDREN, "forced")
    [flag] = [f for f in translation_flags("ا" * 100, out, "vi", [use]) if f.code == "forced-term"]
    assert "no word boundary" not in flag.message


def test_five_forced_terms_are_spread_each_at_a_word_boundary() -> None:
    # seed 000 p4.s1: five renderings piled up at the start of one sentence
    source = "ا" * 250
    renderings = ["Hanoi Convention", "INTERPOL", "UNODC", "artificial intelligence", "Viet Nam"]
    reqs = [Requirement(f"t{i}", 10 + 50 * i, 20 + 50 * i, r) for i, r in enumerate(renderings)]
    text = (
        "At the ceremony the round table and the government discussed security in the city today."
    )
    tr = Scripted(lambda s, p: [text])
    [res] = lock(tr, [source], [reqs])
    assert res.strategies == ("forced",) * 5
    out = res.text
    assert all(_at_word_boundary(out, r) for r in renderings), out
    places = [out.index(r) for r in renderings]
    assert places == sorted(places), out  # in the source's order
    # spread: no two renderings side by side, the last one past the middle
    for a, b in itertools.pairwise(renderings):
        assert f"{a} {b}" not in out, out
    assert places[-1] > len(out) / 2 and places[0] < len(out) / 4, out
    # Vietnamese with one clause boundary: what has no known place is said to have none
    vi = "Lễ ký kết thượng đỉnh, hội nghị thảo luận an ninh mạng quốc gia hôm nay."
    vi_reqs = [Requirement(f"t{i}", 10 + 50 * i, 20 + 50 * i, f"Thuật ngữ {i}") for i in range(5)]
    out = write_in(vi, vi_reqs, 250)
    for req in vi_reqs:
        assert _at_word_boundary(out, req.rendering), out
    assert "ký kết" in out and "hội nghị" in out and "an ninh" in out and "quốc gia" in out
    uses = [TermUse(r.term_id, "x", r.start, r.end, r.rendering, "forced") for r in vi_reqs]
    [flag] = [f for f in translation_flags(source, out, "vi", uses) if f.code == "forced-term"]
    bracketed = [r.rendering for r in vi_reqs if f"({r.rendering})" in out]
    assert bracketed and len(bracketed) < 5, out
    named = flag.message.split("known for")[1].split(", added")[0]
    assert all(repr(r) in named for r in bracketed), flag.message
