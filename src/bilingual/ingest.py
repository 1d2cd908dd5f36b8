"""Ingest: read an article file, decode it, and clean web-scrape noise.

Keeps the source URL and captions as metadata, joins hard-wrapped lines, reports
paragraphs that repeat an earlier one and lists everything cleaning removed.

Decoding: UTF-8 with or without a BOM, or UTF-16 with a BOM; anything else (UTF-32, a
legacy code page such as Windows-1256 or Latin-1, a binary file) is refused with an
:class:`InputError` that names the file, the reason and a conversion command. The text is
then put in Unicode NFC.

Cleaning works line by line, with 1-based line numbers of the input file:

* blank lines separate paragraphs;
* lines matching a rule of ``_NOISE_RULES`` (image stubs ``![]() |``, empty table rows
  ``| |``, separators ``---``, counters ``تعليق (0)`` / ``مشاركة``) are dropped and listed
  in ``Article.removed`` with the rule's kind;
* ``المصدر: URL`` / ``Source: URL`` sets ``source_url`` and is listed as ``source-line``;
* a table row with text (``| caption (تصوير: credit) |``) is a caption, and so is a plain
  line that ends with a photo credit ``(صورة: ...)`` ``(الصورة: ...)`` ``(تصوير: ...)``.
  ``(المصدر: ...)`` counts as a credit inside a table row only: at the end of a plain line
  it attributes the paragraph's content and stays in the body;
* a Markdown heading ``# title`` is a paragraph of its own (without the ``#`` marks);
* other lines are body text. Consecutive body lines form one paragraph (joined with one
  space: hard wrapping) unless the earlier line ends a sentence (``. ؟ ? ! … :`` or a
  closing quote or bracket after one of them);
* a paragraph equal to an earlier one after normalisation (NFC, whitespace collapsed,
  Arabic diacritics and tatweel removed, case folded) is kept once: it is recorded in
  ``repeats`` and ``removed`` (kind ``repeat``) with both line ranges.

Every non-blank input line ends up in exactly one place: a paragraph's line range, a
caption, or ``removed`` (which includes the source line and repeated paragraphs).
Invisible bidi and zero-width marks and stray control characters are treated as spaces;
runs of whitespace become one space.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.document.article import Article, Caption, Paragraph, Removed, Repeat
from bilingual.errors import InputError
from bilingual.lang.ar import DIACRITICS, is_arabic_letter

ARTICLE_SUFFIXES = (".txt", ".md")
"""File name endings taken as articles (compared case-insensitively)."""

MIN_ARABIC_SHARE = 0.2
"""Below this share of Arabic letters among all letters a file is refused as not Arabic."""


# --------------------------------------------------------------------------- discovery


def _is_article_file(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def _scan_folder(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(
            f"cannot list the folder: {exc.strerror or exc}",
            where=str(folder),
            fix="check that the folder exists and is readable",
        ) from exc
    found = [
        p for p in entries if not p.name.startswith(".") and p.is_file() and _is_article_file(p)
    ]
    if not found:
        raise InputError(
            "folder has no articles: looked for *.txt and *.md files directly in it "
            "(subfolders are not scanned, hidden files are skipped)",
            where=str(folder),
            fix="put the Arabic articles there as .txt or .md files, or name the files directly",
        )
    return found


def discover(paths: Sequence[Path]) -> list[Path]:
    """The article files named by ``paths``: files as given, folders scanned.

    Folders are scanned without recursion, by name, skipping hidden files. A file named
    twice (also through its folder) is kept once, at its first position.
    """
    if not paths:
        raise InputError(
            "no article given", fix="pass one or more .txt/.md files or folders holding them"
        )
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = _scan_folder(path)
        elif path.is_file():
            if not _is_article_file(path):
                raise InputError(
                    f"is not an article file: expected a name ending in .txt or .md, "
                    f"got {path.suffix or 'no extension'!r}",
                    where=str(path),
                    fix="save the article as UTF-8 plain text with a .txt or .md name",
                )
            files = [path]
        elif path.exists():
            raise InputError(
                "is neither a regular file nor a folder",
                where=str(path),
                fix="pass .txt/.md files or folders holding them",
            )
        else:
            raise InputError(
                "does not exist", where=str(path), fix="check the spelling of the path"
            )
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found


# ----------------------------------------------------------------------------- decoding

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
_MAX_CONTROL_SHARE = 0.01


def _binary_error(path: Path, reason: str) -> InputError:
    return InputError(
        f"looks binary: {reason}",
        where=str(path),
        fix="pass the article as plain text (.txt or .md) saved as UTF-8",
    )


def _line_at_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _guess_legacy_encoding(data: bytes) -> str:
    """Name the likely 8-bit code page of bytes that are not UTF-8."""
    high = bytes(b for b in data if b >= 0x80)
    as_arabic = high.decode("cp1256", errors="replace")
    arabic = sum(1 for ch in as_arabic if is_arabic_letter(ch))
    if arabic * 2 > len(high):
        return "WINDOWS-1256"
    return "LATIN1"


def _iconv(source: str, path: Path) -> str:
    """A shell command converting ``path`` to UTF-8 in place."""
    return f"`iconv -f {source} -t UTF-8 '{path}' > '{path}.utf8' && mv '{path}.utf8' '{path}'`"


def _not_utf8_error(path: Path, data: bytes, offset: int) -> InputError:
    line = _line_at_offset(data, offset)
    guess = _guess_legacy_encoding(data)
    likely = "Windows-1256 (Arabic)" if guess == "WINDOWS-1256" else "Latin-1 / Windows-1252"
    other = "LATIN1" if guess == "WINDOWS-1256" else "WINDOWS-1256"
    return InputError(
        f"is not UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} (line {line}) "
        f"is invalid; it is probably {likely} text",
        where=f"{path}:{line}",
        fix=(
            f"convert it to UTF-8, e.g. {_iconv(guess, path)} "
            f"(or -f {other} if the result looks wrong)"
        ),
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


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decoded text and the encoding name stored in :attr:`Article.encoding`."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise _binary_error(path, f"it starts like {what}")
    for bom, name in _REFUSED_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"is {name} (byte-order mark found); only UTF-8 and UTF-16 are read",
                where=str(path),
                fix=f"convert it: {_iconv(name, path)}",
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
        raise InputError(
            f"looks binary: it contains NUL bytes (first at byte offset {nul})",
            where=str(path),
            fix=(
                "pass the article as UTF-8 plain text; if it is UTF-16 without a byte-order "
                f"mark, convert it: `iconv -f UTF-16LE -t UTF-8 '{path}'`"
            ),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        non_text = sum(1 for b in data if (b < 0x20 and b not in b"\t\n\r\x0b\x0c") or b == 0x7F)
        if non_text > 0.05 * len(data):
            raise _binary_error(
                path, f"{non_text} of its {len(data)} bytes are control bytes"
            ) from exc
        raise _not_utf8_error(path, data, exc.start) from exc
    _check_controls(path, text)
    return text, "utf-8"


# ----------------------------------------------------------------------- line cleaning

_INVISIBLE = re.compile(
    "[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\x00-\x08\x0e-\x1f\x7f]"
)
_SPACES = re.compile(r"\s+")


def _normalise_line(line: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub(" ", line)).strip()


def _repeat_key(text: str) -> str:
    """Key under which two paragraphs count as the same one."""
    return _SPACES.sub(" ", DIACRITICS.sub("", text)).strip().casefold()


@dataclass(frozen=True)
class _NoiseRule:
    """A kind of scrape noise: a whole line matching ``pattern`` is removed as ``kind``."""

    kind: str
    pattern: re.Pattern[str]


_IMAGE = r"!\[[^\]]*\]\([^)]*\)"
_NOISE_RULES: tuple[_NoiseRule, ...] = (
    # "![]() |", "![alt](url)", "| ![](a) | ![](b) |"
    _NoiseRule("image-stub", re.compile(rf"^\|?\s*(?:{_IMAGE}\s*\|?\s*)+$")),
    # "| |", "|---|:--:|": a table row with no text
    _NoiseRule("empty-row", re.compile(r"^\|[\s|:\-]*$")),
    # Markdown rules and scrape separators: "---", "* * *", "====="
    _NoiseRule("separator", re.compile(r"^(?:[-*_=]\s*){3,}$")),
    # "تعليق (0)", "تعليقات (12)", "مشاركة", "شارك", "Comments (3)"
    _NoiseRule(
        "counter",
        re.compile(
            r"^(?:عدد\s+)?(?:تعليق|تعليقات|التعليقات|مشاركة|مشاركات|شارك|شاركها|شارك الخبر"
            r"|مشاهدة|مشاهدات|المشاهدات|إعجاب|قراءة|طباعة|comments?|shares?|likes?|views?)"
            r"\s*:?\s*(?:[(\[]\s*[\d٠-٩,.٬]*\s*[)\]]|[\d٠-٩,.٬]+)?$",
            re.IGNORECASE,
        ),
    ),
)

_SOURCE_LINE = re.compile(
    r"^(?:المصدر|مصدر الخبر|Source)\s*[:：]\s*(?P<url>(?:https?://|www\.)\S+)$", re.IGNORECASE
)
_TABLE_ROW = re.compile(r"^\|(?P<inner>.*?)\|?$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)(?:\s+#+)?$")
_ROW_CREDIT = re.compile(
    r"\((?P<credit>(?:تصوير|صورة|الصورة|مصدر الصورة|المصدر|photo|credit)\s*[:：][^()]*)\)\s*$",
    re.IGNORECASE,
)
_LINE_CREDIT = re.compile(
    r"\((?P<credit>(?:تصوير|صورة|الصورة|مصدر الصورة|photo)\s*[:：][^()]*)\)$", re.IGNORECASE
)
_ENDS_SENTENCE = re.compile(r"[.؟?!…:۔][\"'»”’)\]]*$")


@dataclass(frozen=True)
class _Line:
    """One classified, normalised input line."""

    number: int
    kind: str
    """``blank`` | ``noise`` | ``source`` | ``caption`` | ``heading`` | ``body``."""
    text: str
    noise_kind: str = ""
    url: str = ""
    credit: str | None = None


def _split_credit(text: str, pattern: re.Pattern[str]) -> tuple[str, str | None]:
    match = pattern.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), match.group("credit").strip()


def _table_caption(number: int, inner: str) -> _Line:
    cells = [re.sub(_IMAGE, " ", cell).strip() for cell in inner.split("|")]
    text = " ".join(cell for cell in cells if cell)
    caption, credit = _split_credit(text, _ROW_CREDIT)
    return _Line(number, "caption", caption, credit=credit)


def _classify(number: int, raw: str) -> _Line:
    text = _normalise_line(raw)
    if not text:
        return _Line(number, "blank", "")
    for rule in _NOISE_RULES:
        if rule.pattern.match(text):
            return _Line(number, "noise", text, noise_kind=rule.kind)
    source = _SOURCE_LINE.match(text)
    if source:
        return _Line(number, "source", text, url=source.group("url"))
    row = _TABLE_ROW.match(text)
    if row:
        return _table_caption(number, row.group("inner"))
    heading = _HEADING.match(text)
    if heading:
        return _Line(number, "heading", heading.group("text"))
    caption, credit = _split_credit(text, _LINE_CREDIT)
    if credit is not None:
        return _Line(number, "caption", caption, credit=credit)
    return _Line(number, "body", text)


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ----------------------------------------------------------------------------- assembly


class _ArticleBuilder:
    """Collects paragraphs, captions and removals while walking the classified lines."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.captions: list[Caption] = []
        self.removed: list[Removed] = []
        self.repeats: list[Repeat] = []
        self.source_url: str | None = None
        self._pending: list[_Line] = []
        self._seen: dict[str, Paragraph] = {}

    def add(self, line: _Line) -> None:
        if line.kind == "body":
            if self._pending and _ENDS_SENTENCE.search(self._pending[-1].text):
                self.flush()
            self._pending.append(line)
            return
        self.flush()
        if line.kind == "heading":
            self._pending.append(line)
            self.flush()
        elif line.kind == "noise":
            self.removed.append(Removed(line.number, line.noise_kind, line.text))
        elif line.kind == "source":
            self.removed.append(Removed(line.number, "source-line", line.text))
            if self.source_url is None:
                self.source_url = line.url
        elif line.kind == "caption":
            self.captions.append(
                Caption(line.text, line.credit, line.number, len(self.paragraphs) - 1)
            )

    def flush(self) -> None:
        if not self._pending:
            return
        text = " ".join(line.text for line in self._pending)
        lines = (self._pending[0].number, self._pending[-1].number)
        self._pending = []
        key = _repeat_key(text)
        first = self._seen.get(key)
        if first is not None:
            self.repeats.append(Repeat(first.index, first.lines, lines))
            self.removed.append(Removed(lines[0], "repeat", text, last_line=lines[1]))
            return
        paragraph = Paragraph(len(self.paragraphs), text, lines)
        self._seen[key] = paragraph
        self.paragraphs.append(paragraph)


