"""``bilingual glossary list``, ``search`` and ``remove``: filters, the matcher's search, and
a removal that keeps every comment and is refused while the memory records the term."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.errors import GlossaryError
from bilingual.glossary import load_glossary
from bilingual.glossary.manage import (
    memory_references,
    remove_term,
    search_terms,
    select_terms,
)
from bilingual.memory.store import TranslationMemory, Unit

runner = CliRunner()

TERMS = """\
version: 1   # the desk's glossary
# organisations first
terms:
  # --- organisations ---
  - id: un  # the whole system
    type: organization
    ar: [الأمم المتحدة, الامم المتحده]
    en: United Nations
    vi: Liên Hợp Quốc
  - id: interior-ministry
    type: organization
    ar: وزارة الداخلية
    # the house style since 2024
    en: Ministry of the Interior
    avoid: {en: [Interior Ministry]}

  # --- places ---
  - id: doha
    type: place
    ar: الدوحة
    en: Doha
  - id: smith
    type: person
    ar: جون سميث
    en: John Smith
    status: draft   # from glossary suggest
# the end
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "glossary"
    out.mkdir()
    (out / "terms.yaml").write_text(TERMS, encoding="utf-8")
    return out


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


# --------------------------------------------------------------------------- list


def test_list_filters_by_type_and_status(folder: Path) -> None:
    glossary = load_glossary(folder)
    assert [t.id for t in select_terms(glossary, kind="organization", status=None)] == [
        "un",
        "interior-ministry",
    ]
    assert [t.id for t in select_terms(glossary, kind=None, status="draft")] == ["smith"]
    assert [t.id for t in select_terms(glossary, kind="place", status="confirmed")] == ["doha"]
    code, out = _cli("glossary", "list", "--glossary", str(folder), "--type", "organization")
    assert code == 0
    assert "un" in out and "interior-ministry" in out and "doha" not in out
    assert "United Nations" in out and "Liên Hợp Quốc" in out and "Interior Ministry" in out
    assert "2 of 4 term(s)" in out
    code, out = _cli("glossary", "list", "--glossary", str(folder), "--status", "draft")
    assert code == 0 and "smith" in out and "draft" in out and "1 of 4 term(s)" in out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--status", "auto", "names a run keeps"),
        ("--status", "approved", "no term status 'approved'"),
        ("--type", "people", "no term type 'people'"),
    ],
)
def test_list_refuses_a_status_or_type_a_glossary_cannot_hold(
    folder: Path, option: str, value: str, message: str
) -> None:
    code, out = _cli("glossary", "list", "--glossary", str(folder), option, value)
    out = " ".join(out.replace("│", " ").split())  # the usage error's box, unwrapped
    assert code == 2 and message in out and "use one of" in out


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("الأمم المتحدة", ["un"]),
        # diacritics, another alef, a clitic prefix: as the matcher reads articles
        ("وَالأُمَم المتحدة", ["un"]),
        ("للأمم المتحدة", ["un"]),
        # a sentence pasted in finds every term it holds
        ("وقالت وزارة الداخلية في الدوحة إن", ["interior-ministry", "doha"]),
        # the query's words inside a longer form
        ("الداخلية", ["interior-ministry"]),
        ("بالدوحة", ["doha"]),
        ("المتحدة الأمم", []),
    ],
)
def test_arabic_search_goes_through_the_matcher(folder: Path, query: str, found: list[str]) -> None:
    assert [f.term.id for f in search_terms(load_glossary(folder), query)] == found


def test_other_languages_search_renderings_and_avoid_lists_case_aside(folder: Path) -> None:
    glossary = load_glossary(folder)
    assert [(f.term.id, f.where) for f in search_terms(glossary, "united NATIONS")] == [
        ("un", "en")
    ]
    # Vietnamese typed with combining marks (NFD) finds the NFC rendering
    import unicodedata

    nfd = unicodedata.normalize("NFD", "liên hợp")
    assert [(f.term.id, f.where) for f in search_terms(glossary, nfd)] == [("un", "vi")]
    assert [(f.term.id, f.where) for f in search_terms(glossary, "interior ministry")] == [
        ("interior-ministry", "avoid.en")
    ]
    assert [f.term.id for f in search_terms(glossary, "smith")] == ["smith"]


