"""Every input form gives the .txt form's article; translate takes them all and says which.

The HTML, DOCX and Markdown forms of the samples (and of the seeds, when ../shared is
there) are built by ``tools/make_input_forms.py``; each must read back into the same
cleaned paragraphs, captions and source URL as the ``.txt``. Then a run over a folder of
forms and bad inputs: each bad one fails with its own message, every other is written,
and the JSON and DOCX name the input format and the extractor.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import docx
import pytest
from conftest import REPO
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.discovery import scan
from bilingual.document import Article
from bilingual.errors import InputError
from bilingual.ingest import read_article
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.readers.docx import OLE_MAGIC

SAMPLES = sorted((REPO / "input").glob("*.txt"))
SEEDS = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
FORMS = ("html", "docx", "md")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_input_forms", REPO / "tools" / "make_input_forms.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cleaned(article: Article) -> tuple[object, ...]:
    return (
        [p.text for p in article.paragraphs],
        [(c.text, c.credit, c.after_paragraph) for c in article.captions],
        article.source_url,
        len(article.repeats),
    )


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    tool = _tool()
    for source in SAMPLES + SEEDS:
        tool.write_forms(source, out)
    return out


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_each_form_of_a_sample_gives_the_txt_article(forms: Path, sample: Path, form: str) -> None:
    article = read_article(forms / f"{sample.stem}.{form}")
    assert _cleaned(article) == _cleaned(read_article(sample))
    assert article.input_format == {"md": "markdown"}.get(form, form)


@pytest.mark.parametrize("form", FORMS)
def test_each_form_of_the_seeds_gives_the_txt_article(forms: Path, form: str) -> None:
    if not SEEDS:
        pytest.skip("the seeds are not available (../shared is absent in this checkout)")
    for seed in SEEDS:
        assert _cleaned(read_article(forms / f"{seed.stem}.{form}")) == _cleaned(
            read_article(seed)
        ), seed.name


def test_the_html_form_drops_the_page_furniture(forms: Path) -> None:
    page = (forms / f"{SAMPLES[0].stem}.html").read_text(encoding="utf-8")
    assert "أخبار ذات صلة" in page and "جميع الحقوق" in page  # the furniture is there
    text = " ".join(p.text for p in read_article(forms / f"{SAMPLES[0].stem}.html").paragraphs)
    for furniture in ("أخبار ذات صلة", "جميع الحقوق", "الرئيسية", "واتساب", "لا توجد تعليقات"):
        assert furniture not in text


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Bad inputs of every new kind, with what each message must say."""
    (folder / "nomain.html").write_text(
        "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>", encoding="utf-8"
    )
    (folder / "english.html").write_text(
        "<html><body><article><p>The ministers met in the capital to discuss cooperation "
        "against cybercrime on Tuesday.</p></article></body></html>",
        encoding="utf-8",
    )
    shutil.copy(REPO / "tests" / "models" / "translate-ar_en-test.argosmodel", folder / "zip.docx")
    (folder / "secret.docx").write_bytes(OLE_MAGIC + bytes(504))
    (folder / "old.doc").write_bytes(OLE_MAGIC + bytes(504))
    return {
        "nomain": "has no main text",
        "english": "not Arabic",
        "zip": "not a Word document",
        "secret": "password-protected",
        "old": "soffice --headless --convert-to docx",
    }


def test_translate_takes_every_form_and_reports_each_bad_one(
    forms: Path, model_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    stem = SAMPLES[0].stem
    for form in FORMS:
        shutil.copy(forms / f"{stem}.{form}", folder / f"{form}-form.{form}")
    (folder / "legacy.txt").write_bytes(SAMPLES[1].read_text(encoding="utf-8").encode("cp1256"))
    page = (forms / f"{stem}.html").read_text(encoding="utf-8")
    lying = page.replace('<meta charset="utf-8">', '<meta charset="windows-1256">')
    (folder / "lying.html").write_bytes(lying.encode("utf-8"))
    expected = _bad_inputs(folder)
    out = tmp_path / "out"
    report = translate_articles(
        RunOptions(paths=(folder,), out_dir=out, run_date="2026-11-23T00:00:00+00:00"),
        model_settings,
    )
    failed = {a.name: a.error or "" for a in report.failed}
    assert sorted(failed) == sorted(expected)
    for name, says in expected.items():
        assert says in failed[name] and name in failed[name], failed[name]
    written = {
        "html-form": ("html", "trafilatura "),
        "docx-form": ("docx", "python-docx "),
        "md-form": ("markdown", "markdown-it-py "),
        "legacy": ("text", None),
        "lying": ("html", "trafilatura "),
    }
    for name, (form, extractor) in written.items():
        article = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["article"]
        assert article["input_format"] == form
        if extractor is None:
            assert article["extractor"] is None
        else:
            assert article["extractor"].startswith(extractor)
        meta = next(
            p.text
            for p in docx.Document(str(out / f"{name}.docx")).paragraphs
            if p.text.startswith("Input: ")
        )
        assert (extractor or "plain text") in meta
    legacy = json.loads((out / "legacy.json").read_text(encoding="utf-8"))["article"]
    assert legacy["encoding"] == "windows-1256"
    assert any(n.startswith("decoded as windows-1256") for n in legacy["notices"])
    lied = json.loads((out / "lying.json").read_text(encoding="utf-8"))["article"]
    assert lied["encoding"] == "utf-8" and any("<meta charset>" in n for n in lied["notices"])
    # the output folder given as input: its briefings are no articles
    with pytest.raises(InputError, match="is a briefing that bilingual wrote"):
        read_article(out / "docx-form.docx")
    found = scan([out])
    assert not found.files and "folder has no articles" in found.problems[0][1].message


def test_arabic_indic_digits_reach_the_model_as_digits(
    model_settings: Settings, tmp_path: Path
) -> None:
    """Through the real engine: the test model drops ٢٥ ("on  October") but not 25; the
    briefing's Arabic keeps the digits as written."""
    article = tmp_path / "digits.txt"
    article.write_text("وقعت الدول على الاتفاقية يوم ٢٥ أكتوبر.\n", encoding="utf-8")
    out = tmp_path / "out"
    translate_articles(
        RunOptions(paths=(article,), out_dir=out, run_date="2026-11-23T00:00:00+00:00"),
        model_settings,
    )
    sentence = json.loads((out / "digits.json").read_text(encoding="utf-8"))["paragraphs"][0][
        "sentences"
    ][0]
    assert "٢٥" in sentence["ar"]
    assert "25 October" in sentence["en"], sentence["en"]


def test_encoding_on_the_command_line(models_home: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes("عقد الوزراء اجتماعا حول التعاون.\n".encode("cp1256"))
    env = {"BILINGUAL_HOME": str(models_home)}
    runner = CliRunner()
    bad = runner.invoke(app, ["translate", str(article), "--encoding", "klingon"], env=env)
    assert bad.exit_code == 2 and "--encoding" in bad.output
    wrong = runner.invoke(
        app,
        ["translate", str(article), "--encoding", "utf-8", "--out", str(tmp_path / "o")],
        env=env,
    )
    assert wrong.exit_code == 1 and "a.txt" in wrong.output and "--encoding" in wrong.output
    good = runner.invoke(
        app,
        ["translate", str(article), "--encoding", "cp1256", "--out", str(tmp_path / "o")],
        env=env,
    )
    assert good.exit_code == 0, good.output
    data = json.loads((tmp_path / "o" / "a.json").read_text(encoding="utf-8"))
    assert data["article"]["encoding"] == "windows-1256"
