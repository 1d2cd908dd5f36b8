"""QA: findings a reviewer should look at before the briefing goes out.

Each check is cheap and conservative; a finding is a prompt to look, not a verdict.
One finding per sentence, language and kind (code), naming every item it found. The
levels (:data:`LEVELS`) say how much is at stake, the same in the console, the JSON, the
DOCX and ``--strict``.

Numbers are compared as values, not strings: digits of any script, each language's
decimal and thousands separators, a scale word (``1.5 million`` is ``1500000``), and
words that may stand for a number (month names, ordinals, number words: ``25 أكتوبر``,
``25 October``, ``25/10`` and ``ngày 25 tháng 10`` agree).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bilingual._text import rendering_spans, squash
from bilingual.confidence import repetition_flag
from bilingual.document.article import ArticleInfo
from bilingual.document.segment import Flag, Level, TermUse
from bilingual.glossary.avoid import avoided_in
from bilingual.lang import LANGUAGES, language_name, source_rules
from bilingual.lang.base import NumberWords
from bilingual.shell import shell_command

# digits with separators between them: 1,000 / 1.000 / 3,5 / ٣٫٥ / 1 000 (no-break space)
_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c\u00a0\u202f\u2009]\d+)*")
_SEPARATORS = re.compile(r"[.,\u066b\u066c\u00a0\u202f\u2009]")
_GROUP_ONLY = frozenset("\u066c\u00a0\u202f\u2009")
"""Separators that only ever group thousands (the Arabic thousands sign, thin spaces)."""
_NEXT_WORD = re.compile(r"[\s\u00a0]*([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
_LONGEST_PHRASE = 3

LEVELS: dict[Level, str] = {
    "error": "the meaning may be wrong: a number missing or added, an empty or untranslated "
    "sentence; check it against the source",
    "warning": "check the sentence: source words left in it, a length that suggests "
    "something cut or repeated, words looping, or a model unsure of its translation",
    "info": "for the record: a term forced in, a lock that cost the model confidence, a draft "
    "term's rendering not yet confirmed, a repeated paragraph, a similar reviewed sentence; "
    "nothing wrong by itself",
}
"""The severity scale, most serious first (the DOCX legend and docs/briefing.md print it)."""

MIN_RATIO = 0.45
"""Target/source character ratio below which a translation looks cut short."""
MAX_RATIO = 3.0
"""Above this the model probably repeated itself."""
MIN_CHARS_FOR_RATIO = 25
"""Shorter sentences (titles, names) vary too much for a length check."""


@dataclass(frozen=True)
class Number:
    """A number in a text: what it shows and the values it may stand for."""

    shown: str
    """As written, in ASCII digits."""
    values: tuple[Decimal, ...]
    """The first is the reading of the text's language."""
    written: bool = True
    """In digits; a word (a month name, an ordinal) is False: it may stand for a number,
    and it may not (``May``, ``một``), so it never makes a finding on its own."""


def _ascii_digits(text: str) -> str:
    # one character for one: positions stay as they were
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )


def _readings(token: str, decimal: str) -> list[Decimal]:
    """The values digits with separators may stand for, the language's reading first.

    ``1.000`` is a thousand in Vietnamese and one in English, but a translation often
    keeps the source's way of writing: either reading may be the one meant. Empty for a
    token that is no single number (``12.3.2024``).
    """
    seps = _SEPARATORS.findall(token)
    if not seps:
        return [Decimal(token)]
    groups = _SEPARATORS.split(token)
    grouped = len(set(seps)) == 1 and len(groups[0]) <= 3
    grouped = grouped and all(len(g) == 3 for g in groups[1:])
    whole = Decimal("".join(groups))
    head = set(seps[:-1])
    # the last separator as the decimal point, one other kind grouping before it
    point = seps[-1] not in _GROUP_ONLY and seps[-1] not in head and len(head) <= 1
    point = point and all(len(g) == 3 for g in groups[1:-1]) and (not head or len(groups[0]) <= 3)
    out: list[Decimal] = []
    if grouped and (seps[0] != decimal or len(seps) > 1 or seps[0] in _GROUP_ONLY):
        out.append(whole)
    if point:
        out.append(Decimal(f"{''.join(groups[:-1])}.{groups[-1]}"))
    if grouped and whole not in out:
        out.append(whole)
    return out


