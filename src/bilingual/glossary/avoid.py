"""A term's avoid lists: the renderings it must never take, read and checked.

In a glossary file, ``avoid`` maps a target language to the renderings the term must
never take there, in the shape of the renderings themselves (a key per language)::

    - id: interior-ministry
      ar: وزارة الداخلية
      en: Ministry of the Interior
      avoid: {en: [Interior Ministry, Home Office], vi: Bộ Nội địa}

A language's list may be one string. An avoided rendering that spells the prescribed
one (case, hyphens and spaces aside: :func:`bilingual._text.same_words`), or that stands
in it as whole words, is refused: the model could not write the term, and every
translation that keeps it would be flagged. What a run does with the lists (the decode
steered away, a finding where one still appears) is in :mod:`bilingual.translate` and
:mod:`bilingual.qa`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bilingual._text import loose_spans, same_words
from bilingual.glossary.term import AVOID_KEY, RENDERING_KEYS
from bilingual.lang import language_name


@dataclass(frozen=True)
class AvoidProblem:
    """One problem of an avoid list: at which language and item, what, how to fix it."""

    lang: str | None
    """The language key it is under (None: the ``avoid`` value itself)."""
    item: int | None
    """The item of that language's list (None: the language's value)."""
    what: str
    fix: str


def _items(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _conflict(avoided: str, prescribed: str) -> str | None:
    """Why ``avoided`` cannot be avoided by a term prescribed as ``prescribed``; or None."""
    if same_words(avoided, prescribed):
        return "is the prescribed rendering"
    if loose_spans(prescribed, avoided):
        return "is part of the prescribed rendering"
    return None


def read_avoid(
    value: object, renderings: Mapping[str, str | None]
) -> tuple[dict[str, tuple[str, ...]], list[AvoidProblem]]:
    """The avoid lists of a term whose ``avoid`` is ``value`` and whose renderings are
    ``renderings`` (None: not given), and every problem with them."""
    problems: list[AvoidProblem] = []
    langs = ", ".join(RENDERING_KEYS)
    if value is None:
        return {}, problems
    if not isinstance(value, Mapping):
        example = f"{AVOID_KEY}: {{en: [a wrong rendering, another]}}"
        what = f"'{AVOID_KEY}' must map a target language ({langs}) to renderings"
        return {}, [AvoidProblem(None, None, what, f"write `{example}`")]
    out: dict[str, tuple[str, ...]] = {}
    for lang, raw in value.items():
        if lang not in RENDERING_KEYS:
            what = f"'{AVOID_KEY}' has the key {str(lang)!r}, which is not a target language"
            problems.append(AvoidProblem(None, None, what, f"use one of: {langs}"))
            continue
        name = language_name(str(lang))
        kept: list[str] = []
        for k, item in enumerate(_items(raw)):
            sub = k if isinstance(raw, list | tuple) else None
            if not isinstance(item, str) or not item.strip():
                what = f"avoided {name} rendering #{k + 1} is empty or not text: {item!r}"
                problems.append(AvoidProblem(str(lang), sub, what, "write the words, or delete it"))
                continue
            # NFC: "Huế" typed with combining accents is the same rendering (and the
            # model writes composed letters)
            text = " ".join(unicodedata.normalize("NFC", item).split())
            prescribed = renderings.get(str(lang))
            nfc = unicodedata.normalize("NFC", prescribed) if prescribed else None
            why = _conflict(text, nfc) if nfc else None
            if why is not None:
                what = f"avoided {name} rendering {text!r} {why} {prescribed!r}"
                fix = (
                    f"a term cannot both take and avoid a rendering: delete it from "
                    f"{AVOID_KEY}.{lang}, or change {lang}"
                )
                problems.append(AvoidProblem(str(lang), sub, what, fix))
                continue
            if text not in kept:
                kept.append(text)
        if kept:
            out[str(lang)] = tuple(kept)
    return out, problems


def avoided_in(
    text: str, avoided: Mapping[str, tuple[str, ...]], kept: Callable[[int, int], bool]
) -> list[tuple[str, str]]:
    """``(term id, words as written)`` for each avoided rendering found in ``text``
    (``avoided``: term id -> its renderings to avoid in ``text``'s language), loosely
    (:func:`bilingual._text.loose_spans`), but not where ``kept(start, end)``: inside a
    prescribed rendering the text must keep (``Council`` avoided by one term, within
    ``Security Council`` prescribed by another)."""
    found: list[tuple[str, str]] = []
    for term_id, renderings in avoided.items():
        for rendering in renderings:
            spans = [s for s in loose_spans(text, rendering) if not kept(*s)]
            if spans:
                found.append((term_id, text[spans[0][0] : spans[0][1]]))
    return found
