"""Benchmark: the translation memory's look-up, TMX import and TMX export at scale.

(a) look-up: ``--queries`` sentences (default 10,000; 80% stored, with their neighbours,
    20% not) in a memory of ``--units`` synthetic Arabic-like units (default 1,000,000,
    built in one transaction, not timed); only ``TranslationMemory.lookup`` is timed.
    Target: under 1 s.
(b) TMX import of ``--tmx-units`` units (default 100,000): a TMX written beforehand by
    plain streaming writes (regional tags ar-SA / en-US, OmegaT-style context props),
    imported into a fresh memory in a child process. Target: under 30 s.
(c) TMX export of the same units, from the memory (b) filled, in a child process too.

(b) and (c) report the child's peak RSS (``VmHWM`` of /proc/self/status: ``ru_maxrss``
survives fork + exec, so a child would report this process's own peak after building
the large memory). Nothing reads ``../shared``; everything is generated from ``--seed``.

    python bench/memory.py
    python bench/memory.py --units 100000 --keep --workdir /tmp/bilingual-memory-bench
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bilingual.memory.store import Query, TranslationMemory, Unit

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى"
_MARKS = "\u064e\u064f\u0650\u0651\u0652"  # fatha, damma, kasra, shadda, sukun
_ARTICLE = 20  # sentences per synthetic article: prev / next run within one

_CHILD = """
import json, sys, time
from pathlib import Path
from bilingual.memory.store import TranslationMemory
from bilingual.memory.tmx import export_tmx, import_tmx
def peak_kib():
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except OSError:  # not Linux: ru_maxrss (KiB on Linux, bytes on macOS), inherited peak
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mode, db, tmx = sys.argv[1:4]
with TranslationMemory(Path(db)) as memory:
    base = peak_kib()
    start = time.perf_counter()
    if mode == "import":
        count = import_tmx(memory, Path(tmx)).added
    else:
        count = export_tmx(memory, Path(tmx), version="bench")
    seconds = time.perf_counter() - start
print(json.dumps({"count": count, "seconds": seconds, "base_kib": base, "peak_kib": peak_kib()}))
"""


@dataclass(frozen=True)
class Row:
    what: str
    seconds: float
    peak_mb: float | None
    target_s: float | None
    note: str

    def markdown(self) -> str:
        peak = "" if self.peak_mb is None else f"{self.peak_mb:.0f}"
        target = "" if self.target_s is None else f"< {self.target_s:.0f} s"
        met = "" if self.target_s is None else "yes" if self.seconds < self.target_s else "**no**"
        return f"| {self.what} | {self.seconds:.2f} | {peak} | {target} | {met} | {self.note} |"


class Corpus:
    """Synthetic Arabic-like sentences and English-like translations from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = [self._word() for _ in range(4000)]
        self.english = [
            "".join(self.rng.choices("abcdefghilmnoprstuvw", k=self.rng.randint(2, 9)))
            for _ in range(3000)
        ]

    def _word(self) -> str:
        word = "".join(self.rng.choices(_LETTERS, k=self.rng.randint(2, 6)))
        if self.rng.random() < 0.3:
            word = "ال" + word
        if self.rng.random() < 0.2:  # some diacritics, which matching ignores
            k = self.rng.randrange(len(word))
            word = word[: k + 1] + self.rng.choice(_MARKS) + word[k + 1 :]
        return word

    def sentence(self, n: int) -> str:
        words = self.rng.choices(self.words, k=self.rng.randint(8, 28))
        return " ".join(words) + f" {n}."

    def translation(self, n: int) -> str:
        words = self.rng.choices(self.english, k=self.rng.randint(8, 30))
        return " ".join(words).capitalize() + f" {n}."


def lookup_memory(corpus: Corpus, n: int, hits: int) -> Iterator[tuple[Unit, bool]]:
    """``n`` units in articles of 20 sentences; ``True`` marks about ``hits`` to query."""
    chosen = set(corpus.rng.sample(range(n), min(hits, n)))
    for start in range(0, n, _ARTICLE):
        sources = [corpus.sentence(k) for k in range(start, min(start + _ARTICLE, n))]
        for offset, source in enumerate(sources):
            k = start + offset
            yield (
                Unit(
                    "ar", source, "en" if k % 10 else "vi", corpus.translation(k),
                    status="approved" if k % 7 == 0 else "reviewed",
                    origin="review:bench.docx", article=f"article-{start // _ARTICLE}",
                    prev=sources[offset - 1] if offset else "",
                    next=sources[offset + 1] if offset + 1 < len(sources) else "",
                    created_by="bench",
                ),
                k in chosen,
            )  # fmt: skip


