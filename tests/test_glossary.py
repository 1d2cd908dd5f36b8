"""Glossary files: validation (one test per error kind), merging, signature, add, suggest,
and the starter glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.errors import GlossaryError
from bilingual.glossary import (
    Glossary,
    TermMatcher,
    add_term,
    check_glossary,
    count_by_type,
    load_glossary,
    update_term,
)
from bilingual.lang.ar import normalize_arabic
from bilingual.names.suggest import Suggestion, suggest_terms, suggestions_to_yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
STARTER = REPO / "glossary"

GOOD = """\
# a user's comment at the top
version: 1
terms:
  - id: alpha            # first term
    type: organization
    ar: [مجلس الأمن, مجلس الامن الدولي]
    en: Security Council
    vi: Hội đồng Bảo an
    note: UN name
  - id: beta
    ar: الجمعية العامة
    en: General Assembly
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only_problem(folder: Path) -> str:
    glossary, problems = check_glossary(folder)
    assert glossary is None
    assert len(problems) == 1, problems
    return problems[0]


# -- valid files -----------------------------------------------------------------------------


def test_good_file_loads_with_forms_lines_and_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", GOOD)
    glossary = load_glossary(tmp_path)
    alpha, beta = glossary.terms
    assert alpha.forms == ("مجلس الأمن", "مجلس الامن الدولي")
    assert (alpha.type, alpha.renderings, alpha.note) == (
        "organization",
        {"en": "Security Council", "vi": "Hội đồng Bảo an"},
        "UN name",
    )
    assert (alpha.file, alpha.line) == (path, 4)
    assert beta.forms == ("الجمعية العامة",)  # a single string is a one-form list
    assert beta.type == "term"  # type may be left out
    assert ("vi" in beta.renderings, beta.note, beta.line) == (False, None, 10)
    assert glossary.files == (path,)
    assert re.fullmatch(r"[0-9a-f]{12}", glossary.signature)
    assert count_by_type(glossary) == {"organization": 1, "term": 1}
    assert glossary.term("beta") is beta and glossary.term("nope") is None


def test_every_yaml_and_yml_file_is_merged_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.yml", "version: 1\nterms:\n  - id: b\n    ar: [باء]\n    en: B\n")
    write(tmp_path, "a.yaml", "version: 1\nterms:\n  - id: a\n    ar: [ألف]\n    en: A\n")
    write(tmp_path, "notes.txt", "not a glossary file")
    write(tmp_path, ".#a.yaml", "an editor's lock file")
    glossary = load_glossary(tmp_path)
    assert [t.id for t in glossary.terms] == ["a", "b"]
    assert [p.name for p in glossary.files] == ["a.yaml", "b.yml"]


def test_empty_folder_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(tmp_path)
    assert glossary.terms == () and glossary.files == ()
    assert count_by_type(glossary) == {}


def test_missing_folder_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path / "glossary")
    assert "does not exist" in info.value.message
    mkdir = f"mkdir -p {tmp_path / 'glossary'}"
    assert mkdir in info.value.message and "--glossary" in info.value.message
    glossary, problems = check_glossary(tmp_path / "glossary")
    assert glossary is None and mkdir in problems[0]


def test_missing_configured_folder_names_it_in_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a project's `glossary = "terms/desk"`: the fix creates that folder, not glossary/
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path / "terms" / "desk")
    assert "`mkdir -p terms/desk`" in info.value.message, info.value.message
    assert "mkdir glossary" not in info.value.message


def test_signature_ignores_notes_and_file_layout_but_not_renderings(tmp_path: Path) -> None:
    one = tmp_path / "one"
    write(one, "x.yaml", GOOD)
    two = tmp_path / "two"
    # same terms, other file split, other order, other notes and comments
    write(
        two,
        "1.yaml",
        "version: 1\nterms:\n  - id: beta\n    ar: [الجمعية العامة]\n    en: General Assembly\n"
        "    note: something else\n",
    )
    write(
        two,
        "2.yaml",
        "version: 1\nterms:\n  - id: alpha\n    type: organization\n"
        "    ar: [مجلس الأمن, مجلس الامن الدولي]\n    en: Security Council\n"
        "    vi: Hội đồng Bảo an\n",
    )
    assert load_glossary(one).signature == load_glossary(two).signature
    write(one, "x.yaml", GOOD.replace("Security Council", "the Security Council"))
    assert load_glossary(one).signature != load_glossary(two).signature


