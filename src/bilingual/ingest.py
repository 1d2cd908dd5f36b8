"""Ingest: read an article file in any accepted form, and clean web-scrape noise.

Keeps the source URL and captions as metadata, joins hard-wrapped lines, reports
paragraphs that repeat an earlier one and lists everything cleaning removed.

Only regular files are read, opened non-blocking, so a FIFO cannot hang a run. A reader
of ``bilingual.readers`` (chosen by the suffix: text, Markdown, HTML, DOCX) turns the
bytes into numbered blocks; decoding and its diagnoses (damaged UTF-8, legacy code pages,
binary files) are in ``bilingual.readers.decode``. The text is put in Unicode NFC.

Cleaning works on those blocks as on the lines of a text scrape, with the 1-based line
numbers of the input file (block numbers for HTML and DOCX), so every form gets the same
cleaning report. A reader may mark a block as a heading or a caption (a Markdown
``#``, a ``<figcaption>``, a Word heading style) or as a paragraph break; the rules:

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

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bilingual.discovery import ARTICLE_SUFFIXES, article_name, discover, file_kind
from bilingual.document.article import Article, Caption, Paragraph, Removed, Repeat
from bilingual.errors import InputError
from bilingual.lang.ar import DIACRITICS, is_arabic_letter
from bilingual.readers import Block, Source, read_source
from bilingual.shell import shell_quote

MIN_ARABIC_SHARE = 0.2
"""Below this share of Arabic letters among all letters a file is refused as not Arabic."""

MAX_ARTICLE_BYTES = 20_000_000
"""Larger files are refused unread. A long news article is some 100 kB; 20 MB of Arabic is
thousands of pages (a dump or a log, not an article) and would take some 10 minutes and
GBs of memory (``bench/large_article.py``: about 25 s and 100 MB per MB)."""

__all__ = ["ARTICLE_SUFFIXES", "discover", "read_article", "shell_quote"]


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


def _classify_block(block: Block) -> _Line:
    """A reader's block as a classified line: a heading, caption or break the reader
    found is taken as it is; any other block goes through the rules of a text line."""
    raw = unicodedata.normalize("NFC", block.text)
    if block.kind == "line":
        return _classify(block.number, raw)
    text = _normalise_line(raw)
    if block.kind == "break" or not text:
        return _Line(block.number, "blank", "")
    if block.kind == "caption":
        caption, credit = _split_credit(text, _ROW_CREDIT)
        return _Line(block.number, "caption", caption, credit=credit)
    return _Line(block.number, "heading", text)


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


def _cleaned_article(path: Path, source: Source) -> Article:
    builder = _ArticleBuilder()
    for block in source.blocks:
        builder.add(_classify_block(block))
    builder.flush()
    notices = source.notices
    # the article's own source line wins over the page's metadata: it is what it cites
    source_url = builder.source_url
    if source_url is None and source.source_url is not None:
        source_url = source.source_url
        notices += (f"source URL from the page's {source.source_url_from}",)
    return Article(
        path=path,
        name=article_name(path),
        encoding=source.encoding,
        paragraphs=tuple(builder.paragraphs),
        captions=tuple(builder.captions),
        source_url=source_url,
        removed=tuple(sorted(builder.removed, key=lambda r: r.line)),
        repeats=tuple(builder.repeats),
        input_format=source.input_format,
        extractor=source.extractor,
        notices=notices,
        source_title=source.title,
        source_date=source.date,
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


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path``, refusing (without reading) anything but a regular file.

    Opened non-blocking and checked on the open descriptor: a FIFO named like an
    article must not hang the run, even one swapped in after discovery looked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            mode = info.st_mode
            if not stat.S_ISREG(mode):
                raise InputError(
                    f"is {file_kind(mode)}, not a regular file; it was not read",
                    where=str(path),
                    fix="pass the article file itself (.txt, .md, .html or .docx)",
                )
            # one byte past the limit at most: a file growing while read is refused too
            data = fh.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot be read: {exc.strerror or exc}",
            where=str(path),
            fix="check that the file exists and is readable",
        ) from exc
    if len(data) > MAX_ARTICLE_BYTES:
        size = max(info.st_size, len(data)) / 1_000_000
        raise InputError(
            f"is too large for one article: {size:.1f} MB, over the limit of "
            f"{MAX_ARTICLE_BYTES // 1_000_000} MB (a long news article is some 100 kB); "
            "it was not translated",
            where=str(path),
            fix="check that this is an article; split a long document into one file per "
            "section or story",
        )
    return data


def read_article(path: Path, encoding: str | None = None) -> Article:
    """Read, decode, normalise (NFC) and clean one article file; ``encoding`` forces the
    codec of a text, Markdown or HTML file (``--encoding``).

    Raises :class:`InputError` for an unreadable, empty, binary, undecodable, unreadable
    (a page without main text, an encrypted DOCX ...) or non-Arabic file, or one with
    nothing left after cleaning.
    """
    data = _read_regular(path)
    if not data:
        raise InputError(
            "is empty (0 bytes)",
            where=str(path),
            fix="put the Arabic article text in it, or leave it out of the PATH arguments",
        )
    source = read_source(path, data, encoding)
    if not any(_normalise_line(block.text) for block in source.blocks):
        raise InputError(
            "is empty: it holds only whitespace",
            where=str(path),
            fix="put the Arabic article text in it, or leave it out of the PATH arguments",
        )
    article = _cleaned_article(path, source)
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
