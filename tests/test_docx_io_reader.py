"""DOCX reader (bilingual.docx_io.reader): the segments come back from a briefing bilingual wrote,
also after a reviewer's edit and after LibreOffice saved it again."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from briefing_factory import (
    EXAMPLES,
    example_en_vi,
    make_briefing,
    with_first_sentence,
)
from conftest import REPO
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.config import Settings
from bilingual.document import Briefing, Rendering
from bilingual.docx_io import read_docx, write_docx
from bilingual.errors import BriefingReadError
from bilingual.pipeline import RunOptions, translate_articles

Texts = list[tuple[str, int, str, dict[str, str | None]]]


def texts_of(briefing: Briefing) -> Texts:
    return [
        (s.id, s.number, s.source, {t: s.text(t) for t in briefing.targets})
        for s in briefing.segments()
    ]


def read_texts(path: Path, targets: tuple[str, ...]) -> Texts:
    got = read_docx(path)
    assert got.targets == targets
    return [(s.id, s.number, s.source, {t: s.text(t) for t in targets}) for s in got.segments]


def json_texts(path: Path) -> Texts:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (s["id"], s["number"], s["ar"], {t: s[t] for t in data["targets"]})
        for p in data["paragraphs"]
        for s in p["sentences"]
    ]


@pytest.mark.parametrize("briefing", [make() for make in EXAMPLES.values()], ids=list(EXAMPLES))
def test_segments_come_back_from_a_briefing(briefing: Briefing, tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    write_docx(briefing, path)
    assert read_texts(path, briefing.targets) == texts_of(briefing)
    assert read_docx(path).signature == briefing.signature


@pytest.fixture(scope="module")
def sample_run(models_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bilingual.config import resolve_settings

    out = tmp_path_factory.mktemp("samples")
    settings: Settings = resolve_settings({}, home=models_home, threads=2)
    options = RunOptions(
        paths=(REPO / "input",),
        targets=("en", "vi"),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-11-23T00:00:00+00:00",
    )
    assert not translate_articles(options, settings).failed
    return out


def test_every_sample_docx_gives_back_the_segments_of_its_json(sample_run: Path) -> None:
    docs = sorted(sample_run.glob("*.docx"))
    assert docs
    for path in docs:
        assert read_texts(path, ("en", "vi")) == json_texts(path.with_suffix(".json")), path


def test_an_edited_sentence_is_read_as_edited(sample_run: Path, tmp_path: Path) -> None:
    source = sorted(sample_run.glob("*.docx"))[0]
    document = docx.Document(str(source))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "#")
    cell = table.rows[1].cells[2]  # paragraph 1, English
    plain = [r for r in cell._tc.iter(qn("w:r")) if r.style is None and r.text.strip()]
    plain[0].text = "A reviewer's own words, "
    for run in plain[1:]:
        run.text = ""
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    before = json_texts(source.with_suffix(".json"))
    after = read_texts(edited, ("en", "vi"))
    assert after[0][3]["en"] == "A reviewer's own words, "
    assert after[0][:3] == before[0][:3] and after[0][3]["vi"] == before[0][3]["vi"]
    assert after[1:] == before[1:]


def test_numbers_are_found_as_text_when_the_styles_are_gone(tmp_path: Path) -> None:
    briefing = example_en_vi()
    path = tmp_path / "a.docx"
    write_docx(briefing, path)
    document = docx.Document(str(path))
    for style in list(document.element.body.iter(qn("w:rStyle"))):
        style.getparent().remove(style)
    document.save(str(path))
    assert read_texts(path, briefing.targets) == texts_of(briefing)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_segments_survive_a_libreoffice_save(tmp_path: Path) -> None:
    briefing = example_en_vi()
    path = tmp_path / "in" / "a.docx"
    write_docx(briefing, path)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert read_texts(out / "a.docx", briefing.targets) == texts_of(briefing)


def test_a_file_that_is_not_a_briefing_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("not a zip", encoding="utf-8")
    with pytest.raises(BriefingReadError) as info:
        read_docx(text)
    assert str(text) in str(info.value) and "fix:" in str(info.value)
    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("hello")
    document.save(str(plain))
    with pytest.raises(BriefingReadError, match="no aligned table"):
        read_docx(plain)
    with pytest.raises(BriefingReadError, match="cannot be read"):
        read_docx(tmp_path / "missing.docx")


MIXED = st.text(
    st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأؤإئةى0123456789.,:;()[]-'\"abcX é†")),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() == t and t.strip() != "")


@settings(max_examples=15, deadline=None)
@given(ar=MIXED, en=MIXED)
def test_any_sentence_text_comes_back(ar: str, en: str) -> None:
    base = make_briefing(("en",), captions=False)
    s0 = dataclasses.replace(
        base.paragraphs[0].sentences[0], source=ar, renderings={"en": Rendering(en)}
    )
    briefing = with_first_sentence(base, s0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.docx"
        write_docx(briefing, path)
        assert read_texts(path, ("en",)) == texts_of(briefing)
