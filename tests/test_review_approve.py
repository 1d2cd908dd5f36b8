"""Approval sentence by sentence: the approval box before each target sentence.

The box is ticked here as Word ticks it (``w14:checked`` and the glyph, in the XML), and
as an editor that flattened the control leaves it (the glyph as text, an ``x`` typed over
it); the LibreOffice round trip is in ``test_review_libreoffice.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import REPO
from docx.oxml.ns import qn
from docx_edit import set_sentence
from lxml import etree

from bilingual.config import Settings
from bilingual.docx_io.approval import CHECKED, UNCHECKED, W14, checkbox_state
from bilingual.docx_io.reader import read_docx
from bilingual.docx_io.styles import STATUS_TAGS
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import read_review, store_reviews

MEETING = REPO / "input" / "001_sample_meeting.txt"
NAME = "001_sample_meeting"


def _run(settings: Settings, out: Path, memory: Path) -> RunReport:
    options = RunOptions(
        paths=(MEETING,),
        targets=("en",),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
    )
    return translate_articles(options, settings)


@pytest.fixture()
def briefing(tmp_path: Path, model_settings: Settings) -> Path:
    report = _run(model_settings, tmp_path / "output", tmp_path / "memory.sqlite")
    assert not report.failed
    return tmp_path / "output" / f"{NAME}.docx"


def _twin(docx_path: Path) -> dict[str, str]:
    data = json.loads(docx_path.with_suffix(".json").read_text(encoding="utf-8"))
    return {s["id"]: s["en"] for p in data["paragraphs"] for s in p["sentences"]}


def _box(document: docx.document.Document, segment_id: str) -> etree._Element:
    """The approval control of the English sentence ``segment_id``."""
    prefix = f"bl_{segment_id.replace('.', '')}_en_"
    for start in document.element.body.iter(qn("w:bookmarkStart")):
        if start.get(qn("w:name"), "").startswith(prefix):
            node = start.getnext()
            while node is not None and node.tag != qn("w:sdt"):
                node = node.getnext()
            assert node is not None and checkbox_state(node) is False
            return node
    raise AssertionError(f"no anchor {prefix}*")


def _tick_as_word(path: Path, *segment_ids: str) -> None:
    """What a click in Word leaves: the flag set and the glyph swapped."""
    document = docx.Document(str(path))
    for segment_id in segment_ids:
        sdt = _box(document, segment_id)
        sdt.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "1")
        (t,) = sdt.iter(qn("w:t"))
        t.text = CHECKED
    document.save(str(path))


def _flatten(path: Path, segment_id: str, glyph: str, *, keep_style: bool = True) -> None:
    """What an editor that drops content controls leaves: the glyph as a plain run."""
    document = docx.Document(str(path))
    sdt = _box(document, segment_id)
    (run,) = sdt.iter(qn("w:r"))
    (t,) = run.iter(qn("w:t"))
    t.text = glyph
    if not keep_style:
        run.remove(run.find(qn("w:rPr")))
        nbsp = sdt.getnext()
        nbsp.remove(nbsp.find(qn("w:rPr")))
    sdt.addprevious(run)
    sdt.getparent().remove(sdt)
    document.save(str(path))


def test_every_target_sentence_has_an_unticked_box_that_is_no_part_of_its_text(
    briefing: Path,
) -> None:
    document = docx.Document(str(briefing))
    boxes = [s for s in document.element.body.iter(qn("w:sdt")) if checkbox_state(s) is not None]
    twin = _twin(briefing)
    names = [b.get(qn("w:name"), "") for b in document.element.body.iter(qn("w:bookmarkStart"))]
    targets = [n for n in names if n.startswith("bl_") and "_en_" in n]  # a caption's too
    assert len(boxes) == len(targets) > len(twin) and not any(checkbox_state(s) for s in boxes)
    # the text as read back is the text written: no glyph, no false edit
    assert {s.id: s.text("en") for s in read_docx(briefing).segments} == twin
    review = read_review(briefing)
    assert not review.units and not review.changed and not review.ticked
    # the legend explains the box, on every briefing
    assert any(p.text.startswith(UNCHECKED) for p in document.paragraphs)


def test_a_box_ticked_in_word_approves_that_sentence_as_it_stands(
    briefing: Path, tmp_path: Path, model_settings: Settings
) -> None:
    twin = _twin(briefing)
    _tick_as_word(briefing, "p2.s1", "p3.s1")
    review = read_review(briefing)
    assert not review.changed
    assert review.ticked == ("p2.s1 (en)", "p3.s1 (en)")
    assert sorted((u.target, u.status) for u in review.units) == sorted(
        [(twin["p2.s1"], "approved"), (twin["p3.s1"], "approved")]
    )
    with TranslationMemory(tmp_path / "memory.sqlite") as tm:
        assert store_reviews(tm, [review]) == [2]
    # the next briefing shows them approved, without a box; the others keep theirs
    report = _run(model_settings, tmp_path / "output", tmp_path / "memory.sqlite")
    assert not report.failed
    document = docx.Document(str(briefing))
    body = "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    assert body.count(STATUS_TAGS["approved"]) == 1 + 2  # the legend, the two sentences
    boxes = [s for s in document.element.body.iter(qn("w:sdt")) if checkbox_state(s) is not None]
    assert len(boxes) == len(twin) + 1 - 2  # the caption's box, and none for the approved
    assert read_review(briefing).units == ()


def test_a_ticked_box_on_an_edited_sentence_approves_the_edit(briefing: Path) -> None:
    new = "The Minister of the Interior opened the session this morning."
    _tick_as_word(briefing, "p2.s2")
    set_sentence(briefing, "p2.s2", "en", new)
    review = read_review(briefing)
    (change,) = review.changed
    assert change.segment_id == "p2.s2" and change.after == new and change.approved
    (unit,) = review.units
    assert unit.target == new and unit.status == "approved"
    # an edit with its box left alone is reviewed, not approved
    set_sentence(briefing, "p2.s1", "en", "The session began.")
    statuses = {u.target: u.status for u in read_review(briefing).units}
    assert statuses == {new: "approved", "The session began.": "reviewed"}


def test_a_box_flattened_to_text_is_read_by_its_glyph(briefing: Path) -> None:
    twin = _twin(briefing)
    _flatten(briefing, "p2.s1", "x")  # an x typed over the box, in its style
    _flatten(briefing, "p2.s2", UNCHECKED)  # left alone
    _flatten(briefing, "p3.s1", CHECKED, keep_style=False)  # style lost as well
    review = read_review(briefing)
    assert not review.changed
    assert {u.target: u.status for u in review.units} == {
        twin["p2.s1"]: "approved",
        twin["p3.s1"]: "approved",
    }
    assert {s.id: s.text("en") for s in read_docx(briefing).segments} == twin


def test_translate_takes_the_ticks_in_before_it_replaces_the_briefing(
    briefing: Path, tmp_path: Path, model_settings: Settings
) -> None:
    twin = _twin(briefing)
    _tick_as_word(briefing, "p2.s2")
    report = _run(model_settings, tmp_path / "output", tmp_path / "memory.sqlite")
    assert not report.failed
    assert next(a for a in report.articles if a.name == NAME).imported == 1
    with TranslationMemory(tmp_path / "memory.sqlite") as tm:
        assert [(u.target, u.status) for u in tm.units()] == [(twin["p2.s2"], "approved")]
    assert read_review(briefing).units == ()
