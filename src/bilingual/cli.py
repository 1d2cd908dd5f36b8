"""Command line: parse arguments, draw progress, call the library, map errors to exit codes.

Exit codes: 0 success; 1 a handled error (message, no traceback); 2 usage; 3 with
``--strict`` when a term had to be forced or an error-level QA flag was raised.
The library is imported inside each command so that ``bilingual --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilingual import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

    from bilingual.config import Settings

app = typer.Typer(
    name="bilingual",
    help="Offline Arabic -> English (-> Vietnamese) bilingual briefings from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List and install argos translation models.", no_args_is_help=True)
glossary_app = typer.Typer(
    help="Check, extend and get suggestions for the glossary.", no_args_is_help=True
)
app.add_typer(models_app, name="models")
app.add_typer(glossary_app, name="glossary")

EXIT_ERROR = 1
EXIT_STRICT = 3


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


@contextmanager
def _handled() -> Iterator[None]:
    """Turn a BilingualError into its message on stderr and exit code 1."""
    from bilingual.errors import BilingualError

    try:
        yield
    except BilingualError as exc:
        err = _console(stderr=True)
        err.print(f"[bold red]error:[/] {exc.message}", markup=True, highlight=False)
        problems = getattr(exc, "problems", ())
        for problem in problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        _console(stderr=True).print(
            "interrupted: finished briefings are kept, none is half-written"
        )
        raise typer.Exit(130) from None


def _settings(**overrides: Any) -> Settings:
    from bilingual.config import resolve_settings

    return resolve_settings(**{k: v for k, v in overrides.items() if v is not None})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bilingual {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Offline Arabic -> English (-> Vietnamese) bilingual briefings from news articles."""


class _RichProgress:
    """Adapter from the library's Progress protocol to a rich progress bar."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: Any = None

    def start(self, stage: str, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total)
        self.task = self.bar.add_task(stage, total=max(total, 1))

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)


@app.command()
def translate(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (.txt, .md) or folders of them.")
    ],
    to: Annotated[str, typer.Option("--to", help="Target languages: en, or en,vi.")] = "en",
    glossary: Annotated[
        Path | None,
        typer.Option("--glossary", help="Glossary folder (default: glossary/ when present)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
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
    """Translate every article into a side-by-side DOCX briefing and a JSON file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bilingual.errors import ConfigError
    from bilingual.pipeline import RunOptions, parse_targets, translate_articles

    try:
        targets = parse_targets(to)
    except ConfigError as exc:
        raise typer.BadParameter(exc.message, param_hint="--to") from None
    with _handled():
        options = RunOptions(
            paths=tuple(paths),
            targets=targets,
            glossary_dir=glossary,
            out_dir=out,
            natural_first=natural_first,
        )
        settings = _settings(threads=threads, beam_size=beam_size)
        err = _console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=False,
        ) as bar:
            report = translate_articles(options, settings, _RichProgress(bar))
        _print_report(report)
        if report.failed:
            raise typer.Exit(EXIT_ERROR)
        if strict and (report.terms_forced or report.error_flags):
            err.print(
                f"--strict: {report.terms_forced} forced term(s), "
                f"{report.error_flags} error flag(s); see the QA section of each briefing"
            )
            raise typer.Exit(EXIT_STRICT)


def _print_report(report: Any) -> None:
    from rich.table import Table

    out = _console()
    table = Table(title="bilingual translate", show_lines=False)
    for col in (
        "article",
        "paragraphs",
        "sentences",
        "terms locked",
        "terms forced",
        "flags",
        "output",
    ):
        table.add_column(col, justify="right" if col not in ("article", "output") else "left")
    for a in report.articles:
        if a.error:
            table.add_row(a.name, "-", "-", "-", "-", "-", "[red]failed[/]")
        else:
            table.add_row(
                a.name,
                str(a.paragraphs),
                str(a.sentences),
                str(a.terms_locked),
                str(a.terms_forced),
                str(a.flags),
                str(a.docx),
            )
    ok = [a for a in report.articles if not a.error]
    table.add_section()
    table.add_row(
        f"{len(ok)} article(s)",
        str(sum(a.paragraphs for a in ok)),
        str(sum(a.sentences for a in ok)),
        str(sum(a.terms_locked for a in ok)),
        str(sum(a.terms_forced for a in ok)),
        str(sum(a.flags for a in ok)),
        f"{report.seconds:.1f} s ({report.model_seconds:.1f} s in the model)",
    )
    out.print(table)
    out.print(f"signature: {report.signature}", markup=False)
    if report.unmatched_terms:
        out.print(
            f"glossary terms found in no article ({len(report.unmatched_terms)}): "
            + ", ".join(report.unmatched_terms),
            markup=False,
        )
    err = _console(stderr=True)
    for a in report.failed:
        err.print(f"[bold red]error:[/] {a.error}")


