"""Tests for bilingual.cli: exit codes, messages, and the commands end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AR_EN, REPO
from typer.testing import CliRunner

from bilingual.cli import app

runner = CliRunner()


def invoke(args: list[str], home: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, env={"BILINGUAL_HOME": str(home), "COLUMNS": "200"})


def test_help_and_version_exit_0(tmp_path: Path) -> None:
    result = invoke(["--help"], tmp_path)
    assert result.exit_code == 0
    for command in ("translate", "models", "glossary"):
        assert command in result.output
    assert invoke(["--version"], tmp_path).output.startswith("bilingual ")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke(["translate"], tmp_path).exit_code == 2
    assert invoke(["translate", "input", "--bogus"], tmp_path).exit_code == 2
    result = invoke(["translate", str(REPO / "input"), "--to", "fr"], tmp_path)
    assert result.exit_code == 2
    assert "en,vi" in result.output


@pytest.mark.parametrize("typed", ["--target", "--targets=en,vi", "--lang", "--languages"])
def test_the_words_for_target_languages_suggest_to(tmp_path: Path, typed: str) -> None:
    # click suggests by spelling: --target would get --strict
    for command in (["translate", "input"], ["init"]):
        result = invoke([*command, typed, "en,vi"], tmp_path)
        assert result.exit_code == 2, result.output
        assert "--to" in result.output and "--strict" not in result.output, result.output
    bogus = invoke(["translate", "input", "--stric"], tmp_path)
    assert bogus.exit_code == 2 and "--strict" in bogus.output  # other slips as before


def test_no_model_installed_exits_1_with_the_install_command(tmp_path: Path) -> None:
    result = invoke(
        ["translate", str(REPO / "input"), "--out", str(tmp_path / "out"), "-q"], tmp_path
    )
    assert result.exit_code == 1
    assert "bilingual models install" in result.output
    assert "ar" in result.output and "Traceback" not in result.output


def test_models_install_then_list(tmp_path: Path) -> None:
    before = invoke(["models", "list"], tmp_path)
    assert before.exit_code == 0 and "no models installed" in before.output
    installed = invoke(["models", "install", str(AR_EN)], tmp_path)
    assert installed.exit_code == 0, installed.output
    listed = invoke(["models", "list"], tmp_path)
    assert listed.exit_code == 0
    assert "ar->en" in listed.output


def test_models_install_bad_file_exits_1_and_lists_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = invoke(["models", "install", str(bad)], tmp_path)
    assert result.exit_code == 1
    assert "broken.argosmodel" in result.output
    assert "no models installed" in invoke(["models", "list"], tmp_path).output


def test_translate_writes_briefings(models_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        [
            "translate",
            str(REPO / "input"),
            "--glossary",
            str(REPO / "glossary"),
            "--out",
            str(out),
            "-q",
        ],
        models_home,
    )
    assert result.exit_code == 0, result.output
    assert "signature: src:ar|tgt:en|" in result.output
    docx = sorted(out.glob("*.docx"))
    briefings = list(out.glob("*.json"))
    assert docx and len(docx) == len(briefings) == len(list((REPO / "input").glob("*.txt")))
    assert (out / "reports" / "consistency.json").is_file()


def test_strict_exits_3_when_a_term_was_forced(
    models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bilingual.enforce as enforce

    real_lock = enforce.lock

    def forcing_lock(translator, sources, requirements, **kw):  # type: ignore[no-untyped-def]
        class Dropper:
            # a model that never renders any term: every requirement ends up forced
            def translate(self, sentences, **k):  # type: ignore[no-untyped-def]
                return translator.translate(["وقع" for _ in sentences], **k)

        return real_lock(Dropper(), sources, requirements, **kw)

    monkeypatch.setattr("bilingual.translate.lock", forcing_lock)
    out = tmp_path / "out"
    args = [
        "translate",
        str(REPO / "input"),
        "--glossary",
        str(REPO / "glossary"),
        "--out",
        str(out),
        "-q",
    ]
    assert invoke([*args, "--strict"], models_home).exit_code == 3
    assert invoke(args, models_home).exit_code == 0


def test_glossary_check_ok_and_bad(tmp_path: Path) -> None:
    ok = invoke(["glossary", "check", str(REPO / "glossary")], tmp_path)
    assert ok.exit_code == 0, ok.output
    assert "total" in ok.output
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "bad.yaml").write_text(
        "version: 1\nterms:\n  - id: x\n    en: X\n", encoding="utf-8"
    )
    bad = invoke(["glossary", "check", str(tmp_path / "g")], tmp_path)
    assert bad.exit_code == 1
    assert "bad.yaml:3" in bad.output


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bilingual", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("bilingual ")


def test_models_install_several_files_at_once(tmp_path: Path) -> None:
    from conftest import EN_VI

    result = invoke(["models", "install", str(AR_EN), str(EN_VI)], tmp_path)
    assert result.exit_code == 0, result.output
    listed = invoke(["models", "list"], tmp_path).output
    assert "ar->en" in listed and "en->vi" in listed
    assert invoke(["models", "install", "ar", str(AR_EN)], tmp_path).exit_code == 2


def test_translate_honours_source_date_epoch(models_home: Path, tmp_path: Path) -> None:
    import json

    sample = sorted((REPO / "input").glob("*.txt"))[0]
    out = tmp_path / "out"
    env = {"BILINGUAL_HOME": str(models_home), "SOURCE_DATE_EPOCH": "1795422600"}
    args = ["translate", str(sample), "--glossary", str(REPO / "glossary"), "--out", str(out)]
    result = runner.invoke(app, [*args, "-q"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{sample.stem}.json").read_text(encoding="utf-8"))
    assert data["run_date"] == "2026-11-23T08:30:00+00:00"
    bad = runner.invoke(app, [*args, "-q"], env={**env, "SOURCE_DATE_EPOCH": "tomorrow"})
    assert bad.exit_code == 1 and "SOURCE_DATE_EPOCH" in bad.output


def test_human_sizes_for_models_list() -> None:
    from bilingual.cli import human_size

    assert human_size(512) == "512 B"
    assert human_size(81_869_670) == "78.1 MB"
