"""Glossary: load and validate the YAML term files, and find terms in Arabic text.

The glossary folder holds any number of ``*.yaml`` / ``*.yml`` files, each::

    version: 1
    terms:
      - id: unodc                 # unique across all files; [a-z0-9_-]+
        type: organization        # person|organization|place|instrument|event|title|term
        ar: [مكتب الأمم المتحدة المعني بالمخدرات والجريمة]   # string or list; 1st canonical
        en: United Nations Office on Drugs and Crime (UNODC)
        vi: Văn phòng Liên hợp quốc về Ma túy và Tội phạm (UNODC)   # optional
        note: where the rendering comes from                   # optional

``type`` may be left out (it then defaults to ``term``); ``id``, ``ar`` and ``en`` may not.

Matching rules (:class:`TermMatcher`), decided once and documented here:

* Both sides go through :func:`normalize_arabic`: diacritics, tatweel and format
  characters removed; أ إ آ ٱ -> ا; ى -> ي; ؤ -> و; ئ -> ي (so مسائل and مسايل agree);
  ة -> ه (the default; ``ta_marbuta=False`` keeps it); Persian ک ی -> ك ي; Arabic-Indic
  digits -> ASCII; presentation forms and other compatibility characters unfolded
  (NFKD); Latin casefolded and stripped of accents.
* Text is split into tokens: maximal runs of letters and digits. A form matches whole
  tokens only; a token that merely contains a form is not a match.
* Only the first token of a form may carry a clitic prefix in the text: an optional
  و or ف, then an optional ب ل or ك (و ف ب ل ك وب ول وك فب فل فك). Before a form that
  starts with the article ال, ل + ال is written لل (للأمم matches الأمم; so do ولل, فلل),
  and before an article + lam word, لل alone (للجنة matches اللجنة as well as لجنة).
  For لل the term span starts at the second lam: ``text[start:end]`` is then لأمم...
* The article is not optional: a form written with ال needs ال (or لل) in the text, and a
  form without ال does not match a word that has it. List both when both occur.
  No suffix is ever stripped: plural, dual and pronoun forms are separate forms.
* Between the tokens of a form the text may have any whitespace; other separators must
  be the same as in the form (``غينيا - بيساو`` needs the hyphen; a comma never joins).
* Overlaps: the candidate with the longest normalised form wins; ties go to the earliest
  start, then the term id, then the form. Results are sorted by start and never overlap.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from bilingual.errors import GlossaryError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

TermType = Literal["person", "organization", "place", "instrument", "event", "title", "term"]
TERM_TYPES: tuple[str, ...] = get_args(TermType)
TERM_KEYS: tuple[str, ...] = ("id", "type", "ar", "en", "vi", "note")
_ID_RE = re.compile(r"[a-z0-9_-]+")


@dataclass(frozen=True)
class Term:
    """One glossary entry, exactly as the user's YAML says."""

    id: str
    type: TermType
    ar: tuple[str, ...]
    """Arabic forms; the first is canonical."""
    en: str
    vi: str | None
    note: str | None
    file: Path
    line: int
    """1-based line of the entry in ``file``."""

    def rendering(self, lang: str) -> str | None:
        """The exact string this term must appear as in ``lang`` (None: no constraint)."""
        if lang == "en":
            return self.en
        if lang == "vi":
            return self.vi
        return None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    files: tuple[Path, ...]
    signature: str
    """Short content hash of the merged terms, shown in the briefing's signature."""

    def term(self, term_id: str) -> Term | None:
        """The term with this id, or None."""
        for term in self.terms:
            if term.id == term_id:
                return term
        return None


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in Arabic text; spans index the original (unnormalised) text."""

    term_id: str
    start: int
    """Start of the term itself, after any clitic prefix."""
    end: int
    word_start: int
    """Start of the whole word, clitic prefix included (== start when there is none)."""
    form: str
    """The glossary form that matched."""


@dataclass(frozen=True)
class Suggestion:
    """A name or term found in articles that the glossary does not cover yet."""

    ar: str
    """The Arabic form as it appears in the text (clitic prefix removed)."""
    kind: str
    """Why: ``title+name``, ``parenthesised``, ``transliterated name`` or ``repeated phrase``."""
    count: int
    """Occurrences outside anything the glossary already matches."""
    example: str
    """A short piece of context around the first occurrence."""


# -- normalisation -------------------------------------------------------------------------

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


_SPLIT_RE = re.compile(r"([^\W_]+)")
"""Splits normalised text into separator, token, separator, ..., token, separator."""
_TRAILING_MARKS = frozenset(
    ch
    for ch in map(chr, range(0x0600, 0x0700))
    if unicodedata.category(ch) in ("Mn", "Me") or ch == "ـ"
)


def _tokens(norm: str) -> tuple[list[str], list[int], list[int]]:
    """Tokens of normalised text (runs of letters and digits) with their start and end."""
    parts = _SPLIT_RE.split(norm)
    offsets = list(accumulate(map(len, parts)))
    return parts[1::2], offsets[0:-1:2], offsets[1::2]


def _squash(sep: str) -> str:
    """A separator between two tokens, whitespace removed (``" "`` and ``"\\n"`` are equal)."""
    return "".join(sep.split())


def _key_of_norm(norm: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parts = _SPLIT_RE.split(norm)
    return tuple(parts[1::2]), tuple("" if sep == " " else _squash(sep) for sep in parts[2:-1:2])


def _form_key(form: str, ta_marbuta: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the matcher sees of a form: its normalised tokens and squashed separators."""
    return _key_of_norm(normalize_arabic(form, ta_marbuta=ta_marbuta)[0])


