"""The language codes imported models use, read as the codes bilingual knows.

OPUS-MT releases name languages by ISO 639-3 codes (``ara``, ``eng``, ``vie``), often
an individual language inside a macro-language (``arb`` Standard Arabic, ``arz``
Egyptian Arabic) and sometimes with a script (``ara_Latn``); NLLB's tokens are a code
and a script (``arb_Arab``); M2M-100's are ISO 639-1 (``__ar__``). :func:`to_bilingual`
maps any of them to bilingual's two-letter code, and :func:`choose_token` picks, among
several tokens of one language, the one for its standard form in its usual script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bilingual.lang import LANGUAGES

_ISO3 = {
    "ara": "ar",
    "arb": "ar",
    "eng": "en",
    "vie": "vi",
    "deu": "de",
    "fra": "fr",
    "spa": "es",
    "rus": "ru",
    "zho": "zh",
    "cmn": "zh",
    "fas": "fa",
    "pes": "fa",
    "tur": "tr",
    "heb": "he",
    "urd": "ur",
}
"""ISO 639-3 -> the two-letter code; those bilingual knows, and a few it may learn."""

_MACRO = {
    "ar": frozenset(
        {"aao", "abh", "abv", "acm", "acq", "acw", "acx", "acy", "adf", "aeb", "aec", "afb"}
        | {"ajp", "apc", "apd", "arb", "arq", "ars", "ary", "arz", "auz", "avl", "ayh"}
        | {"ayl", "ayn", "ayp", "bbz", "pga", "shu", "ssh"}
    ),
}
"""The individual languages of ISO 639-3 macro-languages (here: Arabic, ``ara``)."""

_PREFERRED = {"ar": ("ara", "arb"), "en": ("eng",), "vi": ("vie",)}
"""The code of the standard language first, when a model has several of one family."""

_SCRIPT = {"ar": "Arab", "en": "Latn", "vi": "Latn"}
"""The script each language is written in; a token for another (``arb_Latn``) is a
transliteration."""

_CODE = re.compile(r"([A-Za-z]{2,3})(?:[_-]([A-Za-z]{4}|[A-Za-z]{2}|[0-9]{3}))?")


def _split(code: str) -> tuple[str, str]:
    match = _CODE.fullmatch(code.strip())
    if match is None:
        return "", ""
    return match.group(1).lower(), (match.group(2) or "")


def to_bilingual(code: str) -> str | None:
    """``ar``, ``ara``, ``arb``, ``arz``, ``ara_Latn``, ``arb_Arab`` -> ``ar``; None when
    the code is not one this table knows."""
    base, _ = _split(code)
    if len(base) == 2:
        return base
    if base in _ISO3:
        return _ISO3[base]
    for two, members in _MACRO.items():
        if base in members:
            return two
    return None


def is_known(code: str) -> bool:
    """Whether bilingual has a language record for the two-letter ``code``."""
    return code in LANGUAGES


def known_order(codes: Iterable[str]) -> list[str]:
    """The codes bilingual knows, in the order of its language table (ar, en, vi)."""
    wanted = set(codes)
    return [code for code in LANGUAGES if code in wanted]


def choose_token(code: str, tokens: dict[str, str]) -> str | None:
    """Of ``tokens`` (token -> the language code inside it), the token for ``code``.

    The standard language in its usual script wins: ``>>ara<<`` over ``>>arz<<``,
    ``arb_Arab`` over ``arb_Latn`` and ``ary_Arab``.
    """
    preferred = _PREFERRED.get(code, ())
    script = _SCRIPT.get(code, "")

    def rank(item: tuple[str, str]) -> tuple[int, int, str]:
        token, inner = item
        base, written = _split(inner)
        other_script = bool(written) and len(written) == 4 and written.title() != script
        place = preferred.index(base) if base in preferred else len(preferred)
        return (int(other_script), place if len(base) == 3 else -1, token)

    candidates = [(t, inner) for t, inner in tokens.items() if to_bilingual(inner) == code]
    return min(candidates, key=rank)[0] if candidates else None
