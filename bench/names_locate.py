"""Which locator gives a new name's rendering: the name alone, or the decoder's attention.

Issue 10: a new name that repeats in a run is kept to "the model's own rendering of its
first occurrence". Two ways to get that rendering are compared on the test model:

* **alone**: the name's source text translated by itself, in one batch, cleaned with
  :func:`bilingual.names.keep.clean_rendering` (what ``keep._render`` does);
* **attention**: the first-occurrence sentence decoded with ``return_attention=True``
  (same beam, length penalty and limit as the engine), then the target tokens that attend
  to the name's source pieces: of the contiguous runs of such tokens, the one with the
  most attention on the name, widened to whole words, detokenised and cleaned. Two rules
  pick the tokens: ``argmax`` (the token's most-attended source piece lies in the name)
  and ``mass`` (at least half the token's attention lies in the name). The attention is
  what CTranslate2 returns (one target_len x source_len matrix per hypothesis).

Two sets:

(a) truth known: seeded synthetic Arabic sentences of ``tools/test_lexicon.py`` (the test
    model's training language), each holding one Latin name the model copies verbatim.
    Scored: the located rendering equals the name; it occurs in the sentence's
    translation (locking then forces nothing). Attention's rendering is cut from that
    translation, so only its first column tells.
(b) the samples ``input/*.txt`` (``--inputs`` adds folders, e.g. ``../shared/seeds``,
    read in place): every name :class:`bilingual.names.detect.NameFinder`
    finds (empty glossary), its rendering alone, the translation of its first sentence,
    whether the rendering alone occurs there (locking then forces nothing) and what
    attention picks. No truth: agreement only, with examples.

Times (min of ``--repeat``): the engine's translation of all the set's sentences (the
model time a run spends anyway), the names alone (one batch), a second decode of the
first-occurrence sentences with attention, and raw ``translate_batch`` of all sentences
with attention off then on (the cost of turning it on in the main decode).

Run from the repository root (about a minute on the test model)::

    .venv/bin/python bench/names_locate.py --sentences 300 --threads 1 \\
        --inputs input ../shared/seeds
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.config import resolve_settings
from bilingual.engine import Translator, decoding_limit, open_translator
from bilingual.glossary.term import Glossary
from bilingual.ingest import read_article
from bilingual.models import install_package_file
from bilingual.names.detect import NameFinder
from bilingual.names.keep import clean_rendering
from bilingual.segment import segment_article

REPO = Path(__file__).resolve().parents[1]
RULES = ("argmax", "mass")


@dataclass(frozen=True)
class Case:
    """One name in one sentence: the name's char span in the source."""

    sentence: str
    name: str
    start: int
    end: int
    truth: str | None = None


@dataclass(frozen=True)
class Located:
    case: Case
    translation: str
    """The sentence's translation by the engine."""
    alone: str
    attention: dict[str, str]
    same_output: bool
    """The attention decode gave the engine's translation (attention changes nothing)."""


# --------------------------------------------------------------------------- sets


def synthetic_cases(n: int, seed: int) -> list[Case]:
    """Seeded lexicon sentences holding exactly one Latin name (and no other copy item)."""
    sys.path.insert(0, str(REPO / "tools"))
    import test_lexicon as lex

    rng = random.Random(seed)
    plain = lex.Phrase("", "", "")
    out: list[Case] = []
    while len(out) < n:
        name = lex.latin_name(rng)
        cp = lex.copy_phrase(name)
        pick = rng.random()
        if pick < 0.4:
            forced = {"verb": lex.Phrase("", "met with", ""), "person": cp, "time": plain}
            template = "statement"
        elif pick < 0.7:
            forced = {"verb": lex.Phrase("", "thanked", ""), "agent": cp}
            template = "statement"
        else:
            forced, template = {"agent": cp}, "headline"
        clause = "clause_past" if "verb" in forced else None
        t = lex.generate(rng, "ar-en", 0.0, template, forced, clause)
        # truth known only where the name is the sentence's one copy and stands once
        if t.ar.count(name) != 1 or t.en.count(name) != 1 or t.has_copy is False:
            continue
        start = t.ar.index(name)
        out.append(Case(t.ar, name, start, start + len(name), name))
    return out


