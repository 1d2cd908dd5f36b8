"""Names kept consistent through the whole loop: the real engine and test models on the
project's samples (001 and 004 share a name; 004 repeats another), the DOCX list, the
memory across runs, a reviewer's correction, and the consistency report.

The test models give word salad on these articles; what is checked is what the tool does
around them: one rendering per name in every briefing, marked ``auto``, listed, kept.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import REPO
from docx_edit import set_sentence

from bilingual.config import Settings
from bilingual.memory.store import SCHEMA_VERSION, TranslationMemory, Unit
from bilingual.pipeline import RunOptions, RunReport, translate_articles
from bilingual.review import read_review, store_reviews

INPUT = REPO / "input"
SALEM = "أحمد سالم"
HADDAD = "نادية حداد"


def _run(
    settings: Settings, paths: list[Path], out: Path, memory: Path | None, **kw: Any
) -> RunReport:
    options = RunOptions(
        paths=tuple(paths),
        targets=kw.pop("targets", ("en", "vi")),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=memory,
        **kw,
    )
    report = translate_articles(options, settings)
    assert not report.failed, [a.error for a in report.failed]
    return report


def _briefings(out: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}


def _segments(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A briefing's sentences, then its captions."""
    return [
        *(s for p in data["paragraphs"] for s in p["sentences"]),
        *data["article"]["captions"],
    ]


