"""Termbase import and export: CSV and TBX to and from the YAML glossary.

Round trips (YAML -> CSV/TBX -> YAML gives the same terms, ids included), the TBX export
against the TBX core RELAX NG schema (tests/data/tbx/), comments kept when importing
into an existing file, joining an English-Arabic and an English-Vietnamese file, the
report's reasons, every bad input (mismatched columns, unknown language codes, an entry
without Arabic, external entities, an entity bomb, a legacy code page, a BOM, ``;``
cells, empty files) and the quoting of the fast YAML writer. The TICO-19 termbases in
../shared are imported when present; every other test builds its own files.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.errors import GlossaryError
from bilingual.glossary import load_glossary
from bilingual.glossary.tbx import NAMESPACE
from bilingual.glossary.termbase import export_glossary, import_termbase, summary
from bilingual.glossary.yamlemit import scalar
from bilingual.glossary.yamlfile import bad_char, yaml_loader

RNG = Path(__file__).parent / "data" / "tbx" / "TBXcoreStructV03.rng"
TICO = SHARED / "data" / "tico19-dev"
runner = CliRunner()

GLOSSARY = """\
# Team glossary: keep this comment
version: 1
terms:
  # -- organisations
  - id: unodc
    type: organization
    ar:
      - مكتب الأمم المتحدة المعني بالمخدرات والجريمة
      - المكتب الأممي  # a short form
    en: United Nations Office on Drugs and Crime (UNODC)
    vi: "Văn phòng Liên hợp quốc về Ma túy và Tội phạm"
    note: >-
      Official name; "UNODC" on second mention.
  - id: 1918-flu
    type: event
    ar: [إنفلونزا 1918]
    en: "1918 flu: the pandemic"
    note: "yes"
  - id: hanoi
    type: place
    ar: هانوي
    en: Hanoi
    vi: Hà Nội
"""


def _terms(folder: Path) -> list[tuple[object, ...]]:
    return [
        (t.id, t.type, t.forms, dict(t.renderings), t.note) for t in load_glossary(folder).terms
    ]


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "team.yaml").write_text(GLOSSARY, encoding="utf-8")
    return folder


def _csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_export_then_import_gives_the_same_terms(
    glossary: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"export{suffix}"
    export_glossary(load_glossary(glossary), out, fmt=None, description="test")
    fresh = tmp_path / "fresh"
    report = import_termbase([out], folder=fresh)
    assert report.imported == 3 and not report.skipped and report.created
    assert _terms(fresh) == _terms(glossary)


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_reimporting_the_export_changes_nothing(
    glossary: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"export{suffix}"
    export_glossary(load_glossary(glossary), out, fmt=None, description="test")
    report = import_termbase([out], folder=glossary, into=glossary / "team.yaml")
    assert report.target is None and report.imported == 0
    assert {s.kind for s in report.skipped} == {"duplicate"}
    assert (glossary / "team.yaml").read_text(encoding="utf-8") == GLOSSARY


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_the_project_glossary_round_trips(tmp_path: Path, suffix: str) -> None:
    project = Path(__file__).resolve().parents[1] / "glossary"
    out = tmp_path / f"export{suffix}"
    export_glossary(load_glossary(project), out, fmt=None, description="test")
    report = import_termbase([out], folder=tmp_path / "fresh")
    assert report.count("invalid") == report.count("conflict") == 0
    assert _terms(tmp_path / "fresh") == _terms(project)
    assert load_glossary(tmp_path / "fresh").signature == load_glossary(project).signature


def test_tbx_export_is_valid_tbx_basic(glossary: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    export_glossary(load_glossary(glossary), out, fmt=None, description="test")
    doc = etree.parse(str(out))
    schema = etree.RelaxNG(etree.parse(str(RNG)))
    assert schema.validate(doc), schema.error_log
    root = doc.getroot()
    assert (root.get("type"), root.get("style")) == ("TBX-Basic", "dca")
    ns = {"t": NAMESPACE}
    entries = root.findall(".//t:conceptEntry", ns)
    assert [e.get("id") for e in entries] == ["unodc", "id.1918-flu", "hanoi"]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for entry in entries:
        langs = [s.get(xml_lang) for s in entry.findall("t:langSec", ns)]
        assert langs[:2] == ["ar", "en"]
        assert all(s.findall("t:termSec/t:term", ns) for s in entry.findall("t:langSec", ns))
    # TBX-Basic's own rule (its Schematron): a termNote only inside a termSec
    assert all(
        n.getparent().tag == f"{{{NAMESPACE}}}termSec"
        for n in root.iter(f"{{{NAMESPACE}}}termNote")
    )
    first = entries[0].find("t:langSec/t:termSec/t:termNote", ns)
    assert first is not None and first.text == "preferredTerm-admn-sts"


def test_old_martif_tbx_is_read(tmp_path: Path) -> None:
    tbx = tmp_path / "old.tbx"
    tbx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>
</fileDesc></martifHeader><text><body>
<termEntry id="c1"><descrip type="subjectField">Medicine</descrip>
 <langSet xml:lang="ar-SA"><tig><term>جائحة</term></tig>
   <ntig><termGrp><term>وباء عالمي</term></termGrp></ntig></langSet>
 <langSet xml:lang="en-US"><tig><term>pandemic</term></tig>
   <tig><term>global epidemic</term></tig></langSet>
 <langSet xml:lang="fr"><tig><term>pandémie</term></tig></langSet>
</termEntry></body></text></martif>
""",
        encoding="utf-8",
    )
    report = import_termbase([tbx], folder=tmp_path / "g")
    assert report.imported == 1
    assert _terms(tmp_path / "g") == [
        ("pandemic", "term", ("جائحة", "وباء عالمي"), {"en": "pandemic"}, None)
    ]
    assert any("global epidemic" in n for n in report.notices)  # one rendering per language
    assert any("'fr'" in n for n in report.notices)


