"""Benchmark: import a 10,000-row CSV termbase into the glossary (target: under 5 s).

Writes a synthetic CSV (``ar,en,vi,note``; every row a distinct Arabic form and English
term, as a real termbase has them), then times, best of ``--repeat``:

* ``import (new file)``: ``import_termbase`` into an empty glossary folder, what
  ``bilingual glossary import FILE.csv`` does by default;
* ``import (--into)``: the same rows into an existing, commented glossary file of 20
  terms (the file's terms are read round-trip, the new ones appended);
* ``load + validate glossary``: reading the imported 10,000-term glossary back (what every
  ``translate`` and ``export`` does first; ruamel.yaml's round-trip loader, pure Python);
* ``export csv`` / ``export tbx``: the imported glossary written back out;
* ``import tbx``: the TBX export imported into an empty folder.

    python bench/termbase.py --rows 10000
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilingual.glossary import load_glossary
from bilingual.glossary.termbase import export_glossary, import_termbase, summary

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def _word(n: int, alphabet: str, length: int = 5) -> str:
    out = []
    for _ in range(length):
        n, k = divmod(n, len(alphabet))
        out.append(alphabet[k])
    return "".join(out)


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ar", "en", "vi", "note"])
        for n in range(rows):
            ar = f"{_word(n, _LETTERS)} {_word(n * 7 + 3, _LETTERS, 4)}"
            en = f"{_word(n, _LATIN)} {_word(n * 7 + 3, _LATIN, 4)}"
            writer.writerow([ar, en, f"thuật ngữ {en}", f"row {n}, from the benchmark"])


def existing_file(folder: Path) -> Path:
    lines = ["# A team glossary with comments", "version: 1", "terms:"]
    for n in range(20):
        lines += [
            f"  # term {n}",
            f"  - id: team-{n}",
            "    type: organization",
            f"    ar: [منظمة رقم {_word(n, _LETTERS, 3)}]",
            f"    en: Team organisation {n}",
        ]
    path = folder / "team.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def best(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    times: list[float] = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "termbase.csv"
        write_csv(source, args.rows)

        def fresh_import() -> object:
            folder = root / "new"
            shutil.rmtree(folder, ignore_errors=True)
            return import_termbase([source], folder=folder)

        def into_import() -> object:
            folder = root / "into"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            return import_termbase([source], folder=folder, into=existing_file(folder))

        rows: list[tuple[str, float, str]] = []
        seconds, report = best(args.repeat, fresh_import)
        rows.append(("import (new file)", seconds, str(summary(report))))  # type: ignore[arg-type]
        seconds, report = best(args.repeat, into_import)
        rows.append(("import (--into)", seconds, str(summary(report))))  # type: ignore[arg-type]
        start = time.perf_counter()
        glossary = load_glossary(root / "new")
        rows.append(
            (
                "load + validate glossary",
                time.perf_counter() - start,
                f"{len(glossary.terms)} terms",
            )
        )
        for suffix in ("csv", "tbx"):
            out = root / f"export.{suffix}"
            seconds, n = best(
                args.repeat,
                lambda out=out: export_glossary(glossary, out, fmt=None, description="bench"),
            )
            rows.append((f"export {suffix}", seconds, f"{n} terms, {out.stat().st_size:,} bytes"))

        def tbx_import() -> object:
            folder = root / "tbx"
            shutil.rmtree(folder, ignore_errors=True)
            return import_termbase([root / "export.tbx"], folder=folder)

        seconds, report = best(args.repeat, tbx_import)
        rows.append(("import tbx (the export)", seconds, str(summary(report))))  # type: ignore[arg-type]
    print(f"{args.rows} rows, best of {args.repeat}")
    print("| step | seconds | result |\n| --- | ---: | --- |")
    for name, seconds, what in rows:
        print(f"| {name} | {seconds:.2f} | {what} |")


if __name__ == "__main__":
    main()
