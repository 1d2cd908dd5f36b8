"""Commands printed for pasting into a shell, every word quoted.

The tool prints commands a user copies: ``bilingual glossary set ...`` after a review,
``glossary add``/``confirm`` for a kept name, ``iconv`` for a legacy file. Their words
come from articles, glossaries and reviewers (a rendering may hold ``$(...)``, quotes,
backquotes or a newline), so each is quoted here and nowhere else: a pasted command runs
what it says and nothing more.
"""

from __future__ import annotations

import shlex

from bilingual.errors import printable

__all__ = ["shell_command", "shell_quote"]


def shell_quote(text: str) -> str:
    """``text`` as one word for bash, whatever it holds (``$(...)``, quotes, bad bytes).

    Printable text gets :func:`shlex.quote`; text with bytes no terminal shows (a name
    that is not UTF-8, a control character, a newline) gets bash's ``$'...'`` form with
    each such byte written ``\\xHH``, so the command still names the very same thing.
    """
    if printable(text) == text and not any(c in text for c in "\n\r\t"):
        return shlex.quote(text)
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "'\\":
            out.append("\\" + ch)
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif printable(ch) != ch or ch in "\n\r\t":
            out.append("".join(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "$'" + "".join(out) + "'"


def shell_command(*words: str) -> str:
    """``words`` joined into one command line, each quoted (:func:`shell_quote`); an
    option such as ``--en`` stays as it is, since it is quoted the same either way."""
    return " ".join(shell_quote(w) for w in words)
