"""The HTML edition, read back with lxml: every sentence once and in order, in the right
language and direction, nothing that runs or loads from elsewhere, and hostile text kept
as text. What a browser makes of it is tests/test_publish_browser.py."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from briefing_factory import CAPTION_CREDIT, SOURCE_URL
from publication_samples import TEST_NOTICE, digest, edition, publication

from bilingual.errors import OutputError
from bilingual.publish.edition import (
    MACHINE_LEGEND,
    MACHINE_MARK,
    Block,
    Edition,
    Publication,
    PublishedParagraph,
    PublishedSentence,
    Reviewer,
)
from bilingual.publish.html_out import MARK_NAME, read_blocks, render_html, write_html

HOSTILE = '</p><script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" <b>'


def _write(tmp_path: Path, pub: Publication, name: str = "edition.html") -> Path:
    path = tmp_path / name
    write_html(pub, path)
    return path


def _tree(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def _body_blocks(blocks: list[Block], lang: str) -> list[Block]:
    return [b for b in blocks if b.kind in ("text", "caption") and b.lang == lang]


def _in_order(texts: list[str], whole: str) -> None:
    """Each of ``texts`` occurs in ``whole`` exactly once, one after the other."""
    at = 0
    for text in texts:
        assert whole.count(text) == 1, f"{text!r} is there {whole.count(text)} times"
        found = whole.find(text, at)
        assert found >= at, f"{text!r} is out of order"
        at = found + len(text)


def _sentences(e: Edition) -> list[PublishedSentence]:
    return e.sentences()


def test_every_sentence_once_in_order_in_the_translation_alone(tmp_path: Path) -> None:
    e = edition()
    blocks = read_blocks(_write(tmp_path, publication(e)))
    whole = "\n".join(b.text for b in blocks)
    _in_order([s.text for s in _sentences(e)], whole)
    assert [s.text for s in _sentences(e)] == [
        t for b in _body_blocks(blocks, "en") for t in _split(b.text, e)
    ]
    # the translation alone: the Arabic shows only as the title under the title
    arabic = [b for b in blocks if b.lang == "ar"]
    assert [(b.text, b.kind) for b in arabic if b.kind != "credit"] == [(e.source_title, "heading")]
    assert all(b.rtl for b in arabic)
    assert [b.text for b in blocks if b.kind == "credit"] == [CAPTION_CREDIT]
    assert all(b.rtl is False for b in blocks if b.lang == "en")


def _split(text: str, e: Edition) -> list[str]:
    """The sentences of ``e`` that a block's text is made of, in order."""
    out = []
    for s in _sentences(e):
        if text.startswith(s.text):
            out.append(s.text)
            text = text[len(s.text) :].lstrip(" ")
    assert text == "", f"left over: {text!r}"
    return out


def test_side_by_side_pairs_each_paragraph_with_its_arabic(tmp_path: Path) -> None:
    e = edition()
    path = _write(tmp_path, publication(e, layout="side-by-side"))
    blocks = [b for b in read_blocks(path) if b.kind in ("text", "caption")]
    paragraphs = [p for p in e.paragraphs if p.sentences]
    assert len(blocks) == 2 * len(paragraphs)
    pairs = zip(blocks[::2], blocks[1::2], strict=True)
    for p, (target, source) in zip(paragraphs, pairs, strict=True):
        assert (target.lang, target.rtl, target.kind) == ("en", False, source.kind)
        assert (source.lang, source.rtl) == ("ar", True)
        assert target.text == " ".join(s.text for s in p.sentences)
        assert source.text == " ".join(s.source for s in p.sentences)
    whole = "\n".join(b.text for b in read_blocks(path))
    _in_order([s.source for s in _sentences(e)], whole)
    # the grid row: the translation first in the DOM and on screen (left), Arabic second
    pairs = _tree(path).find_class("pair")
    assert len(pairs) == len(paragraphs) + 1  # + the column labels
    for pair in pairs[1:]:
        assert [c.get("lang") for c in pair] == [None, "ar"]
        assert pair[1].get("dir") == "rtl"


def test_vietnamese_edition_declares_vi_and_its_english_labels(tmp_path: Path) -> None:
    e = edition("vi")
    path = _write(tmp_path, publication(e, layout="side-by-side"))
    root = _tree(path)
    assert (root.get("lang"), root.get("dir")) == ("vi", "ltr")
    blocks = read_blocks(path)
    body = "\n".join(b.text for b in _body_blocks(blocks, "vi"))
    _in_order([s.text for s in _sentences(e)], body)
    assert {b.lang for b in blocks if b.kind in ("colophon", "meta", "label", "page-footer")} == {
        "en"
    }
    assert {b.lang for b in blocks if b.kind == "text"} == {"vi", "ar"}