_Trie = dict[str, Any]
"""A token-trie node: edges keyed by ``separator + "\x1f" + token``; the forms that end
at the node under the key ``""`` as ``(term id, form as written, normalised size)``."""

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")
_CLITICS: tuple[str, ...] = tuple(c + p for c in _CONJ for p in _PREP)
"""Every clitic prefix, the empty one first: و ف ب ل ك and their combinations."""
_CLITICS_BY_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(c for c in _CLITICS if c.startswith(letter)) for letter in "وفبلك"
}


class TermMatcher:
    """Finds glossary terms in Arabic text (see the module docstring for the rules).

    Built once per glossary: a token trie of the normalised forms. ``find`` looks each
    distinct text token up once, bare and with its clitic prefixes stripped, then walks
    the trie from the few tokens that start a form. Building allocates few objects on
    purpose: with 10,000 terms, the garbage collector's passes were most of the cost.
    """

    def __init__(self, glossary: Glossary, *, ta_marbuta: bool = True) -> None:
        self.ta_marbuta = ta_marbuta
        pairs = [(term.id, form) for term in glossary.terms for form in term.ar]
        # one normalisation call for every form: a newline never occurs inside a form's
        # image, so it splits them back apart
        joined = "\n".join(" ".join(form.split()) for _, form in pairs)
        norms = normalize_arabic(joined, ta_marbuta=ta_marbuta)[0].split("\n") if pairs else []
        roots: dict[str, _Trie] = {}
        for (term_id, form), norm in zip(pairs, norms, strict=True):
            toks, seps = _key_of_norm(norm)
            if not toks:
                continue
            node = roots.get(toks[0])
            if node is None:
                node = roots[toks[0]] = {}
            for sep, tok in zip(seps, toks[1:], strict=True):
                edge = sep + "\x1f" + tok
                child = node.get(edge)
                if child is None:
                    child = node[edge] = {}
                node = child
            ending = node.setdefault("", [])
            if all(f[0] != term_id for f in ending):  # the same form listed twice
                size = sum(map(len, toks)) + len(toks) - 1 + sum(map(len, seps))
                ending.append((term_id, form, size))
        self._roots = roots

    def _starts(self, tok: str) -> list[tuple[int, _Trie]]:
        """The trie roots ``tok`` can start: bare, or after a clitic prefix of length n."""
        roots = self._roots
        out: list[tuple[int, _Trie]] = []
        node = roots.get(tok)
        if node is not None:
            out.append((0, node))
        for clitic in _CLITICS_BY_LETTER.get(tok[0], ()):
            n = len(clitic)
            if tok.startswith(clitic) and len(tok) > n:
                node = roots.get(tok[n:])
                if node is not None:
                    out.append((n, node))
                if tok[n - 1] == "ل" and tok[n : n + 1] == "ل" and len(tok) > n + 1:
                    # ل + ال is written لل: the article's alef goes (للأمم: الأمم), and
                    # before a word that starts with lam its lam goes too (للجنة: اللجنة)
                    for stem in ("ا" + tok[n:], "ال" + tok[n:]):
                        node = roots.get(stem)
                        if node is not None:
                            out.append((n, node))
        return out

    def find(self, text: str) -> tuple[TermMatch, ...]:
        """Every term occurrence in ``text``: sorted by start, non-overlapping."""
        found, index, starts, ends = self._candidates(text)
        if not found:
            return ()
        found.sort()
        taken = bytearray(len(starts))
        kept: list[TermMatch] = []
        for _size, i, term_id, form_text, n, prefix in found:
            if any(taken[i : i + n]):
                continue
            taken[i : i + n] = b"\x01" * n
            end = index[ends[i + n - 1] - 1] + 1
            while end < len(text) and text[end] in _TRAILING_MARKS:
                end += 1
            kept.append(
                TermMatch(
                    term_id=term_id,
                    start=index[starts[i] + prefix],
                    end=end,
                    word_start=index[starts[i]],
                    form=form_text,
                )
            )
        kept.sort(key=lambda m: m.start)
        return tuple(kept)

    def _candidates(
        self, text: str
    ) -> tuple[list[tuple[int, int, str, str, int, int]], list[int], list[int], list[int]]:
        """Every form occurrence, overlapping ones included, as sortable tuples
        ``(-size, token index, term id, form, token count, prefix length)``, with the
        index map and the token starts and ends in the normalised text."""
        if not self._roots or not text:
            return [], [], [], []
        norm, index = normalize_arabic(text, ta_marbuta=self.ta_marbuta)
        parts = _SPLIT_RE.split(norm)
        toks = parts[1::2]
        starters: dict[str, list[tuple[int, _Trie]]] = {}
        for tok in set(toks):
            found_roots = self._starts(tok)
            if found_roots:
                starters[tok] = found_roots
        if not starters:
            return [], [], [], []
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        last = len(toks) - 1
        found: list[tuple[int, int, str, str, int, int]] = []
        for i in [i for i, tok in enumerate(toks) if tok in starters]:
            for prefix, root in starters[toks[i]]:
                node = root
                j = i
                while True:
                    for term_id, form, size in node.get("", ()):
                        found.append((-size, i, term_id, form, j - i + 1, prefix))
                    if j == last or len(node) == ("" in node):
                        break  # the last token, or a node with no edge beyond its forms
                    sep = parts[2 * j + 2]
                    edge = ("\x1f" if sep == " " else _squash(sep) + "\x1f") + toks[j + 1]
                    child = node.get(edge)
                    if child is None:
                        break
                    node = child
                    j += 1
        return found, index, starts, ends


