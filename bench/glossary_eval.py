"""Measure glossary matching on the UN Parallel Corpus dev set term subset.

Gold: each line of ``unpc_term_subset.devset.ar-en.jsonl`` lists the UN term ids present
in both its Arabic and its English side. ``bench/unpc-glossary/unpc_terms.yaml`` gives
Arabic forms for those 25 ids (glossary ids are the jsonl ids in lowercase);
:class:`bilingual.glossary.TermMatcher` runs on every Arabic line, and

* recall    = annotated (line, id) pairs found / annotated pairs
* precision = found (line, id) pairs that are annotated / found pairs

Glossary terms outside the 25 ids (a longer name that must win over one of them) are
matched like any other but not counted.

A second view runs over all 4,000 dev lines and counts a found (line, id) as right when
the English reference matches the term's ``en_regex`` (case-insensitive): this checks the
extra matches against the translation instead of against the annotation.

Run from the repository root::

    .venv/bin/python bench/glossary_eval.py            # numbers
    .venv/bin/python bench/glossary_eval.py --show 40  # and the misses / extras
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bilingual.glossary import TermMatcher, load_glossary

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "unpc-dev"


def _load_matcher(glossary_file: Path) -> TermMatcher:
    # load_glossary reads a folder: give it one holding just this file
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(glossary_file, Path(tmp) / glossary_file.name)
        return TermMatcher(load_glossary(Path(tmp)))


def _pct(num: int, den: int) -> str:
    return f"{num / den:.4f} ({num}/{den})" if den else "n/a (0/0)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the unpc-dev folder")
    parser.add_argument(
        "--glossary", type=Path, default=REPO / "bench" / "unpc-glossary" / "unpc_terms.yaml"
    )
    parser.add_argument("--show", type=int, default=0, help="list this many misses and extras")
    args = parser.parse_args(argv)

    subset = args.data / "unpc_term_subset.devset.ar-en.jsonl"
    if not subset.is_file():
        print(f"{subset} is absent: the UNPC dev data lives in ../shared beside the repo")
        return 2
    matcher = _load_matcher(args.glossary)
    rows = [json.loads(line) for line in subset.read_text(encoding="utf-8").splitlines() if line]
    regex: dict[str, re.Pattern[str]] = {}
    for row in rows:
        for t in row["terms"]:
            regex[t["id"].lower()] = re.compile(t["en_regex"], re.IGNORECASE)

    gold: set[tuple[int, str]] = set()
    found: set[tuple[int, str]] = set()
    text_of: dict[int, str] = {}
    for row in rows:
        n = row["line_no"]
        text_of[n] = row["ar"]
        gold |= {(n, t["id"].lower()) for t in row["terms"]}
        found |= {(n, m.term_id) for m in matcher.find(row["ar"]) if m.term_id in regex}
    hits = gold & found
    misses = sorted(gold - found)
    extras = sorted(found - gold)
    print(f"UNPC term subset: {len(rows)} lines, {len(gold)} annotated (line, id) pairs")
    print(f"  recall    {_pct(len(hits), len(gold))}")
    print(f"  precision {_pct(len(hits), len(found))}")
    per_id: dict[str, list[int]] = {}
    for _, tid in gold:
        per_id.setdefault(tid, [0, 0])[0] += 1
    for _, tid in hits:
        per_id[tid][1] += 1
    weak = {tid: v for tid, v in per_id.items() if v[1] < v[0]}
    if weak:
        print(
            "  ids with misses: " + ", ".join(f"{t} {h}/{g}" for t, (g, h) in sorted(weak.items()))
        )

    # second view: every dev line, extras judged by the English reference
    ar_lines = (args.data / "UNv1.0.devset.ar").read_text(encoding="utf-8").split("\n")
    en_lines = (args.data / "UNv1.0.devset.en").read_text(encoding="utf-8").split("\n")
    all_found = 0
    supported = 0
    unsupported: list[tuple[int, str]] = []
    for n, (ar, en) in enumerate(zip(ar_lines, en_lines, strict=False), start=1):
        ids = {m.term_id for m in matcher.find(ar)}
        for tid in sorted(ids):
            if tid not in regex:
                continue
            all_found += 1
            if regex[tid].search(en):
                supported += 1
            else:
                unsupported.append((n, tid))
    print(f"All {len(ar_lines)} dev lines, a match counted right when the English has the term:")
    print(f"  precision {_pct(supported, all_found)}")
    extras_supported = sum(1 for n, tid in extras if regex[tid].search(en_lines[n - 1]))
    print(
        f"  of the {len(extras)} extras on the subset, {extras_supported} have the term in the "
        "English reference too (missed by the annotation)"
    )
    print(
        "  subset precision counting those as right: "
        + _pct(len(hits) + extras_supported, len(found))
    )

    if args.show:
        print("\nmisses (annotated, not found):")
        for n, tid in misses[: args.show]:
            print(f"  {n} {tid}: {text_of[n][:160]}")
        print("\nextras (found, not annotated):")
        for n, tid in extras[: args.show]:
            ms = [
                text_of[n][m.word_start : m.end]
                for m in matcher.find(text_of[n])
                if m.term_id == tid
            ]
            print(f"  {n} {tid} {ms}: EN {en_lines[n - 1][:140]}")
        print("\nall-lines matches whose English lacks the term:")
        for n, tid in unsupported[: args.show]:
            ms = [
                ar_lines[n - 1][m.word_start : m.end]
                for m in matcher.find(ar_lines[n - 1])
                if m.term_id == tid
            ]
            print(f"  {n} {tid} {ms}: EN {en_lines[n - 1][:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
