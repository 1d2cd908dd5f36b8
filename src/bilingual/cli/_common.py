"""The command line's shared parts: the Typer apps, consoles, error handling, settings.

Exit codes: 0 success; 1 a handled error (message, no traceback); 2 usage; 3 with
``--strict`` when a term had to be forced or an error-level QA flag was raised.
The library is imported inside each command so that ``bilingual --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer import _click as click
from typer._click.exceptions import NoSuchOption
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from bilingual import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

    from bilingual.config import Settings, Workspace


class _Argument(TyperArgument):
    """An argument whose help names its value (``PATHS...``), never its Python type."""

    def _rich_display_name(self) -> str:
        name = self.metavar or (self.name or "value").upper()
        return name if self.nargs == 1 else f"{name}..."

    def _usage_display_name(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None  # the name above says what the value is


class _Option(TyperOption):
    """An option whose help names its value (``--out PATH``), never its Python type."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        # typer's label is a Python type: <str>, <path>, <list[Path]>, <int>
        label = self.display_type(ctx).strip("<>")
        if label.startswith("list[") and label.endswith("]"):
            label = label[len("list[") : -1]
        return _VALUE_NAMES.get(label.lower(), label.upper())


_VALUE_NAMES = {"str": "TEXT", "path": "PATH", "int": "N", "float": "NUMBER"}


class _Command(TyperCommand):
    """A command whose help is plain text: its parameters say PATH, TEXT, N where typer
    would print Python types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            # the subclasses add no state, only how the help is written
            if type(param) is TyperArgument:
                param.__class__ = _Argument
            elif type(param) is TyperOption:
                param.__class__ = _Option

    def get_short_help_str(self, limit: int = 45) -> str:
        return _whole_summary(self, limit)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as exc:
            # click suggests by spelling (--target -> --strict); these words mean --to
            meant = _MEANT.get(exc.option_name.split("=")[0])
            if meant and any(meant in p.opts for p in self.params):
                exc.possibilities = [meant]
            raise


_MEANT = dict.fromkeys(
    ("--target", "--targets", "--lang", "--langs", "--language", "--languages"), "--to"
)
"""Options users type for the target languages, and the option that sets them."""


class _Group(TyperGroup):
    def get_short_help_str(self, limit: int = 45) -> str:
        return _whole_summary(self, limit)


def _whole_summary(command: click.Command, limit: int) -> str:
    """The command's summary line in its group's list, whole: the help formatter wraps it,
    where click would cut it at the width with "..."."""
    return click.Command.get_short_help_str(command, limit=10_000)


_F = TypeVar("_F", bound=Callable[..., Any])


class _App(typer.Typer):
    """A Typer app whose help is printed as written: rich markup is off (an id pattern such
    as ``[a-z0-9_-]+`` would be eaten as a tag, long choices cut with an ellipsis), and
    every command is a :class:`_Command`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rich_markup_mode=None, no_args_is_help=True, cls=_Group, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[_F], _F]:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    name="bilingual",
    help="Offline Arabic -> English (-> Vietnamese) bilingual briefings from news articles.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = _App(help="List, install, import and remove translation models.")
glossary_app = _App(
    help="Check, extend and get suggestions for the glossary; import and export termbases."
)
review_app = _App(help="Import a reviewer's corrections from briefing DOCX files into the memory.")
memory_app = _App(help="Inspect the translation memory, and exchange it with CAT tools as TMX.")
app.add_typer(models_app, name="models")
app.add_typer(glossary_app, name="glossary")
app.add_typer(review_app, name="review")
app.add_typer(memory_app, name="memory")
export_app = _App(help="Hand briefings to CAT tools: XLIFF 2.1 for Trados, memoQ, OmegaT.")
GLOSSARY_OPTION = typer.Option(
    "--glossary", help="Glossary folder (default: the project's).", readable=False
)
"""``--glossary`` as every command that reads the project's glossary takes it."""
MEMORY_OPTION = typer.Option(
    "--memory", help="Translation memory file (default: the project's).", readable=False
)
"""``--memory`` as the memory commands take it."""


import_app = _App(help="Bring a translated or reviewed XLIFF back into the memory.")
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

