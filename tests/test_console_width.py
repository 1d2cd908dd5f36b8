"""Every line the CLI prints fits 80 columns, wrapped between words (never mid-word), and
the translate summary keeps its columns the day a reviewed sentence first comes back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from docx_edit import set_sentence
from rich.cells import cell_len
from test_cli_console import invoke

from bilingual.cli._wrap import wrap_spans

WIDE = 10_000
"""Columns at which nothing wraps: the reference text every word is looked up in."""


def _whole(token: str, wide: str) -> bool:
    """``token`` occurs in ``wide`` whole: between spaces, or a piece of a path or the
    signature broken after a ``/`` or ``|``."""
    core = token.rstrip("/|")
    return bool(re.search(rf"(?:^|[\s/|]){re.escape(core)}(?=$|[\s/|])", wide))


def _check(narrow: str, wide: str) -> None:
    for line in narrow.splitlines():
        assert cell_len(line) <= 80, f"{cell_len(line)} columns: {line!r}\n{narrow}"
    for token in narrow.split():
        if re.fullmatch(r"[\d.,:;/()s]+|[─━┏┳┓┃┡╇┩│└┴┘]+", token):  # figures and times vary by run
            continue
        assert _whole(token, wide), f"{token!r} is no whole word of the run:\n{narrow}"


def _both(args: list[str], home: Path, project: Path, spare: Path, mp: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``args`` at 80 columns in ``project`` and, on a copy of it made first, at a
    width where nothing wraps; check the narrow output against the wide one."""
    shutil.rmtree(spare, ignore_errors=True)
    shutil.copytree(project, spare)
    mp.chdir(spare)
    wide = invoke(args, home, WIDE).output.replace(str(spare), str(project))
    mp.chdir(project)
    narrow = invoke(args, home, 80)
    _check(narrow.output, " ".join(wide.split()))
    return narrow


def _header(out: str) -> list[str]:
    return next(line.split() for line in out.splitlines() if line.startswith("article"))


def test_every_line_fits_80_columns_and_wraps_between_words(
    models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a deep folder: the project line and the paths in it are longer than a line
    project = tmp_path / "a-rather-long-folder-name-for-the-desk" / "briefings-of-the-week"
    spare = tmp_path / "b-rather-long-folder-name-for-the-desk" / "briefings-of-the-week"
    project.parent.mkdir()
    monkeypatch.chdir(project.parent)
    made = invoke(["init", str(project), "--to", "en,vi"], models_home)
    assert made.exit_code == 0, made.output
    shutil.copytree(REPO / "glossary", project / "glossary", dirs_exist_ok=True)
    articles = str(REPO / "input")
    runs = [
        ["translate", articles, "-q"],  # both test models, the project's memory
        ["models", "list"],
        ["memory", "stats"],
    ]
    for args in runs:
        result = _both(args, models_home, project, spare, monkeypatch)
        assert result.exit_code == 0, result.output
    first = _both(["translate", articles, "-q"], models_home, project, spare, monkeypatch)
    docx = project / "output" / "001_sample_meeting.docx"
    set_sentence(docx, "p2.s2", "en", "A reviewer's sentence, written by hand today.")
    review = ["review", "import", str(docx), "--diff"]
    assert _both(review, models_home, project, spare, monkeypatch).exit_code == 0
    again = _both(["translate", articles, "-q"], models_home, project, spare, monkeypatch)
    assert again.exit_code == 0, again.output
    assert "time:" in again.output and "signature:" in again.output
    # the same columns with and without a sentence from the memory
    assert _header(first.output) == _header(again.output), again.output


def test_a_long_token_is_broken_after_a_slash_or_bar_on_lines_of_its_own() -> None:
    line = "signature: " + "|".join(f"field{i}:value-{i}" for i in range(12))
    spans = wrap_spans(line, 40)
    lines = [indent + line[s:e] for indent, s, e in spans]
    assert lines[0] == "signature:"
    assert all(len(x) <= 40 for x in lines) and all(x.startswith("  ") for x in lines[1:])
    assert all(x.rstrip().endswith("|") for x in lines[1:-1])
    assert "".join(x.strip() for x in lines[1:]) == line.split(" ")[1]


def test_a_hanging_indent_follows_the_lines_own_indent() -> None:
    line = "  " + " ".join(["word"] * 30)
    lines = [indent + line[s:e] for indent, s, e in wrap_spans(line, 30)]
    assert lines[0].startswith("  word") and all(x.startswith("    word") for x in lines[1:])
    assert all(len(x) <= 30 for x in lines)
