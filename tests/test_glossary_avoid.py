"""A term's avoid lists: read and checked, in the signature, steering the decode (CTranslate2's
``suppress_sequences``) on the test models, and an error finding where one still appears."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from bilingual.assemble import with_flags
from bilingual.cli import app
from bilingual.config import Settings
from bilingual.document import Rendering, Segment, TermUse
from bilingual.engine import Hypothesis, Translation, open_translator
from bilingual.errors import GlossaryError
from bilingual.glossary import Glossary, Term, check_glossary, load_glossary
from bilingual.qa import avoided_flag, translation_flags
from bilingual.translate import Hop, Route, translate_segments

runner = CliRunner()

THANKS = "شكر المندوبون الوفد في عام 2028."
"""The test model translates it "The delegates thanked the delegation in 2028."
(tests/models/cases.tsv)."""
HELD = "وعقد المؤتمر في نيويورك يوم السبت."
"""-> "The conference was held in New York on Saturday."."""


def write(folder: Path, text: str, name: str = "terms.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


AVOIDING = """\
version: 1
terms:
  - id: interior-ministry
    type: organization
    ar: [وزارة الداخلية]
    en: Ministry of the Interior
    avoid:
      en: [Interior Ministry, Home Office, Interior Ministry]
      vi: Bộ Nội địa
  - id: un
    ar: الأمم المتحدة
    en: United Nations
"""


def test_avoid_lists_are_read_per_language(tmp_path: Path) -> None:
    write(tmp_path / "g", AVOIDING)
    glossary = load_glossary(tmp_path / "g")
    term = glossary.term("interior-ministry")
    assert term is not None
    # one string is a list of one; a rendering listed twice is kept once
    assert dict(term.avoid) == {"en": ("Interior Ministry", "Home Office"), "vi": ("Bộ Nội địa",)}
    un = glossary.term("un")
    assert un is not None and dict(un.avoid) == {}


@pytest.mark.parametrize(
    ("avoid", "line", "what"),
    [
        # the prescribed rendering itself, another case, a hyphen more
        ("{en: [Home Office, ministry of the interior]}", 6, "is the prescribed rendering"),
        ("{en: [Ministry-of-the-Interior]}", 6, "is the prescribed rendering"),
        ("\n      en:\n        - Home Office\n        - interior", 9, "is part of the prescribed"),
        ("{fr: [Ministère]}", 6, "'fr', which is not a target language"),
        ("[Interior Ministry]", 6, "must map a target language"),
        ("{en: ['']}", 6, "is empty or not text"),
    ],
)
def test_glossary_check_refuses_an_avoid_list_that_holds_the_prescribed_rendering(
    tmp_path: Path, avoid: str, line: int, what: str
) -> None:
    text = f"""\
version: 1
terms:
  - id: interior-ministry
    ar: [وزارة الداخلية]
    en: Ministry of the Interior
    avoid: {avoid}