def _uses(data: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """Every term use of the name ``source`` in a briefing (sentences and captions)."""
    return [t for s in _segments(data) for t in s["terms"] if t["source_text"] == source]


@pytest.fixture()
def first_run(tmp_path: Path, model_settings: Settings) -> tuple[Path, Path, RunReport]:
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"
    return out, memory, _run(model_settings, [INPUT], out, memory)


def test_each_repeated_name_has_one_rendering_across_every_briefing(first_run) -> None:  # type: ignore[no-untyped-def]
    out, _, report = first_run
    briefings = _briefings(out)
    for name, articles in (
        (SALEM, {"001_sample_meeting", "004_sample_closing"}),
        (HADDAD, {"004_sample_closing"}),
    ):
        found = {a: _uses(d, name) for a, d in briefings.items() if _uses(d, name)}
        assert set(found) == articles, name
        for lang in ("en", "vi"):
            renderings = {
                u["rendering"] for uses in found.values() for u in uses if u["lang"] == lang
            }
            assert len(renderings) == 1, (name, lang, renderings)
            [rendering] = renderings
            for a in found:
                for p in briefings[a]["paragraphs"]:
                    for s in p["sentences"]:
                        if name in s["ar"]:  # every sentence naming it carries the one rendering
                            assert rendering.casefold() in s[lang].casefold(), (a, s["id"])
        assert all(
            u["strategy"] == "auto" and u["origin"] == "auto"
            for uses in found.values()
            for u in uses
        )
    kept = {n.source: n for n in report.names}
    assert set(kept) == {SALEM, HADDAD}
    assert kept[SALEM].count == 4 and (kept[SALEM].first_article, kept[SALEM].first_segment) == (
        "001_sample_meeting",
        "p6.s1",
    )
    listed = briefings["004_sample_closing"]["names"]
    assert [n["ar"] for n in listed] == [SALEM, HADDAD]
    assert all(n["confirm"].startswith("bilingual glossary add --id ") for n in listed)


def test_the_docx_lists_the_names_with_their_commands(first_run) -> None:  # type: ignore[no-untyped-def]
    out, _, report = first_run
    document = docx.Document(str(out / "004_sample_closing.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Names kept consistent" in headings
    [table] = [
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Arabic" and "First seen" in [c.text for c in t.rows[0].cells]
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    kept = {n.source: n for n in report.names}
    assert [r[0] for r in rows] == [SALEM, HADDAD]
    assert rows[0][1:3] == [kept[SALEM].renderings["en"], kept[SALEM].renderings["vi"]]
    assert rows[0][4] == "001_sample_meeting p6.s1" and rows[0][5] == "3 / 4"
    texts = [p.text for p in document.paragraphs]
    assert kept[HADDAD].command() in texts


def test_the_next_run_keeps_the_rendering_through_the_memory(
    first_run, tmp_path: Path, model_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    _, memory, report = first_run
    kept = {n.source: n.renderings for n in report.names}
    with TranslationMemory(memory) as tm:
        rows = tm.names.all()
    assert {(r.source, r.target_lang) for r in rows} == {
        (SALEM, "en"),
        (SALEM, "vi"),
        (HADDAD, "en"),
        (HADDAD, "vi"),
    }
    # tomorrow: one new article naming him once (the memory has seen the name)
    today = tmp_path / "today"
    today.mkdir()
    shutil.copy(INPUT / "001_sample_meeting.txt", today / "005_tomorrow.txt")
    second = _run(model_settings, [today], tmp_path / "out2", memory)
    [name] = second.names
    assert name.source == SALEM and name.renderings == kept[SALEM] and name.count == 1
    uses = _uses(_briefings(tmp_path / "out2")["005_tomorrow"], SALEM)
    assert {u["rendering"] for u in uses} == set(kept[SALEM].values())


def test_no_auto_names_leaves_names_to_the_model(tmp_path: Path, model_settings: Settings) -> None:
    out = tmp_path / "output"
    report = _run(model_settings, [INPUT], out, None, auto_names=False)
    assert report.names == ()
    for data in _briefings(out).values():
        assert data["names"] == []
        assert not [u for u in _uses(data, SALEM)]


def test_a_reviewers_correction_of_a_name_wins_in_every_article_next_run(
    first_run, model_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    out, memory, report = first_run
    kept = {n.source: n for n in report.names}[SALEM]
    meeting = out / "001_sample_meeting.docx"
    data = _briefings(out)["001_sample_meeting"]
    [sentence] = [s for p in data["paragraphs"] for s in p["sentences"] if s["id"] == "p6.s1"]
    corrected = sentence["en"].replace(kept.renderings["en"], "Ahmad Salem")
    assert corrected != sentence["en"]
    set_sentence(meeting, "p6.s1", "en", corrected)
    review = read_review(meeting)
    assert [(n.source, n.target_lang, n.rendering, n.status) for n in review.names] == [
        (SALEM, "en", "Ahmad Salem", "reviewed")
    ]
    with TranslationMemory(memory) as tm:
        store_reviews(tm, [review])
    second = _run(model_settings, [INPUT], out, memory)
    name = {n.source: n for n in second.names}[SALEM]
    assert name.origin == "reviewed" and name.renderings["en"] == "Ahmad Salem"
    for article, d in _briefings(out).items():
        for u in _uses(d, SALEM):
            if u["lang"] == "en":
                assert u["rendering"] == "Ahmad Salem", article


def test_a_planted_memory_unit_that_disagrees_with_the_glossary_is_reported(
    first_run, model_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    out, memory, _ = first_run
    data = _briefings(out)["002_sample_signing"]
    [sentence] = [
        s
        for p in data["paragraphs"]
        for s in p["sentences"]
        if any(t["origin"] == "glossary" and t["lang"] == "en" for t in s["terms"])
    ][:1]
    term = next(t for t in sentence["terms"] if t["lang"] == "en" and t["origin"] == "glossary")
    wrong = sentence["en"].replace(term["rendering"], "something else")
    with TranslationMemory(memory) as tm, tm.transaction():
        tm.add_units(
            [
                Unit(
                    "ar",
                    sentence["ar"],
                    "en",
                    wrong,
                    origin="tmx:planted.tmx",
                    article="002_sample_signing",
                )
            ]
        )
    report = _run(model_settings, [INPUT], out, memory)
    found = [f for f in report.consistency if f.code == "same-name" and f.lang == "en"]
    assert found, report.consistency
    places = {str(p) for f in found for p in f.places}
    assert any("tmx:planted.tmx" in p for p in places)
    assert any(p.startswith("002_sample_signing ") for p in places)
    saved = json.loads((out / "reports" / "consistency.json").read_text(encoding="utf-8"))
    assert saved["schema"] == "bilingual.consistency/1" and saved["counts"]["same-name"] >= 1
    # the affected briefing says so in its QA findings
    flags = {
        f["code"]
        for p in _briefings(out)["002_sample_signing"]["paragraphs"]
        for s in p["sentences"]
        for f in s["flags"]
    }
    assert "inconsistent-name" in flags


def test_an_unchanged_rerun_rewrites_nothing(first_run, model_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    out, memory, _ = first_run
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    report = _run(model_settings, [INPUT], out, memory)
    assert not any(a.rewritten for a in report.articles)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_memory_from_before_names_is_migrated(tmp_path: Path) -> None:
    from bilingual.memory.schema import SCHEMA_1

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)  # schema 1, as bilingual wrote it before names
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with TranslationMemory(path) as tm:
        assert tm.names.count() == 0
        assert tm.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _cli(args: list[str], home: Path, cwd: Path) -> Any:
    import os

    from typer.testing import CliRunner

    from bilingual.cli import app

    old = Path.cwd()
    os.chdir(cwd)
    try:
        env = {"BILINGUAL_HOME": str(home), "COLUMNS": "200"}
        return CliRunner().invoke(app, args, env=env)
    finally:
        os.chdir(old)


TRANSLATE = ["translate", str(INPUT), "--glossary", str(REPO / "glossary"), "-q"]


def _stubs(text: str) -> dict[str, dict[str, Any]]:
    from ruamel.yaml import YAML

    terms = YAML(typ="safe").load(text)["terms"]
    return {t["ar"] if isinstance(t["ar"], str) else t["ar"][0]: t for t in terms}


def test_the_command_line_summarises_names_and_consistency(
    models_home: Path, tmp_path: Path
) -> None:
    result = _cli([*TRANSLATE, "--out", "out"], models_home, tmp_path)
    assert result.exit_code == 0, result.output
    assert "names kept to one rendering (auto): 2 (2 from the model)" in result.output
    assert "consistency: no finding (out/reports/consistency.json)" in result.output
    off = _cli([*TRANSLATE, "--out", "off", "--no-auto-names"], models_home, tmp_path)
    assert off.exit_code == 0 and "names kept" not in off.output


def test_suggest_fills_each_draft_with_the_rendering_a_run_keeps(
    models_home: Path, tmp_path: Path
) -> None:
    first = _cli([*TRANSLATE, "--out", "out", "--to", "en,vi"], models_home, tmp_path)
    assert first.exit_code == 0, first.output
    memory = tmp_path / "out" / "memory.sqlite"
    with TranslationMemory(memory) as tm:
        kept = {(r.source, r.target_lang): r.rendering for r in tm.names.all()}
    args = [
        "glossary",
        "suggest",
        str(INPUT),
        "--glossary",
        str(REPO / "glossary"),
        "--to",
        "en,vi",
    ]
    result = _cli([*args, "--memory", str(memory), "--no-model"], models_home, tmp_path)
    assert result.exit_code == 0, result.output
    stubs = _stubs(result.stdout)
    assert stubs[SALEM]["status"] == "draft"
    assert stubs[SALEM]["en"] == kept[(SALEM, "en")] and stubs[SALEM]["vi"] == kept[(SALEM, "vi")]
    # without the memory, the model renders the name alone: the same rendering
    fresh = _cli(args, models_home, tmp_path)
    assert fresh.exit_code == 0, fresh.output
    again = _stubs(fresh.stdout)
    assert again[SALEM]["en"] == kept[(SALEM, "en")]


@pytest.mark.parametrize("glossary", ["starter", "none"])
def test_every_repeated_name_of_the_seeds_has_one_rendering(
    seeds_dir: Path, tmp_path: Path, model_settings: Settings, glossary: str
) -> None:
    """The acceptance on the real articles: with the starter glossary every name is the
    glossary's; without any, the names found are kept, one rendering each everywhere."""
    import bilingual.glossary
    from bilingual.names.detect import NameFinder

    folder = REPO / "glossary" if glossary == "starter" else tmp_path / "empty"
    folder.mkdir(exist_ok=True)
    out = tmp_path / "out"
    options = RunOptions(paths=(seeds_dir,), targets=("en", "vi"), glossary_dir=folder, out_dir=out)
    report = translate_articles(options, model_settings)
    assert not report.failed
    finder = NameFinder(bilingual.glossary.load_glossary(folder))
    briefings = _briefings(out)
    seen: dict[str, int] = {}
    for data in briefings.values():
        for p in data["paragraphs"]:
            for s in p["sentences"]:
                for span in finder.find(s["ar"]):
                    seen[span.key] = seen.get(span.key, 0) + 1
    repeated = {key for key, n in seen.items() if n > 1}
    assert bool(repeated) == (glossary == "none")
    kept = {finder.key(n.source): n for n in report.names}
    assert repeated <= set(kept)
    for name in kept.values():
        for lang in ("en", "vi"):
            segments = [s for d in briefings.values() for s in _segments(d)]
            uses = [
                t
                for s in segments
                for t in s["terms"]
                if t["term_id"] == name.term_id and t["lang"] == lang
            ]
            assert len(uses) == name.count and {u["rendering"] for u in uses} == {
                name.renderings[lang]
            }
            assert all(u["strategy"] == "auto" for u in uses)
