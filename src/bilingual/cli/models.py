"""``bilingual models``: list, install, import and remove translation models."""

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


def pairs_text(pairs: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{a}->{b}" for a, b in pairs)


@models_app.command("list")
def models_list() -> None:
    """Show installed models: name (its folder), kind, version, size, pairs, licence."""
    from bilingual.models import installed_packages, licence_label

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
        # one block per package, not a table: six columns of names, pair lists and
        # licences do not fit 80 columns, and a cut or folded name cannot be typed back
        out.print(f"models in {settings.packages_dir}", markup=False)
        for p in packages:
            kind = p.kind + (", test model" if p.card.test_model else "")
            out.print(
                f"{p.name}  ({kind}; version {p.package_version or '?'}; "
                f"{human_size(p.size_bytes)})",
                markup=False,
            )
            out.print(f"  pairs: {pairs_text(p.pairs)}", markup=False)
            out.print(f"  licence: {licence_label(p)}", markup=False)
        for p in packages:
            if p.path != settings.packages_dir / p.name:  # else the name says where
                out.print(f"{p.name}: {p.path}", markup=False)
        _print_route(out, settings)


def _print_route(out: Any, settings: Any) -> None:
    """The route a run here would take, and the package each hop would use."""
    from bilingual.cli._common import workspace
    from bilingual.models import route_choices
    from bilingual.routes import format_route

    route = workspace().route
    hops = [
        f"{a}-{b}: {info.name if info else 'none installed (or the chosen one is not)'}"
        for (a, b), info in route_choices(settings, route)
    ]
    out.print(f"route {format_route(route)}: {'; '.join(hops)}", markup=False)


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


@models_app.command("import")
def models_import(
    path: Annotated[
        Path,
        typer.Argument(
            help="An OPUS-MT release (the zip Helsinki-NLP publishes, or its unpacked folder), "
            "or a CTranslate2 folder converted from a Marian, M2M-100 or NLLB checkpoint.",
            readable=False,
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(help="marian, m2m100 or nllb, when the files do not tell."),
    ] = None,
    quantization: Annotated[
        str | None,
        typer.Option(
            help="Weights of a converted OPUS-MT model: int8 (default), int8_float32, int16, "
            "float16 or float32."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Install name (default: from the model's metadata).")
    ] = None,
    licence: Annotated[
        str | None,
        typer.Option(help="SPDX licence id, when the model's LICENSE/README does not say it."),
    ] = None,
    pairs: Annotated[
        str | None,
        typer.Option(help="The pairs to serve, e.g. ar-en,ar-vi (default: every pair found)."),
    ] = None,
) -> None:
    """Import an OPUS-MT release or a CTranslate2 model folder as an installed model."""
    from bilingual.cli._common import shown
    from bilingual.models import (
        IMPORT_KINDS,
        QUANTIZATIONS,
        ImportOptions,
        import_model,
        parse_pairs,
    )

    # a mistyped choice is a usage error (exit 2), said before anything is read
    if kind is not None and kind not in IMPORT_KINDS:
        also = " (an argos package is installed with `bilingual models install`)"
        raise typer.BadParameter(
            f"{kind!r} is not one of {', '.join(IMPORT_KINDS)}" + (also if kind == "argos" else ""),
            param_hint="--kind",
        )
    if quantization is not None and quantization not in QUANTIZATIONS:
        raise typer.BadParameter(
            f"{quantization!r} is not one of {', '.join(QUANTIZATIONS)}",
            param_hint="--quantization",
        )
    with handled():
        options = ImportOptions(
            kind=kind,
            quantization=quantization,
            name=name,
            licence=licence,
            pairs=parse_pairs(pairs) if pairs else (),
        )
        _report_import(import_model(resolve(), path, options, shown=shown(path)))


def _report_import(info: Any) -> None:
    """What was imported, its licence and credit; a non-commercial licence said plainly."""
    card = info.card
    out, err = console(), console(stderr=True)
    out.print(
        f"imported {info.name} ({card.kind}: {pairs_text(info.pairs)}) in {info.path}",
        markup=False,
    )
    out.print(f"licence: {card.licence or 'see README'}", markup=False, highlight=False)
    if card.attribution:
        out.print(f"credit: {card.attribution}", markup=False, highlight=False)
    if card.non_commercial:
        err.print(
            f"note: {card.licence} is a non-commercial licence: use this model for "
            "non-commercial work only",
            markup=False,
            highlight=False,
        )
    if card.test_model:
        err.print("note: this is a test model, not a real translation model", markup=False)


@models_app.command("remove")
def models_remove(
    name: Annotated[str, typer.Argument(help="Package name or pair (ar-en).")],
) -> None:
    """Remove an installed model."""
    from bilingual.models import remove_package

    with handled():
        info = remove_package(resolve(), name)
        console().print(f"removed {info.pair} {info.name} from {info.path}", markup=False)


@models_app.command("calibrate")
def models_calibrate(
    name: Annotated[str, typer.Argument(help="Package name or pair (ar-en).")],
    text: Annotated[
        Path,
        typer.Argument(
            help="Text in the package's source language: a sentence per line, or an article.",
            readable=False,
        ),
    ],
) -> None:
    """Measure a model's confidence on a text and keep its thresholds in the package."""
    from bilingual.calibrate import calibrate_package

    with handled():
        info, t = calibrate_package(resolve(), name, text)
        console().print(
            f"calibrated {info.pair} {info.name} on {t.sentences} sentences of {text.name}: "
            f"low confidence below {t.low:.3f}, good from {t.high:.3f}, "
            f"costly lock above {t.costly_lock:.3f}",
            markup=False,
        )
