"""Cost of the confidence: scoring time as a share of the time in the model, on input/.

Runs ``translate input/ --to en,vi`` on the test models (no memory, so every sentence
reaches the model) ``--runs`` times in two modes and prints the median model time, the
part of it spent scoring, and the share:

* ``all scored``: today's engine, whose decodes carry no log-probability, so every
  rendering's text is scored (one batched call per hop);
* ``decode numbers``: the engine as the ``engine`` branch makes it, whose decodes carry
  their tokens and log-probability (simulated here from CTranslate2's length-normalised
  score, as that branch computes it), so only the texts locking changed are scored.

    PYTHONPATH=src python bench/confidence_cost.py --runs 3

Target: scoring under 10% of the model time (bench/pipeline.py is the real measure; this
is a bounded estimate on the test models, whose decodes are very cheap, so the share is
an upper bound for a real model).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.confidence import raw_scores
from bilingual.config import Settings, resolve_settings
from bilingual.engine import Translation, open_translator
from bilingual.models import install_package_file
from bilingual.pipeline import RunOptions, translate_articles

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Decoded(Translation):
    """A translation with the numbers the engine branch adds."""

    tokens: int = 0
    log_prob: float = 0.0


class WithDecodeNumbers:
    """The engine's translator, its translations given tokens and log-probability."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.info = inner.info
        self.test_model = inner.test_model

    def translate(self, sentences: Sequence[str], **kwargs: Any) -> list[Translation]:
        out: list[Translation] = []
        for t in self.inner.translate(sentences, **kwargs):
            n = len(self.inner.tokenize(t.text)) + 1  # the end-of-sentence token
            log_prob = t.score * n**self.inner.decoding.length_penalty
            out.append(Decoded(t.text, t.score, t.hypotheses, tokens=n, log_prob=log_prob))
        return out

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        return raw_scores(self.inner, sources, targets) or [(0.0, 0)] * len(sources)


def run(settings: Settings, engine: Callable[[Settings, str, str], Any]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as out:
        options = RunOptions(
            paths=(REPO / "input",), targets=("en", "vi"), out_dir=Path(out), engine=engine
        )
        report = translate_articles(options, settings)
    return report.model_seconds, report.score_seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = resolve_settings({}, home=Path(home), threads=2)
        for package in sorted((REPO / "tests/models").glob("*.argosmodel")):
            install_package_file(settings, package)

        def numbers(s: Settings, a: str, b: str) -> Any:
            return WithDecodeNumbers(open_translator(s, a, b))

        modes: list[tuple[str, Callable[[Settings, str, str], Any]]] = [
            ("all scored", open_translator),
            ("decode numbers", numbers),
        ]
        for name, engine in modes:
            runs = [run(settings, engine) for _ in range(args.runs)]
            model = statistics.median(m for m, _ in runs)
            scoring = statistics.median(s for _, s in runs)
            print(
                f"{name}: model {model:.2f} s, of which scoring {scoring:.2f} s "
                f"({scoring / model:.1%}; median of {args.runs})"
            )


if __name__ == "__main__":
    main()