"""
    folder = tmp_path / "g"
    path = write(folder, text)
    glossary, problems = check_glossary(folder)
    assert glossary is None
    [problem] = problems
    assert problem.startswith(f"{path}:{line}: term 'interior-ministry': ")
    assert what in problem
    # the CLI says the same, with exit 1; a run (load) refuses the folder too
    result = runner.invoke(app, ["glossary", "check", str(folder)])
    assert result.exit_code == 1 and f"{path}:{line}:" in result.output
    with pytest.raises(GlossaryError):
        load_glossary(folder)


def test_an_avoided_rendering_typed_decomposed_is_still_the_prescribed_one(
    tmp_path: Path,
) -> None:
    """'Huế' typed with combining accents (NFD) is the prescribed 'Huế' (NFC)."""
    folder = tmp_path / "g"
    write(folder, "version: 1\nterms:\n  - id: hue\n    ar: هوي\n    en: Hue\n    vi: Huế\n"
          "    avoid: {vi: [\"Hue\u0302\u0301\"]}\n")  # fmt: skip
    glossary, problems = check_glossary(folder)
    assert glossary is None
    assert [p for p in problems if "is the prescribed rendering 'Huế'" in p], problems


def test_a_draft_whose_avoid_list_holds_its_rendering_is_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    write(
        folder,
        "version: 1\nterms:\n  - id: d\n    ar: وفد\n    en: delegation\n"
        "    avoid: {en: [Delegation]}\n    status: draft\n",
    )
    glossary = load_glossary(folder)
    assert glossary.term("d") is None
    [warning] = glossary.warnings
    assert "draft term 'd' is left out:" in warning and "is the prescribed" in warning


def test_the_signature_changes_with_the_avoid_lists_only(tmp_path: Path) -> None:
    plain = AVOIDING.replace(
        "    avoid:\n      en: [Interior Ministry, Home Office, Interior Ministry]\n"
        "      vi: Bộ Nội địa\n",
        "",
    )
    signatures = []
    for k, text in enumerate([plain, AVOIDING, AVOIDING.replace("Home Office", "Home Dept")]):
        write(tmp_path / str(k), text)
        signatures.append(load_glossary(tmp_path / str(k)).signature)
    assert len(set(signatures)) == 3
    # a comment or a note changes nothing
    commented = AVOIDING.replace("Home Office,", "Home Office,  # seen in wires\n        ")
    write(tmp_path / "c", commented)
    assert load_glossary(tmp_path / "c").signature == signatures[1]


# --------------------------------------------------------------------------- the decode


def test_the_decode_is_steered_away_from_an_avoided_rendering(
    model_settings: Settings,
) -> None:
    ar_en = open_translator(model_settings, "ar", "en")
    free = ar_en.translate([THANKS, HELD])
    assert "delegates" in free[0].text  # what the model writes unsteered
    steered = ar_en.translate([THANKS, HELD, THANKS], avoid=[["delegates"], [], []])
    assert "delegates" not in steered[0].text.lower()
    # the other sentences of the same call decode as they always did
    assert [t.text for t in steered[1:]] == [free[1].text, free[0].text]
    # another case of the avoided word is avoided too ("Delegates" starts a sentence)
    capital = ar_en.translate([THANKS], avoid=[["Delegates"]])
    assert "delegates" not in capital[0].text.lower()


def test_inputs_that_avoid_different_renderings_are_batched_apart(
    model_settings: Settings,
) -> None:
    ar_en = open_translator(model_settings, "ar", "en")
    plan = ar_en.plan([THANKS, HELD, THANKS, HELD], avoid=[["delegates"], [], [], ["held"]])
    by_sentence = {}
    for batch in plan.batches:
        sentences = {plan.units[u] for u in batch.units}
        suppressed = batch.options.get("suppress_sequences")
        for sentence in sentences:
            by_sentence[sentence] = suppressed
    assert by_sentence[1] is None and by_sentence[2] is None  # no option at all
    assert ["\u2581delegates"] in by_sentence[0] and by_sentence[0] != by_sentence[3]
    assert ["\u2581held"] in by_sentence[3]
    with pytest.raises(ValueError, match="avoid lists"):
        ar_en.plan([THANKS], avoid=[[], []])


def test_avoided_renderings_are_tokenized_as_the_target_model_writes_them(
    model_settings: Settings,
) -> None:
    adapter = open_translator(model_settings, "ar", "en").adapter
    sequences = adapter.avoided(["delegates"])
    assert ["\u2581delegates"] in sequences  # after a space
    assert adapter.encode_target("Delegates") in sequences  # at the start of a sentence
    glued = adapter._glued("delegates")  # after a quote or a bracket
    assert glued and glued[0][0] != "\u2581" and glued in sequences
    # a sequence with a token the model's target vocabulary lacks is left out: CTranslate2
    # refuses it ("not in the vocabulary") instead of decoding
    translator = open_translator(model_settings, "ar", "en")
    translator._vocabulary = {"\u2581delegates"}
    assert translator.suppressed(["delegates"]) == (("\u2581delegates",),)
    translator._vocabulary, translator._suppressed = None, {}  # read from the package
    assert translator.translate(["\u0634\u0643\u0631"], avoid=[["\u2603 snow"]])[0].text


def _terms(avoid: dict[str, tuple[str, ...]]) -> Glossary:
    # a draft: no English yet, but never "delegates"
    delegates = Term(
        "delegates", "term", ("المندوبون",), {}, None, Path("g.yaml"), 1, "draft", avoid
    )
    delegation = Term(
        "delegation",
        "term",
        ("الوفد",),
        {"en": "delegation", "vi": "phái đoàn"},
        None,
        Path("g.yaml"),
        6,
    )
    return Glossary((delegates, delegation), (Path("g.yaml"),), "test")


def test_a_run_steers_each_hop_by_its_language_s_avoid_list(model_settings: Settings) -> None:
    ar_en = open_translator(model_settings, "ar", "en")
    en_vi = open_translator(model_settings, "en", "vi")
    route = Route("ar", (Hop("ar", "en", ar_en), Hop("en", "vi", en_vi)))
    segment = Segment("p1.s1", 1, "ar", THANKS)
    (free,) = translate_segments([segment], route, _terms({}))
    assert "delegates" in (free.text("en") or "")
    assert "đại biểu" in (free.text("vi") or "")
    (steered,) = translate_segments([segment], route, _terms({"en": ("delegates",)}))
    assert "delegates" not in (steered.text("en") or "").lower()
    # the Vietnamese list steers the second hop only: the English stays the model's
    (vi_only,) = translate_segments([segment], route, _terms({"vi": ("đại biểu",)}))
    assert vi_only.text("en") == free.text("en")
    assert "đại biểu" not in (vi_only.text("vi") or "")
    # the locked terms still hold
    assert "delegation" in (steered.text("en") or "") and "phái đoàn" in (vi_only.text("vi") or "")


class _Counting:
    """A translator that records what each call was asked to avoid."""

    def __init__(self) -> None:
        self.calls: list[Sequence[Sequence[str]] | None] = []

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[Translation]:
        self.calls.append(avoid)
        return [Translation(s, 0.0, (Hypothesis(s, 0.0),)) for s in sentences]


def test_the_machine_cache_keys_on_what_a_decode_avoids(tmp_path: Path) -> None:
    from bilingual.memory.cache import CachedTranslator
    from bilingual.memory.store import TranslationMemory

    inner = _Counting()
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        cached = CachedTranslator(inner, memory, "model@1", 4)
        cached.translate(["a", "b"])
        cached.translate(["a", "b"])  # answered from the cache
        cached.translate(["a", "b"], avoid=[["x"], []])  # "a" avoiding x is new
        cached.translate(["a"], avoid=[["x"]])
    assert inner.calls == [None, [["x"]]]


# --------------------------------------------------------------------------- the finding


def _use(term_id: str, rendering: str) -> TermUse:
    return TermUse(term_id, "x", 0, 1, rendering, "injected")


def test_an_avoided_rendering_in_a_translation_is_an_error_finding() -> None:
    uses = (_use("interior-ministry", "Ministry of the Interior"),)
    avoided = {"interior-ministry": ("Interior Ministry",)}
    flags = translation_flags(
        "قالت وزارة الداخلية", "The interior-ministry said so.", "en", uses, avoided=avoided
    )
    [flag] = [f for f in flags if f.code == "avoided-rendering"]
    assert flag.level == "error" and flag.lang == "en"
    assert "'interior-ministry' as 'interior-ministry'" in flag.message
    assert "'Ministry of the Interior'" in flag.message
    # none where the translation does not have it
    clean = translation_flags(
        "قالت وزارة الداخلية", "The Ministry of the Interior said so.", "en", uses, avoided=avoided
    )
    assert "avoided-rendering" not in {f.code for f in clean}


def test_an_avoided_word_inside_another_term_s_prescribed_rendering_is_no_finding() -> None:
    uses = (_use("board", "Board"), _use("unsc", "Security Council"))
    avoided = {"board": ("Council",)}
    assert avoided_flag("The Security Council and the Board met.", "en", uses, avoided) is None
    flag = avoided_flag("The Council and the Board met.", "en", uses, avoided)
    assert flag is not None and "'board' as 'Council' (the glossary has 'Board')" in flag.message


def test_with_flags_takes_the_avoid_lists_from_the_glossary() -> None:
    glossary = _terms({"en": ("delegates",)})
    use = TermUse("delegates", "المندوبون", 4, 13, "representatives", "injected", "draft")
    segment = Segment(
        "p1.s1", 1, "ar", THANKS, {"en": Rendering("The delegates thanked them.", (use,))}
    )
    flagged = with_flags(segment, glossary=glossary)
    assert "avoided-rendering" in {f.code for f in flagged.flags()}
    assert "avoided-rendering" not in {f.code for f in with_flags(segment).flags()}


def test_the_finding_is_in_the_docx_like_any_other(tmp_path: Path) -> None:
    from briefing_factory import example_en

    from bilingual.docx_io import write_docx

    briefing = example_en()
    first = briefing.paragraphs[0].sentences[0]
    flag = avoided_flag(
        "The Interior Ministry said.", "en", (), {"interior-ministry": ("Interior Ministry",)}
    )
    assert flag is not None
    rendering = dataclasses.replace(first.renderings["en"], flags=(flag,))
    sentence = first.with_renderings({"en": rendering})
    p0 = dataclasses.replace(briefing.paragraphs[0], sentences=(sentence,))
    briefing = dataclasses.replace(briefing, paragraphs=(p0, *briefing.paragraphs[1:]))
    path = tmp_path / "b.docx"
    write_docx(briefing, path)
    rows = [
        [cell.text for cell in row.cells]
        for table in Document(str(path)).tables
        for row in table.rows
    ]
    [row] = [r for r in rows if "avoided-rendering" in r]
    assert row[0] == "error" and "'interior-ministry' as 'Interior Ministry'" in row[3]


def test_a_run_through_the_cli_steers_the_decode(
    tmp_path: Path, models_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILINGUAL_HOME", str(models_home))
    article = tmp_path / "a.txt"
    article.write_text(f"{THANKS}\n", encoding="utf-8")
    folder = tmp_path / "g"
    write(folder, "version: 1\nterms:\n  - id: delegates\n    ar: المندوبون\n    status: draft\n")
    outputs: list[dict[str, Any]] = []
    for avoid in ("", "    avoid: {en: [delegates]}\n"):
        write(
            folder,
            f"version: 1\nterms:\n  - id: delegates\n    ar: المندوبون\n    status: draft\n{avoid}",
        )
        out = tmp_path / f"out{len(outputs)}"
        args = ["translate", str(article), "--glossary", str(folder), "--out", str(out), "-q"]
        result = runner.invoke(app, [*args, "--to", "en", "--no-memory"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads((out / "a.json").read_text(encoding="utf-8")))
    texts = [o["paragraphs"][0]["sentences"][0]["en"] for o in outputs]
    assert "delegates" in texts[0] and "delegates" not in texts[1].lower()
    assert outputs[0]["signature"] != outputs[1]["signature"]


# --------------------------------------------------------------------------- termbases


def test_tbx_export_marks_avoided_renderings_deprecated_and_import_reads_them_back(
    tmp_path: Path,
) -> None:
    from lxml import etree

    from bilingual.glossary.termbase import export_glossary, import_termbase

    write(tmp_path / "src", AVOIDING)
    tbx = tmp_path / "g.tbx"
    export_glossary(load_glossary(tmp_path / "src"), tbx, fmt=None, description="test")
    root = etree.parse(str(tbx)).getroot()
    ns = {"t": "urn:iso:std:iso:30042:ed-2", "xml": "http://www.w3.org/XML/1998/namespace"}
    statuses = {
        sec.findtext("t:term", namespaces=ns): sec.findtext("t:termNote", namespaces=ns)
        for sec in root.iterfind(".//t:langSec[@xml:lang='en']/t:termSec", namespaces=ns)
    }
    assert statuses["Ministry of the Interior"] == "preferredTerm-admn-sts"
    assert statuses["Interior Ministry"] == "deprecatedTerm-admn-sts"
    assert statuses["Home Office"] == "deprecatedTerm-admn-sts"
    # into an empty folder, and into a file ruamel rewrites (`terms:` not last)
    write(
        tmp_path / "b",
        "terms:\n  - id: doha  # filled by import\n    ar: الدوحة\n    en: Doha\nversion: 1\n",
        "into.yaml",
    )
    for folder, into in ((tmp_path / "a", None), (tmp_path / "b", tmp_path / "b" / "into.yaml")):
        folder.mkdir(exist_ok=True)
        report = import_termbase(
            [tbx],
            folder=folder,
            into=into,
            fmt=None,
            columns=None,
            encoding=None,
            default_type="term",
        )
        assert report.imported == 2, report
        term = load_glossary(folder).term("interior-ministry")
        assert term is not None and term.renderings["en"] == "Ministry of the Interior"
        assert dict(term.avoid) == {
            "en": ("Interior Ministry", "Home Office"),
            "vi": ("Bộ Nội địa",),
        }
    assert "# filled by import" in (tmp_path / "b" / "into.yaml").read_text(encoding="utf-8")


def test_a_foreign_tbx_s_forbidden_term_is_avoided_never_a_rendering(tmp_path: Path) -> None:
    from bilingual.glossary.termbase import import_termbase

    tbx = tmp_path / "weblate.tbx"
    tbx.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry>
  <langSet xml:lang="ar"><tig><term>الدوحة</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>Dohah</term><termNote type="administrativeStatus">forbidden</termNote></tig>
    <tig><term>Doha</term></tig>
  </langSet>
</termEntry>
</body></text></martif>
""",
        encoding="utf-8",
    )
    folder = tmp_path / "g"
    folder.mkdir()
    import_termbase(
        [tbx], folder=folder, into=None, fmt=None, columns=None, encoding=None, default_type="place"
    )
    [term] = load_glossary(folder).terms
    assert term.renderings == {"en": "Doha"} and dict(term.avoid) == {"en": ("Dohah",)}


