"""Tests for bilingual.project and the workspace resolution in bilingual.config."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import resolve_settings, resolve_workspace
from bilingual.errors import ConfigError
from bilingual.project import PROJECT_FILE, find_project, init_project, read_project

runner = CliRunner()


def test_init_writes_the_file_and_folders_and_never_overwrites(tmp_path: Path) -> None:
    file = init_project(tmp_path / "desk", ("en", "vi"))
    assert file == tmp_path / "desk" / PROJECT_FILE
    assert (tmp_path / "desk" / "glossary").is_dir() and (tmp_path / "desk" / "output").is_dir()
    project = read_project(file)
    assert project.targets == ("en", "vi")
    assert project.glossary == (tmp_path / "desk" / "glossary").resolve()
    assert project.memory == (tmp_path / "desk" / "memory.sqlite").resolve()
    file.write_text(file.read_text() + "# my note\n")
    with pytest.raises(ConfigError, match="does not overwrite"):
        init_project(tmp_path / "desk")
    assert "# my note" in file.read_text()


def test_the_project_is_found_from_any_sub_folder(tmp_path: Path) -> None:
    init_project(tmp_path / "desk")
    deep = tmp_path / "desk" / "input" / "2026" / "12"
    deep.mkdir(parents=True)
    found = find_project(deep)
    assert found is not None and found.root == (tmp_path / "desk").resolve()
    assert find_project(tmp_path) is None


def test_order_is_arguments_then_variables_then_the_file_then_defaults(tmp_path: Path) -> None:
    init_project(tmp_path / "desk")
    project = find_project(tmp_path / "desk")
    root = (tmp_path / "desk").resolve()
    space = resolve_workspace({}, project=project, cwd=tmp_path)
    assert space.glossary_dir == root / "glossary" and space.glossary_from == PROJECT_FILE
    assert space.out_dir == root / "output" and space.memory == root / "memory.sqlite"
    env = {"BILINGUAL_OUT": str(tmp_path / "env-out"), "BILINGUAL_TARGETS": "en,vi"}
    space = resolve_workspace(env, project=project, cwd=tmp_path)
    assert space.out_dir == tmp_path / "env-out" and space.targets == ("en", "vi")
    space = resolve_workspace(env, project=project, cwd=tmp_path, out=Path("arg"), targets="en")
    assert space.out_dir == tmp_path / "arg" and space.targets == ("en",)
    bare = resolve_workspace({}, project=None, cwd=tmp_path)
    assert bare.glossary_dir is None and bare.glossary_from == "none"
    assert bare.memory == tmp_path / "output" / "memory.sqlite"
    assert resolve_workspace({}, cwd=tmp_path, use_memory=False).memory is None


def test_the_project_models_folder_is_the_model_home_unless_a_variable_says(
    tmp_path: Path,
) -> None:
    file = init_project(tmp_path / "desk")
    file.write_text(file.read_text().replace('# models = "models"', 'models = "models"'))
    project = read_project(file)
    assert resolve_settings({}, project=project).home == (tmp_path / "desk" / "models").resolve()
    env = {"BILINGUAL_HOME": str(tmp_path / "h")}
    assert resolve_settings(env, project=project).home == tmp_path / "h"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('glossary = "g"\nouput = "o"\n', "unknown setting ouput"),
        ('targets = "en\n', "line 1"),
        ("targets = 3\n", "targets must be a list"),
        ("memory = 3\n", "memory must be a path"),
    ],
)
def test_a_bad_project_file_names_itself_and_the_fault(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / PROJECT_FILE).write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        find_project(tmp_path)
    assert str(tmp_path / PROJECT_FILE) in info.value.message


def test_the_console_says_which_glossary_and_memory_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("عقد الوزراء اجتماعا اليوم.\n", encoding="utf-8")
    env = {"BILINGUAL_HOME": str(tmp_path / "nohome"), "COLUMNS": "200"}
    result = runner.invoke(app, ["translate", "a.md"], env=env)
    assert "no project (bilingual init makes one)" in result.output
    assert "no glossary" in result.output
    assert result.exit_code == 1  # no model installed: a handled error
    assert runner.invoke(app, ["init", "."], env=env).exit_code == 0
    result = runner.invoke(app, ["translate", "a.md"], env=env)
    assert f"project {(tmp_path / PROJECT_FILE).resolve()}" in result.output
    assert "(from bilingual.toml)" in result.output


def test_an_unclosed_bracket_is_reported_on_the_line_it_opened(tmp_path: Path) -> None:
    # tomllib notices the open `[` at the next key, line 11: the slip is on line 9
    lines = ["# note"] * 5 + ['glossary = "glossary"', "# note", 'output = "output"']
    lines += ['targets = ["en", "vi"', "# the memory", 'memory = "memory.sqlite"']
    file = tmp_path / PROJECT_FILE
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_project(file)
    message = info.value.message
    assert "line 11" in message and "an unclosed `[` may start earlier, on line 9" in message
    assert f"{file}:9" in message and "close the `[` opened on line 9" in message


def test_a_fault_on_its_own_line_names_only_that_line(tmp_path: Path) -> None:
    file = tmp_path / PROJECT_FILE
    text = 'glossary = "a # [not a bracket"\n# [ nor this\ntargets = ["en"]\noutput = = 1\n'
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_project(file)
    assert "line 4" in info.value.message and "unclosed" not in info.value.message


def test_init_names_the_glossary_folder_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "desk"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "put glossary YAML files in desk/glossary/," in result.output, result.output