# -- one test per error kind: file name, line and term id in the problem ----------------------


def test_unknown_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        "terms.yaml",
        "version: 1\nterms:\n  - id: alpha\n    ar: [ألف]\n    en: Alpha\n    english: Alpha\n",
    )
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:6: term 'alpha': unknown key 'english'")
    assert "did you mean 'en'" in problem


def test_missing_ar(tmp_path: Path) -> None:
    write(tmp_path, "terms.yaml", "version: 1\nterms:\n  - id: beta\n    en: Beta\n")
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:3: term 'beta': missing 'ar'")


def test_missing_en(tmp_path: Path) -> None:
    write(
        tmp_path,
        "terms.yaml",
        "version: 1\nterms:\n  - id: ok\n    ar: [باء]\n    en: B\n  - id: gamma\n    ar: [جيم]\n",
    )
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:6: term 'gamma': missing 'en'")


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ('    ar: [دال, ""]\n    en: Dal\n', 5, "Arabic form #2 is empty"),
        ('    ar: "  "\n    en: Dal\n', 5, "Arabic form #1 is empty"),
        ("    ar: [دال]\n    en: ''\n", 6, "'en' is empty"),
        ("    ar: [دال]\n    en: Dal\n    vi: ''\n", 7, "'vi' is empty"),
        ("    ar: ['...']\n    en: Dal\n", 5, "has no letters"),
    ],
)
def test_empty_form(tmp_path: Path, body: str, line: int, what: str) -> None:
    write(tmp_path, "terms.yaml", "version: 1\nterms:\n  - id: x\n  - id: delta\n" + body)
    _, problems = check_glossary(tmp_path)
    mine = [p for p in problems if "'delta'" in p]
    assert len(mine) == 1, problems
    assert mine[0].startswith(f"{tmp_path / 'terms.yaml'}:{line}: term 'delta': ")
    assert what in mine[0]


def test_duplicate_id_across_two_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\nterms:\n  - id: dup\n    ar: [ألف]\n    en: A\n")
    write(
        tmp_path,
        "b.yaml",
        "version: 1\nterms:\n  - id: other\n    ar: [باء]\n    en: B\n"
        "  - id: dup\n    ar: [جيم]\n    en: C\n",
    )
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'b.yaml'}:6: term 'dup': duplicate id")
    assert f"{tmp_path / 'a.yaml'}:3" in problem


def test_same_arabic_form_under_two_ids(tmp_path: Path) -> None:
    write(
        tmp_path, "a.yaml", "version: 1\nterms:\n  - id: first\n    ar: [مجلس الأمن]\n    en: A\n"
    )
    # the same form once normalised: diacritics, another alef, extra spaces
    write(
        tmp_path,
        "b.yaml",
        "version: 1\nterms:\n  - id: second\n    ar:\n      - مجلس التعاون\n"
        "      - مَجْلِس  الامن\n    en: B\n",
    )
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'b.yaml'}:6: term 'second': Arabic form")
    assert "already used by term 'first'" in problem and f"{tmp_path / 'a.yaml'}:3" in problem


def test_bad_type(tmp_path: Path) -> None:
    write(
        tmp_path,
        "terms.yaml",
        "version: 1\nterms:\n  - id: epsilon\n    type: country\n    ar: [هاء]\n    en: E\n",
    )
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:4: term 'epsilon': bad type 'country'")
    assert "person | organization | place" in problem


@pytest.mark.parametrize("bad", ["Zeta", "zeta one", "zéta", "zeta.1"])
def test_bad_id_characters(tmp_path: Path, bad: str) -> None:
    write(tmp_path, "terms.yaml", f"version: 1\nterms:\n  - id: {bad}\n    ar: [زاي]\n    en: Z\n")
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:3: term '{bad}': bad id")
    assert "a-z" in problem


