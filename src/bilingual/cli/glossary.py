"""``bilingual glossary``: check, suggest, add and set terms in the glossary files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilingual.cli._common import EXIT_ERROR, console, glossary_app, handled, workspace


def _folder(given: Path | None) -> Path:
    """The glossary folder: the argument, else the project's (or glossary/)."""
    if given is not None:
        return given
    found = workspace().glossary_dir
    return found if found is not None else Path("glossary")


@glossary_app.command("check")
def glossary_check(
    folder: Annotated[
        Path | None, typer.Argument(help="Glossary folder (default: the project's).")
    ] = None,
) -> None:
    """Validate every YAML file; print term counts per type, or file:line errors."""
    from bilingual.glossary import check_glossary, count_by_type

    with handled():
        folder = _folder(folder)
        glossary, problems = check_glossary(folder)
        if problems:
            err = console(stderr=True)
            for problem in problems:
                err.print(problem, markup=False)
            err.print(f"{len(problems)} problem(s) in {folder}", markup=False)
            raise typer.Exit(EXIT_ERROR)
        assert glossary is not None
        out = console()
        counts = count_by_type(glossary)
        for kind, n in sorted(counts.items()):
            out.print(f"{kind:<14}{n:>5}", markup=False)
        out.print(
            f"{'total':<14}{len(glossary.terms):>5}  in {len(glossary.files)} file(s), "
            f"signature {glossary.signature}",
            markup=False,
        )


@glossary_app.command("suggest")
def glossary_suggest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    glossary: Annotated[
        Path | None, typer.Option("--glossary", help="Glossary folder (default: the project's).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many suggestions.")] = 50,
) -> None:
    """List names and terms the glossary does not cover, as YAML stubs ready to paste."""
    from bilingual.glossary import Glossary, load_glossary, suggest_terms, suggestions_to_yaml
    from bilingual.ingest import discover, read_article

    with handled():
        glossary = _folder(glossary)
        gl = load_glossary(glossary) if glossary.is_dir() else Glossary((), (), "none")
        texts: list[str] = []
        for path in discover(paths):
            article = read_article(path)
            texts.extend(p.text for p in article.paragraphs)
            texts.extend(c.text for c in article.captions)
        suggestions = suggest_terms(texts, gl)[:limit]
        typer.echo(suggestions_to_yaml(suggestions, glossary=gl), nl=False)


@glossary_app.command("add")
def glossary_add(
    term_id: Annotated[str, typer.Option("--id", help="Unique id: [a-z0-9_-]+.")],
    ar: Annotated[
        list[str],
        typer.Option("--ar", help="Arabic form (repeat for variants; first is canonical)."),
    ],
    en: Annotated[str, typer.Option("--en", help="Exact English rendering.")],
    type_: Annotated[
        str, typer.Option("--type", help="person|organization|place|instrument|event|title|term")
    ] = "term",
    vi: Annotated[str | None, typer.Option("--vi", help="Exact Vietnamese rendering.")] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Where the rendering comes from.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Glossary file to add to (default: terms.yaml in the glossary)."
        ),
    ] = None,
) -> None:
    """Add a term to a glossary file, keeping the file's comments and order."""
    from bilingual.glossary import add_term

    term: dict[str, object] = {
        "id": term_id,
        "type": type_,
        "ar": ar if len(ar) > 1 else ar[0],
        "en": en,
    }
    if vi:
        term["vi"] = vi
    if note:
        term["note"] = note
    with handled():
        file = file if file is not None else _folder(None) / "terms.yaml"
        add_term(file, term)
        console().print(f"added '{term_id}' to {file}", markup=False)


@glossary_app.command("set")
def glossary_set(
    term_id: Annotated[str, typer.Argument(help="Id of the term to change.")],
    en: Annotated[str | None, typer.Option("--en", help="New exact English rendering.")] = None,
    vi: Annotated[str | None, typer.Option("--vi", help="New exact Vietnamese rendering.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note.")] = None,
    glossary: Annotated[
        Path | None, typer.Option("--glossary", help="Glossary folder (default: the project's).")
    ] = None,
) -> None:
    """Change a term's renderings where it is defined, keeping the file's comments."""
    from bilingual.glossary import update_term

    changes = {k: v for k, v in (("en", en), ("vi", vi), ("note", note)) if v is not None}
    if not changes:
        raise typer.BadParameter("give at least one of --en, --vi, --note")
    with handled():
        folder = _folder(glossary)
        term = update_term(folder, term_id, changes)
        console().print(f"updated '{term_id}' in {term.file}", markup=False)