def sample_cases(paths: Sequence[Path]) -> tuple[list[Case], list[str], dict[str, int]]:
    """First occurrence of every name found in the samples (read as one run), all the
    run's sentences, and each name's number of occurrences."""
    finder = NameFinder(Glossary((), (), "none"))
    sentences: list[str] = []
    first: dict[str, Case] = {}
    count: dict[str, int] = {}
    for path in paths:
        for paragraph in segment_article(read_article(path)):
            for s in paragraph:
                sentences.append(s.text)
                for span in finder.find(s.text):
                    count[span.key] = count.get(span.key, 0) + 1
                    if span.key not in first:
                        first[span.key] = Case(s.text, span.surface, span.start, span.end)
    return list(first.values()), sentences, count


# --------------------------------------------------------------------------- locators


def name_pieces(tr: Translator, case: Case) -> tuple[list[str], set[int]]:
    """The sentence's pieces and the indices of those inside the name (byte offsets)."""
    proto = tr._sp.encode(case.sentence, return_type="proto")
    lo = len(case.sentence[: case.start].encode())
    hi = len(case.sentence[: case.end].encode())
    pieces = [p.piece for p in proto.pieces]
    inside = {
        i
        for i, p in enumerate(proto.pieces)
        if p.begin < hi and p.end > lo and p.piece != "\u2581"  # a bare space mark is no part
    }
    return pieces, inside


def decode(tr: Translator, sources: Sequence[list[str]], attention: bool) -> list[Any]:
    """Raw ``translate_batch`` as the engine batches: sorted by length, ``batch_size``
    inputs a batch, each batch's decoding limit from its longest input (one limit for
    all would let a short input that never ends run to the longest one's limit)."""
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    out: list[Any] = [None] * len(sources)
    for k in range(0, len(order), tr.batch_size):
        batch = order[k : k + tr.batch_size]
        longest = max(len(sources[i]) for i in batch) + tr._source_specials
        # the engine's call: decoding kept within the model's position table
        results = tr._translate_batch(
            [sources[i] for i in batch],
            beam_size=tr.decoding.beam_size,
            length_penalty=tr.decoding.length_penalty,
            replace_unknowns=tr.decoding.replace_unknowns,
            max_decoding_length=decoding_limit(longest),
            return_attention=attention,
        )
        for i, result in zip(batch, results, strict=True):
            out[i] = result
    return out


def pick(
    tokens: Sequence[str], attention: Sequence[Sequence[float]], inside: set[int], rule: str
) -> list[int]:
    """Target token indices attributed to the name by ``rule``."""
    chosen: list[int] = []
    for t, row in enumerate(attention[: len(tokens)]):
        if rule == "argmax":
            hit = max(range(len(row)), key=row.__getitem__) in inside
        else:
            hit = sum(row[i] for i in inside if i < len(row)) >= 0.5
        if hit:
            chosen.append(t)
    return chosen


def best_run(
    chosen: Sequence[int], attention: Sequence[Sequence[float]], inside: set[int]
) -> tuple[int, int]:
    """The contiguous run of chosen target tokens with the most attention on the name
    (stray tokens elsewhere in the sentence are left out); (0, 0) when none."""
    runs: list[list[int]] = []
    for t in chosen:
        if runs and runs[-1][-1] == t - 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    if not runs:
        return 0, 0

    def weight(run: list[int]) -> float:
        return sum(attention[t][i] for t in run for i in inside if i < len(attention[t]))

    run = max(runs, key=weight)
    return run[0], run[-1] + 1


