"""``bilingual init`` and ``bilingual translate``: the project and the run, with its summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilingual.cli._common import (
    EXIT_ERROR,
    EXIT_STRICT,
    RichProgress_,
    app,
    console,
    handled,
    settings,
    shown,
    workspace,
)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Project folder (created if missing).")] = Path(
        "."
    ),
    to: Annotated[str, typer.Option("--to", help="Target languages: en, or en,vi.")] = "en",
) -> None:
    """Make FOLDER a project: a bilingual.toml with its glossary/ and output/ beside it."""
    from bilingual.errors import ConfigError
    from bilingual.pipeline import parse_targets
    from bilingual.project import init_project

    try:
        targets = parse_targets(to)
    except ConfigError as exc:
        raise typer.BadParameter(exc.message, param_hint="--to") from None
    with handled():
        file = init_project(folder, targets)
        out = console()
        out.print(f"wrote {file}", markup=False)
        out.print(
            "put glossary YAML files in glossary/, then run: bilingual translate ARTICLES...",
            markup=False,
        )


@app.command()
def translate(  # long: one Annotated declaration per option; the body is short
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (.txt, .md) or folders of them.")
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Target languages: en, or en,vi (default: the project's, else en)."
        ),
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option(
            "--glossary",
            help="Glossary folder (default: the project's, else glossary/ when present).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: the project's, else output/)."),
    ] = None,
    memory: Annotated[
        Path | None,
        typer.Option(
            "--memory",
            help="Translation memory file (default: the project's, else memory.sqlite in the "
            "output folder).",
        ),
    ] = None,
    no_memory: Annotated[
        bool,
        typer.Option(
            "--no-memory",
            help="Translate every sentence with the model; use and record nothing in the memory.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 3 when a term was forced or an error flag raised."),
    ] = False,
    natural_first: Annotated[
        bool,
        typer.Option(
            "--natural-first", help="Try the model's own rendering of terms before injecting them."
        ),
    ] = False,
    threads: Annotated[
        int | None, typer.Option(help="CPU threads (env BILINGUAL_THREADS).")
    ] = None,
    beam_size: Annotated[
        int | None, typer.Option(help="Beam size (env BILINGUAL_BEAM_SIZE).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Translate every article into a side-by-side DOCX briefing and a JSON file.

    A briefing about to be replaced is read first: the reviewer's corrections in it go
    into the translation memory and come back, marked reviewed, in the new briefing.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bilingual.errors import ConfigError
    from bilingual.pipeline import RunOptions, parse_targets, translate_articles

    with handled():
        space = workspace(
            glossary=glossary, out=out, targets=to, memory=memory, use_memory=not no_memory
        )
    try:
        targets = parse_targets(",".join(space.targets))
    except ConfigError as exc:
        raise typer.BadParameter(exc.message, param_hint="--to") from None
    with handled():
        options = RunOptions(
            paths=tuple(paths),
            targets=targets,
            glossary_dir=space.glossary_dir,
            out_dir=space.out_dir,
            natural_first=natural_first,
            memory=space.memory,
        )
        run_settings = settings(threads=threads, beam_size=beam_size)
        err = console(stderr=True)
        _print_setup(space)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=False,
        ) as bar:
            report = translate_articles(options, run_settings, RichProgress_(bar))
        _print_report(report)
        if report.failed:
            raise typer.Exit(EXIT_ERROR)
        if strict and (report.terms_forced or report.error_flags):
            err.print(
                f"--strict: {report.terms_forced} forced term(s), "
                f"{report.error_flags} error flag(s); see the QA section of each briefing"
            )
            raise typer.Exit(EXIT_STRICT)


def _print_setup(space: Any) -> None:
    """Say which project, glossary and memory the run uses (stderr, before the run)."""
    err = console(stderr=True)
    where = (
        f"project {space.project.file}"
        if space.project
        else "no project (bilingual init makes one)"
    )
    if space.glossary_dir is None:
        glossary = "no glossary (no glossary/ folder here; give --glossary)"
    else:
        glossary = f"glossary {space.glossary_dir} (from {space.glossary_from})"
    memory = f"memory {space.memory}" if space.memory else "no memory (--no-memory)"
    err.print(f"{where}; {glossary}; {memory}", markup=False)


def _print_report(report: Any) -> None:
    from rich.table import Table

    out = console()
    table = Table(title="bilingual translate", show_lines=False)
    columns = (
        "article",
        "paragraphs",
        "sentences",
        "from memory",
        "terms locked",
        "terms forced",
        "flags",
        "output",
    )
    for col in columns:
        table.add_column(col, justify="right" if col not in ("article", "output") else "left")
    for a in report.articles:
        if a.error:
            table.add_row(a.name, "-", "-", "-", "-", "-", "-", "[red]failed[/]")
        else:
            table.add_row(
                a.name,
                str(a.paragraphs),
                str(a.sentences),
                str(a.from_memory),
                str(a.terms_locked),
                str(a.terms_forced),
                str(a.flags),
                shown(a.docx) if a.docx else "",
            )
    ok = [a for a in report.articles if not a.error]
    table.add_section()
    table.add_row(
        f"{len(ok)} article(s)",
        str(sum(a.paragraphs for a in ok)),
        str(sum(a.sentences for a in ok)),
        str(sum(a.from_memory for a in ok)),
        str(sum(a.terms_locked for a in ok)),
        str(sum(a.terms_forced for a in ok)),
        str(sum(a.flags for a in ok)),
        f"{report.seconds:.1f} s ({report.model_seconds:.1f} s in the model)",
    )
    for a in ok:
        if a.imported:
            out.print(
                f"imported {a.imported} reviewed sentence(s) from {shown(a.docx)}", markup=False
            )
    out.print(table)
    updates = sum(a.term_updates for a in ok)
    out.print(
        f"model: {report.model_sentences} input(s) in {report.model_calls} call(s); "
        f"cache: {report.cached_sentences}; from memory: {sum(a.from_memory for a in ok)} "
        f"rendering(s); term updates to reviewed text: {updates}",
        markup=False,
    )
    out.print(f"signature: {report.signature}", markup=False)
    if report.unmatched_terms:
        out.print(
            f"glossary terms found in no article ({len(report.unmatched_terms)}): "
            + ", ".join(report.unmatched_terms),
            markup=False,
        )
    err = console(stderr=True)
    for a in report.failed:
        err.print(f"[bold red]error:[/] {a.error}", markup=False)
