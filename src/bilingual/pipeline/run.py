"""The run: the stages in order (see :mod:`bilingual.pipeline`)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bilingual import __version__
from bilingual.alternatives import hypotheses_for
from bilingual.assemble import RunInfo, assemble_briefing
from bilingual.config import Settings
from bilingual.consistency import check_consistency, consistency_flags, consistency_report
from bilingual.document.article import portable_path
from bilingual.document.names import Inconsistency, KeptName
from bilingual.document.segment import Flag, Segment, Similar
from bilingual.engine import open_translator
from bilingual.errors import (
    BilingualError,
    printable,
)
from bilingual.glossary.term import Glossary
from bilingual.memory.cache import CachedTranslator
from bilingual.memory.store import TranslationMemory
from bilingual.models import route_packages
from bilingual.models.calibrate import Thresholds, thresholds_from_card
from bilingual.models.licence import licence_lines, non_commercial_notes
from bilingual.models.registry import PackageInfo
from bilingual.pipeline.jobs import (
    Guarded,
    Job,
    check_writable,
    discover_each,
    guard,
    load_glossary_folder,
    read_jobs,
    unexpected,
)
from bilingual.pipeline.names import keep_run_names, names_of
from bilingual.pipeline.options import ArticleReport, RunOptions, RunReport, run_route
from bilingual.pipeline.write import (
    dismissed_in,
    mark_deleted_rows,
    record_run,
    save_consistency,
    with_notes,
    write_briefing,
)
from bilingual.progress import NoProgress, Progress, stage
from bilingual.recall import recall_segments, with_similar
from bilingual.signature import Signature
from bilingual.translate import (
    Hop,
    Recalled,
    Route,
    TimedTranslator,
    translate_segments,
)


@dataclass
class Engines:
    """The route's translators: timed, and cached when a memory is in use."""

    route: Route
    timed: list[TimedTranslator]
    cached: list[CachedTranslator]
    labels: list[str]
    test_models: list[str] = field(default_factory=list)  # labels of the test packages
    licence_notes: list[str] = field(default_factory=list)  # non-commercial models used
    licences: list[str] = field(default_factory=list)  # each model's licence and credit
    uncalibrated: list[str] = field(default_factory=list)  # labels without thresholds
    thresholds: dict[str, Thresholds] = field(default_factory=dict)  # target -> its model's


def open_route(
    settings: Settings, options: RunOptions, memory: TranslationMemory | None
) -> Engines:
    """The route with a loaded (timed, cached) translator per hop, and the model labels."""
    hops: list[Hop] = []
    engines = Engines(Route(options.source, ()), [], [], [])
    pairs = run_route(options)
    offered = hypotheses_for(options.alternatives, settings.beam_size) - 1
    if options.engine is None:
        # every hop's package, before any is loaded: one error names all that are missing
        route_packages(settings, pairs)
    for a, b in pairs:
        translator = (options.engine or open_translator)(settings, a, b)
        engines.timed.append(TimedTranslator(translator))
        engines.labels.append(translator.info.label)
        # getattr: a stand-in translator (a wrapper in tests, a benchmark's) may lack it
        if getattr(translator, "test_model", False) is True:
            engines.test_models.append(translator.info.label)
        info = translator.info  # a stand-in translator's may be no PackageInfo
        packages = [info] if isinstance(info, PackageInfo) else []
        for note in non_commercial_notes(packages):
            if note not in engines.licence_notes:
                engines.licence_notes.append(note)
        for line in licence_lines(packages):
            if line not in engines.licences:
                engines.licences.append(line)
        card = getattr(translator.info, "card", None)
        thresholds = thresholds_from_card(card.confidence if card is not None else {})
        if thresholds is None:
            engines.uncalibrated.append(translator.info.label)
        else:
            engines.thresholds[b] = thresholds
        # where the model is unsure (below its low threshold) its next best are offered
        low = thresholds.low if thresholds is not None else None
        if memory is None:
            hops.append(Hop(a, b, engines.timed[-1], alternatives=offered, unsure_below=low))
            continue
        known_as = cache_model(translator.info, a, b)
        cached = CachedTranslator(engines.timed[-1], memory, known_as, settings.beam_size)
        engines.cached.append(cached)
        model = f"{known_as}|beam={settings.beam_size}"
        hops.append(
            Hop(a, b, cached, cache=cached, model=model, alternatives=offered, unsure_below=low)
        )
    engines.route = Route(options.source, tuple(hops))
    return engines