def whole_words(tokens: Sequence[str], lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` widened to whole words: a name's first piece often attends to the
    previous word, so the span would start mid-word."""
    if lo == hi:
        return lo, hi
    while lo > 0 and not tokens[lo].startswith("\u2581"):
        lo -= 1
    while hi < len(tokens) and not tokens[hi].startswith("\u2581"):
        hi += 1
    return lo, hi


def by_attention(tr: Translator, cases: Sequence[Case]) -> tuple[list[dict[str, str]], list[str]]:
    """Rule -> rendering for each case, and the attention decode's translations."""
    tokenized = [name_pieces(tr, c) for c in cases]
    sources = [p for p, _ in tokenized]
    # a sentence holding several names is decoded once, as a run would
    unique = list(dict.fromkeys(tuple(p) for p in sources))
    decoded = dict(zip(unique, decode(tr, [list(u) for u in unique], attention=True), strict=True))
    results = [decoded[tuple(p)] for p in sources]
    out: list[dict[str, str]] = []
    texts: list[str] = []
    for (_, inside), result in zip(tokenized, results, strict=True):
        tokens, attention = result.hypotheses[0], result.attention[0]
        texts.append(tr.detokenize(tokens))
        found: dict[str, str] = {}
        for rule in RULES:
            chosen = pick(tokens, attention, inside, rule)
            lo, hi = best_run(chosen, attention, inside)
            lo, hi = whole_words(tokens, lo, hi)
            found[rule] = clean_rendering(tr.detokenize(tokens[lo:hi]))
        out.append(found)
    return out, texts


def model_input(tr: Translator, case: Case) -> Case:
    """The case cut to the model input that holds the name (a long sentence is split
    into clause pieces before the model, as the engine does)."""
    pieces = tr.split_for_model(case.sentence)
    if len(pieces) == 1:
        return case
    piece = next((p for p in pieces if case.name in p), pieces[0])
    start = max(0, piece.find(case.name))
    return Case(piece, case.name, start, start + len(case.name), case.truth)


def locate(tr: Translator, cases: Sequence[Case]) -> list[Located]:
    translations = [t.text for t in tr.translate([c.sentence for c in cases])]
    alone = [clean_rendering(t.text) for t in tr.translate([c.name for c in cases])]
    attention, texts = by_attention(tr, [model_input(tr, c) for c in cases])
    return [
        Located(c, tr_text, a, att, text == tr_text)
        for c, tr_text, a, att, text in zip(
            cases, translations, alone, attention, texts, strict=True
        )
    ]


# --------------------------------------------------------------------------- timing


def best(repeat: int, steps: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Min seconds of each step over ``repeat`` rounds; every round runs every step once,
    in turn, so a load change on the shared machine hits all steps alike."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, fn in steps.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: min(t) for name, t in times.items()}


def timings(
    tr: Translator, sentences: Sequence[str], cases: Sequence[Case], repeat: int
) -> dict[str, float]:
    all_tokens = [tr.tokenize(p) for s in sentences for p in tr.split_for_model(s)]
    inputs = [model_input(tr, c) for c in cases]
    names = [c.name for c in cases]
    return best(
        repeat,
        {
            "engine, all sentences": lambda: tr.translate(list(sentences)),
            "names alone (one batch)": lambda: tr.translate(names),
            "attention, 2nd decode of first sentences (distinct)": lambda: by_attention(tr, inputs),
            "raw decode, attention off": lambda: decode(tr, all_tokens, attention=False),
            "raw decode, attention on": lambda: decode(tr, all_tokens, attention=True),
        },
    )


# --------------------------------------------------------------------------- report


def pct(k: int, n: int) -> str:
    return f"{k}/{n} ({100 * k / n:.1f} %)" if n else "0/0"


def report_synthetic(rows: Sequence[Located]) -> None:
    n = len(rows)
    print(f"\n### (a) synthetic lexicon sentences, truth known ({n} names)\n")
    print("| locator | exact = name | rendering in the sentence's translation |")
    print("| --- | --- | --- |")
    in_tr = sum(r.case.name in r.translation for r in rows)
    print(f"| (name copied in the translation at all) | - | {pct(in_tr, n)} |")
    exact = sum(r.alone == r.case.truth for r in rows)
    found = sum(bool(r.alone) and r.alone in r.translation for r in rows)
    print(f"| alone | {pct(exact, n)} | {pct(found, n)} |")
    for rule in RULES:
        exact = sum(r.attention[rule] == r.case.truth for r in rows)
        found = sum(bool(r.attention[rule]) and r.attention[rule] in r.translation for r in rows)
        print(f"| attention ({rule}) | {pct(exact, n)} | {pct(found, n)} |")
    same = sum(r.same_output for r in rows)
    print(f"\nattention decode = engine translation: {pct(same, n)}")
    misses = [r for r in rows if r.attention["argmax"] != r.case.truth][:6]
    if misses:
        print("\nattention (argmax) misses, first few: name -> alone | argmax | mass")
        for r in misses:
            print(
                f"- `{r.case.name}` -> `{r.alone}` | "
                f"`{r.attention['argmax']}` | `{r.attention['mass']}`"
            )
    misses = [r for r in rows if r.alone != r.case.truth][:6]
    if misses:
        print("\nalone misses, first few: name -> alone | translation")
        for r in misses:
            print(f"- `{r.case.name}` -> `{r.alone}` | {r.translation}")


def report_samples(rows: Sequence[Located], count: dict[str, int], finder: NameFinder) -> None:
    n = len(rows)
    repeats = sum(count[finder.key(r.case.name)] > 1 for r in rows)
    print(f"\n### (b) the texts: {n} names found ({repeats} occur more than once)\n")
    print("| locator | non-empty | in the first sentence's translation | = alone |")
    print("| --- | --- | --- | --- |")
    nonempty = sum(bool(r.alone) for r in rows)
    found = sum(bool(r.alone) and r.alone in r.translation for r in rows)
    print(f"| alone | {pct(nonempty, n)} | {pct(found, n)} | - |")
    for rule in RULES:
        got = [r.attention[rule] for r in rows]
        nonempty = sum(bool(g) for g in got)
        found = sum(bool(g) and g in r.translation for g, r in zip(got, rows, strict=True))
        agree = sum(bool(g) and g == r.alone for g, r in zip(got, rows, strict=True))
        print(f"| attention ({rule}) | {pct(nonempty, n)} | {pct(found, n)} | {pct(agree, n)} |")
    same = sum(r.same_output for r in rows)
    print(f"\nattention decode = engine translation: {pct(same, n)}")
    print(
        "\nexamples: source name (occurrences) -> alone | argmax | mass"
        " || first sentence's translation"
    )
    for r in rows[:12]:
        print(
            f"- `{r.case.name}` ({count[finder.key(r.case.name)]}) -> `{r.alone}` | "
            f"`{r.attention['argmax']}` | `{r.attention['mass']}` || {r.translation[:110]}"
        )


def report_times(label: str, t: dict[str, float], n_sentences: int, n_names: int) -> None:
    base = t["engine, all sentences"]
    print(f"\n#### times, {label}: {n_sentences} sentences, {n_names} names\n")
    print("| step | seconds | vs engine time |")
    print("| --- | --- | --- |")
    for step, seconds in t.items():
        print(f"| {step} | {seconds:.3f} | {100 * seconds / base:.1f} % |")
    off, on = t["raw decode, attention off"], t["raw decode, attention on"]
    print(f"\nattention on in the main decode: {100 * (on - off) / off:+.1f} % of the raw decode")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", type=Path, default=REPO / "tests/models/translate-ar_en-test.argosmodel"
    )
    ap.add_argument("--inputs", type=Path, nargs="+", default=[REPO / "input"])
    ap.add_argument("--sentences", type=int, default=300, help="synthetic sentences (set a)")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=5, help="timing repeats (the min is kept)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as tmp:
        settings = resolve_settings(
            {}, home=Path(tmp) / "home", threads=args.threads, beam_size=args.beam
        )
        install_package_file(settings, args.model)
        tr = open_translator(settings, "ar", "en")
        print(f"model {args.model.name}, beam {args.beam}, threads {args.threads}")

        synthetic = synthetic_cases(args.sentences, args.seed)
        report_synthetic(locate(tr, synthetic))

        paths = sorted(p for folder in args.inputs for p in folder.glob("*.txt"))
        cases, sentences, count = sample_cases(paths)
        finder = NameFinder(Glossary((), (), "none"))
        report_samples(locate(tr, cases), count, finder)

        t = timings(tr, [c.sentence for c in synthetic], synthetic, args.repeat)
        report_times(
            "set (a), every sentence a first occurrence", t, len(synthetic), len(synthetic)
        )
        t = timings(tr, sentences, cases, args.repeat)
        report_times(f"set (b), the {len(paths)} texts as one run", t, len(sentences), len(cases))


if __name__ == "__main__":
    main()
