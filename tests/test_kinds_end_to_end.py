"""Every model kind through the whole loop, offline: import -> translate -> lock -> briefing
-> review -> translate again.

The models are the project's own synthetic test models in each real layout: OPUS-MT
releases (Marian ``.npz``, vocabulary ``.yml``, two SentencePiece models), built from the
committed argos test packages by ``tools/build_kind_models.py`` (the ``opus_mt_releases``
fixture), and the M2M-100- and NLLB-layout CTranslate2 folders committed under
``tests/models/``. Each is installed with ``bilingual models import`` as a user would, and
each route is run through the CLI: through English (``ar-en-vi``) on every kind, and
direct (``ar-vi``) on the two multilingual ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TEST_MODELS
from docx_edit import set_sentence
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import resolve_settings
from bilingual.glossary import load_glossary
from bilingual.models import installed_packages

GLOSSARY = REPO / "glossary"
SAMPLE = REPO / "input" / "001_sample_meeting.txt"
LANGUAGE_TOKEN = re.compile(r"__[a-z]{2,3}__|>>[a-z]{3}<<|\b[a-z]{3}_(?:Arab|Latn)\b")
runner = CliRunner()


def _cli(home: Path, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args], env={"BILINGUAL_HOME": str(home)})


@pytest.fixture(scope="module")
def kinds_home(
    tmp_path_factory: pytest.TempPathFactory, opus_mt_releases: dict[str, Path]
) -> Iterator[tuple[Path, dict[str, str]]]:
    """A BILINGUAL_HOME holding one imported package of every kind, and kind -> name."""
    home = tmp_path_factory.mktemp("kinds-home")
    sources = [
        opus_mt_releases["ara-eng"],
        opus_mt_releases["eng-vie"],
        TEST_MODELS / "m2m100-test-ct2",
        TEST_MODELS / "nllb-test-ct2",
    ]
    for source in sources:
        result = _cli(home, "models", "import", source)
        assert result.exit_code == 0, result.output
    names: dict[str, str] = {}
    for info in installed_packages(resolve_settings({}, home=home)):
        key = info.kind if info.kind != "marian" else f"marian-{info.from_code}-{info.to_code}"
        names[key] = info.name
    assert set(names) == {"marian-ar-en", "marian-en-vi", "m2m100", "nllb"}, names
    yield home, names


def test_every_kind_is_listed_with_its_licence(kinds_home: tuple[Path, dict[str, str]]) -> None:
    home, names = kinds_home
    result = _cli(home, "models", "list")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    for name in names.values():
        assert name in flat
    assert "CC-BY-4.0" in flat and "MIT" in flat and "non-commercial" in flat
    assert flat.count("test model;") == 4, flat  # every one warns its output is no translation


ROUTES = {
    # id: (route, {pair: kind whose package serves it})
    "marian": ("ar-en-vi", {"ar-en": "marian-ar-en", "en-vi": "marian-en-vi"}),
    "m2m100": ("ar-en-vi", {"ar-en": "m2m100", "en-vi": "m2m100"}),
    "nllb": ("ar-en-vi", {"ar-en": "nllb", "en-vi": "nllb"}),
    "m2m100-direct": ("ar-vi", {"ar-vi": "m2m100"}),
    "nllb-direct": ("ar-vi", {"ar-vi": "nllb"}),
}


def _sentences(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for paragraph in data["paragraphs"]:
        yield from paragraph["sentences"]


@pytest.mark.parametrize("case", sorted(ROUTES))
def test_each_kind_translates_locks_every_term_and_takes_a_review(
    kinds_home: tuple[Path, dict[str, str]], tmp_path: Path, case: str
) -> None:
    home, names = kinds_home
    route, models = ROUTES[case]
    choices = [arg for pair, kind in models.items() for arg in ("--model", f"{pair}={names[kind]}")]
    out = tmp_path / "out"
    args = ["translate", SAMPLE, "--glossary", GLOSSARY, "--out", out, "--route", route]
    result = _cli(home, *args, *choices)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "001_sample_meeting.json").read_text(encoding="utf-8"))
    targets = route.split("-")[1:]
    assert data["targets"] == targets
    # the signature names each hop and its package
    for pair, kind in models.items():
        assert f"|{pair}:{names[kind]}@" in data["signature"], data["signature"]
    glossary = load_glossary(GLOSSARY)
    locked = 0
    for sentence in _sentences(data):
        for lang in targets:
            text = sentence[lang]
            assert text and not LANGUAGE_TOKEN.search(text), (sentence["id"], lang, text)
        for use in sentence["terms"]:
            term = glossary.term(use["term_id"])
            rendering = term.renderings.get(use["lang"]) if term is not None else None
            if rendering:  # every glossary term comes out as the glossary says
                assert rendering.lower() in sentence[use["lang"]].lower(), (use, sentence)
                locked += 1
    assert locked >= 3, "the sample holds glossary terms in every target"
    assert any(kind.split("-")[0] in line or "licence" in line for line in data["licences"])
    if any(names[kind].startswith("nllb") or kind == "nllb" for kind in models.values()):
        assert "non-commercial" in " ".join(result.output.split())

    # a reviewer corrects the first sentence of the last target; the next run keeps it
    first = next(_sentences(data))
    lang = targets[-1]
    # the reviewer keeps the glossary's renderings (a text without them gets them forced in)
    mine = first[lang].rstrip(".") + ", as the reviewer put it."
    set_sentence(out / "001_sample_meeting.docx", first["id"], lang, mine)
    again = _cli(home, *args, *choices)
    assert again.exit_code == 0, again.output
    data = json.loads((out / "001_sample_meeting.json").read_text(encoding="utf-8"))
    kept = next(s for s in _sentences(data) if s["id"] == first["id"])
    assert kept[lang] == mine
    assert kept["review"][lang]["status"] == "reviewed"
    assert kept["review"][lang]["confidence"] is None


def test_a_route_the_installed_models_cannot_serve_names_what_is_installed(
    kinds_home: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    home, names = kinds_home
    result = _cli(
        home, "translate", SAMPLE, "--out", tmp_path, "--route", "ar-vi",
        "--model", f"ar-vi={names['marian-ar-en']}",
    )  # fmt: skip
    assert result.exit_code in (1, 2), result.output
    flat = " ".join(result.output.split())
    assert names["marian-ar-en"] in flat
    assert not list(tmp_path.glob("*.docx"))