# --------------------------------------------------------------------------- every kind


@pytest.fixture(scope="module")
def kinds_settings(
    tmp_path_factory: pytest.TempPathFactory, opus_mt_releases: dict[str, Path]
) -> Settings:
    """A home with one imported package of every kind but argos (Marian, M2M-100, NLLB)."""
    from conftest import TEST_MODELS

    from bilingual.config import resolve_settings

    home = tmp_path_factory.mktemp("kinds-home")
    for source in (
        opus_mt_releases["ara-eng"],
        TEST_MODELS / "m2m100-test-ct2",
        TEST_MODELS / "nllb-test-ct2",
    ):
        result = runner.invoke(
            app, ["models", "import", str(source)], env={"BILINGUAL_HOME": str(home)}
        )
        assert result.exit_code == 0, result.output
    return resolve_settings({}, home=home, threads=2)


@pytest.mark.parametrize(
    ("kind", "target", "avoided"),
    [
        ("marian", "en", "delegates"),
        ("m2m100", "en", "delegates"),
        ("m2m100", "vi", "đại biểu"),
        ("nllb", "en", "delegates"),
        ("nllb", "vi", "đại biểu"),
    ],
)
def test_every_kind_s_decode_is_steered_by_its_own_target_tokenizer(
    kinds_settings: Settings, kind: str, target: str, avoided: str
) -> None:
    from bilingual.engine import load_translator
    from bilingual.models import installed_packages

    [info] = [i for i in installed_packages(kinds_settings) if i.kind == kind]
    translator = load_translator(kinds_settings, info, source="ar", target=target)
    free = translator.translate([THANKS])[0].text
    assert avoided in free.lower(), free
    steered = translator.translate([THANKS], avoid=[[avoided]])[0].text
    assert avoided not in steered.lower() and steered, steered
    # the pieces are the target tokenizer's, with no language token among them
    for sequence in translator.suppressed([avoided]):
        assert not set(sequence) & translator.adapter.hidden
