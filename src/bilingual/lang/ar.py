"""Arabic, the source language: everything the stages know about it, in one place.

* **Normalisation** for matching (:func:`normalize_arabic`): diacritics, tatweel and
  format characters removed; أ إ آ ٱ -> ا; ى -> ي; ؤ -> و; ئ -> ي; ة -> ه (the default;
  ``ta_marbuta=False`` keeps it); Persian ک ی -> ك ي; Arabic-Indic and Persian digits ->
  ASCII; presentation forms and other compatibility characters unfolded (NFKD); Latin
  casefolded and stripped of accents. Every output character maps back to the input.
* **Clitics** (:func:`stems`): و or ف, then ب ل or ك, may precede a word; before the
  article ال, ل + ال is written لل.
* **Script**: :func:`is_arabic_letter`, the letter and word patterns QA uses, the
  diacritics ingest ignores when it compares paragraphs.
* **Word lists** for name suggestions and segmentation: stop words, titles, honorifics,
  words that cannot open a sentence, type hints; the transliteration table for ids.

Nothing is computed at import: the normalisation table (every BMP code point, about
0.1 s) is built on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, partial

from bilingual.lang.base import Language, NumberWords, SourceRules

# -- script -------------------------------------------------------------------------------


def is_arabic_letter(ch: str) -> bool:
    """True for a letter of the Arabic script blocks (letters only, not digits or marks)."""
    return ch.isalpha() and (
        "\u0600" <= ch <= "\u06ff"
        or "\u0750" <= ch <= "\u077f"
        or "\u08a0" <= ch <= "\u08ff"
        or "\ufb50" <= ch <= "\ufdff"
        or "\ufe70" <= ch <= "\ufeff"
    )


LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
"""One Arabic letter (QA: is the translation the source unchanged?)."""
WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\u064B-\u065F\u0640]{2,}")
"""An Arabic word of two letters or more, diacritics and tatweel included."""
DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
"""Vowel marks, Quranic marks and tatweel: ignored when two paragraphs are compared."""
TRAILING_MARKS = frozenset(
    ch
    for ch in map(chr, range(0x0600, 0x0700))
    if unicodedata.category(ch) in ("Mn", "Me") or ch == "ـ"
)
"""Marks that belong to the letter before them: a match's end extends over them."""

# -- normalisation ------------------------------------------------------------------------

# Letters folded onto one representative after NFKD has split off hamza and madda marks.
_LETTER_FOLD: dict[str, str] = {
    "ٱ": "ا",  # alef wasla
    "ٲ": "ا",
    "ٳ": "ا",
    "ٵ": "ا",
    "ى": "ي",  # alef maqsura
    "ی": "ي",  # Persian yeh, common in web text
    "ې": "ي",
    "ک": "ك",  # Persian keheh
    "ـ": "",  # tatweel
    "ٴ": "",  # high hamza left over from ٵ and friends
}
_LETTER_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_LETTER_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits

_DROP_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
# Extra code point blocks folded besides the BMP (mathematical alphanumerics).
_EXTRA_BLOCKS = (range(0x1D400, 0x1D800),)


def _fold_char(ch: str, ta_marbuta: bool) -> str:
    """What one character becomes: NFKD, casefold, marks dropped, letters unified."""
    out: list[str] = []
    for piece in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold()):
        if unicodedata.category(piece) in _DROP_CATEGORIES:
            continue
        if ta_marbuta and piece == "ة":
            out.append("ه")
            continue
        out.append(_LETTER_FOLD.get(piece, piece))
    return "".join(out)


@cache
def _tables(ta_marbuta: bool) -> tuple[dict[int, str], re.Pattern[str]]:
    """The translate table and a pattern of the characters whose image is not one char.

    Built once per flag (about 0.1 s): every BMP code point is folded ahead of time so that
    normalising a text is one ``str.translate`` call plus a scan for the rare deletions and
    expansions that shift indices.
    """
    table: dict[int, str] = {}
    uneven: list[str] = []
    code_points = [*range(0xD800), *range(0xE000, 0x10000)]
    for block in _EXTRA_BLOCKS:
        code_points.extend(block)
    for cp in code_points:
        ch = chr(cp)
        folded = _fold_char(ch, ta_marbuta)
        if folded != ch:
            table[cp] = folded
            if len(folded) != 1:
                uneven.append(ch)
    cls = "".join(f"\\U{ord(c):08x}" for c in uneven)
    return table, re.compile(f"[{cls}]")


