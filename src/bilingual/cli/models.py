"""``bilingual models``: list, install and remove argos translation models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from bilingual.cli._common import console, handled, models_app
from bilingual.cli._common import settings as resolve


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


@models_app.command("list")
def models_list() -> None:
    """Show installed models: pair, package version, name (its folder), size."""
    from rich.table import Table

    from bilingual.models import installed_packages

    with handled():
        settings = resolve()
        packages = installed_packages(settings)
        out = console()
        if not packages:
            out.print(f"no models installed in {settings.packages_dir}", markup=False)
            out.print(
                "install one: bilingual models install ar en   (or a path to a .argosmodel file)"
            )
            return
        # the folder above the table, wrapped between words and after a "/": a path in a
        # table column would be folded mid-word at 80 columns
        out.print(f"models in {settings.packages_dir}", markup=False)
        table = Table()
        for col in ("pair", "version", "name", "size"):
            table.add_column(col, overflow="fold")
        for p in packages:
            table.add_row(p.pair, p.package_version, p.name, human_size(p.size_bytes))
        out.print(table)
        for p in packages:
            if p.path != settings.packages_dir / p.name:  # else the name says where
                out.print(f"{p.name}: {p.path}", markup=False)


def _download_bar() -> tuple[Any, Callable[[int, int | None], None]]:
    from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

    bar = Progress(
        *Progress.get_default_columns(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console(True),
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
        with handled():
            settings = resolve()
            bar, update = _download_bar()
            with bar:
                info = install_from_index(settings, source[0], source[1], progress=update)
            _report_install(info)
        return
    if any(is_code(a) for a in source):
        raise typer.BadParameter(
            "give .argosmodel files or URLs, or exactly two language codes like: ar en"
        )
    with handled():
        settings = resolve()
        for arg in source:
            if arg.startswith(("http://", "https://")):
                bar, update = _download_bar()
                with bar:
                    info = install_from_url(settings, arg, progress=update)
            else:
                info = install_package_file(settings, Path(arg))
            _report_install(info)


def _report_install(info: Any) -> None:
    console().print(
        f"installed {info.pair} {info.name} {info.package_version} in {info.path}", markup=False
    )


@models_app.command("remove")
def models_remove(
    name: Annotated[str, typer.Argument(help="Package name or pair (ar-en).")],
) -> None:
    """Remove an installed model."""
    from bilingual.models import remove_package

    with handled():
        info = remove_package(resolve(), name)
        console().print(f"removed {info.pair} {info.name} from {info.path}", markup=False)