def read_numbers(text: str, lang: str) -> list[Number]:
    """Every number in ``text``: digits (any script, with the separators of ``lang`` and a
    scale word after them: ``1.5 million``), then words that may stand for one."""
    rules = _number_rules(lang)
    text = _ascii_digits(text)
    found: list[Number] = []
    for m in _NUMBER.finditer(text):
        token = m.group()
        values = _readings(token, rules.decimal)
        if not values:  # 12.3.2024: a date, each part its own number
            found += [Number(part, (Decimal(part),)) for part in _SEPARATORS.split(token)]
            continue
        after = _NEXT_WORD.match(text, m.end())
        scale = rules.scales.get(rules.fold(after.group(1))) if after else None
        if scale:
            values += [v * scale for v in values]
        shown = token.replace("\u066b", ".").replace("\u066c", ",")
        found.append(Number(shown, tuple(values)))
    for words in _word_runs(rules.fold(text)):
        i = 0
        while i < len(words):
            for n in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
                value = _phrase_value(words[i : i + n], rules)
                if value is not None:
                    phrase = " ".join(words[i : i + n])
                    found.append(Number(phrase, (Decimal(value),), written=False))
                    i += n
                    break
            else:
                i += 1
    return found


def _word_runs(text: str) -> list[list[str]]:
    """Words with only spaces or hyphens between them: a phrase never spans a digit or a
    comma (``tháng 3 năm 2024`` is not ``tháng năm``, May)."""
    runs: list[list[str]] = []
    end = -1
    for m in _WORD.finditer(text):
        if runs and text[end : m.start()].strip(" -\u00a0") == "":
            runs[-1].append(m.group())
        else:
            runs.append([m.group()])
        end = m.end()
    return runs


def _phrase_value(words: Sequence[str], rules: NumberWords) -> int | None:
    rest = " ".join(words[1:])
    for first in rules.stems(words[0]):
        value = rules.words.get(f"{first} {rest}" if rest else first)
        if value is not None:
            return value
    return None


def _number_rules(lang: str) -> NumberWords:
    known = LANGUAGES.get(lang)
    return known.numbers if known is not None else NumberWords()


def numbers(text: str, lang: str = "ar") -> Counter[str]:
    """The numbers written in digits in ``text``, each by the reading ``lang`` gives it."""
    return Counter(canonical(n.values[0]) for n in read_numbers(text, lang) if n.written)


def canonical(value: Decimal) -> str:
    """``1000``, ``3.5``: no exponent, no trailing zeros."""
    return f"{value.normalize():f}"


