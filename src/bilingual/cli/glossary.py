"""``bilingual glossary``: check, list, search, suggest, add, set, confirm and remove terms
in the glossary files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilingual.cli._common import (
    EXIT_ERROR,
    GLOSSARY_OPTION,
    console,
    glossary_app,
    handled,
    print_error,
    settings,
    workspace,
)


def _folder(given: Path | None) -> Path:
    """The glossary folder: the argument, else the project's (or glossary/)."""
    if given is not None:
        return given
    found = workspace().glossary_dir
    return found if found is not None else Path("glossary")


@glossary_app.command("check")
def glossary_check(
    folder: Annotated[
        Path | None,
        typer.Argument(help="Glossary folder (default: the project's).", readable=False),
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
        if glossary.warnings:
            err = console(stderr=True)
            for warning in glossary.warnings:
                err.print(f"warning: {warning}", markup=False)
        out = console()
        counts = count_by_type(glossary)
        for kind, n in sorted(counts.items()):
            out.print(f"{kind:<14}{n:>5}", markup=False)
        out.print(
            f"{'total':<14}{len(glossary.terms):>5}  in {len(glossary.files)} file(s), "
            f"signature {glossary.signature}",
            markup=False,
        )
        drafts = sum(1 for t in glossary.terms if t.draft)
        if drafts or glossary.warnings:
            out.print(
                f"{drafts} draft term(s) (`bilingual glossary confirm ID` confirms one), "
                f"{len(glossary.warnings)} left out",
                markup=False,
            )


def _table(terms: Any, extra: dict[str, str] | None = None) -> None:
    """Terms as a table (id, type, status, Arabic forms, a rendering per language, what
    each avoids) when it fits the console, else one block per term; ``extra`` adds a
    ``found in`` column (term id -> where)."""
    from rich import box
    from rich.table import Table

    from bilingual.glossary.term import RENDERING_KEYS, SOURCE_KEY

    out = console()
    headers = ["id", "type", "status", SOURCE_KEY, *RENDERING_KEYS, "avoid"]
    headers += ["found in"] if extra is not None else []
    rows = []
    for t in terms:
        avoid = "; ".join(f"{lang}: {', '.join(a)}" for lang, a in t.avoid.items())
        row = [t.id, t.type, t.status, " | ".join(t.forms)]
        row += [t.renderings.get(k, "") for k in RENDERING_KEYS] + [avoid]
        rows.append(row + ([extra[t.id]] if extra is not None else []))
    # a column no term fills (no vi, no avoid list) is left out: the table fits sooner
    shown = [k for k in range(len(headers)) if k < 4 or any(row[k] for row in rows)]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for k in shown:
        table.add_column(headers[k], no_wrap=True)
    for row in rows:
        table.add_row(*(row[k] for k in shown))
    if out.measure(table, options=out.options.update_width(1_000_000)).maximum <= out.width:
        out.print(table)
        return
    for row in rows:  # too wide: one block per term, nothing cut
        out.print(row[0], markup=False, soft_wrap=True)
        for header, value in zip(headers[1:], row[1:], strict=True):
            if value:
                out.print(f"  {header}: {value}", markup=False, soft_wrap=True)


@glossary_app.command("list")
def glossary_list(
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="Only terms of this type: person, organization, place, instrument, event, "
            "title or term.",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only confirmed terms, or only draft ones (status: draft, to be confirmed).",
        ),
    ] = None,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
) -> None:
    """List the terms: id, type, status, Arabic forms, renderings and avoided renderings."""
    from bilingual.errors import GlossaryError
    from bilingual.glossary import load_glossary
    from bilingual.glossary.manage import select_terms
    from bilingual.glossary.term import EMPTY

    try:  # an unknown type or status is a usage error (exit 2), checked before the files
        select_terms(EMPTY, kind=type_, status=status)
    except GlossaryError as exc:
        raise typer.BadParameter(f"{exc.what}; {exc.fix}") from None
    with handled():
        gl = load_glossary(_folder(glossary))
        terms = select_terms(gl, kind=type_, status=status)
        _table(terms)
        console().print(f"{len(terms)} of {len(gl.terms)} term(s)", markup=False)
        for warning in gl.warnings:
            console(stderr=True).print(f"warning: {warning}", markup=False)


@glossary_app.command("search")
def glossary_search(
    text: Annotated[str, typer.Argument(help="Arabic, English or Vietnamese words.")],
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
) -> None:
    """Find terms: Arabic through the matcher (diacritics and clitics as in articles), a
    term whose form is in TEXT or holds its words; other text in ids, renderings and
    avoided renderings, case aside. Exit 1 when nothing is found."""
    from bilingual.glossary import load_glossary
    from bilingual.glossary.manage import search_terms

    if not text.strip():  # as memory search: a usage error (exit 2)
        raise typer.BadParameter("the search text is empty; give words to look for")
    with handled():
        found = search_terms(load_glossary(_folder(glossary)), text)
        if found:
            _table([f.term for f in found], {f.term.id: f.where for f in found})
        console().print(f"{len(found)} term(s) found", markup=False)
    if not found:
        raise typer.Exit(EXIT_ERROR)