def cache_model(info: object, source: str, target: str) -> str:
    """What the memory's cache knows a hop's model by: the package label, and the pair
    when the package serves several (one multilingual model translates the same Arabic
    into English and into Vietnamese: the two must not share cached results)."""
    label = str(getattr(info, "label", ""))
    pairs = getattr(info, "pairs", ())
    return f"{label}|{source}-{target}" if len(pairs) > 1 else label


def run_signature(
    route: Route, labels: Sequence[str], glossary: Glossary, settings: Settings, natural: bool
) -> Signature:
    return Signature(
        source=route.source,
        targets=route.targets,
        models=tuple(
            (f"{hop.source}-{hop.target}", label)
            for hop, label in zip(route.hops, labels, strict=True)
        ),
        glossary=glossary.signature,
        beam=settings.beam_size,
        lock="natural-first" if natural else "inject-first",
        version=__version__,
    )


# -- the run -----------------------------------------------------------------------------


def translate_articles(
    options: RunOptions, settings: Settings, progress: Progress | None = None
) -> RunReport:
    """Run the whole job. Raises BilingualError only for run-wide problems; per-article
    problems are in the report (``RunReport.failed``)."""
    run_route(options)  # a bad route or target list stops the run before any work
    files, bad_paths, skipped = discover_each(options.paths)
    glossary = load_glossary_folder(options.glossary_dir)
    memory = TranslationMemory(options.memory) if options.memory is not None else None
    try:
        return replace(
            _run(options, settings, progress or NoProgress(), files, bad_paths, glossary, memory),
            skipped=skipped,
            glossary_warnings=glossary.warnings,
        )
    finally:
        if memory is not None:
            memory.close()


