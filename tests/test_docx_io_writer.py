"""DOCX writer (bilingual.docx_io): reopen the file with python-docx and check the XML with lxml
(never bytes)."""

from __future__ import annotations

import dataclasses
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from briefing_factory import (
    ARTICLE_NAME,
    CAPTION_AR,
    CAPTION_CREDIT,
    CAPTION_EN,
    CAPTION_VI,
    GLOSSARY_SIGNATURE,
    REPEATED_PARAGRAPH,
    SOURCE_URL,
    example_en,
    example_en_vi,
    make_briefing,
    quiet_briefing,
    with_first_sentence,
)
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bilingual.document import AlignedParagraph, Briefing, Flag, Rendering, TermUse
from bilingual.docx_io import pieces as cell_pieces
from bilingual.docx_io import strip_markers, write_docx
from bilingual.docx_io.findings import QA_AUTHOR, parse_where
from bilingual.docx_io.ooxml import ARABIC_FONT, MONO_FONT, direction_segments, set_rtl
from bilingual.docx_io.styles import FORCED_MARK, Anchor
from bilingual.errors import OutputError
from bilingual.qa import LEVELS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def has_ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(c) == "L" for c in text)


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


# Arabic presentation forms A and B: what a reshaper would have produced
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


_XPATHS: dict[str, etree.XPath] = {}


def xp(el: Any, path: str) -> list[Any]:
    """Plain lxml XPath (python-docx's own ``xpath`` takes no namespace map)."""
    if path not in _XPATHS:
        _XPATHS[path] = etree.XPath(path, namespaces=NS)
    result = _XPATHS[path](el)
    assert isinstance(result, list)
    return result


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class Docx:
    """A written briefing, reopened."""

    def __init__(self, path: Path) -> None:
        self.doc = docx.Document(str(path))
        self.body = self.doc.element.body
        self.styles = {s.name: s.style_id for s in self.doc.styles}
        self.markers = {
            self.styles[name] for name in ("Sentence Number", "Forced Term Mark", "Approval Box")
        }

    def tables(self) -> list[Any]:
        return xp(self.body, "./w:tbl")

    def table(self, first_header: str) -> Any:
        found = [t for t in self.tables() if self.row_texts(t)[0][0] == first_header]
        assert len(found) == 1, first_header
        return found[0]

    def rows(self, table: Any) -> list[Any]:
        return xp(table, "./w:tr")

    def cells(self, row: Any) -> list[Any]:
        return xp(row, "./w:tc")

    def row_texts(self, table: Any) -> list[list[str]]:
        return [[self.text(c) for c in self.cells(r)] for r in self.rows(table)]

    @staticmethod
    def text(el: Any) -> str:
        return "".join(t.text or "" for t in xp(el, ".//w:t"))

    def is_marker(self, run: Any) -> bool:
        style = xp(run, "./w:rPr/w:rStyle/@w:val")
        return bool(style) and style[0] in self.markers

    def content(self, cell: Any) -> str:
        """Cell text without sentence numbers and forced-term daggers (found by style)."""
        return "".join(self.text(r) for r in xp(cell, ".//w:r") if not self.is_marker(r))

    def content_mask(self, cell: Any) -> tuple[str, list[bool]]:
        """Content text and, per character, whether its run is bold (w:b)."""
        text, mask = "", []
        for run in xp(cell, ".//w:r"):
            if self.is_marker(run):
                continue
            t = self.text(run)
            text += t
            mask += [bool(xp(run, "./w:rPr/w:b"))] * len(t)
        return text, mask

    def marker_numbers(self, cell: Any) -> list[int]:
        return [
            int(self.text(r).strip("\u00a0"))
            for r in xp(cell, ".//w:r")
            if xp(r, "./w:rPr/w:rStyle/@w:val") == [self.styles["Sentence Number"]]
        ]

    def paragraphs(self) -> list[Any]:
        return xp(self.body, "./w:p")


def write(briefing: Briefing, folder: Path) -> Docx:
    path = folder / f"{briefing.article.name}.docx"
    write_docx(briefing, path)
    return Docx(path)


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Docx:
    return write(example_en(), tmp_path_factory.mktemp("en"))


@pytest.fixture(scope="module")
def en_vi(tmp_path_factory: pytest.TempPathFactory) -> Docx:
    return write(example_en_vi(), tmp_path_factory.mktemp("en_vi"))


@pytest.fixture(params=["en", "en_vi"])
def both(request: pytest.FixtureRequest) -> Iterator[tuple[Docx, Briefing]]:
    briefing = example_en() if request.param == "en" else example_en_vi()
    yield request.getfixturevalue(request.param), briefing


