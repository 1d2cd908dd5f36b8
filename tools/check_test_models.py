"""Verify the committed synthetic test models against ``tests/models/cases.tsv``.

Each package zip is unpacked into a temporary folder and every case is translated with
CTranslate2 + SentencePiece exactly as an engine does it: ``encode(..., out_type=str)``
pieces in (CTranslate2 appends ``</s>`` itself because the model's ``config.json`` sets
``add_source_eos``), ``decode_pieces`` out, ``compute_type="float32"`` on CPU.  A case must
come out identical with greedy decoding, with beam 4, with beam 4 and argos' length penalty
0.2, and both alone and batched with the other cases.  The package layout (one top folder,
metadata marked ``"bilingual": {"test_model": true}``, no stanza/, at most 5 MB) is checked
too.

Needs only the runtime dependencies (ctranslate2, sentencepiece).  Exit status 1 on any
mismatch.

    python3 tools/check_test_models.py [--models tests/models]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAX_BYTES = 5 * 1024 * 1024
REQUIRED_METADATA = (
    "package_version",
    "argos_version",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "type",
)


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["pair", "source", "expected"], header
        return [(r[0], r[1], r[2]) for r in reader if r]


def check_layout(package: Path, unpacked: Path) -> list[str]:
    """Problems with the package structure (empty when it is a valid argos package)."""
    problems = []
    size = package.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{package.name}: {size} bytes > {MAX_BYTES}")
    tops = [p for p in unpacked.iterdir()]
    if len(tops) != 1 or not tops[0].is_dir():
        return [*problems, f"{package.name}: expected one top folder, got {tops}"]
    top = tops[0]
    metadata = json.loads((top / "metadata.json").read_text(encoding="utf-8"))
    problems += [f"metadata.json lacks {k}" for k in REQUIRED_METADATA if k not in metadata]
    if metadata.get("type") != "translate":
        problems.append("metadata type is not 'translate'")
    if metadata.get("bilingual", {}).get("test_model") is not True:
        # without it bilingual would present the models' word salad as a real briefing
        problems.append('metadata.json lacks "bilingual": {"test_model": true}')
    for name in ("README.md", "sentencepiece.model", "model/model.bin", "model/config.json"):
        if not (top / name).exists():
            problems.append(f"{package.name}: missing {name}")
    if (top / "stanza").exists():
        problems.append(f"{package.name}: has a stanza/ folder")
    config = json.loads((top / "model" / "config.json").read_text(encoding="utf-8"))
    if config.get("add_source_eos") is not True:
        problems.append(f"{package.name}: model/config.json lacks add_source_eos: true")
    return problems


class Model:
    def __init__(self, top: Path) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(top / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(
            str(top / "model"), device="cpu", compute_type="float32", intra_threads=2
        )

    def translate(self, sentences: Sequence[str], beam: int, length_penalty: float) -> list[str]:
        pieces = [self.sp.encode(s, out_type=str) for s in sentences]
        results = self.translator.translate_batch(
            pieces, beam_size=beam, length_penalty=length_penalty, replace_unknowns=True
        )
        return [self.sp.decode_pieces(r.hypotheses[0]) for r in results]


SETTINGS = (("greedy", 1, 1.0), ("beam4", 4, 1.0), ("beam4-lp0.2", 4, 0.2))


def check_pair(pair: str, package: Path, cases: list[tuple[str, str]]) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(package) as zf:
            zf.extractall(tmp)
        problems = check_layout(package, Path(tmp))
        for problem in problems:
            print(f"LAYOUT FAIL {problem}")
        failures += len(problems)
        top = next(Path(tmp).iterdir())
        model = Model(top)
        sources = [s for s, _ in cases]
        for name, beam, lp in SETTINGS:
            batched = model.translate(sources, beam, lp)
            single = [model.translate([s], beam, lp)[0] for s in sources]
            bad = 0
            for (src, ref), hyp_b, hyp_s in zip(cases, batched, single, strict=True):
                if hyp_b != ref or hyp_s != ref:
                    bad += 1
                    print(
                        f"FAIL {pair} {name}\n  src: {src}\n  ref: {ref}\n  got: {hyp_s}"
                        + ("" if hyp_b == hyp_s else f"\n  batched: {hyp_b}")
                    )
            print(f"{pair} {name}: {len(cases) - bad}/{len(cases)} exact")
            failures += bad
    print(f"{pair}: {package.name} {package.stat().st_size} bytes")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, default=REPO / "tests" / "models")
    args = parser.parse_args(argv)
    by_pair: dict[str, list[tuple[str, str]]] = {}
    for pair, src, ref in read_cases(args.models / "cases.tsv"):
        by_pair.setdefault(pair, []).append((src, ref))
    failures = 0
    for pair, cases in sorted(by_pair.items()):
        src, tgt = pair.split("-")
        package = args.models / f"translate-{src}_{tgt}-test.argosmodel"
        failures += check_pair(pair, package, cases)
    total = sum(len(c) for c in by_pair.values())
    print(
        f"{total} cases x {len(SETTINGS)} settings: "
        + ("all exact" if not failures else f"{failures} failures")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
