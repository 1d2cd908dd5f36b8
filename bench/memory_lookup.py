"""Benchmark: exact and similar (fuzzy) look-up in a memory of a million units.

Builds (once; cached in ``--cache``, default the system's temporary folder) a memory of
``--units`` reviewed units (default 1,000,000) whose Arabic sentences are drawn from a
word-bigram chain: the chain is learnt at bench time from the UNPC dev set's Arabic
lines in ``../shared`` when it is there (nothing of it is copied into the repository),
else from random letter strings. Then times, on ``--queries`` sentences (default 10,000:
half near-duplicates of stored units, one or two words changed, half new sentences):

* exact: ``TranslationMemory.lookup`` of the same sentences, and of as many stored ones
  (all hits) (target: under 1 s);
* similar: ``TranslationMemory.similar`` at ``--threshold`` (target: under 2 s), with its
  recall on the near-duplicates (the stored unit, or one at least as similar, found);
* ``--fts5 N``: for comparison, SQLite FTS5 with the trigram tokenizer over the same
  normalised sources (built once, cached beside the memory), ``N`` queries each an OR of
  the sentence's trigrams ranked by bm25; the time is per query and scaled to the batch.

    python bench/memory_lookup.py
    python bench/memory_lookup.py --units 100000 --fts5 100
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Indel

from bilingual.memory.similar import Wanted, normalized_words
from bilingual.memory.store import Query, TranslationMemory, Unit

REPO = Path(__file__).resolve().parents[1]
UNPC = REPO.parent / "shared" / "data" / "unpc-dev" / "UNv1.0.devset.ar"


def _chain(seed: int) -> dict[str, list[str]]:
    """Word -> the words seen after it ('' starts and ends a sentence)."""
    rnd = random.Random(seed)
    if UNPC.exists():
        lines = UNPC.read_text(encoding="utf-8").splitlines()
    else:
        letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
        vocab = ["".join(rnd.choices(letters, k=rnd.randint(2, 8))) for _ in range(20000)]
        lines = [" ".join(rnd.choices(vocab, k=rnd.randint(8, 30))) for _ in range(4000)]
    after: dict[str, list[str]] = {}
    for line in lines:
        words = ["", *line.split(), ""]
        for a, b in itertools.pairwise(words):
            after.setdefault(a, []).append(b)
    return after


def _sentence(rnd: random.Random, after: dict[str, list[str]]) -> str:
    words: list[str] = []
    word = rnd.choice(after[""])
    while word and len(words) < 40:
        words.append(word)
        word = rnd.choice(after.get(word, [""]))
    if len(words) < 6:  # short ones: add a second clause
        words += _sentence(rnd, after).split()
    return " ".join(words)


def build(path: Path, units: int, seed: int) -> list[str]:
    """The memory at ``path`` (made when missing) and its sources, in order."""
    rnd = random.Random(seed)
    after = _chain(seed)
    sources = [_sentence(rnd, after) for _ in range(units)]
    if path.exists():
        return sources
    part = path.with_suffix(".part")
    part.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with TranslationMemory(part) as memory, memory.transaction():
        # a large page cache for the one big transaction (a run adds a few hundred units)
        memory.db.execute("PRAGMA cache_size = -1000000")
        batch: list[Unit] = []
        for k, source in enumerate(sources):
            status = "approved" if k % 10 == 0 else "reviewed"
            batch.append(
                Unit("ar", source, "en", f"translation {k}", status, f"review:a{k // 20}.docx")
            )
            if len(batch) == 50_000:
                memory.add_units(batch)
                batch = []
        memory.add_units(batch)
    part.rename(path)
    print(f"built {units} units in {time.perf_counter() - t0:.0f} s: {path}", file=sys.stderr)
    return sources


def _queries(
    rnd: random.Random, sources: list[str], n: int, seed: int
) -> tuple[list[str], list[str]]:
    """``n`` sentences, even ones near-duplicates of stored units, and the units they
    were made from ('' for the new ones)."""
    after = _chain(seed + 1)
    vocab = [w for w in after if w]
    out: list[str] = []
    origins: list[str] = []
    for k in range(n):
        if k % 2:
            out.append(_sentence(rnd, after))
            origins.append("")
            continue
        origin = rnd.choice(sources)
        words = origin.split()
        for _ in range(rnd.randint(1, 2)):
            words[rnd.randrange(len(words))] = rnd.choice(vocab)
        out.append(" ".join(words))
        origins.append(origin)
    return out, origins


def _recall(texts: list[str], origins: list[str], found: list[Any], threshold: float) -> str:
    """Of the near-duplicates whose own unit scores at or above the threshold, how many
    were given it or one at least as similar."""
    eligible = hit = 0
    for text, origin, match in zip(texts, origins, found, strict=True):
        if not origin:
            continue
        a = [w for w, _ in normalized_words("ar", text)]
        b = [w for w, _ in normalized_words("ar", origin)]
        score = Indel.normalized_similarity(a, b)
        if score >= threshold:
            eligible += 1
            hit += match is not None and match.score >= score - 1e-9
    return f"{hit}/{eligible} ({hit / max(1, eligible):.1%})"


def fts5(path: Path, memory: Path, sample: list[str]) -> tuple[float, float]:
    """Seconds per query (wall, CPU) of an FTS5 trigram look-up (the index built once,
    cached)."""
    db = sqlite3.connect(path)
    if not db.execute("SELECT name FROM sqlite_master WHERE name = 'fts'").fetchone():
        t0 = time.perf_counter()
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(source, tokenize = 'trigram')")
        src = sqlite3.connect(memory)
        rows = src.execute("SELECT id, source FROM units ORDER BY id")
        db.executemany(
            "INSERT INTO fts (rowid, source) VALUES (?, ?)",
            ((i, " ".join(w for w, _ in normalized_words("ar", s))) for i, s in rows),
        )
        db.commit()
        print(f"built the FTS5 index in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t0, c0 = time.perf_counter(), time.process_time()
    for query in sample:
        text = " ".join(w for w, _ in normalized_words("ar", query))
        grams = sorted({text[i : i + 3] for i in range(len(text) - 2)})
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 4", (match,)
        ).fetchall()
    n = max(1, len(sample))
    seconds = ((time.perf_counter() - t0) / n, (time.process_time() - c0) / n)
    db.close()
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--threshold", type=float, default=0.75)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--fts5", type=int, default=0, help="FTS5 trigram queries to time (0: none)")
    args = ap.parse_args()
    path = args.cache / f"bilingual-lookup-{args.units}-{args.seed}.sqlite"
    sources = build(path, args.units, args.seed)
    rnd = random.Random(args.seed + 2)
    texts, origins = _queries(rnd, sources, args.queries, args.seed)
    with TranslationMemory(path) as memory:
        exact = [Query("ar", t, "en") for t in texts]
        memory.lookup(exact[:100])  # warm the page cache alike for both
        t0, c0 = time.perf_counter(), time.process_time()
        hits = memory.lookup(exact)
        t_exact, c_exact = time.perf_counter() - t0, time.process_time() - c0
        stored = [Query("ar", t, "en") for t in rnd.sample(sources, len(texts))]
        t0, c0 = time.perf_counter(), time.process_time()
        stored_hits = memory.lookup(stored)
        t_stored, c_stored = time.perf_counter() - t0, time.process_time() - c0
        wanted = [Wanted("ar", t, "en") for t in texts]
        t0, c0 = time.perf_counter(), time.process_time()
        found = memory.similar(wanted, args.threshold)
        t_similar, c_similar = time.perf_counter() - t0, time.process_time() - c0
    new = [f for k, f in enumerate(found) if k % 2]
    print(
        f"memory: {args.units} units ({path.stat().st_size / 2**20:.0f} MiB); {len(texts)} queries"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (shared)")
    print(
        f"exact look-up: {t_exact:.2f} s wall, {c_exact:.2f} s CPU "
        f"({sum(h is not None for h in hits)} hits); {len(stored)} stored sentences: "
        f"{t_stored:.2f} s wall, {c_stored:.2f} s CPU "
        f"({sum(h is not None for h in stored_hits)} hits)"
    )
    print(
        f"similar look-up: {t_similar:.2f} s wall, {c_similar:.2f} s CPU; near-duplicates "
        f"at or above the threshold found: {_recall(texts, origins, found, args.threshold)}; "
        f"new sentences with a match {sum(f is not None for f in new)}/{len(new)} "
        f"(threshold {args.threshold:.0%})"
    )
    if args.fts5:
        wall, cpu = fts5(path.with_suffix(".fts5"), path, texts[: args.fts5])
        print(
            f"FTS5 trigram: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU per query: "
            f"{cpu * len(texts):.0f} s of CPU for {len(texts)} (from {args.fts5} queries)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
