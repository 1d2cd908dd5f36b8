"""Language-neutral text helpers shared by several stages.

``squash`` compares texts regardless of whitespace (alignment, QA, the matcher's
separators); ``occurrences`` decides whether a term's rendering is in a translation
(locking, the alignment check, tests).
"""

from __future__ import annotations


def squash(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return "".join(text.split())


def occurrences(text: str, rendering: str) -> int:
    """How many times ``rendering`` occurs in ``text`` as whole words.

    Exact and case-sensitive. A word may precede (``the``) or a possessive ``'s`` follow;
    anything glued to the rendering (``UNODCs``, ``xHanoi``) does not count.
    """
    if not rendering:
        return 0
    count = 0
    pos = text.find(rendering)
    while pos != -1:
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + len(rendering) : pos + len(rendering) + 1] or " "
        # a rendering that itself starts/ends with a non-word char carries its own boundary
        left_ok = not (before.isalnum() and rendering[0].isalnum())
        right_ok = not (after.isalnum() and rendering[-1].isalnum())
        if left_ok and right_ok:
            count += 1
        pos = text.find(rendering, pos + max(1, len(rendering)))
    return count
