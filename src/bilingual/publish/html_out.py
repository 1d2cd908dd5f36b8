"""The reader's edition as one self-contained HTML file, and reading such a file back.

:func:`write_html` renders a :class:`~bilingual.publish.edition.Publication` (one article
or the day's digest) and nothing else. The document is built as an lxml tree, never by
joining strings, so every text and attribute is escaped by the serializer: a sentence
that reads ``<script>`` stays text. The file needs nothing beside it: the style sheet is
inline (:mod:`bilingual.publish.html_style`), there is no script, no image and no link
out but the article's own source, when that is a web address.

Languages: ``<html lang>`` is the translation's language and every element in another
language says so (``lang="ar" dir="rtl"`` on Arabic, ``lang="en"`` on the English labels
and colophon of a Vietnamese edition), so a screen reader switches voice and the browser
lays Arabic out right to left. A credit or source line as the article printed it is
tagged by its first strong character (it may be Arabic or Latin).

Structure: ``header`` (a digest's cover, the test-model notice), ``nav`` (a digest's
table of contents, in-page links), ``main`` (the legend of the machine mark when there is
a machine sentence, then one ``article`` per edition: title, source and date, paragraphs,
captions as ``figure``/``figcaption``, a colophon ``footer``), then the page's ``footer``.
Headings run in order: ``h1`` for the page, ``h2`` for a digest's articles, one level
below for the colophon.

:func:`read_blocks` parses a written file back with ``lxml.html`` into
:class:`~bilingual.publish.edition.Block` s, what ``publish`` checks: each block element's
own text (nested blocks are blocks of their own), its effective ``lang`` and direction
inherited from its ancestors, and its kind, the first class this module gives it
(:data:`KINDS`) or one from its tag.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from bilingual._fs import write_bytes_atomically
from bilingual.errors import printable
from bilingual.lang import LANGUAGES, language_name
from bilingual.publish.edition import (
    MACHINE_LEGEND,
    MACHINE_MARK,
    Block,
    Colophon,
    Edition,
    Publication,
    PublishedParagraph,
)
from bilingual.publish.html_style import CSS

LABELS = "en"
"""The language of the file's own words (labels, colophon, legend), as in the briefing."""
MARK_NAME = "Machine translation, not reviewed:"
"""What a screen reader says for :data:`MACHINE_MARK` (the glyph alone says nothing)."""
KINDS = frozenset(
    {"heading", "text", "caption", "credit", "meta", "label", "legend", "notice"}
    | {"colophon", "toc", "cover", "page-footer"}
)
"""Block kinds :func:`read_blocks` reports from the class this module writes."""
BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "figcaption", "td", "th"}
    | {"caption", "blockquote", "pre", "div"}
)
_UNSEEN = frozenset({"head", "script", "style", "template"})
_TAG_KINDS = {"figcaption": "caption", "li": "item", "td": "cell", "th": "cell"}
_SPACES = re.compile("[ \t\n\r\f]+")  # what HTML collapses (not a no-break space)
_RTL_CLASSES = frozenset({"R", "AL"})
_LTR_CLASSES = frozenset({"L"})

Attrs = dict[str, str]


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A child ``tag`` of ``parent`` holding ``text``; ``cls`` is written ``class``."""
    if "cls" in attrs:
        attrs["class"] = attrs.pop("cls")
    child = etree.SubElement(parent, tag, {k: printable(v) for k, v in attrs.items()})
    if text:
        child.text = printable(text)
    return child


def _append_text(parent: etree._Element, text: str) -> None:
    """Add ``text`` after the last child of ``parent`` (its tail), or as its text."""
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + printable(text)
    else:
        parent.text = (parent.text or "") + printable(text)


def _set_text_after(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    """Put ``text`` after ``last``, a child of ``parent`` (or first in it when None)."""
    if not text:
        return
    if last is None:
        parent.text = printable(text)
    else:
        last.tail = printable(text)


def _rtl(lang: str) -> bool:
    known = LANGUAGES.get(lang)
    return known is not None and known.rtl


def _lang_attrs(lang: str, inherited: str) -> Attrs:
    """``lang`` and ``dir`` for an element in ``lang`` inside one in ``inherited``."""
    if lang == inherited:
        return {}
    return {"lang": lang, "dir": "rtl" if _rtl(lang) else "ltr"}


def _first_strong_rtl(text: str) -> bool | None:
    """Whether the first strongly directional character of ``text`` runs right to left
    (what ``dir="auto"`` decides by); None when it has none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_CLASSES:
            return True
        if kind in _LTR_CLASSES:
            return False
    return None


