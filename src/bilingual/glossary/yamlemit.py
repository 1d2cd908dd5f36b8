"""Writing new glossary terms as YAML text directly, for imports of thousands of terms.

ruamel.yaml's round-trip dumper takes seconds per thousand terms (pure Python); an import
of a 10,000-row termbase must take less than that in all. New terms are plain data, with
no comments to keep, so they are written here as text in the layout of the glossary files
(``- id:`` items, the Arabic forms as a flow list) and appended to what ruamel wrote.

A value is written plain only when nothing in it can mean anything to YAML: it starts
with a letter and holds only letters, marks, digits, single spaces and ``-.'()/&``, and
is no word YAML reads as a boolean or null. Everything else is double-quoted with every
character outside YAML's printable set escaped, so any string the glossary accepts reads
back as itself (tests/test_termbase.py checks that through ruamel with generated text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from bilingual.glossary.term import SOURCE_KEY, TERM_KEYS

_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
_PLAIN_PUNCTUATION = frozenset("-.'()/&")
_FLOW_PUNCTUATION = frozenset("-.'/&")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# YAML's printable set, less the characters a reader may take for line breaks or a BOM
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


# the common case in one match: a letter, then letters, digits, "_" and the safe marks
_FAST = {False: re.compile(r"[^\W\d_][\w .'()/&-]*"), True: re.compile(r"[^\W\d_][\w .'/&-]*")}


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or not value[0].isalpha() or value.lower() in _RESERVED:
        return False
    if "  " in value or value[-1] == " " or _UNSAFE.search(value):
        return False
    if _FAST[flow].fullmatch(value):
        return True
    allowed = _FLOW_PUNCTUATION if flow else _PLAIN_PUNCTUATION
    for ch in value:
        if ch == " " or ch in allowed:
            continue
        if unicodedata.category(ch)[0] not in "LMN":
            return False
    return True


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as exactly ``value``."""
    if _plain_ok(value, flow):
        return value
    body = _UNSAFE.sub(_escape, value.replace("\\", "\\\\").replace('"', '\\"'))
    return f'"{body}"'


def terms_text(terms: Sequence[Mapping[str, object]], offset: int) -> str:
    """Terms as items of a ``terms:`` list indented by ``offset``, keys in file order."""
    pad = " " * offset
    lines: list[str] = []
    for term in terms:
        lead = f"{pad}- "
        for key in TERM_KEYS:
            value = term.get(key)
            if value is None:
                continue
            if key == SOURCE_KEY:
                forms = value if isinstance(value, list | tuple) else [value]
                text = "[" + ", ".join(scalar(str(f), flow=True) for f in forms) + "]"
            elif isinstance(value, Mapping):  # avoid: {en: [a, b]}
                lists = [
                    f"{lang}: [" + ", ".join(scalar(str(f), flow=True) for f in found) + "]"
                    for lang, found in value.items()
                ]
                text = "{" + ", ".join(lists) + "}"
            else:
                text = scalar(str(value))
            lines.append(f"{lead}{key}: {text}")
            lead = f"{pad}  "
    return "".join(line + "\n" for line in lines)