# -- importing into an existing file -------------------------------------------------------


def test_import_into_an_existing_file_keeps_its_comments(glossary: Path, tmp_path: Path) -> None:
    csv = _csv(
        tmp_path,
        "more.csv",
        "Arabic,English,Vietnamese\n"
        "هانوي,Hanoi,Hà Nội\n"  # the same: a duplicate
        "العاصمة هانوي,Hanoi,\n"  # another form of hanoi: merged into the term
        "إنفلونزا 1918,1918 flu: the pandemic,Dịch cúm năm 1918\n"  # adds its Vietnamese
        "منظمة الصحة العالمية,World Health Organization,Tổ chức Y tế Thế giới\n",
    )
    target = glossary / "team.yaml"
    report = import_termbase([csv], folder=glossary, into=target)
    counts = summary(report)
    assert (counts["imported"], counts["updated"], counts["merged"], counts["duplicates"]) == (
        1,
        2,
        2,
        1,
    )
    text = target.read_text(encoding="utf-8")
    for kept in ("# Team glossary: keep this comment", "# -- organisations", "# a short form"):
        assert kept in text
    terms = {t.id: t for t in load_glossary(glossary).terms}
    assert list(terms) == ["unodc", "1918-flu", "hanoi", "world-health-organization"]
    assert terms["hanoi"].forms == ("هانوي", "العاصمة هانوي")
    assert terms["1918-flu"].renderings["vi"] == "Dịch cúm năm 1918"
    assert terms["unodc"].forms[1] == "المكتب الأممي"


