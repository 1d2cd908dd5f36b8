"""End-to-end tests of bilingual.pipeline with the committed test models (no network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
    assert sorted(p.name for p in out.iterdir()) == ["good.docx", "good.json", "reports"]


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

    import bilingual.docx_io.writer

    def full(briefing: object, path: Path) -> None:
        path.write_bytes(b"PK half a zip")  # the disk fills up half way
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(bilingual.docx_io.writer, "save_docx", full)
    # a different briefing (an unchanged one would be left as it is, without a write)
    report = run(model_settings, [sample], tmp_path, targets=("en", "vi"))
    error = report.failed[0].error or ""
    assert "No space left" in error and "out of disk space" in error
    # the file the user knows, not the temporary one they never saw
    assert f"{docx}: cannot write the briefing" in error and ".part" not in error
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
    import bilingual.pipeline.run as pipeline

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
        # every glossary term's Vietnamese is forced (a kept name's own rendering is the
        # dropper's output for it, so the model "renders" it: not forced)
        vi_glossary = [
            t for s in sentences for t in s["terms"] if t["lang"] == "vi" and t["origin"] != "auto"
        ]
        assert all(t["forced"] for t in vi_glossary)
        # the appendix counts glossary terms; a name the run kept is listed in names
        by_glossary = sum(
            t["forced"] for s in sentences for t in s["terms"] if t["origin"] != "auto"
        )
        assert sum(t["forced"] for t in data["terms"]) == by_glossary
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
    assert report.consistency_report == tmp_path / "reports" / "consistency.json"
    written = sorted(p for p in tmp_path.glob("*.json") if p != report.consistency_report)
    assert [p.stem for p in written] == sorted(p.stem for p in INPUT.glob("*.txt"))
    for path in [*written, report.consistency_report]:
        # the run's consistency report beside the folder of briefings (not a briefing)
        folder = PIPELINE_GOLDEN.parent if path == report.consistency_report else PIPELINE_GOLDEN
        golden = folder / f"{path.stem}.en-vi.json"
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


# -- file names, folder entries, bugs and leftovers: one article never stops the others ----


def _fsname(folder: Path, raw: bytes) -> Path:
    """``folder / raw`` for a name that is not UTF-8 (as os.listdir would give it)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


def test_a_name_that_is_not_utf8_is_translated_with_the_memory_on(
    model_settings: Settings, tmp_path: Path
) -> None:
    """Windows-1256 bytes in the file name, the folder and the output folder: the JSON
    writer, the DOCX writer and the memory (SQLite) all get printable text."""
    folder = _fsname(tmp_path, b"\xff-in")
    folder.mkdir()
    odd = _fsname(folder, b"\xe3\xd5\xd1-news.txt")
    samples = sorted(INPUT.glob("*.txt"))
    shutil.copy(samples[0], odd)
    shutil.copy(samples[1], folder / "plain.txt")
    out = _fsname(tmp_path, b"\xfe-out")
    options = RunOptions(
        paths=(folder,), glossary_dir=GLOSSARY, out_dir=out, memory=out / "memory.sqlite"
    )
    for _ in range(2):  # the second run reads the memory's record of the first
        report = translate_articles(options, model_settings)
        assert not report.failed, [a.error for a in report.failed]
    names = sorted(a.name for a in report.articles)
    assert names == ["\\xe3\\xd5\\xd1-news", "plain"]
    data = _json(out / "\\xe3\\xd5\\xd1-news.json")
    assert data["article"]["name"] == "\\xe3\\xd5\\xd1-news"
    assert data["article"]["path"].endswith("\\xe3\\xd5\\xd1-news.txt")
    _assert_reads_back(out / "\\xe3\\xd5\\xd1-news.json", out / "\\xe3\\xd5\\xd1-news.docx")
    assert "\\xe3\\xd5\\xd1-news" in _docx_text(out / "\\xe3\\xd5\\xd1-news.docx")


