"""Hostile and broken glossary files: alias bombs, characters no document can hold, syntax
errors placed where they start, and each problem printed once by every command."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.glossary import add_term, check_glossary, load_glossary, update_term

REPO = Path(__file__).resolve().parents[1]
HEAD = "version: 1\nterms:\n  - id: eta\n    ar: [حاء]\n"
runner = CliRunner()


def write(folder: Path, text: str, name: str = "terms.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only_problem(folder: Path) -> str:
    glossary, problems = check_glossary(folder)
    assert glossary is None
    assert len(problems) == 1, problems
    return problems[0]


def laughs(levels: int) -> list[str]:
    """Anchors &l0..&l{levels-1}, each nine aliases of the one before: 9**levels values."""
    lines = [f"&l0 [{', '.join(['lol'] * 9)}]"]
    lines += [f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return lines


def bomb_in(where: str) -> tuple[str, int]:
    """A glossary whose ``where`` uses aliases standing for 7380 values; the line of the
    alias that goes past the bound (the anchors alone stand for 909)."""
    defs = "".join(f"  - {line}\n" for line in laughs(3))
    nested = "[" + ", ".join(["*l2"] * 9) + "]"
    body = {
        "en": f"{HEAD}    en: {nested}\n",
        "note": f"{HEAD}    en: Eta\n    note: {nested}\n",
        "ar": f"version: 1\nterms:\n  - id: eta\n    ar: {nested}\n    en: Eta\n",
        "version": f"version: {nested}\nterms: []\n",
        "merge": f"{HEAD}    en: Eta\n    <<: *l2\n",
        "key": f"{HEAD}    en: Eta\n    ? {nested}\n    : x\n",
    }[where]
    text = f"anchors:\n{defs}{body}"
    line = next(n for n, raw in enumerate(text.splitlines(), 1) if "*l2" in raw and "&" not in raw)
    return text, line


# -- aliases -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["en", "note", "ar", "version", "merge", "key"])
def test_an_alias_bomb_is_refused_fast_with_the_line_of_the_alias(
    tmp_path: Path, where: str
) -> None:
    text, line = bomb_in(where)
    path = write(tmp_path, text)
    start = time.perf_counter()
    problem = only_problem(tmp_path)
    assert time.perf_counter() - start < 1.0
    assert problem.startswith(f"{path}:{line}:"), problem
    assert "aliases stand for more than 1000 values" in problem
    assert "write the values out" in problem
    assert len(problem) < 400


def test_a_billion_laughs_is_refused_at_the_anchor_that_goes_past_the_bound(
    tmp_path: Path,
) -> None:
    text = HEAD + "    en: Eta\n    note:\n" + "".join(f"      - {a}\n" for a in laughs(9))
    path = write(tmp_path, text)
    start = time.perf_counter()
    problem = only_problem(tmp_path)
    assert time.perf_counter() - start < 1.0
    assert problem.startswith(f"{path}:10: term 'eta': aliases stand for more than"), problem


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (f"{HEAD}    en: &a [x, *a]\n", 5, "alias *a is inside the value it stands for"),
        (f"{HEAD}    en: &a Eta\n    note: &a N\n", 6, "anchor &a is defined twice"),
        (f"{HEAD}    en: {'[' * 5000}x{']' * 5000}\n", 5, "nest more than"),
        (f"{HEAD}    en: {'{a: ' * 3000}x{'}' * 3000}\n", 5, "nest more than"),
        (f"{HEAD}    en: {'[a, ' * 3000}x{']' * 3000}\n", 5, "nest more than"),
        (f"{HEAD}    en: {'{a: [' * 2000}x{']}' * 2000}\n", 5, "nest more than"),
        (f"{HEAD}    en: {'[' * 19}x{']' * 19}\n", 5, "nest more than"),
        (f"{HEAD}    en:\n" + "".join(f"      {' ' * k}- \n" for k in range(3000)), 23, "nest"),
    ],
)
def test_self_containing_aliases_redefined_anchors_and_deep_nesting_are_refused(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = write(tmp_path, text)
    start = time.perf_counter()
    problem = only_problem(tmp_path)
    assert time.perf_counter() - start < 1.0
    assert problem.startswith(f"{path}:{line}: term 'eta': "), problem
    assert says in problem


SMALL_ALIASES = """\
version: 1
terms:
  - id: hanoi
    ar: &hanoi-forms [هانوي, هانوى]
    en: &hanoi Hanoi
    vi: Hà Nội
    note: *hanoi
  - id: hanoi-city
    ar: [مدينة هانوي]
    en: Hanoi city
    note: *hanoi