def _printed_attrs(text: str, source_lang: str, inherited: str) -> Attrs:
    """Attributes for text as the article printed it (a credit, a source line): in the
    source's language when its first strong character runs that way, else isolated."""
    if _first_strong_rtl(text) and _rtl(source_lang):
        return _lang_attrs(source_lang, inherited) or {"dir": "rtl"}
    return {"dir": "auto"}


def _web_address(source: str) -> str | None:
    """``source`` when it is an http(s) address a reader can follow, else None."""
    text = source.strip()
    if any(ch.isspace() for ch in text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _day(stamp: str) -> str:
    """The ISO day of an ISO date-time (language-neutral), or the text as it came."""
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else stamp


def _time(parent: etree._Element, stamp: str) -> None:
    attrs = {"datetime": stamp} if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else {}
    _add(parent, "time", _day(stamp), **attrs)


class _Page:
    """Builds one publication's document; every method appends to the tree in order."""

    def __init__(self, publication: Publication) -> None:
        self.pub = publication
        self.lang = publication.target_lang
        self.labels = _lang_attrs(LABELS, self.lang)
        self.digest = publication.digest is not None
        self.heading = 2 if self.digest else 1
        self.side_by_side = publication.layout == "side-by-side"

    def document(self) -> etree._Element:
        html = etree.Element(
            "html", {"lang": self.lang, "dir": "rtl" if _rtl(self.lang) else "ltr"}
        )
        head = _add(html, "head")
        _add(head, "meta", charset="utf-8")
        _add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        _add(head, "title", self.title())
        _add(head, "style", CSS)
        classes = ["digest" if self.digest else "single", self.pub.layout]
        body = _add(html, "body", cls=" ".join(classes))
        self.page_header(body)
        if self.digest:
            self.contents(body)
        main = _add(body, "main")
        if self.pub.has_machine_text:
            _add(main, "p", MACHINE_LEGEND, cls="legend", role="note", **self.labels)
        for n, edition in enumerate(self.pub.editions, 1):
            self.article(main, edition, n)
        versions = sorted({e.colophon.tool_version for e in self.pub.editions})
        footer = _add(body, "footer")
        words = f"Translated by machine with bilingual {', '.join(versions)}; see each colophon."
        _add(footer, "p", words, cls="page-footer", **self.labels)
        return html

    def title(self) -> str:
        if not self.digest:
            return self.pub.editions[0].title
        parts = [self.pub.digest or "", self.pub.desk, _day(self.pub.date)]
        return " \u2014 ".join(p for p in parts if p)

    def page_header(self, body: etree._Element) -> None:
        notices = list(
            dict.fromkeys(n for e in self.pub.editions if (n := e.colophon.test_model_notice))
        )
        if not (self.digest or notices):
            return
        header = _add(body, "header")
        for notice in notices:
            _add(header, "p", notice, cls="notice", role="note", **self.labels)
        if not self.digest:
            return
        cover = _add(header, "div", cls="cover")
        _add(cover, "h1", self.pub.digest, cls="heading", dir="auto")
        if self.pub.desk:
            _add(cover, "p", self.pub.desk, cls="cover desk", dir="auto")
        if self.pub.date:
            _time(_add(cover, "p", cls="cover date"), self.pub.date)

    def contents(self, body: etree._Element) -> None:
        nav = _add(body, "nav", cls="toc", **{"aria-labelledby": "contents"}, **self.labels)
        _add(nav, "h2", "Contents", id="contents", cls="heading")
        items = _add(nav, "ol")
        for n, edition in enumerate(self.pub.editions, 1):
            item = _add(items, "li", cls="toc", **_lang_attrs(self.lang, LABELS))
            _add(item, "a", edition.title, href=f"#article-{n}")

    def article(self, main: etree._Element, edition: Edition, n: int) -> None:
        heading = f"article-{n}-title"
        article = _add(main, "article", id=f"article-{n}", **{"aria-labelledby": heading})
        header = _add(article, "header")
        _add(header, f"h{self.heading}", edition.title, id=heading, cls="heading")
        source_lang = _lang_attrs(edition.source_lang, self.lang)
        _add(header, "p", edition.source_title, cls="heading source-title", **source_lang)
        self.meta(header, edition)
        if self.side_by_side:
            labels = _add(article, "div", cls="pair labels")
            _add(labels, "p", language_name(edition.target_lang), cls="label", **self.labels)
            name = f"{language_name(edition.source_lang)} (original)"
            _add(labels, "p", name, cls="label", **self.labels)
        for paragraph in edition.paragraphs:
            if paragraph.kind == "caption":
                self.caption(article, paragraph, edition)
            elif paragraph.sentences:
                self.paragraph(article, paragraph, edition, "text")
        self.colophon(article, edition.colophon)

    def meta(self, header: etree._Element, edition: Edition) -> None:
        if edition.source:
            line = _add(header, "p", "Source: ", cls="meta", **self.labels)
            address = _web_address(edition.source)
            attrs = _printed_attrs(edition.source, edition.source_lang, LABELS)
            if address is not None:
                _add(line, "a", edition.source, href=address, dir="ltr")
            else:
                _add(line, "span", edition.source, **attrs)
        line = _add(header, "p", "Translated ", cls="meta", **self.labels)
        _time(line, edition.date)

    def paragraph(
        self, parent: etree._Element, paragraph: PublishedParagraph, edition: Edition, kind: str
    ) -> None:
        """The translation's paragraph, and beside it the source's when side by side."""
        holder = _add(parent, "div", cls="pair") if self.side_by_side else parent
        self.translation(_add(holder, "p", cls=kind), paragraph)
        if self.side_by_side:
            source = " ".join(s.source for s in paragraph.sentences)
            attrs = _lang_attrs(edition.source_lang, self.lang)
            _add(holder, "p", source, cls=kind, **attrs)

    def translation(self, p: etree._Element, paragraph: PublishedParagraph) -> None:
        """The sentences, space-joined; one nobody reviewed starts with the mark."""
        # the text between two marked sentences is joined once and set once, after the
        # span before it (tracked here: lxml's len() and [-1] walk the children), so a
        # paragraph of thousands of sentences takes time in proportion to its length
        runs: list[str] = []
        last: etree._Element | None = None
        for i, sentence in enumerate(paragraph.sentences):
            if i:
                runs.append(" ")
            if not sentence.machine:
                runs.append(sentence.text)
                continue
            _set_text_after(p, last, "".join(runs))
            runs.clear()
            last = _add(p, "span", cls="machine")
            mark = _add(last, "span", MACHINE_MARK, cls="mark", role="img")
            mark.set("aria-label", MARK_NAME)
            # a no-break space: the mark never ends a line apart from its sentence
            mark.tail = printable("\u00a0" + sentence.text)
        _set_text_after(p, last, "".join(runs))

    def caption(
        self, article: etree._Element, paragraph: PublishedParagraph, edition: Edition
    ) -> None:
        figure = _add(article, "figure", cls="caption")
        caption = _add(figure, "figcaption")
        if paragraph.sentences:
            self.paragraph(caption, paragraph, edition, "caption")
        if paragraph.credit:
            attrs = _printed_attrs(paragraph.credit, edition.source_lang, self.lang)
            _add(caption, "p", paragraph.credit, cls="credit", **attrs)

    def colophon(self, article: etree._Element, colophon: Colophon) -> None:
        footer = _add(article, "footer", cls="colophon", **self.labels)
        _add(footer, f"h{self.heading + 1}", "About this translation", cls="heading")
        if colophon.test_model_notice:
            _add(footer, "p", colophon.test_model_notice, cls="notice", role="note")
        terms = _add(footer, "dl")
        entry = self._entry(terms, "Translated by")
        entry.text = printable(f"machine, with bilingual {colophon.tool_version}")
        _add(self._entry(terms, "Run signature"), "code", colophon.signature)
        if colophon.licences:
            models = _add(self._entry(terms, "Models and licences"), "ul")
            for licence in colophon.licences:
                _add(models, "li", licence, cls="colophon")
        reviewers = self._entry(terms, "Reviewed by")
        if not colophon.reviewers:
            reviewers.text = "no reviewer recorded"
        for n, reviewer in enumerate(colophon.reviewers):
            _append_text(reviewers, "; " if n else "")
            count = f"{reviewer.sentences} sentence{'s' if reviewer.sentences != 1 else ''}"
            # isolated: an Arabic name must not reorder the English words around it
            _add(reviewers, "bdi", reviewer.name)
            _append_text(reviewers, f" ({count}, latest ")
            _time(reviewers, reviewer.last_at)
            _append_text(reviewers, ")")
        glossary = self._entry(terms, "Glossary")
        if colophon.glossary:
            _add(glossary, "code", colophon.glossary)
        else:
            glossary.text = "none"

    @staticmethod
    def _entry(terms: etree._Element, label: str) -> etree._Element:
        _add(terms, "dt", label, cls="colophon")
        return _add(terms, "dd", cls="colophon")


def render_html(publication: Publication) -> bytes:
    """The publication as one HTML5 document (UTF-8)."""
    if not publication.editions:
        raise ValueError("a publication holds at least one edition")
    root = _Page(publication).document()
    body: bytes = lxml.html.tostring(
        root, doctype="<!DOCTYPE html>", encoding="utf-8", method="html"
    )
    return body + b"\n"


def write_html(publication: Publication, path: Path) -> None:
    """Write ``publication`` to ``path`` atomically (whole or not at all)."""
    data = render_html(publication)
    write_bytes_atomically(path, data, what="the HTML edition")


def _kind(element: etree._Element) -> str:
    for name in (element.get("class") or "").split():
        if name in KINDS:
            return name
    tag = str(element.tag)
    return "heading" if re.fullmatch(r"h[1-6]", tag) else _TAG_KINDS.get(tag, "text")


def read_blocks(path: Path) -> list[Block]:
    """Every block element's own text in ``path``, in document order, with the language
    and direction it has where it stands (nearest ``lang``/``dir`` up the tree)."""
    # UTF-8 whatever the file declares: write_html writes nothing else
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    root = lxml.html.document_fromstring(path.read_bytes(), parser=parser)
    found: list[tuple[Block, list[str]]] = []
    # one entry per open element: its lang, its direction, the block its text goes to
    open_: list[tuple[str | None, bool | None, int | None]] = [(None, None, None)]
    skip = 0  # inside head, script or style: no reader sees that text
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "end":
            skip -= tag in _UNSEEN
            open_.pop()
            into = open_[-1][2]
            if into is not None and element.tail and not skip:
                found[into][1].append(element.tail)
            continue
        skip += tag in _UNSEEN
        lang, rtl, into = open_[-1]
        lang = element.get("lang") or lang
        direction = (element.get("dir") or "").lower()
        if direction in ("rtl", "ltr"):
            rtl = direction == "rtl"
        elif direction == "auto":
            strong = _first_strong_rtl(element.text_content())
            rtl = rtl if strong is None else strong
        if tag in BLOCK_TAGS and not skip:
            into = len(found)
            found.append((Block("", lang, rtl, _kind(element)), []))
        open_.append((lang, rtl, into))
        if into is not None and element.text and tag and not skip:
            found[into][1].append(element.text)
    return [
        Block(text, block.lang, block.rtl, block.kind)
        for block, parts in found
        if (text := _SPACES.sub(" ", "".join(parts)).strip())
    ]