@pytest.mark.parametrize("stage", ["read", "guard", "write"])
def test_a_bug_in_one_article_fails_that_article_loudly_and_the_others_are_written(
    model_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    import bilingual.guard
    import bilingual.pipeline.jobs
    import bilingual.pipeline.run

    folder = tmp_path / "in"
    folder.mkdir()
    samples = sorted(INPUT.glob("*.txt"))
    shutil.copy(samples[0], folder / "bad.txt")
    shutil.copy(samples[1], folder / "good.txt")
    module, name = {
        "read": (bilingual.pipeline.jobs, "segment_article"),
        "guard": (bilingual.guard, "guard_briefing"),
        "write": (bilingual.pipeline.run, "assemble_briefing"),
    }[stage]
    real = getattr(module, name)

    def buggy(*args, **kwargs):  # type: ignore[no-untyped-def]
        if "bad" in repr(args[0]):
            raise ValueError("a bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, buggy)
    out = tmp_path / "out"
    report = run(model_settings, [folder], out)
    (failed,) = report.failed
    assert failed.name == "bad" and "bad.txt: unexpected error while" in (failed.error or "")
    assert "ValueError: a bug" in (failed.error or "") and "bug in bilingual" in (
        failed.error or ""
    )
    assert failed.bug is not None and "Traceback" in failed.bug and "buggy" in failed.bug
    assert sorted(p.name for p in out.iterdir()) == ["good.docx", "good.json", "reports"]


def test_special_entries_of_a_folder_are_reported_and_never_opened(
    model_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(INPUT.glob("*.txt"))[0], folder / "good.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    os.mkfifo(folder / "pipe.txt")
    shutil.copy(folder / "good.txt", folder / ".draft.txt")
    shutil.copy(folder / "good.txt", folder / "good.txt~")
    out = tmp_path / "out"
    report = run(model_settings, [folder], out)
    failed = {a.name: a.error or "" for a in report.failed}
    assert sorted(failed) == ["dangling.txt", "loop.md", "pipe.txt"]
    assert "FIFO" in failed["pipe.txt"] and "loop" in failed["loop.md"]
    assert sorted(s.path.name for s in report.skipped) == [".draft.txt", "good.txt~"]
    assert sorted(p.name for p in out.iterdir()) == ["good.docx", "good.json", "reports"]


def test_a_run_removes_the_temporaries_a_killed_run_left_and_nothing_else(
    model_settings: Settings, tmp_path: Path
) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    dead = [out / ".d03.json.abcd1234.part", out / ".d03.docx.x_y_z_00.part"]
    live = out / ".d04.docx.livelive.part"
    mine = [out / "notes.part", out / ".d03.json.part", out / "d03.json.abcd1234.part"]
    for path in [*dead, live, *mine]:
        path.write_text("x")
    with live.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a concurrent run writing it holds it
        report = run(model_settings, [sorted(INPUT.glob("*.txt"))[0]], out)
        assert live.exists()
    assert sorted(report.removed_temporaries) == sorted(dead)
    assert not any(p.exists() for p in dead) and all(p.exists() for p in mine)


CAPTIONED = (
    "وارتفعت الجرائم الإلكترونية بنسبة 3.5 في المئة في العام الماضي.\n"
    "| وقَّع القائم بأعمال السفارة الصينية في فيتنام، وانغ تشون، اتفاقية الأمم المتحدة "
    "لمكافحة الجرائم الإلكترونية. (صورة: هولندا) |\n"
    "وقال الوزير إن التعاون الدولي ضروري لمكافحة الجرائم الإلكترونية.\n"
)


def test_captions_are_locked_checked_and_counted_like_sentences(
    model_settings: Settings, tmp_path: Path
) -> None:
    """Through the test models (seed 000's caption 2, which lost "chargé d'affaires" and
    got it appended in parentheses, unflagged): every glossary term of a caption is in
    the JSON with its strategy, each rendering is in the caption's text and none is
    appended at the end, a forced one is flagged, the appendix and the summary count
    caption occurrences, and forced renderings are counted per language."""
    from docx import Document

    article = tmp_path / "captioned.txt"
    article.write_text(CAPTIONED, encoding="utf-8")
    report = run(model_settings, [article], tmp_path / "out", targets=("en", "vi"))
    [a] = report.articles
    assert a.error is None and a.json is not None and a.docx is not None
    data = _json(a.json)
    [caption] = data["article"]["captions"]
    assert {t["term_id"] for t in caption["terms"]} >= {
        "charge-d-affaires",
        "chinese-embassy-viet-nam",
        "un-cybercrime-convention",
    }
    for t in caption["terms"]:
        text = caption[t["lang"]]
        assert occurrences(text, t["rendering"]) >= 1, (t, text)
        assert caption["ar"][slice(*t["source_span"])] == t["source_text"]
        if t["forced"]:
            assert {"code": "forced-term", "lang": t["lang"]}.items() <= next(
                f for f in caption["flags"] if f["code"] == "forced-term" and f["lang"] == t["lang"]
            ).items()
    for lang in ("en", "vi"):
        if caption[lang].rstrip().endswith(")"):
            # only a Vietnamese rendering with no known word boundary near its place is
            # added after the text in brackets, and its finding says so
            forced = next(
                f for f in caption["flags"] if f["code"] == "forced-term" and f["lang"] == lang
            )
            assert lang == "vi" and "added after the sentence in brackets" in forced["message"]
    # counted once per occurrence, sentences and captions alike
    sentences = [s for p in data["paragraphs"] for s in p["sentences"]]
    places = {
        (s.get("id", "caption"), tuple(t["source_span"]), t["term_id"])
        for s in [*sentences, caption]
        for t in s["terms"]
    }
    assert a.terms_locked == len(places)
    assert sum(t["count"] for t in data["terms"]) == len(places)
    assert list(a.forced_by_lang) == ["en", "vi"]
    assert a.terms_forced == sum(a.forced_by_lang.values())
    for lang, n in a.forced_by_lang.items():
        assert n == sum(
            t["forced"] for s in [*sentences, caption] for t in s["terms"] if t["lang"] == lang
        )
        assert n <= a.terms_locked
    for term in data["terms"]:
        assert all(n <= term["count"] for n in term["forced_by_lang"].values()), term
        assert term["forced"] == sum(term["forced_by_lang"].values())
    # the DOCX: the caption's findings are listed under its id; no appendix figure
    # exceeds the count it is a part of
    doc = Document(str(a.docx))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    [appendix] = [t for t in tables if t[0][0] == "Term"]
    header = appendix[0]
    count_at = header.index("Count (ar)")
    forced_at = [header.index(f"Forced ({lang})") for lang in ("en", "vi")]
    for row in appendix[1:]:
        assert all(int(row[k]) <= int(row[count_at]) for k in forced_at), (header, row)
    if any(t["forced"] for t in caption["terms"]):
        listed = [cell for t in tables if t[0][0] not in ("#", "Term") for r in t[1:] for cell in r]
        assert any(cell.startswith("c1") for cell in listed), listed


def test_the_command_line_survives_odd_names_and_fifos_with_a_strict_utf8_console(
    models_home: Path, tmp_path: Path
) -> None:
    """Through ``bilingual translate`` on pipes whose encoding refuses surrogates: a name
    that is not UTF-8 is translated, a FIFO (in the folder and named directly) fails on
    its own row without blocking, and no traceback is printed."""
    folder = tmp_path / "in"
    folder.mkdir()
    samples = sorted(INPUT.glob("*.txt"))
    shutil.copy(samples[0], _fsname(folder, b"\xe3\xd5\xd1-news.txt"))
    shutil.copy(samples[1], folder / "[draft] plain.txt")
    shutil.copy(samples[2], folder / "ctl\x01\uffff.txt")  # XML holds neither
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "direct.txt")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "BILINGUAL_HOME": str(models_home),
        "LC_ALL": "C.UTF-8",
        "PYTHONUTF8": "0",
        "PYTHONIOENCODING": "utf-8:strict",
    }
    args = ["translate", str(folder), str(tmp_path / "direct.txt"), "--out", str(out), "-q"]
    done = subprocess.run(
        [sys.executable, "-m", "bilingual", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "pipe.txt" in stderr and "direct.txt" in stderr
    written = sorted(p.name for p in out.iterdir() if p.suffix == ".docx")
    odd = ["ctl\\x01\\uffff.docx", "\\xe3\\xd5\\xd1-news.docx"]
    assert written == sorted(["[draft] plain.docx", *odd])


@pytest.mark.parametrize("name", ["consistency", "consistency-report", "reports"])
def test_no_run_report_is_ever_written_over_a_briefing(
    model_settings: Settings, tmp_path: Path, name: str
) -> None:
    # briefings are named after their articles, which may be called anything: an article
    # named like a run report kept its twin only until a later run of other articles
    articles = tmp_path / "in"
    articles.mkdir()
    shutil.copy(INPUT / "001_sample_meeting.txt", articles / f"{name}.txt")
    out = tmp_path / "out"
    run(model_settings, [articles / f"{name}.txt"], out)
    twin = _json(out / f"{name}.json")
    report = run(model_settings, [INPUT / "002_sample_signing.txt"], out)
    assert not report.failed
    assert _json(out / f"{name}.json") == twin
    assert report.consistency_report == out / "reports" / "consistency.json"
