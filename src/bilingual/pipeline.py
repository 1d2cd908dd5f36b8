"""Pipeline: articles in, one DOCX + JSON briefing per article out. It only orders the stages:

discover -> ingest -> segment -> guard (a briefing about to be replaced gives up its
reviewer's edits to the memory) -> recall (reviewed texts from the memory) -> translate
(every article's segments at once, along the route, through the memory's machine cache)
-> assemble (QA, alignment, terms) -> write -> the cache's new entries in one transaction.

Order matters for the user: everything that can fail cheaply (no article found, bad
glossary, missing model, unwritable output folder) fails before any translation starts.
A bad article does not stop the others; it is reported and the run ends with exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual import __version__
from bilingual._fs import probe_writable, remove_stale_temporaries, write_atomically
from bilingual.assemble import Dismissed, RunInfo, assemble_briefing
from bilingual.config import Settings
from bilingual.discovery import Skipped, article_name, scan
from bilingual.document.article import Article, portable_path
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Flag, Rendering, Segment
from bilingual.engine import open_translator
from bilingual.errors import (
    BilingualError,
    ConfigError,
    InputError,
    OutputError,
    bug_report,
    printable,
)
from bilingual.glossary.store import load_glossary
from bilingual.glossary.term import EMPTY, Glossary
from bilingual.ingest import read_article
from bilingual.json_io import save_json
from bilingual.memory.cache import CachedTranslator
from bilingual.memory.store import TranslationMemory, source_key, text_hash
from bilingual.progress import NoProgress, Progress, stage
from bilingual.recall import recall_segments
from bilingual.segment import Sentence, segment_article
from bilingual.signature import Signature
from bilingual.translate import (
    Hop,
    Recalled,
    Route,
    TimedTranslator,
    route_pairs,
    translate_segments,
)

if TYPE_CHECKING:
    from bilingual.cluster import Opener
    from bilingual.review import Review

SUPPORTED_TARGETS: tuple[tuple[str, ...], ...] = (("en",), ("en", "vi"))
"""What ``--to`` accepts: English, or English then Vietnamese from the English."""

__all__ = ["ArticleReport", "Progress", "RunOptions", "RunReport", "parse_targets"]


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    targets: tuple[str, ...] = ("en",)
    source: str = "ar"
    """The articles' language."""
    glossary_dir: Path | None = None
    """None: ``glossary/`` when it exists, else no glossary."""
    out_dir: Path = Path("output")
    natural_first: bool = False
    """Try the plain translation before injecting terms (slower; see bilingual.enforce)."""
    dedupe: bool = True
    """Translate an identical sentence once, however many times it occurs in the run."""
    run_date: str | None = None
    """Fixed run date (ISO 8601) for reproducible output; None: ``SOURCE_DATE_EPOCH``
    (see :class:`~bilingual.config.Settings`), else now, in UTC."""
    memory: Path | None = None
    """The translation memory file; None: no memory (every sentence from the model, and
    a briefing holding reviewer edits is not replaced)."""
    engine: Opener | None = None
    """Opens each hop's translator; None: the local engine (Ray: bilingual.cluster)."""
    encoding: str | None = None
    """Forced codec of text, Markdown and HTML articles (``--encoding``); None: detected."""


@dataclass(frozen=True)
class ArticleReport:
    source: Path
    name: str
    docx: Path | None = None
    json: Path | None = None
    paragraphs: int = 0
    sentences: int = 0
    captions: int = 0
    """Captions, translated as segments beside the sentences (progress counts both)."""
    terms_locked: int = 0
    """Term occurrences in the source, captions included (once, however many targets)."""
    terms_forced: int = 0
    """Forced renderings, over every target (``forced_by_lang`` per target)."""
    flags: int = 0
    error_flags: int = 0
    error: str | None = None
    """The handled error that stopped this article, or None when it was written."""
    bug: str | None = None
    """The traceback when a bug of bilingual's, not a handled error, stopped it."""
    imported: int = 0
    """Reviewed units the memory gained from the briefing this run replaced (none when
    ``review import`` stored them already)."""
    rewritten: bool = True
    """False: the briefing already there was unedited and equal to this run's."""
    from_memory: int = 0
    """Renderings taken from the memory (reviewed or approved)."""
    term_updates: int = 0
    """Glossary updates made to reviewed texts (``term-updated``)."""
    forced_by_lang: Mapping[str, int] = field(default_factory=dict)
    """Target (route order) -> occurrences forced in it (at most ``terms_locked``)."""