"""


def test_a_few_small_aliases_keep_working_through_check_add_and_set(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL_ALIASES)
    glossary = load_glossary(tmp_path)
    assert glossary.term("hanoi") is not None and glossary.term("hanoi").note == "Hanoi"  # type: ignore[union-attr]
    add_term(path, {"id": "hue", "ar": "هوي", "en": "Hue"})
    update_term(tmp_path, "hanoi-city", {"vi": "thành phố Hà Nội"})
    text = path.read_text(encoding="utf-8")
    assert "&hanoi Hanoi" in text and "note: *hanoi" in text  # the user's aliases are kept
    assert {t.id for t in load_glossary(tmp_path).terms} == {"hanoi", "hanoi-city", "hue"}


def test_an_alias_bomb_is_refused_by_every_command(tmp_path: Path) -> None:
    text, line = bomb_in("en")
    folder = tmp_path / "glossary"
    path = write(folder, text)
    article = tmp_path / "a.txt"
    article.write_text("عقد اجتماع في هانوي.\n", encoding="utf-8")
    for args in (
        ["glossary", "check", str(folder)],
        ["glossary", "add", "--id", "x", "--ar", "اكس", "--en", "X", "--file", str(path)],
        ["glossary", "set", "eta", "--en", "E", "--glossary", str(folder)],
        ["glossary", "suggest", str(article), "--glossary", str(folder)],
        ["translate", str(article), "--glossary", str(folder), "--out", str(tmp_path / "o")],
    ):
        start = time.perf_counter()
        result = cli(args, tmp_path)
        assert time.perf_counter() - start < 5.0, args
        assert result.exit_code == 1, (args, result.output)
        assert f"{path}:{line}:" in result.output and "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == text


# -- characters no document can hold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "key", "char"),
    [
        ('    en: "Hanoi\\uD800"\n', 5, "en", "lone surrogate U+D800"),
        ('    en: Eta\n    vi: "H\\udc80"\n', 6, "vi", "lone surrogate U+DC80"),
        ('    en: Eta\n    note: "n\\x01"\n', 6, "note", "control character U+0001"),
        ('    en: "E\\0ta"\n', 5, "en", "control character U+0000"),
        ('    en: "E\\x1bta"\n', 5, "en", "control character U+001B"),
        ('    en: "Eta\\uFFFE"\n', 5, "en", "non-character U+FFFE"),
        ('    en: "Eta\\x0b"\n', 5, "en", "control character U+000B"),
    ],
)
def test_text_no_document_can_hold_is_a_problem_at_its_line(
    tmp_path: Path, body: str, line: int, key: str, char: str
) -> None:
    path = write(tmp_path, HEAD + body)
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{path}:{line}: term 'eta': '{key}' holds "), problem
    assert char in problem
    problem.encode("utf-8")  # the message itself can always be printed


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('version: 1\nterms:\n  - id: eta\n    ar: [حاء, "ح\\uD800"]\n    en: E\n', 4, "'ar'"),
        (
            'version: 1\nterms:\n  - id: eta\n    ar:\n      - حاء\n      - "\\x07ح"\n    en: E\n',
            6,
            "'ar'",
        ),
        ('version: 1\nterms:\n  - id: eta\n    ar: "حاء\\uDFFF"\n    en: E\n', 4, "'ar'"),
        ('version: 1\nterms:\n  - id: "et\\uD800a"\n    ar: حاء\n    en: E\n', 3, "bad id"),
        (f'{HEAD}    en: E\n    "no\\uD800te": x\n', 6, "unknown key"),
        ('version: "1\\uD800"\nterms: []\n', 1, "'version' is"),
    ],
)
def test_bad_characters_anywhere_are_reported_never_raised(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = write(tmp_path, text)
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{path}:{line}:"), problem
    assert says in problem
    problem.encode("utf-8")


def test_a_raw_control_character_in_the_file_is_placed_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "    en: Eta\n    note: a\x02b\n")
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{path}:6:"), problem
    assert "the character U+0002 is not allowed" in problem


@pytest.mark.parametrize("value", ["Hanoi\udc80", "Ha\x01noi", "Hanoi\ufffe"])
def test_add_and_set_refuse_text_no_document_can_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    path = write(tmp_path / "glossary", HEAD + "    en: Eta\n")
    before = path.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the default glossary/ is this folder
    added = cli(["glossary", "add", "--id", "x", "--ar", "اكس", "--en", value], tmp_path)
    changed = cli(["glossary", "set", "eta", "--vi", value], tmp_path)
    for result in (added, changed):
        assert result.exit_code == 1, result.output
        assert "'en' holds " in result.output or "'vi' holds " in result.output, result.output
        assert "Traceback" not in result.output
        result.output.encode("utf-8")
    assert path.read_text(encoding="utf-8") == before
    assert list(path.parent.glob(".*part")) == []


def test_check_and_translate_report_a_surrogate_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    path = write(folder, HEAD + '    en: "Hanoi\\uD800"\n')
    article = tmp_path / "a.txt"
    article.write_text("عقد اجتماع في هانوي.\n", encoding="utf-8")
    for args in (
        ["glossary", "check", str(folder)],
        ["translate", str(article), "--glossary", str(folder), "--out", str(tmp_path / "o")],
    ):
        result = cli(args, tmp_path)
        assert result.exit_code == 1, result.output
        assert f"{path}:5: term 'eta': 'en' holds a lone surrogate U+D800" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "value", ["!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2025-13-45", "2025-13-45"]
)
def test_a_value_yaml_cannot_construct_is_a_problem_at_its_line(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, HEAD + f"    vi: V\n    en: {value}\n    note: n\n")
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{path}:6: term 'eta': a value cannot be read"), problem
    assert "quote the value" in problem


# -- syntax errors: the line where the problem starts, a hint that fits ------------------------


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        # an unclosed quote, at the end of the file and swallowing the terms after it
        (HEAD + '    en: "Eta\n', 5, "close the quote"),
        (HEAD + '    en: "Eta', 5, "close the quote"),
        (HEAD + "    en: 'Eta\n  - id: b\n    ar: [باء]\n    en: B\n", 5, "close the quote"),
        (HEAD + '    en: "Eta\n  - id: b\n    ar: [باء]\n    en: "B"\n', 5, "close the quote"),
        # unclosed brackets
        ("version: 1\nterms:\n  - id: eta\n    ar: [حاء\n    en: Eta\n", 4, "close the '['"),
        ("version: 1\nterms:\n  - id: eta\n    ar: [حاء\n", 4, "close the '['"),
        (HEAD + "    en: {a: b\n    vi: c\n", 5, "close the '{'"),
        (HEAD + "    en: Eta\n    en: Other\n", 6, "keep one of the two keys"),
        (HEAD + "\ten: Eta\n", 5, "spaces, not tabs"),
        (HEAD + "  \t  en: Eta\n", 5, "spaces, not tabs"),
        (HEAD + "      en: Eta\n", 5, "indentation"),
        (HEAD + "   en: Eta\n", 5, "indentation"),
        (HEAD + "    en: Eta: the letter\n", 5, "quote the value"),
        (HEAD + "    just some text\n    en: Eta\n", 5, "key: value"),
        (HEAD + "    en: *nope\n", 5, "define the anchor"),
        (HEAD + '    en: "E\\qta"\n', 5, "backslash"),
        (HEAD + "    en: @Eta\n", 5, "quote the value"),
        (HEAD + "    note: |x\n      a\n    en: E\n", 5, "`|` or `>`"),
    ],
)
def test_syntax_errors_name_the_line_where_they_start(
    tmp_path: Path, text: str, line: int, hint: str
) -> None:
    path = write(tmp_path, text)
    problem = only_problem(tmp_path)
    assert line <= len(text.splitlines())
    assert problem.startswith(f"{path}:{line}: term 'eta': YAML syntax error"), problem
    assert hint in problem.rsplit(" (", 1)[-1] or hint in problem, problem


@pytest.mark.parametrize("cut", range(20, 120, 7))
def test_a_syntax_error_line_is_never_past_the_end_of_the_file(tmp_path: Path, cut: int) -> None:
    cut_text = (HEAD + '    en: "Eta"\n    vi: [x, y]\n    note: {a: b}\n')[:cut]
    for text in (cut_text, cut_text + "\n", cut_text + "\n\n"):
        write(tmp_path, text)
        _glossary, problems = check_glossary(tmp_path)
        for problem in problems:
            line = int(problem.split(".yaml:", 1)[1].split(":", 1)[0])
            assert 1 <= line <= max(1, len(text.splitlines())), (text, problem)


# -- each problem printed once ------------------------------------------------------------------

TWO_PROBLEMS = """\
version: 1
terms:
  - id: Bad
    ar: [هانوي]
    en: Hanoi
  - id: ok
    type: nope
    ar: [هانو]
    en: X
