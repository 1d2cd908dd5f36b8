"""Vietnamese: names, and how it writes numbers (decimal comma, month names, ordinals);
its renderings replace English ones as they are."""

from __future__ import annotations

import unicodedata

from bilingual.lang.base import Language, NumberWords

_UNITS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def fold(text: str) -> str:
    """NFC and lower case: the tone marks are kept (``năm`` is not ``nam``)."""
    return unicodedata.normalize("NFC", text).casefold()


def _number_words() -> dict[str, int]:
    # "năm" alone is far more often "year" than "five" (ngày 12 tháng 3 năm 2024): it
    # counts only inside a phrase; "một" is also the article "a"
    words = {unit: n for n, unit in enumerate(_UNITS, start=1) if unit != "năm"}
    words["mười"] = 10
    for n, unit in enumerate(_UNITS, start=1):
        words[f"mười {unit}"] = 10 + n
        words[f"{unit} mươi"] = 10 * n
    words["mười lăm"] = 15
    words["mười năm"] = 15
    months = {f"tháng {unit}": n for n, unit in enumerate(_UNITS, start=1)}
    months.update({"tháng giêng": 1, "tháng tư": 4, "tháng mười": 10, "tháng chạp": 12})
    months.update({"tháng mười một": 11, "tháng mười hai": 12})
    ordinals = {f"thứ {unit}": n for n, unit in enumerate(_UNITS, start=1)}
    ordinals.update({"thứ nhất": 1, "thứ tư": 4, "thứ mười": 10})
    return {**words, **months, **ordinals}


NUMBERS = NumberWords(
    decimal=",",
    words=_number_words(),
    scales={"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9},
    fold=fold,
)

LANGUAGE = Language(code="vi", name="Vietnamese", tag="vi-VN", numbers=NUMBERS)

PHRASE_STARTS = frozenset(
    {
        "tại",
        "ở",
        "để",
        "và",
        "với",
        "của",
        "cho",
        "đã",
        "sẽ",
        "đang",
        "trong",
        "về",
        "từ",
        "khi",
        "vào",
        "theo",
        "là",
        "các",
        "những",
        "nhưng",
        "hoặc",
        "nếu",
        "vì",
        "do",
        "trên",
        "dưới",
        "cùng",
        "đến",
        "tới",
    }
)
"""One-syllable words that begin a phrase (prepositions, conjunctions, tense and plural
markers). Vietnamese spaces syllables, not words, so a space is no word boundary in
itself; the space before one of these is one, and a forced term written in there lands
between two phrases instead of inside a word (``đại | biểu``)."""

COMPOUNDS = frozenset({("hiện", "tại"), ("bên", "trong"), ("bởi", "vì"), ("cho", "đến")})
"""Two-syllable words whose second syllable is also in :data:`PHRASE_STARTS`: the space
inside them is no boundary."""