def normalize_arabic(text: str, *, ta_marbuta: bool = True) -> tuple[str, list[int]]:
    """Normalise ``text`` for matching and map every output index back to ``text``.

    Returns ``(normalised, index)`` with ``len(index) == len(normalised)`` and
    ``index[i]`` the position in ``text`` of the character that produced
    ``normalised[i]`` (non-decreasing). See the module docstring for the rules.
    """
    table, uneven = _tables(ta_marbuta)
    out = text.translate(table)
    if len(out) == len(text) and uneven.search(text) is None:
        return out, list(range(len(text)))
    index: list[int] = []
    pos = 0
    for m in uneven.finditer(text):
        i = m.start()
        index.extend(range(pos, i))
        index.extend([i] * len(table[ord(text[i])]))
        pos = i + 1
    index.extend(range(pos, len(text)))
    return out, index


# -- clitics ------------------------------------------------------------------------------

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
CLITICS: tuple[str, ...] = tuple(c + p for c in CONJUNCTIONS for p in PREPOSITIONS)
"""Every clitic prefix, the empty one first: و ف ب ل ك and their combinations."""
CLITICS_BY_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(c for c in CLITICS if c.startswith(letter)) for letter in "وفبلك"
}
"""The non-empty clitics by their first letter."""


def stems(tok: str) -> list[tuple[int, str]]:
    """What a normalised token may be under a clitic prefix: ``(prefix length, stem)``.

    The bare token first, then each clitic that fits. ل + ال is written لل: after a
    clitic ending in lam, a following lam also stands for the article (للأمم: الأمم), and
    before a word that starts with lam, for the article's lam too (للجنة: اللجنة).
    """
    out: list[tuple[int, str]] = [(0, tok)]
    for clitic in CLITICS_BY_LETTER.get(tok[:1], ()):
        n = len(clitic)
        if tok.startswith(clitic) and len(tok) > n:
            out.append((n, tok[n:]))
            if tok[n - 1] == "ل" and tok[n : n + 1] == "ل" and len(tok) > n + 1:
                out.append((n, "ا" + tok[n:]))
                out.append((n, "ال" + tok[n:]))
    return out


def article_prefix(tok: str) -> int:
    """Length of a clitic in front of the article (والتعاون -> 1, للتعاون -> 1), else 0."""
    for clitic in sorted(CLITICS, key=len, reverse=True):
        if clitic and tok.startswith(clitic + "ال") and len(tok) > len(clitic) + 3:
            return len(clitic)
    for conj in CONJUNCTIONS:
        if tok.startswith(conj + "لل") and len(tok) > len(conj) + 3:
            return len(conj) + 1
    return 0


def without_clitic(tok: str) -> str:
    """``tok`` without a clitic in front of its article (وللأمم -> الامم)."""
    p = article_prefix(tok)
    if not p:
        return tok
    return tok[p:] if tok[p:].startswith("ال") else "ا" + tok[p:]


def is_definite(tok: str) -> bool:
    """Has the article, possibly behind a clitic: الأمن, والأمن, للأمن."""
    return without_clitic(tok).startswith("ال")


# -- word lists ---------------------------------------------------------------------------

