"""Saved web pages (``.html``, ``.htm``): the article's main text through trafilatura.

trafilatura (Apache-2.0 since 1.8; ``pyproject.toml`` asks for 1.8 or later, so no GPL
version is ever installed) finds the main text, dropping navigation, related links,
share buttons, comments and footers, and reads the title and date. Its paragraphs,
headings, list items and table rows become blocks; so do the page's images, at the place
trafilatura keeps them: the ``<figcaption>`` of the image's ``<figure>`` (else its
``alt`` text) is a caption, an image with neither is an image stub. The source URL is the
page's ``<link rel="canonical">``, else its ``og:url``. Block numbers count the blocks of
the extracted text (a page has no useful line numbers).

Charset: a byte-order mark wins; then the ``<meta charset>`` (or ``http-equiv``) of the
page's first 4 kB. A declaration can lie (a page saved as UTF-8 that still says
windows-1256): when the bytes are invalid in the declared charset, or are valid UTF-8
under a legacy declaration, they are read as UTF-8 or as an Arabic code page, and the
cleaning report says so. No declaration: decoded like a text file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.errors import InputError
from bilingual.readers.base import BREAK, Block, Source, library_version
from bilingual.readers.decode import ENCODING_NAMES, Decoded, decode, legacy_decoding, legacy_notice

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*(?P<name>[A-Za-z0-9_.:-]+)", re.IGNORECASE
)
_SNIFF_BYTES = 4096
MAX_ELEMENTS = 100_000
"""The most elements a page may hold: a news page has some 2,000-20,000, and the
extractor's time grows with every one (500,000 empty paragraphs take minutes)."""
MAX_DEPTH = 250
"""The deepest nesting read. libxml2's HTML parser keeps 255 levels and silently drops
what lies deeper, so a page that reaches this depth may have lost text: it is refused."""


def _declared(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group("name").decode("ascii")).name
    except LookupError:
        return None


def _lying(data: bytes, why: str) -> Decoded | None:
    """The page read as UTF-8 or an Arabic code page when its declaration is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        legacy = legacy_decoding(data)
        if legacy is None:
            return None
        text, codec = legacy
        return Decoded(text, ENCODING_NAMES[codec], (legacy_notice(codec, why),))
    return Decoded(text, "utf-8", (f"decoded as utf-8: {why}",))


def decode_page(path: Path, data: bytes, encoding: str | None = None) -> Decoded:
    """A page's text by its byte-order mark, its ``<meta charset>`` checked against the
    bytes, or as a text file is decoded."""
    declared = _declared(data)
    if encoding is not None or declared is None or data[:3] == codecs.BOM_UTF8:
        return decode(path, data, encoding)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return decode(path, data)
    said = f'its <meta charset> says "{declared}"'
    try:
        text = data.decode(declared)
    except UnicodeDecodeError as exc:
        why = f"{said}, but byte offset {exc.start} is invalid there"
        found = None if declared == "utf-8" else _lying(data, why)
        if found is not None:
            return found
        # diagnosed like a text file: damaged UTF-8 or no Arabic code page is refused
        decoded = decode(path, data)
        return Decoded(decoded.text, decoded.encoding, (f"{why};", *decoded.notices))
    if declared != "utf-8" and not text.isascii():
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(utf8, "utf-8", (f"decoded as utf-8: {said}, but the bytes are UTF-8",))
    return Decoded(text, ENCODING_NAMES.get(declared.replace("-", "_"), declared))


def _text(element: _Element) -> str:
    """An element's text with ``<lb/>`` as a line break."""
    parts: list[str] = []
    for node in element.iter():
        if node is not element and node.tag == "lb":
            parts.append("\n")
        if node.text and node.tag != "graphic":
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


@dataclass(frozen=True)
class _Figure:
    """One image of the page, in page order: where it points, its caption and alt text."""

    src: str
    caption: str | None
    alt: str