# -- loading and validation ----------------------------------------------------------------

_ALLOWED = ", ".join(TERM_KEYS)
_KEY_ALIASES = {
    "english": "en",
    "arabic": "ar",
    "vietnamese": "vi",
    "notes": "note",
    "comment": "note",
    "kind": "type",
    "forms": "ar",
    "name": "id",
}


def _yaml() -> YAML:
    from ruamel.yaml import YAML  # lazy: keeps `bilingual --help` fast

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long Arabic lines
    return yaml


def _line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of a mapping key / sequence item / node, when ruamel knows it."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return int(lc.line) + 1
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


@dataclass
class _Raw:
    """A term as read, before merging: what validation of one file produced."""

    id: str | None
    """The id when it is a valid one, even if the term has other problems."""
    file: Path
    line: int
    term: Term | None
    """None when the term has problems (already reported)."""
    ar_lines: tuple[int, ...]


class _Problems:
    """Collects problems in the ``file:line: term 'id': what (fix)`` shape."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(
        self, file: Path | str, line: int | None, term: str | None, what: str, fix: str
    ) -> None:
        where = f"{file}:{line}" if line is not None else f"{file}"
        who = f" term {term}:" if term is not None else ""
        self.items.append(f"{where}:{who} {what} ({fix})")


def _who(term_id: object, number: int) -> str:
    if isinstance(term_id, str) and term_id:
        return f"'{term_id}'"
    return f"#{number} (no id)"


def _text_value(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _validate_term(
    item: Mapping[str, Any],
    number: int,
    file: Path,
    base_line: int,
    problems: _Problems,
    line_of: Callable[[str | None, int | None], int | None],
) -> _Raw:
    """Check one term mapping; report every problem; the term is None when not usable."""
    raw_id = item.get("id")
    who = _who(raw_id, number)
    ok = True

    def add(key: str | None, what: str, fix: str, sub: int | None = None) -> None:
        nonlocal ok
        ok = False
        problems.add(file, line_of(key, sub) or base_line or None, who, what, fix)

    for key in item:
        if key not in TERM_KEYS:
            import difflib  # lazy: only a typo needs it

            close = _KEY_ALIASES.get(str(key).lower()) or next(
                iter(difflib.get_close_matches(str(key), TERM_KEYS, n=1)), None
            )
            hint = f"did you mean '{close}'? " if close else ""
            add(str(key), f"unknown key '{key}'", f"{hint}allowed keys: {_ALLOWED}")

    term_id = ""
    if "id" not in item or raw_id is None:
        add(None, "missing 'id'", "add `id: a-unique-slug` using a-z, 0-9, - and _")
    elif not isinstance(raw_id, str) or not _ID_RE.fullmatch(raw_id):
        add(
            "id",
            f"bad id {raw_id!r}",
            "use only lowercase a-z, digits, '-' and '_', e.g. `id: un-cybercrime-convention`",
        )
    else:
        term_id = raw_id

    term_type = item.get("type", "term")
    if term_type not in TERM_TYPES:
        add("type", f"bad type {term_type!r}", f"use one of: {' | '.join(TERM_TYPES)}")

    forms: list[str] = []
    ar_lines: list[int] = []
    if "ar" not in item or item.get("ar") is None:
        add(None if "ar" not in item else "ar", "missing 'ar'", "add `ar: [Arabic form, ...]`")
    else:
        raw_ar = item["ar"]
        values = [raw_ar] if isinstance(raw_ar, str) else raw_ar
        if not isinstance(values, list) or not values:
            add(
                "ar",
                "'ar' must be an Arabic string or a non-empty list of them",
                "write `ar: [form one, form two]`",
            )
        else:
            for k, form in enumerate(values):
                line = (line_of("ar", k) if not isinstance(raw_ar, str) else None) or line_of(
                    "ar", None
                )
                if not isinstance(form, str):
                    add("ar", f"Arabic form #{k + 1} is not text: {form!r}", "quote it", k)
                elif not form.strip():
                    add("ar", f"Arabic form #{k + 1} is empty", "delete it or fill it in", k)
                elif not _form_key(form)[0]:
                    add("ar", f"Arabic form {form!r} has no letters", "write the words", k)
                else:
                    forms.append(form.strip())
                    ar_lines.append(line or base_line)

    en = item.get("en")
    if "en" not in item or en is None:
        add(None if "en" not in item else "en", "missing 'en'", "add `en: English rendering`")
    elif not isinstance(en, str):
        add("en", f"'en' is not text: {en!r}", 'quote it: en: "..."')
    elif not en.strip():
        add("en", "'en' is empty", "fill in the English rendering")

    for key in ("vi", "note"):
        value = item.get(key)
        if key in item and value is not None and not isinstance(value, str):
            add(key, f"'{key}' is not text: {value!r}", f'quote it: {key}: "..."')
        elif key == "vi" and isinstance(value, str) and not value.strip():
            add("vi", "'vi' is empty", "fill in the Vietnamese rendering or remove the key")

    if not ok:
        return _Raw(term_id or None, file, base_line, None, ())
    vi = _text_value(item.get("vi"))
    note = _text_value(item.get("note"))
    term = Term(
        id=term_id,
        type=cast(TermType, term_type),
        ar=tuple(forms),
        en=cast(str, en).strip(),
        vi=vi.strip() if vi else None,
        note=note.strip() if note else None,
        file=file,
        line=base_line,
    )
    return _Raw(term_id, file, base_line, term, tuple(ar_lines))


def _near_id(text: str, line: int) -> str:
    """The id of the term being written at ``line`` (for syntax errors), when one is visible."""
    found = None
    for raw in text.splitlines()[:line]:
        m = re.match(r"\s*(?:-\s+)?id\s*:\s*['\"]?([^'\"#\s]+)", raw)
        if m:
            found = m.group(1)
    return f"'{found}'" if found else "#? (before any id)"


def _parse_file(path: Path, text: str, problems: _Problems) -> list[_Raw]:
    """Parse one glossary file; problems go to ``problems``; return its usable terms."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(str(exc.problem or exc.context or "").split())
        fix = "fix the YAML syntax at this line; quote values containing ':' or '#'"
        if "duplicate key" in what:
            fix = "keep one of the two keys"
        problems.add(path, line, _near_id(text, line), f"YAML syntax error: {what}", fix)
        return []
    except YAMLError as exc:
        problems.add(path, 1, None, f"YAML error: {exc}", "fix the YAML syntax")
        return []
    if data is None:
        return []  # an empty file is an empty glossary file
    if not isinstance(data, Mapping):
        problems.add(
            path, 1, None, "the file is not a mapping", "start it with `version: 1` and `terms:`"
        )
        return []
    for key in data:
        if key not in ("version", "terms"):
            problems.add(
                path,
                _line_of(data, str(key)),
                None,
                f"unknown top-level key '{key}'",
                "only `version: 1` and `terms:` belong at the top level",
            )
    if data.get("version") != 1:
        problems.add(
            path,
            _line_of(data, "version") or 1,
            None,
            f"'version' is {data.get('version')!r}, expected 1",
            "put `version: 1` at the top of the file",
        )
    raw_terms = data.get("terms")
    if raw_terms is None:
        if "terms" not in data:
            problems.add(path, 1, None, "no `terms:` list", "add `terms:` with a list of terms")
        return []
    if not isinstance(raw_terms, list):
        problems.add(
            path,
            _line_of(data, "terms"),
            None,
            "`terms` is not a list",
            "write each term as an item starting with `- id: ...`",
        )
        return []
    out: list[_Raw] = []
    for number, item in enumerate(raw_terms, start=1):
        base = _line_of(raw_terms, number - 1) or _line_of(data, "terms") or 1
        if not isinstance(item, Mapping):
            problems.add(
                path,
                base,
                f"#{number}",
                "a term must be a mapping",
                "write `- id: ...` then `ar:` and `en:` on the following lines",
            )
            continue

        def line_of(key: str | None, sub: int | None, node: Any = item) -> int | None:
            if key is None:
                return _line_of(node)
            if sub is not None:
                value = node.get(key)
                return _line_of(value, sub) if isinstance(value, list) else _line_of(node, key)
            return _line_of(node, key)

        out.append(_validate_term(item, number, path, _line_of(item) or base, problems, line_of))
    return out


