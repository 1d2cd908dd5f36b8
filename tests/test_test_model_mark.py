"""A package that declares itself a test model is announced: once on the console, as a
banner on the briefing's first page, and in the JSON (``test_models``).

The committed test models are marked (``"bilingual": {"test_model": true}`` in their
metadata.json); a copy with the mark removed stands for a real model, which gets none of
the three.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import jsonschema  # type: ignore[import-untyped]
import pytest
from conftest import AR_EN, EN_VI, REPO
from docx.oxml.ns import qn
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import resolve_settings
from bilingual.document.briefing import TEST_MODEL_WARNING
from bilingual.engine import is_test_model, open_translator
from bilingual.json_io import read_json
from bilingual.models import install_package_file

SCHEMA = json.loads((REPO / "tests" / "data" / "briefing.schema.json").read_text("utf-8"))
ARTICLE = "عقد وزراء الداخلية اجتماعا حول التعاون في مكافحة الجرائم الإلكترونية يوم 12 مارس.\n"


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"bilingual": {"test_model": True}}, True),
        ({"bilingual": {"test_model": True, "note": "x"}, "type": "translate"}, True),
        ({"bilingual": {"test_model": False}}, False),
        ({"bilingual": {"test_model": "true"}}, False),  # only JSON true declares it
        ({"bilingual": {"test_model": 1}}, False),
        ({"bilingual": True}, False),
        ({"bilingual": ["test_model"]}, False),
        ({"test_model": True}, False),  # our key lives under "bilingual"
        ({}, False),
    ],
)
def test_is_test_model_reads_only_the_documented_mark(
    metadata: dict[str, Any], expected: bool
) -> None:
    assert is_test_model(metadata) is expected


def _unmarked_copy(package: Path, dest: Path) -> Path:
    """``package`` with the test-model mark taken out of its metadata.json."""
    out = dest / package.name
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("/metadata.json"):
                metadata = json.loads(data)
                ours = metadata.pop("bilingual")
                assert ours.pop("test_model") is True
                if ours:  # the confidence thresholds stay: a real model may have them too
                    metadata["bilingual"] = ours
                data = json.dumps(metadata).encode()
            zf.writestr(info, data)
    return out


@pytest.fixture(scope="module")
def unmarked_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("real-home")
    settings = resolve_settings({}, home=home, threads=2)
    for package in (AR_EN, EN_VI):
        install_package_file(settings, _unmarked_copy(package, tmp_path_factory.mktemp("zip")))
    return home


def test_the_engine_reads_the_mark_at_load_time(models_home: Path, unmarked_home: Path) -> None:
    marked = open_translator(resolve_settings({}, home=models_home, threads=2), "ar", "en")
    assert marked.test_model is True
    plain = open_translator(resolve_settings({}, home=unmarked_home, threads=2), "ar", "en")
    assert plain.test_model is False


def _translate(home: Path, folder: Path, to: str) -> Any:
    (folder / "in").mkdir(parents=True)
    (folder / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "in" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["translate", str(folder / "in"), "--to", to, "--out", str(folder / "out"), "-q"]
    args += ["--no-memory"]
    env = {"BILINGUAL_HOME": str(home), "COLUMNS": "200"}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return result


def _first_paragraph(path: Path) -> Any:
    return docx.Document(str(path)).paragraphs[0]


def test_a_test_model_is_announced_on_the_console_in_the_docx_and_in_the_json(
    models_home: Path, tmp_path: Path
) -> None:
    result = _translate(models_home, tmp_path, "en,vi")
    labels = ["translate-ar_en", "translate-en_vi"]
    # once per run (two articles here), naming both packages
    assert result.output.count(TEST_MODEL_WARNING) == 1
    warning = result.output[result.output.index(TEST_MODEL_WARNING) :]
    assert all(label in warning.split("\n\n")[0] for label in labels), warning
    for name in ("a", "b"):
        data = json.loads((tmp_path / "out" / f"{name}.json").read_text("utf-8"))
        jsonschema.Draft202012Validator(SCHEMA).validate(data)
        assert data["test_models"] == data["models"]
        assert read_json(tmp_path / "out" / f"{name}.json").test_models == tuple(data["models"])
        banner = _first_paragraph(tmp_path / "out" / f"{name}.docx")
        assert banner.text.startswith(TEST_MODEL_WARNING)
        assert all(model in banner.text for model in data["models"])
        shading = banner._p.find(f"{qn('w:pPr')}/{qn('w:shd')}")
        assert shading is not None and shading.get(qn("w:fill")) not in (None, "auto", "FFFFFF")
        assert banner._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None


def test_a_real_model_gets_no_warning_no_banner_and_an_empty_list(
    unmarked_home: Path, tmp_path: Path
) -> None:
    result = _translate(unmarked_home, tmp_path, "en")
    assert TEST_MODEL_WARNING not in result.output
    data = json.loads((tmp_path / "out" / "a.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["test_models"] == []
    document = docx.Document(str(tmp_path / "out" / "a.docx"))
    assert not any(TEST_MODEL_WARNING in p.text for p in document.paragraphs)
    assert _first_paragraph(tmp_path / "out" / "a.docx").style.name == "Title"


def test_a_json_written_before_the_key_reads_as_no_test_model(
    models_home: Path, tmp_path: Path
) -> None:
    _translate(models_home, tmp_path, "en")
    path = tmp_path / "out" / "a.json"
    data = json.loads(path.read_text("utf-8"))
    del data["test_models"]
    jsonschema.Draft202012Validator(SCHEMA).validate(data)  # optional in the schema
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_json(path).test_models == ()
