"""Time glossary matching: 1 MB of Arabic against a 10,000-term glossary.

The glossary is synthetic and fixed by a seed: 8,000 terms of Arabic-like words (one to
four words, some with the article) and 2,000 terms cut from the text itself (two to four
word phrases), so that ``find`` has real hits to resolve, not only misses. The text is the
UNPC dev-set Arabic side repeated to 1 MB of UTF-8 (a fixed Arabic filler when ../shared
is absent). Times are the best of 3 runs.

Run from the repository root::

    .venv/bin/python bench/glossary_match.py
    .venv/bin/python bench/glossary_match.py --yaml   # also time load_glossary on 10,000 terms
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilingual.glossary import Glossary, Term, TermMatcher, form_key, load_glossary
from bilingual.lang.ar import normalize_arabic

REPO = Path(__file__).resolve().parents[1]
UNPC_AR = REPO.parent / "shared" / "data" / "unpc-dev" / "UNv1.0.devset.ar"
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآىئؤ"
FILLER = "وقال الأمين العام إن مجلس الأمن سيعقد جلسة بشأن حقوق الإنسان في الدول الأعضاء. "


def make_text(size: int = 1_000_000) -> str:
    base = UNPC_AR.read_text(encoding="utf-8") if UNPC_AR.is_file() else FILLER * 100
    out: list[str] = []
    total = 0
    while total < size:
        out.append(base)
        total += len(base.encode("utf-8"))
    text = "".join(out)
    # trim to exactly `size` bytes of UTF-8 (on a character boundary)
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def make_glossary(text: str, n_terms: int = 10_000, from_text: int = 2_000) -> Glossary:
    rng = random.Random(20251025)
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    terms: list[Term] = []

    def add(form: str) -> None:
        key = form_key(form)
        if not key[0] or key in seen:
            return
        seen.add(key)
        n = len(terms)
        terms.append(Term(f"t{n:05d}", "term", (form,), {"en": f"term {n}"}, None, Path("-"), n))

    words = text.split()
    while len(terms) < from_text:
        i = rng.randrange(len(words) - 4)
        add(" ".join(words[i : i + rng.randint(2, 4)]).strip(".,;:()،؛"))
    while len(terms) < n_terms:
        parts = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8)))
            parts.append(("ال" + word) if rng.random() < 0.4 else word)
        add(" ".join(parts))
    return Glossary(tuple(terms), (), "bench")


def best_of(runs: int, fn: Callable[[], object]) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yaml", action="store_true", help="also time load_glossary")
    args = parser.parse_args(argv)

    # the first normalisation builds the character tables once per process
    t0 = time.perf_counter()
    normalize_arabic("")
    t_tables = time.perf_counter() - t0
    text = make_text()
    glossary = make_glossary(text)
    print(
        f"text: {len(text.encode('utf-8')):,} bytes, {len(text):,} characters; "
        f"glossary: {len(glossary.terms):,} terms"
    )
    print(f"normalisation tables (once per process): {t_tables:.3f} s")
    t_init, matcher = best_of(3, lambda: TermMatcher(glossary))
    assert isinstance(matcher, TermMatcher)
    t_find, matches = best_of(3, lambda: matcher.find(text))
    assert isinstance(matches, tuple)
    print(f"TermMatcher.__init__: {t_init:.3f} s (best of 3)")
    print(f"TermMatcher.find:     {t_find:.3f} s (best of 3), {len(matches):,} matches")
    print(f"init + find:          {t_init + t_find:.3f} s")

    if args.yaml:
        with tempfile.TemporaryDirectory() as tmp:
            lines = ["version: 1", "terms:"]
            for t in glossary.terms:
                lines += [
                    f"  - id: {t.id}",
                    f"    ar: [{json.dumps(t.forms[0], ensure_ascii=False)}]",
                    f"    en: {t.renderings['en']}",
                ]
            (Path(tmp) / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            t_load, loaded = best_of(1, lambda: load_glossary(Path(tmp)))
            assert isinstance(loaded, Glossary)
            print(f"load_glossary (10,000 terms, one run): {t_load:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