def _merge(raws: Iterable[_Raw], problems: _Problems) -> list[Term]:
    """Reject duplicate ids and Arabic forms shared by two ids (in file order)."""
    ids: dict[str, _Raw] = {}
    forms: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Term, str]] = {}
    terms: list[Term] = []
    for raw in raws:
        if raw.id is None:
            continue
        first = ids.get(raw.id)
        if first is not None:
            problems.add(
                raw.file,
                raw.line,
                f"'{raw.id}'",
                f"duplicate id, already defined at {first.file}:{first.line}",
                "rename one of them or merge the two entries",
            )
            continue
        ids[raw.id] = raw
        term = raw.term
        if term is None:
            continue
        clash = False
        for form, line in zip(term.ar, raw.ar_lines, strict=True):
            key = _form_key(form)
            owner = forms.get(key)
            if owner is not None and owner[0].id != term.id:
                other, other_form = owner
                problems.add(
                    term.file,
                    line,
                    f"'{term.id}'",
                    f"Arabic form {form!r} is already used by term '{other.id}' "
                    f"({other_form!r} at {other.file}:{other.line})",
                    "keep the form under one term only",
                )
                clash = True
            elif owner is None:
                forms[key] = (term, form)
        if not clash:
            terms.append(term)
    return terms


def _signature(terms: Sequence[Term]) -> str:
    canon = [[t.id, t.type, list(t.ar), t.en, t.vi] for t in sorted(terms, key=lambda t: t.id)]
    blob = json.dumps(canon, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def _glossary_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise GlossaryError(
            f"glossary folder {folder} does not exist",
            fix="create it (`mkdir glossary`) or pass --glossary DIR",
        )
    if not folder.is_dir():
        raise GlossaryError(
            f"glossary path {folder} is not a folder",
            fix="pass the folder that holds the *.yaml files with --glossary DIR",
        )
    # dot files are editor backups and lock files, not the user's glossary
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )


def _read(folder: Path, problems: _Problems) -> tuple[list[Term], list[Path]]:
    files = _glossary_files(folder)
    raws: list[_Raw] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.add(
                path,
                None,
                None,
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save the file as UTF-8",
            )
            continue
        except OSError as exc:
            problems.add(
                path, None, None, f"cannot read: {exc.strerror}", "check the file's permissions"
            )
            continue
        raws.extend(_parse_file(path, text, problems))
    return _merge(raws, problems), files


