"""XLIFF 2.1 export and import: the layout, the official schema, the round trip through
the real engine, and every bad input refused with its file and line.

The schema files in tests/data/xliff/ are the OASIS XLIFF 2.0 OS core and its Metadata
and Glossary modules (XLIFF 2.1 keeps the core's namespace and file name), with the W3C
``xml.xsd`` of the OASIS 2.1 schema set; see tests/data/xliff/README.md. Validation
runs offline: every import resolves to those local copies, never to the network.
"""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest
from briefing_factory import example_en, example_en_vi
from conftest import REPO
from lxml import etree

from bilingual.config import Settings
from bilingual.document.briefing import Briefing
from bilingual.errors import BriefingReadError, XliffError
from bilingual.json_io import read_json, write_json
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline import RunOptions, translate_articles
from bilingual.review import store_reviews
from bilingual.xliff import NS, export_xliff, read_xliff

SCHEMAS = REPO / "tests" / "data" / "xliff"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class _Local(etree.Resolver):
    """Every schema the XSDs import comes from tests/data/xliff, never the network."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        name = (url or "").rsplit("/", 1)[-1]
        if (SCHEMAS / name).is_file():
            return self.resolve_filename(str(SCHEMAS / name), context)
        raise AssertionError(f"the schema tried to load {url}")


def _schema() -> etree.XMLSchema:
    imports = [
        (XML_NS, "xml.xsd"),
        (NS, "xliff_core_2.0.xsd"),
        (MDA, "metadata.xsd"),
        (GLS, "glossary.xsd"),
    ]
    driver = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in imports
    )
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    root = etree.fromstring((driver + "</xs:schema>").encode(), parser, base_url=str(SCHEMAS) + "/")
    return etree.XMLSchema(root)


SCHEMA = _schema()


def qname(name: str) -> str:
    return f"{{{NS}}}{name}"


def _with_statuses(briefing: Briefing) -> Briefing:
    """p1.s1 reviewed, p2.s1 approved in English, the caption with no English."""
    paragraphs = []
    for p in briefing.paragraphs:
        sentences = []
        for s in p.sentences:
            status = {"p1.s1": "reviewed", "p2.s1": "approved"}.get(s.id)
            if status:
                r = dataclasses.replace(s.renderings["en"], status=status, note="checked")
                s = s.with_renderings({**s.renderings, "en": r})
            sentences.append(s)
        paragraphs.append(dataclasses.replace(p, sentences=tuple(sentences)))
    captions = tuple(
        dataclasses.replace(c, renderings={k: v for k, v in c.renderings.items() if k != "en"})
        for c in briefing.captions
    )
    return dataclasses.replace(briefing, paragraphs=tuple(paragraphs), captions=captions)


def _export(tmp_path: Path, briefing: Briefing) -> tuple[Path, list[Path]]:
    json_path = tmp_path / "out" / f"{briefing.article.name}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    write_json(briefing, json_path)
    return json_path, list(export_xliff(json_path, tmp_path / "xlf"))


def _segments(path: Path) -> dict[str, etree._Element]:
    return {s.get("id", ""): s for s in etree.parse(str(path)).iter(qname("segment"))}


# -- export -----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [example_en, example_en_vi])
def test_the_export_is_valid_against_the_official_xliff_schema(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    _, files = _export(tmp_path, _with_statuses(make()))
    assert files
    for path in files:
        doc = etree.parse(str(path))
        assert SCHEMA.validate(doc), (path, SCHEMA.error_log)


def test_the_schema_check_is_real_it_refuses_a_bad_state(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, example_en())
    doc = etree.parse(str(path))
    next(doc.iter(qname("segment"))).set("state", "done")
    assert not SCHEMA.validate(doc)


def test_one_file_per_target_language_and_units_per_paragraph(tmp_path: Path) -> None:
    briefing = example_en_vi()
    _, files = _export(tmp_path, briefing)
    name = briefing.article.name
    assert sorted(p.name for p in files) == [f"{name}.en.xlf", f"{name}.vi.xlf"]
    root = etree.parse(str(files[1])).getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "ar", "vi")
    [file] = root.iterchildren(qname("file"))
    assert file.get("canResegment") == "no" and file.get("srcDir") == "rtl"
    units = [u.get("id") for u in file.iterchildren(qname("unit"))]
    expected = [f"p{p.index + 1}" for p in briefing.paragraphs]
    assert units == expected + [f"c{k}" for k in range(1, len(briefing.captions) + 1)]
    ids = list(_segments(files[1]))
    assert ids == [s.id for s in briefing.all_segments()]


def test_states_follow_the_memory_status(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, _with_statuses(example_en()))
    segments = _segments(path)
    assert segments["p1.s1"].get("state") == "reviewed"
    assert segments["p2.s1"].get("state") == "final"
    assert segments["p2.s2"].get("state") == "translated"
    assert segments["c1"].get("state") == "initial"
    assert segments["c1"].find(qname("target")) is None


def test_terms_are_marked_in_source_and_target_and_findings_are_notes(tmp_path: Path) -> None:
    briefing = example_en()
    _, [path] = _export(tmp_path, briefing)
    segments = _segments(path)
    for segment in briefing.segments():
        uses = segment.renderings["en"].terms
        if not uses:
            continue
        element = segments[segment.id]
        marks = element.find(qname("source")).findall(qname("mrk"))  # type: ignore[union-attr]
        assert {m.get("ref") for m in marks} <= {f"urn:bilingual:term:{u.term_id}" for u in uses}
        assert marks and all(m.get("type") == "term" for m in marks)
        for mark in marks:
            use = next(u for u in uses if mark.get("ref", "").endswith(":" + u.term_id))
            assert mark.text == use.source_text
        target = element.find(qname("target"))
        assert target is not None and "".join(target.itertext()) == segment.text("en")
    notes = [n.text or "" for n in etree.parse(str(path)).iter(qname("note"))]
    flagged = [(s.id, f.code) for s in briefing.all_segments() for f in s.flags()]
    assert flagged
    for sid, code in flagged:
        assert any(n.startswith(f"{sid} {code}:") for n in notes), (sid, code)


def test_a_file_that_is_not_a_briefing_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(BriefingReadError, match=r"x\.json"):
        export_xliff(bad, tmp_path / "xlf")
    assert not (tmp_path / "xlf").exists() or not list((tmp_path / "xlf").iterdir())


# -- import -----------------------------------------------------------------------------


def _edit(path: Path, segment_id: str, text: str | None, state: str | None = None) -> None:
    tree = etree.parse(str(path))
    segment = next(s for s in tree.iter(qname("segment")) if s.get("id") == segment_id)
    if text is not None:
        target = segment.find(qname("target"))
        assert target is not None
        for child in list(target):
            target.remove(child)
        target.text = text
    if state is not None:
        segment.set("state", state)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_an_edited_target_is_a_change_with_the_review_report(tmp_path: Path) -> None:
    briefing = example_en()
    _, [path] = _export(tmp_path, briefing)
    term_sentence = next(s for s in briefing.segments() if s.renderings["en"].terms)
    _edit(path, term_sentence.id, "A new rendering.")
    _edit(path, "p2.s2", None, state="final")  # confirmed without an edit
    [review] = read_xliff(path, who="tester")
    assert [c.segment_id for c in review.changed] == [term_sentence.id]
    assert review.changed[0].before == term_sentence.text("en")
    assert review.unchanged == 1 and not review.unmappable
    units = {u.target: u for u in review.units}
    assert units["A new rendering."].status == "reviewed"
    assert units["A new rendering."].origin == f"xliff:{path.name}"
    confirmed = next(s for s in briefing.segments() if s.id == "p2.s2")
    assert units[confirmed.text("en") or ""].status == "approved"
    assert {n.term_id for n in review.terms} <= {
        u.term_id for u in term_sentence.renderings["en"].terms
    }
    assert review.terms  # the prescribed rendering is gone: reported, never applied


def test_the_xliff_round_trip_comes_back_reviewed(tmp_path: Path, model_settings: Settings) -> None:
    out, memory = tmp_path / "output", tmp_path / "memory.sqlite"

    def run() -> None:
        options = RunOptions(
            paths=(REPO / "input" / "001_sample_meeting.txt",),
            targets=("en",),
            glossary_dir=REPO / "glossary",
            out_dir=out,
            run_date="2026-12-01T00:00:00+00:00",
            memory=memory,
        )
        assert not translate_articles(options, model_settings).failed

    run()
    [path] = export_xliff(out / "001_sample_meeting.json", tmp_path / "xlf")
    edited = "The Minister of the Interior opened the session."
    _edit(path, "p2.s2", edited)
    with TranslationMemory(memory) as tm:
        assert store_reviews(tm, read_xliff(path)) == [1]
    run()
    sentence = next(
        s for s in read_json(out / "001_sample_meeting.json").segments() if s.id == "p2.s2"
    )
    rendering = sentence.renderings["en"]
    assert (rendering.text, rendering.status) == (edited, "reviewed")
    assert rendering.origin == f"xliff:{path.name}"
    # and the next export says so
    [again] = export_xliff(out / "001_sample_meeting.json", tmp_path / "xlf2")
    assert _segments(again)["p2.s2"].get("state") == "reviewed"


def test_a_tool_that_drops_the_original_still_finds_the_briefing_by_name(
    tmp_path: Path,
) -> None:
    briefing = example_en_vi()
    json_path, [_, vi] = _export(tmp_path, briefing)
    tree = etree.parse(str(vi))
    for elem in list(tree.iter(f"{{{MDA}}}metadata")):
        elem.getparent().remove(elem)  # type: ignore[union-attr]
    next(tree.iter(qname("file"))).attrib.pop("original")
    tree.write(str(vi))
    [review] = read_xliff(vi, folders=[json_path.parent])  # NAME.vi.xlf -> NAME.json
    assert review.article == briefing.article.name and review.targets == ("vi",)


def test_the_briefing_is_found_in_the_folders_given(tmp_path: Path) -> None:
    json_path, [path] = _export(tmp_path, example_en())
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    json_path.rename(moved / json_path.name)
    with pytest.raises(XliffError, match="cannot be found"):
        read_xliff(path)
    assert read_xliff(path, folders=[moved])[0].article == example_en().article.name


# -- bad input --------------------------------------------------------------------------


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(XliffError) as caught:
        read_xliff(path)
    message = caught.value.message
    assert str(path) in message and "fix:" in message
    for word in words:
        assert word in message, message
    return message


def test_ids_that_match_no_segment_are_refused(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, example_en())
    tree = etree.parse(str(path))
    for k, segment in enumerate(tree.iter(qname("segment"))):
        segment.set("id", f"seg{k}")
    tree.write(str(path))
    _refused(path, "none of its", "seg0")


def test_some_unknown_ids_are_reported_unmappable(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, example_en())
    tree = etree.parse(str(path))
    next(tree.iter(qname("segment"))).set("id", "p99.s9")
    tree.write(str(path))
    [review] = read_xliff(path)
    assert any("p99.s9" in m for m in review.unmappable)


def test_an_edited_source_is_not_stored_against_the_briefing_source(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, example_en())
    tree = etree.parse(str(path))
    segment = next(tree.iter(qname("segment")))
    source = segment.find(qname("source"))
    assert source is not None
    for child in list(source):
        source.remove(child)
    source.text = "نص آخر"
    target = segment.find(qname("target"))
    assert target is not None
    for child in list(target):
        target.remove(child)
    target.text = "Another text."
    tree.write(str(path))
    [review] = read_xliff(path)
    # edited in the CAT tool: reported, and the briefing's source is the one stored
    assert review.source_edits == ("p1.s1",)
    [unit] = review.units
    assert (unit.source, unit.target) == (example_en().segments()[0].source, "Another text.")


def _retranslated(briefing: Briefing, source: str | None, target: str | None) -> Briefing:
    """The briefing as a later run wrote it: p1.s1 with another source or translation."""
    first = briefing.paragraphs[0]
    s = first.sentences[0]
    if source is not None:
        s = dataclasses.replace(s, source=source)
    if target is not None:
        s = s.with_renderings({"en": dataclasses.replace(s.renderings["en"], text=target)})
    paragraph = dataclasses.replace(first, sentences=(s, *first.sentences[1:]))
    return dataclasses.replace(briefing, paragraphs=(paragraph, *briefing.paragraphs[1:]))


def test_a_briefing_translated_again_since_the_export_maps_nothing_wrongly(
    tmp_path: Path,
) -> None:
    briefing = example_en()
    json_path, [path] = _export(tmp_path, briefing)
    _edit(path, "p1.s1", "A translator's sentence.")
    # the article changed and was translated again: p1.s1 is another sentence now
    write_json(_retranslated(briefing, "جملة أخرى تماما.", None), json_path)
    [review] = read_xliff(path)
    assert not review.units and "translated again" in review.unmappable[0]
    # the same source, a new machine translation: the untouched XLIFF target is no edit
    json_path, [path] = _export(tmp_path / "b", briefing)
    write_json(_retranslated(briefing, None, "A newer machine translation."), json_path)
    [review] = read_xliff(path)
    assert not review.changed and not review.units


@pytest.mark.parametrize(("attribute", "value", "words"), [
    ("srcLang", "fr", ("source language fr", "translates from ar")),
    ("trgLang", "de", ("target language de",)),
])  # fmt: skip
def test_another_language_pair_is_refused(
    tmp_path: Path, attribute: str, value: str, words: tuple[str, ...]
) -> None:
    _, [path] = _export(tmp_path, example_en())
    tree = etree.parse(str(path))
    tree.getroot().set(attribute, value)
    tree.write(str(path))
    _refused(path, *words)


def test_an_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    _, [path] = _export(tmp_path, example_en())
    text = path.read_text(encoding="utf-8")
    body = text.split("?>", 1)[1].replace("<target>", "<target>&xxe;", 1)
    doctype = f'<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}{body}', encoding="utf-8")
    message = _refused(path, "DTD", f"{path}:1")
    assert "TOP-SECRET" not in message


def test_a_billion_laughs_file_is_refused_without_expanding(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
        for k in range(1, 10)
    ]
    path = tmp_path / "laughs.xlf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [{"".join(entities)}]>\n'
        f'<xliff xmlns="{NS}" version="2.1" srcLang="ar" trgLang="en"><file id="f1">'
        '<unit id="p1"><segment id="p1.s1"><source>&lol9;</source></segment></unit>'
        "</file></xliff>",
        encoding="utf-8",
    )
    _refused(path, "DTD")


@pytest.mark.parametrize("data", [
    b"PK\x03\x04 this is a zip, not XML",
    b"",
    # gzip of a valid XLIFF: read as the bytes it is, never inflated behind our back
    gzip.compress(f'<xliff xmlns="{NS}" version="2.1" srcLang="ar"/>'.encode()),
])  # fmt: skip
def test_a_file_that_is_not_xml_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "notes.xlf"
    path.write_bytes(data)
    _refused(path, "not well-formed XML", f"{path}:1")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path / "gone.xlf", "cannot be read")


def test_a_truncated_file_is_refused_with_its_line(tmp_path: Path) -> None:
    _, [path] = _export(tmp_path, example_en())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    message = _refused(path, "not well-formed XML")
    line = int(message.split(f"{path}:", 1)[1].split(":", 1)[0])
    assert line > 1


def test_an_xliff_1_2_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ar" '
        'target-language="en" datatype="plaintext" original="a"><body><trans-unit id="1">'
        "<source>نص</source></trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    _refused(path, "XLIFF 1.2", "XLIFF 2", f"{path}:2")


def test_another_xml_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tm.xlf"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>', encoding="utf-8")
    _refused(path, "not an XLIFF 2 document", "<tmx>")


# -- the commands -----------------------------------------------------------------------


@pytest.fixture()
def desk(tmp_path: Path, models_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from typer.testing import CliRunner

    from bilingual.cli import app

    monkeypatch.setenv("BILINGUAL_HOME", str(models_home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["init", "desk"]).exit_code == 0
    root = tmp_path / "desk"
    monkeypatch.chdir(root)
    result = runner.invoke(
        app, ["translate", str(REPO / "input"), "-q", "--glossary", str(REPO / "glossary")]
    )
    assert result.exit_code == 0, result.output
    return root


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from bilingual.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_export_then_import_gives_the_review_report(desk: Path) -> None:
    briefings = sorted(str(p) for p in (desk / "output").glob("*.json"))
    report = str(desk / "output" / "reports" / "consistency.json")
    code, output = _cli("export", "xliff", *briefings, report, "--out", "xlf")
    assert code == 0, output
    # the run's consistency report named with the briefings: skipped with a notice
    assert "consistency.json: skipped (the run's consistency report" in output
    files = sorted((desk / "xlf").glob("*.xlf"))
    assert len(files) == len(briefings)
    path = desk / "xlf" / "001_sample_meeting.xlf"
    _edit(path, "p2.s2", "The Minister of the Interior opened the session.")
    code, output = _cli("import", "xliff", "xlf/001_sample_meeting.xlf", "--diff", "--dry-run")
    assert code == 0, output
    assert (
        "xlf/001_sample_meeting.xlf: 1 sentence(s) changed, 0 unchanged kept or approved, "
        "0 paragraph(s) merged or split, 0 unmappable" in output
    )
    assert "p2.s2 (en):" in output and "{+" in output and "--dry-run: nothing written" in output
    with TranslationMemory(desk / "memory.sqlite") as tm:
        assert not [u for u in tm.units() if u.origin.startswith("xliff:")]
    code, output = _cli("import", "xliff", "xlf/001_sample_meeting.xlf")
    assert code == 0 and "1 new unit(s) in memory.sqlite" in output, output
    # the import is one batch, its unit under it (memory retract can take it back)
    from bilingual.memory.manage import imports, search

    with TranslationMemory(desk / "memory.sqlite") as tm:
        [batch] = imports(tm)
        assert (batch.kind, batch.units) == ("xliff", 1)
        assert batch.origin.endswith("001_sample_meeting.xlf")
        [found] = search(tm, "Minister of the Interior opened")
        assert found.import_id == batch.id


def test_a_bad_file_fails_alone(desk: Path) -> None:
    bad = desk / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, output = _cli(
        "export", "xliff", str(bad), "output/001_sample_meeting.json", "--out", "xlf"
    )
    assert code == 1 and "bad.json" in output
    assert (desk / "xlf" / "001_sample_meeting.xlf").is_file()
    _edit(desk / "xlf" / "001_sample_meeting.xlf", "p2.s2", "Edited.")
    (desk / "xlf" / "old.xlf").write_text('<xliff version="1.2"/>', encoding="utf-8")
    code, output = _cli("import", "xliff", "xlf/old.xlf", "xlf/001_sample_meeting.xlf")
    assert code == 1 and "XLIFF 1.2" in output and "1 new unit(s)" in output, output


def test_an_export_that_cannot_be_written_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from bilingual.errors import OutputError
    from bilingual.xliff import write

    json_path = tmp_path / "b.json"
    write_json(example_en_vi(), json_path)
    real = write.xliff_document

    def full_disk(briefing: Briefing, lang: str, original: str) -> etree._Element:
        if lang == "vi":  # the English file is complete by then, in its temporary
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(briefing, lang, original)

    monkeypatch.setattr(write, "xliff_document", full_disk)
    out = tmp_path / "xlf"
    out.mkdir()
    with pytest.raises(OutputError, match="XLIFF"):
        export_xliff(json_path, out)
    assert list(out.iterdir()) == []  # neither file, and no temporary left behind


def test_original_is_the_path_as_given_never_this_machines_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    json_path, _ = _export(tmp_path, example_en())
    monkeypatch.chdir(tmp_path)
    relative = json_path.relative_to(tmp_path)
    for given in (relative, json_path):  # relative as given; absolute made relative
        [path] = export_xliff(given, tmp_path / "again")
        original = next(etree.parse(str(path)).iter(qname("file"))).get("original")
        assert original == str(relative), original
        assert str(tmp_path) not in path.read_text(encoding="utf-8")
        [review] = read_xliff(path)  # the import finds the briefing from here
        assert review.article == example_en().article.name
