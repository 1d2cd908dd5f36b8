"""The committed synthetic test models translate every case in cases.tsv exactly.

Decodes with CTranslate2 + SentencePiece the way an engine does (pieces in, beam 4,
``decode_pieces`` out; ``</s>`` is appended by CTranslate2 because the package's
``model/config.json`` sets ``add_source_eos``).  Needs only the runtime dependencies.
Rebuild the models with ``tools/build_test_models.py``; see also ``tools/check_test_models.py``.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

MODELS = Path(__file__).resolve().parent / "models"
MAX_BYTES = 5 * 1024 * 1024


def _cases() -> list[tuple[str, str, str]]:
    path = MODELS / "cases.tsv"
    if not path.exists():  # reported by test_cases_cover_both_pairs, not a collection error
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert next(reader) == ["pair", "source", "expected"]
        return [(r[0], r[1], r[2]) for r in reader if r]


CASES = _cases()
PAIRS = ("ar-en", "en-vi")


def _package(pair: str) -> Path:
    src, tgt = pair.split("-")
    return MODELS / f"translate-{src}_{tgt}-test.argosmodel"


class _Model:
    def __init__(self, top: Path) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.top = top
        self.sp = spm.SentencePieceProcessor(model_file=str(top / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(
            str(top / "model"), device="cpu", compute_type="float32", intra_threads=2
        )

    def translate(self, text: str, beam_size: int = 4) -> str:
        pieces = self.sp.encode(text, out_type=str)
        result = self.translator.translate_batch(
            [pieces], beam_size=beam_size, replace_unknowns=True
        )
        return str(self.sp.decode_pieces(result[0].hypotheses[0]))


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    loaded: dict[str, Any] = {}
    for pair in PAIRS:
        dest = tmp_path_factory.mktemp(pair)
        with zipfile.ZipFile(_package(pair)) as zf:
            zf.extractall(dest)
        (top,) = list(dest.iterdir())
        loaded[pair] = _Model(top)
    return loaded


def test_cases_cover_both_pairs() -> None:
    counts = {pair: sum(1 for c in CASES if c[0] == pair) for pair in PAIRS}
    assert counts["ar-en"] >= 25, counts
    assert counts["en-vi"] >= 15, counts


@pytest.mark.parametrize("pair", PAIRS)
def test_package_layout(pair: str, models: dict[str, Any]) -> None:
    assert _package(pair).stat().st_size <= MAX_BYTES
    top: Path = models[pair].top
    metadata = json.loads((top / "metadata.json").read_text(encoding="utf-8"))
    src, tgt = pair.split("-")
    assert (metadata["from_code"], metadata["to_code"], metadata["type"]) == (src, tgt, "translate")
    # so that bilingual warns, and banners every briefing made with it
    # a test model says so, and carries the confidence thresholds measured on it
    assert set(metadata["bilingual"]) == {"test_model", "confidence"}
    assert metadata["bilingual"]["test_model"] is True
    assert metadata["bilingual"]["confidence"]["method"] == "p10-median-iqr"
    assert (top / "README.md").is_file()
    assert not (top / "stanza").exists()
    config = json.loads((top / "model" / "config.json").read_text(encoding="utf-8"))
    assert config["add_source_eos"] is True


@pytest.mark.parametrize(
    ("pair", "source", "expected"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_case_translates_exactly(
    pair: str, source: str, expected: str, models: dict[str, Any]
) -> None:
    assert models[pair].translate(source) == expected
