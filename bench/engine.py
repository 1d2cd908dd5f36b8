"""Benchmark: bilingual's engine against argostranslate and raw CTranslate2.

Translates the same Arabic sentences three ways, with the same model, beam size,
threads and output cap, and prints a markdown table (sentences/s, target tokens/s,
ratio to raw CTranslate2):

* ``engine``: ``bilingual.engine.Translator.translate`` on all sentences in one call
  (tokenizing and detokenizing included in the time);
* ``argostranslate``: ``argostranslate.translate.translate()`` called once per paragraph
  of ``--paragraph`` sentences, argos's own code path and batching, with its sentence
  splitter replaced by one that returns the benchmark's sentences (so MiniSBD never
  downloads and every variant sees the same sentences) and its CTranslate2 translator
  wrapped to pass the output cap (argos has no setting for it);
* ``raw``: one ``ctranslate2.Translator.translate_batch`` call on the sentences
  tokenized beforehand (untimed), CTranslate2 batching by ``--batch-size``: the ceiling.

Target tokens are counted the same way for all three: the tokens of each best
hypothesis as CTranslate2 returns them (the translator each variant calls is wrapped).

    python bench/engine.py --model bench/models/translate-ar_en-bench.argosmodel
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "unpc-dev" / "UNv1.0.devset.ar"


@dataclass(frozen=True)
class Row:
    variant: str
    sentences: int
    seconds: float
    target_tokens: int


def read_sentences(path: Path, n: int) -> list[str]:
    if not path.is_file():
        sys.exit(f"{path}: not found (the UNPC dev set lives in ../shared/data/unpc-dev)")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < n:
        sys.exit(f"{path}: only {len(lines)} non-empty lines, {n} asked for")
    return lines[:n]


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


class _KnownSentences:
    """argos sentencizer that returns the benchmark's own split of each paragraph."""

    def __init__(self, split: dict[str, list[str]]) -> None:
        self.split = split

    def split_sentences(self, text: str) -> list[str]:
        return self.split[text]


class _Counting:
    """Wraps a ``ctranslate2.Translator``: counts the tokens of each best hypothesis and,
    given a cap, passes it as ``max_decoding_length`` (argos has no setting for it)."""

    def __init__(self, inner: Any, cap: int | None = None) -> None:
        self.inner = inner
        self.cap = cap
        self.tokens = 0

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        if self.cap is not None:
            kwargs["max_decoding_length"] = self.cap
        results = self.inner.translate_batch(*args, **kwargs)
        self.tokens += sum(len(r.hypotheses[0]) for r in results)
        return results


