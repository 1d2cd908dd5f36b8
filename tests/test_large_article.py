"""A long article: the DOCX is written without holding its whole XML tree, nothing costs
more per row or comment as the document grows, and an absurdly large file is refused.

Timings are measured by ``bench/large_article.py``; these tests pin the mechanisms.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import docx.table
import pytest
from briefing_factory import make_briefing
from docx.oxml.comments import CT_Comments
from lxml import etree

from bilingual.config import Settings
from bilingual.document import Briefing, TranslatedCaption
from bilingual.docx_io.spool import Spool
from bilingual.docx_io.writer import build_document, save_docx
from bilingual.errors import InputError
from bilingual.ingest import MAX_ARTICLE_BYTES, read_article
from bilingual.json_io import dumps, save_json
from bilingual.pipeline import RunOptions, translate_articles

REPO = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COPIES = 40


def long_briefing(targets: tuple[str, ...]) -> Briefing:
    """The example briefing with its paragraphs and captions repeated ``COPIES`` times."""
    b = make_briefing(targets)
    paragraphs = tuple(
        dataclasses.replace(p, index=k * len(b.paragraphs) + p.index)
        for k in range(COPIES)
        for p in b.paragraphs
    )
    captions: tuple[TranslatedCaption, ...] = b.captions * COPIES
    return dataclasses.replace(b, paragraphs=paragraphs, captions=captions)


def _parts(path: Path) -> dict[str, bytes]:
    """Every XML part reopened and canonicalised (comment dates say when it was built)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".xml", ".rels")):
                data = etree.tostring(etree.fromstring(data), method="c14n")
                data = re.sub(rb' w:date="[^"]*"', b"", data)
            out[name] = data
    return out


@pytest.mark.parametrize("targets", [("en",), ("en", "vi")])
def test_the_spooled_docx_is_the_docx_of_the_whole_tree(
    targets: tuple[str, ...], tmp_path: Path
) -> None:
    briefing = long_briefing(targets)
    save_docx(briefing, tmp_path / "spooled.docx")
    build_document(briefing).save(str(tmp_path / "whole.docx"))
    spooled, whole = _parts(tmp_path / "spooled.docx"), _parts(tmp_path / "whole.docx")
    assert sorted(spooled) == sorted(whole)
    assert [n for n in whole if spooled[n] != whole[n]] == []
    body = etree.fromstring(spooled["word/document.xml"])
    table = body.find(f"{W}body/{W}tbl")
    assert table is not None
    assert len(table.findall(f"{W}tr")) == 1 + len(briefing.paragraphs)
    assert list(body.iter(etree.Comment)) == []  # no marker left behind


def test_finished_rows_and_captions_leave_the_tree_while_it_is_built() -> None:
    briefing = long_briefing(("en", "vi"))
    spool = Spool()
    document = build_document(briefing, spool)
    body = document.element.body
    rows = sum(len(t.findall(f"{W}tr")) for t in body.iter(f"{W}tbl"))
    # header rows and the appendix's few terms only; every paragraph row, finding row,
    # forced term row and caption was serialised out of the tree when done
    assert rows <= len(body.findall(f"{W}tbl")) + len(briefing.terms)
    assert len(body.findall(f"{W}p")) < 60
    assert len(spool.chunks) >= len(briefing.paragraphs) + len(briefing.captions)


def test_a_released_row_is_taken_apart_from_the_leaves_up() -> None:
    """Issue 18: lxml fixes the namespaces of a removed subtree against a cache that grows
    with it, so removing a row of thousands of sentences at once was quadratic in them;
    taken apart leaves first, each node leaves the tree on its own."""
    briefing = long_briefing(("en",))
    spool = Spool()
    document = build_document(briefing)  # nothing released yet
    row = max(document.element.body.iter(f"{W}tr"), key=lambda r: len(list(r.iter(f"{W}r"))))
    runs = list(row.iter(f"{W}r"))
    assert len(runs) > 10
    before = len(spool.chunks)
    spool.release(row)
    assert len(spool.chunks) == before + 1 and row.getparent() is None
    # every run left its paragraph too: none was moved inside its row
    assert [r.getparent() for r in runs] == [None] * len(runs)
    assert len(row) == 0


def test_no_row_or_comment_costs_a_scan_of_all_those_before_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """python-docx's ``Table.add_row`` looks the grid up among all the table's rows and
    ``add_comment`` reads every comment id: quadratic in a long article."""

    def add_row(*_: object) -> None:
        raise AssertionError("Table.add_row: a scan of every row before the new one")

    next_id = CT_Comments._next_available_comment_id

    def numbered(comments: CT_Comments) -> int:
        assert len(comments) == 0, "a comment numbered by reading every id before it"
        return next_id(comments)

    monkeypatch.setattr(docx.table.Table, "add_row", add_row)
    monkeypatch.setattr(CT_Comments, "_next_available_comment_id", numbered)
    briefing = long_briefing(("en", "vi"))
    save_docx(briefing, tmp_path / "long.docx")
    with zipfile.ZipFile(tmp_path / "long.docx") as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    ids = [int(c.get(f"{W}id", "")) for c in comments.iter(f"{W}comment")]
    assert ids == list(range(len(ids))) and len(ids) > COPIES


def test_the_streamed_json_is_the_text_of_dumps(tmp_path: Path) -> None:
    briefing = long_briefing(("en", "vi"))
    save_json(briefing, tmp_path / "b.json")
    assert (tmp_path / "b.json").read_bytes() == dumps(briefing).encode("utf-8")


def test_an_absurdly_large_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_ARTICLE_BYTES + 1)  # sparse: no disk, and NULs if it were read
    with pytest.raises(InputError) as info:
        read_article(big)
    message = info.value.message
    assert "too large" in message and str(big) in message and "20 MB" in message
    assert "fix:" in message
    limit = tmp_path / "limit.txt"
    text = (REPO / "input" / "001_sample_meeting.txt").read_bytes()
    limit.write_bytes(text + b"\n" * (MAX_ARTICLE_BYTES - len(text)))
    assert read_article(limit).paragraphs  # exactly the limit is still an article


def test_a_large_file_is_one_article_error_and_the_others_are_written(
    model_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPO / "input" / "001_sample_meeting.txt", folder / "good.txt")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(MAX_ARTICLE_BYTES * 3)
    out = tmp_path / "out"
    options = RunOptions(paths=(folder,), glossary_dir=REPO / "glossary", out_dir=out)
    report = translate_articles(options, model_settings)
    failed = {a.name: a.error or "" for a in report.failed}
    assert list(failed) == ["huge"]
    assert "too large" in failed["huge"] and "60.0 MB" in failed["huge"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "good.docx",
        "good.json",
        "reports",
    ]
