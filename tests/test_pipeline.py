"""End-to-end tests of bilingual.pipeline with the committed test models (no network)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from bilingual.config import Settings, resolve_settings
from bilingual.enforce import occurrences
from bilingual.errors import InputError, ModelNotInstalledError, OutputError
from bilingual.pipeline import RunOptions, translate_articles

INPUT = REPO / "input"
GLOSSARY = REPO / "glossary"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(settings: Settings, paths: list[Path], out: Path, targets: tuple[str, ...] = ("en",)):  # type: ignore[no-untyped-def]
    options = RunOptions(
        paths=tuple(paths),
        targets=targets,
        glossary_dir=GLOSSARY,
        out_dir=out,
        run_date="2026-11-23T00:00:00+00:00",
    )
    return translate_articles(options, settings)


def _json(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    return "".join(t.text or "" for t in doc.element.body.iter(f"{W}t"))


def test_sample_articles_give_a_docx_and_json_each(
    model_settings: Settings, tmp_path: Path
) -> None:
    report = run(model_settings, [INPUT], tmp_path)
    samples = sorted(INPUT.glob("*.txt")) + sorted(INPUT.glob("*.md"))
    assert samples, "input/ holds sample articles"
    assert not report.failed
    assert {a.name for a in report.articles} == {p.stem for p in samples}
    for a in report.articles:
        assert a.docx and a.docx.is_file() and a.json and a.json.is_file()
        data = _json(a.json)
        assert len(data["paragraphs"]) == a.paragraphs
        assert all(s["en"].strip() for p in data["paragraphs"] for s in p["sentences"])
        _assert_reads_back(a.json, a.docx)
    assert report.model_seconds <= report.seconds


def test_seeds_every_term_rendered_exactly_and_repeat_shown_once(
    model_settings: Settings, seeds_dir: Path, tmp_path: Path
) -> None:
    report = run(model_settings, [seeds_dir], tmp_path, targets=("en", "vi"))
    assert not report.failed and len(report.articles) == 2
    strategies: dict[str, int] = {}
    for a in report.articles:
        assert a.json is not None and a.docx is not None
        data = _json(a.json)
        for p in data["paragraphs"]:
            for s in p["sentences"]:
                for t in s["terms"]:
                    target = s[t["lang"]]
                    assert occurrences(target, t["rendering"]) >= 1, (s["id"], t)
                    strategies[t["strategy"]] = strategies.get(t["strategy"], 0) + 1
                    if t["strategy"] == "forced":
                        assert any(f["code"] == "forced-term" for f in s["flags"])
        assert a.terms_locked > 0
        # both files read back: the JSON byte for byte, the DOCX to the same segments
        _assert_reads_back(a.json, a.docx)
        # the body of the briefing holds each cleaned paragraph once
        texts = [" ".join(s["ar"] for s in p["sentences"]) for p in data["paragraphs"]]
        assert len(texts) == len(set(texts))
    second = next(a for a in report.articles if a.name.startswith("002"))
    data = _json(second.json)  # type: ignore[arg-type]
    assert len(data["article"]["repeats"]) == 2  # the pair printed twice, each reported once
    body = _docx_text(second.docx)  # type: ignore[arg-type]
    for rep in data["article"]["repeats"]:
        para = data["paragraphs"][rep["paragraph"]]
        first_sentence = para["sentences"][0]["ar"]
        assert body.count(first_sentence) == 1
    assert sum(strategies.values()) > 0


def test_a_bad_article_is_reported_and_the_others_still_written(
    model_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(INPUT.glob("*.txt"))[0], folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Caf\xe9 na\xefve r\xe9sum\xe9\n".encode("latin-1"))
    (folder / "english.txt").write_text(
        "The minister signed the convention in Hanoi.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    report = run(model_settings, [folder], out)
    failed = {a.name: a.error for a in report.failed}
    assert set(failed) == {"empty", "binary", "latin1", "english"}
    assert all(f"{name}.txt" in (msg or "") for name, msg in failed.items())
    assert (out / "good.docx").is_file() and (out / "good.json").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["good.docx", "good.json"]


def test_folder_without_articles_fails_before_translating(
    model_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError) as info:
        run(model_settings, [tmp_path], tmp_path / "out")
    assert str(tmp_path) in str(info.value)
    assert not (tmp_path / "out").exists()


def test_unwritable_output_folder_fails_before_translating(
    model_settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as info:
        run(model_settings, [INPUT], blocker / "out")
    assert "--out" in str(info.value)


def test_missing_model_names_the_pair_and_the_install_command(tmp_path: Path) -> None:
    empty = resolve_settings({}, home=tmp_path / "nohome")
    with pytest.raises(ModelNotInstalledError) as info:
        run(empty, [INPUT], tmp_path / "out")
    message = str(info.value)
    assert "ar" in message and "en" in message and "bilingual models install" in message
    assert not (tmp_path / "out").exists()


def test_old_briefing_survives_a_failed_write(
    model_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = sorted(INPUT.glob("*.txt"))[0]
    run(model_settings, [sample], tmp_path)
    docx = tmp_path / f"{sample.stem}.docx"
    before = docx.read_bytes()

    from docx.document import Document as WordDocument

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WordDocument, "save", boom)
    # a different briefing (an unchanged one would be left as it is, without a write)
    report = run(model_settings, [sample], tmp_path, targets=("en", "vi"))
    assert report.failed and "No space left" in (report.failed[0].error or "")
    assert docx.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# -- the Vietnamese path on the project's own samples (no ../shared needed) ---------------


class _TermDropper:
    """Wraps the en -> vi test model so that it never renders a glossary term: every
    Vietnamese requirement goes down the ladder to ``forced``."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.info = inner.info  # type: ignore[attr-defined]

    def translate(self, sentences, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.pop("target_prefixes", None)
        neutral = ["The minister signed." for _ in sentences]
        return self.inner.translate(neutral, **kwargs)  # type: ignore[attr-defined]


def test_vietnamese_findings_and_forced_terms_reach_the_briefing(
    model_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bilingual.pipeline as pipeline

    real_open = pipeline.open_translator

    def open_translator(settings: Settings, a: str, b: str):  # type: ignore[no-untyped-def]
        translator = real_open(settings, a, b)
        return _TermDropper(translator) if (a, b) == ("en", "vi") else translator

    monkeypatch.setattr(pipeline, "open_translator", open_translator)
    report = run(model_settings, [INPUT], tmp_path, targets=("en", "vi"))
    assert not report.failed
    vi_forced = 0
    for a in report.articles:
        data = _json(a.json)  # type: ignore[arg-type]
        sentences = [s for p in data["paragraphs"] for s in p["sentences"]]
        forced = {"en": 0, "vi": 0}
        for s in sentences:
            for t in s["terms"]:
                forced[t["lang"]] += t["forced"]
                if t["forced"]:
                    flagged = {(f["code"], f["lang"]) for f in s["flags"]}
                    assert ("forced-term", t["lang"]) in flagged, (s["id"], t)
            vi_flags = [f for f in s["flags"] if f["lang"] == "vi"]
            # the dropper's English sentence has no number: every source number is lost
            if any(ch.isdigit() for ch in s["ar"]):
                assert any(f["code"] == "number-mismatch" for f in vi_flags), s["id"]
        assert forced["vi"] == sum(1 for s in sentences for t in s["terms"] if t["lang"] == "vi")
        assert sum(t["forced"] for t in data["terms"]) == forced["en"] + forced["vi"]
        assert a.terms_forced == forced["en"] + forced["vi"]
        vi_forced += forced["vi"]
        rows = _docx_rows(a.docx, "Sentence")  # type: ignore[arg-type]
        assert sum(1 for row in rows[1:] if row[2] == "vi") == forced["vi"]
    assert vi_forced > 0, "the samples hold glossary terms"
    assert report.terms_forced >= vi_forced


def _docx_rows(path: Path, first_header: str) -> list[list[str]]:
    from docx import Document

    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    return []


# -- the whole run against golden files ------------------------------------------------------

PIPELINE_GOLDEN = REPO / "tests" / "golden" / "pipeline"


def test_sample_briefings_match_their_golden_json(
    models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bilingual translate input/ --to en,vi`` with ``SOURCE_DATE_EPOCH`` set writes the
    committed JSON byte for byte (the references were written before the segment model
    was introduced, at d60adc2). After an intended change of the output, rerun with
    ``BILINGUAL_UPDATE_GOLDEN=1`` and review the diff of tests/golden/pipeline/."""
    import os

    monkeypatch.chdir(REPO)  # the JSON records the input path as given: input/NAME.txt
    env = {"SOURCE_DATE_EPOCH": "1795422600"}  # 2026-11-23T08:30:00+00:00
    settings = resolve_settings(env, home=models_home, threads=2)
    options = RunOptions(paths=(Path("input"),), targets=("en", "vi"), out_dir=tmp_path)
    report = translate_articles(options, settings)
    assert not report.failed
    written = sorted(tmp_path.glob("*.json"))
    assert [p.stem for p in written] == sorted(p.stem for p in INPUT.glob("*.txt"))
    for path in written:
        golden = PIPELINE_GOLDEN / f"{path.stem}.en-vi.json"
        if os.environ.get("BILINGUAL_UPDATE_GOLDEN") == "1":
            golden.write_bytes(path.read_bytes())
        assert path.read_bytes() == golden.read_bytes(), f"{path.name} differs from {golden}"


def _assert_reads_back(json_path: Path, docx_path: Path) -> None:
    from bilingual.docx_io import read_docx
    from bilingual.json_io import dumps, read_json

    briefing = read_json(json_path)
    assert dumps(briefing).encode("utf-8") == json_path.read_bytes()
    from_docx = read_docx(docx_path)
    assert from_docx.targets == briefing.targets
    assert [(s.id, s.number, s.source) for s in from_docx.segments] == [
        (s.id, s.number, s.source) for s in briefing.segments()
    ]
    for got, want in zip(from_docx.segments, briefing.segments(), strict=True):
        assert {t: got.text(t) for t in briefing.targets} == {
            t: want.text(t) for t in briefing.targets
        }
