"""Time ``memory search`` on a synthetic memory of 100,000 units (one TMX-like import).

The units are Arabic sentences of 6 to 25 words drawn from a fixed list (seeded), each
ending in its number, with an English "translation" of the same words. Searches: a phrase
found often (stops at the limit), a phrase found nowhere (a full scan: the worst case),
a number found once (a full scan too), and a word with ``--limit 1000``. Times are the
best of 3 runs, in the process (the command line adds its start-up).

Run from the repository root::

    .venv/bin/python bench/memory_search.py                  # builds /tmp/bench-memory.sqlite once
    .venv/bin/python bench/memory_search.py --units 1000000 --memory /tmp/big.sqlite
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from bilingual.memory.manage import search
from bilingual.memory.store import TranslationMemory, Unit

AR = [
    "الوزير",
    "الرئيس",
    "الاجتماع",
    "المؤتمر",
    "الدولي",
    "التعاون",
    "مكافحة",
    "الجرائم",
    "الإلكترونية",
    "صباح",
    "الثلاثاء",
    "العاصمة",
    "الحكومة",
    "البرلمان",
    "الاقتصاد",
]
EN = [
    "minister",
    "president",
    "meeting",
    "conference",
    "international",
    "cooperation",
    "fight",
    "crime",
    "cyber",
    "morning",
    "tuesday",
    "capital",
    "government",
    "parliament",
    "economy",
]


def build(path: Path, count: int) -> float:
    rnd = random.Random(1)
    units = []
    for k in range(count):
        idx = [rnd.randrange(len(AR)) for _ in range(rnd.randint(6, 25))]
        source = "و" + " ".join(AR[i] for i in idx) + f" {k}."
        target = " ".join(EN[i] for i in idx).capitalize() + f" {k}."
        units.append(Unit("ar", source, "en", target, article=f"a{k // 30}"))
    start = time.perf_counter()
    with TranslationMemory(path) as tm, tm.transaction():
        tm.add_import("tmx", "bench.tmx", units, who="bench")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--memory", type=Path, default=Path("/tmp/bench-memory.sqlite"))
    args = parser.parse_args()
    if not args.memory.exists():
        print(f"built {args.units:,} units in {build(args.memory, args.units):.1f} s")
    searches = [
        ("الرئيس الدولي", 20),
        ("president international", 20),
        ("absent phrase", 20),
        (f"{args.units - 1}.", 20),
        ("الرئيس", 1000),
    ]
    with TranslationMemory(args.memory) as tm:
        print(f"{tm.stats().units} in {args.memory} ({args.memory.stat().st_size / 1e6:.0f} MB)")
        for text, limit in searches:
            best, hits = float("inf"), 0
            for _ in range(3):
                start = time.perf_counter()
                hits = len(search(tm, text, limit=limit))
                best = min(best, time.perf_counter() - start)
            print(f"search {text!r} --limit {limit}: {hits} hit(s), {best * 1000:.0f} ms")


if __name__ == "__main__":
    main()