def test_missing_id(tmp_path: Path) -> None:
    write(tmp_path, "terms.yaml", "version: 1\nterms:\n  - ar: [زاي]\n    en: Z\n")
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:3: term #1 (no id): missing 'id'")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # where the problem starts: the unclosed '[' and '"', not the line after
        ("version: 1\nterms:\n  - id: eta\n    ar: [حاء\n    en: Eta\n", 4),
        ("version: 1\nterms:\n  - id: eta\n    ar: [حاء]\n    en: Eta\n    en: Other\n", 6),
        ('version: 1\nterms:\n  - id: eta\n    ar: [حاء]\n    en: "Eta\n', 5),
    ],
)
def test_yaml_syntax_error(tmp_path: Path, text: str, line: int) -> None:
    write(tmp_path, "terms.yaml", text)
    problem = only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'terms.yaml'}:{line}: term 'eta': YAML syntax error")


def test_file_level_problems(tmp_path: Path) -> None:
    write(tmp_path, "list.yaml", "- id: a\n")
    write(tmp_path, "noversion.yaml", "terms:\n  - id: b\n    ar: [باء]\n    en: B\n")
    write(tmp_path, "extra.yaml", "version: 1\nterms: []\nauthor: me\n")
    _, problems = check_glossary(tmp_path)
    text = "\n".join(problems)
    assert f"{tmp_path / 'list.yaml'}:1: the file is not a mapping" in text
    assert f"{tmp_path / 'noversion.yaml'}:1: 'version' is None, expected 1" in text
    assert f"{tmp_path / 'extra.yaml'}:3: unknown top-level key 'author'" in text


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "version: 1\nterms:\n  - id: one\n    type: nope\n    ar: [ألف]\n    en: A\n"
        "  - id: two\n    ar: [باء]\n  - id: Three\n    ar: [جيم]\n    en: C\n",
    )
    write(tmp_path, "b.yaml", "version: 1\nterms:\n  - id: one\n    ar: [دال]\n    en: D\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    problems = info.value.problems
    assert len(problems) == 4
    assert [p.split(": term ")[0].rsplit("/", 1)[1] for p in problems] == [
        "a.yaml:4",
        "a.yaml:7",
        "a.yaml:9",
        "b.yaml:3",
    ]
    assert info.value.message.startswith(f"4 problem(s) in glossary {tmp_path}:\n")
    assert all(info.value.message.count(p) == 1 for p in problems)
    assert "glossary check" in info.value.message


# -- update_term -------------------------------------------------------------------------------


def test_update_term_changes_one_value_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    term = update_term(tmp_path, "beta", {"vi": "Đại hội đồng", "note": "checked"})
    assert term.renderings == {"en": "General Assembly", "vi": "Đại hội đồng"}
    assert term.note == "checked"
    text = path.read_text(encoding="utf-8")
    head = GOOD.split("  - id: beta\n")[0]
    assert text.startswith(head + "  - id: beta\n")  # comments and the other term untouched
    assert "# a user's comment at the top" in text and "# first term" in text
    assert load_glossary(tmp_path).term("beta") == term
    removed = update_term(tmp_path, "alpha", {"vi": None})
    alpha_block = path.read_text(encoding="utf-8").split("id: alpha")[1].split("id: beta")[0]
    assert "vi" not in removed.renderings and "vi:" not in alpha_block
    assert not list(tmp_path.glob(".*part"))


@pytest.mark.parametrize(
    ("term_id", "changes", "says"),
    [
        ("gamma", {"en": "X"}, "no term 'gamma'"),
        ("beta", {"colour": "red"}, "cannot change colour"),
        ("beta", {"id": "other"}, "cannot change id"),
        ("beta", {"en": ""}, "'en' is empty"),
        ("beta", {"ar": ["مجلس الأمن"]}, "already used by term 'alpha'"),
    ],
)
def test_update_term_refuses_and_writes_nothing(
    tmp_path: Path, term_id: str, changes: dict[str, object], says: str
) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    write(tmp_path, "other.yaml", "version: 1\nterms:\n  - id: delta\n    ar: دلتا\n    en: D\n")
    with pytest.raises(GlossaryError) as info:
        update_term(tmp_path, term_id, changes)
    assert says in str(info.value) or any(says in p for p in info.value.problems)
    assert path.read_text(encoding="utf-8") == GOOD


def test_update_term_checks_forms_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    other = write(
        tmp_path, "b.yaml", "version: 1\nterms:\n  - id: delta\n    ar: دلتا\n    en: D\n"
    )
    with pytest.raises(GlossaryError, match="already used"):
        update_term(tmp_path, "delta", {"ar": ["الجمعية العامة"]})
    assert "دلتا" in other.read_text(encoding="utf-8")


# -- add_term ----------------------------------------------------------------------------------


def test_add_term_keeps_comments_order_and_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    add_term(
        path,
        {
            "id": "gamma",
            "type": "instrument",
            "ar": ["اتفاقية هانوي", "اتفاقية هانوى"],
            "en": "Hanoi Convention",
            "note": "test: a note with a colon",
        },
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith(GOOD)  # the user's part is untouched, byte for byte
    added = text[len(GOOD) :]
    assert added.startswith("  - id: gamma\n    type: instrument\n")
    glossary = load_glossary(tmp_path)
    assert [t.id for t in glossary.terms] == ["alpha", "beta", "gamma"]
    gamma = glossary.terms[2]
    assert gamma.forms == ("اتفاقية هانوي", "اتفاقية هانوى")
    assert gamma.note == "test: a note with a colon" and gamma.line == 13
    assert not list(tmp_path.glob(".*part"))  # the atomic write left nothing behind


def test_add_term_follows_the_files_indentation(tmp_path: Path) -> None:
    flush = "version: 1\nterms:\n- id: a   # flush left\n  ar: [ألف]\n  en: A\n"
    path = write(tmp_path, "terms.yaml", flush)
    add_term(path, {"id": "b", "ar": "باء", "en": "B"})
    text = path.read_text(encoding="utf-8")
    assert text == flush + "- id: b\n  ar: باء\n  en: B\n"


def test_add_term_creates_a_new_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    new = tmp_path / "more.yaml"
    add_term(new, {"id": "delta", "type": "place", "ar": ["هانوي"], "en": "Hanoi"})
    glossary = load_glossary(tmp_path)
    assert glossary.term("delta") is not None
    assert glossary.term("delta").file == new  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("term", "what"),
    [
        ({"id": "alpha", "ar": ["جديد"], "en": "X"}, "term 'alpha' already exists"),
        ({"id": "new", "ar": ["مَجلس الأمن"], "en": "X"}, "already used by term 'alpha'"),
        ({"id": "new", "ar": ["جديد"], "en": ""}, "'en' is empty"),
        ({"id": "new", "ar": ["جديد"], "en": "X", "type": "thing"}, "bad type"),
        ({"id": "New One", "ar": ["جديد"], "en": "X"}, "bad id"),
        ({"id": "new", "ar": ["جديد"], "en": "X", "colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_add_term_refuses_bad_terms(tmp_path: Path, term: dict[str, object], what: str) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    with pytest.raises(GlossaryError) as info:
        add_term(path, term)
    assert what in info.value.message
    assert path.read_text(encoding="utf-8") == GOOD


def test_add_term_refuses_a_file_the_loader_would_not_read(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as info:
        add_term(tmp_path / "terms.txt", {"id": "new", "ar": ["جديد"], "en": "X"})
    assert "terms.yaml" in info.value.message
    assert not (tmp_path / "terms.txt").exists()


def test_add_term_refuses_while_the_folder_has_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    write(tmp_path, "broken.yaml", "version: 1\nterms:\n  - id: x\n")
    with pytest.raises(GlossaryError) as info:
        add_term(path, {"id": "new", "ar": ["جديد"], "en": "X"})
    assert any("broken.yaml:3" in p for p in info.value.problems)


# -- suggest -----------------------------------------------------------------------------------

# A small article of our own: two people with titles, a repeated committee name, a name in
# parentheses, a transliterated name without a title, and one name the glossary knows.
ARTICLE = [
    "وقال السيد جون سميث (مدير مكتب الرصد الإقليمي) إن لجنة المياه الدولية ستجتمع غدا.",
    "وأكدت السيدة ماري لوبيز أن لجنة المياه الدولية تعمل منذ سنوات، كما رحب الوزير كريم حداد.",
    "وشارك في الاجتماع وانغ تشيانغ، وأشاد بلجنة المياه الدولية.",
    "والتقى الجنرال كريم حداد بالسيد جون سميث.",
]


def suggested(glossary: Glossary) -> dict[str, Suggestion]:
    return {s.ar: s for s in suggest_terms(ARTICLE, glossary)}


def test_suggest_finds_titled_names_parentheses_phrases_and_transliterations() -> None:
    found = suggested(Glossary((), (), "none"))
    assert found["جون سميث"].kind == "title+name"
    assert found["جون سميث"].count == 2
    assert found["ماري لوبيز"].kind == "title+name"
    assert found["كريم حداد"].count == 2
    assert found["مدير مكتب الرصد الإقليمي"].kind == "parenthesised"
    assert found["لجنة المياه الدولية"].kind == "repeated phrase"
    assert found["لجنة المياه الدولية"].count == 3  # بلجنة counts: clitics are handled
    assert found["وانغ تشيانغ"].kind == "transliterated name"
    assert "جون سميث" in found["جون سميث"].example
    # ranked: names before the phrase of the same weight class, counts descending
    ranked = suggest_terms(ARTICLE, Glossary((), (), "none"))
    assert ranked[0].ar in ("جون سميث", "كريم حداد")
    assert not any(s.ar.startswith(("السيد", "الوزير", "غدا")) for s in ranked)


def test_suggest_leaves_out_what_the_glossary_matches(tmp_path: Path) -> None:
    write(
        tmp_path,
        "g.yaml",
        "version: 1\nterms:\n  - id: smith\n    type: person\n    ar: [جون سميث]\n"
        "    en: John Smith\n  - id: water\n    ar: [لجنة المياه الدولية]\n"
        "    en: International Water Committee\n",
    )
    found = suggested(load_glossary(tmp_path))
    assert "جون سميث" not in found
    assert not any("المياه" in ar for ar in found)
    assert "ماري لوبيز" in found


def test_suggestions_yaml_passes_check_once_en_is_filled(tmp_path: Path) -> None:
    suggestions = suggest_terms(ARTICLE, Glossary((), (), "none"))
    text = suggestions_to_yaml(suggestions)
    assert text.count("# TODO") == len(suggestions)
    stubs = tmp_path / "stubs"
    write(stubs, "suggested.yaml", text)
    drafts, problems = check_glossary(stubs)
    assert problems == ()  # every en is still empty, but the stubs are drafts
    assert drafts is not None and len(drafts.terms) == len(suggestions)
    assert all(t.draft and not t.renderings for t in drafts.terms)
    write(stubs, "suggested.yaml", text.replace('en: ""', 'en: "Filled in"'))
    glossary = load_glossary(stubs)
    assert len(glossary.terms) == len(suggestions)
    by_ar = {t.forms[0]: t for t in glossary.terms}
    assert by_ar["جون سميث"].type == "person"
    assert by_ar["لجنة المياه الدولية"].type == "organization"
    assert by_ar["جون سميث"].id == "jwn-smyth"  # a transliteration slug


def test_suggestion_ids_avoid_the_glossarys(tmp_path: Path) -> None:
    write(tmp_path, "g.yaml", "version: 1\nterms:\n  - id: jwn-smyth\n    ar: [شيء]\n    en: X\n")
    glossary = load_glossary(tmp_path)
    text = suggestions_to_yaml(suggest_terms(ARTICLE, glossary), glossary=glossary)
    assert "id: jwn-smyth-2" in text and "id: jwn-smyth\n" not in text
    assert suggestions_to_yaml([]).endswith(
        "terms: []  # nothing to suggest: the glossary covers every name found\n"
    )


# words, not letters: titles and clitics must come up often enough to exercise every path
arabicish = st.lists(
    st.sampled_from(
        [
            "السيد",
            "الوزير",
            "الفريق",
            "أول",
            "جون",
            "لونغ",
            "تشون",
            "وانغ",
            "(مكتب",
            "المياه)",
            "لجنة",
            "الأمن",
            "للأمن",
            "في",
            "،",
            ".",
            ":",
            "تصوير:",
            '"',
            "ة",
            "بالسيد",
            "\n",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(arabicish, max_size=4))
def test_suggest_never_fails_and_its_yaml_always_loads(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    suggestions = suggest_terms(texts, Glossary((), (), "none"))
    assert all(s.count >= 1 and s.ar.strip() for s in suggestions)
    text = suggestions_to_yaml(suggestions).replace('en: ""', 'en: "x"')
    folder = tmp_path_factory.mktemp("stubs")
    (folder / "s.yaml").write_text(text, encoding="utf-8")
    glossary, problems = check_glossary(folder)
    assert problems == ()
    assert glossary is not None and len(glossary.terms) == len(suggestions)


def test_suggestions_yaml_escapes_what_yaml_reads_as_line_breaks(tmp_path: Path) -> None:
    odd = Suggestion("اسم\u2028غريب", "parenthesised", 1, 'قبل\u0085بعد "مقتبس"')
    write(tmp_path, "s.yaml", suggestions_to_yaml([odd]).replace('en: ""', "en: X"))
    (term,) = load_glossary(tmp_path).terms
    assert term.forms == ("اسم\u2028غريب",)
    assert term.note is not None and "\u0085" in term.note


# -- the starter glossary --------------------------------------------------------------------


def test_starter_glossary_loads_without_problems() -> None:
    glossary, problems = check_glossary(STARTER)
    assert problems == ()
    assert glossary is not None
    counts = count_by_type(glossary)
    assert counts["person"] >= 10 and counts["organization"] >= 6
    assert all(t.note for t in glossary.terms)  # every rendering says where it comes from
    by_id = {t.id: t for t in glossary.terms}
    en = {term_id: term.renderings["en"] for term_id, term in by_id.items()}
    assert en["un-cybercrime-convention"] == "United Nations Convention against Cybercrime"
    assert en["unodc"] == "United Nations Office on Drugs and Crime (UNODC)"
    assert en["pham-the-tung"] == "Phạm Thế Tùng"


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        (
            "000_4b56c2879e1419f5.txt",
            {
                "un-cybercrime-convention",
                "hanoi-convention",
                "unodc",
                "interpol",
                "luong-tam-quang",
                "european-union",
                "united-nations",
                "wang-chun",
            },
        ),
        (
            "002_8d4835901057fe72.txt",
            {
                "pham-the-tung",
                "senior-lieutenant-general",
                "ministry-of-public-security",
                "to-lam-general-secretary",
                "luong-cuong-president",
                "pham-minh-chinh",
                "nguyen-minh-vu",
                "hanoi-convention",
                "conference-of-states-parties",
            },
        ),
    ],
)
def test_starter_glossary_matches_in_the_seeds(seed: str, expected: set[str]) -> None:
    path = SHARED / "seeds" / seed
    if not path.is_file():
        pytest.skip(f"{path} is absent: the seed articles live in ../shared beside the repo")
    glossary = load_glossary(STARTER)
    text = path.read_text(encoding="utf-8")
    matches = TermMatcher(glossary).find(text)
    assert expected <= {m.term_id for m in matches}
    forms = {t.id: t.forms for t in glossary.terms}
    for m in matches:
        surface = normalize_arabic(text[m.start : m.end])[0]
        # the surface is the form itself, or the form after لل swallowed its alef
        targets = {normalize_arabic(f)[0] for f in forms[m.term_id]}
        assert surface in targets or "ا" + surface in targets, (m, surface)


def test_starter_glossary_leaves_few_suggestions_on_the_seeds() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is absent: the seed articles live beside the repo")
    texts = [line for p in seeds for line in p.read_text(encoding="utf-8").splitlines()]
    names = [s for s in suggest_terms(texts, load_glossary(STARTER)) if s.kind != "repeated phrase"]
    assert names == [], names  # every name in the seeds is covered


def test_suggest_keeps_only_the_longest_phrase_that_repeats_as_often() -> None:
    """A phrase inside a longer one that repeats as often is not suggested on its own,
    even where the longer phrase has a clitic in front of it once (لمعرض)."""
    texts = [
        "لمعرض تصدير منتجات الزيتون الأردنية الفاخرة العالمية الجديدة،",
        "معرض تصدير منتجات الزيتون الأردنية الفاخرة العالمية الجديدة.",
        "معرض تصدير منتجات",
    ]
    phrases = [s.ar for s in suggest_terms(texts, Glossary((), (), "none"))]
    assert phrases == ["منتجات الزيتون الأردنية الفاخرة العالمية الجديدة"]