def test_search_of_nothing_is_refused_and_of_a_megabyte_answers(folder: Path) -> None:
    for text in ("", "  "):  # a usage error, as in memory search
        code, out = _cli("glossary", "search", text, "--glossary", str(folder))
        assert code == 2 and "the search text is empty" in out
    glossary = load_glossary(folder)
    huge = ("كلام " * 200_000) + "في الدوحة"  # about 1 MB
    assert [f.term.id for f in search_terms(glossary, huge)] == ["doha"]
    assert search_terms(glossary, "x" * 1_000_000) == []


def test_search_cli_shows_where_each_term_was_found(folder: Path) -> None:
    code, out = _cli("glossary", "search", "في الدوحة", "--glossary", str(folder))
    assert code == 0 and "doha" in out and "1 term(s) found" in out
    code, out = _cli("glossary", "search", "Hanoi", "--glossary", str(folder))
    assert code == 1 and "0 term(s) found" in out


# --------------------------------------------------------------------------- remove


def test_remove_keeps_every_comment_of_the_file_and_of_the_other_terms(folder: Path) -> None:
    path = folder / "terms.yaml"
    code, out = _cli(
        "glossary",
        "remove",
        "interior-ministry",
        "--glossary",
        str(folder),
        "--memory",
        str(folder.parent / "none.sqlite"),
    )
    assert code == 0, out
    assert f"removed 'interior-ministry' from {path}" in out
    text = path.read_text(encoding="utf-8")
    # the term's own lines went, its inner comment with them; nothing else changed
    expected = TERMS.replace(
        "  - id: interior-ministry\n    type: organization\n    ar: وزارة الداخلية\n"
        "    # the house style since 2024\n    en: Ministry of the Interior\n"
        "    avoid: {en: [Interior Ministry]}\n",
        "",
    )
    assert text == expected
    for comment in ("# the desk's glossary", "# --- places ---", "# the whole system", "# the end"):
        assert comment in text
    glossary = load_glossary(folder)
    assert [t.id for t in glossary.terms] == ["un", "doha", "smith"]
    # the first and the last term too, and the file still reads
    remove_term(folder, "un")
    remove_term(folder, "smith")
    text = path.read_text(encoding="utf-8")
    assert "# organisations first" in text and "# --- organisations ---" in text
    assert "# the end" in text and text.endswith("# the end\n")
    assert [t.id for t in load_glossary(folder).terms] == ["doha"]
    remove_term(folder, "doha")
    assert load_glossary(folder).terms == ()
    assert "# --- places ---" in path.read_text(encoding="utf-8")


def test_remove_keeps_the_files_line_endings(folder: Path) -> None:
    path = folder / "terms.yaml"
    path.write_bytes(TERMS.replace("\n", "\r\n").encode("utf-8"))
    remove_term(folder, "doha")
    data = path.read_bytes()
    assert b"doha" not in data and data.count(b"\r\n") == data.count(b"\n")


def test_remove_of_an_unknown_id_says_so_and_changes_nothing(folder: Path) -> None:
    before = (folder / "terms.yaml").read_bytes()
    with pytest.raises(GlossaryError) as info:
        remove_term(folder, "dohaa")
    assert "no term 'dohaa'" in info.value.message and "did you mean 'doha'" in str(info.value)
    assert (folder / "terms.yaml").read_bytes() == before


def test_remove_of_a_flow_style_list_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    path = folder / "t.yaml"
    path.write_text("version: 1\nterms: [{id: a, ar: أ, en: A}, {id: b, ar: ب, en: B}]\n")
    with pytest.raises(GlossaryError, match="flow style"):
        remove_term(folder, "a")
    assert "id: a" in path.read_text()


def _memory_with(path: Path, term_id: str) -> None:
    with TranslationMemory(path) as memory, memory.transaction():
        unit = Unit("ar", "في الدوحة", "en", "In Doha", terms=((term_id, "Doha"),))
        memory.add_units([unit, Unit("ar", "أهلا", "en", "Hello", terms=(("doha-x", "D"),))])