def check_glossary(folder: Path) -> tuple[Glossary | None, tuple[str, ...]]:
    """Validate ``folder``: the glossary and no problems, or None and every problem."""
    problems = _Problems()
    try:
        terms, files = _read(folder, problems)
    except GlossaryError as exc:
        return None, (exc.message,)
    if problems.items:
        return None, tuple(problems.items)
    return Glossary(tuple(terms), tuple(files), _signature(terms)), ()


def load_glossary(folder: Path) -> Glossary:
    """Read, validate and merge every ``*.yaml``/``*.yml`` in ``folder`` (sorted by name).

    Raises :class:`GlossaryError` listing every problem (``problems``) at once.
    """
    glossary, problems = check_glossary(folder)
    if glossary is not None:
        return glossary
    if not folder.is_dir():
        _glossary_files(folder)  # raises the missing-folder error with its fix
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise GlossaryError(
        f"{len(problems)} problem(s) in glossary {folder}: {problems[0]}{more}",
        fix=f"fix each problem; `bilingual glossary check {folder}` lists them all",
        problems=problems,
    )


def count_by_type(glossary: Glossary) -> dict[str, int]:
    """Terms per type, in the order of :data:`TERM_TYPES`, types with no term left out."""
    counts: Counter[str] = Counter(t.type for t in glossary.terms)
    return {kind: counts[kind] for kind in TERM_TYPES if counts[kind]}


# -- adding a term -------------------------------------------------------------------------


def _detect_offset(text: str) -> int:
    """How far the user indents ``- id:`` items under ``terms:`` (kept on rewrite)."""
    m = re.search(r"^terms\s*:[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)-", text, re.MULTILINE)
    return len(m.group(1)) if m else 2


