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


def _figures(page: HtmlElement) -> dict[str, tuple[str | None, str]]:
    """Image ``src`` -> (its figure's caption or None, its ``alt``)."""
    out: dict[str, tuple[str | None, str]] = {}
    for img in page.iter("img"):
        src = img.get("src") or ""
        figure = next((a for a in img.iterancestors("figure")), None)
        caption = figure.find(".//figcaption") if figure is not None else None
        text = caption.text_content().strip() if caption is not None else None
        out.setdefault(src, (text or None, (img.get("alt") or "").strip()))
    return out


def _graphic(number: int, element: _Element, figures: dict[str, tuple[str | None, str]]) -> Block:
    src = element.get("src") or ""
    caption, alt = figures.get(src, (None, element.get("alt") or ""))
    if caption or alt:
        return Block(number, caption or alt, "caption")
    return Block(number, f"![{alt}]({src})")


def _blocks(body: _Element, figures: dict[str, tuple[str | None, str]]) -> Iterator[Block]:
    captions = {caption for caption, _ in figures.values() if caption}
    number = 0
    for element in body:
        number += 1
        if element.tag == "graphic":
            yield _graphic(number, element, figures)
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
                yield _graphic(number, inner, figures)
        yield Block(number, "", BREAK)


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
    extracted = trafilatura.bare_extraction(
        decoded.text,
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
    blocks = tuple(_blocks(body, _figures(page))) if body is not None else ()
    if not any(block.text.strip() for block in blocks):
        raise InputError(
            "has no main text: trafilatura found no article body in the page (it may be an "
            "index, a login or an error page, or a page built by JavaScript)",
            where=str(path),
            fix="save the article's own page again, or copy its text into a .txt file",
        )
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
        notices=decoded.notices,
    )
