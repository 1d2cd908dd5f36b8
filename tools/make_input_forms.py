"""Build the HTML, DOCX and Markdown forms of plain-text articles, as people receive them.

Each ``.txt`` article is read and cleaned by bilingual itself; its paragraphs, captions,
source URL and repeated paragraphs are then written as

* ``NAME.html``: a saved news page with a site's furniture around the article (menu,
  share buttons, related links, a comments counter, a footer), the captions as
  ``<figure>``/``<figcaption>``, the source URL as ``<link rel="canonical">``;
* ``NAME.docx``: right-to-left Word paragraphs, a picture, the captions as one-cell
  table rows, the source line and a comments counter as the scrape had them;
* ``NAME.md``: Markdown with bold and links in the text, an image, list items, an
  autolinked source line.

Each form must read back into the same cleaned paragraphs, captions and source URL as the
``.txt`` (``tests/test_input_forms.py``); ``bench/inputs.py`` times the readers on them.

    python tools/make_input_forms.py input/*.txt --out /tmp/forms [--forms html,docx,md]
"""

from __future__ import annotations

import argparse
import html
import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from bilingual.document.article import Article
from bilingual.ingest import read_article

FORMS = ("html", "docx", "md")


def _png() -> bytes:
    """A 1x1 grey PNG, so that the Word file holds a real picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def _items(article: Article) -> Iterator[tuple[str, str, str | None]]:
    """The article in reading order: ``("p", text, None)``, ``("caption", text, credit)``,
    ``("image", "", None)``; repeats and the source line at the end, as scrapes have them."""
    yield ("image", "", None)
    for caption in article.captions:
        if caption.after_paragraph < 0:
            yield ("caption", caption.text, caption.credit)
    for paragraph in article.paragraphs:
        yield ("p", paragraph.text, None)
        for caption in article.captions:
            if caption.after_paragraph == paragraph.index:
                yield ("caption", caption.text, caption.credit)
    for repeat in article.repeats:
        yield ("p", article.paragraphs[repeat.paragraph].text, None)
    if article.source_url:
        yield ("source", article.source_url, None)


def _caption_text(text: str, credit: str | None) -> str:
    return f"{text} ({credit})" if credit else text


_FURNITURE_TOP = """<header class="site"><a class="logo" href="/">أخبار اليوم</a>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
<li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li>
<li><a href="/tech">تكنولوجيا</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">الرئيسية</a> &gt; <a href="/world">العالم</a></div>"""

_FURNITURE_BOTTOM = """<div class="share"><span>شارك</span> <a href="#tw">تويتر</a>
<a href="#fb">فيسبوك</a> <a href="#wa">واتساب</a></div>
<section class="comments"><h3>تعليقات (0)</h3><p>لا توجد تعليقات بعد.</p></section>
<aside class="related"><h3>أخبار ذات صلة</h3><ul>
<li><a href="/news/1">الرئيس يستقبل وفدا رفيع المستوى في القصر الجمهوري</a></li>
<li><a href="/news/2">ارتفاع أسعار النفط في الأسواق العالمية للأسبوع الثالث</a></li>
<li><a href="/news/3">المنتخب الوطني يفوز في مباراة ودية استعدادا للبطولة</a></li></ul></aside>"""

_FOOTER = """<footer><p>جميع الحقوق محفوظة © 2025 أخبار اليوم</p>
<a href="/about">من نحن</a> <a href="/contact">اتصل بنا</a> <a href="/privacy">الخصوصية</a>
</footer>"""