def _cleaned_article(path: Path, encoding: str, text: str) -> Article:
    builder = _ArticleBuilder()
    for number, raw in enumerate(_split_lines(text), start=1):
        builder.add(_classify(number, raw))
    builder.flush()
    return Article(
        path=path,
        name=path.stem,
        encoding=encoding,
        paragraphs=tuple(builder.paragraphs),
        captions=tuple(builder.captions),
        source_url=builder.source_url,
        removed=tuple(sorted(builder.removed, key=lambda r: r.line)),
        repeats=tuple(builder.repeats),
    )


def _check_arabic(article: Article) -> None:
    letters = [ch for p in article.paragraphs for ch in p.text if ch.isalpha()]
    arabic = sum(1 for ch in letters if is_arabic_letter(ch))
    if not letters or arabic < MIN_ARABIC_SHARE * len(letters):
        share = f" ({arabic / len(letters):.0%})" if letters else ""
        raise InputError(
            f"is already English or otherwise not Arabic: {arabic} of its {len(letters)} "
            f"letters are Arabic{share}, below the {MIN_ARABIC_SHARE:.0%} needed",
            where=str(article.path),
            fix="pass the Arabic original; bilingual translates Arabic articles only",
        )


def read_article(path: Path) -> Article:
    """Read, decode, normalise (NFC) and clean one article file.

    Raises :class:`InputError` for an unreadable, empty, binary, non-UTF-8 or non-Arabic
    file, or one with nothing left after cleaning.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot be read: {exc.strerror or exc}",
            where=str(path),
            fix="check that the file exists and is readable",
        ) from exc
    if not data:
        raise InputError(
            "is empty (0 bytes)",
            where=str(path),
            fix="put the Arabic article text in it, or leave it out of the PATH arguments",
        )
    text, encoding = _decode(path, data)
    text = unicodedata.normalize("NFC", text)
    if not _normalise_line(text):
        raise InputError(
            "is empty: it holds only whitespace",
            where=str(path),
            fix="put the Arabic article text in it, or leave it out of the PATH arguments",
        )
    article = _cleaned_article(path, encoding, text)
    if not article.paragraphs:
        kinds = sorted({r.kind for r in article.removed})
        listed = ", ".join(kinds) if kinds else "nothing but captions"
        raise InputError(
            f"has no article text left after cleaning (it held only: {listed}; "
            f"{len(article.captions)} caption(s))",
            where=str(path),
            fix="check that this is the article itself and not only its page furniture",
        )
    _check_arabic(article)
    return article