STOP_WORDS_RAW = """
في من على عن إلى الى أن إن أنه أنها لأن لا ما لم لن قد كما مع بين حول ثم أو أي أيضا
هذا هذه ذلك تلك هناك هنا التي الذي الذين اللذين اللتين عند عندما بعد قبل منذ حتى خلال ضد
لدى لكن ليس فقط جدا كل بعض غير مثل نحو حيث كان كانت يكون تكون كانوا هو هي هم هن نحن
أنا به بها له لها لهم عليه عليها فيه فيها منه منها إليه إليها قال قالت أكد أكدت أعرب
يوم اليوم أمس غدا صباح مساء عام سنة شهر أول أولى ثاني الثاني جميع كافة عدة العديد عدد
نفسه نفسها ذات وفقا وفق إطار جانب أكثر أقل كبير الكبير مدى سواء بشأن لدينا لنا إذ إذا
سيما الوقت
يناير فبراير مارس أبريل إبريل مايو يونيو يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين
"""
"""Function words, common verbs of reporting, time words and month names."""
TITLES_RAW = (
    "السيد السيدة السادة الآنسة الجنرال الوزير الوزيرة الفريق اللواء العميد العقيد المقدم "
    "الرائد النقيب الرئيس الرئيسة الأمين السفير السفيرة الدكتور الدكتورة الأستاذ الأستاذة "
    "البروفيسور الشيخ الأمير الأميرة الملك الملكة المدير المديرة القاضي القاضية المستشار "
    "المستشارة السيناتور المندوب نائب وزير وزيرة رئيس رئيسة مدير مديرة تصوير صورة الصورة "
    "بقلم"
)
"""Words that stand before a person's name (credits included)."""
TITLE_TAIL_RAW = "أول العام الوزراء الأول الدائم العامة"
"""Words that continue a title: الفريق أول, الأمين العام."""
HONORIFICS_RAW = (
    "السيد السيدة السادة الآنسة الدكتور الدكتورة الأستاذ الأستاذة البروفيسور الشيخ "
    "السيناتور تصوير صورة الصورة بقلم"
)
"""Titles that are always followed by a name."""
ABBREVIATED_TITLES_RAW = "د م أ"
"""One-letter titles written with a dot (د. Dr., م. Eng., أ. Prof.): always before a name."""
ORGANIZATION_HEADS_RAW = "وزارة منظمة هيئة وكالة سفارة جمعية منتدى اتحاد الاتحاد جامعة"
"""Words that open an organisation's name: وزارة الخارجية, منظمة الصحة العالمية."""
ORGANIZATION_WEAK_HEADS_RAW = "مكتب مجلس برنامج صندوق لجنة شركة مؤسسة مركز"
"""Heads that also open common phrases (برنامج الدعم): a name needs two words after them."""
NOT_NAME_WORDS_RAW = "أثناء محل محلها مؤخرا حاليا نفس تقريبا بشكل فور منصب"
"""Adverbs and nouns that follow a name after a title (السيد X مؤخرا) and end it."""
FOREIGN_LETTERS = frozenset("پچڤگژ")
"""Letters Arabic borrows for foreign sounds: a sure sign of a transliterated name."""
TYPE_HINTS_RAW: tuple[tuple[str, str], ...] = (
    (
        "منظمة مكتب وزارة هيئة مجلس برنامج صندوق لجنة الاتحاد جمعية سفارة شركة وكالة منتدى "
        "المنظمة المكتب الوزارة الهيئة المجلس البرنامج الصندوق اللجنة السفارة الشركة الوكالة",
        "organization",
    ),
    (
        "اتفاقية معاهدة بروتوكول ميثاق إعلان قرار الاتفاقية المعاهدة البروتوكول الميثاق "
        "الإعلان القرار",
        "instrument",
    ),
    ("مؤتمر قمة حفل ندوة دورة جلسة المؤتمر القمة الحفل الندوة الدورة الجلسة", "event"),
    ("مدير رئيس نائب وزير أمين سفير المدير الرئيس الوزير الأمين السفير", "title"),
)
"""First words that tell a suggested term's glossary type."""

CONTINUATION_WORDS = frozenset(
    {
        "من", "في", "على", "إلى", "الى", "عن", "مع", "حتى", "أو", "او", "بين", "عبر",
        "لدى", "نحو", "حول", "خلال", "إلخ", "الخ", "وغيرها", "وغيره", "وسواها",
    }
)  # fmt: skip
"""Words that cannot open a sentence, so an ellipsis before them leaves it open."""


@cache
def word_set(raw: str) -> frozenset[str]:
    """The normalised words of a word list."""
    return frozenset(normalize_arabic(raw)[0].split())


def is_stop(tok: str) -> bool:
    """A function word, month name..., also behind a clitic (وفي, فقد, بأن, وبأنه)."""
    stop = word_set(STOP_WORDS_RAW)
    if tok in stop:
        return True
    return any(
        tok.startswith(clitic) and tok[len(clitic) :] in stop
        for clitic in CLITICS_BY_LETTER.get(tok[:1], ())
    )


