"""``bilingual export xliff`` and ``bilingual import xliff``: briefings to CAT tools and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilingual.cli._common import (
    EXIT_ERROR,
    MEMORY_OPTION,
    console,
    export_app,
    handled,
    import_app,
    print_error,
    shown,
    workspace,
)
from bilingual.cli.review import DryRun, WordDiff, report_and_store


@export_app.command("xliff")
def export_xliff(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="BRIEFING.json", help="Briefing JSON files.", readable=False),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the .xlf files.", readable=False)],
) -> None:
    """Write one XLIFF 2.1 file per article and target language.

    NAME.xlf (NAME.en.xlf and NAME.vi.xlf for two targets): a unit per paragraph and
    caption, a segment per sentence with its state from the memory, glossary terms
    marked, QA findings as notes.
    """
    from bilingual.consistency import is_consistency_report
    from bilingual.errors import BilingualError
    from bilingual.xliff import export_xliff as export

    failed = 0
    with handled():
        for file in files:
            if is_consistency_report(file):  # output/*.json holds the run's report too
                console(stderr=True).print(
                    f"notice: {shown(file)}: skipped (the run's "
                    "consistency report, not a briefing)",
                    markup=False,
                )
                continue
            try:
                written = export(file, out)
            except BilingualError as exc:
                print_error(exc.message)  # the other articles are still written
                failed += 1
                continue
            names = ", ".join(shown(p) for p in written)
            console().print(f"{shown(file)}: wrote {names}", markup=False)
    if failed:
        raise typer.Exit(EXIT_ERROR)


@import_app.command("xliff")
def import_xliff(
    files: Annotated[
        list[Path], typer.Argument(help="Translated or reviewed .xlf files.", readable=False)
    ],
    dry_run: DryRun = False,
    diff: WordDiff = False,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve", help="Store every translated sentence as approved, unchanged ones too."
        ),
    ] = False,
    briefings: Annotated[
        list[Path] | None,
        typer.Option(
            "--briefings",
            help="Folder holding the briefing JSON files (default: where the export found "
            "them, beside the .xlf, and the output folder).",
            readable=False,
        ),
    ] = None,
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
) -> None:
    """Bring a translated or reviewed XLIFF back into the memory.

    Each corrected or confirmed segment becomes a reviewed unit (state final: approved),
    matched by segment id against the briefing JSON; the report is review import's. The
    glossary is never changed: a replaced rendering is reported with the command that
    would update it.
    """
    from bilingual.errors import BilingualError
    from bilingual.xliff import read_xliff

    failed = 0
    with handled():
        space = workspace(memory=memory)
        folders = [*(briefings or []), space.out_dir]
        reviews = []
        for file in files:
            try:
                reviews += read_xliff(file, folders=folders, approve=approve)
            except BilingualError as exc:
                print_error(exc.message)
                failed += 1
        assert space.memory is not None
        report_and_store(reviews, space.memory, diff=diff, dry_run=dry_run)
    if failed:
        raise typer.Exit(EXIT_ERROR)
