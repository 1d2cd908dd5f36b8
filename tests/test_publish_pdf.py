"""The reader's edition as PDF through LibreOffice headless, and the digest's contents.

The real renderings need ``soffice`` (Debian: libreoffice-writer-nogui) and poppler's
``pdftotext``/``pdfinfo``/``pdffonts`` (poppler-utils), with fonts-noto-core and
fonts-dejavu-core; they are skipped with that reason where missing (CI installs them).
The faults (LibreOffice missing, failing, hanging) use a fake ``soffice`` on PATH and run
everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from publication_factory import NOTICE, digest, single

from bilingual.errors import PublishError
from bilingual.publish import docx_digest
from bilingual.publish.docx_out import read_blocks as docx_blocks
from bilingual.publish.docx_out import write_docx
from bilingual.publish.edition import Layout
from bilingual.publish.pdf import read_blocks, write_pdf
from bilingual.publish.soffice import page_texts

TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdffonts")
needs_libreoffice = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="needs soffice and pdftotext/pdfinfo/pdffonts: apt-get install "
    "libreoffice-writer-nogui poppler-utils fonts-noto-core fonts-dejavu-core",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cached_pages(path: Path) -> list[int]:
    """The cached result of each PAGEREF field in the DOCX's XML (the run two after
    its code: begin, code, separate, result, end)."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    pages = []
    for code in body.iter(f"{W}instrText"):
        if "PAGEREF" in (code.text or ""):
            result = code.getparent().getnext().getnext()
            pages.append(int(result.findtext(f"{W}t")))
    return pages