@dataclass
class _Figures:
    """The page's images, each under a marker that trafilatura keeps in its place.

    A caption is found by the image's position, never by its ``src``: several figures may
    show one picture, and a lazy-loading page gives every image the same placeholder
    ``src`` (``data:...``) and the real one elsewhere (``data-src``, ``data-lazy-src``,
    ``srcset``, a ``<picture>``'s ``<source>``), which trafilatura does not all read.
    """

    found: list[_Figure] = field(default_factory=list)
    placed: set[int] = field(default_factory=set)

    def mark(self, tree: _Element) -> None:
        """Give each picture (an address trafilatura takes for an image file) and each
        image with a caption a marker address (``bilingual-figure-N.png``, which
        trafilatura keeps as the image's ``src``)."""
        from trafilatura.utils import is_image_file

        captioned: set[_Element] = set()
        for img in tree.iter("img"):
            figure = next(img.iterancestors("figure"), None)
            caption = figure.find(".//figcaption") if figure is not None else None
            text = " ".join(_text_content(caption).split()) if caption is not None else ""
            if figure is not None and text:
                # the caption goes with the figure's first image only: a second one is a
                # gallery's next picture or the <noscript> copy of a lazy one
                text = "" if figure in captioned else text
                captioned.add(figure)
            src = _image_address(img)
            if not text and not is_image_file(src):
                continue  # an icon, a tracking pixel: trafilatura drops it, as before
            marker = f"{_MARKER}{len(self.found)}.png"
            img.set("src", marker)
            img.set("data-src", marker)  # trafilatura reads data-src first
            self.found.append(_Figure(src, text or None, (img.get("alt") or "").strip()))

    def block(self, number: int, element: _Element) -> Block:
        """The block of one image trafilatura kept: its caption, else its alt text, else an
        image stub."""
        src = element.get("src") or ""
        index = src[len(_MARKER) : -len(".png")] if src.startswith(_MARKER) else ""
        if index.isdigit() and int(index) < len(self.found):
            self.placed.add(int(index))
            figure = self.found[int(index)]
        else:
            figure = _Figure(src, None, (element.get("alt") or "").strip())
        if figure.caption or figure.alt:
            return Block(number, figure.caption or figure.alt, "caption")
        return Block(number, f"![{figure.alt}]({figure.src})")

    def captions(self) -> set[str]:
        return {f.caption for f in self.found if f.caption}

    def unplaced(self, texts: set[str]) -> tuple[str, ...]:
        """A notice for each caption inside the article (between the first and the last
        image placed) that is not in the text: trafilatura dropped its image."""
        if not self.placed:
            return ()
        first, last = min(self.placed), max(self.placed)
        return tuple(
            f"the caption of image {n + 1} of the page was not placed (the extractor left "
            f"its image out of the main text): {_shorten(figure.caption)!r}"
            for n, figure in enumerate(self.found)
            if first < n < last
            and n not in self.placed
            and figure.caption
            and figure.caption not in texts
        )


_MARKER = "bilingual-figure-"
_LAZY = ("data-src", "data-lazy-src", "data-original", "data-srcset", "data-lazy-srcset")


def _text_content(element: _Element) -> str:
    return "".join(str(t) for t in element.itertext())


def _shorten(text: str | None, width: int = 80) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _first_url(srcset: str) -> str:
    """The first address of a ``srcset`` (``a.jpg 1x, b.jpg 2x`` -> ``a.jpg``)."""
    return srcset.strip().split(",")[0].strip().split(" ")[0] if srcset.strip() else ""


def _image_address(img: _Element) -> str:
    """Where an image really points: its ``src`` unless a placeholder (``data:...``), else
    the lazy-loading attributes, its ``srcset``, or its ``<picture>``'s first source."""
    candidates = [img.get("src") or ""]
    candidates += [_first_url(img.get(a) or "") for a in _LAZY]
    candidates.append(_first_url(img.get("srcset") or ""))
    parent = img.getparent()
    if parent is not None and parent.tag == "picture":
        candidates += [_first_url(s.get("srcset") or "") for s in parent.iter("source")]
    for candidate in candidates:
        if candidate.strip() and not candidate.strip().lower().startswith("data:"):
            return candidate.strip()
    return ""


