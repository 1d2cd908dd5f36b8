"""QA: findings a reviewer should look at before the briefing goes out.

Each check is cheap and conservative; a finding is a prompt to look, not a verdict.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from bilingual._text import squash
from bilingual.document.article import ArticleInfo
from bilingual.document.segment import Flag, Level, TermUse
from bilingual.lang import language_name, source_rules

# a number: digits with optional thousands separators and one decimal part
_NUMBER = re.compile(r"\d+(?:[,\u066C]\d{3})*(?:[.\u066B]\d+)?")

MIN_RATIO = 0.45
"""Target/source character ratio below which a translation looks cut short."""
MAX_RATIO = 3.0
"""Above this the model probably repeated itself."""
MIN_CHARS_FOR_RATIO = 25
"""Shorter sentences (titles, names) vary too much for a length check."""


def numbers(text: str) -> Counter[str]:
    """The numbers in ``text``, normalised: Arabic-Indic digits to ASCII, separators dropped."""
    ascii_text = "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )
    found: Counter[str] = Counter()
    for m in _NUMBER.finditer(ascii_text):
        value = m.group().replace(",", "").replace("\u066c", "").replace("\u066b", ".")
        found[value] += 1
    return found


def translation_flags(
    source: str,
    target: str,
    lang: str,
    terms: Sequence[TermUse] = (),
    *,
    source_lang: str = "ar",
) -> tuple[Flag, ...]:
    """QA findings for one segment translated into ``lang``, each once.

    ``terms`` are the term uses of that translation; each forced one is flagged.
    """
    flags: list[Flag] = []

    def add(code: str, level: Level, message: str) -> None:
        flags.append(Flag(code, level, message, lang))

    rules = source_rules(source_lang)
    script = language_name(source_lang)
    if source.strip() and not target.strip():
        add("empty-translation", "error", "the translation is empty")
        return tuple(flags)
    if squash(source) == squash(target) and rules.letter.search(source):
        add("untranslated", "error", f"the translation is the {script} source unchanged")
        return tuple(flags)
    left = sorted(set(rules.word.findall(target)))
    if left:
        add(
            f"untranslated-{script.lower()}",
            "warning",
            f"{script} left in the translation: " + " ".join(left[:5]),
        )
    _number_flags(source, target, add)
    if len(source) >= MIN_CHARS_FOR_RATIO:
        ratio = len(target) / len(source)
        if ratio < MIN_RATIO:
            add("short-translation", "warning", f"translation is {ratio:.2f}x the source length")
        elif ratio > MAX_RATIO:
            add("long-translation", "warning", f"translation is {ratio:.2f}x the source length")
    for use in terms:
        if use.forced:
            add(
                "forced-term",
                "warning",
                f"term '{use.term_id}' was forced in as {use.rendering!r}; "
                "check that the sentence reads well",
            )
    # a term forced twice in one sentence gives the same finding twice: report it once
    return tuple(dict.fromkeys(flags))


def _number_flags(source: str, target: str, add: Callable[[str, Level, str], None]) -> None:
    src_num, tgt_num = numbers(source), numbers(target)
    if src_num == tgt_num:
        return
    lost = sorted((src_num - tgt_num).elements())
    extra = sorted((tgt_num - src_num).elements())
    parts = []
    if lost:
        parts.append("missing " + ", ".join(lost))
    if extra:
        parts.append("added " + ", ".join(extra))
    add("number-mismatch", "warning", "numbers differ from the source: " + "; ".join(parts))


def article_flags(article: ArticleInfo) -> tuple[Flag, ...]:
    """Article-level findings: repeated paragraphs, with both positions."""
    flags = []
    for rep in article.repeats:
        first = f"lines {rep.first_lines[0]}-{rep.first_lines[1]}"
        again = f"lines {rep.repeat_lines[0]}-{rep.repeat_lines[1]}"
        flags.append(
            Flag(
                "repeated-paragraph",
                "info",
                f"paragraph {rep.paragraph + 1} ({first}) is repeated at {again}; "
                "it is translated and shown once",
            )
        )
    return tuple(dict.fromkeys(flags))