TRANSLITERATION: dict[str, str] = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j",
    "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh",
    "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "g", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y",
    "ى": "a", "ء": "", "ؤ": "w", "ئ": "y", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}  # fmt: skip
"""A plain ASCII transliteration, for term ids (not for renderings)."""


# -- numbers ------------------------------------------------------------------------------

MONTHS_RAW: tuple[str, ...] = (
    "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    # Levantine and Iraqi names
    "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول",
    # Maghreb names
    "جانفي فيفري مارس أفريل ماي جوان جويلية أوت سبتمبر أكتوبر نوفمبر ديسمبر",
)
"""Month names, January first; ``_`` joins the words of a two-word name."""
MONTH_VARIANTS_RAW = {"إبريل": 4, "يونيه": 6, "يوليه": 7, "أغسطس": 8, "غشت": 8}
CARDINALS_RAW = (
    "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة",
    "واحدة اثنتان ثلاث أربع خمس ست سبع ثماني تسع عشر",
)
"""Number words 1 to 10, masculine and feminine forms."""
ORDINALS_RAW = "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر"
"""Ordinals 1 to 10 with the article; the bare and feminine forms are derived."""
SCALES_RAW = {"ألف": 10**3, "آلاف": 10**3, "مليون": 10**6, "ملايين": 10**6}
SCALES_RAW.update({"مليار": 10**9, "مليارات": 10**9, "بليون": 10**9})


def _fold_number_text(text: str) -> str:
    return normalize_arabic(text)[0]


def _number_words() -> dict[str, int]:
    fold = _fold_number_text
    cardinals: dict[str, int] = {}
    for forms in CARDINALS_RAW:
        cardinals.update({fold(w): n for n, w in enumerate(forms.split(), start=1)})
    cardinals.update({fold(w): 2 for w in ("اثنين", "اثنتين", "اثنا", "اثنتا", "اثني")})
    cardinals.update({fold(w): 1 for w in ("أحد", "إحدى")})
    cardinals[fold("ثمان")] = 8
    words = dict(cardinals)
    for unit, n in cardinals.items():
        if n < 10:  # أحد عشر ... تسعة عشر: a unit, then ten
            words[f"{unit} عشر"] = words[f"{unit} عشره"] = 10 + n
    words.update({fold(w): 20 for w in ("عشرون", "عشرين")})
    words.update({fold(w): 100 for w in ("مئة", "مائة")})
    words[fold("ألف")] = 1000
    for n, ordinal in enumerate(ORDINALS_RAW.split(), start=1):
        bare = fold(ordinal)[2:]
        for form in (bare, bare + "ه", "ال" + bare, "ال" + bare + "ه"):
            words[form] = n
    words.update({fold(w): 1 for w in ("أولى", "الأولى")})
    # months last: تشرين الأول is October, not "the first"
    for names in MONTHS_RAW:
        for n, name in enumerate(names.split(), start=1):
            words[fold(name.replace("_", " "))] = n
    words.update({fold(name): n for name, n in MONTH_VARIANTS_RAW.items()})
    return words


def _number_stems(tok: str) -> list[str]:
    return [stem for _, stem in stems(tok)]


NUMBERS = NumberWords(
    decimal="٫",
    words=_number_words(),
    scales={_fold_number_text(w): n for w, n in SCALES_RAW.items()},
    fold=_fold_number_text,
    stems=_number_stems,
)
"""Arabic's numbers; the ASCII comma is read as a thousands separator, as web text has it."""

# -- the record ---------------------------------------------------------------------------


def source_rules(*, ta_marbuta: bool = True) -> SourceRules:
    """Arabic's rules for reading source text; ``ta_marbuta=False`` keeps ة apart from ه."""
    return SourceRules(
        normalize=partial(normalize_arabic, ta_marbuta=ta_marbuta),
        stems=stems,
        trailing_marks=TRAILING_MARKS,
        letter=LETTER,
        word=WORD,
    )


LANGUAGE = Language(
    code="ar", name="Arabic", tag="ar-SA", rtl=True, source=source_rules(), numbers=NUMBERS
)
