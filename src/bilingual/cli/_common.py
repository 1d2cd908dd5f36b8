"""The command line's shared parts: the Typer apps, consoles, error handling, settings.

Exit codes: 0 success; 1 a handled error (message, no traceback); 2 usage; 3 with
``--strict`` when a term had to be forced or an error-level QA flag was raised.
The library is imported inside each command so that ``bilingual --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilingual import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

    from bilingual.config import Settings, Workspace

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
review_app = typer.Typer(
    help="Import a reviewer's corrections from briefing DOCX files into the memory.",
    no_args_is_help=True,
)
memory_app = typer.Typer(
    help="Inspect the translation memory, and exchange it with CAT tools as TMX.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")
app.add_typer(glossary_app, name="glossary")
app.add_typer(review_app, name="review")
app.add_typer(memory_app, name="memory")

EXIT_ERROR = 1
EXIT_STRICT = 3


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


@contextmanager
def handled() -> Iterator[None]:
    """Turn a BilingualError into its message on stderr and exit code 1."""
    from bilingual.errors import BilingualError

    try:
        yield
    except BilingualError as exc:
        err = console(stderr=True)
        err.print(f"[bold red]error:[/] {exc.message}", markup=True, highlight=False)
        problems = getattr(exc, "problems", ())
        for problem in problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        console(stderr=True).print(
            "interrupted: finished briefings are kept, none is half-written, and the "
            "memory holds all of the last import or none of it"
        )
        raise typer.Exit(130) from None


def shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
        self.task = self.bar.add_task(stage, total=max(total, 1))

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)