"""


def cli(args: list[str], tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"BILINGUAL_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    return runner.invoke(app, args, env=env)


def test_every_command_prints_each_glossary_problem_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "glossary"
    path = write(folder, TWO_PROBLEMS)
    article = tmp_path / "a.txt"
    article.write_text("عقد اجتماع في هانوي.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the default glossary/ is this folder
    problems = [f"{path}:3: term 'Bad': bad id 'Bad'", f"{path}:7: term 'ok': bad type 'nope'"]
    for args in (
        ["translate", str(article), "--out", str(tmp_path / "o")],
        ["glossary", "check", str(folder)],
        ["glossary", "add", "--id", "x", "--ar", "اكس", "--en", "X"],
        ["glossary", "set", "ok", "--en", "Y"],
        ["glossary", "suggest", str(article)],
        ["review", "import", str(tmp_path / "missing.docx"), "--memory", "m.sqlite"],
    ):
        result = cli(args, tmp_path)
        assert result.exit_code == 1, (args, result.output)
        for problem in problems:
            assert result.output.count(problem) == 1, (args, result.output)


@pytest.mark.parametrize(
    ("extra", "count"),
    [
        (["--id", "BAD", "--type", "zz"], 2),
        (["--id", "BAD"], 1),
        (["--id", "ok", "--type", "zz"], 1),
    ],
)
def test_glossary_add_prints_each_problem_of_the_new_term_once(
    tmp_path: Path, extra: list[str], count: int
) -> None:
    file = tmp_path / "glossary" / "terms.yaml"
    result = cli(
        ["glossary", "add", *extra, "--ar", "اكس", "--en", "X", "--file", str(file)], tmp_path
    )
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if "(new term): term" in ln]
    assert len(lines) == count and len(set(lines)) == count, result.output
    assert not file.exists()
