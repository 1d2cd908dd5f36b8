"""Readers of the input forms: Markdown, saved web pages, Word files, legacy code pages.

Each form goes through the cleaning rules of the text scrapes; each bad input of its kind
is refused with a message naming the file and what to do.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from bilingual.document import Article
from bilingual.errors import InputError
from bilingual.ingest import read_article
from bilingual.readers.docx import OLE_MAGIC

ARTICLE = (
    "عقد الوزراء اجتماعا حول التعاون.\n"
    "وشارك في الاجتماع 1,000 مندوب.\n"
    "\n"
    "وقال الوزير إن الاتفاقية مهمة.\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def texts(article: Article) -> list[str]:
    return [p.text for p in article.paragraphs]


# --------------------------------------------------------------------------- Markdown


def test_markdown_lists_headings_emphasis_and_links_become_plain_paragraphs(
    tmp_path: Path,
) -> None:
    content = (
        "# اجتماع **الوزراء**\n"
        "\n"
        "عقد *الوزراء* اجتماعا حول [التعاون](https://example.org/t) يوم 12 مارس.\n"
        "\n"
        "- البند الأول من الاتفاقية.\n"
        "- البند الثاني `المهم` من الاتفاقية.\n"
        "\n"
        "1. النقطة الأولى\n"
        "2. النقطة الثانية\n"
        "\n"
        "![صورة](https://example.org/a.jpg)\n"
        "\n"
        "| الوزراء في الاجتماع (تصوير: سارة) |\n"
        "\n"
        "```\n"
        "نص برمجي محفوظ\n"
        "```\n"
        "\n"
        "المصدر: <https://example.org/news/1>\n"
    )
    article = read_article(write(tmp_path, "a.md", content))
    assert texts(article) == [
        "اجتماع الوزراء",
        "عقد الوزراء اجتماعا حول التعاون يوم 12 مارس.",
        "البند الأول من الاتفاقية.",
        "البند الثاني المهم من الاتفاقية.",
        "النقطة الأولى",
        "النقطة الثانية",
        "نص برمجي محفوظ",
    ]
    assert [p.lines for p in article.paragraphs][:3] == [(1, 1), (3, 3), (5, 5)]
    assert [(c.text, c.credit) for c in article.captions] == [
        ("الوزراء في الاجتماع", "تصوير: سارة")
    ]
    assert article.source_url == "https://example.org/news/1"
    assert [(r.line, r.kind) for r in article.removed] == [(11, "image-stub"), (19, "source-line")]
    assert article.input_format == "markdown" and (article.extractor or "").startswith(
        "markdown-it-py "
    )


def test_markdown_keeps_the_scrape_rules_line_by_line(tmp_path: Path) -> None:
    """A scrape saved as .md: its stub, caption row, hard wrapping and counter lines are
    one Markdown paragraph, and still read as the same lines of a .txt."""
    content = (
        "![]() |\n"
        "| الوزراء خلال الاجتماع. (تصوير: سارة أحمد) |\n"
        "وناقش المندوبون تبادل البيانات، ودعم التدريب\n"
        "للشرطة والقضاة.\n"
        "تعليق (0)\n"
    )
    md = read_article(write(tmp_path, "a.md", content))
    txt = read_article(write(tmp_path, "a.txt", content))
    assert (
        texts(md) == texts(txt) == ["وناقش المندوبون تبادل البيانات، ودعم التدريب للشرطة والقضاة."]
    )
    assert md.captions == txt.captions
    assert [(r.line, r.kind) for r in md.removed] == [(r.line, r.kind) for r in txt.removed]


# -------------------------------------------------------------------------- web pages

PAGE = """<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}
<title>الاجتماع | أخبار</title>{links}
<meta property="article:published_time" content="2025-03-12T10:00:00Z"></head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/w">العالم</a> <a href="/s">رياضة</a></nav></header>
<article>
<figure><img src="a.jpg" alt="">
<figcaption>الوزراء خلال الاجتماع. (تصوير: سارة أحمد)</figcaption></figure>
{body}
</article>
<div class="share">شارك <a href="#">تويتر</a> <a href="#">فيسبوك</a></div>
<aside><h3>أخبار ذات صلة</h3><ul><li><a href="/x">الرئيس يستقبل وفدا رفيع المستوى من الخارج</a></li>
<li><a href="/y">ارتفاع أسعار النفط في الأسواق العالمية اليوم</a></li></ul></aside>
<footer>جميع الحقوق محفوظة © 2025 أخبار اليوم</footer></body></html>"""

BODY = (
    "<p>عقد وزراء الداخلية اجتماعا حول التعاون في مكافحة الجرائم الإلكترونية يوم 12 مارس.</p>\n"
    "<p>وشارك في الاجتماع أكثر من 1,000 مندوب من 40 دولة. وافتتح الوزير الاجتماع صباح "
    "الثلاثاء.</p>\n"
    "<p>وقال الوزير إن <b>التعاون الدولي</b> ضروري لمكافحة الجرائم الإلكترونية.</p>"
)
CANONICAL = '<link rel="canonical" href="https://example.org/news/1">'


def page(body: str = BODY, meta: str = '<meta charset="utf-8">', links: str = CANONICAL) -> str:
    return PAGE.format(body=body, meta=meta, links=links)


def test_a_page_gives_its_main_text_caption_source_title_and_date(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "p.html", page()))
    assert texts(article) == [
        "عقد وزراء الداخلية اجتماعا حول التعاون في مكافحة الجرائم الإلكترونية يوم 12 مارس.",
        "وشارك في الاجتماع أكثر من 1,000 مندوب من 40 دولة. وافتتح الوزير الاجتماع صباح الثلاثاء.",
        "وقال الوزير إن التعاون الدولي ضروري لمكافحة الجرائم الإلكترونية.",
    ]
    joined = " ".join(texts(article))
    for furniture in ("الرئيسية", "ذات صلة", "الحقوق", "تويتر", "أسعار النفط"):
        assert furniture not in joined
    assert [(c.text, c.credit, c.after_paragraph) for c in article.captions] == [
        ("الوزراء خلال الاجتماع.", "تصوير: سارة أحمد", -1)
    ]
    assert article.source_url == "https://example.org/news/1"
    assert any('<link rel="canonical">' in n for n in article.notices)
    assert article.input_format == "html" and (article.extractor or "").startswith("trafilatura ")
    assert article.source_date == "2025-03-12"


def test_og_url_when_there_is_no_canonical_link_and_the_source_line_first(
    tmp_path: Path,
) -> None:
    og = '<meta property="og:url" content="https://example.org/og/2">'
    assert read_article(write(tmp_path, "og.html", page(links=og))).source_url == (
        "https://example.org/og/2"
    )
    cited = BODY + "\n<p>المصدر: https://example.org/cited</p>"
    article = read_article(write(tmp_path, "cited.html", page(body=cited)))
    assert article.source_url == "https://example.org/cited"
    assert not any("canonical" in n for n in article.notices)


def test_a_page_with_no_main_text_is_refused(tmp_path: Path) -> None:
    empty = (
        "<html><head><title>x</title></head><body><nav><a href='/'>الرئيسية</a></nav></body></html>"
    )
    with pytest.raises(InputError, match="has no main text") as err:
        read_article(write(tmp_path, "index.html", empty))
    assert "index.html" in str(err.value)


def test_a_page_in_english_is_refused(tmp_path: Path) -> None:
    english = (
        "<p>The interior ministers met in the capital on 12 March to discuss cooperation "
        "against cybercrime.</p><p>More than 1,000 delegates from 40 countries attended the "
        "meeting, which the minister opened on Tuesday morning.</p>"
    )
    with pytest.raises(InputError, match="not Arabic") as err:
        read_article(write(tmp_path, "english.htm", page(body=english)))
    assert "english.htm" in str(err.value)


def test_a_meta_charset_that_lies_is_caught(tmp_path: Path) -> None:
    # says windows-1256, is UTF-8: read as UTF-8
    says_1256 = page(meta='<meta charset="windows-1256">').encode("utf-8")
    article = read_article(write(tmp_path, "a.html", says_1256))
    assert article.encoding == "utf-8" and "عقد وزراء" in texts(article)[0]
    assert any('says "cp1256"' in n and "UTF-8" in n for n in article.notices)
    # says UTF-8, is Windows-1256: read in the Arabic code page, with a notice
    says_utf8 = page(meta='<meta charset="utf-8">').encode("cp1256")
    article = read_article(write(tmp_path, "b.html", says_utf8))
    assert article.encoding == "windows-1256" and "عقد وزراء" in texts(article)[0]
    assert any('says "utf-8"' in n for n in article.notices)
    # says ISO-8859-6 through http-equiv, has bytes that are no character there
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'
    says_8859 = page(meta=equiv).encode("utf-8")
    article = read_article(write(tmp_path, "c.html", says_8859))
    assert article.encoding == "utf-8" and any("invalid there" in n for n in article.notices)


def test_a_damaged_utf8_page_is_refused_not_read_in_a_code_page(tmp_path: Path) -> None:
    data = page().encode("utf-8")
    at = data.index("وشارك".encode())
    with pytest.raises(InputError, match="damaged") as err:
        read_article(write(tmp_path, "d.html", data[:at] + b"\xff" + data[at:]))
    assert "d.html" in str(err.value) and "1256" not in str(err.value)


def test_a_declared_charset_that_is_true_is_used(tmp_path: Path) -> None:
    data = page(meta='<meta charset="windows-1256">').encode("cp1256")
    article = read_article(write(tmp_path, "e.html", data))
    assert article.encoding == "windows-1256" and article.notices == (
        'source URL from the page\'s <link rel="canonical">',
    )


# -------------------------------------------------------------------------- Word files


def _rtl_paragraph(document: docx.document.Document, text: str, style: str | None = None) -> None:
    paragraph = document.add_paragraph(text, style=style)
    paragraph.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _docx_bytes() -> bytes:
    document = docx.Document()
    _rtl_paragraph(document, "اجتماع الوزراء", style="Heading 1")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "الوزراء خلال الاجتماع. (تصوير: سارة أحمد)"
    _rtl_paragraph(document, "عقد الوزراء اجتماعا حول التعاون يوم 12 مارس.")
    _rtl_paragraph(document, "وقال الوزير إن الاتفاقية مهمة.")
    _rtl_paragraph(document, "المصدر: https://example.org/news/3")
    _rtl_paragraph(document, "تعليق (0)")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_gives_paragraphs_in_order_and_table_rows_as_captions(
    tmp_path: Path,
) -> None:
    article = read_article(write(tmp_path, "w.docx", _docx_bytes()))
    assert texts(article) == [
        "اجتماع الوزراء",
        "عقد الوزراء اجتماعا حول التعاون يوم 12 مارس.",
        "وقال الوزير إن الاتفاقية مهمة.",
    ]
    assert [(c.text, c.credit, c.after_paragraph) for c in article.captions] == [
        ("الوزراء خلال الاجتماع.", "تصوير: سارة أحمد", 0)
    ]
    assert article.source_url == "https://example.org/news/3"
    assert sorted(r.kind for r in article.removed) == ["counter", "empty-row", "source-line"]
    assert article.input_format == "docx" and (article.extractor or "").startswith("python-docx ")


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (_zip({"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<x/>"}), "Excel workbook"),
        (_zip({"photos/a.jpg": b"\xff\xd8\xff", "notes.txt": b"x"}), "photos/a.jpg"),
        (b"PK\x03\x04 not really a zip", "not a ZIP archive"),
    ],
    ids=["xlsx", "photos", "truncated"],
)
def test_a_docx_that_is_a_zip_of_something_else_is_refused(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    with pytest.raises(InputError, match="not a Word document") as err:
        read_article(write(tmp_path, "fake.docx", content))
    assert expected in str(err.value) and "fake.docx" in str(err.value)


def test_a_password_protected_docx_is_refused_with_how_to_remove_the_password(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError, match="password-protected") as err:
        read_article(write(tmp_path, "secret.docx", OLE_MAGIC + bytes(504)))
    assert "secret.docx" in str(err.value) and "remove the password" in str(err.value)


def test_an_old_doc_is_refused_with_the_conversion_command(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"old binary Word document \(\.doc\)") as err:
        read_article(write(tmp_path, "old.doc", OLE_MAGIC + bytes(504)))
    assert "soffice --headless --convert-to docx old.doc" in str(err.value)
    with pytest.raises(InputError, match=r"named \.doc but is not a Word document"):
        read_article(write(tmp_path, "text.doc", "عقد الوزراء اجتماعا."))
    # a DOCX renamed .doc is read as what it is
    assert texts(read_article(write(tmp_path, "renamed.doc", _docx_bytes())))[0] == "اجتماع الوزراء"


# ----------------------------------------------------------------- legacy code pages


@pytest.mark.parametrize(
    ("codec", "name"), [("cp1256", "windows-1256"), ("iso8859_6", "iso-8859-6")]
)
def test_an_arabic_code_page_is_decoded_with_a_notice(
    tmp_path: Path, codec: str, name: str
) -> None:
    article = read_article(write(tmp_path, "legacy.txt", ARTICLE.encode(codec)))
    assert texts(article) == texts(read_article(write(tmp_path, "u.txt", ARTICLE)))
    assert article.encoding == name
    assert any(n.startswith(f"decoded as {name}") for n in article.notices)


def test_encoding_forces_a_codec_and_a_wrong_one_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "forced.txt", ARTICLE.encode("cp1256"))
    assert read_article(path, "cp1256").encoding == "windows-1256"
    with pytest.raises(InputError, match=r"is not valid utf-8 \(given with --encoding\)") as err:
        read_article(path, "utf-8")
    assert "forced.txt:1" in str(err.value)
    with pytest.raises(InputError, match="not an encoding"):
        read_article(path, "no-such-codec")


def test_a_file_in_no_arabic_code_page_is_still_refused(tmp_path: Path) -> None:
    content = "Le ministre a dit:\nla coopération est nécessaire.\n".encode("latin-1")
    with pytest.raises(InputError, match="Latin-1") as err:
        read_article(write(tmp_path, "latin.txt", content))
    assert "iconv -f LATIN1 -t UTF-8" in str(err.value)


def test_a_utf8_bom_page_ignores_its_meta(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + page(meta='<meta charset="windows-1256">').encode("utf-8")
    article = read_article(write(tmp_path, "bom.html", data))
    assert article.encoding == "utf-8-sig" and "عقد وزراء" in texts(article)[0]
