"""``bilingual init`` and ``bilingual translate``: the project and the run, with its summary."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
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
    print_counts,
    print_error,
    progress_bar,
    settings,
    shown,
    workspace,
)


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="Project folder (created if missing).", readable=False)
    ] = Path("."),
    to: Annotated[str, typer.Option("--to", help="Target languages: en, en,vi or vi.")] = "en",
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
        # the folder as the user would type it from here: desk/glossary/, not glossary/
        glossary = shown(file.parent / "glossary")
        out.print(
            f"put glossary YAML files in {glossary}/, then run: bilingual translate ARTICLES...",
            markup=False,
        )


@app.command()
def translate(  # long: one Annotated declaration per option; the body is short
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Article files (.txt, .md, .html, .docx) or folders of them.", readable=False
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Target languages: en, en,vi or vi (default: the route's, else the "
            "project's, else en).",
        ),
    ] = None,
    route: Annotated[
        str | None,
        typer.Option(
            "--route",
            help="How to reach the targets: ar-en-vi (through English; the default for "
            "en,vi), ar-vi (direct), ar-en,ar-vi (both from Arabic). Env BILINGUAL_ROUTE.",
        ),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="PAIR=NAME: the installed package a hop uses where several serve it, e.g. "
            "ar-en=translate-ar_en-1_0 (repeatable; env BILINGUAL_MODEL; bilingual models list).",
        ),
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option(
            "--glossary",
            help="Glossary folder (default: the project's, else glossary/ when present).",
            readable=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output folder (default: the project's, else output/).", readable=False
        ),
    ] = None,
    memory: Annotated[
        Path | None,
        typer.Option(
            "--memory",
            help="Translation memory file (default: the project's, else memory.sqlite in the "
            "output folder).",
            readable=False,
        ),
    ] = None,
    no_memory: Annotated[
        bool,
        typer.Option(
            "--no-memory",
            help="Translate every sentence with the model; use and record nothing in the memory.",
        ),
    ] = False,
    similar: Annotated[
        float | None,
        typer.Option(
            "--similar",
            min=0,
            max=100,
            help="Show the memory's most similar reviewed sentence (a comment, never the "
            "text) from this similarity in % (default 75; 0: never; env BILINGUAL_SIMILAR).",
        ),
    ] = None,
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
    no_auto_names: Annotated[
        bool,
        typer.Option(
            "--no-auto-names",
            help="Do not keep new names (outside the glossary) to one rendering per run.",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Read text, Markdown and HTML articles in this encoding (cp1256, iso8859_6 "
            "...) instead of detecting it.",
        ),
    ] = None,
    threads: Annotated[
        int | None, typer.Option(help="CPU threads (env BILINGUAL_THREADS).")
    ] = None,
    beam_size: Annotated[
        int | None, typer.Option(help="Beam size (env BILINGUAL_BEAM_SIZE).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List the glossary terms found in no article."),
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            help="Translate on Ray: auto (join or start one here) or the head's address "
            "(env BILINGUAL_RAY; needs pip install 'bilingual[ray]'; docs/cluster.md).",
        ),
    ] = None,
    ray_actors: Annotated[
        int | None,
        typer.Option(min=1, help="Ray translators (default: all the cluster's CPUs)."),
    ] = None,
    ray_threads: Annotated[
        int | None, typer.Option(min=1, help="CPU threads per Ray translator (default 1).")
    ] = None,
) -> None:
    """Translate every article into a side-by-side DOCX briefing and a JSON file.

    A briefing about to be replaced is read first: the reviewer's corrections in it go
    into the translation memory and come back, marked reviewed, in the new briefing.
    """
    from bilingual.pipeline import RunOptions, translate_articles

    with handled(), usage_errors():
        space = workspace(
            glossary=glossary,
            out=out,
            targets=to,
            route=route,
            memory=memory,
            use_memory=not no_memory,
            similar=similar,
        )
        run_settings = settings(threads=threads, beam_size=beam_size, route_models=model)
    _check_encoding(encoding)
    with handled():
        options = RunOptions(
            paths=tuple(paths),
            targets=space.targets,
            route=space.route,
            glossary_dir=space.glossary_dir,
            out_dir=space.out_dir,
            natural_first=natural_first,
            memory=space.memory,
            encoding=encoding,
            auto_names=not no_auto_names,
            similar=space.similar,
            engine=_ray_engine(space, ray, ray_actors, ray_threads, run_settings.device),
        )
        err = console(stderr=True)
        _print_setup(space)
        with progress_bar(quiet) as bar:
            report = translate_articles(options, run_settings, RichProgress_(bar))
        _warn_test_models(report.test_models)
        for note in report.licence_notes:  # said, never refused: the use is the user's call
            err.print(f"note: {note}", markup=False, highlight=False)
        _note_uncalibrated(report.uncalibrated)
        _print_report(report, verbose)
        _print_consistency(report, verbose)
        if report.failed:
            raise typer.Exit(EXIT_ERROR)
        if strict and (report.terms_forced or report.error_flags):
            err.print(
                f"--strict: {report.terms_forced} forced term(s), "
                f"{report.error_flags} error flag(s); see the QA section of each briefing"
            )
            raise typer.Exit(EXIT_STRICT)


@contextlib.contextmanager
def usage_errors() -> Iterator[None]:
    """A route, target list or model choice that cannot be read is a usage error (exit
    2), named after the option (or the variable, or the project file) it came from."""
    from bilingual.errors import RouteError

    try:
        yield
    except RouteError as exc:
        raise typer.BadParameter(exc.message, param_hint=exc.option) from None


def _check_encoding(name: str | None) -> None:
    """A usage error (exit 2) for an encoding Python does not know, before any work."""
    import codecs

    if name is None:
        return
    try:
        codecs.lookup(name)
    except LookupError:
        raise typer.BadParameter(
            f"unknown encoding {name!r}; use a name such as cp1256, iso8859_6 or utf-8",
            param_hint="--encoding",
        ) from None


def _ray_engine(
    space: Any, address: str | None, actors: int | None, threads: int | None, device: str
) -> Any:
    """The Ray opener when --ray (or BILINGUAL_RAY, or the project's ray) asks for one:
    the cluster is joined here, before any translation; None: the local engine."""
    from bilingual.cluster import ray_opener, ray_options

    project = space.project.ray if space.project else None
    options = ray_options(address, actors, threads, project=project)
    if options is None:
        return None
    engine = ray_opener(options, device)
    console(stderr=True).print(
        f"ray {options.address}: {engine.actors} translator(s) x {options.threads} thread(s)",
        markup=False,
    )
    return engine


def _print_setup(space: Any) -> None:
    """Say which project, glossary, memory and route the run uses (stderr, before the run)."""
    from bilingual.routes import format_route

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
    err.print(f"route {format_route(space.route)}", markup=False)
    if space.glossary_dir is None:
        # said on a line of its own: a run without terms is rarely what was meant
        err.print("warning: no glossary: no terms will be locked", markup=False)
    if space.memory is not None and not space.memory.exists():
        err.print(f"no memory at {space.memory} yet: this run creates a new one", markup=False)


def _forced_label(report: Any) -> str:
    """``forced en/vi``: forced renderings are counted per target, as terms are per
    occurrence, so that no figure counts two languages against one."""
    langs = next((list(a.forced_by_lang) for a in report.articles if a.forced_by_lang), [])
    return f"forced {'/'.join(langs)}" if len(langs) > 1 else "terms forced"


def _forced(by_lang: Any, total: int) -> str:
    return "/".join(str(n) for n in by_lang.values()) if len(by_lang) > 1 else str(total)


def _forced_total(articles: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in articles:
        for lang, n in a.forced_by_lang.items():
            out[lang] = out.get(lang, 0) + n
    return out


def _print_report(report: Any, verbose: bool = False) -> None:
    """Errors first (stderr), then the counts of the briefings written and the run's
    figures (stdout); with every article failed, a line that says so and nothing else."""
    err = console(stderr=True)
    for a in report.failed:
        print_error(a.error)
        if a.bug:  # a bug of bilingual's: shown whole, so that it can be reported
            err.print(a.bug, markup=False, highlight=False)
    for entry in report.skipped:
        err.print(f"notice: {entry.message}", markup=False, highlight=False)
    for warning in report.glossary_warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    ok = [a for a in report.articles if not a.error]
    if not ok:
        err.print(f"no briefing written: all {len(report.failed)} article(s) failed (errors above)")
        return
    out = console()
    for a in ok:
        if a.imported:
            out.print(f"imported {a.imported} reviewed sentence(s) from {shown(a.docx)}")
        for note in a.review_notes:
            out.print(f"{shown(a.docx)}: {note}", markup=False)
    # the same columns every run, "from memory" with or without a memory: the layout of
    # the summary does not change the day a reviewed sentence first comes back
    fields = ("paragraphs", "sentences", "captions", "from_memory", "terms_locked")
    headers = (*(f.replace("_", " ") for f in fields), _forced_label(report), "flags")

    def counts(articles: Any, forced: str) -> list[str]:
        sums = [str(sum(getattr(a, f) for a in articles)) for f in fields]
        return [*sums, forced, str(sum(a.flags for a in articles))]

    rows = [(a.name, counts([a], _forced(a.forced_by_lang, a.terms_forced))) for a in ok]
    total = counts(ok, _forced(_forced_total(ok), sum(a.terms_forced for a in ok)))
    print_counts(out, headers, rows, (f"{len(ok)} briefing(s)", total))
    sentences, captions = sum(a.sentences for a in ok), sum(a.captions for a in ok)
    where = shown(ok[0].docx.parent) if ok[0].docx else "?"
    failed = f"; {len(report.failed)} article(s) failed (errors above)" if report.failed else ""
    out.print(f"{len(ok)} briefing(s) in {where}{failed}")
    out.print(
        f"{sentences + captions} segment(s) per language: {sentences} sentences + {captions} "
        "captions"
    )
    out.print(f"time: {report.seconds:.1f} s ({report.model_seconds:.1f} s in the model)")
    updates = sum(a.term_updates for a in ok)
    out.print(
        f"model: {report.model_sentences} input(s) in {report.model_calls} call(s); "
        f"cache: {report.cached_sentences}; from memory: {sum(a.from_memory for a in ok)} "
        f"rendering(s); term updates to reviewed text: {updates}"
    )
    out.print(f"signature: {report.signature}")
    unmatched = report.unmatched_terms
    if unmatched and verbose:
        out.print(f"glossary terms found in no article ({len(unmatched)}): " + ", ".join(unmatched))
    elif unmatched:
        out.print(f"{len(unmatched)} glossary term(s) found in no article (--verbose lists them)")


_SHOWN_FINDINGS = 10
"""Consistency findings printed without --verbose (the rest are in reports/consistency.json)."""


def _print_consistency(report: Any, verbose: bool) -> None:
    """The names the run kept to one rendering, and the consistency check's findings."""
    if not any(not a.error for a in report.articles):
        return
    out = console()
    names = report.names
    if names:
        origins: dict[str, int] = {}
        for name in names:
            origins[name.origin] = origins.get(name.origin, 0) + 1
        how = ", ".join(f"{n} from {'the ' if o == 'model' else ''}{o}" for o, n in origins.items())
        out.print(
            f"names kept to one rendering (auto): {len(names)} ({how}); each briefing lists "
            "them with the command that makes them glossary terms",
            markup=False,
        )
    findings = report.consistency
    where = f" ({shown(report.consistency_report)})" if report.consistency_report else ""
    if not findings:
        out.print(f"consistency: no finding{where}", markup=False)
        return
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    counts = ", ".join(f"{n} {code}" for code, n in by_code.items())
    out.print(f"consistency: {len(findings)} finding(s): {counts}{where}", markup=False)
    for f in findings if verbose else findings[:_SHOWN_FINDINGS]:
        out.print(f"  {f.code} ({f.lang}): {f.message}", markup=False, highlight=False)
    if not verbose and len(findings) > _SHOWN_FINDINGS:
        out.print(f"  ... {len(findings) - _SHOWN_FINDINGS} more (--verbose, or the report)")


def _note_uncalibrated(labels: tuple[str, ...]) -> None:
    """The packages whose confidence has no thresholds: no confidence findings for them."""
    for label in labels:
        console(stderr=True).print(
            f"note: {label} has no confidence thresholds, so no low-confidence or costly-lock "
            f"findings; measure them once with: bilingual models calibrate "
            f"{label.split('@')[0]} FILE (a few hundred sentences in its source language)",
            markup=False,
            highlight=False,
        )


def _warn_test_models(labels: tuple[str, ...]) -> None:
    """Once per run, on stderr: the translations come from test models (word salad on a
    real article that would otherwise pass for a briefing)."""
    from bilingual.document.briefing import TEST_MODEL_WARNING, notice_for_test_models

    if labels:
        err = console(stderr=True)
        err.print(f"warning: {TEST_MODEL_WARNING}", style="bold yellow", markup=False)
        err.print(f"  {notice_for_test_models(labels)}", markup=False, highlight=False)