@glossary_app.command("remove")
def glossary_remove(
    term_id: Annotated[str, typer.Argument(help="Id of the term to remove.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Remove it even though the translation memory records its id."
        ),
    ] = False,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
    memory: Annotated[
        Path | None,
        typer.Option(
            "--memory",
            help="Translation memory to look for the term's id in (default: the project's).",
            readable=False,
        ),
    ] = None,
) -> None:
    """Remove a term from its file, keeping every comment; refused while the translation
    memory records its id, unless --force."""
    from bilingual.glossary.manage import remove_term

    with handled():
        space = workspace(glossary=glossary, memory=memory)
        folder = space.glossary_dir or _folder(glossary)
        removed = remove_term(folder, term_id, memory=space.memory, force=force)
        console().print(f"removed '{term_id}' from {removed.term.file}", markup=False)
        for warning in removed.released:
            console().print(f"now used: {warning.split(' is left out:')[0]}", markup=False)


@glossary_app.command("suggest")
def glossary_suggest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.", readable=False)],
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many suggestions.")] = 50,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Renderings to fill: en, or en,vi (default: the project's)."),
    ] = None,
    memory: Annotated[
        Path | None,
        typer.Option(
            "--memory",
            help="Translation memory to take kept names from (read only).",
            readable=False,
        ),
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option("--no-model", help="Fill renderings from the memory only, not the model."),
    ] = False,
) -> None:
    """List names and terms the glossary does not cover, as draft YAML stubs, each `en`
    (and `vi`) filled with the rendering a run would keep for it."""
    from bilingual.glossary import Glossary, load_glossary
    from bilingual.ingest import discover, read_article
    from bilingual.names.suggest import suggest_terms, suggestions_to_yaml
    from bilingual.pipeline.names import suggested_renderings

    with handled():
        space = workspace(glossary=glossary, targets=to, memory=memory)
        folder = space.glossary_dir or _folder(glossary)
        gl = load_glossary(folder) if folder.is_dir() else Glossary((), (), "none")
        texts: list[str] = []
        for path in discover(paths):
            article = read_article(path)
            texts.extend(p.text for p in article.paragraphs)
            texts.extend(c.text for c in article.captions)
        suggestions = suggest_terms(texts, gl)[:limit]
        renderings, notice = suggested_renderings(
            [s.ar for s in suggestions],
            settings(),
            tuple(space.targets),
            space.memory,
            use_model=not no_model,
            pairs=space.route,
        )
        if notice:
            console(stderr=True).print(f"notice: {notice}; `en` left empty", markup=False)
        typer.echo(suggestions_to_yaml(suggestions, glossary=gl, renderings=renderings), nl=False)


@glossary_app.command("add")
def glossary_add(
    term_id: Annotated[str, typer.Option("--id", help="Unique id: [a-z0-9_-]+.")],
    ar: Annotated[
        list[str],
        typer.Option("--ar", help="Arabic form (repeat for variants; first is canonical)."),
    ],
    en: Annotated[str, typer.Option("--en", help="Exact English rendering.")],
    type_: Annotated[
        str,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="One of: person, organization, place, instrument, event, title, term.",
        ),
    ] = "term",
    vi: Annotated[str | None, typer.Option("--vi", help="Exact Vietnamese rendering.")] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Where the rendering comes from.")
    ] = None,
    avoid_en: Annotated[
        list[str] | None,
        typer.Option("--avoid-en", help="An English rendering it must never take (repeat)."),
    ] = None,
    avoid_vi: Annotated[
        list[str] | None,
        typer.Option("--avoid-vi", help="A Vietnamese rendering it must never take (repeat)."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Glossary file to add to (default: terms.yaml in the glossary).",
            readable=False,
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
    avoid = {lang: given for lang, given in (("en", avoid_en), ("vi", avoid_vi)) if given}
    if avoid:
        term["avoid"] = avoid
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
    avoid_en: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid-en",
            help="An English rendering the term must never take (repeat for more; the list "
            'replaces the old one; --avoid-en "" empties it).',
        ),
    ] = None,
    avoid_vi: Annotated[
        list[str] | None,
        typer.Option("--avoid-vi", help="The same for Vietnamese."),
    ] = None,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
) -> None:
    """Change a term's renderings, avoid lists or note where it is defined, keeping the
    file's comments."""
    from bilingual.glossary import load_glossary, update_term

    changes: dict[str, object] = {
        k: v for k, v in (("en", en), ("vi", vi), ("note", note)) if v is not None
    }
    avoid = {lang: given for lang, given in (("en", avoid_en), ("vi", avoid_vi)) if given}
    if not changes and not avoid:
        raise typer.BadParameter("give at least one of --en, --vi, --note, --avoid-en, --avoid-vi")
    with handled():
        folder = _folder(glossary)
        if avoid:
            old = load_glossary(folder).term(term_id)
            lists = {lang: list(found) for lang, found in old.avoid.items()} if old else {}
            for lang, given in avoid.items():
                lists[lang] = [a for a in given if a.strip()]
            kept = {lang: found for lang, found in lists.items() if found}
            changes["avoid"] = kept or None  # None: the key goes
        term = update_term(folder, term_id, changes)
        console().print(f"updated '{term_id}' in {term.file}", markup=False)


