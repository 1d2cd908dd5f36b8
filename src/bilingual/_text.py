"""Language-neutral text helpers shared by several stages.

``squash`` compares texts regardless of whitespace (alignment, QA, the matcher's
separators); ``occurrences`` and ``rendering_spans`` decide whether and where a term's
rendering is in a translation (locking, the alignment check, the DOCX's bold terms),
and ``sentence_case`` gives a rendering placed first in a sentence its capital.
``same_words`` and ``loose_spans`` compare a term's avoided renderings (case, hyphens and
spacing aside) with its prescribed one and find them in a translation.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_MODEL_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠-٩
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian ۰-۹
        "\u066b": ".",  # Arabic decimal separator ٫
        "\u066c": ",",  # Arabic thousands separator ٬
    }
)


def model_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian digits (and their separators) in ASCII, as a
    translation model is given it: the models saw ASCII digits in training and drop the
    others ("يوم ٢٥ أكتوبر" -> "on  October"). One character for one, so every offset
    into the text (term spans) still holds; the briefing keeps the original digits."""
    return text.translate(_MODEL_DIGITS)


def squash(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return "".join(text.split())


def sentence_start(text: str) -> int:
    """Where the first word of ``text`` begins: past spaces and opening punctuation
    (quotes, brackets, dashes); ``len(text)`` when it has no word."""
    for i, ch in enumerate(text):
        if ch.isalnum():
            return i
    return len(text)


def _capitalised(rendering: str) -> str | None:
    """``rendering`` as it stands at the start of a sentence, when that differs: its
    first letter upper case. None for a rendering that does not start with a lower-case
    letter, or whose first word has a capital inside (``iPhone``, ``eBay``: deliberately
    lower case, never changed)."""
    first = rendering.split(" ", 1)[0]
    head = rendering[:1]
    if not head.islower() or not first.islower() or len(head.upper()) != 1:
        return None
    return head.upper() + rendering[1:]


def _bounded(text: str, rendering: str, pos: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + len(rendering) : pos + len(rendering) + 1] or " "
    # a rendering that itself starts/ends with a non-word char carries its own boundary
    left_ok = not (before.isalnum() and rendering[0].isalnum())
    right_ok = not (after.isalnum() and rendering[-1].isalnum())
    return left_ok and right_ok


def rendering_spans(text: str, rendering: str) -> list[tuple[int, int]]:
    """Where ``rendering`` occurs in ``text`` as whole words, in order, not overlapping.

    Exact and case-sensitive, but for one allowed change: at the start of the sentence
    a lower-case rendering may have its first letter capitalised (``cybercrime`` in
    ``Cybercrime rose``), as any word there does. A word may precede (``the``) or a
    possessive ``'s`` follow; anything glued to the rendering (``UNODCs``, ``xHanoi``)
    does not count.
    """
    if not rendering:
        return []
    spans: list[tuple[int, int]] = []
    start = sentence_start(text)
    upper = _capitalised(rendering)
    if upper is not None and text.startswith(upper, start) and _bounded(text, upper, start):
        spans.append((start, start + len(upper)))
    pos = text.find(rendering)
    while pos != -1:
        overlaps = bool(spans) and spans[0][0] <= pos < spans[0][1]
        if not overlaps and _bounded(text, rendering, pos):
            spans.append((pos, pos + len(rendering)))
        pos = text.find(rendering, pos + max(1, len(rendering)))
    return spans


def occurrences(text: str, rendering: str) -> int:
    """How many times ``rendering`` occurs in ``text`` as whole words (see
    :func:`rendering_spans`: exact, but capitalised at the sentence start)."""
    return len(rendering_spans(text, rendering))


def sentence_case(text: str, renderings: Iterable[str]) -> str:
    """``text`` with its first letter capitalised when one of ``renderings`` (glossary
    renderings the text carries) stands lower case at the start of it: a term placed
    there keeps its exact words and takes the capital a sentence starts with.

    Nothing else changes: a sentence that starts with a number, a rendering that is
    lower case on purpose (``iPhone``), or one anywhere but the start.
    """
    start = sentence_start(text)
    for rendering in renderings:
        upper = _capitalised(rendering)
        at_start = text.startswith(rendering, start) and _bounded(text, rendering, start)
        if upper is not None and at_start:
            return text[:start] + upper + text[start + len(upper) :]
    return text


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def same_words(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` spell the same words but for case, hyphens, spaces and
    punctuation (``Cyber-crime`` and ``cybercrime``), as :func:`variant_of` reads them."""
    return _folded(a) == _folded(b)


_JOINT = r"[\s\-\u2010\u2011\u00ad]*"
"""What may stand between two words of a phrase found loosely: spaces, hyphens, or none."""


def loose_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``text`` as whole words, in any case, its words joined by
    any spaces or hyphens, or none (``Interior Ministry``, ``interior-ministry``); in
    order, not overlapping. One regular expression: linear in the text's length."""
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u00ad]+", phrase.strip()) if w]
    if not words:
        return []
    body = _JOINT.join(re.escape(w) for w in words)
    left = r"(?<!\w)" if words[0][:1].isalnum() else ""
    right = r"(?!\w)" if words[-1][-1:].isalnum() else ""
    pattern = re.compile(left + body + right, re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def variant_of(text: str, rendering: str) -> str | None:
    """The words of ``text`` that spell ``rendering`` another way: another case, a hyphen
    or a space more or less (``Cyber-crime``, ``cyber crime`` for ``cybercrime``); None
    when there are none. A reviewer who wrote such a variant meant the term."""
    target = _folded(rendering)
    if not target:
        return None
    words = text.split()
    width = len(rendering.split()) + 1
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + width) + 1):
            if _folded(" ".join(words[i:j])) == target:
                return " ".join(words[i:j]).strip(".,;:!?\"'()")
    return None


def replacement_words(before: str, after: str, rendering: str) -> str | None:
    """The words of ``after`` that replaced ``rendering`` in ``before``."""
    spans = rendering_spans(before, rendering)  # capitalised at the start, too
    if not spans:
        return None
    at = spans[0][0]
    a, b = before.split(), after.split()
    first = len(before[:at].split())
    last = first + len(rendering.split())
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("replace", "insert") and i1 < last and i2 > first and j2 > j1:
            return " ".join(b[j1:j2]).strip(".,;:!?\"'()")
    return None
