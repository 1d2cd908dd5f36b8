"""Tests for routes: ``--route`` parsing and precedence, the model chosen per hop, the
message for a route nothing installed serves, and a direct ar -> vi run end to end."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings, resolve_settings, resolve_workspace
from bilingual.document import Segment
from bilingual.docx_io import read_docx
from bilingual.engine import Hypothesis, Translation
from bilingual.errors import ConfigError, ModelNotInstalledError, RouteError
from bilingual.glossary import Glossary, Term
from bilingual.json_io import dumps, read_json
from bilingual.lang import LANGUAGES
from bilingual.models import (
    PackageInfo,
    find_package,
    rank_packages,
    route_choices,
    route_packages,
)
from bilingual.models.card import ModelCard
from bilingual.pipeline import RunOptions, run_route, translate_articles
from bilingual.pipeline.run import cache_model
from bilingual.project import PROJECT_FILE, init_project, read_project
from bilingual.routes import (
    default_route,
    format_route,
    parse_model_choices,
    parse_route,
    parse_targets,
    settle_route,
)
from bilingual.signature import Signature
from bilingual.translate import Hop, Route, translate_segments

REPO = Path(__file__).resolve().parents[1]
INPUT = REPO / "input"
GLOSSARY = REPO / "glossary"

runner = CliRunner()


# -- the route's syntax ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("ar-en", (("ar", "en"),)),
        ("ar-en-vi", (("ar", "en"), ("en", "vi"))),
        ("ar-vi", (("ar", "vi"),)),
        ("ar-en,ar-vi", (("ar", "en"), ("ar", "vi"))),
        ("ar-vi-en", (("ar", "vi"), ("vi", "en"))),
        (" AR-En , ar-VI ", (("ar", "en"), ("ar", "vi"))),
    ],
)
def test_a_route_reads_as_its_hops_and_writes_back(
    text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    assert parse_route(text, "ar") == pairs
    assert parse_route(format_route(pairs), "ar") == pairs


def test_a_chain_may_start_where_an_earlier_one_arrived() -> None:
    pairs = parse_route("ar-en,en-vi", "ar")
    assert pairs == (("ar", "en"), ("en", "vi"))
    assert format_route(pairs) == "ar-en-vi"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ar>vi", "not two or more codes"),
        ("ar", "not two or more codes"),
        ("ar--vi", "not two or more codes"),
        ("", "not two or more codes"),
        ("ar-fr", "unknown language 'fr'"),
        ("en-vi", "starts from en"),
        ("ar-vi,en-vi", "starts from en"),
        ("ar-en-ar", "goes back to the source"),
        ("ar-en,ar-en", "reaches en twice"),
    ],
)
def test_a_bad_route_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(RouteError) as err:
        parse_route(text, "ar")
    assert says in err.value.what
    assert err.value.option == "--route"
    assert ("ar-en-vi" if "unknown" not in says else "ar, en, vi") in str(err.value.fix)


def test_targets_are_known_codes_other_than_the_source_each_once() -> None:
    assert parse_targets("en, VI", "ar") == ("en", "vi")
    assert parse_targets(["vi"], "ar") == ("vi",)
    for bad in ("", "fr", "ar", "en,en"):
        with pytest.raises(RouteError):
            parse_targets(bad, "ar")


def test_the_default_route_goes_through_english_else_straight() -> None:
    assert default_route("ar", ("en",)) == (("ar", "en"),)
    assert default_route("ar", ("en", "vi")) == (("ar", "en"), ("en", "vi"))
    assert default_route("ar", ("vi", "en")) == (("ar", "en"), ("en", "vi"))
    assert default_route("ar", ("vi",)) == (("ar", "vi"),)


# -- route and targets, resolved together ---------------------------------------------


def test_a_route_gives_the_targets_and_targets_give_the_default_route() -> None:
    assert settle_route("ar", None, None) == (("ar", "en"),)
    assert settle_route("ar", None, ("en,vi", "argument")) == (("ar", "en"), ("en", "vi"))
    assert settle_route("ar", ("ar-vi", "argument"), None) == (("ar", "vi"),)
    # the same targets in another order agree with the route
    agreeing = settle_route("ar", ("ar-en,ar-vi", "argument"), ("vi,en", "argument"))
    assert agreeing == (("ar", "en"), ("ar", "vi"))


def test_route_and_targets_at_one_level_must_agree() -> None:
    with pytest.raises(RouteError) as err:
        settle_route("ar", ("ar-vi", "argument"), ("en", "argument"))
    assert "reaches vi, but the targets are en" in err.value.what
    assert err.value.option == "--route"
    with pytest.raises(RouteError) as err:
        settle_route("ar", ("ar-vi", "BILINGUAL_ROUTE"), ("en", "BILINGUAL_TARGETS"))
    assert err.value.option == "BILINGUAL_ROUTE"


def test_at_different_levels_the_higher_decides_unless_they_agree() -> None:
    # an argument's route beats the project's targets
    assert settle_route("ar", ("ar-vi", "argument"), (("en", "vi"), PROJECT_FILE)) == (
        ("ar", "vi"),
    )
    # an argument's targets beat the project's route ...
    assert settle_route("ar", ("ar-vi", PROJECT_FILE), ("en", "argument")) == (("ar", "en"),)
    # ... which is kept when it reaches exactly those targets
    assert settle_route("ar", ("ar-en,ar-vi", PROJECT_FILE), ("en,vi", "argument")) == (
        ("ar", "en"),
        ("ar", "vi"),
    )
    # a variable beats the project file
    assert settle_route("ar", ("ar-vi", "BILINGUAL_ROUTE"), (("en",), PROJECT_FILE)) == (
        ("ar", "vi"),
    )


def test_the_project_file_and_the_variable_give_the_route(tmp_path: Path) -> None:
    init_project(tmp_path / "desk", ("en", "vi"))
    file = tmp_path / "desk" / PROJECT_FILE
    file.write_text(
        file.read_text(encoding="utf-8").replace('# route = "ar-en-vi"', 'route = "ar-en,ar-vi"')
        + '[route_models]\nar-vi = "m2m"\n',
        encoding="utf-8",
    )
    project = read_project(file)
    assert project.route == "ar-en,ar-vi"
    assert project.route_models == (("ar-vi", "m2m"),)
    space = resolve_workspace({}, project=project, cwd=tmp_path)
    assert space.route == (("ar", "en"), ("ar", "vi")) and space.targets == ("en", "vi")
    space = resolve_workspace({"BILINGUAL_ROUTE": "ar-vi"}, project=project, cwd=tmp_path)
    assert space.route == (("ar", "vi"),) and space.targets == ("vi",)
    space = resolve_workspace({"BILINGUAL_ROUTE": "ar-vi"}, project=project, route="ar-en-vi")
    assert space.route == (("ar", "en"), ("en", "vi"))


def test_a_bad_route_in_the_project_file_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / PROJECT_FILE
    file.write_text("route = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_project(file)
    assert str(file) in err.value.message
    file.write_text('route = "ar-xx"\n', encoding="utf-8")
    with pytest.raises(RouteError) as route_err:
        resolve_workspace({}, project=read_project(file), cwd=tmp_path)
    assert route_err.value.option == f"route in {PROJECT_FILE}"
    file.write_text("[route_models]\nar-en = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_project(file)


def test_the_project_template_still_reads(tmp_path: Path) -> None:
    file = init_project(tmp_path / "desk", ("vi",))
    project = read_project(file)
    assert project.targets == ("vi",) and project.route is None and project.route_models is None


# -- the model of each hop -------------------------------------------------------------


def test_model_choices_read_pair_equals_name() -> None:
    assert parse_model_choices(["ar-en=opus", "AR-VI = m2m "]) == (
        ("ar-en", "opus"),
        ("ar-vi", "m2m"),
    )
    for bad in (["ar-en"], ["ar-en="], ["ar=opus"], ["ar-ar=x"], ["ar-fr=x"]):
        with pytest.raises(RouteError) as err:
            parse_model_choices(bad)
        assert err.value.option == "--model"
    with pytest.raises(RouteError, match="chosen twice"):
        parse_model_choices(["ar-en=a", "ar-en=b"])


def test_model_choices_each_pair_from_the_highest_level(tmp_path: Path) -> None:
    file = tmp_path / PROJECT_FILE
    file.write_text('[route_models]\nar-en = "file"\nen-vi = "file"\n', encoding="utf-8")
    project = read_project(file)
    env = {"BILINGUAL_MODEL": "ar-en=env,ar-vi=env"}
    settings = resolve_settings(env, home=tmp_path, project=project, route_models=["ar-vi=arg"])
    assert dict(settings.route_models) == {"ar-en": "env", "en-vi": "file", "ar-vi": "arg"}
    assert settings.model_for("ar", "vi") == "arg"
    assert settings.model_for("vi", "en") is None
    with pytest.raises(RouteError) as err:
        resolve_settings({"BILINGUAL_MODEL": "nonsense"}, home=tmp_path)
    assert err.value.option == "BILINGUAL_MODEL"


def _info(name: str, version: str, *pairs: tuple[str, str]) -> PackageInfo:
    card = ModelCard(kind="m2m100" if len(pairs) > 1 else "argos", pairs=pairs)
    return PackageInfo(pairs[0][0], pairs[0][1], version, name, Path(name), 0, card)


def test_the_default_choice_dedicated_then_newest_then_name() -> None:
    multi = _info("m2m", "9.0", ("ar", "en"), ("ar", "vi"), ("en", "vi"))
    old = _info("translate-ar_en-1_0", "1.0", ("ar", "en"))
    new = _info("translate-ar_en-1_1", "1.1", ("ar", "en"))
    twin = _info("opus-ar-en", "1.1", ("ar", "en"))
    ranked = rank_packages([multi, old, new, twin])
    assert [p.name for p in ranked] == [
        "opus-ar-en",
        "translate-ar_en-1_1",
        "translate-ar_en-1_0",
        "m2m",
    ]


def _write_package(home: Path, name: str, pairs: Sequence[tuple[str, str]], version: str) -> None:
    """An installed package as the listing reads it (metadata only: never loaded)."""
    folder = home / "packages" / name
    folder.mkdir(parents=True)
    meta: dict[str, object] = {
        "package_version": version,
        "from_code": pairs[0][0],
        "to_code": pairs[0][1],
    }
    if len(pairs) > 1:
        meta["bilingual"] = {"kind": "m2m100", "pairs": [list(p) for p in pairs]}
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture()
def two_kinds(tmp_path: Path) -> Path:
    """A model home with an argos ar -> en and a multilingual package serving ar -> en,
    ar -> vi and en -> vi."""
    home = tmp_path / "home"
    _write_package(home, "translate-ar_en-1_0", [("ar", "en")], "1.0")
    _write_package(home, "m2m", [("ar", "en"), ("ar", "vi"), ("en", "vi")], "1.0")
    return home


def test_several_packages_for_a_pair_the_dedicated_one_unless_chosen(two_kinds: Path) -> None:
    settings = resolve_settings({}, home=two_kinds)
    assert find_package(settings, "ar", "en").name == "translate-ar_en-1_0"
    assert find_package(settings, "ar", "vi").name == "m2m"
    chosen = resolve_settings({}, home=two_kinds, route_models=["ar-en=m2m"])
    assert find_package(chosen, "ar", "en").name == "m2m"
    pairs = (("ar", "en"), ("ar", "vi"))
    assert [p.name for p in route_packages(chosen, pairs)] == ["m2m", "m2m"]
    assert [(pair, info.name if info else None) for pair, info in route_choices(chosen, pairs)] == [
        (("ar", "en"), "m2m"),
        (("ar", "vi"), "m2m"),
    ]


def test_a_chosen_package_that_does_not_serve_the_pair_is_refused(two_kinds: Path) -> None:
    settings = resolve_settings({}, home=two_kinds, route_models=["ar-vi=translate-ar_en-1_0"])
    with pytest.raises(ModelNotInstalledError) as err:
        find_package(settings, "ar", "vi")
    message = err.value.message
    assert "'translate-ar_en-1_0'" in message and "ar->vi" in message
    assert "m2m (ar->en, ar->vi, en->vi)" in message
    assert route_choices(settings, [("ar", "vi")]) == ((("ar", "vi"), None),)


def test_a_route_nothing_installed_serves_lists_what_is_and_the_commands(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    _write_package(home, "translate-ar_en-1_0", [("ar", "en")], "1.0")
    settings = resolve_settings({}, home=home)
    with pytest.raises(ModelNotInstalledError) as err:
        route_packages(settings, (("ar", "vi"), ("ar", "en"), ("vi", "en")))
    message = err.value.message
    assert "serves ar->vi, vi->en" in message
    assert "installed: translate-ar_en-1_0 (ar->en)" in message
    assert "`bilingual models install ar vi`" in message
    assert "`bilingual models install /path/to/translate-vi_en.argosmodel`" in message
    assert "`bilingual models import" in message
    assert "--route" in message


def test_a_run_on_an_unserved_route_stops_before_any_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bilingual.pipeline.run as pipeline

    home = tmp_path / "home"
    _write_package(home, "translate-ar_en-1_0", [("ar", "en")], "1.0")
    loaded: list[tuple[str, str]] = []

    def never(settings: Settings, a: str, b: str) -> object:
        loaded.append((a, b))
        raise AssertionError("no model may load")

    monkeypatch.setattr(pipeline, "open_translator", never)
    options = RunOptions(
        paths=(INPUT,), targets=("en", "vi"), route=(("ar", "en"), ("ar", "vi")), out_dir=tmp_path
    )
    with pytest.raises(ModelNotInstalledError, match="ar->vi"):
        translate_articles(options, resolve_settings({}, home=home))
    assert loaded == []


def test_run_options_route_must_reach_the_targets() -> None:
    assert run_route(RunOptions(paths=(), targets=("en", "vi"))) == (("ar", "en"), ("en", "vi"))
    assert run_route(RunOptions(paths=(), targets=("vi",))) == (("ar", "vi"),)
    with pytest.raises(ConfigError, match="reaches vi, but the targets are en"):
        run_route(RunOptions(paths=(), targets=("en",), route=(("ar", "vi"),)))
    with pytest.raises(RouteError):
        run_route(RunOptions(paths=(), targets=("vi",), route=(("en", "vi"),)))


# -- the command line ------------------------------------------------------------------


def _invoke(args: list[str], home: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, args, env={"BILINGUAL_HOME": str(home), "COLUMNS": "200", **(env or {})}
    )


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--route", "ar>vi"], {}, "--route"),
        (["--route", "ar-vi", "--to", "en"], {}, "reaches vi, but the targets are en"),
        (["--route", "ar-xx"], {}, "unknown language 'xx'"),
        (["--model", "ar-en"], {}, "--model"),
        ([], {"BILINGUAL_ROUTE": "en-vi"}, "BILINGUAL_ROUTE"),
        (["--to", "vi,vi"], {}, "twice"),
    ],
)
def test_a_bad_route_or_model_choice_is_a_usage_error(
    args: list[str],
    env: dict[str, str],
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no project above
    result = _invoke(
        ["translate", str(INPUT), "--out", str(tmp_path / "out"), *args], tmp_path, env
    )
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert not (tmp_path / "out").exists()


def test_an_unserved_route_exits_1_naming_what_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home"
    _write_package(home, "translate-ar_en-1_0", [("ar", "en")], "1.0")
    result = _invoke(
        ["translate", str(INPUT), "--route", "ar-vi", "--out", str(tmp_path / "out"), "-q"], home
    )
    assert result.exit_code == 1, result.output
    assert "route ar-vi" in result.output
    assert "ar->vi" in result.output and "translate-ar_en-1_0 (ar->en)" in result.output
    assert "Traceback" not in result.output


def test_models_list_shows_the_route_and_each_hops_package(
    two_kinds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke(["models", "list"], two_kinds, {"BILINGUAL_ROUTE": "ar-en,ar-vi"})
    assert result.exit_code == 0, result.output
    assert "route ar-en,ar-vi: ar-en: translate-ar_en-1_0; ar-vi: m2m" in result.output
    chosen = {"BILINGUAL_ROUTE": "ar-en-vi", "BILINGUAL_MODEL": "ar-en=m2m"}
    result = _invoke(["models", "list"], two_kinds, chosen)
    assert "route ar-en-vi: ar-en: m2m; en-vi: m2m" in result.output


# -- translating on a direct route ------------------------------------------------------


class Echo:
    """A translator that gives back its input (with every term the ladder injected):
    what a hop is given is what it translates into."""

    def __init__(self, label: str = "echo@1.0", pairs: tuple[tuple[str, str], ...] = ()) -> None:
        self.info = _Info(label, pairs)
        self.inputs: list[str] = []

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        self.inputs.extend(sentences)
        out = [Translation(s, 0.0, (Hypothesis(s, 0.0),) * num_hypotheses) for s in sentences]
        if progress is not None:
            progress(len(out))
        return out


@dataclass(frozen=True)
class _Info:
    label: str
    pairs: tuple[tuple[str, str], ...] = ()


def _glossary(*terms: tuple[str, str, dict[str, str]]) -> Glossary:
    made = tuple(
        Term(tid, "organization", (ar,), renderings, None, Path("g.yaml"), n)
        for n, (tid, ar, renderings) in enumerate(terms, start=1)
    )
    return Glossary(made, (Path("g.yaml"),), "test")


def test_a_direct_hop_takes_the_glossarys_rendering_in_its_target() -> None:
    un = ("un", "الأمم المتحدة", {"en": "United Nations", "vi": "Liên hợp quốc"})
    hanoi = ("hanoi", "هانوي", {"en": "Hanoi"})  # no Vietnamese: not required in vi
    to_en, to_vi = Echo(), Echo()
    route = Route("ar", (Hop("ar", "en", to_en), Hop("ar", "vi", to_vi)))
    source = "التقت الأمم المتحدة في هانوي."
    (out,) = translate_segments([Segment("p1.s1", 1, "ar", source)], route, _glossary(un, hanoi))
    # the vi hop is given the Arabic, not the English, with the Vietnamese term in it
    assert all("United Nations" not in text for text in to_vi.inputs)
    assert "Liên hợp quốc" in out.text("vi") and "هانوي" in out.text("vi")
    [vi_use] = out.renderings["vi"].terms
    assert (vi_use.term_id, vi_use.rendering, vi_use.strategy) == (
        "un",
        "Liên hợp quốc",
        "injected",
    )
    at = source.index("الأمم")
    assert (vi_use.start, vi_use.end) == (at, at + len("الأمم المتحدة"))
    assert [u.term_id for u in out.renderings["en"].terms] == ["un", "hanoi"]


def test_a_hop_from_the_source_is_first_whatever_its_place() -> None:
    """On ar-vi-en the English is projected from the Vietnamese, not from the source."""
    un = ("un", "الأمم المتحدة", {"en": "United Nations", "vi": "Liên hợp quốc"})
    to_vi, to_en = Echo(), Echo()
    route = Route("ar", (Hop("ar", "vi", to_vi), Hop("vi", "en", to_en)))
    source = "التقت الأمم المتحدة."
    (out,) = translate_segments([Segment("p1.s1", 1, "ar", source)], route, _glossary(un))
    assert to_en.inputs and all("Liên hợp quốc" not in t for t in to_en.inputs)
    assert "United Nations" in out.text("en")
    assert [u.strategy for u in out.renderings["en"].terms] == ["injected"]


def test_a_multilingual_package_caches_each_pair_apart() -> None:
    multi = _Info("m2m@1.0", (("ar", "en"), ("ar", "vi")))
    assert cache_model(multi, "ar", "en") != cache_model(multi, "ar", "vi")
    # a package for one pair keeps the key it always had
    assert cache_model(_Info("translate-ar_en-1_0@1.0", (("ar", "en"),)), "ar", "en") == (
        "translate-ar_en-1_0@1.0"
    )


def test_a_direct_run_locks_every_glossary_term_and_signs_its_hop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str]] = []
    model = Echo("m2m-test@1.0", (("ar", "en"), ("ar", "vi")))

    def opener(settings: Settings, a: str, b: str) -> Echo:
        opened.append((a, b))
        return model

    def run(out: Path) -> object:
        options = RunOptions(
            paths=(INPUT,),
            targets=("vi",),
            route=(("ar", "vi"),),
            glossary_dir=GLOSSARY,
            out_dir=out,
            memory=tmp_path / "memory.sqlite",
            run_date="2026-11-23T00:00:00+00:00",
            engine=opener,  # type: ignore[arg-type]
        )
        return translate_articles(options, resolve_settings({}, home=tmp_path / "home"))

    report = run(tmp_path / "out")
    assert not report.failed, [a.error for a in report.failed]  # type: ignore[attr-defined]
    assert opened == [("ar", "vi")]
    signature = Signature.parse(report.signature)  # type: ignore[attr-defined]
    assert signature.targets == ("vi",)
    assert signature.models == (("ar-vi", "m2m-test@1.0"),)
    uses = 0
    for article in report.articles:  # type: ignore[attr-defined]
        data = json.loads(article.json.read_text(encoding="utf-8"))
        assert data["targets"] == ["vi"] and data["models"] == ["m2m-test@1.0"]
        for paragraph in data["paragraphs"]:
            for sentence in paragraph["sentences"]:
                assert "en" not in sentence
                for term in sentence["terms"]:
                    if term["origin"] == "glossary":
                        uses += 1
                        assert term["lang"] == "vi" and not term["forced"], term
                        assert term["rendering"] in sentence["vi"]
        # the briefing reads back: JSON byte for byte, the DOCX's Vietnamese column
        briefing = read_json(article.json)
        assert briefing.targets == ("vi",)
        assert dumps(briefing).encode("utf-8") == article.json.read_bytes()
        from_docx = read_docx(article.docx)
        assert from_docx.targets == ("vi",)
        assert [s.text("vi") for s in from_docx.segments] == [
            s.text("vi") for s in briefing.segments()
        ]
    assert uses > 0, "the samples hold glossary terms"
    # a second run finds every locked sentence of the hop in the memory's cache
    before = len(model.inputs)
    again = run(tmp_path / "out2")
    assert len(model.inputs) == before
    assert again.signature == report.signature  # type: ignore[attr-defined]


# -- the signature -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "models",
    [
        (("ar-vi", "m2m100_418M@1.0"),),
        (("ar-en", "translate-ar_en-1_0@1.0"), ("ar-vi", "nllb-200@1.0")),
        tuple((f"{a}-{b}", "x@1") for a in LANGUAGES for b in LANGUAGES if a != b),
    ],
)
def test_a_signature_names_every_hop_and_reads_back(models: tuple[tuple[str, str], ...]) -> None:
    signature = Signature(
        source="ar",
        targets=tuple(pair.split("-")[1] for pair, _ in models),
        models=models,
        glossary="3f9a2c1d9e0b",
        beam=4,
        lock="inject-first",
        version="0.1.0",
    )
    text = str(signature)
    assert all(f"|{pair}:{label}" in text for pair, label in models)
    assert Signature.parse(text) == signature


def test_a_briefing_without_english_validates_against_the_schema(tmp_path: Path) -> None:
    import jsonschema  # type: ignore[import-untyped]

    schema = json.loads((REPO / "tests" / "data" / "briefing.schema.json").read_text("utf-8"))
    options = RunOptions(
        paths=(INPUT / "001_sample_meeting.txt",),
        targets=("vi",),
        route=(("ar", "vi"),),
        glossary_dir=GLOSSARY,
        out_dir=tmp_path,
        engine=lambda settings, a, b: Echo(),  # type: ignore[arg-type,return-value]
    )
    report = translate_articles(options, resolve_settings({}, home=tmp_path / "home"))
    (article,) = report.articles
    assert article.json is not None
    data = json.loads(article.json.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