def add_term(file: Path, term: dict[str, object]) -> None:
    """Append ``term`` to glossary ``file``, keeping the user's comments, order and quoting.

    The term is validated like any other; a duplicate id or an Arabic form already used
    anywhere in the folder is refused with :class:`GlossaryError`, as is a folder that has
    problems already. The file is created when missing and replaced atomically.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from bilingual._fs import atomic_write_bytes

    if file.suffix not in (".yaml", ".yml") or file.name.startswith("."):
        raise GlossaryError(
            f"{file} is not a glossary file name: only *.yaml and *.yml files are read",
            fix=f"use a name such as {file.with_suffix('.yaml').name}",
        )
    folder = file.parent
    glossary = load_glossary(folder) if folder.is_dir() else Glossary((), (), "none")

    problems = _Problems()
    label = f"{file} (new term)"
    raw = _validate_term(term, 1, file, 0, problems, lambda key, sub: None)
    if raw.term is None:
        items = tuple(p.replace(f"{file}:", f"{label}:", 1) for p in problems.items)
        raise GlossaryError(
            f"term not added: {items[0]}", fix="correct the term and try again", problems=items
        )
    new = raw.term
    if glossary.term(new.id) is not None:
        old = cast(Term, glossary.term(new.id))
        raise GlossaryError(
            f"term '{new.id}' already exists at {old.file}:{old.line}",
            where=str(file),
            fix="choose another id, or edit the existing entry",
        )
    owners = {_form_key(f): (t, f) for t in glossary.terms for f in t.ar}
    for form in new.ar:
        owner = owners.get(_form_key(form))
        if owner is not None:
            other, other_form = owner
            raise GlossaryError(
                f"term '{new.id}': Arabic form {form!r} is already used by term '{other.id}' "
                f"({other_form!r} at {other.file}:{other.line})",
                where=str(file),
                fix="add the form to that term instead, or leave it out",
            )

    text = file.read_text(encoding="utf-8") if file.exists() else ""
    yaml = _yaml()
    offset = _detect_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    data = yaml.load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
        data["version"] = 1
    if data.get("terms") is None:
        data["terms"] = CommentedSeq()
    entry = CommentedMap()
    for key in TERM_KEYS:
        if key not in term or term[key] is None:
            continue
        value = term[key]
        if key == "ar" and isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            value = seq
        entry[key] = value
    data["terms"].append(entry)

    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    check = _Problems()
    if len(_parse_file(file, new_text, check)) != len(data["terms"]) or check.items:
        raise GlossaryError(  # pragma: no cover - a safety net, not an expected path
            f"adding '{new.id}' would leave {file} invalid: {'; '.join(check.items)}",
            fix="run `bilingual glossary check` and fix the file by hand",
        )
    atomic_write_bytes(file, new_text.encode("utf-8"))


# -- suggestions ---------------------------------------------------------------------------

_STOPWORDS_RAW = """
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
_TITLES_RAW = (
    "السيد السيدة السادة الآنسة الجنرال الوزير الوزيرة الفريق اللواء العميد العقيد المقدم "
    "الرائد النقيب الرئيس الرئيسة الأمين السفير السفيرة الدكتور الدكتورة الأستاذ الأستاذة "
    "البروفيسور الشيخ الأمير الأميرة الملك الملكة المدير المديرة القاضي القاضية المستشار "
    "المستشارة السيناتور المندوب نائب وزير وزيرة رئيس رئيسة مدير مديرة تصوير صورة الصورة "
    "بقلم"
)
_TITLE_TAIL_RAW = "أول العام الوزراء الأول الدائم العامة"
_HONORIFICS_RAW = (
    "السيد السيدة السادة الآنسة الدكتور الدكتورة الأستاذ الأستاذة البروفيسور الشيخ "
    "السيناتور تصوير صورة الصورة بقلم"
)
_KIND_WEIGHT = {
    "title+name": 4,
    "parenthesised": 3,
    "transliterated name": 3,
    "repeated phrase": 1,
}
_KIND_ORDER = {kind: n for n, kind in enumerate(_KIND_WEIGHT)}
_FOREIGN_LETTERS = frozenset("پچڤگژ")
_TYPE_HINTS_RAW: tuple[tuple[str, str], ...] = (
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


@cache
def _word_set(raw: str) -> frozenset[str]:
    return frozenset(normalize_arabic(raw)[0].split())


@cache
def _hint_words() -> frozenset[str]:
    return frozenset().union(*(_word_set(raw) for raw, _kind in _TYPE_HINTS_RAW[:3]))


def _is_stop(tok: str) -> bool:
    """A function word, month name..., also behind a clitic (وفي, فقد, بأن, وبأنه)."""
    stop = _word_set(_STOPWORDS_RAW)
    if tok in stop:
        return True
    return any(
        tok.startswith(clitic) and tok[len(clitic) :] in stop
        for clitic in _CLITICS_BY_LETTER.get(tok[:1], ())
    )


@dataclass
class _Cand:
    kind: str
    surface: str
    example: str


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


class _Doc:
    """One text, normalised and tokenised once, with the glossary's coverage marked."""

    def __init__(self, text: str, matcher: TermMatcher) -> None:
        self.text = text
        self.norm, self.index = normalize_arabic(text)
        self.toks, self.starts, self.ends = _tokens(self.norm)
        self.covered = bytearray(len(text) + 1)
        self.cover(matcher.find(text))

    def cover(self, matches: Iterable[TermMatch]) -> None:
        for m in matches:
            self.covered[m.word_start : m.end] = b"\x01" * (m.end - m.word_start)

    def sep(self, k: int) -> str:
        """Squashed separator after token ``k`` (``"$"`` after the last one)."""
        if k + 1 >= len(self.toks):
            return "$"
        return _squash(self.norm[self.ends[k] : self.starts[k + 1]])

    def span(self, i: int, j: int, prefix: int = 0) -> tuple[int, int]:
        """Original span of tokens ``i..j-1``, skipping ``prefix`` normalised chars."""
        start = self.index[self.starts[i] + prefix]
        end = self.index[self.ends[j - 1] - 1] + 1
        while end < len(self.text) and self.text[end] in _TRAILING_MARKS:
            end += 1
        return start, end

    def surface(self, k: int) -> str:
        start, end = self.span(k, k + 1)
        return self.text[start:end]

    def free(self, start: int, end: int) -> bool:
        return not any(self.covered[start:end])

    def add(self, out: list[_Cand], kind: str, start: int, end: int) -> None:
        if self.free(start, end):
            out.append(_Cand(kind, self.text[start:end], _context(self.text, start, end)))


def _article_prefix(tok: str) -> int:
    """Length of a clitic in front of the article (والتعاون -> 1, للتعاون -> 1), else 0."""
    for clitic in sorted(_CLITICS, key=len, reverse=True):
        if clitic and tok.startswith(clitic + "ال") and len(tok) > len(clitic) + 3:
            return len(clitic)
    for conj in _CONJ:
        if tok.startswith(conj + "لل") and len(tok) > len(conj) + 3:
            return len(conj) + 1
    return 0


def _bare(tok: str) -> str:
    """``tok`` without a clitic in front of its article (وللأمم -> الامم)."""
    p = _article_prefix(tok)
    if not p:
        return tok
    return tok[p:] if tok[p:].startswith("ال") else "ا" + tok[p:]


def _is_title(tok: str, titles: frozenset[str]) -> bool:
    """A title word, also behind a clitic: والرئيس, بالسيد, ورئيس."""
    return tok in titles or _bare(tok) in titles or (tok[0] in "وفبلك" and tok[1:] in titles)


def _foreign_score(surface: str, tok: str) -> int:
    """How much a token looks transliterated: 2 for a sure sign (Vietnamese/Chinese -ng,
    -inh, Persian letters, Latin script), 1 for ch (تش, also common in Arabic: تشجيع)."""
    if _FOREIGN_LETTERS & set(surface) or (tok.isascii() and tok.isalpha() and len(tok) >= 2):
        return 2
    light = normalize_arabic(surface, ta_marbuta=False)[0]
    if light.endswith("نغ") or (light.endswith("ينه") and len(light) >= 4):
        return 2
    return 1 if "تش" in light else 0


def _is_foreign(surface: str, tok: str) -> bool:
    return _foreign_score(surface, tok) == 2


def _definite(tok: str) -> bool:
    """Has the article, possibly behind a clitic: الأمن, والأمن, للأمن."""
    return _bare(tok).startswith("ال")


def _title_names(doc: _Doc, out: list[_Cand]) -> None:
    titles = _word_set(_TITLES_RAW)
    honorifics = _word_set(_HONORIFICS_RAW)
    tails = _word_set(_TITLE_TAIL_RAW)
    toks = doc.toks
    n = len(toks)
    i = 0
    while i < n:
        if not _is_title(toks[i], titles):
            i += 1
            continue
        honorific = _is_title(toks[i], honorifics)
        complete = _definite(toks[i])
        j = i + 1
        # the rest of the title: وزير الأمن العام, الفريق أول, نائب وزير الخارجية الدائم
        while (
            j < n
            and j - i <= 5
            and doc.sep(j - 1) == ""
            and (toks[j] in titles or toks[j] in tails or _definite(toks[j]))
        ):
            complete = complete or _definite(toks[j])
            j += 1
        if j >= n or toks[j] in _hint_words():
            i = j
            continue
        if doc.sep(j - 1) == ":":
            complete = True  # a credit: تصوير: name
        elif doc.sep(j - 1) != "" or not complete:
            i = j  # رئيس مجلس..., مدير منظمة...: a construct, not a title before a name
            continue
        k = j
        while k < n and k - j < 5:
            tok = toks[k]
            if _is_stop(tok) or _is_title(tok, titles | tails) or any(c.isdigit() for c in tok):
                break
            if len(tok) < 2 and not tok.isascii():
                break  # a list letter: (أ), ب
            if doc.surface(k).endswith("ة") and (k > j or not honorific):
                break  # a feminine noun, not a name: مينه فو جلسة
            if _definite(tok) and (k == j or (doc.sep(k) == "" and not _is_stop(toks[k + 1]))):
                break  # an Arabic family name with ال is kept only at the end: معاذ العتوم
            k += 1
            if doc.sep(k - 1) != "":
                break
        strong = (
            honorific
            or k - j >= 2
            or any(_is_foreign(doc.surface(m), toks[m]) for m in range(j, k))
        )
        if k > j and strong:
            doc.add(out, "title+name", *doc.span(j, k))
        i = max(k, i + 1)


_PAREN_RE = re.compile(r"\(([^()\n]{2,80})\)")
_CREDIT_RE = re.compile(r"^\s*(?:تصوير|صورة|الصورة|المصدر|مصدر)\s*[:：]")
_ARABIC_RE = re.compile("[\u0621-\u064a]")
_QUOTES = "\"'`«»“”‘’„"


def _parenthesised(doc: _Doc, out: list[_Cand]) -> None:
    for m in _PAREN_RE.finditer(doc.text):
        inner = m.group(1)
        if _CREDIT_RE.match(inner) or any(ch.isdigit() for ch in inner):
            continue
        core = inner.strip().strip(_QUOTES).strip()
        if len(_ARABIC_RE.findall(core)) < 2 or not 1 <= len(core.split()) <= 8:
            continue
        start = m.start(1) + inner.index(core)
        doc.add(out, "parenthesised", start, start + len(core))


def _transliterated(doc: _Doc, out: list[_Cand]) -> None:
    titles = _word_set(_TITLES_RAW) | _word_set(_TITLE_TAIL_RAW)
    toks = doc.toks
    n = len(toks)

    def name_like(k: int) -> bool:
        tok = toks[k]
        return (
            not _is_stop(tok)
            and tok not in titles
            and not tok.startswith("ال")
            and not any(ch.isdigit() for ch in tok)
            and len(tok) <= 8
            and not _is_title(tok, titles)
            and not doc.surface(k).endswith("ة")
        )

    i = 0
    while i < n:
        if not name_like(i):
            i += 1
            continue
        j = i + 1
        while j < n and doc.sep(j - 1) == "" and name_like(j):
            j += 1
        scores = [_foreign_score(doc.surface(k), toks[k]) for k in range(i, j)]
        flags = [score > 0 for score in scores]
        if max(scores, default=0) == 2 or scores.count(1) >= 2:
            # keep from the first to the last foreign-looking token, plus one short word
            # on each side (فام, تو, لام: Vietnamese syllables look like Arabic words)
            a = flags.index(True)
            b = len(flags) - flags[::-1].index(True)
            if a and len(toks[i + a - 1]) <= 4:
                a -= 1
            if b < len(flags) and len(toks[i + b]) <= 4:
                b += 1
            if b - a >= 2:
                doc.add(out, "transliterated name", *doc.span(i + a, i + b))
        i = j


def _phrases(docs: Sequence[_Doc], out: list[_Cand], min_count: int = 2) -> None:
    counts: Counter[tuple[str, ...]] = Counter()
    first_seen: dict[tuple[str, ...], tuple[_Doc, int, int]] = {}
    for doc in docs:
        toks = doc.toks
        n = len(toks)
        for i in range(n):
            for size in range(2, 7):
                j = i + size
                if j > n or doc.sep(j - 2) != "":
                    break
                words = toks[i:j]
                if any(_is_stop(w) or any(ch.isdigit() for ch in w) or len(w) < 2 for w in words):
                    break
                if not doc.free(*doc.span(i, j, _article_prefix(words[0]))):
                    continue
                key = (_bare(words[0]), *words[1:])
                counts[key] += 1
                first_seen.setdefault(key, (doc, i, j))
    # the highest count of a phrase one word longer that contains each phrase
    longer: dict[tuple[str, ...], int] = {}
    for key, count in counts.items():
        for sub in (key[:-1], key[1:]):
            if len(sub) >= 2 and longer.get(sub, 0) < count:
                longer[sub] = count
    for key, count in counts.items():
        if count < min_count or longer.get(key, 0) >= count:
            continue  # only the maximal phrase is worth a stub
        doc, i, j = first_seen[key]
        prefix = _article_prefix(doc.toks[i])
        start, end = doc.span(i, j, prefix)
        surface = doc.text[start:end]
        if prefix and not doc.toks[i][prefix:].startswith("ال"):
            surface = "ا" + surface  # للتعاون -> التعاون
        out.append(_Cand("repeated phrase", surface, _context(doc.text, start, end)))


def _recount(docs: Sequence[_Doc], cands: Sequence[_Cand]) -> Counter[int]:
    """Occurrences of each candidate outside what is already covered; covers them after."""
    stub = tuple(
        Term(f"s{n}", "term", (c.surface,), "-", None, None, Path("-"), 0)
        for n, c in enumerate(cands)
    )
    matcher = TermMatcher(Glossary(stub, (), "suggest"))
    counts: Counter[int] = Counter()
    for doc in docs:
        found = [m for m in matcher.find(doc.text) if doc.free(m.word_start, m.end)]
        for m in found:
            counts[int(m.term_id[1:])] += 1
        doc.cover(found)
    return counts


def _unique(cands: Iterable[_Cand]) -> list[_Cand]:
    """One candidate per normalised form, the strongest kind kept."""
    merged: dict[tuple[tuple[str, ...], tuple[str, ...]], _Cand] = {}
    for cand in cands:
        key = _form_key(cand.surface)
        have = merged.get(key)
        if key[0] and (have is None or _KIND_WEIGHT[cand.kind] > _KIND_WEIGHT[have.kind]):
            merged[key] = cand
    return list(merged.values())


def suggest_terms(texts: Sequence[str], glossary: Glossary) -> list[Suggestion]:
    """Names and terms in ``texts`` that ``glossary`` does not match, best first.

    Looks for a title followed by a name (السيد، السيدة، الجنرال، الوزير، الفريق أول...),
    words in parentheses, transliterated foreign names and repeated multi-word phrases.
    Anything overlapping a glossary match is left out; a repeated paragraph counts once.
    Ranked by count times a weight per kind (names and parenthesised terms first).
    """
    matcher = TermMatcher(glossary)
    distinct: dict[str, str] = {}
    for text in texts:
        key = " ".join(normalize_arabic(text)[0].split())
        if key:
            distinct.setdefault(key, text)
    docs = [_Doc(text, matcher) for text in distinct.values()]
    names: list[_Cand] = []
    for doc in docs:
        _title_names(doc, names)
        _parenthesised(doc, names)
        _transliterated(doc, names)
    names = _unique(names)
    # names first, longest wins: a fragment (ذي تونغ) inside a longer name counts nothing
    counts = _recount(docs, names)
    result = [
        Suggestion(c.surface, c.kind, counts[n], c.example)
        for n, c in enumerate(names)
        if counts[n]
    ]
    phrases: list[_Cand] = []
    _phrases(docs, phrases)
    phrases = _unique(phrases)
    counts = _recount(docs, phrases)
    result += [
        Suggestion(c.surface, c.kind, counts[n], c.example)
        for n, c in enumerate(phrases)
        if counts[n] >= 2
    ]
    result.sort(
        key=lambda s: (-s.count * _KIND_WEIGHT[s.kind], _KIND_ORDER[s.kind], -s.count, s.ar)
    )
    return result


_TRANSLIT = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "g",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "w",
    "ي": "y",
    "ى": "a",
    "ء": "",
    "ؤ": "w",
    "ئ": "y",
    "پ": "p",
    "چ": "ch",
    "ڤ": "v",
    "گ": "g",
}


