"""Decoding an article's bytes: UTF-8, UTF-16 with its mark, and the Arabic code pages.

UTF-8 with or without a BOM and UTF-16 with a BOM are read as they are. A file with
hardly any valid UTF-8 is in a legacy code page: Windows-1256 and ISO-8859-6 are
recognised (charset-normalizer, restricted to those two so nothing is guessed wildly),
decoded, and a notice says so in the cleaning report; ``--encoding NAME`` forces one.
Anything else is refused with an :class:`InputError` that names the file, the reason and
what to do. The cases are told apart because their fixes differ: a UTF-8 file with a few
invalid bytes is *damaged* (the message gives the count, the lines and the first byte's
offset, line and column, and says not to convert it; it is never decoded as a code
page); a legacy file that reads as no Arabic code page (Latin-1 ...) gets the ``iconv``
command; UTF-16 without a BOM, UTF-32, NUL bytes and known binary formats each say so. A
suggested command always writes a *new* file (``iconv ... IN > IN.utf8.txt``), never the
input, and quotes every path for the shell (:func:`shell_quote`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import InputError
from bilingual.lang.ar import is_arabic_letter
from bilingual.shell import shell_quote

LEGACY_ENCODINGS = ("cp1256", "iso8859_6")
"""The code pages an Arabic article may come in, as Python names them."""

ENCODING_NAMES = {"cp1256": "windows-1256", "iso8859_6": "iso-8859-6"}
"""The name :attr:`Article.encoding` records for each legacy code page."""

MIN_LEGACY_ARABIC = 0.5
"""A legacy decoding is taken only when at least this share of its letters is Arabic."""


@dataclass(frozen=True)
class Decoded:
    """An article's text and how it was decoded."""

    text: str
    encoding: str
    """``utf-8``, ``utf-8-sig``, ``utf-16``, ``windows-1256``, ``iso-8859-6`` or a forced
    codec's name."""
    notices: tuple[str, ...] = ()


_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ODT ...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)

_REFUSED_BOMS: tuple[tuple[bytes, str], ...] = (
    # checked before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "UTF-32BE"),
)

_ACCEPTED_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (mark, codec for the bytes after it, name stored in Article.encoding)
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_ESCAPED = re.compile("[\udc80-\udcff]")
"""A byte that was not UTF-8, as ``surrogateescape`` decodes it."""
_MAX_CONTROL_SHARE = 0.01


def _binary_error(path: Path, reason: str) -> InputError:
    return InputError(
        f"looks binary: {reason}",
        where=str(path),
        fix="pass the article as plain text (.txt or .md) saved as UTF-8",
    )


def _line_at_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _shell_path(path: Path) -> str:
    text = str(path)
    # a name starting with "-" would be read as an option
    return shell_quote(f"./{text}" if text.startswith("-") else text)


def _converted_name(path: Path) -> Path:
    """A name beside ``path`` for its UTF-8 copy that no file has yet."""
    n = 1
    while True:
        tag = ".utf8" if n == 1 else f".utf8-{n}"
        out = path.with_name(f"{path.stem}{tag}{path.suffix or '.txt'}")
        if not out.exists() and not out.is_symlink():
            return out
        n += 1


def _iconv(source: str, path: Path, *options: str) -> str:
    """A shell command writing a UTF-8 copy of ``path`` to a new file; the input is
    never overwritten (a wrong guess of the encoding must cost nothing)."""
    out = _converted_name(path)
    flags = "".join(f" {o}" for o in options)
    return (
        f"`iconv -f {source} -t UTF-8{flags} {_shell_path(path)} > {_shell_path(out)}`, "
        f"then translate {out.name!r} instead"
    )


def _position(data: bytes, offset: int) -> str:
    line = _line_at_offset(data, offset)
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"byte 0x{data[offset]:02X} at byte offset {offset} (line {line}), column {column}"