@dataclass(frozen=True)
class RunReport:
    articles: tuple[ArticleReport, ...]
    unmatched_terms: tuple[str, ...]
    """Glossary term ids that matched in no article."""
    signature: str
    seconds: float
    model_seconds: float
    """Time spent inside the translation engine."""
    model_sentences: int = 0
    """Inputs that reached the model (a cached result costs none)."""
    model_calls: int = 0
    model_batches: tuple[int, ...] = ()
    """Inputs per model call, hop by hop (a decode, then the ladder's repairs)."""
    cached_sentences: int = 0
    memory: Path | None = None
    skipped: tuple[Skipped, ...] = ()
    """Folder entries passed over on purpose, with why (see bilingual.discovery)."""
    removed_temporaries: tuple[Path, ...] = ()
    """Temporaries a killed run had left in the output folder, removed by this one."""
    test_models: tuple[str, ...] = ()
    """Labels of the packages used that declare themselves test models (the CLI warns)."""

    @property
    def failed(self) -> tuple[ArticleReport, ...]:
        return tuple(a for a in self.articles if a.error is not None)

    @property
    def terms_forced(self) -> int:
        return sum(a.terms_forced for a in self.articles)

    @property
    def error_flags(self) -> int:
        return sum(a.error_flags for a in self.articles)


def parse_targets(value: str) -> tuple[str, ...]:
    """``en`` or ``en,vi`` (Vietnamese is translated from the locked English)."""
    langs = tuple(x.strip().lower() for x in value.split(",") if x.strip())
    if langs not in SUPPORTED_TARGETS:
        raise ConfigError(
            f"unsupported target languages {value!r}",
            fix="use --to en or --to en,vi (Vietnamese goes through English)",
        )
    return langs


# -- the run's parts ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """One readable article and its segments still to translate."""

    article: Article
    sentences: tuple[tuple[Sentence, ...], ...]
    source_lang: str

    def segments(self) -> list[Segment]:
        """Its sentences, then its captions (ids ``c1``, ``c2``...), as segments."""
        src = self.source_lang
        out = [s.to_segment(src) for paragraph in self.sentences for s in paragraph]
        out += [Segment(f"c{n}", n, src, c.text) for n, c in enumerate(self.article.captions, 1)]
        return out

    def split(self, translated: Sequence[Segment]) -> tuple[list[list[Segment]], list[Segment]]:
        """Translated segments back into paragraphs of sentences, and captions."""
        paragraphs: list[list[Segment]] = []
        k = 0
        for paragraph in self.sentences:
            paragraphs.append(list(translated[k : k + len(paragraph)]))
            k += len(paragraph)
        return paragraphs, list(translated[k:])


def _load_glossary(folder: Path | None) -> Glossary:
    if folder is None:
        default = Path("glossary")
        if not default.is_dir():
            return EMPTY
        folder = default
    return load_glossary(folder)


def _check_writable(out_dir: Path) -> tuple[Path, ...]:
    """Fail before translating when briefings could not be written; else clear the
    temporaries killed runs left there (only dead ones: see bilingual._fs)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe_writable(out_dir)
        return remove_stale_temporaries(out_dir)
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder ({exc.strerror or exc})",
            where=str(out_dir),
            fix="choose a writable folder with --out, or fix its permissions",
        ) from None


@dataclass
class _Engines:
    """The route's translators: timed, and cached when a memory is in use."""

    route: Route
    timed: list[TimedTranslator]
    cached: list[CachedTranslator]
    labels: list[str]
    test_models: list[str] = field(default_factory=list)  # labels of the test packages