def bench_lookup(work: Path, units: int, queries: int, corpus: Corpus) -> Row:
    path = work / f"lookup-{units}.sqlite"
    hits = queries * 4 // 5
    wanted: list[Query] = []
    build = 0.0
    with TranslationMemory(path) as memory:
        stored = int(memory.db.execute("SELECT count(*) FROM units").fetchone()[0])
        if stored != units:  # a kept work dir with the right memory is reused
            memory.db.execute("DELETE FROM units")
        t0 = time.perf_counter()

        def units_and_queries() -> Iterator[Unit]:
            for unit, query in lookup_memory(corpus, units, hits):
                if query:
                    q = Query("ar", unit.source, unit.target_lang, prev=unit.prev, next=unit.next)
                    wanted.append(q)
                if stored != units:
                    yield unit

        with memory.transaction():
            memory.add_units(units_and_queries())
        build = time.perf_counter() - t0
        misses = [Query("ar", corpus.sentence(-k), "en") for k in range(queries - len(wanted))]
        batch = wanted + misses
        corpus.rng.shuffle(batch)
        t0 = time.perf_counter()
        found = memory.lookup(batch)
        seconds = time.perf_counter() - t0
    hit_count = sum(hit is not None for hit in found)
    context = sum(hit is not None and hit.context for hit in found)
    built = f"built in {build:.0f} s" if stored != units else "reused"
    return Row(
        f"look-up of {len(batch):,} sentences in {units:,} units",
        seconds,
        None,
        1.0,
        f"{hit_count:,} found, {context:,} with context; memory {built}, "
        f"{path.stat().st_size / 2**20:.0f} MB",
    )


def write_tmx(path: Path, corpus: Corpus, n: int) -> None:
    """A TMX of ``n`` TUs by plain streaming writes, as another tool would write it."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        fh.write('<header creationtool="bench" creationtoolversion="1" segtype="sentence" ')
        fh.write('o-tmf="bench" adminlang="en" datatype="plaintext" srclang="ar-SA"/>\n<body>\n')
        prev = ""
        source = corpus.sentence(0)
        for k in range(n):
            following = corpus.sentence(k + 1) if k + 1 < n else ""
            props = f'<prop type="prev">{prev}</prop>' if prev else ""
            props += f'<prop type="next">{following}</prop>' if following else ""
            fh.write(
                f'<tu tuid="{k}" creationdate="20261201T211108Z" creationid="bench">{props}'
                f'<tuv xml:lang="ar-SA"><seg>{source}</seg></tuv>'
                f'<tuv xml:lang="en-US"><seg>{corpus.translation(k)}</seg></tuv></tu>\n'
            )
            prev, source = source, following
        fh.write("</body>\n</tmx>\n")


def child(mode: str, db: Path, tmx: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(db), str(tmx)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def bench_tmx(work: Path, n: int, corpus: Corpus) -> list[Row]:
    source = work / f"import-{n}.tmx"
    t0 = time.perf_counter()
    write_tmx(source, corpus, n)
    generated = time.perf_counter() - t0
    db = work / f"tmx-{n}.sqlite"
    for stale in work.glob(f"{db.name}*"):
        stale.unlink()
    imported = child("import", db, source)
    exported = child("export", db, work / f"export-{n}.tmx")
    size = source.stat().st_size / 2**20
    out_size = (work / f"export-{n}.tmx").stat().st_size / 2**20
    return [
        Row(
            f"TMX import of {n:,} units ({size:.0f} MB)",
            imported["seconds"],
            imported["peak_kib"] / 1024,
            30.0,
            f"{int(imported['count']):,} added; file generated in {generated:.0f} s",
        ),
        Row(
            f"TMX export of {n:,} units ({out_size:.0f} MB)",
            exported["seconds"],
            exported["peak_kib"] / 1024,
            None,
            f"{int(exported['count']):,} written",
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--units", type=int, default=1_000_000, help="units of the look-up memory")
    ap.add_argument("--queries", type=int, default=10_000, help="sentences looked up")
    ap.add_argument("--tmx-units", type=int, default=100_000, help="units imported / exported")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated: lookup, tmx")
    ap.add_argument("--workdir", type=Path, help="work folder (default: a temporary one)")
    ap.add_argument(
        "--keep",
        action="store_true",
        help="keep the work folder; a later run with the same --workdir and --units reuses "
        "its look-up memory",
    )
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bilingual-memory-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    try:
        if "lookup" not in skip:
            rows.append(bench_lookup(work, args.units, args.queries, Corpus(args.seed)))
        if "tmx" not in skip:
            rows.extend(bench_tmx(work, args.tmx_units, Corpus(args.seed + 1)))
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print("| benchmark | seconds | peak RSS MB | target | met | notes |")
    print("| --- | ---: | ---: | ---: | :---: | --- |")
    for row in rows:
        print(row.markdown())


if __name__ == "__main__":
    main()
