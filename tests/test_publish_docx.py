"""The reader's edition as DOCX, checked by reopening it (XML and python-docx).

Nothing of the reviewer's document may come along (comments, sentence bookmarks, numbers,
status tags, marks); every sentence is there once, in order, in its language and
direction; a digest has a cover, contents with page references to bookmarks on the
articles' titles, a section per article with its running header, and PAGE fields.
These tests need no LibreOffice: the digest is written with ``layout_pass=False`` (the
estimated page numbers); tests/test_publish_pdf.py checks them against LibreOffice's.
"""

from __future__ import annotations

import errno
import re
import zipfile
from pathlib import Path

import docx
import docx.document
import pytest
from lxml import etree
from publication_factory import CREDIT, LICENCE, NOTICE, digest, edition, single

from bilingual.errors import OutputError
from bilingual.publish.docx_digest import BOOKMARK
from bilingual.publish.docx_out import read_blocks, write_docx
from bilingual.publish.edition import MACHINE_LEGEND, MACHINE_MARK, Block, Publication

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# what only the reviewer's briefing shows: status tags, confidence and forced-term marks
REVIEWER_ONLY = re.compile("[\u2713\u25bc\u25bd\u2020]|REVIEWED|APPROVED")


def _xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _parts(path: Path, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n.startswith(prefix))
        return [etree.fromstring(z.read(n)) for n in names]


def _text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)


def _assert_in_order_once(text: str, sentences: list[str]) -> None:
    at = 0
    for sentence in sentences:
        assert text.count(sentence) == 1, sentence
        found = text.find(sentence, at)
        assert found >= 0, f"out of order: {sentence}"
        at = found + len(sentence)


def _assert_clean(path: Path) -> None:
    """No comments, no bookmarks but the digest's, nothing only a reviewer sees."""
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if "comments" in n]
    body = _xml(path)
    assert body.findall(f".//{W}commentRangeStart") == []
    assert body.findall(f".//{W}commentReference") == []
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert all(re.fullmatch(BOOKMARK.format(r"\d+"), n or "") for n in names), names
    assert not REVIEWER_ONLY.search(_text(read_blocks(path)))


def test_target_layout_holds_the_translation_alone(tmp_path: Path) -> None:
    publication = single("target")
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    _assert_clean(path)
    blocks = read_blocks(path)
    text = _text(blocks)
    ed = publication.editions[0]
    _assert_in_order_once(text, [s.text for s in ed.sentences()])
    # no Arabic but the caption's credit as printed
    assert re.findall("[\u0600-\u06ff]+", text.replace(CREDIT, "")) == []
    assert not any(s.source in text for s in ed.sentences())
    body = [b for b in blocks if any(s.text in b.text for s in ed.sentences())]
    assert body and all(b.lang == "en" and b.rtl is False for b in body)
    # continuous paragraphs: the first paragraph's two sentences share one block
    first = ed.paragraphs[0].sentences
    assert any(b.text == f"{first[0].text} {first[1].text}" for b in blocks)
    caption = [b for b in blocks if b.kind == "caption"]
    assert [b.text for b in caption] == [ed.paragraphs[1].sentences[0].text]
    assert blocks[blocks.index(caption[0]) + 1].text == CREDIT
    assert MACHINE_MARK not in text and MACHINE_LEGEND not in text
    assert blocks[0] == Block(ed.title, "en", False, "heading")


def test_machine_sentences_are_marked_and_the_legend_is_there_once(tmp_path: Path) -> None:
    publication = single("target", machine=frozenset({"s2", "c1"}))
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    text = _text(read_blocks(path))
    assert text.count(MACHINE_LEGEND) == 1
    for s in publication.editions[0].sentences():
        marked = f"{MACHINE_MARK}\u00a0{s.text}" in text
        assert marked == s.machine, s.id
    # the legend holds the only other mark (the colophon names none)
    assert text.count(MACHINE_MARK) == 2 + 1


def test_side_by_side_sets_arabic_right_to_left(tmp_path: Path) -> None:
    publication = single("side-by-side", machine=frozenset({"s1"}))
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    _assert_clean(path)
    ed = publication.editions[0]
    rows = docx.Document(str(path)).tables[0].rows
    assert len(rows) == 1 + len(ed.paragraphs)
    for row, paragraph in zip(rows[1:], ed.paragraphs, strict=True):
        arabic, english = (cell.paragraphs[0]._p for cell in row.cells)
        assert arabic.find(f"{W}pPr/{W}bidi") is not None
        assert english.find(f"{W}pPr/{W}bidi") is None
        runs = [r for r in arabic.iter(f"{W}r") if r.findtext(f"{W}t")]
        assert runs
        for run in runs:
            assert run.find(f"{W}rPr/{W}rtl") is not None
            assert run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "ar-SA"
        arabic_text = "".join(t.text or "" for t in arabic.iter(f"{W}t"))
        assert arabic_text == " ".join(s.source for s in paragraph.sentences)
        english_text = "".join(t.text or "" for t in english.iter(f"{W}t")).replace(
            f"{MACHINE_MARK}\u00a0", ""
        )
        assert english_text == " ".join(s.text for s in paragraph.sentences)
    blocks = read_blocks(path)
    arabic_blocks = [b for b in blocks if b.lang == "ar" and b.kind != "heading"]
    assert all(b.rtl for b in arabic_blocks if b.text != CREDIT)
    _assert_in_order_once(_text(blocks), [s.text for s in ed.sentences()])