def _slug(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch.isspace() or ch in "-_":
            out.append("-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    return slug[:40].strip("-")


def _guess_type(s: Suggestion) -> str:
    if s.kind in ("title+name", "transliterated name"):
        return "person"
    first = normalize_arabic(s.ar)[0].split()[:1]
    for raw, kind in _TYPE_HINTS_RAW:
        if first and first[0] in _word_set(raw):
            return kind
    return "term"


def _yaml_str(value: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar, once the characters YAML 1.1
    # readers take for line breaks are escaped too
    out = json.dumps(value, ensure_ascii=False)
    return out.replace("\u0085", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def suggestions_to_yaml(
    suggestions: Sequence[Suggestion], *, glossary: Glossary | None = None
) -> str:
    """YAML stubs for ``suggestions``: a complete glossary file whose items can be pasted
    under ``terms:`` of an existing one. Once every ``en`` is filled in it passes check.
    Ids are transliteration slugs (``term-001`` when there is nothing to transliterate),
    made unique among the stubs and against ``glossary`` when it is given.
    """
    taken = {t.id for t in glossary.terms} if glossary is not None else set()
    lines = [
        "# Suggested glossary terms: fill in every `en` (and `vi` if you translate to",
        "# Vietnamese), check `type`, delete what you do not want, then paste the items under",
        "# `terms:` in a glossary file (or save this file in the glossary folder as it is).",
        "version: 1",
        "terms:",
    ]
    if not suggestions:
        lines[-1] = "terms: []  # nothing to suggest: the glossary covers every name found"
    for n, s in enumerate(suggestions, start=1):
        base = _slug(s.ar) or f"term-{n:03d}"
        slug = base
        k = 2
        while slug in taken:
            slug = f"{base}-{k}"
            k += 1
        taken.add(slug)
        note = f"suggested ({s.kind}, {s.count}x): {s.example}"
        lines += [
            f"  - id: {slug}",
            f"    type: {_guess_type(s)}  # a guess: check it",
            f"    ar: [{_yaml_str(s.ar)}]",
            '    en: ""  # TODO: the English rendering',
            f"    note: {_yaml_str(note)}",
        ]
    return "\n".join(lines) + "\n"