def _blocks(body: _Element, figures: _Figures) -> Iterator[Block]:
    captions = figures.captions()
    number = 0
    for element in body:
        number += 1
        if element.tag == "graphic":
            yield figures.block(number, element)
        elif element.tag == "table":
            for row in element.iter("row"):
                cells = [" ".join(_text(c).split()) for c in row.iter("cell")]
                yield Block(number, "| " + " | ".join(cells) + " |")
                number += 1
        elif element.tag == "list":
            for item in element.iter("item"):
                yield Block(number, _text(item))
                yield Block(number, "", BREAK)
                number += 1
        else:
            text = _text(element)
            kind = "heading" if element.tag == "head" else "line"
            if " ".join(text.split()) in captions:
                kind = "caption"  # a figcaption trafilatura kept as text: once, as a caption
            for line in text.split("\n"):
                yield Block(number, line, kind)
            for inner in element.iter("graphic"):
                yield figures.block(number, inner)
        yield Block(number, "", BREAK)


def _check_size(path: Path, page: HtmlElement) -> None:
    """Refuse a page with too many elements, or one nested so deep that text was lost."""
    from lxml import etree

    elements = depth = deepest = 0
    for event, _ in etree.iterwalk(page, events=("start", "end")):
        if event == "start":
            elements += 1
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if elements > MAX_ELEMENTS:
        raise InputError(
            f"holds {elements:,} HTML elements (the limit is {MAX_ELEMENTS:,}; a news page has "
            "some thousands): it was not read",
            where=str(path),
            fix="save the article's own page again, or copy its text into a .txt file",
        )
    if deepest >= MAX_DEPTH:
        raise InputError(
            f"nests HTML elements {deepest} or more levels deep: the HTML parser drops what "
            "lies deeper, so text would be lost; it was not read",
            where=str(path),
            fix="save the article's own page again, or copy its text into a .txt file",
        )


def _source_url(page: HtmlElement) -> tuple[str | None, str | None]:
    for xpath, what in (
        ("//link[@rel='canonical']/@href", '<link rel="canonical">'),
        ("//meta[@property='og:url']/@content", '<meta property="og:url">'),
    ):
        found = [str(v).strip() for v in page.xpath(xpath) if str(v).strip()]
        if found:
            return found[0], what
    return None, None


def html_source(path: Path, data: bytes, encoding: str | None = None) -> Source:
    import trafilatura  # only a page needs it (and its date parser)
    from lxml import html as lxml_html

    decoded = decode_page(path, data, encoding)
    page = lxml_html.document_fromstring(decoded.text)
    _check_size(path, page)
    figures = _Figures()
    tree = trafilatura.load_html(decoded.text)  # as trafilatura parses it, to mark images
    if tree is not None:
        figures.mark(tree)
    extracted = trafilatura.bare_extraction(
        tree if tree is not None else decoded.text,
        include_images=True,
        include_tables=True,
        include_comments=False,
        # precision: on Arabic page layouts (tools/compare_html_extractors.py) it keeps
        # more paragraphs and lets in less of the sidebars; and the default mode takes a
        # short article (under 250 characters of main text) for a failure and falls back
        # to a baseline that runs the whole page into one paragraph
        favor_precision=True,
        with_metadata=True,
        deduplicate=False,
    )
    body = getattr(extracted, "body", None)
    blocks = tuple(_blocks(body, figures)) if body is not None else ()
    if not any(block.text.strip() for block in blocks):
        raise InputError(
            "has no main text: trafilatura found no article body in the page (it may be an "
            "index, a login or an error page, or a page built by JavaScript)",
            where=str(path),
            fix="save the article's own page again, or copy its text into a .txt file",
        )
    unplaced = figures.unplaced({" ".join(b.text.split()) for b in blocks})
    url, url_from = _source_url(page)
    return Source(
        blocks,
        "html",
        decoded.encoding,
        extractor=library_version("trafilatura"),
        source_url=url,
        source_url_from=url_from,
        title=getattr(extracted, "title", None) or None,
        date=getattr(extracted, "date", None) or None,
        notices=decoded.notices + unplaced,
    )