def to_html(article: Article) -> str:
    esc = html.escape
    body: list[str] = []
    images = 0
    for kind, text, credit in _items(article):
        if kind == "p":
            body.append(f"<p>{esc(text)}</p>")
        elif kind == "source":
            body.append(f"<p>المصدر: {esc(text)}</p>")
        else:
            images += 1
            img = f'<img src="/img/{article.name}-{images}.jpg" alt="">'
            cap = _caption_text(text, credit)
            body.append(
                f"<figure>{img}<figcaption>{esc(cap)}</figcaption></figure>"
                if kind == "caption"
                else f"<figure>{img}</figure>"
            )
    url = esc(article.source_url or f"https://example.org/news/{article.name}")
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">\n'
        f"<title>{esc(article.name)} | أخبار اليوم</title>\n"
        f'<link rel="canonical" href="{url}">\n<meta property="og:url" content="{url}">\n'
        '<meta property="article:published_time" content="2025-10-25T09:00:00+03:00">\n'
        f"</head><body>\n{_FURNITURE_TOP}\n<main><article>\n"
        + "\n".join(body)
        + f"\n</article>\n{_FURNITURE_BOTTOM}\n</main>\n{_FOOTER}\n</body></html>\n"
    )


def _rtl(paragraph: object) -> None:
    """Mark a python-docx paragraph and its runs right-to-left, as Word saves Arabic."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    assert isinstance(paragraph, Paragraph)
    paragraph.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def to_docx(article: Article, out: Path) -> None:
    import io

    import docx

    document = docx.Document()
    document.core_properties.title = article.name
    for kind, text, credit in _items(article):
        if kind == "image":
            document.add_picture(io.BytesIO(_png()))
        elif kind == "caption":
            table = document.add_table(rows=1, cols=1)
            table.cell(0, 0).text = _caption_text(text, credit)
        else:
            _rtl(document.add_paragraph(f"المصدر: {text}" if kind == "source" else text))
    _rtl(document.add_paragraph("تعليق (0)"))
    document.save(str(out))


_ESCAPE = re.compile(r"([\\`*_\[\]<>#|!~&])")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")


def _md_escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    # a line starting like a list item, a numbered item or a heading rule must not be one
    return re.sub(r"^([-+=]|\d+[.)])", lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def _md_paragraph(text: str, index: int) -> str:
    """The paragraph with its first plain Arabic word bold and its second one a link."""
    words = [_md_escape(w) for w in text.split(" ")]
    plain = [i for i, w in enumerate(text.split(" ")) if _ARABIC_WORD.match(w)]
    if plain:
        words[plain[0]] = f"**{words[plain[0]]}**"
    if len(plain) > 1:
        words[plain[1]] = f"[{words[plain[1]]}](https://example.org/tag/{index})"
    return " ".join(words)


def to_markdown(article: Article) -> str:
    out: list[str] = []
    items = list(_items(article))
    last_p = max(i for i, item in enumerate(items) if item[0] == "p")
    for i, (kind, text, credit) in enumerate(items):
        if kind == "image":
            out.append(f"![صورة](https://example.org/img/{article.name}.jpg)")
        elif kind == "caption":
            out.append(f"| {_md_escape(_caption_text(text, credit))} |")
        elif kind == "source":
            out.append(f"المصدر: <{text}>")
        elif i == last_p:
            out.append(f"- {_md_paragraph(text, i)}")  # a list item is a paragraph too
        else:
            out.append(_md_paragraph(text, i))
    out.append("تعليق (0)")
    return "\n\n".join(out) + "\n"


def write_forms(source: Path, out: Path, forms: Sequence[str] = FORMS) -> list[Path]:
    """The forms of the article ``source`` in ``out``, named after it."""
    article = read_article(source)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for form in forms:
        target = out / f"{source.stem}.{form}"
        if form == "html":
            target.write_text(to_html(article), encoding="utf-8")
        elif form == "md":
            target.write_text(to_markdown(article), encoding="utf-8")
        elif form == "docx":
            to_docx(article, target)
        else:
            raise ValueError(f"unknown form {form!r}: use {', '.join(FORMS)}")
        written.append(target)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("articles", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--forms", default=",".join(FORMS))
    args = ap.parse_args()
    for source in args.articles:
        for path in write_forms(source, args.out, args.forms.split(",")):
            print(path)


if __name__ == "__main__":
    main()