def test_vietnamese_edition_declares_vietnamese(tmp_path: Path) -> None:
    publication = single("target", "vi")
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    ed = publication.editions[0]
    blocks = read_blocks(path)
    _assert_in_order_once(_text(blocks), [s.text for s in ed.sentences()])
    for s in ed.sentences():
        (block,) = [b for b in blocks if s.text in b.text]
        assert block.lang == "vi" and block.rtl is False
    fonts = {f.get(f"{W}ascii") for f in _xml(path).iter(f"{W}rFonts")}
    assert fonts == {"Noto Sans", "DejaVu Sans Mono"}


def test_colophon_and_notice(tmp_path: Path) -> None:
    publication = single("target", notice=NOTICE)
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    blocks = read_blocks(path)
    texts = [b.text for b in blocks]
    c = publication.editions[0].colophon
    first_sentence = next(
        i for i, t in enumerate(texts) if publication.editions[0].sentences()[0].text in t
    )
    # the notice near the top (before the text) and again in the colophon
    notices = [i for i, t in enumerate(texts) if t == NOTICE]
    assert len(notices) == 2 and notices[0] < first_sentence < notices[1]
    colophon = "\n".join(texts[texts.index("About this translation") :])
    assert f"bilingual {c.tool_version}" in colophon and c.signature in colophon
    assert LICENCE in colophon
    assert "Reviewed by Huda Salem (4 sentences), last on 2026-12-06 10:00 UTC." in colophon
    assert f"Glossary: {c.glossary}" in colophon


def test_unreviewed_edition_says_so(tmp_path: Path) -> None:
    publication = Publication((edition(1, reviewed=False, machine=frozenset({"s1", "s2"})),))
    path = tmp_path / "edition.docx"
    write_docx(publication, path)
    text = _text(read_blocks(path))
    assert "No reviewer has checked this translation." in text
    assert "Glossary: none" in text
    assert "2 sentences went out unreviewed (marked as the legend says)." in text


def _fields(element: etree._Element) -> list[str]:
    return [" ".join((t.text or "").split()) for t in element.iter(f"{W}instrText")]


def test_digest_has_cover_contents_sections_headers_and_page_fields(tmp_path: Path) -> None:
    publication = digest()
    path = tmp_path / "digest.docx"
    write_docx(publication, path, layout_pass=False)
    _assert_clean(path)
    blocks = read_blocks(path)
    texts = [b.text for b in blocks]
    assert texts[:3] == ["Middle East desk", "Morning digest", "2026-12-07 \u00b7 3 articles"]
    assert texts.count(MACHINE_LEGEND) == 1 and texts.index(MACHINE_LEGEND) < 6
    assert NOTICE in texts[:6]
    body = _xml(path)
    names = [BOOKMARK.format(k) for k in (1, 2, 3)]
    assert _fields(body) == [f"PAGEREF {n} \\h" for n in names]
    # each bookmark is on its article's title, a Heading 1 paragraph
    for name, ed in zip(names, publication.editions, strict=True):
        (start,) = [b for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name]
        heading = start.getparent()
        assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"
        assert "".join(t.text for t in heading.iter(f"{W}t")) == ed.title
    # the contents: each title linked to its bookmark, the cached page numbers rising
    links = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert [h.get(f"{W}anchor") for h in links] == names
    pages = [int(p) for p in re.findall(r"\t(\d+)", "\n".join(texts))]
    assert len(pages) == 3 and 3 <= pages[0] < pages[1] < pages[2]
    # a section per article, each on a new page, its own header
    sections = docx.Document(str(path)).sections
    assert len(sections) == 4
    assert sections[0].different_first_page_header_footer
    for section, ed in zip(sections[1:], publication.editions, strict=True):
        assert section.start_type == 2  # WD_SECTION.NEW_PAGE
        assert not section.different_first_page_header_footer
        assert not section.header.is_linked_to_previous
        assert section.header.paragraphs[0].text == f"Morning digest / {ed.title}"
        assert section.footer.is_linked_to_previous
    footers = _parts(path, "word/footer")
    assert footers and all(_fields(f) == ["PAGE"] for f in footers if _fields(f))
    assert any(_fields(f) == ["PAGE"] for f in footers)
    # the short article's sentences once, in order (the long ones repeat their text)
    _assert_in_order_once("\n".join(texts), [s.text for s in publication.editions[1].sentences()])


def test_digest_keeps_every_sentence_in_order(tmp_path: Path) -> None:
    publication = digest(repeat=(1, 1, 1), layout="side-by-side")
    path = tmp_path / "digest.docx"
    write_docx(publication, path, layout_pass=False)
    text = _text(read_blocks(path))
    _assert_in_order_once(text, [s.text for e in publication.editions for s in e.sentences()])
    _assert_in_order_once(text, [s.source for e in publication.editions for s in e.sentences()])


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "edition.docx"
    existing.write_bytes(b"old")

    def full(self: object, path: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", full)
    with pytest.raises(OutputError):
        write_docx(single(), existing)
    assert existing.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["edition.docx"]
    monkeypatch.undo()
    write_docx(single(), existing)
    assert read_blocks(existing)
    assert [p.name for p in tmp_path.iterdir()] == ["edition.docx"]


def test_blocks_skip_field_codes_and_empty_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "edition.docx"
    write_docx(digest(repeat=(1, 1, 1)), path, layout_pass=False)
    blocks = read_blocks(path)
    assert not any("PAGEREF" in b.text or "PAGE " in b.text for b in blocks)
    assert all(b.text.strip() for b in blocks)
    assert {b.kind for b in blocks} == {"heading", "contents", "caption", "text"}
    contents = [b.text for b in blocks if b.kind == "contents"]
    assert [c.split("\t")[0] for c in contents] == [
        "The Hanoi Convention",
        "The water conference",
        "The energy report",
    ]
