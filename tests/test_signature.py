"""Tests for bilingual.signature: the run's reproducibility string formats and parses back."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilingual.signature import Signature

REAL = (
    "src:ar|tgt:en,vi|ar-en:translate-ar_en-1_0@1.0|en-vi:translate-en_vi-1_9@1.9"
    "|glossary:3f9a2c1d9e0b|beam:4|lock:inject-first|version:0.1.0"
)


def test_a_real_signature_round_trips() -> None:
    sig = Signature.parse(REAL)
    assert sig.source == "ar" and sig.targets == ("en", "vi")
    assert sig.models == (
        ("ar-en", "translate-ar_en-1_0@1.0"),
        ("en-vi", "translate-en_vi-1_9@1.9"),
    )
    assert (sig.glossary, sig.beam, sig.lock, sig.version) == (
        "3f9a2c1d9e0b",
        4,
        "inject-first",
        "0.1.0",
    )
    assert str(sig) == REAL


LABEL = st.from_regex(r"[a-z][a-z0-9_.\-]{0,20}@[0-9][0-9.]{0,6}", fullmatch=True)


@given(
    targets=st.lists(st.sampled_from(["en", "vi", "fr"]), min_size=1, max_size=3, unique=True),
    labels=st.lists(LABEL, min_size=3, max_size=3),
    beam=st.integers(1, 64),
    glossary=st.from_regex(r"[0-9a-f]{12}|none", fullmatch=True),
    lock=st.sampled_from(["inject-first", "natural-first"]),
)
def test_any_signature_round_trips(
    targets: list[str], labels: list[str], beam: int, glossary: str, lock: str
) -> None:
    langs = ["ar", *targets]
    models = tuple(
        (f"{a}-{b}", label)
        for (a, b), label in zip(itertools.pairwise(langs), labels, strict=False)
    )
    sig = Signature("ar", tuple(targets), models, glossary, beam, lock, "0.1.0")
    assert Signature.parse(str(sig)) == sig


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("bilingual:0.1.0|langs:ar-en", "expected"),
        (REAL.replace("beam:4", "beam:four"), "not a number"),
        (REAL + "|beam:5", "twice"),
        (REAL.replace("|lock:", "|lock"), "no ':'"),
        (REAL.replace("src:ar|tgt:en,vi", "tgt:en,vi|src:ar"), "order"),
    ],
)
def test_a_damaged_signature_is_refused_with_the_reason(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        Signature.parse(text)