EXIT_ERROR = 1
EXIT_STRICT = 3
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a Ctrl-C."""
EXIT_TERMINATED = 143
"""128 + SIGTERM."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised by the entry point's handler (see :func:`bilingual.cli.main`)."""


def console(stderr: bool = False) -> Console:
    """A console that prints every string as given: rich markup is off, so a file named
    ``[draft] x.txt`` (or a glossary text holding ``[bold]``) is never eaten as a tag.
    Style comes only from :class:`rich.text.Text` objects (see :func:`print_error`).
    Text is wrapped at word boundaries to the console's width (see :mod:`._wrap`)."""
    from bilingual.cli._wrap import WrappingConsole

    return WrappingConsole(stderr=stderr, highlight=False, soft_wrap=True, markup=False)


def print_error(message: str) -> None:
    """``error: MESSAGE`` on stderr; the message, which names the user's files, is plain."""
    from rich.text import Text

    console(stderr=True).print(Text.assemble(("error:", "bold red"), " ", message))


@contextmanager
def handled() -> Iterator[None]:
    """Turn a BilingualError into its message on stderr and exit code 1."""
    from bilingual.errors import BilingualError

    try:
        yield
    except BilingualError as exc:
        # the message holds everything (a GlossaryError's problems too), each line once;
        # it is printed as plain text: it may quote `[a-z]+`, `[/x]` or a `[draft]` file
        print_error(exc.message)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        console(stderr=True).print(
            ("terminated" if terminated else "interrupted")
            + ": finished briefings are kept, none is half-written, and the "
            "memory holds all of the last import or none of it"
        )
        raise typer.Exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED) from None


def shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the current folder when below it,
    each byte of a name that is not UTF-8 written ``\\xHH`` (see errors.printable)."""
    from bilingual.errors import printable

    try:
        return printable(str(path.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable(str(path))


def _project() -> Any:
    from bilingual.project import find_project

    return find_project(Path.cwd())


def settings(**overrides: Any) -> Settings:
    from bilingual.config import resolve_settings

    given = {k: v for k, v in overrides.items() if v is not None}
    return resolve_settings(project=_project(), **given)


def workspace(**overrides: Any) -> Workspace:
    """The run's folders: arguments, then BILINGUAL_* variables, then bilingual.toml."""
    from bilingual.config import resolve_workspace

    return resolve_workspace(project=_project(), **overrides)


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


class RichProgress_:
    """Adapter from the library's Progress protocol to a rich progress bar."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: Any = None

    def start(self, stage: str, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total)
        # a translation stage counts segments (sentences and captions, as the summary
        # does); writing counts briefings
        unit = "briefings" if stage.startswith("writing") else "segments"
        self.task = self.bar.add_task(stage, total=total, unit=unit)

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)


def progress_bar(quiet: bool) -> RichProgress:
    """The run's progress bar on stderr: stage, bar, ``done/total UNIT``, time."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}", markup=False),
        TimeElapsedColumn(),
        console=console(stderr=True),
        disable=quiet,
        transient=False,
    )


def print_counts(
    out: Console,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str]]],
    total: tuple[str, Sequence[str]],
) -> None:
    """``rows`` of (name, counts under ``headers``) and their ``total``: a table when it
    fits the console (a pipe is 80 columns), else one block per row, the name whole on its
    own line. A name is never cut: the table at its natural width either fits or is not
    used, so no column is squeezed into "001_samp…"."""
    from rich import box
    from rich.table import Table

    # no padding, only the separator: one column between counts (the headers are words,
    # and the counts are right-aligned under them), so that the eight columns fit 80
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0, 0, 0))
    table.add_column("article", no_wrap=True)
    for header in headers:
        # two-word headers go on two lines to keep the count columns narrow
        table.add_column(header.replace(" ", "\n"), justify="right", no_wrap=True)
    for name, counts in rows:
        table.add_row(name, *counts)
    table.add_section()
    table.add_row(total[0], *total[1])
    if out.measure(table, options=out.options.update_width(1_000_000)).maximum <= out.width:
        out.print(table)
        return
    for name, counts in [*rows, total]:
        out.print(name, soft_wrap=True)  # whole: a name is never broken
        out.print("  " + ", ".join(f"{h} {c}" for h, c in zip(headers, counts, strict=True)))