@glossary_app.command("confirm")
def glossary_confirm(
    term_ids: Annotated[list[str], typer.Argument(help="Ids of the draft terms to confirm.")],
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
) -> None:
    """Turn draft terms into confirmed ones: remove `status: draft`, keeping the rest."""
    from bilingual.glossary.edit import confirm_terms

    with handled():
        folder = _folder(glossary)
        for term in confirm_terms(folder, term_ids):
            console().print(f"confirmed '{term.id}' in {term.file}", markup=False)


@glossary_app.command("import")
def glossary_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="CSV or TBX termbases; several are joined on their shared terms.", readable=False
        ),
    ],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Glossary file to add to (may exist: its comments are kept; default: a "
            "new file in the glossary folder, named after the first termbase).",
            readable=False,
        ),
    ] = None,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="MAP",
            help="Which CSV column holds what, e.g. ar=0,en=2,vi=3,note=4 (0-based indexes "
            "or header names); default: read from the header (ar, ar_AR, en-US, Arabic, "
            "sourceLang/targetLang...).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", metavar="FORMAT", help="csv or tbx (default: by extension)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", metavar="NAME", help="Encoding of a CSV not in UTF-8 (windows-1256...)."
        ),
    ] = None,
    type_: Annotated[
        str,
        typer.Option("--type", metavar="TYPE", help="Type of terms whose file gives none."),
    ] = "term",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every skipped record and notice.")
    ] = False,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write every skipped record (file:line, kind, reason).", readable=False
        ),
    ] = None,
) -> None:
    """Import CSV or TBX termbases as glossary terms; report what was merged or skipped."""
    from bilingual.glossary.termbase import import_termbase

    with handled():
        report = import_termbase(
            files,
            folder=_folder(glossary),
            into=into,
            fmt=fmt,
            columns=columns,
            encoding=encoding,
            default_type=type_,
        )
        _print_import(report, verbose)
        if report_file is not None:
            _write_import_report(report, report_file)
    if report.records and report.count("invalid") == report.records:
        # nothing usable at all: a handled error, not a quiet success
        print_error(f"nothing imported: {report.count('invalid')} invalid record(s)")
        raise typer.Exit(EXIT_ERROR)


def _print_import(report: Any, verbose: bool) -> None:
    from bilingual.glossary.termbase import summary

    counts = summary(report)
    out = console()
    if report.target is not None:
        state = "new file" if report.created else "added to"
        where = f"in {report.target} ({state})"
    else:
        where = "(nothing new: no file written)"
    out.print(
        f"read {counts['read']} record(s): {counts['imported']} new term(s) {where}, "
        f"{counts['updated']} term(s) updated, {counts['merged']} record(s) merged into "
        f"terms; skipped {counts['duplicates']} duplicate(s), {counts['conflicts']} "
        f"conflict(s), {counts['invalid']} invalid",
        markup=False,
    )
    invalid = [s for s in report.skipped if s.kind == "invalid"]
    shown = report.skipped if verbose else invalid[:10]
    err = console(stderr=True)
    for s in shown:
        err.print(f"{s.where}: {s.kind}: {s.reason}", markup=False)
    if verbose:
        for notice in report.notices:
            err.print(f"note: {notice}", markup=False)
    elif len(shown) < len(report.skipped) or report.notices:
        err.print(
            f"({len(report.skipped) - len(shown)} more skipped record(s) and "
            f"{len(report.notices)} notice(s): --verbose lists them, --report FILE writes them)",
            markup=False,
        )


def _write_import_report(report: Any, path: Path) -> None:
    from bilingual._fs import write_bytes_atomically

    lines = [f"{s.where}\t{s.kind}\t{s.reason}" for s in report.skipped]
    lines += [f"\tnote\t{n}" for n in report.notices]
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    write_bytes_atomically(path, data, what="the import report")
    console().print(f"wrote the report of {len(report.skipped)} skipped record(s) to {path}")


@glossary_app.command("export")
def glossary_export(
    file: Annotated[Path, typer.Argument(help="File to write: .csv or .tbx.", readable=False)],
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", metavar="FORMAT", help="csv or tbx (default: by extension)."),
    ] = None,
) -> None:
    """Write the glossary as CSV (one row per Arabic form) or TBX-Basic, for CAT tools."""
    from bilingual import __version__
    from bilingual.glossary import load_glossary
    from bilingual.glossary.termbase import export_glossary

    with handled():
        folder = _folder(glossary)
        gl = load_glossary(folder)
        n = export_glossary(
            gl,
            file,
            fmt=fmt,
            description=f"bilingual {__version__}, glossary {folder}, signature {gl.signature}",
        )
        console().print(f"wrote {n} term(s) to {file}", markup=False)