def _run(  # long: the stages in order, each a call; splitting it would hide the order
    options: RunOptions,
    settings: Settings,
    progress: Progress,
    files: list[Path],
    bad_paths: list[tuple[Path, BilingualError]],
    glossary: Glossary,
    memory: TranslationMemory | None,
) -> RunReport:
    t_start = time.perf_counter()
    engines = open_route(settings, options, memory)
    route = engines.route
    removed = check_writable(options.out_dir)

    reports = {p: ArticleReport(p, printable(p.name), error=e.message) for p, e in bad_paths}
    jobs, failed = read_jobs(files, options.source, options.encoding)
    reports.update(failed)
    guarded = guard(jobs, options, glossary, memory)
    jobs = guarded.jobs
    reports.update(guarded.failed)
    to_translate = [job.segments() for job in jobs]
    recalled: list[dict[str, Recalled]] = [{} for segments in to_translate for _ in segments]
    fuzzy: list[dict[str, Flag]] = [{} for _ in recalled]
    similar: list[dict[str, Similar]] = [{} for _ in recalled]
    if memory is not None:
        names = [job.article.name for job in jobs]
        found = recall_segments(memory, to_translate, route.targets, names, options.similar)
        recalled = [r for article in found.recalled for r in article]
        fuzzy = [f for article in found.fuzzy for f in article]
        similar = [s for article in found.similar for s in article] or similar
    by_article = [
        (job.article.name, segments) for job, segments in zip(jobs, to_translate, strict=True)
    ]
    t_names = time.perf_counter()
    kept = keep_run_names(by_article, glossary, route, memory, options.auto_names)
    t_names = time.perf_counter() - t_names
    translated = translate_segments(
        [segment for segments in to_translate for segment in segments],
        route,
        kept.glossary,
        dedupe=options.dedupe,
        natural_first=options.natural_first,
        progress=progress,
        recalled=recalled,
    )
    translated = [
        with_similar(with_notes(s, {lang: (note,) for lang, note in notes.items()}), near)
        for s, notes, near in zip(translated, fuzzy, similar, strict=True)
    ]
    per_article = _per_article(jobs, to_translate, translated)
    t_check = time.perf_counter()
    findings: tuple[Inconsistency, ...] = ()
    if options.consistency:
        findings = check_consistency(per_article, kept.glossary, route.targets, memory)
    translated = _with_findings(per_article, consistency_flags(findings))
    t_check = time.perf_counter() - t_check
    signature = run_signature(route, engines.labels, glossary, settings, options.natural_first)
    run = RunInfo(
        options.source,
        route.targets,
        tuple(engines.labels),
        signature,
        options.run_date or settings.run_date or _now(),
        __version__,
        tuple(engines.test_models),
        dict(engines.thresholds),
        tuple(engines.licences),
    )
    listing = names_of(kept, per_article)
    _write_all(
        jobs,
        to_translate,
        translated,
        kept.glossary,
        run,
        memory,
        guarded,
        listing,
        options,
        reports,
        progress,
    )
    report_path = save_consistency(
        consistency_report(findings, run_date=run.run_date, signature=str(signature)),
        options.out_dir,
    )
    if memory is not None:
        docx = [r.docx for r in reports.values() if r.docx]
        record_run(memory, engines.cached, docx, kept.to_store(route.targets, options.source))

    used = {use.term_id for s in translated for _, use in s.term_uses()}
    return RunReport(
        articles=tuple(reports[p] for p in [*(p for p, _ in bad_paths), *files] if p in reports),
        unmatched_terms=tuple(sorted({t.id for t in glossary.terms} - used)),
        signature=str(signature),
        seconds=time.perf_counter() - t_start,
        model_seconds=sum(t.seconds for t in engines.timed),
        score_seconds=sum(t.score_seconds for t in engines.timed),
        model_sentences=sum(t.sentences for t in engines.timed),
        model_calls=sum(t.calls for t in engines.timed),
        model_batches=tuple(n for t in engines.timed for n in t.batches),
        cached_sentences=sum(c.cached_sentences for c in engines.cached),
        memory=options.memory,
        removed_temporaries=removed,
        test_models=tuple(engines.test_models),
        licence_notes=tuple(engines.licence_notes),
        uncalibrated=tuple(engines.uncalibrated),
        names=_run_names(listing),
        consistency=findings,
        consistency_report=report_path,
        names_seconds=t_names,
        consistency_seconds=t_check,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _per_article(
    jobs: Sequence[Job], to_translate: Sequence[Sequence[Segment]], translated: Sequence[Segment]
) -> list[tuple[str, list[Segment]]]:
    """The translated segments cut back into articles: (article name, its segments)."""
    out: list[tuple[str, list[Segment]]] = []
    start = 0
    for job, segments in zip(jobs, to_translate, strict=True):
        out.append((job.article.name, list(translated[start : start + len(segments)])))
        start += len(segments)
    return out


def _with_findings(
    per_article: Sequence[tuple[str, Sequence[Segment]]],
    flags: Mapping[tuple[str, str], Mapping[str, tuple[Flag, ...]]],
) -> list[Segment]:
    """Every segment of the run, in order, with its consistency findings on it."""
    return [
        with_notes(segment, flags.get((article, segment.id), {}))
        for article, segments in per_article
        for segment in segments
    ]


def _run_names(listing: Mapping[str, Sequence[KeptName]]) -> tuple[KeptName, ...]:
    """Each kept name once, in order of first appearance, for the run's summary."""
    seen: dict[str, KeptName] = {}
    for names in listing.values():
        for name in names:
            seen.setdefault(name.term_id, replace(name, count_here=0))
    return tuple(seen.values())


def _write_all(  # long: one argument per thing a briefing is made of
    jobs: Sequence[Job],
    to_translate: Sequence[Sequence[Segment]],
    translated: Sequence[Segment],
    glossary: Glossary,
    run: RunInfo,
    memory: TranslationMemory | None,
    guarded: Guarded,
    listing: Mapping[str, Sequence[KeptName]],
    options: RunOptions,
    reports: dict[Path, ArticleReport],
    progress: Progress,
) -> None:
    """Assemble and write each article's briefing; a failure is that article's alone."""
    translated = mark_deleted_rows(memory, translated)
    dismissed = dismissed_in(memory, translated)
    advance = stage(progress, "writing briefings", len(jobs))
    start = 0
    for job, segments in zip(jobs, to_translate, strict=True):
        sentences, captions = job.split(translated[start : start + len(segments)])
        start += len(segments)
        path = job.article.path
        name = job.article.name
        try:
            # the briefing records the path without this machine's folders (see
            # portable_path), in text any document can hold (a name may not be UTF-8)
            shown = Path(printable(str(portable_path(job.article.path))))
            article = replace(job.article, path=shown)
            briefing = assemble_briefing(
                article, sentences, captions, glossary, run, dismissed, listing.get(name, ())
            )
            written = write_briefing(
                briefing, options.out_dir, guarded.imported.get(name, 0), name in guarded.unedited
            )
            reports[path] = replace(written, review_notes=guarded.notes.get(name, ()))
        except BilingualError as exc:
            reports[path] = ArticleReport(path, name, error=exc.message)
        except Exception as exc:  # a bug: this article fails, the others go on
            reports[path] = unexpected(path, name, "writing its briefing", exc)
        advance(1)
