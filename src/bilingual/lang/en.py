"""English: the article that goes with a term when a later hop replaces the term, and the
words that stand for numbers (month names, ordinals, number words)."""

from __future__ import annotations

from bilingual.lang.base import Language, NumberWords

_ARTICLE = "the "


def term_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span a term's English rendering occupies, a leading ``the`` included.

    ``the United Nations`` becomes ``Liên hợp quốc`` in Vietnamese, which has no article:
    replacing only the name would leave ``the Liên hợp quốc``.
    """
    if text[max(0, start - len(_ARTICLE)) : start].lower() == _ARTICLE:
        return start - len(_ARTICLE), end
    return start, end


def _split(words: str) -> list[str]:
    return words.split()


_MONTHS = "january february march april may june july august september october november december"
_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec"
_UNITS = _split(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _split("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINALS = _split(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
)
_TENTHS = _split("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth")


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for names in (_MONTHS, _ABBREVIATIONS):
        words.update({name: n for n, name in enumerate(_split(names), start=1)})
    words["sept"] = 9
    for n, (unit, ordinal) in enumerate(zip(_UNITS, _ORDINALS, strict=True), start=1):
        words[unit] = words[ordinal] = n
    for k, (ten, tenth) in enumerate(zip(_TENS, _TENTHS, strict=True), start=2):
        words[ten] = words[tenth] = 10 * k
        for n in range(1, 10):
            # "twenty-five", "twenty-fifth": the hyphen splits them into two words
            words[f"{ten} {_UNITS[n - 1]}"] = words[f"{ten} {_ORDINALS[n - 1]}"] = 10 * k + n
    words.update({"dozen": 12, "hundred": 100, "hundredth": 100, "thousand": 1000})
    return words


NUMBERS = NumberWords(
    decimal=".",
    words=_number_words(),
    scales={
        "thousand": 10**3,
        "million": 10**6,
        "millions": 10**6,
        "billion": 10**9,
        "billions": 10**9,
        "bn": 10**9,
        "trillion": 10**12,
    },
)

LANGUAGE = Language(code="en", name="English", tag="en-US", term_span=term_span, numbers=NUMBERS)