def test_no_script_and_nothing_loaded_from_elsewhere(tmp_path: Path) -> None:
    path = _write(tmp_path, digest(3, layout="side-by-side"))
    root = _tree(path)
    for tag in ("script", "iframe", "img", "link", "object", "embed", "base", "form"):
        assert root.findall(f".//{tag}") == [], tag
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for el in root.iter():
        assert not any(name.startswith("on") for name in el.attrib), el.attrib
        assert "style" not in el.attrib
        if el.get("src") is not None:
            pytest.fail(f"src= on {el.tag}")
        href = el.get("href")
        if href is not None:
            assert href == SOURCE_URL or (href.startswith("#") and href[1:] in ids), href
    css = "".join(s.text_content() for s in root.iter("style"))
    assert "url(" not in css and "@import" not in css
    assert root.find("head/meta[@charset]") is not None


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    e = edition()
    first = replace(e.paragraphs[0].sentences[0], text=HOSTILE, source=HOSTILE)
    paragraphs = (replace(e.paragraphs[0], sentences=(first,)), *e.paragraphs[1:])
    e = replace(e, title=HOSTILE, paragraphs=paragraphs, source="javascript:alert(1)")
    path = _write(tmp_path, publication(e, layout="side-by-side"))
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw and "<b>" not in raw
    root = _tree(path)
    assert root.findall(".//script") == [] and root.findall(".//img") == []
    assert root.findtext(".//title") == HOSTILE
    assert [a.get("href") for a in root.iter("a")] == []  # not a web address: no link
    texts = [b.text for b in read_blocks(path)]
    assert texts.count(" ".join(HOSTILE.split())) == 3  # title, translation, source


def test_control_characters_become_visible_escapes(tmp_path: Path) -> None:
    e = edition()
    first = replace(e.paragraphs[0].sentences[0], text="bell\x07 and escape\x1b[31m here")
    e = replace(e, paragraphs=(replace(e.paragraphs[0], sentences=(first,)), *e.paragraphs[1:]))
    texts = [b.text for b in read_blocks(_write(tmp_path, publication(e)))]
    assert "bell\\x07 and escape\\x1b[31m here" in texts
    # in an attribute too: a source address and a date as they came
    odd = replace(e, source="https://example.org/a\x00b", date="2026-11-23T08:30:00\x1b")
    root = _tree(_write(tmp_path, publication(odd), "odd.html"))
    assert [a.get("href") for a in root.iter("a")] == ["https://example.org/a\\x00b"]
    assert next(t.get("datetime") for t in root.iter("time")) == "2026-11-23T08:30:00\\x1b"


def test_machine_sentences_are_marked_and_the_legend_said_once(tmp_path: Path) -> None:
    e = edition(machine=frozenset({"p2.s1", "c1"}))
    path = _write(tmp_path, publication(e))
    blocks = read_blocks(path)
    assert [b.text for b in blocks if b.kind == "legend"] == [MACHINE_LEGEND]
    whole = "\n".join(b.text for b in blocks if b.kind in ("text", "caption"))
    for s in _sentences(e):
        marked = f"{MACHINE_MARK}\u00a0{s.text}"
        assert (marked in whole) == s.machine, s.id
    assert whole.count(MACHINE_MARK) == 2
    marks = _tree(path).find_class("mark")
    assert len(marks) == 2
    assert all(m.get("role") == "img" and m.get("aria-label") == MARK_NAME for m in marks)


def test_all_reviewed_has_no_mark_and_no_legend(tmp_path: Path) -> None:
    path = _write(tmp_path, publication(edition()))
    raw = path.read_text(encoding="utf-8")
    assert MACHINE_MARK not in raw
    assert not [b for b in read_blocks(path) if b.kind == "legend"]


def test_colophon_and_the_test_model_notice_at_the_top(tmp_path: Path) -> None:
    e = edition(test_model=True)
    path = _write(tmp_path, publication(e))
    blocks = read_blocks(path)
    notices = [i for i, b in enumerate(blocks) if b.kind == "notice"]
    assert len(notices) == 2 and notices[0] == 0  # the page's first words, and the colophon's
    assert blocks[notices[0]].text == TEST_NOTICE
    colophon = "\n".join(b.text for b in blocks if b.kind == "colophon")
    for expected in (*e.colophon.licences, e.colophon.signature, e.colophon.glossary):
        assert expected in colophon
    assert "Layla Haddad (7 sentences, latest 2026-11-23)" in colophon
    assert f"bilingual {e.colophon.tool_version}" in colophon
    footer = _tree(path).find(".//article/footer")
    assert footer is not None and footer.get("class") == "colophon"
    two = (*e.colophon.reviewers, Reviewer("ليلى حداد", "2026-11-24T09:00:00Z", 1))
    arabic = replace(e, colophon=replace(e.colophon, reviewers=two))
    path = _write(tmp_path, publication(arabic), "reviewers.html")
    names = [b.text for b in read_blocks(path) if b.text.startswith("Layla")]
    assert names == [
        "Layla Haddad (7 sentences, latest 2026-11-23); ليلى حداد (1 sentence, latest 2026-11-24)"
    ]
    assert [el.text for el in _tree(path).iter("bdi")] == ["Layla Haddad", "ليلى حداد"]
    plain = _write(tmp_path, publication(edition()), "plain.html")
    assert not [b for b in read_blocks(plain) if b.kind == "notice"]


