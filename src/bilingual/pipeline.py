"""Pipeline: articles in, one DOCX + JSON briefing per article out. It only orders the stages:

discover -> ingest -> segment -> translate (every article's segments at once, along the
route) -> assemble (QA, alignment, terms) -> write.

Order matters for the user: everything that can fail cheaply (no article found, bad
glossary, missing model, unwritable output folder) fails before any translation starts.
A bad article does not stop the others; it is reported and the run ends with exit 1.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bilingual import __version__
from bilingual._fs import write_atomically
from bilingual.assemble import RunInfo, assemble_briefing
from bilingual.config import Settings
from bilingual.document.article import Article
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Segment
from bilingual.engine import open_translator
from bilingual.errors import BilingualError, ConfigError, OutputError
from bilingual.glossary.store import load_glossary
from bilingual.glossary.term import EMPTY, Glossary
from bilingual.ingest import discover, read_article
from bilingual.json_io import save_json
from bilingual.progress import NoProgress, Progress, stage
from bilingual.segment import Sentence, segment_article
from bilingual.signature import Signature
from bilingual.translate import Hop, Route, TimedTranslator, route_pairs, translate_segments

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


@dataclass(frozen=True)
class ArticleReport:
    source: Path
    name: str
    docx: Path | None = None
    json: Path | None = None
    paragraphs: int = 0
    sentences: int = 0
    terms_locked: int = 0
    terms_forced: int = 0
    flags: int = 0
    error_flags: int = 0
    error: str | None = None
    """The handled error that stopped this article, or None when it was written."""


@dataclass(frozen=True)
class RunReport:
    articles: tuple[ArticleReport, ...]
    unmatched_terms: tuple[str, ...]
    """Glossary term ids that matched in no article."""
    signature: str
    seconds: float
    model_seconds: float
    """Time spent inside the translation engine."""

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


def _check_writable(out_dir: Path) -> None:
    """Fail before translating when briefings could not be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".bilingual-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder ({exc.strerror or exc})",
            where=str(out_dir),
            fix="choose a writable folder with --out, or fix its permissions",
        ) from None


def _open_route(
    settings: Settings, source: str, targets: Sequence[str]
) -> tuple[Route, list[TimedTranslator], list[str]]:
    """The route with a loaded (and timed) translator per hop, and the model labels."""
    hops: list[Hop] = []
    timed: list[TimedTranslator] = []
    labels: list[str] = []
    for a, b in route_pairs(source, targets):
        translator = open_translator(settings, a, b)
        timed.append(TimedTranslator(translator))
        labels.append(translator.info.label)
        hops.append(Hop(a, b, timed[-1]))
    return Route(source, tuple(hops)), timed, labels


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


def _discover_each(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, BilingualError]]]:
    """Article files of every path; a path without articles is reported, not fatal,
    unless no path holds any article at all."""
    files: list[Path] = []
    seen: set[Path] = set()
    bad: list[tuple[Path, BilingualError]] = []
    if not paths:
        discover(paths)  # raises the library's own "no article given" error
    for path in paths:
        try:
            found = discover([path])
        except BilingualError as exc:
            bad.append((path, exc))
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    if not files and bad:
        raise bad[0][1]
    return files, bad


def _read_jobs(
    files: Sequence[Path], source_lang: str
) -> tuple[list[_Job], dict[Path, ArticleReport]]:
    """Ingest and segment each file; a file that cannot be read is reported, not fatal."""
    jobs: list[_Job] = []
    failed: dict[Path, ArticleReport] = {}
    names: dict[str, Path] = {}
    for path in files:
        if path.stem in names:
            # outputs are named after the input file; a second one would overwrite the first
            failed[path] = ArticleReport(
                path,
                path.stem,
                error=f"{path}: has the same name as {names[path.stem]}, so their briefings "
                "would overwrite each other\n  fix: rename one of them",
            )
            continue
        names[path.stem] = path
        try:
            article = read_article(path)
            jobs.append(_Job(article, segment_article(article), source_lang))
        except BilingualError as exc:
            failed[path] = ArticleReport(path, path.stem, error=exc.message)
    return jobs, failed


def _write(briefing: Briefing, out_dir: Path) -> ArticleReport:
    # python-docx is imported only when a briefing is written, not by every importer
    from bilingual.docx_io.writer import save_docx

    name = briefing.article.name
    docx_path = out_dir / f"{name}.docx"
    json_path = out_dir / f"{name}.json"
    # both files are renamed into place only when both are complete, so the DOCX and the
    # JSON beside it always come from the same run
    write_atomically(
        [(json_path, partial(save_json, briefing)), (docx_path, partial(save_docx, briefing))],
        what="the briefing",
    )
    segments = briefing.segments()
    uses = [use for s in segments for _, use in s.term_uses()]
    flags = [*briefing.flags, *(f for s in segments for f in s.flags())]
    return ArticleReport(
        source=briefing.article.path,
        name=name,
        docx=docx_path,
        json=json_path,
        paragraphs=len(briefing.paragraphs),
        sentences=len(segments),
        terms_locked=len(uses),
        terms_forced=sum(1 for u in uses if u.forced),
        flags=len(flags),
        error_flags=sum(1 for f in flags if f.level == "error"),
    )


# -- the run -----------------------------------------------------------------------------


def translate_articles(
    options: RunOptions, settings: Settings, progress: Progress | None = None
) -> RunReport:
    """Run the whole job. Raises BilingualError only for run-wide problems; per-article
    problems are in the report (``RunReport.failed``)."""
    t_start = time.perf_counter()
    progress = progress or NoProgress()
    if options.targets not in SUPPORTED_TARGETS:
        raise ConfigError(f"unsupported targets {options.targets}", fix="use --to en or --to en,vi")
    files, bad_paths = _discover_each(options.paths)
    glossary = _load_glossary(options.glossary_dir)
    route, timed, labels = _open_route(settings, options.source, options.targets)
    _check_writable(options.out_dir)

    reports = {path: ArticleReport(path, path.name, error=err.message) for path, err in bad_paths}
    jobs, failed = _read_jobs(files, options.source)
    reports.update(failed)
    to_translate = [job.segments() for job in jobs]
    translated = translate_segments(
        [segment for segments in to_translate for segment in segments],
        route,
        glossary,
        dedupe=options.dedupe,
        natural_first=options.natural_first,
        progress=progress,
    )
    signature = _run_signature(route, labels, glossary, settings, options.natural_first)
    run_date = (
        options.run_date
        or settings.run_date
        or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    )
    run = RunInfo(options.source, route.targets, tuple(labels), signature, run_date, __version__)
    advance = stage(progress, "writing briefings", len(jobs))
    start = 0
    for job, segments in zip(jobs, to_translate, strict=True):
        sentences, captions = job.split(translated[start : start + len(segments)])
        start += len(segments)
        path = job.article.path
        try:
            briefing = assemble_briefing(job.article, sentences, captions, glossary, run)
            reports[path] = _write(briefing, options.out_dir)
        except BilingualError as exc:
            reports[path] = ArticleReport(path, job.article.name, error=exc.message)
        advance(1)

    used = {use.term_id for s in translated for _, use in s.term_uses()}
    return RunReport(
        articles=tuple(reports[p] for p in [*(p for p, _ in bad_paths), *files] if p in reports),
        unmatched_terms=tuple(sorted({t.id for t in glossary.terms} - used)),
        signature=str(signature),
        seconds=time.perf_counter() - t_start,
        model_seconds=sum(t.seconds for t in timed),
    )
