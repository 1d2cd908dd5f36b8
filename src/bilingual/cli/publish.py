"""``bilingual publish``: reviewed briefings as the reader's editions and the day's digest."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from bilingual.cli._common import GLOSSARY_OPTION, app, console, handled, shown

_FORMATS = ("docx", "html", "pdf")


def _formats(value: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in items if v not in _FORMATS]
    if bad or not items:
        raise typer.BadParameter(
            f"{', '.join(bad) or 'nothing'} is not a format; use docx, pdf, html or a list "
            "such as docx,pdf",
            param_hint="--format",
        )
    return items


def _date(value: str | None) -> str:
    if value is None:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it YYYY-MM-DD", param_hint="--date"
        ) from None


def _space(paths: list[Path], memory: Path | None, glossary: Path | None) -> tuple[Any, str]:
    """The memory, glossary and desk the briefings belong to: as given (``--memory``,
    ``BILINGUAL_MEMORY``), else the project's (the briefings' project first, else the
    current folder's), else ``memory.sqlite`` beside the first briefing."""
    from dataclasses import replace

    from bilingual.config import MEMORY_FILE, resolve_desk, resolve_workspace
    from bilingual.project import find_project

    first = paths[0] if paths else Path.cwd()
    folder = first if first.is_dir() else first.parent
    project = find_project(folder) or find_project(Path.cwd())
    root = project.root if project is not None else Path.cwd()
    given = Path.cwd() / glossary if glossary is not None else None
    chosen = Path.cwd() / memory if memory is not None else None
    space = resolve_workspace(project=project, cwd=root, glossary=given, memory=chosen)
    named = chosen is not None or bool(os.environ.get("BILINGUAL_MEMORY"))
    if not named and (project is None or project.memory is None):
        space = replace(space, memory=folder / MEMORY_FILE)
    return space, resolve_desk(project=project)


@app.command()
def publish(  # long: one Annotated declaration per option; the body is short
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Briefing .json files, or folders of them (output/).",
            readable=False,
            metavar="BRIEFINGS",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the reader's editions.", readable=False)
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="LANG",
            help="The language to publish (default: en if a target, else the first).",
        ),
    ] = None,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="target|side-by-side",
            help="target: the translation alone; side-by-side: the Arabic beside it.",
        ),
    ] = "target",
    digest: Annotated[
        str | None,
        typer.Option(
            "--digest", help="Put every article in one document, NAME.docx...", metavar="NAME"
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option("--format", metavar="LIST", help="docx, pdf, html, or a list: docx,pdf,html."),
    ] = "docx",
    pdf_a: Annotated[bool, typer.Option("--pdf-a", help="Write PDF/A-2b.")] = False,
    allow_unreviewed: Annotated[
        bool,
        typer.Option(
            "--allow-unreviewed",
            help="Publish articles with sentences nobody reviewed, each marked for the reader.",
        ),
    ] = False,
    memory: Annotated[
        Path | None,
        typer.Option(
            "--memory", help="Translation memory (default: the briefings').", readable=False
        ),
    ] = None,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The digest's date, YYYY-MM-DD (default: today)."
        ),
    ] = None,
) -> None:
    """Write the reader's edition of reviewed briefings: the translation, clean, with
    its colophon. Refuses an article with sentences nobody reviewed (exit 1), unless
    --allow-unreviewed."""
    from bilingual.publish.run import PublishOptions, file_name_problem
    from bilingual.publish.run import publish as run

    if layout not in ("target", "side-by-side"):
        raise typer.BadParameter(
            f"{layout!r} is not a layout; use target or side-by-side", param_hint="--layout"
        )
    chosen = _formats(formats)
    day = _date(date)
    if digest is not None and (problem := file_name_problem(digest)) is not None:
        raise typer.BadParameter(f"{digest!r} cannot name a file: {problem}", param_hint="--digest")
    # options that would change nothing: said, not silently dropped
    if date is not None and digest is None:
        _warn("--date sets a digest's date; without --digest it changes nothing")
    if pdf_a and "pdf" not in chosen:
        _warn("--pdf-a applies to the PDF; add pdf to --format (it changes nothing here)")
    with handled():
        space, desk = _space(paths, memory, glossary)
        options = PublishOptions(
            paths=tuple(paths),
            out_dir=out,
            memory=space.memory,
            glossary_dir=space.glossary_dir,
            to=to,
            layout="side-by-side" if layout == "side-by-side" else "target",
            digest=digest,
            formats=chosen,
            pdf_a=pdf_a,
            allow_unreviewed=allow_unreviewed,
            desk=desk,
            date=day,
        )
        report = run(options)
    _summary(report)


def _warn(text: str) -> None:
    console(stderr=True).print(f"warning: {text}", markup=False)


def _summary(report: Any) -> None:
    out = console()
    for article, added in report.imported.items():
        out.print(
            f"{article}: {added} reviewed sentence(s) imported from its DOCX into "
            f"{shown(report.memory)}",
            markup=False,
        )
    for edition in report.editions:
        total = len(edition.sentences())
        machine = edition.unreviewed
        marked = f", {machine} unreviewed (marked)" if machine else ""
        out.print(
            f"{edition.article} ({edition.target_lang}): {total - machine} of {total} "
            f"sentence(s) reviewed or approved{marked}",
            markup=False,
        )
    for path in report.written:
        out.print(f"wrote {shown(path)}", markup=False)