def _bad_lines(text: str) -> str:
    """The lines holding undecodable bytes (``surrogateescape`` text), the first ten."""
    lines: list[int] = []
    line, at = 1, 0
    for match in _ESCAPED.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")


def _legacy_encoding(data: bytes) -> str:
    """Name the likely 8-bit code page of bytes that are not UTF-8."""
    high = bytes(b for b in data if b >= 0x80)
    as_arabic = high.decode("cp1256", errors="replace")
    arabic = sum(1 for ch in as_arabic if is_arabic_letter(ch))
    return "WINDOWS-1256" if arabic * 2 > len(high) else "LATIN1"


def _not_utf8_error(path: Path, data: bytes, offset: int) -> InputError:
    """Tell a damaged UTF-8 file (a few bad bytes in valid UTF-8) from a file in a legacy
    code page (hardly any valid UTF-8 sequence): their fixes are opposite."""
    line = _line_at_offset(data, offset)
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    # non-ASCII characters that decoded (a BOM is no evidence: it is there either way)
    good = sum(1 for ch in text if ch >= "\x80") - bad - text.startswith("\ufeff")
    if good >= bad:
        return InputError(
            f"is UTF-8 but damaged: {bad} byte(s) are not valid UTF-8 (line(s) "
            f"{_bad_lines(text)}); the "
            f"first is {_position(data, offset)}. The rest ({good} non-ASCII characters) is "
            "valid UTF-8, so this is not a legacy encoding: do not convert the file",
            where=f"{path}:{line}",
            fix=(
                f"correct line {line} in an editor or re-save the file from its source; or "
                "write a copy without the bad bytes: "
                f"{_iconv('UTF-8', path, '-c')}"
            ),
        )
    guess = _legacy_encoding(data)
    likely = "Windows-1256 (Arabic)" if guess == "WINDOWS-1256" else "Latin-1 / Windows-1252"
    other = "LATIN1" if guess == "WINDOWS-1256" else "WINDOWS-1256"
    return InputError(
        f"is not UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} (line {line}) "
        f"is invalid, as are {bad} of its {bad + good} non-ASCII bytes; "
        f"it is probably {likely} text",
        where=f"{path}:{line}",
        fix=(
            f"convert a copy to UTF-8: {_iconv(guess, path)} "
            f"(use -f {other} if the copy looks wrong)"
        ),
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """``UTF-16LE``/``UTF-16BE`` when ``data`` reads as text in it, else None."""
    if len(data) % 2:
        return None
    for codec, name, high in (("utf-16-le", "UTF-16LE", 1), ("utf-16-be", "UTF-16BE", 0)):
        # text of one script has few distinct high bytes (0x00 for ASCII, 0x06 Arabic)
        common = Counter(data[high::2]).most_common(2)
        if sum(n for _, n in common) < 0.9 * (len(data) // 2):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        texty = sum(1 for ch in text if ch.isalpha() or ch.isspace() or ch in ".,:;!?()-")
        if "\x00" not in text and texty >= 0.8 * len(text):
            return name
    return None


def _nul_error(path: Path, data: bytes, nul: int) -> InputError:
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return InputError(
            f"contains NUL bytes: it is {utf16} text without a byte-order mark "
            "(only UTF-8, or UTF-16 with its mark, is read)",
            where=str(path),
            fix=f"convert a copy to UTF-8: {_iconv(utf16, path)}",
        )
    return InputError(
        f"looks binary: it contains NUL bytes (first at byte offset {nul})",
        where=str(path),
        fix="pass the article as plain text (.txt or .md) saved as UTF-8",
    )


def _check_controls(path: Path, text: str) -> None:
    controls = [
        i
        for i, ch in enumerate(text)
        if unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS
    ]
    if "\x00" in text or len(controls) > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise _binary_error(
            path, f"{len(controls)} of its {len(text)} characters are control characters"
        )


def _damaged_utf8(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are mostly valid UTF-8 all the same (a few bad
    bytes): such a file is damaged, and decoding it in a code page would garble it."""
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    good = sum(1 for ch in text if ch >= "\x80") - bad - text.startswith("\ufeff")
    return good >= bad


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if is_arabic_letter(ch)) / len(letters) if letters else 0.0


def legacy_decoding(data: bytes) -> tuple[str, str] | None:
    """``(text, codec)`` when ``data`` reads as Arabic in Windows-1256 or ISO-8859-6
    (charset-normalizer chooses between them, offered nothing else), else None; None for
    damaged UTF-8 too, which a code page would only garble."""
    from charset_normalizer import from_bytes  # only a legacy file needs the detector

    if _damaged_utf8(data):
        return None

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.encoding not in LEGACY_ENCODINGS:
        return None
    text = str(best)
    if _arabic_share(text) < MIN_LEGACY_ARABIC:
        return None
    return text, best.encoding


def legacy_notice(codec: str, why: str = "the file is not UTF-8") -> str:
    """The cleaning report's line for an article read in a legacy code page."""
    return (
        f"decoded as {ENCODING_NAMES.get(codec, codec)}: {why} (detected; "
        "pass --encoding NAME to choose another)"
    )


def _forced(path: Path, data: bytes, codec: str) -> Decoded:
    """``data`` in the code page the user named, strictly: a byte that is not valid in it
    is an error, not a replacement character."""
    try:
        name = codecs.lookup(codec).name
    except LookupError as exc:
        raise InputError(
            f"--encoding {codec!r} is not an encoding Python knows",
            where=str(path),
            fix="use a name such as cp1256, iso8859_6, utf-8 or utf-16",
        ) from exc
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not valid {name} (given with --encoding): {_position(data, exc.start)}",
            where=f"{path}:{_line_at_offset(data, exc.start)}",
            fix="check the encoding given with --encoding, or leave it out to detect it",
        ) from exc
    text = text.removeprefix("\ufeff")
    _check_controls(path, text)
    return Decoded(text, ENCODING_NAMES.get(name.replace("-", "_"), name))


def decode(path: Path, data: bytes, encoding: str | None = None) -> Decoded:
    """The text of an article file's bytes; ``encoding`` forces a codec (``--encoding``)."""
    if encoding is not None:
        return _forced(path, data, encoding)
    text, name = _decode(path, data)
    if name in LEGACY_ENCODINGS:
        return Decoded(text, ENCODING_NAMES[name], (legacy_notice(name),))
    return Decoded(text, name)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decoded text and the encoding name stored in :attr:`Article.encoding` (a legacy
    code page by its Python codec name)."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise _binary_error(path, f"it starts like {what}")
    for bom, name in _REFUSED_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"is {name} (byte-order mark found); only UTF-8 and UTF-16 are read",
                where=str(path),
                fix=f"convert a copy: {_iconv(name, path)}",
            )
    for bom, codec, name in _ACCEPTED_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                offset = exc.start + len(bom)
                if codec == "utf-8":
                    raise _not_utf8_error(path, data, offset) from exc
                raise InputError(
                    f"is not valid UTF-16: bad data at byte offset {offset}",
                    where=str(path),
                    fix="re-save the file as UTF-8 from the program that made it",
                ) from exc
            _check_controls(path, text)
            return text, name
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _nul_error(path, data, nul)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        non_text = sum(1 for b in data if (b < 0x20 and b not in b"\t\n\r\x0b\x0c") or b == 0x7F)
        if non_text > 0.05 * len(data):
            raise _binary_error(
                path, f"{non_text} of its {len(data)} bytes are control bytes"
            ) from exc
        legacy = legacy_decoding(data)
        if legacy is None:
            raise _not_utf8_error(path, data, exc.start) from exc
        text, codec = legacy
        _check_controls(path, text)
        return text, codec
    _check_controls(path, text)
    return text, "utf-8"