def test_remove_of_a_term_the_memory_records_is_refused_without_force(folder: Path) -> None:
    memory = folder.parent / "memory.sqlite"
    _memory_with(memory, "doha")
    before = (folder / "terms.yaml").read_bytes()
    [reference] = memory_references(memory, "doha")
    assert "1 unit(s) into en" in reference and str(memory) in reference
    args = ["glossary", "remove", "doha", "--glossary", str(folder), "--memory", str(memory)]
    code, out = _cli(*args)
    assert code == 1
    assert "term 'doha' not removed: the translation memory records it" in out
    assert "1 unit(s) into en" in out and "--force" in out
    assert (folder / "terms.yaml").read_bytes() == before
    # a term the memory does not record goes; --force removes a recorded one
    code, out = _cli("glossary", "remove", "un", "--glossary", str(folder), "--memory", str(memory))
    assert code == 0, out
    code, out = _cli(*args, "--force")
    assert code == 0 and "removed 'doha'" in out
    assert [t.id for t in load_glossary(folder).terms] == ["interior-ministry", "smith"]
    # the memory keeps its record
    assert memory_references(memory, "doha")


def test_removing_a_term_lets_in_the_draft_it_kept_out(folder: Path) -> None:
    (folder / "zz.yaml").write_text(
        "version: 1\nterms:\n  - id: doha-city\n    ar: الدوحة\n    en: Doha City\n"
        "    status: draft\n",
        encoding="utf-8",
    )
    glossary = load_glossary(folder)
    assert glossary.term("doha-city") is None and glossary.warnings
    removed = remove_term(folder, "doha")
    assert removed.released and "doha-city" in removed.released[0]
    assert load_glossary(folder).term("doha-city") is not None


def test_set_avoid_replaces_one_language_s_list_and_refuses_the_prescribed(folder: Path) -> None:
    path = folder / "terms.yaml"
    args = ["glossary", "set", "interior-ministry", "--glossary", str(folder)]
    code, out = _cli(*args, "--avoid-vi", "Bộ Nội địa", "--avoid-vi", "Bộ Nội chính")
    assert code == 0, out
    term = load_glossary(folder).term("interior-ministry")
    assert term is not None
    assert dict(term.avoid) == {"en": ("Interior Ministry",), "vi": ("Bộ Nội địa", "Bộ Nội chính")}
    assert "# the house style since 2024" in path.read_text(encoding="utf-8")
    before = path.read_bytes()
    code, out = _cli(*args, "--avoid-en", "Ministry of the interior")
    assert code == 1 and "is the prescribed rendering" in out and "not changed" in out
    assert path.read_bytes() == before
    code, out = _cli(*args, "--avoid-en", "", "--avoid-vi", "")
    assert code == 0, out
    term = load_glossary(folder).term("interior-ministry")
    assert term is not None and dict(term.avoid) == {}
    assert "avoid" not in path.read_text(encoding="utf-8")


def test_add_takes_avoid_lists_and_refuses_the_prescribed_one(folder: Path) -> None:
    path = folder / "places.yaml"
    args = ["glossary", "add", "--id", "hanoi", "--type", "place", "--ar", "هانوي"]
    args += ["--en", "Hanoi", "--file", str(path)]
    code, out = _cli(*args, "--avoid-en", "Hà Nội", "--avoid-vi", "Hanoi")
    assert code == 0, out
    term = load_glossary(folder).term("hanoi")
    assert term is not None and dict(term.avoid) == {"en": ("Hà Nội",), "vi": ("Hanoi",)}
    assert "avoid: {en: [Hà Nội], vi: [Hanoi]}" in path.read_text(encoding="utf-8")
    code, out = _cli(*[a.replace("hanoi", "hanoi-2") for a in args], "--avoid-en", "Ha-Noi")
    assert code == 1 and "is the prescribed rendering" in out
    assert load_glossary(folder).term("hanoi-2") is None
