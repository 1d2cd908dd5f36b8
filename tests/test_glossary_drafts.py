"""Draft glossary terms (``status: draft``): loaded, flagged, confirmed, never blocking."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.document.segment import TermUse
from bilingual.errors import GlossaryError
from bilingual.glossary import (
    EMPTY,
    TermMatcher,
    check_glossary,
    confirm_terms,
    load_glossary,
)
from bilingual.names.suggest import Suggestion, suggest_terms, suggestions_to_yaml
from bilingual.qa import translation_flags

runner = CliRunner()

DRAFTS = """\
# people met this week: check before confirming
version: 1
terms:
  - id: un
    type: organization
    ar: [الأمم المتحدة]
    en: United Nations
  - id: smith  # the photographer
    type: person
    ar: [جون سميث]
    en: "John Smith"
    status: draft   # from `glossary suggest`
    note: seen twice
  - id: lopez
    type: person
    ar: [ماري لوبيز]
    en: ""
    status: 'draft'
  - id: wang
    ar: وانغ
    status: draft
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def invoke(args: list[str], home: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, env={"BILINGUAL_HOME": str(home), "COLUMNS": "200"})


# -- loading ---------------------------------------------------------------------------------


def test_drafts_load_with_or_without_en_and_confirmed_is_the_default(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", DRAFTS)
    glossary, problems = check_glossary(tmp_path)
    assert problems == ()
    assert glossary is not None and glossary.warnings == ()
    by_id = {t.id: t for t in glossary.terms}
    assert [t.id for t in glossary.terms] == ["un", "smith", "lopez", "wang"]
    assert by_id["un"].status == "confirmed" and not by_id["un"].draft
    assert by_id["smith"].draft and by_id["smith"].renderings == {"en": "John Smith"}
    assert by_id["lopez"].draft and by_id["lopez"].renderings == {}
    assert by_id["wang"].draft and by_id["wang"].renderings == {}
    # a draft with a rendering is matched like any term; one without is matched too
    found = TermMatcher(glossary).find("قال جون سميث وماري لوبيز")
    assert [m.term_id for m in found] == ["smith", "lopez"]


def test_a_draft_changes_the_signature_and_explicit_confirmed_does_not(tmp_path: Path) -> None:
    plain = "version: 1\nterms:\n  - id: un\n    ar: [الأمم المتحدة]\n    en: United Nations\n"
    write(tmp_path / "a", "a.yaml", plain)
    write(tmp_path / "b", "a.yaml", plain + "    status: confirmed\n")
    write(tmp_path / "c", "a.yaml", plain + "    status: draft\n")
    a, b, c = (load_glossary(tmp_path / x) for x in "abc")
    assert a.signature == b.signature != c.signature


def test_a_bad_status_is_a_problem_at_its_line(tmp_path: Path) -> None:
    text = (
        "version: 1\nterms:\n  - id: un\n    ar: [الأمم المتحدة]\n    en: UN\n    status: drafted\n"
    )
    path = write(tmp_path, "a.yaml", text)
    glossary, problems = check_glossary(tmp_path)
    assert glossary is None
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:6: term 'un': bad status 'drafted'")
    assert "`status: draft`" in problems[0]


def test_confirmed_terms_keep_todays_strictness(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\nterms:\n  - id: x\n    ar: [شيء]\n    en: ''\n")
    glossary, problems = check_glossary(tmp_path)
    assert glossary is None and len(problems) == 1 and "'en' is empty" in problems[0]


def test_a_drafts_own_problems_are_warnings_and_leave_it_out(tmp_path: Path) -> None:
    # the drafts come first in file order: confirmed terms still claim ids and forms first
    text = """\
version: 1
terms:
  - id: un
    ar: [شيء]
    en: X
    status: draft
  - id: dup-form
    ar: [الأمم المتحدة]
    en: Y
    status: draft
  - id: badtype
    type: persn
    ar: [شي]
    status: draft
  - id: typo
    ar: [شيءآخر]
    english: Z
    status: draft
  - id: un
    ar: [الأمم المتحدة]
    en: United Nations
"""
    path = write(tmp_path, "a.yaml", text)
    glossary, problems = check_glossary(tmp_path)
    assert problems == ()
    assert glossary is not None
    assert [t.id for t in glossary.terms] == ["un"]
    assert glossary.term("un") is not None and not glossary.term("un").draft  # type: ignore[union-attr]
    warnings = glossary.warnings
    assert len(warnings) == 4
    assert all(" draft term '" in w and "' is left out: " in w for w in warnings)
    by_id = {w.split("'")[1]: w for w in warnings}
    assert by_id["un"].startswith(f"{path}:3: ") and "duplicate id" in by_id["un"]
    assert by_id["dup-form"].startswith(f"{path}:8: ")
    assert "already used by term 'un'" in by_id["dup-form"]
    assert by_id["badtype"].startswith(f"{path}:12: ") and "bad type 'persn'" in by_id["badtype"]
    assert "did you mean 'en'?" in by_id["typo"]
    assert load_glossary(tmp_path).warnings == warnings  # what `translate` loads


def test_check_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    write(folder, "a.yaml", DRAFTS + "  - id: wang\n    ar: [شيءما]\n    status: draft\n")
    result = invoke(["glossary", "check", str(folder)], tmp_path)
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "draft term 'wang' is left out" in result.output
    assert "3 draft term(s)" in result.output and "1 left out" in result.output


# -- the draft-term flag ---------------------------------------------------------------------


def test_each_use_of_a_draft_is_flagged_once_per_sentence_with_the_confirm_command() -> None:
    use = TermUse("smith", "جون سميث", 4, 12, "John Smith", "natural")
    other = TermUse("un", "الأمم المتحدة", 13, 26, "United Nations", "injected")
    flags = translation_flags(
        "قال جون سميث الأمم المتحدة", "John Smith said United Nations", "en", [use, other, use]
    )
    assert flags == ()  # no draft among the uses: nothing to say
    draft = replace(use, origin="draft")
    flags = translation_flags(
        "قال جون سميث الأمم المتحدة", "John Smith said United Nations", "en", [draft, other, draft]
    )
    [flag] = flags
    assert (flag.code, flag.level, flag.lang) == ("draft-term", "info", "en")
    assert "'smith' as 'John Smith'" in flag.message and "'un'" not in flag.message
    assert "bilingual glossary confirm smith" in flag.message


# -- confirm ---------------------------------------------------------------------------------


def test_confirm_removes_only_the_status_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", DRAFTS)
    other = write(
        tmp_path,
        "b.yaml",
        "version: 1\nterms:\n- id: hanoi   # no offset here\n  ar: [هانوي]\n  en: Hanoi\n"
        "  status: draft\n",
    )
    confirmed = confirm_terms(tmp_path, ["smith", "hanoi", "smith"])
    assert [t.id for t in confirmed] == ["smith", "hanoi"]
    assert all(not t.draft for t in confirmed)
    lines = DRAFTS.splitlines(keepends=True)
    del lines[11]
    assert lines[10] == '    en: "John Smith"\n'  # the test removes what it should
    assert path.read_bytes().decode("utf-8") == "".join(lines)
    assert other.read_text(encoding="utf-8") == (
        "version: 1\nterms:\n- id: hanoi   # no offset here\n  ar: [هانوي]\n  en: Hanoi\n"
    )
    glossary = load_glossary(tmp_path)
    assert {t.id for t in glossary.terms if t.draft} == {"lopez", "wang"}


def test_confirm_keeps_crlf_and_rewrites_a_flow_mapping(tmp_path: Path) -> None:
    crlf = (
        "version: 1\r\nterms:\r\n  - id: a\r\n    ar: [شيء]\r\n    en: A\r\n    status: draft\r\n"
    )
    path = write(tmp_path, "a.yaml", crlf)
    flow = write(
        tmp_path,
        "b.yaml",
        "version: 1\nterms:\n  # kept\n  - {id: b, ar: [هانوي], en: Hanoi, status: draft}\n",
    )
    confirm_terms(tmp_path, ["a", "b"])
    assert path.read_bytes() == crlf.replace("    status: draft\r\n", "").encode("utf-8")
    text = flow.read_text(encoding="utf-8")
    assert "status" not in text and "# kept" in text
    assert not any(t.draft for t in load_glossary(tmp_path).terms)


def test_confirm_refuses_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", DRAFTS)
    before = path.read_bytes()
    with pytest.raises(GlossaryError) as caught:
        confirm_terms(tmp_path, ["smith", "smiht", "un", "lopez"])
    message = caught.value.message
    assert "nothing confirmed: 3 of 4" in message
    assert "no term 'smiht'" in message and "did you mean 'smith'?" in message
    assert "term 'un': not a draft" in message
    assert "fill en first: bilingual glossary set lopez --en" in message
    assert path.read_bytes() == before
    # a draft that lists an empty `vi` cannot become a confirmed term as it is
    vi = write(
        tmp_path / "vi",
        "a.yaml",
        'version: 1\nterms:\n  - id: a\n    ar: [شيء]\n    en: A\n    vi: ""\n    status: draft\n',
    )
    before = vi.read_bytes()
    with pytest.raises(GlossaryError) as caught:
        confirm_terms(tmp_path / "vi", ["a"])
    assert "'vi' is empty" in caught.value.message
    assert vi.read_bytes() == before


def test_set_then_confirm_a_suggested_stub(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    stub = suggestions_to_yaml([Suggestion("جون سميث", "title", 2, "السيد جون سميث")])
    path = write(folder, "suggested.yaml", stub)
    result = invoke(["glossary", "confirm", "jwn-smyth", "--glossary", str(folder)], tmp_path)
    assert result.exit_code == 1 and "fill en first" in result.output
    assert path.read_text(encoding="utf-8") == stub
    result = invoke(
        ["glossary", "set", "jwn-smyth", "--en", "John Smith", "--glossary", str(folder)],
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    filled = path.read_text(encoding="utf-8")
    result = invoke(["glossary", "confirm", "jwn-smyth", "--glossary", str(folder)], tmp_path)
    assert result.exit_code == 0, result.output
    assert "confirmed 'jwn-smyth'" in result.output
    assert path.read_text(encoding="utf-8") == filled.replace("    status: draft\n", "")
    term = load_glossary(folder).term("jwn-smyth")
    assert term is not None and not term.draft and term.renderings == {"en": "John Smith"}
    assert invoke(["glossary", "confirm", "--glossary", str(folder)], tmp_path).exit_code == 2
    result = invoke(["glossary", "confirm", "jwn-smyth", "--glossary", str(folder)], tmp_path)
    assert result.exit_code == 1 and "not a draft" in result.output


# -- suggest ---------------------------------------------------------------------------------


def test_suggest_writes_drafts_and_fills_the_renderings_it_is_given(tmp_path: Path) -> None:
    suggestions = [
        Suggestion("جون سميث", "title", 2, "السيد جون سميث"),
        Suggestion("ماري لوبيز", "title", 1, "السيدة ماري لوبيز"),
    ]
    text = suggestions_to_yaml(
        suggestions, renderings={"جون سميث": {"en": "John Smith", "vi": "Giôn Xmít"}}
    )
    assert text.count("    status: draft\n") == 2
    write(tmp_path, "s.yaml", text)
    glossary = load_glossary(tmp_path)
    by_ar = {t.forms[0]: t for t in glossary.terms}
    assert by_ar["جون سميث"].renderings == {"en": "John Smith", "vi": "Giôn Xmít"}
    assert by_ar["ماري لوبيز"].renderings == {}
    assert all(t.draft for t in glossary.terms)
    assert suggestions_to_yaml(suggestions[1:]) == suggestions_to_yaml(
        suggestions[1:], renderings={}
    )
    assert 'en: ""' in suggestions_to_yaml(suggestions[1:])


def test_a_suggest_stub_in_the_glossary_does_not_stop_translate_and_drafts_are_flagged(
    model_settings: Settings, tmp_path: Path
) -> None:
    from bilingual.pipeline import RunOptions, translate_articles

    glossary = tmp_path / "glossary"
    shutil.copytree(REPO / "glossary", glossary)
    write(
        glossary,
        "drafts.yaml",
        "version: 1\nterms:\n  - id: tuesday-morning\n    type: event\n"
        "    ar: [صباح الثلاثاء]\n    en: Tuesday morning\n    status: draft\n",
    )
    article = REPO / "input" / "001_sample_meeting.txt"
    texts = article.read_text(encoding="utf-8").splitlines()
    suggestions = suggest_terms(texts, load_glossary(glossary))
    assert suggestions, "the sample has names the glossary lacks"
    write(glossary, "suggested.yaml", suggestions_to_yaml(suggestions))  # every en is ""
    loaded = load_glossary(glossary)
    assert sum(1 for t in loaded.terms if t.draft and not t.renderings) == len(suggestions)
    options = RunOptions(
        paths=(article,),
        targets=("en",),
        glossary_dir=glossary,
        out_dir=tmp_path / "out",
        run_date="2026-11-23T00:00:00+00:00",
    )
    report = translate_articles(options, model_settings)
    assert not report.failed, [a.error for a in report.failed]
    [done] = report.articles
    assert done.json is not None
    data = json.loads(done.json.read_text(encoding="utf-8"))
    sentences = [s for p in data["paragraphs"] for s in p["sentences"]]
    [tuesday] = [s for s in sentences if "صباح الثلاثاء" in s["ar"]]
    assert any(t["term_id"] == "tuesday-morning" for t in tuesday["terms"])
    assert "Tuesday morning" in tuesday["en"]
    [flag] = [f for f in tuesday["flags"] if f["code"] == "draft-term"]
    assert flag["level"] == "info" and flag["lang"] == "en"
    assert "bilingual glossary confirm tuesday-morning" in flag["message"]
    # a stub with no rendering that an article names is kept to one rendering by the run
    # (the names stage fills it), stays a draft, and is flagged where it is used
    stub_ids = {t.id for t in loaded.terms if t.draft and not t.renderings}
    for s in sentences:
        for t in s["terms"]:
            if t["term_id"] in stub_ids:
                assert t["origin"] == "draft"
                [flag] = [
                    f for f in s["flags"] if f["code"] == "draft-term" and f["lang"] == t["lang"]
                ]
                assert t["term_id"] in flag["message"]
    listed = {n["term_id"] for n in data["names"]}
    assert listed <= stub_ids and all(n["draft"] for n in data["names"])


def test_empty_glossary_has_no_warnings() -> None:
    assert EMPTY.warnings == ()