# -- models -------------------------------------------------------------------------------


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


@models_app.command("list")
def models_list() -> None:
    """Show installed models: pair, package version, where, size."""
    from rich.table import Table

    from bilingual.models import installed_packages

    with _handled():
        settings = _settings()
        packages = installed_packages(settings)
        out = _console()
        if not packages:
            out.print(f"no models installed in {settings.packages_dir}", markup=False)
            out.print(
                "install one: bilingual models install ar en   (or a path to a .argosmodel file)"
            )
            return
        table = Table(title=f"models in {settings.packages_dir}")
        for col in ("pair", "version", "name", "path", "size"):
            table.add_column(col)
        for p in packages:
            table.add_row(p.pair, p.package_version, p.name, str(p.path), _human(p.size_bytes))
        out.print(table)


def _download_bar() -> tuple[Any, Callable[[int, int | None], None]]:
    from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

    bar = Progress(
        *Progress.get_default_columns(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=_console(True),
    )
    task = bar.add_task("downloading", total=None)

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


@models_app.command("install")
def models_install(
    source: Annotated[
        list[str],
        typer.Argument(
            help="One or more .argosmodel files or URLs, or two language codes (ar en) "
            "for the argos index."
        ),
    ],
) -> None:
    """Install models from files, URLs, or the argos index."""
    from bilingual.models import install_from_index, install_from_url, install_package_file

    def is_code(arg: str) -> bool:
        return arg.isalpha() and len(arg) <= 3 and not Path(arg).exists()

    if len(source) == 2 and all(is_code(a) for a in source):
        with _handled():
            settings = _settings()
            bar, update = _download_bar()
            with bar:
                info = install_from_index(settings, source[0], source[1], progress=update)
            _report_install(info)
        return
    if any(is_code(a) for a in source):
        raise typer.BadParameter(
            "give .argosmodel files or URLs, or exactly two language codes like: ar en"
        )
    with _handled():
        settings = _settings()
        for arg in source:
            if arg.startswith(("http://", "https://")):
                bar, update = _download_bar()
                with bar:
                    info = install_from_url(settings, arg, progress=update)
            else:
                info = install_package_file(settings, Path(arg))
            _report_install(info)


def _report_install(info: Any) -> None:
    _console().print(
        f"installed {info.pair} {info.name} {info.package_version} in {info.path}", markup=False
    )


@models_app.command("remove")
def models_remove(
    name: Annotated[str, typer.Argument(help="Package name or pair (ar-en).")],
) -> None:
    """Remove an installed model."""
    from bilingual.models import remove_package

    with _handled():
        info = remove_package(_settings(), name)
        _console().print(f"removed {info.pair} {info.name} from {info.path}", markup=False)


# -- glossary -----------------------------------------------------------------------------


@glossary_app.command("check")
def glossary_check(
    folder: Annotated[Path, typer.Argument(help="Glossary folder.")] = Path("glossary"),
) -> None:
    """Validate every YAML file; print term counts per type, or file:line errors."""
    from bilingual.glossary import check_glossary, count_by_type

    with _handled():
        glossary, problems = check_glossary(folder)
        if problems:
            err = _console(stderr=True)
            for problem in problems:
                err.print(problem, markup=False)
            err.print(f"{len(problems)} problem(s) in {folder}", markup=False)
            raise typer.Exit(EXIT_ERROR)
        assert glossary is not None
        out = _console()
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
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder.")] = Path(
        "glossary"
    ),
    limit: Annotated[int, typer.Option(help="Show at most this many suggestions.")] = 50,
) -> None:
    """List names and terms the glossary does not cover, as YAML stubs ready to paste."""
    from bilingual.glossary import Glossary, load_glossary, suggest_terms, suggestions_to_yaml
    from bilingual.ingest import discover, read_article

    with _handled():
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
    file: Annotated[Path, typer.Option("--file", help="Glossary file to add to.")] = Path(
        "glossary/terms.yaml"
    ),
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
    with _handled():
        add_term(file, term)
        _console().print(f"added '{term_id}' to {file}", markup=False)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        # click reports usage errors with exit code 2; keep every code as is
        sys.exit(exc.code)


if __name__ == "__main__":
    main()