def _open_route(
    settings: Settings, options: RunOptions, memory: TranslationMemory | None
) -> _Engines:
    """The route with a loaded (timed, cached) translator per hop, and the model labels."""
    hops: list[Hop] = []
    engines = _Engines(Route(options.source, ()), [], [], [])
    for a, b in route_pairs(options.source, options.targets):
        translator = (options.engine or open_translator)(settings, a, b)
        engines.timed.append(TimedTranslator(translator))
        engines.labels.append(translator.info.label)
        # getattr: a stand-in translator (a wrapper in tests, a benchmark's) may lack it
        if getattr(translator, "test_model", False) is True:
            engines.test_models.append(translator.info.label)
        if memory is None:
            hops.append(Hop(a, b, engines.timed[-1]))
            continue
        cached = CachedTranslator(
            engines.timed[-1], memory, translator.info.label, settings.beam_size
        )
        engines.cached.append(cached)
        model = f"{translator.info.label}|beam={settings.beam_size}"
        hops.append(Hop(a, b, cached, cache=cached, model=model))
    engines.route = Route(options.source, tuple(hops))
    return engines


def _run_signature(
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


def _discover_each(
    paths: Sequence[Path],
) -> tuple[list[Path], list[tuple[Path, BilingualError]], tuple[Skipped, ...]]:
    """Article files of every path, the paths and entries that failed, the notices; a
    path without articles is reported, not fatal, unless no path holds any article."""
    found = scan(paths)
    bad: list[tuple[Path, BilingualError]] = list(found.problems)
    if len(bad) == 1 and not found.files:
        raise bad[0][1]
    if bad and not found.files:
        # every path failed: each one is named, not only the first
        raise InputError(
            f"none of the {len(bad)} paths given holds an article:\n"
            + "\n".join(exc.message for _, exc in bad)
        )
    return list(found.files), bad, found.skipped


def _unexpected(path: Path, name: str, doing: str, exc: Exception) -> ArticleReport:
    """A bug met while ``doing`` one article: it fails, the others go on (see bug_report)."""
    error, bug = bug_report(exc, doing, str(path))
    return ArticleReport(path, name, error=error, bug=bug)


def _read_jobs(
    files: Sequence[Path], source_lang: str, encoding: str | None = None
) -> tuple[list[_Job], dict[Path, ArticleReport]]:
    """Ingest and segment each file; a file that cannot be read is reported, not fatal."""
    jobs: list[_Job] = []
    failed: dict[Path, ArticleReport] = {}
    names: dict[str, Path] = {}
    for path in files:
        name = article_name(path)
        if name in names:
            # outputs are named after the input file; a second one would overwrite the first
            failed[path] = ArticleReport(
                path,
                name,
                error=BilingualError(
                    f"has the same name as {names[name]}, so their briefings would "
                    "overwrite each other",
                    where=str(path),
                    fix="rename one of them",
                ).message,
            )
            continue
        names[name] = path
        try:
            article = read_article(path, encoding)
            jobs.append(_Job(article, segment_article(article), source_lang))
        except BilingualError as exc:
            failed[path] = ArticleReport(path, name, error=exc.message)
        except Exception as exc:  # a bug: this article fails, the others go on
            failed[path] = _unexpected(path, name, "reading the article", exc)
    return jobs, failed


@dataclass
class _Guarded:
    """What the guard found in the briefings about to be replaced."""

    jobs: list[_Job]
    failed: dict[Path, ArticleReport]
    imported: dict[str, int]
    """Article name -> sentences imported from its briefing."""
    unedited: set[str]
    """Articles whose briefing exists and holds no reviewer's edit."""


def _guard(
    jobs: Sequence[_Job], options: RunOptions, glossary: Glossary, memory: TranslationMemory | None
) -> _Guarded:
    """Import the reviewer's edits of every briefing about to be replaced (one
    transaction); an article whose briefing must not be replaced fails here."""
    # python-docx is imported only when there is a briefing to read or write
    from bilingual.guard import guard_briefing
    from bilingual.review import store_reviews

    out = _Guarded([], {}, {}, set())
    paths = [options.out_dir / f"{job.article.name}.docx" for job in jobs]
    written = memory.written(paths) if memory is not None else {}
    reviews: list[Review] = []
    for job, docx in zip(jobs, paths, strict=True):
        try:
            review = guard_briefing(
                docx, glossary, has_memory=memory is not None, written=written.get(docx)
            )
        except BilingualError as exc:
            out.failed[job.article.path] = ArticleReport(
                job.article.path, job.article.name, error=exc.message
            )
            continue
        except Exception as exc:  # a bug: this article fails, the others go on
            out.failed[job.article.path] = _unexpected(
                job.article.path, job.article.name, "reading its briefing already there", exc
            )
            continue
        out.jobs.append(job)
        if review is not None and (review.units or review.dismissed):
            reviews.append(review)
        elif docx.exists():
            out.unedited.add(job.article.name)
    if memory is not None and reviews:
        added = store_reviews(memory, reviews)
        out.imported = {r.path.stem: n for r, n in zip(reviews, added, strict=True)}
    return out


def _same_briefing(briefing: Briefing, json_path: Path) -> bool:
    """The JSON twin already holds this briefing, but for the run date."""
    from bilingual.json_io import briefing_to_dict

    try:
        old = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    new = json.loads(json.dumps(briefing_to_dict(briefing), ensure_ascii=False))
    old.pop("run_date", None)
    new.pop("run_date", None)
    return bool(old == new)


def _write(briefing: Briefing, out_dir: Path, imported: int, unedited: bool) -> ArticleReport:
    """Write the DOCX and JSON; a briefing that would come out the same as the unedited
    one already there is left as it is (its run date stays that of the run that made it)."""
    # python-docx is imported only when a briefing is written, not by every importer
    from bilingual.docx_io.writer import save_docx

    name = briefing.article.name
    docx_path = out_dir / f"{name}.docx"
    json_path = out_dir / f"{name}.json"
    kept = unedited and _same_briefing(briefing, json_path)
    if not kept:
        # both files are renamed into place only when both are complete, so the DOCX and
        # the JSON beside it always come from the same run
        write_atomically(
            [(json_path, partial(save_json, briefing)), (docx_path, partial(save_docx, briefing))],
            what="the briefing",
        )
    sentences = briefing.segments()
    segments = briefing.all_segments()  # captions are locked and checked like sentences
    uses = [(lang, use) for s in segments for lang, use in s.term_uses()]
    flags = [*briefing.flags, *(f for s in segments for f in s.flags())]
    forced = {lang: sum(1 for g, u in uses if g == lang and u.forced) for lang in briefing.targets}
    return ArticleReport(
        source=briefing.article.path,
        name=name,
        docx=docx_path,
        json=json_path,
        paragraphs=len(briefing.paragraphs),
        sentences=len(sentences),
        captions=len(segments) - len(sentences),
        terms_locked=len({(s.id, u.start, u.term_id) for s in segments for _, u in s.term_uses()}),
        terms_forced=sum(forced.values()),
        flags=len(flags),
        error_flags=sum(1 for f in flags if f.level == "error"),
        imported=imported,
        rewritten=not kept,
        from_memory=sum(1 for s in segments for r in s.renderings.values() if r.reviewed),
        term_updates=sum(1 for f in flags if f.code == "term-updated"),
        forced_by_lang=forced,
    )


def _with_notes(segment: Segment, notes: Mapping[str, Flag]) -> Segment:
    """``segment`` with a finding added to the rendering of each language in ``notes``."""
    if not notes:
        return segment
    return segment.with_renderings(
        {
            lang: replace(r, flags=(*r.flags, notes[lang])) if lang in notes else r
            for lang, r in segment.renderings.items()
        }
    )


def _dismissed(memory: TranslationMemory | None, segments: Sequence[Segment]) -> Dismissed:
    """The memory's dismissed findings for these segments, as assemble asks for them."""
    if memory is None:
        return lambda *_: False
    found = memory.dismissed({source_key(s.source_lang, s.source) for s in segments})

    def dismissed(segment: Segment, lang: str, rendering: Rendering, flag: Flag) -> bool:
        key = source_key(segment.source_lang, segment.source)
        return (key, lang, text_hash(rendering.text), flag.code) in found

    return dismissed


def _record(
    memory: TranslationMemory, cached: Sequence[CachedTranslator], docx: Sequence[Path]
) -> None:
    """The run's one write to the memory: its new machine translations and the hash of
    every briefing it wrote (a file still equal to it needs no reading next time)."""
    from bilingual.guard import file_hash

    hashes = [(path, file_hash(path)) for path in docx if path.exists()]
    with memory.transaction():
        for translator in cached:
            translator.save()
        memory.record_written(hashes)


# -- the run -----------------------------------------------------------------------------


def translate_articles(
    options: RunOptions, settings: Settings, progress: Progress | None = None
) -> RunReport:
    """Run the whole job. Raises BilingualError only for run-wide problems; per-article
    problems are in the report (``RunReport.failed``)."""
    if options.targets not in SUPPORTED_TARGETS:
        raise ConfigError(f"unsupported targets {options.targets}", fix="use --to en or --to en,vi")
    files, bad_paths, skipped = _discover_each(options.paths)
    glossary = _load_glossary(options.glossary_dir)
    memory = TranslationMemory(options.memory) if options.memory is not None else None
    try:
        return replace(
            _run(options, settings, progress or NoProgress(), files, bad_paths, glossary, memory),
            skipped=skipped,
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
    engines = _open_route(settings, options, memory)
    route = engines.route
    removed = _check_writable(options.out_dir)

    reports = {p: ArticleReport(p, printable(p.name), error=e.message) for p, e in bad_paths}
    jobs, failed = _read_jobs(files, options.source, options.encoding)
    reports.update(failed)
    guarded = _guard(jobs, options, glossary, memory)
    jobs = guarded.jobs
    reports.update(guarded.failed)
    to_translate = [job.segments() for job in jobs]
    recalled: list[dict[str, Recalled]] = [{} for segments in to_translate for _ in segments]
    fuzzy: list[dict[str, Flag]] = [{} for _ in recalled]
    if memory is not None:
        names = [job.article.name for job in jobs]
        found = recall_segments(memory, to_translate, route.targets, names)
        recalled = [r for article in found.recalled for r in article]
        fuzzy = [f for article in found.fuzzy for f in article]
    translated = translate_segments(
        [segment for segments in to_translate for segment in segments],
        route,
        glossary,
        dedupe=options.dedupe,
        natural_first=options.natural_first,
        progress=progress,
        recalled=recalled,
    )
    translated = [_with_notes(s, notes) for s, notes in zip(translated, fuzzy, strict=True)]
    dismissed = _dismissed(memory, translated)
    signature = _run_signature(route, engines.labels, glossary, settings, options.natural_first)
    run_date = (
        options.run_date
        or settings.run_date
        or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    )
    run = RunInfo(
        options.source,
        route.targets,
        tuple(engines.labels),
        signature,
        run_date,
        __version__,
        tuple(engines.test_models),
    )
    advance = stage(progress, "writing briefings", len(jobs))
    start = 0
    for job, segments in zip(jobs, to_translate, strict=True):
        sentences, captions = job.split(translated[start : start + len(segments)])
        start += len(segments)
        path = job.article.path
        try:
            # the briefing records the path without this machine's folders (see
            # portable_path), in text any document can hold (a name may not be UTF-8)
            shown = Path(printable(str(portable_path(job.article.path))))
            article = replace(job.article, path=shown)
            briefing = assemble_briefing(article, sentences, captions, glossary, run, dismissed)
            name = job.article.name
            reports[path] = _write(
                briefing, options.out_dir, guarded.imported.get(name, 0), name in guarded.unedited
            )
        except BilingualError as exc:
            reports[path] = ArticleReport(path, job.article.name, error=exc.message)
        except Exception as exc:  # a bug: this article fails, the others go on
            reports[path] = _unexpected(path, job.article.name, "writing its briefing", exc)
        advance(1)
    if memory is not None:
        _record(memory, engines.cached, [r.docx for r in reports.values() if r.docx])

    used = {use.term_id for s in translated for _, use in s.term_uses()}
    return RunReport(
        articles=tuple(reports[p] for p in [*(p for p, _ in bad_paths), *files] if p in reports),
        unmatched_terms=tuple(sorted({t.id for t in glossary.terms} - used)),
        signature=str(signature),
        seconds=time.perf_counter() - t_start,
        model_seconds=sum(t.seconds for t in engines.timed),
        model_sentences=sum(t.sentences for t in engines.timed),
        model_calls=sum(t.calls for t in engines.timed),
        model_batches=tuple(n for t in engines.timed for n in t.batches),
        cached_sentences=sum(c.cached_sentences for c in engines.cached),
        memory=options.memory,
        removed_temporaries=removed,
        test_models=tuple(engines.test_models),
    )
