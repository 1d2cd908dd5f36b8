"""What the console shows: user text printed as given (no rich markup), help that names
values instead of Python types, and a summary that reads at 80 columns and in a pipe."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from conftest import AR_EN, REPO
from typer.testing import CliRunner
from unprivileged import kernel_refuses, run_unprivileged

from bilingual.cli import app

runner = CliRunner()

MARKUP = "[bold]x[/]"
"""Rich markup that a console with markup on eats: the test looks for it verbatim."""


def invoke(args: list[str], home: Path, columns: int = 80):  # type: ignore[no-untyped-def]
    # CliRunner's output is no terminal: this is the console as seen in a pipe
    return runner.invoke(app, args, env={"BILINGUAL_HOME": str(home), "COLUMNS": str(columns)})


def invoke_wide(args: list[str], home: Path, columns: int = 10_000):  # type: ignore[no-untyped-def]
    # wide enough that nothing wraps: these tests look for user text printed as given
    return invoke(args, home, columns)


def flat(text: str) -> str:
    return " ".join(text.split())


# -- help ------------------------------------------------------------------------------


def _command_paths() -> Iterator[tuple[list[str], typer.core.TyperCommand]]:
    root = typer.main.get_command(app)
    stack: list[tuple[list[str], object]] = [([], root)]
    while stack:
        path, command = stack.pop()
        yield path, command  # type: ignore[misc]
        for name, sub in getattr(command, "commands", {}).items():
            stack.append(([*path, name], sub))


COMMANDS = sorted(_command_paths(), key=lambda pc: pc[0])


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "bilingual" for p, _ in COMMANDS]
)
def test_help_at_80_columns_names_values_and_keeps_every_help_text_whole(
    path: list[str], command: typer.core.TyperCommand, tmp_path: Path
) -> None:
    result = invoke([*path, "--help"], tmp_path)
    assert result.exit_code == 0, result.output
    out = result.output
    for python in ("list[", "<bool>", "<str>", "<int>", "<path>", "Path]", "<list"):
        assert python not in out, f"a Python type in the help: {python!r}\n{out}"
    assert not re.search(r"<[a-z]+>", out), out
    assert "…" not in out, out  # nothing cut with an ellipsis
    assert all(len(line) <= 80 for line in out.splitlines()), out
    for param in command.params:
        if getattr(param, "help", None):
            # the help text whole, brackets and all (rich markup would eat `[a-z0-9_-]+`)
            assert flat(param.help) in flat(out), f"{param.name}: {param.help!r} not in\n{out}"  # type: ignore[attr-defined]
    for name, sub in getattr(command, "commands", {}).items():
        summary = sub.help.split("\n\n")[0].split(". ")[0].rstrip(".")
        assert flat(summary) in flat(out), f"{name}'s summary cut in\n{out}"


def test_glossary_add_help_shows_the_id_pattern_and_every_type(tmp_path: Path) -> None:
    out = invoke(["glossary", "add", "--help"], tmp_path).output
    assert "[a-z0-9_-]+" in out
    for kind in ("person", "organization", "place", "instrument", "event", "title", "term"):
        assert kind in out
    assert "--id TEXT" in out and "--file PATH" in out and "--quiet" not in out


# -- user text is printed as given -------------------------------------------------------


def _article(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / name
    shutil.copyfile(REPO / "input" / "001_sample_meeting.txt", file)
    return file


def test_translate_prints_names_with_brackets_verbatim(models_home: Path, tmp_path: Path) -> None:
    # a folder named "[bold]x[" holding "]y.txt" is a path that reads "[bold]x[/]y.txt"
    good = _article(tmp_path / "in", "[draft] [bold]x meeting.txt")
    nested = tmp_path / "in" / "[bold]x[" / "]y.txt"
    nested.parent.mkdir()
    nested.write_text("English, not Arabic", encoding="utf-8")
    empty = tmp_path / "in" / "[draft] empty.txt"
    empty.write_text("", encoding="utf-8")
    glossary = tmp_path / "[draft] glossary"
    shutil.copytree(REPO / "glossary", glossary)
    out_dir = tmp_path / f"[draft] out {MARKUP[:-3]}"
    args = ["translate", str(good), str(nested), str(empty), "--glossary", str(glossary)]
    result = invoke_wide([*args, "--out", str(out_dir), "-q"], models_home)
    assert result.exit_code == 1, result.output
    out = result.output
    assert "[draft] [bold]x meeting" in out  # the summary's row
    assert f"in{os.sep}{MARKUP}y.txt" in out  # its error
    assert "[draft] empty.txt" in out  # the error
    assert "[draft] glossary" in out and "[draft] out [bold]x" in out  # the setup line
    assert (out_dir / "[draft] [bold]x meeting.docx").is_file()
    bad_to = invoke_wide([*args, "--to", MARKUP], models_home)
    assert bad_to.exit_code == 2 and MARKUP in bad_to.output, bad_to.output
    missing = tmp_path / "[draft] gone" / f"{MARKUP}.txt"  # a path holding "[/]"
    result = invoke_wide(
        ["translate", str(good), str(missing), "--out", str(out_dir), "-q"], models_home
    )
    assert result.exit_code == 1 and f"[draft] gone{os.sep}{MARKUP}.txt" in result.output


def test_glossary_commands_print_brackets_verbatim(tmp_path: Path) -> None:
    folder = tmp_path / "[draft] g"
    folder.mkdir()
    bad = folder / "[draft] terms.yaml"
    bad.write_text("version: 1\nterms:\n  - id: x\n    en: X\n", encoding="utf-8")
    checked = invoke_wide(["glossary", "check", str(folder)], tmp_path)
    assert checked.exit_code == 1 and "[draft] terms.yaml:3" in checked.output
    bad.unlink()
    target = folder / "[draft] places.yaml"
    added = invoke_wide(
        [
            "glossary",
            "add",
            "--id",
            "ha-long",
            "--ar",
            "ها لونغ",
            "--en",
            "Ha Long",
            "--file",
            str(target),
        ],
        tmp_path,
    )
    assert added.exit_code == 0, added.output
    assert "[draft] places.yaml" in added.output
    bad_id = invoke_wide(
        ["glossary", "add", "--id", MARKUP, "--ar", "س", "--en", MARKUP, "--file", str(target)],
        tmp_path,
    )
    assert bad_id.exit_code == 1 and MARKUP in bad_id.output, bad_id.output
    unknown = invoke_wide(
        ["glossary", "set", MARKUP, "--en", "X", "--glossary", str(folder)], tmp_path
    )
    assert unknown.exit_code == 1 and MARKUP in unknown.output, unknown.output
    article = _article(tmp_path / "[draft] in", "a.txt")
    missing = tmp_path / "[draft] none" / f"{MARKUP}.txt"
    suggested = invoke_wide(["glossary", "suggest", str(article), str(missing)], tmp_path)
    assert suggested.exit_code == 1 and f"{MARKUP}.txt" in suggested.output, suggested.output


def test_models_memory_review_init_print_brackets_verbatim(tmp_path: Path) -> None:
    home = tmp_path / "[draft] home"
    listed = invoke_wide(["models", "list"], home)
    assert listed.exit_code == 0 and "[draft] home" in listed.output, listed.output
    broken = tmp_path / "[draft] broken.argosmodel"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr(f"{MARKUP}/readme.txt", "no metadata")
    installed = invoke_wide(["models", "install", str(broken)], home)
    assert installed.exit_code == 1 and "[draft] broken.argosmodel" in installed.output
    assert invoke_wide(["models", "install", str(AR_EN)], home).exit_code == 0
    table = invoke_wide(["models", "list"], home, columns=200)
    assert table.exit_code == 0 and "[draft] home" in table.output, table.output
    removed = invoke_wide(["models", "remove", MARKUP], home)
    assert removed.exit_code == 1 and MARKUP in removed.output, removed.output
    memory = tmp_path / "[draft] memory.sqlite"
    stats = invoke_wide(["memory", "stats", "--memory", str(memory)], home)
    assert stats.exit_code == 1 and "[draft] memory.sqlite" in stats.output, stats.output
    tmx = tmp_path / "[draft] none" / f"{MARKUP}.tmx"
    imported = invoke_wide(["memory", "import", str(tmx), "--memory", str(memory)], home)
    assert imported.exit_code == 1 and f"{MARKUP}.tmx" in imported.output, imported.output
    docx = tmp_path / "[draft] none" / f"{MARKUP}.docx"
    review = invoke_wide(["review", "import", str(docx), "--memory", str(memory)], home)
    assert review.exit_code == 1 and f"{MARKUP}.docx" in review.output, review.output
    assert "error:" in review.output and "[bold red]" not in review.output
    desk = tmp_path / "[draft] desk"
    made = invoke_wide(["init", str(desk)], home)
    assert made.exit_code == 0 and "[draft] desk" in made.output, made.output


# -- the summary -------------------------------------------------------------------------


def _run_input(models_home: Path, tmp_path: Path, *extra: str, columns: int = 80):  # type: ignore[no-untyped-def]
    args = ["translate", str(REPO / "input"), "--glossary", str(REPO / "glossary")]
    return invoke(
        [*args, "--out", str(tmp_path / "out"), "--no-memory", *extra], models_home, columns
    )


def test_summary_reads_whole_at_80_columns_in_a_pipe(models_home: Path, tmp_path: Path) -> None:
    result = _run_input(models_home, tmp_path, "-q")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "…" not in out
    for name in sorted(p.stem for p in (REPO / "input").glob("*.txt")):
        assert name in out
    for header in ("paragraphs", "sentences", "captions", "flags"):
        assert header in out
    table = [line for line in out.splitlines() if "sample" in line]
    assert all(len(line) <= 80 for line in table), out
    assert re.search(r"\d+(\.\d)? s \(\d+(\.\d)? s in the model\)", out)  # the time on one line


def test_summary_keeps_long_names_whole_when_narrow(models_home: Path, tmp_path: Path) -> None:
    long = "[draft] 2025-10-25 the signing ceremony of the convention in hanoi, second report"
    article = _article(tmp_path / "in", f"{long}.txt")
    args = ["translate", str(article), "--glossary", str(REPO / "glossary")]
    for columns in (80, 40):
        out_dir = tmp_path / f"out{columns}"
        result = invoke([*args, "--out", str(out_dir), "--no-memory", "-q"], models_home, columns)
        assert result.exit_code == 0, result.output
        assert long in result.output and "…" not in result.output
        assert "sentences" in result.output and "paragraphs" in result.output


def test_errors_come_first_and_unused_terms_only_on_request(
    models_home: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.txt").write_text("not Arabic at all", encoding="utf-8")
    args = [
        "translate",
        str(tmp_path / "bad.txt"),
        str(REPO / "input"),
        "--glossary",
        str(REPO / "glossary"),
    ]
    result = invoke([*args, "--out", str(tmp_path / "out"), "-q"], models_home)
    assert result.exit_code == 1
    out = result.output
    assert out.index("error:") < out.index("001_sample_meeting")
    assert "bad.txt" in out and "1 article(s) failed" in flat(out)  # wrapped at 80
    assert "found in no article (--verbose lists them)" in flat(out)
    assert "aaron-walsh" not in out  # an id of the project glossary no sample uses
    verbose = invoke([*args, "--out", str(tmp_path / "out"), "-q", "--verbose"], models_home)
    assert "aaron-walsh" in verbose.output


def test_every_article_failing_says_so_and_nothing_else(models_home: Path, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("not Arabic", encoding="utf-8")
    args = [
        "translate",
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        "--glossary",
        str(REPO / "glossary"),
    ]
    result = invoke([*args, "--out", str(tmp_path / "out"), "-q"], models_home)
    assert result.exit_code == 1
    out = result.output
    assert "no briefing written: all 2 article(s) failed" in out
    assert "0 article" not in out and "0 briefing" not in out
    assert "found in no article" not in out and "signature" not in out
    assert out.count("error:") == 2


def test_progress_and_summary_count_the_same_labelled_units(
    models_home: Path, tmp_path: Path
) -> None:
    result = _run_input(models_home, tmp_path)  # progress on: in a pipe, its last state
    assert result.exit_code == 0, result.output
    out = result.output
    done = re.search(r"translating to English\D*(\d+)/(\d+)\s+segments", out)
    assert done, out
    summary = re.search(r"(\d+) segment\(s\) per language: (\d+) sentences \+ (\d+) captions", out)
    assert summary, out
    total, sentences, captions = (int(g) for g in summary.groups())
    assert int(done.group(2)) == total == sentences + captions and captions > 0
    n = len(list((REPO / "input").glob("*.txt")))
    assert re.search(rf"writing briefings\D*{n}/{n}\s+briefings", out)


# -- article paths ----------------------------------------------------------------------


def test_an_unreadable_or_missing_article_is_one_failure_among_others(
    models_home: Path, tmp_path: Path
) -> None:
    # run as an ordinary user would (CI is root, which reads a mode-0 file): the command
    # line itself must not refuse the unreadable path (typer checks with os.access)
    locked = _article(tmp_path, "locked.txt")
    locked.chmod(0)
    assert kernel_refuses(locked)
    sample = REPO / "input" / "001_sample_meeting.txt"
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    args = ["translate", locked, missing, sample, "--glossary", REPO / "glossary"]
    env = {"BILINGUAL_HOME": str(models_home)}
    result = run_unprivileged([*args, "--out", out, "-q"], env=env)
    text = result.stdout + result.stderr
    assert result.returncode == 1, text  # not 2: no usage error
    assert "locked.txt" in text and "missing.txt" in text and "does not exist" in text
    assert (out / "001_sample_meeting.docx").is_file()
    both = invoke(["translate", str(missing), str(tmp_path / "gone.txt"), "-q"], models_home)
    assert both.exit_code == 1 and "missing.txt" in both.output and "gone.txt" in both.output


def test_no_path_parameter_is_checked_for_readability_by_the_command_line() -> None:
    # click.Path(readable=True) refuses an unreadable path with a usage error (exit 2) before
    # bilingual runs, so one unreadable article stopped every other one: each command
    # reports such a path itself, as one failure among others
    checked = []
    for path, command in _command_paths():
        for param in command.params:
            descriptor = param.type_descriptor  # type: ignore[attr-defined]
            if descriptor.is_path:
                checked.append((" ".join(path), param.name))
                info = descriptor.parameter_info
                assert not info.readable, (path, param.name)
                assert not info.exists, (path, param.name)
    assert len(checked) > 20