def test_import_into_a_file_with_no_terms_yet(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    target = folder / "health.yaml"
    target.write_text("# health terms, from TICO-19\nversion: 1\nterms:  # none yet\n")
    csv = _csv(tmp_path, "t.csv", "ar,en\nجائحة,pandemic\nوباء,epidemic\n")
    report = import_termbase([csv], folder=folder, into=target)
    assert report.imported == 2 and not report.created
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# health terms, from TICO-19\nversion: 1\nterms:  # none yet\n  - id:")
    assert [t.id for t in load_glossary(folder).terms] == ["pandemic", "epidemic"]


def test_columns_by_index_without_a_header(tmp_path: Path) -> None:
    csv = _csv(tmp_path, "t.csv", "1,pandemic,جائحة,đại dịch\n2,epidemic,وباء,dịch bệnh\n")
    with pytest.raises(GlossaryError, match="cannot tell which columns"):
        import_termbase([csv], folder=tmp_path / "g")
    with pytest.raises(GlossaryError, match="--columns names column 7, but the rows have 4"):
        import_termbase([csv], folder=tmp_path / "g", columns="ar=2,en=7")
    report = import_termbase([csv], folder=tmp_path / "g", columns="ar=2,en=1,vi=3")
    assert report.imported == 2  # the first row is a term: its Arabic column is Arabic
    assert _terms(tmp_path / "g")[0] == (
        "pandemic",
        "term",
        ("جائحة",),
        {"en": "pandemic", "vi": "đại dịch"},
        None,
    )


def test_a_new_file_never_overwrites_one(glossary: Path, tmp_path: Path) -> None:
    (glossary / "terms.yaml").write_text("version: 1\nterms:\n", encoding="utf-8")
    csv = _csv(tmp_path, "terms.csv", "ar,en\nوزارة الخارجية,Ministry of Foreign Affairs\n")
    report = import_termbase([csv], folder=glossary)
    assert report.target == glossary / "terms-2.yaml"
    assert (glossary / "terms.yaml").read_text(encoding="utf-8") == "version: 1\nterms:\n"


def test_joined_files_and_the_reasons_of_what_is_skipped(tmp_path: Path) -> None:
    en_ar = _csv(
        tmp_path,
        "en-ar.csv",
        "id,sourceLang,targetLang,sourceString,targetString\n"
        "1,en,ar_AR,epidemic,وباء\n"
        "2,en,ar_AR,pandemic,وباء\n"  # the same Arabic for another English: a conflict
        "3,en,ar_AR,quarantine,حجر صحي\n"
        "4,en,ar_AR,quarantine,حجر صحي\n",  # a duplicate
    )
    en_vi = _csv(
        tmp_path,
        "en-vi.csv",
        "id,sourceLang,targetLang,sourceString,targetString\n"
        "1,en,vi_VN,epidemic,dịch bệnh\n"
        "2,en,vi_VN,pandemic,đại dịch\n"  # its English was skipped
        "3,en,vi_VN,quarantine,cách ly\n"
        "4,en,vi_VN,vaccine,vắc-xin\n",  # no Arabic anywhere
    )
    report = import_termbase([en_ar, en_vi], folder=tmp_path / "g")
    assert summary(report) == {
        "read": 8,
        "imported": 2,
        "updated": 0,
        "merged": 2,
        "duplicates": 1,
        "conflicts": 2,
        "invalid": 1,
    }
    reasons = {(s.where, s.kind): s.reason for s in report.skipped}
    assert "is already the term 'epidemic'" in reasons[(f"{en_ar}:3", "conflict")]
    assert "same as the term 'quarantine'" in reasons[(f"{en_ar}:5", "duplicate")]
    assert "its English term was skipped" in reasons[(f"{en_vi}:3", "conflict")]
    assert "no Arabic term for 'vaccine'" in reasons[(f"{en_vi}:5", "invalid")]
    terms = {t.id: t for t in load_glossary(tmp_path / "g").terms}
    assert terms["epidemic"].renderings == {"en": "epidemic", "vi": "dịch bệnh"}


def test_ids_are_made_from_the_english_and_unique(glossary: Path, tmp_path: Path) -> None:
    csv = _csv(
        tmp_path,
        "t.csv",
        "id,ar,en\n"
        "7,كوفيد-19,COVID-19\n"  # a number is no id: made from the English
        ",كوفيد 19,Covid 19\n"  # the same id again: numbered
        ",هانوي الكبرى,Hanoi\u2019s Greater Area\n"
        "who,منظمة الصحة,World Health Organization\n"  # a usable id is kept
        ",مدينة هانوي,Hanoi!\n",  # 'hanoi' is a term of the folder already
    )
    report = import_termbase([csv], folder=glossary)
    ids = [t.id for t in load_glossary(glossary).terms if t.file == report.target]
    assert ids == ["covid-19", "covid-19-2", "hanois-greater-area", "who", "hanoi-2"]


def test_the_cli_prints_counts_and_writes_the_report(tmp_path: Path) -> None:
    csv = _csv(tmp_path, "t.csv", "ar,en\nجائحة,pandemic\n,epidemic\n")
    report_file = tmp_path / "report.tsv"
    result = runner.invoke(
        app,
        [
            "glossary",
            "import",
            str(csv),
            "--glossary",
            str(tmp_path / "g"),
            "--report",
            str(report_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 new term(s)" in result.output and "1 invalid" in result.output
    assert f"{csv}:3\tinvalid\t" in report_file.read_text(encoding="utf-8")
    again = runner.invoke(
        app, ["glossary", "import", str(csv), "--glossary", str(tmp_path / "g"), "--verbose"]
    )
    assert again.exit_code == 0 and "nothing new: no file written" in again.output
    assert f"{csv}:2: duplicate: same as the term 'pandemic'" in again.output
    result = runner.invoke(
        app, ["glossary", "export", str(tmp_path / "x.tbx"), "--glossary", str(tmp_path / "g")]
    )
    assert result.exit_code == 0 and "wrote 1 term(s)" in result.output


# -- bad input ---------------------------------------------------------------------------


def test_a_row_with_mismatched_columns_is_skipped_with_its_line(tmp_path: Path) -> None:
    csv = _csv(
        tmp_path,
        "t.csv",
        "ar,en,note\nجائحة,pandemic,\nحجر صحي,quarantine, isolation,x\nلقاح\nوباء,epidemic,\n",
    )
    report = import_termbase([csv], folder=tmp_path / "g")
    assert report.imported == 2
    bad = [(s.line, s.kind) for s in report.skipped]
    assert bad == [(3, "invalid"), (4, "invalid")]
    assert "the row has 4 cells, the header 3" in report.skipped[0].reason
    only_bad = _csv(tmp_path, "bad.csv", "ar;en\nجائحة;pandemic;x\n")
    result = runner.invoke(
        app, ["glossary", "import", str(only_bad), "--glossary", str(tmp_path / "g")]
    )
    assert result.exit_code == 1, result.output
    assert f"{only_bad}:2: invalid: the row has 3 cells" in result.output
    assert "nothing imported: 1 invalid record(s)" in result.output


def test_unknown_language_codes(tmp_path: Path) -> None:
    csv = _csv(
        tmp_path,
        "t.csv",
        "sourceLang,targetLang,sourceString,targetString\n"
        "ar,xx1,جائحة,pandemic\nar,fr,جائحة,pandémie\nAR,en-GB,وباء,epidemic\n",
    )
    report = import_termbase([csv], folder=tmp_path / "g")
    assert report.imported == 1
    reasons = [s.reason for s in report.skipped]
    assert "'xx1' is not a language code" in reasons[0]
    assert "'fr' is not a glossary language" in reasons[1]
    header = _csv(tmp_path, "h.csv", "Arabisch,Englisch\nجائحة,pandemic\n")
    with pytest.raises(GlossaryError, match="cannot tell which columns hold which language"):
        import_termbase([header], folder=tmp_path / "g")
    with pytest.raises(GlossaryError, match="'zz' is not a language the glossary holds"):
        import_termbase([header], folder=tmp_path / "g", columns="ar=0,zz=1")
    report = import_termbase([header], folder=tmp_path / "g", columns="ar=0,en=Englisch")
    assert report.imported == 1


def test_a_tbx_entry_without_arabic_is_skipped(tmp_path: Path) -> None:
    tbx = tmp_path / "t.tbx"
    tbx.write_text(
        f"""<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{NAMESPACE}"><tbxHeader><fileDesc>
<sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="c1"><langSec xml:lang="ar"><termSec><term>جائحة</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>pandemic</term></termSec></langSec></conceptEntry>
<conceptEntry id="c2">
<langSec xml:lang="en"><termSec><term>vaccine</term></termSec></langSec></conceptEntry>
</body></text></tbx>""",
        encoding="utf-8",
    )
    report = import_termbase([tbx], folder=tmp_path / "g")
    assert report.imported == 1
    (skipped,) = report.skipped
    assert (skipped.line, skipped.kind) == (6, "invalid")
    assert "no Arabic term for 'vaccine'" in skipped.reason


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    tbx = tmp_path / "xxe.tbx"
    tbx.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file://{secret}">]>
<tbx xmlns="{NAMESPACE}"><text><body><conceptEntry id="c1">
<langSec xml:lang="ar"><termSec><term>جائحة</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>&xxe;</term></termSec></langSec>
</conceptEntry></body></text></tbx>""",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["glossary", "import", str(tbx), "--glossary", str(tmp_path / "g")])
    assert result.exit_code == 1
    assert "declares XML entities (&xxe;)" in result.output
    assert "TOP-SECRET" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "g").exists()


def test_an_entity_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lols = "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    tbx = tmp_path / "bomb.tbx"
    tbx.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY lol0 "lol">{lols}]>\n'
        f'<tbx xmlns="{NAMESPACE}"><text><body><conceptEntry id="c1"><langSec xml:lang="en">'
        "<termSec><term>&lol9;</term></termSec></langSec></conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    start = time.perf_counter()
    with pytest.raises(GlossaryError, match="declares XML entities"):
        import_termbase([tbx], folder=tmp_path / "g")
    assert time.perf_counter() - start < 2


def test_arabic_code_pages_are_read_others_refused(tmp_path: Path) -> None:
    text = "ar,en,note\nجائحة,pandemic,منظمة الصحة العالمية\nوباء,epidemic,\n"
    csv = _csv(tmp_path, "t.csv", text, encoding="cp1256")
    report = import_termbase([csv], folder=tmp_path / "g")  # as the article reader does
    assert report.imported == 2 and any("decoded as windows-1256" in n for n in report.notices)
    assert _terms(tmp_path / "g")[0][2] == ("جائحة",)
    latin = _csv(tmp_path, "l.csv", "ar,en\nNLĐ,café au lait\n", "cp1258")
    with pytest.raises(GlossaryError, match="is not UTF-8 text") as caught:
        import_termbase([latin], folder=tmp_path / "g2")
    assert "--encoding" in caught.value.message and f"{latin}:2" in caught.value.message
    report = import_termbase([latin], folder=tmp_path / "g2", encoding="cp1258")
    assert report.imported == 1 and _terms(tmp_path / "g2")[0][3] == {"en": "café au lait"}


@pytest.mark.parametrize(
    ("prefix", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")],
)
def test_a_byte_order_mark_is_not_part_of_the_header(
    tmp_path: Path, prefix: bytes, codec: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(prefix + "ar\ten\nجائحة\tpandemic\n".encode(codec))
    report = import_termbase([path], folder=tmp_path / "g")
    assert report.imported == 1 and not report.skipped


def test_excel_semicolons(tmp_path: Path) -> None:
    csv = _csv(
        tmp_path,
        "t.csv",
        'Arabic;English;Note\r\nجائحة;pandemic;"WHO, 2020"\r\nوباء;epidemic;\r\n',
    )
    report = import_termbase([csv], folder=tmp_path / "g")
    assert report.imported == 2
    assert _terms(tmp_path / "g")[0][4] == "WHO, 2020"


@pytest.mark.parametrize("name", ["empty.csv", "empty.tbx", "blank.csv"])
def test_an_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n\n" if name.startswith("blank") else "", encoding="utf-8")
    result = runner.invoke(
        app, ["glossary", "import", str(path), "--glossary", str(tmp_path / "g")]
    )
    assert result.exit_code == 1 and "is empty" in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "g").exists()


def test_not_xml_and_not_tbx(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tbx"
    broken.write_text("<tbx><text>\n<body>", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"broken.tbx:\d+: is not well-formed XML"):
        import_termbase([broken], folder=tmp_path / "g")
    other = tmp_path / "other.tbx"
    other.write_text("<html/>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="is not a TBX file"):
        import_termbase([other], folder=tmp_path / "g")


def test_swapped_columns_and_bad_characters(tmp_path: Path) -> None:
    csv = _csv(tmp_path, "t.csv", "ar,en\nNLĐ,NLĐ\nوباء,epi\x01demic\nحجر,quarantine\n؟!,x\n")
    report = import_termbase([csv], folder=tmp_path / "g")
    # a form in Latin letters is a form (a name printed so); one of punctuation only is not
    assert report.imported == 2
    assert [(s.line, s.kind) for s in report.skipped] == [(3, "invalid"), (5, "invalid")]
    assert "U+0001" in report.skipped[0].reason and "has no letters" in report.skipped[1].reason
    swapped = _csv(tmp_path, "s.csv", "ar,en\npandemic,جائحة\nepidemic,وباء\nحجر,quarantine\n")
    with pytest.raises(GlossaryError, match="2 of its 3 Arabic terms have no Arabic letter"):
        import_termbase([swapped], folder=tmp_path / "g2")
    assert not (tmp_path / "g2").exists()


# -- the fast YAML writer ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30), st.booleans())
def test_every_scalar_reads_back_as_itself(text: str, flow: bool) -> None:
    if bad_char(text) is not None:
        return
    value = scalar(text, flow=flow)
    doc = f"a: [{value}]\n" if flow else f"a: {value}\n"
    loaded = yaml_loader().load(doc)["a"]
    assert (loaded[0] if flow else loaded) == text


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "No",
        "null",
        "1918",
        "- x",
        "a: b",
        "a #b",
        "[x]",
        "x, y",
        "'q'",
        '"q"',
        "\u2028",
        "\u0085",
        "\ufeffx",
        "x ",
        " x",
        "a\nb",
        "😀",
        "&anchor",
        "*alias",
        "!tag",
        "%x",
        "@x",
    ],
)
def test_awkward_scalars(text: str) -> None:
    for flow in (False, True):
        value = scalar(text, flow=flow)
        doc = f"a: [{value}]\n" if flow else f"a: {value}\n"
        loaded = yaml_loader().load(doc)["a"]
        assert (loaded[0] if flow else loaded) == text


# -- real termbases ------------------------------------------------------------------------


def test_tico19_termbases(tmp_path: Path) -> None:
    if not TICO.is_dir():
        pytest.skip(f"{TICO} is absent: the TICO-19 termbases live in ../shared beside the repo")
    report = import_termbase([TICO / "g_ar_en.csv"], folder=tmp_path / "a")
    assert summary(report) == {
        "read": 49,
        "imported": 49,
        "updated": 0,
        "merged": 0,
        "duplicates": 0,
        "conflicts": 0,
        "invalid": 0,
    }
    files = [TICO / "f_en-ar_AR.csv", TICO / "f_en-vi_VN.csv"]
    report = import_termbase(files, folder=tmp_path / "b")
    assert summary(report) == {
        "read": 612,
        "imported": 293,
        "updated": 0,
        "merged": 293,
        "duplicates": 0,
        "conflicts": 26,
        "invalid": 0,
    }
    glossary = load_glossary(tmp_path / "b")
    assert all("vi" in t.renderings for t in glossary.terms)
    # 13 Arabic forms given to a second English term, and the 13 Vietnamese rows of those
    ar_conflicts = [s for s in report.skipped if s.file == files[0]]
    vi_conflicts = [s for s in report.skipped if s.file == files[1]]
    assert len(ar_conflicts) == 13
    assert all("a form belongs to one term" in s.reason for s in ar_conflicts)
    assert len(vi_conflicts) == 13
    assert all("its English term was skipped" in s.reason for s in vi_conflicts)
    # all three: g_ar_en's terms come first; 10 of its English terms are in f_en-ar_AR too
    report = import_termbase([TICO / "g_ar_en.csv", *files], folder=tmp_path / "c")
    assert summary(report) == {
        "read": 661,
        "imported": 328,
        "updated": 0,
        "merged": 295,
        "duplicates": 4,
        "conflicts": 34,
        "invalid": 0,
    }


FORMULAS = """\
version: 1
terms:
  - id: sum
    type: term
    ar: مجموع
    en: "=SUM(A1:A9)"
    vi: "+84 hotline"
    note: "@cmd -2; 'kept as it is"
  - id: minus
    type: term
    ar: ناقص
    en: "-minus"
    vi: "'s quote"
"""


def test_csv_export_neutralises_formulas_and_import_reads_them_back(tmp_path: Path) -> None:
    # a spreadsheet runs a cell that begins with = + - @ as a formula (CSV injection)
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "t.yaml").write_text(FORMULAS, encoding="utf-8")
    out = tmp_path / "export.csv"
    export_glossary(load_glossary(folder), out, fmt=None, description="test")
    text = out.read_text(encoding="utf-8-sig")
    cells = [c for row in text.splitlines()[1:] for c in row.split(",")]
    assert all(not c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells), text
    assert "'=SUM(A1:A9)" in text and "'+84 hotline" in text and "'-minus" in text
    assert "'@cmd -2" in text and ",'s quote," in text  # a quote of the term's own kept
    fresh = tmp_path / "fresh"
    report = import_termbase([out], folder=fresh)
    assert report.imported == 2 and not report.skipped
    assert _terms(fresh) == _terms(folder)
