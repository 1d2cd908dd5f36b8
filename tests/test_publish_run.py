"""``bilingual publish`` end to end: the samples translated with the test models into a
memory, reviewed (``review import --approve`` or an edit in the DOCX), then published;
the editions are read back (python-docx) and their sentences counted.

The samples are translated once per module; each test gets its own copy of the
briefings and the memory (the memory told where its copy of each DOCX now is).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import docx
import pytest
from conftest import REPO
from docx_edit import set_sentence
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import resolve_desk, resolve_settings
from bilingual.errors import ConfigError, PublishError
from bilingual.guard import file_hash
from bilingual.json_io import read_json
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.project import read_project
from bilingual.publish import run
from bilingual.publish.edition import MACHINE_LEGEND, MACHINE_MARK, Block, Publication
from bilingual.publish.gather import Loaded, gather_one, pick_targets, read_briefings
from bilingual.publish.run import PublishOptions, publish
from bilingual.review import read_review, store_reviews

runner = CliRunner()
NAMES = ("001_sample_meeting", "002_sample_signing", "003_sample_delegates", "004_sample_closing")
REVIEWER = "Lan Pham"


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory, models_home: Path) -> Path:
    out = tmp_path_factory.mktemp("translated") / "output"
    options = RunOptions(
        paths=(REPO / "input",),
        targets=("en", "vi"),
        glossary_dir=REPO / "glossary",
        out_dir=out,
        run_date="2026-12-01T00:00:00+00:00",
        memory=out / "memory.sqlite",
    )
    assert not translate_articles(options, resolve_settings({}, home=models_home, threads=2)).failed
    return out


@dataclass
class Desk:
    out: Path
    """The briefings (DOCX, JSON) and memory.sqlite beside them."""
    pub: Path
    """Where the editions go."""

    @property
    def memory(self) -> Path:
        return self.out / "memory.sqlite"

    def publish(self, *args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["publish", *args, "--out", str(self.pub)])
        return result.exit_code, result.output

    def approve(self, *names: str) -> None:
        reviews = [
            read_review(self.out / f"{n}.docx", approve=True, who=REVIEWER) for n in names or NAMES
        ]
        with TranslationMemory(self.memory) as tm:
            store_reviews(tm, reviews)

    def units(self) -> int:
        with TranslationMemory(self.memory) as tm:
            return sum(1 for _ in tm.units())


@pytest.fixture()
def desk(translated: Path, tmp_path: Path) -> Iterator[Desk]:
    out = tmp_path / "output"
    shutil.copytree(translated, out)
    with TranslationMemory(out / "memory.sqlite") as tm, tm.transaction():
        # the run recorded the DOCX it wrote where it wrote them: this copy's are the same
        tm.record_written((p, file_hash(p)) for p in out.glob("*.docx"))
    yield Desk(out, tmp_path / "published")


def _paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _text(path: Path) -> str:
    return "\n".join(_paragraphs(path))


def _sentences(desk: Desk, name: str, lang: str = "en") -> list[str]:
    briefing = read_json(desk.out / f"{name}.json")
    return [t for s in briefing.all_segments() if (t := s.text(lang))]


def _nothing_in(folder: Path) -> None:
    assert not folder.exists() or not any(folder.iterdir()), list(folder.iterdir())


def test_the_gate_refuses_unreviewed_articles_and_lists_them(desk: Desk) -> None:
    code, output = desk.publish(str(desk.out))
    assert code == 1
    assert "nothing was published" in output
    for name in NAMES:
        assert f"{name}.json" in output
    assert "p2.s2" in output and "c1" in output
    assert f"bilingual review import {desk.out / NAMES[0]}.docx" in output
    assert "--allow-unreviewed" in output
    _nothing_in(desk.pub)


def test_allow_unreviewed_marks_every_machine_sentence(desk: Desk) -> None:
    code, output = desk.publish(str(desk.out), "--allow-unreviewed")
    assert code == 0, output
    for name in NAMES:
        text = _text(desk.pub / f"{name}.docx")
        assert MACHINE_LEGEND in text
        sentences = _sentences(desk, name)
        assert text.replace(MACHINE_LEGEND, "").count(MACHINE_MARK) == len(sentences)
        for sentence in sentences:
            assert f"{MACHINE_MARK}\u00a0{sentence}" in text  # kept to its sentence


def test_approved_articles_are_published_whole_with_their_colophon(desk: Desk) -> None:
    desk.approve()
    code, output = desk.publish(str(desk.out), "--digest", "today", "--date", "2026-12-07")
    assert code == 0, output
    assert sorted(p.name for p in desk.pub.iterdir()) == ["today.docx"]
    text = _text(desk.pub / "today.docx")
    at = -1
    for name in NAMES:
        for sentence in _sentences(desk, name):
            assert sentence in text
        for segment in read_json(desk.out / f"{name}.json").segments():
            # the body in order, article after article (captions sit between paragraphs)
            at = text.index(segment.text("en") or "", at + 1)
    assert MACHINE_MARK not in text and MACHINE_LEGEND not in text
    for reviewer_only in ("\u2713", "\u2020", "\u25bc", "Quality checks", "Forced terms"):
        assert reviewer_only not in text
    assert f"Reviewed by {REVIEWER}" in text
    assert "translate-ar_en-0_1_0@0.1.0: licence" in text
    assert "Test model in use: translations are not real." in text
    assert "32 of 32" not in output  # one line per article
    assert f"{NAMES[1]} (en): 8 of 8 sentence(s) reviewed or approved" in output


def test_to_vi_publishes_the_vietnamese(desk: Desk) -> None:
    desk.approve()
    code, output = desk.publish(str(desk.out / f"{NAMES[1]}.json"), "--to", "vi")
    assert code == 0, output
    assert f"{NAMES[1]} (vi)" in output
    text = _text(desk.pub / f"{NAMES[1]}.docx")
    for sentence in _sentences(desk, NAMES[1], "vi"):
        assert sentence in text
    assert _sentences(desk, NAMES[1], "en")[1] not in text


def test_side_by_side_puts_the_arabic_beside(desk: Desk) -> None:
    desk.approve()
    code, output = desk.publish(str(desk.out), "--layout", "side-by-side")
    assert code == 0, output
    text = _text(desk.pub / f"{NAMES[0]}.docx")
    for sentence in _sentences(desk, NAMES[0], "ar"):
        assert sentence in text


def test_a_language_that_is_no_target_is_refused(desk: Desk) -> None:
    desk.approve()
    code, output = desk.publish(str(desk.out), "--to", "fr")
    assert code == 1
    assert f"{NAMES[0]}.json: has no fr translation (its targets: en, vi)" in output
    _nothing_in(desk.pub)


def test_an_edit_not_yet_imported_is_imported_and_published(desk: Desk) -> None:
    edited = "The Minister of the Interior opened the session this morning."
    set_sentence(desk.out / f"{NAMES[0]}.docx", "p2.s2", "en", edited)
    code, output = desk.publish(str(desk.out / f"{NAMES[0]}.json"), "--allow-unreviewed")
    assert code == 0, output
    assert "1 reviewed sentence(s) imported from its DOCX" in output
    text = _text(desk.pub / f"{NAMES[0]}.docx")
    assert edited in text and f"{MACHINE_MARK} {edited}" not in text
    with TranslationMemory(desk.memory) as tm:
        assert edited in {u.target for u in tm.units()}


def test_a_deleted_docx_is_published_from_the_memory_and_the_json(desk: Desk) -> None:
    desk.approve()
    (desk.out / f"{NAMES[2]}.docx").unlink()
    code, output = desk.publish(str(desk.out / f"{NAMES[2]}.json"))
    assert code == 0, output
    assert f"{NAMES[2]} (en): 7 of 7" in output


def test_a_briefing_of_an_older_schema_is_read(desk: Desk) -> None:
    desk.approve()
    path = desk.out / f"{NAMES[3]}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema"] = "bilingual.briefing/1"
    for key in ("test_models", "names", "licences"):
        del data[key]
    for p in data["paragraphs"]:
        for s in p["sentences"]:
            del s["review"]
    for c in data["article"]["captions"]:
        del c["review"], c["terms"], c["flags"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, output = desk.publish(str(path))
    assert code == 0, output
    text = _text(desk.pub / f"{NAMES[3]}.docx")
    for sentence in _sentences(desk, NAMES[3]):
        assert sentence in text
    # its models are named in the colophon though their licences were not recorded
    for model in data["models"]:
        assert f"{model}: licence not recorded in this briefing" in text


def test_a_docx_open_in_an_editor_stops_everything(desk: Desk) -> None:
    (desk.out / f".~lock.{NAMES[1]}.docx#").write_text("someone,host", encoding="utf-8")
    set_sentence(desk.out / f"{NAMES[0]}.docx", "p2.s2", "en", "An edit not to import yet.")
    before = desk.units()
    code, output = desk.publish(str(desk.out), "--allow-unreviewed")
    assert code == 1
    assert f"{NAMES[1]}.docx: is open in Word or LibreOffice" in output
    assert desk.units() == before  # not even the other DOCX's edit was imported
    _nothing_in(desk.pub)


def test_a_missing_memory_is_refused_with_the_fix(desk: Desk) -> None:
    desk.memory.unlink()
    code, output = desk.publish(str(desk.out), "--allow-unreviewed")
    assert code == 1
    assert "memory.sqlite: the translation memory does not exist" in output
    assert "--memory PATH" in output
    _nothing_in(desk.pub)


def test_another_projects_memory_is_refused(desk: Desk, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    TranslationMemory(other).close()
    code, output = desk.publish(str(desk.out), "--allow-unreviewed", "--memory", str(other))
    assert code == 1
    assert f"{NAMES[0]}.json: the memory {other} never recorded this briefing" in output
    _nothing_in(desk.pub)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema": "other/1"}', "is not a bilingual.briefing/4 briefing"),
        (b"[]", "it holds a JSON array, not an object"),
        (b'{"schema": "bilingual.briefing/4", "paragr', "is not JSON"),
    ],
)
def test_a_json_that_is_no_briefing_is_named(desk: Desk, content: bytes, words: str) -> None:
    bad = desk.out / "zzz_notes.json"
    bad.write_bytes(content)
    code, output = desk.publish(str(desk.out), "--allow-unreviewed")
    assert code == 1
    assert "zzz_notes.json" in output and words in output
    _nothing_in(desk.pub)


def test_publishing_over_the_briefings_is_refused(desk: Desk) -> None:
    briefing = desk.out / f"{NAMES[0]}.docx"
    before = file_hash(briefing)
    args = ["publish", str(desk.out), "--allow-unreviewed", "--out", str(desk.out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert f"{desk.out}: is the folder of the briefings being published" in result.output
    assert file_hash(briefing) == before


def test_a_digest_never_replaces_a_briefing_of_another_folder(desk: Desk, tmp_path: Path) -> None:
    """A digest named as an article, published into a copy of the briefings: the copy's
    DOCX (maybe with a reviewer's edits not yet imported) is a briefing, and stays."""
    copy = tmp_path / "copy"
    shutil.copytree(desk.out, copy)
    briefing = copy / f"{NAMES[1]}.docx"
    before = file_hash(briefing)
    json_path = str(desk.out / f"{NAMES[0]}.json")
    args = ["publish", json_path, "--allow-unreviewed", "--out", str(copy), "--digest", NAMES[1]]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"{briefing}: is a briefing and would be replaced" in " ".join(result.output.split())
    assert file_hash(briefing) == before
    assert not (copy / f"{NAMES[1]}.html").exists()


def test_options_that_change_nothing_are_said(desk: Desk) -> None:
    desk.approve()
    code, output = desk.publish(str(desk.out), "--date", "2026-12-01", "--pdf-a")
    assert code == 0, output
    assert "--date sets a digest's date; without --digest it changes nothing" in output
    assert "--pdf-a applies to the PDF" in output


def test_an_out_that_is_a_file_is_named_so(desk: Desk, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    args = ["publish", str(desk.out), "--allow-unreviewed", "--out", str(afile)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and f"{afile}: is a file, not a folder" in result.output
    assert afile.read_text(encoding="utf-8") == "mine"


def test_an_edition_open_in_an_editor_is_not_replaced(desk: Desk) -> None:
    desk.pub.mkdir()
    (desk.pub / "today.docx").write_bytes(b"yesterday's digest")
    (desk.pub / ".~lock.today.docx#").write_text("someone,host", encoding="utf-8")
    code, output = desk.publish(str(desk.out), "--allow-unreviewed", "--digest", "today")
    assert code == 1 and "is open in Word or LibreOffice" in output
    assert (desk.pub / "today.docx").read_bytes() == b"yesterday's digest"


def test_a_moved_project_publishes_with_its_memory(desk: Desk) -> None:
    """The memory recorded the briefings under the project's old path: it is still the
    memory they were made with, and the gate, not a refusal, says what is unreviewed."""
    with TranslationMemory(desk.memory) as tm, tm.transaction():
        tm.db.execute("UPDATE briefings SET path = '/old/place/' || path")
    code, output = desk.publish(str(desk.out))
    assert code == 1 and "never recorded" not in output and "not reviewed" in output
    code, output = desk.publish(str(desk.out), "--allow-unreviewed")
    assert code == 0, output


def test_usage_errors_exit_2(desk: Desk) -> None:
    for args in (
        ["--format", "docx,rtf"],
        ["--digest", "../today"],
        ["--date", "yesterday"],
        ["--layout", "columns"],
        ["--digest", "today.docx"],
        ["--digest", "a:b"],
        ["--digest", "line\nbreak"],
    ):
        code, output = desk.publish(str(desk.out), *args)
        assert code == 2, (args, output)
    _nothing_in(desk.pub)


def _options(desk: Desk, **kw: object) -> PublishOptions:
    return PublishOptions(
        paths=(desk.out,),
        out_dir=desk.pub,
        memory=desk.memory,
        **kw,  # type: ignore[arg-type]
    )


def test_a_failed_check_leaves_nothing_half_written(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.pub.mkdir()
    kept = desk.pub / f"{NAMES[0]}.docx"
    kept.write_bytes(b"yesterday's edition")
    calls = []

    def failing(publication: Publication, blocks: object, where: Path) -> None:
        calls.append(where)
        if len(calls) == 3:  # the third file of four: two are written, waiting
            raise PublishError("a check failed", where=str(where))

    monkeypatch.setattr(run, "verify", failing)
    with pytest.raises(PublishError, match="a check failed"):
        publish(_options(desk, allow_unreviewed=True))
    assert sorted(p.name for p in desk.pub.iterdir()) == [kept.name]  # no .part left
    assert kept.read_bytes() == b"yesterday's edition"
    # a folder the failed run made itself is not left behind, empty
    fresh = desk.pub / "new"
    calls.clear()
    with pytest.raises(PublishError, match="a check failed"):
        publish(dataclasses.replace(_options(desk, allow_unreviewed=True), out_dir=fresh))
    assert not fresh.exists()


def test_a_missing_renderer_fails_only_when_its_format_is_asked(desk: Desk) -> None:
    if importlib.util.find_spec("bilingual.publish.html_out") is not None:
        pytest.skip("the HTML renderer is here")
    with pytest.raises(PublishError, match="cannot write HTML"):
        publish(_options(desk, allow_unreviewed=True, formats=("docx", "html")))
    _nothing_in(desk.pub)


def test_articles_without_a_common_target_make_no_digest(desk: Desk) -> None:
    loaded = read_briefings([desk.out / f"{n}.json" for n in NAMES[:2]])
    only_vi = dataclasses.replace(loaded[1].briefing, targets=("vi",))
    loaded[1] = dataclasses.replace(loaded[1], briefing=only_vi)
    assert pick_targets(loaded, None, digest=False) == ["en", "vi"]
    only_fr = dataclasses.replace(loaded[1], briefing=dataclasses.replace(only_vi, targets=("fr",)))
    with pytest.raises(PublishError) as caught:
        pick_targets([loaded[0], only_fr], None, digest=True)
    message = caught.value.message
    assert "share no target language" in message
    assert f"{NAMES[0]}.json (en, vi)" in message and f"{NAMES[1]}.json (fr)" in message
    assert pick_targets(loaded, None, digest=True) == ["vi", "vi"]


def test_an_error_finding_stops_a_reviewed_article_until_approved(desk: Desk) -> None:
    """002's English has number-mismatch errors: the gate lists them; an approval signs
    the text off, findings included."""
    name = NAMES[1]
    briefing = read_json(desk.out / f"{name}.json")
    flagged = {
        s.id
        for s in briefing.all_segments()
        for f in s.renderings["en"].flags
        if f.level == "error"
    }
    assert flagged
    with TranslationMemory(desk.memory) as tm:
        gathered = gather_one(tm, Loaded(desk.out / f"{name}.json", briefing), "en")
    assert {i for i, _ in gathered.errors} == flagged
    code, output = desk.publish(str(desk.out / f"{name}.json"))
    assert code == 1
    for segment_id in flagged:
        assert f"error finding {segment_id}: number-mismatch" in output
    desk.approve(name)
    code, output = desk.publish(str(desk.out / f"{name}.json"))
    assert code == 0, output


def test_the_colophon_names_the_reviewer_and_when(desk: Desk) -> None:
    desk.approve(NAMES[3])
    with TranslationMemory(desk.memory) as tm:
        loaded = Loaded(desk.out / f"{NAMES[3]}.json", read_json(desk.out / f"{NAMES[3]}.json"))
        edition = gather_one(tm, loaded, "en").edition
    (reviewer,) = edition.colophon.reviewers
    assert reviewer.name == REVIEWER and reviewer.sentences == len(edition.sentences())
    assert reviewer.last_at.startswith("20")
    assert {s.status for s in edition.sentences()} == {"approved"}
    assert edition.colophon.licences and edition.colophon.test_model_notice
    assert edition.colophon.signature == str(loaded.briefing.signature)


def test_the_desk_of_the_project_is_on_the_digest(desk: Desk) -> None:
    (desk.out.parent / "bilingual.toml").write_text('desk = "Foreign desk"\n', encoding="utf-8")
    desk.approve()
    code, output = desk.publish(str(desk.out), "--digest", "today")
    assert code == 0, output
    assert "Foreign desk" in _text(desk.pub / "today.docx")


@pytest.mark.parametrize(("line", "desk"), [('desk = "  Foreign desk "', "Foreign desk"), ("", "")])
def test_the_desk_setting_is_read_once(tmp_path: Path, line: str, desk: str) -> None:
    (tmp_path / "bilingual.toml").write_text(line + "\n", encoding="utf-8")
    project = read_project(tmp_path / "bilingual.toml")
    assert resolve_desk({}, project=project) == desk
    assert resolve_desk({"BILINGUAL_DESK": "Night desk"}, project=project) == "Night desk"
    assert resolve_desk({"BILINGUAL_DESK": "x"}, project=project, desk="Given") == "Given"


def test_a_desk_that_is_no_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bilingual.toml").write_text("desk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="desk must be a name in quotes"):
        read_project(tmp_path / "bilingual.toml")


class _FakePdf:
    """Stands in for the PDF renderer (LibreOffice's tests are the renderer's own): the
    "PDF" is the DOCX's text, one block a line."""

    seen: ClassVar[list[Path]] = []

    @staticmethod
    def write_pdf(source: Path, pdf: Path, *, pdf_a: bool = False, timeout: float = 300) -> None:
        _FakePdf.seen.append(source)
        pdf.write_text("\n".join(_paragraphs(source)), encoding="utf-8")

    @staticmethod
    def read_blocks(path: Path) -> list[Block]:
        return [Block(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_pdf_alone_is_made_from_a_docx_of_its_own(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = run._module
    monkeypatch.setattr(
        run, "_module", lambda name, fmt: _FakePdf if fmt == "pdf" else real(name, fmt)
    )
    _FakePdf.seen = []
    desk.approve()
    report = publish(_options(desk, formats=("pdf",), digest="today"))
    assert [p.name for p in report.written] == ["today.pdf"]
    assert sorted(p.name for p in desk.pub.iterdir()) == ["today.pdf"]
    assert [p.name for p in _FakePdf.seen] == ["today.docx"]  # named as the edition
    assert not _FakePdf.seen[0].exists()  # the scratch folder is gone
    text = (desk.pub / "today.pdf").read_text(encoding="utf-8")
    for name in NAMES:
        assert _sentences(desk, name)[-1] in text


def test_a_pdf_that_loses_a_sentence_is_not_published(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = _sentences(desk, NAMES[0])[1]

    class Lossy(_FakePdf):
        @staticmethod
        def read_blocks(path: Path) -> list[Block]:
            blocks = _FakePdf.read_blocks(path)
            # the body paragraph holding the first article's second sentence
            lost = next(k for k, b in enumerate(blocks) if second in b.text)
            return blocks[:lost] + blocks[lost + 1 :]

    real = run._module
    monkeypatch.setattr(
        run, "_module", lambda name, fmt: Lossy if fmt == "pdf" else real(name, fmt)
    )
    desk.approve()
    with pytest.raises(PublishError, match=r"today\.pdf: sentence .* is missing"):
        publish(_options(desk, formats=("docx", "pdf"), digest="today"))
    _nothing_in(desk.pub)
