"""``bilingual memory``: what the translation memory holds, TMX export and import, and its
management (search, show, edit, retire, imports, retract: see :mod:`bilingual.memory.manage`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilingual.cli._common import MEMORY_OPTION, console, handled, memory_app, workspace


@memory_app.command("stats")
def memory_stats(memory: Annotated[Path | None, MEMORY_OPTION] = None) -> None:
    """Units per target language, status and origin; cache entries; file size."""
    from rich.table import Table

    from bilingual.memory.store import TranslationMemory

    with handled():
        path = workspace(memory=memory).memory
        assert path is not None
        with TranslationMemory(path, create=False) as tm:
            stats = tm.stats()
        out = console()
        # the path above the table, wrapped after a "/": as the table's title it would
        # run past the width, a title is never broken
        out.print(f"translation memory {path}", markup=False)
        table = Table()
        for col in ("target", "status", "origin", "units"):
            table.add_column(col, justify="right" if col == "units" else "left")
        for (lang, status, origin), n in stats.units.items():
            table.add_row(lang, status, origin, str(n))
        table.add_section()
        table.add_row("all", "", "", str(sum(stats.units.values())))
        out.print(table)
        out.print(
            f"machine cache: {stats.cache_entries} entries; dismissed findings: "
            f"{stats.dismissed}; schema {stats.schema}; {stats.size_bytes / 1e6:.1f} MB",
            markup=False,
        )
        if stats.retired:
            out.print(
                f"retired: {stats.retired} unit(s), kept but never recalled or exported "
                "(not counted above)",
                markup=False,
            )


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(help="TMX file to write.", readable=False)],
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Write every unit as TMX 1.4b (status, context and notes as props), for CAT tools."""
    from bilingual import __version__
    from bilingual.memory.store import TranslationMemory
    from bilingual.memory.tmx import export_tmx

    with handled():
        path = workspace(memory=memory).memory
        assert path is not None
        with TranslationMemory(path, create=False) as tm:
            n = export_tmx(tm, file, version=__version__)
        console().print(f"wrote {n} unit(s) to {file}", markup=False)


@memory_app.command("import")
def memory_import(
    file: Annotated[
        Path, typer.Argument(help="TMX file from a CAT tool (any TMX 1.x).", readable=False)
    ],
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Add a TMX's units (language tags such as ar-SA and en-US matched) in one transaction."""
    from bilingual.memory.store import TranslationMemory
    from bilingual.memory.tmx import import_tmx

    with handled():
        path = workspace(memory=memory).memory
        assert path is not None
        with TranslationMemory(path) as tm:
            report = import_tmx(tm, file)
        out = console()
        out.print(
            f"{file}: {report.tus} translation unit(s) read as {report.source_lang}; "
            f"{report.added} new unit(s) in {path}, {report.already_present} already there",
            markup=False,
        )
        if report.skipped_language:
            out.print(
                f"  skipped {report.skipped_language} TU(s) without {report.source_lang} and a "
                f"known target language (they held: {', '.join(report.languages)})",
                markup=False,
            )
        if report.skipped_empty:
            out.print(f"  skipped {report.skipped_empty} empty TU(s)", markup=False)
