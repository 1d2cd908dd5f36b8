"""Markdown articles (``.md``, ``.markdown``) through markdown-it-py (CommonMark + tables).

The parser, not patterns, finds the structure: headings and list items are paragraphs of
their own, emphasis markers go, a link keeps its text, inline code its content, a code
block its lines, an HTML block its text. Inside a paragraph each source line stays a
line (with its line number), so the cleaning rules of the text scrapes (noise lines,
``المصدر:`` source lines, caption rows, hard wrapping) apply to Markdown unchanged. An
image becomes the image-stub line ``![alt](src)``, dropped and listed like a scrape's;
a table row becomes ``| cell | cell |``, a caption row by the same rule as in the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from bilingual.errors import InputError
from bilingual.readers.base import BREAK, Block, Source, check_lines, library_version
from bilingual.readers.decode import decode

MAX_NESTING = 20
"""markdown-it's ``maxNesting`` (CommonMark's preset value): it silently skips blocks
that lie deeper, and its inline parsing takes time in proportion (50,000 ``[`` take 3 s
at 20, 40 s at 120)."""
MAX_DEPTH = MAX_NESTING - 2
"""The deepest block level read (quotes in lists in quotes ...; an article has two or
three): a file that goes deeper is refused at that line instead of losing the text.
Block levels grow by one or two at a time, so the check always runs before
:data:`MAX_NESTING` would cut."""


MAX_HTML_DEPTH = 250
"""The deepest nesting of an HTML block read: libxml2's HTML parser keeps 255 levels and
silently drops what lies deeper (as for a saved web page, bilingual.readers.html)."""


class _TooDeep(Exception):
    def __init__(self, line: int, what: str, fix: str) -> None:
        super().__init__(line)
        self.line = line
        self.what = what
        self.fix = fix


def _depth_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule tried before all others: raise where the nesting grows too deep."""
    if not silent and state.level >= MAX_DEPTH:
        raise _TooDeep(
            start + 1,
            f"nests quotes or lists too deep (over {MAX_DEPTH} levels of Markdown blocks)",
            "remove the extra > or list indentation at that line",
        )
    return False


def _image(token: Token) -> str:
    return f"![{token.content}]({token.attrGet('src') or ''})"


def _inline_lines(token: Token, first: int) -> Iterator[Block]:
    """The lines of an inline token as plain text; an image that shares its line with
    text gets a line of its own, so that the text keeps no markup and the stub is dropped."""
    number = first
    text: list[str] = []
    images: list[str] = []

    def line() -> Iterator[Block]:
        joined = "".join(text)
        if images and joined.strip(" |"):
            yield Block(number, " ".join(images))
            yield Block(number, joined)
        elif images:
            # "![]() |" as a scrape has it: one stub line, dropped as one
            yield Block(number, " ".join(images) + joined)
        else:
            yield Block(number, joined)

    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            yield from line()
            number, text, images = number + 1, [], []
        elif child.type in ("text", "code_inline"):
            text.append(child.content)
        elif child.type == "image":
            images.append(_image(child))
        # emphasis, links and inline HTML: their markers go, their text stays
    yield from line()


def _html_text(html: str, line: int) -> str:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml's parser errors are not one class; keep the raw text
        return html
    depth = deepest = 0
    for event, _ in etree.iterwalk(fragment, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    if deepest >= MAX_HTML_DEPTH:
        raise _TooDeep(
            line,
            f"holds HTML nested {deepest} or more levels deep (its parser drops what lies deeper)",
            "remove the HTML block at that line, or keep only its text",
        )
    return str(fragment.text_content())


def _one_line(token: Token, first: int) -> str:
    return " ".join(b.text for b in _inline_lines(token, first)).strip()


def _blocks(tokens: Sequence[Token]) -> Iterator[Block]:
    row: list[str] = []
    row_line = 0
    for i, token in enumerate(tokens):
        first = token.map[0] + 1 if token.map else 0
        if token.type == "inline" and tokens[i - 1].type == "heading_open":
            yield Block(first, _one_line(token, first), "heading")
            yield Block(first, "", BREAK)
        elif token.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            row.append(_one_line(token, first))
        elif token.type == "tr_open":
            row, row_line = [], first
        elif token.type == "tr_close":
            yield Block(row_line, "| " + " | ".join(row) + " |")
        elif token.type == "inline":
            yield from _inline_lines(token, first)
            yield Block(first, "", BREAK)
        elif token.type in ("fence", "code_block", "html_block"):
            html = token.type == "html_block"
            content = _html_text(token.content, first) if html else token.content
            for n, text in enumerate(content.splitlines(), start=first + (token.type == "fence")):
                yield Block(n, text)
            yield Block(first, "", BREAK)
        elif token.type == "hr":
            yield Block(first, "---")


def markdown_source(path: Path, data: bytes, encoding: str | None = None) -> Source:
    decoded = decode(path, data, encoding)
    # before the parser, whose time grows with each line
    check_lines(path, decoded.text.splitlines())
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    parser.enable("table").block.ruler.before("table", "depth_guard", _depth_guard)
    try:
        blocks = tuple(_blocks(parser.parse(decoded.text)))
    except _TooDeep as deep:
        raise InputError(
            f"{deep.what}: what lies deeper would be lost, so the file was not read",
            where=f"{path}:{deep.line}",
            fix=deep.fix,
        ) from None
    return Source(
        blocks,
        "markdown",
        decoded.encoding,
        extractor=library_version("markdown-it-py"),
        notices=decoded.notices,
    )