def test_source_link_only_for_a_web_address(tmp_path: Path) -> None:
    root = _tree(_write(tmp_path, publication(edition())))
    assert [(a.get("href"), a.text) for a in root.iter("a")] == [(SOURCE_URL, SOURCE_URL)]
    printed = edition(source="الشرق الأوسط، لندن")
    path = _write(tmp_path, publication(printed), "printed.html")
    assert list(_tree(path).iter("a")) == []
    meta = next(b for b in read_blocks(path) if b.kind == "meta")
    assert meta.text == "Source: الشرق الأوسط، لندن"
    span = _tree(path).find(".//p[@class='meta']/span")
    assert span is not None and (span.get("lang"), span.get("dir")) == ("ar", "rtl")
    none = _write(tmp_path, publication(edition(source=None)), "none.html")
    assert not any(b.text.startswith("Source") for b in read_blocks(none))


def _heading_levels(root: lxml.html.HtmlElement) -> list[int]:
    return [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", str(el.tag))]


def test_digest_cover_contents_and_one_article_each(tmp_path: Path) -> None:
    pub = digest(4)
    path = _write(tmp_path, pub)
    root = _tree(path)
    assert root.findtext(".//title") == "Morning digest \u2014 Middle East desk \u2014 2026-11-23"
    body = root.find("body")
    assert body is not None
    assert [el.tag for el in body] == ["header", "nav", "main", "footer"]
    assert body.findtext("header//h1") == "Morning digest"
    articles = root.findall(".//main/article")
    assert len(articles) == 4
    links = root.findall(".//nav//a")
    assert [a.get("href") for a in links] == [f"#{a.get('id')}" for a in articles]
    assert [a.text for a in links] == [e.title for e in pub.editions]
    for article, e in zip(articles, pub.editions, strict=True):
        heading = root.get_element_by_id(article.get("aria-labelledby"))
        assert heading.tag == "h2" and heading.text == e.title
    levels = _heading_levels(root)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    texts = "\n".join(b.text for b in read_blocks(path) if b.kind == "text")
    first = pub.editions[0].sentences()[0].text
    assert texts.count(first) == 4


def test_single_article_headings_start_at_h1(tmp_path: Path) -> None:
    root = _tree(_write(tmp_path, publication(edition())))
    assert _heading_levels(root) == [1, 2]
    body = root.find("body")
    assert body is not None and [el.tag for el in body] == ["main", "footer"]
    assert root.findtext(".//title") == edition().title


def test_read_blocks_inherits_lang_and_dir(tmp_path: Path) -> None:
    page = tmp_path / "hand.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>t</title><style>p{}</style></head><body>"
        "<div lang='ar' dir='rtl'><p>عربي <b>غامق</b> نص</p><ul><li lang='vi' dir='ltr'>"
        "Một <span>hai</span><p class='credit'>inner</p> tail</li></ul></div>"
        "<p dir='auto'>عربي auto</p><p dir='auto'>Latin عربي</p><p dir='auto'>123</p>"
        "<p>  spaced\n  out\u00a0nbsp <!-- hidden --> end</p>"
        "<script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    assert read_blocks(page) == [
        Block("عربي غامق نص", "ar", True, "text"),
        Block("Một hai tail", "vi", False, "item"),
        Block("inner", "vi", False, "credit"),
        Block("عربي auto", "en", True, "text"),
        Block("Latin عربي", "en", False, "text"),
        Block("123", "en", None, "text"),
        Block("spaced out\u00a0nbsp end", "en", None, "text"),
    ]


def test_written_atomically_and_errors_name_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="the HTML edition") as caught:
        write_html(publication(), blocker / "edition.html")
    assert "not-a-folder" in str(caught.value)
    # a new folder is made; the file is replaced whole and no temporary is left
    target = tmp_path / "out" / "edition.html"
    write_html(publication(), target)
    write_html(publication(edition("vi")), target)
    assert _tree(target).get("lang") == "vi"
    assert [p.name for p in target.parent.iterdir()] == ["edition.html"]


def test_empty_paragraph_and_an_empty_publication() -> None:
    e = edition()
    e = replace(e, paragraphs=(PublishedParagraph("body", ()), *e.paragraphs))
    html = render_html(publication(e)).decode("utf-8")
    assert '<p class="text"></p>' not in html
    with pytest.raises(ValueError, match="at least one edition"):
        render_html(Publication(editions=()))