def translation_flags(
    source: str,
    target: str,
    lang: str,
    terms: Sequence[TermUse] = (),
    *,
    source_lang: str = "ar",
    avoided: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Flag, ...]:
    """QA findings for one segment translated into ``lang``, each once.

    ``terms`` are the term uses of that translation; each forced one is flagged, and
    each use of a draft term (``origin`` draft). ``avoided``: term id -> renderings in
    ``lang`` the glossary says that term (found in the source) must never take; one
    that the translation still has is an error (:func:`avoided_flag`).
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
    _number_flags(source, target, (source_lang, lang), add)
    if len(source) >= MIN_CHARS_FOR_RATIO:
        ratio = len(target) / len(source)
        if ratio < MIN_RATIO:
            add("short-translation", "warning", f"translation is {ratio:.2f}x the source length")
        elif ratio > MAX_RATIO:
            add("long-translation", "warning", f"translation is {ratio:.2f}x the source length")
    for found in (repetition_flag(target, lang), avoided_flag(target, lang, terms, avoided or {})):
        if found is not None:
            flags.append(found)
    forced = dict.fromkeys((use.term_id, use.rendering) for use in terms if use.forced)
    if forced:
        # one finding per sentence and language, naming every term forced in it
        listed = ", ".join(f"'{term_id}' as {rendering!r}" for term_id, rendering in forced)
        # a rendering in brackets after the sentence: the locking knew no word boundary
        # near its place (Vietnamese spaces syllables, so a space may be inside a word)
        after = [repr(r) for _, r in forced if f"({r})" in target and f"({r})" not in source]
        where = (
            f"; no word boundary near its place was known for {', '.join(after)}, added "
            "after the sentence in brackets: move it where it belongs"
            if after
            else ""
        )
        add(
            "forced-term",
            "info",
            f"forced in: {listed}{where}; check that the sentence reads well",
        )
    draft = dict.fromkeys((use.term_id, use.rendering) for use in terms if use.origin == "draft")
    if draft:
        # info: the rendering is the one the run used; only its confirmation is missing
        listed = ", ".join(f"'{term_id}' as {rendering!r}" for term_id, rendering in draft)
        ids = shell_command("bilingual", "glossary", "confirm", *dict.fromkeys(t for t, _ in draft))
        add(
            "draft-term",
            "info",
            f"draft term, rendering not confirmed: {listed}; check it, then `{ids}`",
        )
    return tuple(flags)


def avoided_flag(
    target: str, lang: str, terms: Sequence[TermUse], avoided: Mapping[str, tuple[str, ...]]
) -> Flag | None:
    """The ``avoided-rendering`` error: a term rendered in ``target`` as the glossary says
    it must never be (case, hyphens and spaces aside), not counting words inside a
    prescribed rendering the translation keeps (``Council`` avoided by one term, inside
    ``Security Council`` prescribed by another)."""
    if not avoided:
        return None
    kept = [span for use in terms for span in rendering_spans(target, use.rendering)]
    found = avoided_in(target, avoided, lambda a, b: any(x <= a and b <= y for x, y in kept))
    if not found:
        return None
    prescribed = {use.term_id: use.rendering for use in terms}
    listed = "; ".join(
        f"'{term_id}' as {words!r}"
        + (f" (the glossary has {prescribed[term_id]!r})" if term_id in prescribed else "")
        for term_id, words in found
    )
    return Flag(
        "avoided-rendering",
        "error",
        f"a rendering the glossary says to avoid: {listed}; correct the translation",
        lang,
    )


def _number_flags(
    source: str, target: str, langs: tuple[str, str], add: Callable[[str, Level, str], None]
) -> None:
    missing, added = unmatched(read_numbers(source, langs[0]), read_numbers(target, langs[1]))
    parts = []
    if missing:
        parts.append("missing " + ", ".join(n.shown for n in missing))
    if added:
        parts.append("added " + ", ".join(n.shown for n in added))
    if parts:
        add("number-mismatch", "error", "numbers differ from the source: " + "; ".join(parts))


def unmatched(
    source: Sequence[Number], target: Sequence[Number]
) -> tuple[list[Number], list[Number]]:
    """The numbers in digits on each side that nothing on the other side may stand for.

    Pairs are made best first: the same value as each language reads it, then any
    reading in common, then a digit and a word (``25 October`` for ``25/10``).
    """
    paired_s: set[int] = set()
    paired_t: set[int] = set()

    def pair(fits: Callable[[Number, Number], bool]) -> None:
        for i, a in enumerate(source):
            if i in paired_s:
                continue
            for j, b in enumerate(target):
                if j not in paired_t and fits(a, b):
                    paired_s.add(i)
                    paired_t.add(j)
                    break

    pair(lambda a, b: a.written and b.written and a.values[0] == b.values[0])
    pair(lambda a, b: a.written and b.written and bool(set(a.values) & set(b.values)))
    pair(lambda a, b: (a.written or b.written) and bool(set(a.values) & set(b.values)))
    missing = [a for i, a in enumerate(source) if a.written and i not in paired_s]
    added = [b for j, b in enumerate(target) if b.written and j not in paired_t]
    return missing, added


def line_span(first: int, last: int) -> str:
    """``line 3`` or ``lines 3–5``."""
    return f"line {first}" if first == last else f"lines {first}\u2013{last}"


def article_flags(article: ArticleInfo) -> tuple[Flag, ...]:
    """Article-level findings: repeated paragraphs, with both positions."""
    flags = []
    for rep in article.repeats:
        first = line_span(*rep.first_lines)
        again = line_span(*rep.repeat_lines)
        flags.append(
            Flag(
                "repeated-paragraph",
                "info",
                f"paragraph {rep.paragraph + 1} ({first}) is repeated at {again}; "
                "it is translated and shown once",
            )
        )
    return tuple(dict.fromkeys(flags))