def columns(briefing: Briefing) -> list[str]:
    return ["ar", *briefing.targets]


# --- the aligned table ---------------------------------------------------------------


def test_table_has_the_right_columns(en: Docx, en_vi: Docx) -> None:
    assert en.row_texts(en.table("#"))[0] == ["#", "Arabic", "English"]
    assert en_vi.row_texts(en_vi.table("#"))[0] == ["#", "Arabic", "English", "Vietnamese"]
    for d in (en, en_vi):
        rows = d.rows(d.table("#"))
        assert xp(rows[0], "./w:trPr/w:tblHeader"), "header row must repeat on each page"
        assert not xp(rows[1], "./w:trPr/w:tblHeader")
        widths = [int(x) for x in xp(d.table("#"), "./w:tblGrid/w:gridCol/@w:w")]
        assert widths[0] * 4 < min(widths[1:]), "number column narrow"


def test_every_paragraph_appears_once_in_the_table(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    rows = d.rows(d.table("#"))[1:]
    assert len(rows) == len(briefing.paragraphs)
    for row, paragraph in zip(rows, briefing.paragraphs, strict=True):
        cells = d.cells(row)
        assert d.text(cells[0]) == str(paragraph.index + 1)
        for cell, lang in zip(cells[1:], columns(briefing), strict=True):
            assert d.content(cell) == paragraph.text(lang)
            # the text helper other code may use gives the same answer
            assert strip_markers(d.text(cell)) == paragraph.text(lang)
    # and nowhere else in a table: each Arabic sentence sits in exactly one cell paragraph
    cell_texts = [d.content(p) for t in d.tables() for p in xp(t, ".//w:tc/w:p")]
    for paragraph in briefing.paragraphs:
        for sentence in paragraph.sentences:
            assert sum(sentence.source in text for text in cell_texts) == 1, sentence.id


def test_sentences_are_numbered_alike_in_every_column(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    for row, paragraph in zip(d.rows(d.table("#"))[1:], briefing.paragraphs, strict=True):
        expected = [s.number for s in paragraph.sentences]
        for cell in d.cells(row)[1:]:
            assert d.marker_numbers(cell) == expected


def test_repeated_paragraph_printed_once_and_reported_once(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    repeated = briefing.paragraphs[REPEATED_PARAGRAPH]
    contents = [d.content(c) for r in d.rows(d.table("#"))[1:] for c in d.cells(r)[1:2]]
    assert contents.count(repeated.text("ar")) == 1
    whole = d.text(d.body)
    for sentence in repeated.sentences:
        assert whole.count(sentence.source) == 1
    qa = d.row_texts(d.table("Level"))
    repeats = [row for row in qa if row[1] == "repeated-paragraph"]
    assert len(repeats) == 1, "a repeat in article.repeats and in the flags is reported once"
    assert repeats[0][2] == f"paragraph {REPEATED_PARAGRAPH + 1}"
    assert "11\u201312" in repeats[0][3] and "17\u201318" in repeats[0][3]


# --- right-to-left Arabic ---------------------------------------------------------------


def arabic_paragraphs(d: Docx, briefing: Briefing) -> list[Any]:
    rows = d.rows(d.table("#"))[1:]
    return [p for row in rows for p in xp(d.cells(row)[1], "./w:p")]


def assert_rtl_paragraph(p: Any) -> None:
    ppr = xp(p, "./w:pPr")[0]
    assert xp(ppr, "./w:bidi"), "w:bidi on every Arabic paragraph"
    assert not xp(ppr, "./w:jc"), "no w:jc: it would read relative to the direction"
    # schema order: w:bidi comes before w:spacing, w:ind, w:jc, w:rPr ...
    tags = [etree.QName(c).localname for c in ppr]
    later = {"adjustRightInd", "snapToGrid", "spacing", "ind", "jc", "outlineLvl", "rPr"}
    assert not later & set(tags[: tags.index("bidi")])
    for run in xp(p, "./w:r"):
        text = Docx.text(run)
        assert xp(run, "./w:rPr/w:rFonts/@w:cs") == [ARABIC_FONT]
        assert xp(run, "./w:rPr/w:szCs/@w:val")
        assert xp(run, "./w:rPr/w:lang/@w:bidi") == ["ar-SA"]
        if has_ltr(text):
            # ECMA-376: w:rtl on strong left-to-right text is undefined
            assert not xp(run, "./w:rPr/w:rtl"), text
        else:
            assert xp(run, "./w:rPr/w:rtl"), text
        if xp(run, "./w:rPr/w:b"):
            assert xp(run, "./w:rPr/w:bCs"), "bold Arabic needs the complex-script bold"


def test_arabic_cells_are_right_to_left(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    paragraphs = arabic_paragraphs(d, briefing)
    assert len(paragraphs) == len(briefing.paragraphs)
    for p in paragraphs:
        assert_rtl_paragraph(p)


def test_latin_inside_arabic_is_its_own_left_to_right_run(en: Docx) -> None:
    runs = [r for p in arabic_paragraphs(en, example_en()) for r in xp(p, "./w:r")]
    latin = [r for r in runs if "AquaNova" in Docx.text(r)]
    assert len(latin) == 1
    assert Docx.text(latin[0]) == "AquaNova"
    assert not xp(latin[0], "./w:rPr/w:rtl")


def test_title_and_caption_arabic_are_right_to_left(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    body = d.paragraphs()
    title = [p for p in body if d.text(p) == briefing.title["ar"]]
    assert len(title) == 1
    assert_rtl_paragraph(title[0])
    caption = [p for p in body if d.text(p).startswith(CAPTION_AR)]
    assert len(caption) == 1
    assert_rtl_paragraph(caption[0])


def test_translation_cells_are_left_to_right(both: tuple[Docx, Briefing]) -> None:
    d, _ = both
    rows = d.rows(d.table("#"))[1:]
    for row in rows:
        for cell in d.cells(row)[2:]:
            for p in xp(cell, "./w:p"):
                assert not xp(p, "./w:pPr/w:bidi")
                for run in xp(p, "./w:r"):
                    # an untranslated Arabic word is a right-to-left run of its own
                    assert bool(xp(run, "./w:rPr/w:rtl")) == has_rtl(Docx.text(run))
    untranslated = [r for r in xp(d.body, ".//w:r") if Docx.text(r) == "الطاقة الشمسية"]
    assert untranslated and all(xp(r, "./w:rPr/w:rtl") for r in untranslated)


def test_no_presentation_forms_anywhere(both: tuple[Docx, Briefing]) -> None:
    d, _ = both
    assert not PRESENTATION_FORMS.search(d.text(d.body))
    assert unicodedata.is_normalized("NFC", d.text(d.body))


# --- terms ---------------------------------------------------------------------------


def sentence_offsets(paragraph: AlignedParagraph, lang: str) -> list[int]:
    offsets, at = [], 0
    for sentence in paragraph.sentences:
        offsets.append(at)
        text = sentence.text(lang)
        at += len(text or "") + 1
    return offsets


def test_terms_are_bold_in_every_column_and_nothing_else(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    rows = d.rows(d.table("#"))[1:]
    n_bold_terms = 0
    for row, paragraph in zip(rows, briefing.paragraphs, strict=True):
        for cell, lang in zip(d.cells(row)[1:], columns(briefing), strict=True):
            text, mask = d.content_mask(cell)
            expected = [False] * len(text)
            for offset, sentence in zip(
                sentence_offsets(paragraph, lang), paragraph.sentences, strict=True
            ):
                for use_lang, use in sentence.term_uses():
                    if lang == "ar":
                        spans = [(use.start, use.end)]
                    elif use_lang == lang:
                        target = sentence.text(lang) or ""
                        spans = [
                            (m.start(), m.end())
                            for m in re.finditer(re.escape(use.rendering), target)
                        ]
                        assert spans
                    else:
                        continue
                    for start, end in spans:
                        n_bold_terms += 1
                        for i in range(offset + start, offset + end):
                            expected[i] = True
            assert mask == expected, (paragraph.index, lang)
    assert n_bold_terms >= 10


def test_forced_term_is_marked_and_listed(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    rendering = "European Bank for Reconstruction and Development"
    runs = xp(d.body, ".//w:r")
    highlighted = "".join(Docx.text(r) for r in runs if xp(r, "./w:rPr/w:highlight"))
    assert rendering in highlighted
    # the dagger follows the English rendering, in its own style
    for i, run in enumerate(runs):
        if Docx.text(run) == rendering and xp(run, "./w:rPr/w:highlight"):
            mark = runs[i + 1]
            assert Docx.text(mark) == FORCED_MARK
            assert xp(mark, "./w:rPr/w:rStyle/@w:val") == [d.styles["Forced Term Mark"]]
            break
    else:
        pytest.fail("no highlighted run holds the forced rendering")
    # the Vietnamese rendering of the same term was injected, not forced: no highlight
    if "vi" in briefing.targets:
        assert "Ngân hàng" not in highlighted
    forced = d.row_texts(d.table("Sentence"))
    assert forced[1:] == [["p4.s1", "ebrd", "en", "البنك الأوروبي للإنشاء والتعمير", rendering]]
    header, *rows = d.row_texts(d.table("Term"))
    appendix = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert appendix["ebrd"]["Count (ar)"] == "1"
    assert appendix["ebrd"]["Forced (en)"] == "1"
    assert appendix["desalination"]["Count (ar)"] == "2"
    assert appendix["desalination"]["Forced (en)"] == "0"
    if "vi" in briefing.targets:
        assert appendix["ebrd"]["Forced (vi)"] == "0"  # counted per language
    assert len(appendix) == len(briefing.terms)


def test_appendix_columns(en: Docx, en_vi: Docx) -> None:
    assert en.row_texts(en.table("Term"))[0] == [
        "Term", "Type", "Arabic", "English", "Count (ar)", "Forced (en)",
    ]  # fmt: skip
    assert en_vi.row_texts(en_vi.table("Term"))[0] == [
        "Term", "Type", "Arabic", "English", "Vietnamese", "Count (ar)", "Forced (en)",
        "Forced (vi)",
    ]  # fmt: skip
    rows = en_vi.rows(en_vi.table("Term"))[1:]
    assert_rtl_paragraph(xp(en_vi.cells(rows[0])[2], "./w:p")[0])


# --- QA, captions, metadata, page -----------------------------------------------------


def test_qa_lists_every_flag(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    qa = d.row_texts(d.table("Level"))
    assert qa[0] == ["Level", "Code", "Where", "Message"]
    listed = {
        (row[1], sid, lang)
        for row in qa[1:]
        for sid, langs in [parse_where(row[2])]
        for lang in langs
    }
    sentence_flags = [(s.id, f) for s in briefing.segments() for f in s.flags()]
    groups = set()
    for sentence_id, flag in sentence_flags:
        if flag.code == "forced-term":
            continue  # listed under "Forced terms", not twice
        assert (flag.code, sentence_id, flag.lang) in listed
        groups.add((sentence_id, flag.code))
    assert not [row for row in qa[1:] if row[1] == "forced-term"]
    # the repeat flag and article.repeats: one row; a row per sentence and kind
    assert len(qa) - 1 == len(briefing.flags) + len(groups)
    # most serious first
    ranks = [("error", "warning", "info").index(row[0]) for row in qa[1:]]
    assert ranks == sorted(ranks)


def _flagged(briefing: Briefing, flags: dict[str, tuple[Flag, ...]]) -> Briefing:
    """``briefing`` with its sentence flags replaced by ``flags`` (segment id -> flags)."""
    paragraphs = []
    for paragraph in briefing.paragraphs:
        sentences = []
        for s in paragraph.sentences:
            mine = flags.get(s.id, ())
            sentences.append(
                s.with_renderings(
                    {
                        lang: dataclasses.replace(r, flags=tuple(f for f in mine if f.lang == lang))
                        for lang, r in s.renderings.items()
                    }
                )
            )
        paragraphs.append(dataclasses.replace(paragraph, sentences=tuple(sentences)))
    return dataclasses.replace(briefing, paragraphs=tuple(paragraphs))


def test_findings_are_one_row_per_sentence_and_kind(tmp_path: Path) -> None:
    flags = {
        "p2.s1": (
            Flag("number-mismatch", "error", "numbers differ from the source: missing 3", "en"),
            Flag("number-mismatch", "error", "numbers differ from the source: missing 3", "vi"),
            Flag("untranslated-arabic", "warning", "Arabic left in the translation: X", "vi"),
        ),
        "p3.s1": (Flag("long-translation", "warning", "translation is 3.10x", "en"),),
    }
    d = write(_flagged(example_en_vi(), flags), tmp_path)
    qa = d.row_texts(d.table("Level"))[1:]
    by_key = {(row[1], row[2]): row for row in qa}
    number = by_key[("number-mismatch", "p2.s1 (en, vi)")]
    assert number[0] == "error" and [r[1] for r in qa].count("number-mismatch") == 1
    # a line per language in the message cell
    cell = d.cells(d.rows(d.table("Level"))[1 + qa.index(number)])[3]
    lines = [d.text(p) for p in xp(cell, "./w:p")]
    assert lines == [
        "en: numbers differ from the source: missing 3",
        "vi: numbers differ from the source: missing 3",
    ]
    assert by_key[("untranslated-arabic", "p2.s1 (vi)")][0] == "warning"
    assert qa[0][0] == "error"


def test_the_levels_are_explained_in_the_qa_section(both: tuple[Docx, Briefing]) -> None:
    d, _ = both
    texts = [d.text(p) for p in d.paragraphs()]
    at = texts.index("Quality checks")
    legend = texts[at + 1 : at + 5]
    for level, meaning in LEVELS.items():
        assert f"{level}: {meaning}." in legend
    assert any("comment" in t and "dismiss" in t for t in legend)


def test_one_line_repeat_reads_line_not_lines(tmp_path: Path) -> None:
    briefing = example_en()
    repeat = dataclasses.replace(
        briefing.article.repeats[0], first_lines=(3, 3), repeat_lines=(9, 9)
    )
    article = dataclasses.replace(briefing.article, repeats=(repeat,))
    d = write(dataclasses.replace(briefing, article=article), tmp_path)
    [row] = [r for r in d.row_texts(d.table("Level")) if r[1] == "repeated-paragraph"]
    assert row[3].startswith("line 3 appears again at line 9;")
    assert "3\u20133" not in row[3]
    several = dataclasses.replace(repeat, first_lines=(3, 5), repeat_lines=(9, 11))
    article = dataclasses.replace(briefing.article, repeats=(several,))
    (tmp_path / "several").mkdir()
    d = write(dataclasses.replace(briefing, article=article), tmp_path / "several")
    [row] = [r for r in d.row_texts(d.table("Level")) if r[1] == "repeated-paragraph"]
    assert row[3].startswith("lines 3\u20135 appear again at lines 9\u201311;")


def test_table_rows_never_split_and_headers_repeat(both: tuple[Docx, Briefing]) -> None:
    d, _ = both
    for table in d.tables():
        rows = d.rows(table)
        header = [etree.QName(c).localname for c in xp(rows[0], "./w:trPr/*")]
        assert header == ["cantSplit", "tblHeader"], d.row_texts(table)[0]
        # the aligned table's first paragraph may split: kept whole, a long lead
        # paragraph left page 1 empty
        body = rows[2:] if d.row_texts(table)[0][0] == "#" else rows[1:]
        for row in body:
            assert xp(row, "./w:trPr/w:cantSplit"), d.row_texts(table)[0]
            assert not xp(row, "./w:trPr/w:tblHeader")


def _comments(d: Docx) -> dict[str, Any]:
    part = d.doc.part.part_related_by(RT.COMMENTS)
    root = etree.fromstring(part.blob)
    return {c.get(w("id")): c for c in xp(root, "//w:comment")}


def test_findings_are_comments_on_the_translation_they_concern(
    both: tuple[Docx, Briefing],
) -> None:
    d, briefing = both
    comments = _comments(d)
    seen: dict[tuple[str, str], str] = {}
    for start in xp(d.body, ".//w:commentRangeStart"):
        cid = start.get(w("id"))
        comment = comments[cid]
        assert comment.get(w("author")) == QA_AUTHOR
        # the sentence it sits in: the nearest bookmark before it
        mark = xp(start, "preceding::w:bookmarkStart[1]")[0]
        anchor = Anchor.parse(mark.get(w("name")))
        assert anchor is not None
        # the range covers the translation only: the number run is before it
        first = xp(start, "following-sibling::w:r[1]")[0]
        number = d.styles["Sentence Number"]
        assert not xp(first, f"./w:rPr/w:rStyle[@w:val='{number}']")
        seen[(anchor.segment_id, anchor.lang)] = Docx.text(comment)
    expected = {
        (s.id, lang): r.flags
        for s in briefing.segments()
        for lang, r in s.renderings.items()
        if r.flags
    }
    assert set(seen) == set(expected)
    for key, flags in expected.items():
        for flag in flags:
            assert f"{flag.level}: {flag.code}: {flag.message}" in seen[key]


def test_a_quiet_briefing_has_no_comments(tmp_path: Path) -> None:
    d = write(quiet_briefing(("en", "vi")), tmp_path)
    assert not xp(d.body, ".//w:commentRangeStart")


def test_quiet_briefing_says_no_findings(tmp_path: Path) -> None:
    d = write(quiet_briefing(("en", "vi")), tmp_path)
    texts = [d.text(p) for p in d.paragraphs()]
    at = texts.index("Quality checks")
    assert texts[at + 1] == "No findings."
    assert not [t for t in d.tables() if d.row_texts(t)[0][0] in ("Level", "Sentence")]


def test_captions_with_translation_and_credit(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    body = d.paragraphs()
    texts = [d.text(p) for p in body]
    at = texts.index(f"{CAPTION_AR} \u2014 {CAPTION_CREDIT}")
    box = "\u2610\u00a0"  # a caption's translation has its approval box, as a sentence's
    assert texts[at + 1] == box + CAPTION_EN
    if "vi" in briefing.targets:
        assert texts[at + 2] == box + CAPTION_VI
    else:
        assert CAPTION_VI not in texts
    caption_style = d.styles["Caption"]
    for p in body[at : at + len(briefing.targets) + 1]:
        assert xp(p, "./w:pPr/w:pStyle/@w:val") == [caption_style]
    # under the table: after it in the body
    table_at = list(d.body).index(d.table("#"))
    assert list(d.body).index(body[at]) > table_at


def test_metadata_block(both: tuple[Docx, Briefing]) -> None:
    d, briefing = both
    links = xp(d.body, ".//w:hyperlink")
    assert len(links) == 1
    rel = d.doc.part.rels[xp(links[0], "./@r:id")[0]]
    assert rel.is_external and rel.target_ref == SOURCE_URL
    assert d.text(links[0]) == SOURCE_URL
    texts = [d.text(p) for p in d.paragraphs()]
    assert f"Run date: {briefing.run_date}" in texts
    assert f"Glossary signature: {GLOSSARY_SIGNATURE}" in texts
    assert f"bilingual version: {briefing.version}" in texts
    assert f"Models: {', '.join(briefing.models)}" in texts
    signature = [r for r in xp(d.body, ".//w:r") if Docx.text(r) == str(briefing.signature)]
    assert len(signature) == 1
    assert xp(signature[0], "./w:rPr/w:rFonts/@w:ascii") == [MONO_FONT]
    # title first, as a heading, then the Arabic title
    assert xp(d.paragraphs()[0], "./w:pPr/w:pStyle/@w:val") == [d.styles["Title"]]
    assert texts[0] == briefing.title["en"] and texts[1] == briefing.title["ar"]
    assert d.doc.core_properties.title == briefing.title["en"]


def test_sections_in_order(en_vi: Docx) -> None:
    headings = [
        Docx.text(p)
        for p in en_vi.paragraphs()
        if (xp(p, "./w:pPr/w:pStyle/@w:val") or [""])[0].startswith("Heading")
    ]
    assert headings == [
        "Aligned translation",
        "Captions",
        "Quality checks",
        "Forced terms",
        "Appendix: glossary terms used",
    ]


def test_orientation(en: Docx, en_vi: Docx) -> None:
    for d, landscape in ((en, False), (en_vi, True)):
        size = xp(d.body, "./w:sectPr/w:pgSz")[0]
        width, height = int(size.get(w("w"))), int(size.get(w("h")))
        assert (size.get(w("orient")) == "landscape") is landscape
        assert (width > height) is landscape


def test_header_and_footer(both: tuple[Docx, Briefing]) -> None:
    d, _ = both
    section = d.doc.sections[0]
    assert ARTICLE_NAME in section.header.paragraphs[0].text
    footer = section.footer._element
    instructions = [t.text.strip() for t in xp(footer, ".//w:instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = xp(footer, ".//w:fldChar/@w:fldCharType")
    assert kinds == ["begin", "separate", "end"] * 2
    assert "Page 1 of 1" in Docx.text(footer)


# --- atomic writes and robustness -----------------------------------------------------


def test_failure_midway_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.docx"
    write_docx(example_en(), path)
    before = path.read_bytes()

    def half_save(self: Any, target: str) -> None:
        Path(target).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", half_save)
    with pytest.raises(OutputError) as info:
        write_docx(example_en_vi(), path)
    assert str(path) in str(info.value) and "fix:" in str(info.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_a_bug_midway_also_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.docx"
    write_docx(example_en(), path)
    before = path.read_bytes()
    real_save = docx.document.Document.save

    def crash_after_save(self: Any, target: str) -> None:
        real_save(self, target)  # a complete temp file exists: still not renamed
        raise RuntimeError("boom")

    monkeypatch.setattr(docx.document.Document, "save", crash_after_save)
    with pytest.raises(RuntimeError):
        write_docx(example_en_vi(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_control_characters_do_not_lose_the_briefing(tmp_path: Path) -> None:
    base = example_en()
    s0 = (
        base.paragraphs[0].sentences[0].with_renderings({"en": Rendering("tab\there, vt\x0bthere")})
    )
    briefing = with_first_sentence(base, s0)
    d = write(briefing, tmp_path)
    assert "vt\ufffdthere" in d.text(d.table("#"))


def test_the_pipeline_imports_docx_only_to_write() -> None:
    import subprocess
    import sys

    code = "import sys, bilingual.pipeline, bilingual.json_io; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- properties ----------------------------------------------------------------------

MIXED = st.text(
    st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأؤإئةى0123456789.,:;()[]-'\"abcXYZ é")),
    max_size=40,
)


@given(text=MIXED, rtl=st.booleans())
def test_direction_segments_partition_the_text(text: str, rtl: bool) -> None:
    segments = direction_segments(text, rtl)
    assert "".join(s for s, _ in segments) == text
    own = has_rtl if rtl else has_ltr
    starts = has_ltr if rtl else has_rtl
    for segment, seg_rtl in segments:
        assert segment
        if seg_rtl != rtl:
            assert not own(segment)
            assert starts(segment[0])
            # ends on a strong character of its own direction or a digit
            assert starts(segment[-1]) or segment[-1].isdigit()
    # neighbouring segments alternate direction
    assert all(a[1] != b[1] for a, b in itertools.pairwise(segments))


@pytest.mark.parametrize(
    ("text", "rtl", "expected"),
    [
        ("نظام Windows 11 الجديد", True, ["نظام ", "Windows 11", " الجديد"]),
        ("شركة Apple Inc. إن", True, ["شركة ", "Apple Inc", ". إن"]),
        ("بلغت 5.3 مليار", True, ["بلغت 5.3 مليار"]),
        ("(USD) في", True, ["(", "USD", ") في"]),
        ("see الفصل 3 below", False, ["see ", "الفصل 3", " below"]),
        ("plain text", False, ["plain text"]),
    ],
)
def test_direction_segments_examples(text: str, rtl: bool, expected: list[str]) -> None:
    assert [s for s, _ in direction_segments(text, rtl)] == expected


@settings(max_examples=15, deadline=None)
@given(ar=MIXED.filter(lambda t: t.strip() != ""), en=MIXED)
def test_any_mixed_text_survives_the_table(ar: str, en: str) -> None:
    base = make_briefing(("en",), captions=False)
    s0 = dataclasses.replace(
        base.paragraphs[0].sentences[0], source=ar, renderings={"en": Rendering(en)}
    )
    briefing = with_first_sentence(base, s0)
    with tempfile.TemporaryDirectory() as tmp:
        d = write(briefing, Path(tmp))
        first = d.cells(d.rows(d.table("#"))[1])
        assert d.content(first[1]) == ar
        assert d.content(first[2]) == en
        assert_rtl_paragraph(xp(first[1], "./w:p")[0])


def test_set_rtl_keeps_schema_order_and_drops_jc() -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    paragraph = document.add_paragraph("نص", style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    set_rtl(paragraph)
    set_rtl(paragraph)  # idempotent
    tags = [etree.QName(c).localname for c in paragraph._p.get_or_add_pPr()]
    assert tags == ["pStyle", "keepNext", "bidi", "spacing"]


def test_every_occurrence_of_a_rendering_is_bold() -> None:
    use = TermUse("aqaba", "العقبة", 0, 6, "Aqaba", "natural")
    forced = TermUse("aqaba", "العقبة", 0, 6, "Aqaba", "forced")
    pieces = cell_pieces.target_pieces("Aqaba and Aqaba again", [use])
    assert [(p.text, p.bold) for p in pieces] == [
        ("Aqaba", True), (" and ", False), ("Aqaba", True), (" again", False),
    ]  # fmt: skip
    pieces = cell_pieces.target_pieces("Aqaba, Aqaba", [forced])
    assert [(p.text, p.forced, p.mark) for p in pieces] == [
        ("Aqaba", True, False), (FORCED_MARK, True, True), (", ", False, False),
        ("Aqaba", True, False), (FORCED_MARK, True, True),
    ]  # fmt: skip


def test_bad_term_span_is_not_bolded_and_does_not_crash() -> None:
    s = example_en().paragraphs[0].sentences[0]
    use = TermUse("x", "x", 40, 400, "Aqaba", "natural")
    bad = s.with_renderings({"en": Rendering(s.text("en") or "", (use,))})
    pieces = cell_pieces.source_pieces(bad)
    assert "".join(p.text for p in pieces) == s.source
    assert not any(p.bold for p in pieces)


def test_sparse_briefing_still_renders(tmp_path: Path) -> None:
    """No URL, no captions, no terms, a missing Vietnamese sentence: nothing crashes."""
    base = make_briefing(("en", "vi"), captions=False, flags=False, repeats=False, forced=False)
    article = dataclasses.replace(base.article, source_url=None)
    p0 = base.paragraphs[0]
    s0 = p0.sentences[0].with_renderings({"en": Rendering(p0.sentences[0].text("en") or "")})
    briefing = dataclasses.replace(
        base,
        article=article,
        title={**base.title, "vi": None},
        terms=(),
        paragraphs=(dataclasses.replace(p0, sentences=(s0,)),),
    )
    d = write(briefing, tmp_path)
    texts = [d.text(p) for p in d.paragraphs()]
    assert "Source: not given in the article" in texts
    assert "Captions" not in texts
    assert "No glossary term was found in this article." in texts
    row = d.rows(d.table("#"))[1]
    assert [d.content(c) for c in d.cells(row)[1:]] == [s0.source, s0.text("en"), ""]
    assert not xp(d.body, ".//w:hyperlink")


# --- captions are segments: terms bold, forced ones marked and listed ------------------------


def _caption_with_terms(briefing: Briefing) -> Briefing:
    """The example with "Red Sea" in its caption forced in English (flagged) and injected
    in Vietnamese, as the locking and QA leave a caption."""
    item = briefing.captions[0]
    ar = item.caption.text
    start = ar.index("البحر الأحمر")
    renderings = {}
    for lang, rendering in item.renderings.items():
        forced = lang == "en"
        text = {"en": "Red Sea", "vi": "Biển Đỏ"}[lang]
        use = TermUse(
            "red-sea", "البحر الأحمر", start, start + 12, text, "forced" if forced else "injected"
        )
        flags = (Flag("forced-term", "warning", "forced in: 'red-sea'", lang),) if forced else ()
        renderings[lang] = dataclasses.replace(rendering, terms=(use,), flags=flags)
    caption = dataclasses.replace(item, renderings=renderings)
    return dataclasses.replace(briefing, captions=(caption,))


def test_caption_terms_are_bold_and_a_forced_one_is_marked_and_listed(
    both: tuple[Docx, Briefing], tmp_path: Path
) -> None:
    _, base = both
    briefing = _caption_with_terms(base)
    d = write(briefing, tmp_path)
    caption_style = d.styles["Caption"]
    captions = [p for p in d.paragraphs() if xp(p, "./w:pPr/w:pStyle/@w:val") == [caption_style]]
    source, english = captions[0], captions[1]
    bold = ["".join(Docx.text(r) for r in xp(p, ".//w:r[w:rPr/w:b]")) for p in captions]
    assert "البحر الأحمر" in bold[0]  # the source term, as in the table
    assert "Red Sea" in bold[1]
    if "vi" in briefing.targets:
        assert "Biển Đỏ" in bold[2]
    runs = xp(english, ".//w:r")
    at = next(i for i, r in enumerate(runs) if Docx.text(r) == "Red Sea")
    assert xp(runs[at], "./w:rPr/w:highlight")
    assert Docx.text(runs[at + 1]) == FORCED_MARK
    assert Docx.text(source).startswith(CAPTION_AR)
    # the caption's finding and forced term are in the QA section, under its id
    qa_rows = [
        row
        for t in d.tables()
        if d.row_texts(t)[0][0] not in ("#", "Term")
        for row in d.row_texts(t)[1:]
    ]
    assert any(any(cell.startswith("c1") for cell in row) for row in qa_rows), qa_rows
    assert any("red-sea" in " ".join(row) for row in qa_rows), qa_rows


def _long_first_paragraph(copies: int) -> Briefing:
    """example_en_vi with its first paragraph's sentences repeated ``copies`` times."""
    briefing = example_en_vi()
    first = briefing.paragraphs[0]
    sentences = [
        dataclasses.replace(s, id=f"p1.s{n}", number=n)
        for n, s in enumerate((s for _ in range(copies) for s in first.sentences), start=1)
    ]
    paragraph = dataclasses.replace(first, sentences=tuple(sentences))
    return dataclasses.replace(briefing, paragraphs=(paragraph, *briefing.paragraphs[1:]))


def test_the_writer_reads_a_paragraphs_runs_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: ``paragraph.runs`` rebuilt the list of a cell's runs once per sentence,
    quadratic in a paragraph of thousands of sentences."""
    reads: list[int] = []
    real = docx.text.paragraph.Paragraph.runs

    def counted(self: Any) -> Any:
        reads.append(1)
        return real.fget(self)

    monkeypatch.setattr(docx.text.paragraph.Paragraph, "runs", property(counted))
    counts = []
    for copies in (1, 8):
        reads.clear()
        write(_long_first_paragraph(copies), tmp_path / str(copies))
        counts.append(len(reads))
    assert counts[0] == counts[1]