def run_argos(
    model_file: Path,
    model_dir: Path,
    paragraphs: Sequence[list[str]],
    args: argparse.Namespace,
) -> tuple[int, float]:
    """argos's own loop; returns (target tokens, seconds)."""
    import argostranslate.package
    import argostranslate.settings
    import argostranslate.translate
    import ctranslate2

    argostranslate.package.install_from_path(model_file)
    argostranslate.settings.beam_size = args.beam
    argostranslate.settings.inter_threads = 1
    argostranslate.settings.intra_threads = args.threads
    argostranslate.settings.device = "cpu"
    texts = [" ".join(p) for p in paragraphs]
    cached = argostranslate.translate.get_translation_from_codes("ar", "en")
    package_translation = cached.underlying
    package_translation.sentencizer = _KnownSentences(dict(zip(texts, paragraphs, strict=True)))
    counting = _Counting(
        ctranslate2.Translator(
            str(model_dir), device="cpu", inter_threads=1, intra_threads=args.threads
        ),
        args.max_decoding_length,
    )
    package_translation.translator = counting
    argostranslate.translate.translate(texts[0], "ar", "en")  # warm-up
    cached.cache = {}  # argos caches the last call's paragraphs
    counting.tokens = 0
    _, seconds = timed(lambda: [argostranslate.translate.translate(t, "ar", "en") for t in texts])
    return counting.tokens, seconds


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "bench/models/translate-ar_en-bench.argosmodel"
    )
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--batch-size", type=int, default=32, help="engine and raw batch size")
    ap.add_argument(
        "--max-decoding-length", type=int, default=64, help="output cap, all three variants"
    )
    ap.add_argument("--paragraph", type=int, default=5, help="sentences per argos paragraph")
    ap.add_argument("--variants", default="engine,argos,raw", help="comma-separated subset to run")
    ap.add_argument(
        "--repeat", type=int, default=1, help="timed runs of engine and raw (alternated; best)"
    )
    args = ap.parse_args(argv)
    variants = args.variants.split(",")
    if not args.model.is_file():
        sys.exit(f"{args.model}: not found; build it with tools/build_test_models.py --bench")
    sentences = read_sentences(args.source, args.sentences)
    paragraphs = [
        sentences[i : i + args.paragraph] for i in range(0, len(sentences), args.paragraph)
    ]

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp_name:
        tmp = Path(tmp_name)
        # argostranslate writes under $HOME and reads ARGOS_* when imported: keep it in tmp
        for var, sub in (
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
            ("ARGOS_PACKAGES_DIR", "argos-packages"),
        ):
            os.environ[var] = str(tmp / "argos" / sub)

        from bilingual.config import resolve_settings
        from bilingual.engine import load_translator
        from bilingual.models import install_package_file

        settings = resolve_settings(
            {},
            home=tmp / "home",
            threads=args.threads,
            beam_size=args.beam,
            batch_size=args.batch_size,
            device="cpu",
            inter_threads=1,  # as raw and argos below; bench/threads.py measures the splits
        )
        info = install_package_file(settings, args.model)
        translator = load_translator(settings, info)
        count = translator.tokenize
        n_split = sum(len(translator.split_for_model(s)) > 1 for s in sentences)
        src_tokens = sum(len(count(s)) for s in sentences)
        rows: list[Row] = []

        # count the engine's output tokens at the model, as for the other two variants
        engine_model = _Counting(translator.model)
        translator.model = engine_model

        def run_engine() -> tuple[int, float]:
            engine_model.tokens = 0
            _, seconds = timed(
                lambda: translator.translate(
                    sentences, max_decoding_length=args.max_decoding_length
                )
            )
            return engine_model.tokens, seconds

        import ctranslate2

        # a model of its own, loaded like the engine's
        model = ctranslate2.Translator(
            str(info.path / "model"),
            device="cpu",
            inter_threads=1,
            intra_threads=args.threads,
            compute_type="default",
        )
        pre = [count(s) for s in sentences]  # untimed: raw gets tokens for free
        options = {
            "max_batch_size": args.batch_size,
            "beam_size": args.beam,
            "length_penalty": translator.decoding.length_penalty,
            "replace_unknowns": translator.decoding.replace_unknowns,
            "return_scores": True,
            "max_input_length": 0,
            "max_decoding_length": args.max_decoding_length,
        }

        def run_raw() -> tuple[int, float]:
            results, seconds = timed(lambda: model.translate_batch(pre, **options))
            return sum(len(r.hypotheses[0]) for r in results), seconds

        # warm up both, then alternate the timed runs so background load hits both alike
        translator.translate(sentences[:8], max_decoding_length=args.max_decoding_length)
        model.translate_batch(pre[:8], **options)
        runs: dict[str, list[tuple[int, float]]] = {"engine": [], "raw": []}
        for _ in range(args.repeat):
            for name, fn in (("engine", run_engine), ("raw", run_raw)):
                if name in variants:
                    runs[name].append(fn())
        labels = {
            "engine": "engine (bilingual)",
            "raw": "raw ctranslate2 translate_batch (ceiling)",
        }
        for name, timings in runs.items():
            if timings:
                tokens, seconds = min(timings, key=lambda ts: ts[1])  # best of --repeat
                rows.append(Row(labels[name], len(sentences), seconds, tokens))
                if len(timings) > 1:
                    print(f"{name} runs (s): {', '.join(f'{t:.1f}' for _, t in timings)}")

        if "argos" in variants:
            tokens, seconds = run_argos(args.model, info.path / "model", paragraphs, args)
            rows.insert(
                1,
                Row("argostranslate translate() per paragraph", len(sentences), seconds, tokens),
            )

    raw = next((r for r in rows if r.variant.startswith("raw")), None)
    print(
        f"model {args.model.name}, {len(sentences)} sentences ({src_tokens} source tokens, "
        f"{n_split} split for length), beam {args.beam}, threads {args.threads}, "
        f"batch {args.batch_size}, output cap {args.max_decoding_length} tokens, "
        f"argos paragraphs of {args.paragraph}\n"
    )
    print("| variant | sentences | seconds | sentences/s | target tokens/s | vs raw |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        ratio = f"{(raw.seconds / row.seconds):.2f}" if raw else "-"
        print(
            f"| {row.variant} | {row.sentences} | {row.seconds:.1f} | "
            f"{row.sentences / row.seconds:.1f} | {row.target_tokens / row.seconds:.0f} | {ratio} |"
        )
    engine = next((r for r in rows if r.variant.startswith("engine")), None)
    argos = next((r for r in rows if r.variant.startswith("argos")), None)
    if engine and argos:
        print(f"\nengine / argostranslate: {argos.seconds / engine.seconds:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