def _running(pid: int) -> bool:
    """Whether ``pid`` lives (a zombie nobody reaped yet does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@needs_libreoffice
@pytest.mark.parametrize("layout", ["target", "side-by-side"])
def test_contents_page_numbers_match_the_rendered_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: Layout
) -> None:
    publication = digest(layout=layout)  # 30, 1 and 60 paragraphs: starts pages apart
    docx_path, pdf_path = tmp_path / "digest.docx", tmp_path / "digest.pdf"
    # a wrong estimate: the numbers written must come from LibreOffice's layout
    monkeypatch.setattr(docx_digest, "estimate_pages", lambda *a, **k: [90, 91, 92])
    write_docx(publication, docx_path)
    write_pdf(docx_path, pdf_path)
    pages = page_texts(pdf_path)
    cached = _cached_pages(docx_path)
    contents = pages[1]
    assert "Contents" in contents
    shown = []
    for ed in publication.editions:
        m = re.search(re.escape(ed.title) + r"[ .\u2026]*(\d+)\s*$", contents, re.M)
        assert m, (ed.title, contents)
        shown.append(int(m.group(1)))
    assert shown == cached, "the DOCX's cached numbers are LibreOffice's numbers"
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    # the first page with the title as a line of its own (the header has the digest's
    # name before it, the contents the dots and number after it)
    starts = [
        next(i for i, page in enumerate(lines, 1) if ed.title in page)
        for ed in publication.editions
    ]
    assert shown == starts, "each number is the page where the article starts"
    for ed, page in zip(publication.editions, starts, strict=True):
        # the running header, then the title; the footer's page number
        assert lines[page - 1][:2] == [f"Morning digest / {ed.title}", ed.title]
        assert lines[page - 1][-1] == f"Page {page}"
    # cover, contents, then the long article over several pages, the short one on one
    assert starts[0] == 3 and starts[1] > starts[0] + 1 and starts[2] == starts[1] + 1
    assert len(pages) > starts[2]


@needs_libreoffice
def test_fonts_are_embedded_for_arabic_and_vietnamese(tmp_path: Path) -> None:
    docx_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    # Vietnamese text, and Arabic in the caption's credit as the article printed it
    publication = single("target", "vi", notice=NOTICE)
    write_docx(publication, docx_path)
    write_pdf(docx_path, pdf_path)
    listing = subprocess.run(
        ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    fonts = {}
    for line in listing.splitlines()[2:]:
        fields = line.split()
        fonts[fields[0].split("+")[-1]] = fields[-5]  # emb column
    assert fonts.get("NotoNaskhArabic-Regular") == "yes", listing
    assert fonts.get("NotoSans-Regular") == "yes", listing
    assert all(emb == "yes" for emb in fonts.values()), listing
    text = " ".join(b.text for b in read_blocks(pdf_path))
    for s in publication.editions[0].sentences():
        assert s.text in text  # the Vietnamese letters came through the font
    assert "(صورة: NLĐ)" in text


@needs_libreoffice
def test_pdf_a_2b(tmp_path: Path) -> None:
    docx_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    write_docx(single(), docx_path)
    write_pdf(docx_path, pdf_path, pdf_a=True)
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", meta), meta
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|conformance=\"B\"", meta)
    write_pdf(docx_path, plain := tmp_path / "plain.pdf")
    plain_meta = subprocess.run(
        ["pdfinfo", "-meta", str(plain)], capture_output=True, text=True, check=True
    ).stdout
    assert "pdfaid" not in plain_meta


@needs_libreoffice
def test_pdf_blocks_hold_every_sentence_once_in_order(tmp_path: Path) -> None:
    docx_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    publication = single("target", machine=frozenset({"s1"}))
    write_docx(publication, docx_path)
    write_pdf(docx_path, pdf_path)
    blocks = read_blocks(pdf_path)
    assert all(b.lang is None and b.rtl is None and b.text.strip() for b in blocks)
    text = " ".join(b.text for b in blocks)
    at = 0
    for s in publication.editions[0].sentences():
        assert text.count(s.text) == 1
        at = text.index(s.text, at) + len(s.text)
    assert docx_blocks(docx_path)[0].text == blocks[0].text
    assert not list(tmp_path.glob(".*"))  # no lock file, no temporary left


# --- faults: a fake soffice on PATH ---


def _fake_soffice(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def edition_docx(tmp_path: Path) -> Path:
    path = tmp_path / "edition.docx"
    write_docx(single(), path)
    return path


def test_missing_libreoffice_says_how_to_install(
    tmp_path: Path, edition_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    pdf = tmp_path / "edition.pdf"
    with pytest.raises(PublishError) as info:
        write_pdf(edition_docx, pdf)
    assert "apt-get install libreoffice-writer-nogui" in info.value.message
    assert str(edition_docx) in info.value.message
    assert not pdf.exists()
    # the DOCX-only path goes on without it: the contents keep the estimated numbers
    dg = tmp_path / "digest.docx"
    write_docx(digest(), dg)
    assert _cached_pages(dg) == sorted(_cached_pages(dg)) and len(_cached_pages(dg)) == 3


def test_failing_libreoffice_writes_nothing(
    tmp_path: Path, edition_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(
        tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2\nexit 1\n", monkeypatch
    )
    pdf = tmp_path / "edition.pdf"
    pdf.write_bytes(b"old")
    with pytest.raises(PublishError) as info:
        write_pdf(edition_docx, pdf)
    message = info.value.message
    assert "LibreOffice failed" in message and "exit 1" in message
    assert "source file could not be loaded" in message and "nothing was written" in message
    assert pdf.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "edition.docx", "edition.pdf"]


def test_libreoffice_that_writes_no_pdf(
    tmp_path: Path, edition_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path / "bin", "exit 0\n", monkeypatch)
    pdf = tmp_path / "edition.pdf"
    with pytest.raises(PublishError, match=r"without writing a PDF.*nothing was written"):
        write_pdf(edition_docx, pdf)
    assert not pdf.exists()
    # a digest's layout pass fails the same way, and no DOCX is written either
    dg = tmp_path / "digest.docx"
    with pytest.raises(PublishError):
        write_docx(digest(), dg)
    assert not dg.exists()


def test_hanging_libreoffice_is_stopped(
    tmp_path: Path, edition_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"
    # soffice.bin is a grandchild of the soffice script: the fake's sleep is one too
    _fake_soffice(tmp_path / "bin", f"sleep 120 &\necho $! > {pid_file}\nwait\n", monkeypatch)
    pdf = tmp_path / "edition.pdf"
    with pytest.raises(PublishError) as info:
        write_pdf(edition_docx, pdf, timeout=2)
    message = info.value.message
    assert "did not finish" in message and "within 2 s" in message
    assert "stopped" in message and "nothing was written" in message
    assert not pdf.exists()
    pid = int(pid_file.read_text())
    for _ in range(50):  # SIGKILL is delivered at once, the exit takes a moment
        if not _running(pid):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the hanging child {pid} was left running")


@needs_libreoffice
def test_docx_and_pdf_from_one_rendering(tmp_path: Path) -> None:
    publication = digest(repeat=(20, 1, 1))
    docx_path, pdf_path = tmp_path / "digest.docx", tmp_path / "digest.pdf"
    write_docx(publication, docx_path, pdf=pdf_path, pdf_a=True)
    pages = page_texts(pdf_path)
    cached = _cached_pages(docx_path)
    for ed, page in zip(publication.editions, cached, strict=True):
        lines = [line.strip() for line in pages[page - 1].splitlines() if line.strip()]
        assert lines[:2] == [f"Morning digest / {ed.title}", ed.title]
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.docx", "digest.pdf"]


def test_a_failed_rendering_writes_neither_docx_nor_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path / "bin", "exit 3\n", monkeypatch)
    docx_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    with pytest.raises(PublishError, match="exit 3"):
        write_docx(single(), docx_path, pdf=pdf_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_a_missing_docx_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path / "bin", "exit 0\n", monkeypatch)
    with pytest.raises(PublishError, match=r"cannot read gone\.docx") as info:
        write_pdf(tmp_path / "gone.docx", tmp_path / "gone.pdf")
    assert str(tmp_path / "gone.docx") in info.value.message
    assert not (tmp_path / "gone.pdf").exists()


def test_a_sentence_cut_by_a_page_break_reads_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pdftotext gives a page's lines as laid out: the running header and footer stand
    between the halves of a sentence a page break cuts. They read as ``meta`` (never
    searched, never a sentence number), so the sentence is found whole."""
    from bilingual.publish import check, pdf
    from bilingual.publish.edition import Publication

    edition = single().editions[0]
    words = " ".join(s.text for s in edition.sentences())
    half = words.index(" ", len(words) // 2)
    pages = [
        f"Today / {edition.title}\n{words[:half]}\nPage 2\n",
        f"Today / {edition.title}\n{words[half + 1 :]}\nPage 3\n",
    ]
    monkeypatch.setattr(pdf, "page_texts", lambda path: pages)
    blocks = pdf.read_blocks(tmp_path / "x.pdf")
    assert [b.kind for b in blocks] == ["meta", "text", "meta", "meta", "text", "meta"]
    check.verify(Publication((edition,)), blocks, tmp_path / "x.pdf")
    # the header of a page alone (no page before or after begins with it) is text
    monkeypatch.setattr(pdf, "page_texts", lambda path: pages[:1])
    assert pdf.read_blocks(tmp_path / "x.pdf")[0].kind == "text"


@needs_libreoffice
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_side_by_side_pdf_reads_back_whole(tmp_path: Path, lang: str) -> None:
    """pdftotext puts the Arabic cell and the translation's cell of a table line on one
    line: the letters of each script still hold every sentence, in order."""
    from bilingual.publish import check

    docx_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    publication = digest(lang, "side-by-side", repeat=(3, 1, 2))
    write_docx(publication, docx_path)
    write_pdf(docx_path, pdf_path)
    blocks = read_blocks(pdf_path)
    check.verify_letters(publication, blocks, pdf_path)
    # and the sentences of pages the PDF lost are found missing
    with pytest.raises(PublishError, match="is missing"):
        check.verify_letters(publication, blocks[: len(blocks) // 2], pdf_path)


def test_pdf_lines_read_in_each_scripts_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What pdftotext makes of a side-by-side line: the Arabic runs shown left to right
    (the end of the sentence first, a number between), the translation's cell after them,
    and a word hyphenated at a line's end joined without its hyphen."""
    from bilingual.publish import check, pdf, soffice
    from bilingual.publish.edition import Publication

    rle, pdf_mark = "\u202b", "\u202c"
    line = f".{rle}مارس{pdf_mark} 12 {rle}اجتمع الوزراء يوم{pdf_mark}The ministers met"
    assert soffice._reading_order(line) == (
        f".{rle}اجتمع الوزراء يوم{pdf_mark} 12 {rle}مارس{pdf_mark}The ministers met"
    )
    edition = single("side-by-side").editions[0]
    shown = []
    for s in edition.sentences():
        # the Arabic's two halves shown in visual order, the English hyphenated and joined
        words = s.source.split()
        half = max(1, len(words) // 2)
        arabic = f"{rle}{' '.join(words[half:])}{pdf_mark} {rle}{' '.join(words[:half])}{pdf_mark}"
        shown.append(f"{arabic}{s.text.replace(' ', '', 1)}")
    monkeypatch.setattr(soffice, "_poppler", lambda cmd, path, timeout: "\n".join(shown) + "\n\f")
    monkeypatch.setattr(soffice.shutil, "which", lambda name: "/usr/bin/" + name)
    publication = Publication((edition,), "side-by-side")
    check.verify_letters(publication, pdf.read_blocks(tmp_path / "x.pdf"), tmp_path / "x.pdf")
    # the same text with the Arabic halves left in visual order is refused
    monkeypatch.setattr(soffice, "_reading_order", lambda line: line)
    with pytest.raises(PublishError, match=r"sentence .* \(ar\)"):
        check.verify_letters(publication, pdf.read_blocks(tmp_path / "x.pdf"), tmp_path / "x.pdf")
