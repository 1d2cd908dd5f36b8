"""Pipeline: articles in, one DOCX + JSON briefing per article out.

Order matters for the user: everything that can fail cheaply (no article found, bad
glossary, missing model, unwritable output folder) fails before any translation starts.
A bad article does not stop the others; it is reported and the run ends with exit 1.
Sentences from every article go to the engine in one call, so batching is global, and an
identical sentence (the same Arabic in two articles) is translated once.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bilingual import __version__
from bilingual._fs import atomic_path
from bilingual.align import SentenceResult, align_article
from bilingual.config import Settings
from bilingual.document import Briefing, Flag, TermCount, TermUse, TranslatedCaption
from bilingual.enforce import Locked, Requirement, SupportsTranslate, lock
from bilingual.errors import BilingualError, ConfigError, OutputError
from bilingual.glossary import Glossary, Term, TermMatch
from bilingual.ingest import Article, Caption
from bilingual.qa import article_flags, sentence_flags
from bilingual.segment import Sentence

if TYPE_CHECKING:
    from bilingual.engine import Translation, Translator

SOURCE_LANG = "ar"
SUPPORTED_TARGETS: tuple[tuple[str, ...], ...] = (("en",), ("en", "vi"))


class Progress(Protocol):
    """How the library reports progress; the CLI draws it, tests may record it."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class _NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    targets: tuple[str, ...] = ("en",)
    glossary_dir: Path | None = None
    """None: ``glossary/`` when it exists, else no glossary."""
    out_dir: Path = Path("output")
    natural_first: bool = False
    """Try the plain translation before injecting terms (slower; see bilingual.enforce)."""
    dedupe: bool = True
    """Translate an identical sentence once, however many times it occurs in the run."""
    run_date: str | None = None
    """Fixed run date (ISO 8601) for reproducible output; None: now, in UTC."""


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


# -- stages -------------------------------------------------------------------------------


@dataclass
class _Unit:
    """One text to translate: a sentence or a caption, deduplicated by text."""

    text: str
    matches: tuple[TermMatch, ...]
    en: Locked | None = None
    vi: Locked | None = None
    vi_reqs: tuple[tuple[int, Requirement], ...] = ()
    """Index of the en requirement each vi requirement comes from, and the requirement."""


@dataclass
class _Job:
    article: Article
    sentences: tuple[tuple[Sentence, ...], ...]
    captions: tuple[str, ...] = field(default_factory=tuple)


class _TimedTranslator:
    """Wraps a translator to measure time spent in the model (for the run summary)."""

    def __init__(self, inner: SupportsTranslate) -> None:
        self.inner = inner
        self.seconds = 0.0

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        t0 = time.perf_counter()
        try:
            return self.inner.translate(
                sentences,
                num_hypotheses=num_hypotheses,
                target_prefixes=target_prefixes,
                beam_size=beam_size,
                progress=progress,
            )
        finally:
            self.seconds += time.perf_counter() - t0


def _load_glossary(folder: Path | None) -> Glossary:
    from bilingual.glossary import load_glossary

    if folder is None:
        default = Path("glossary")
        if not default.is_dir():
            return Glossary(terms=(), files=(), signature="none")
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


def _open_translators(settings: Settings, targets: Sequence[str]) -> list[Translator]:
    from bilingual.engine import open_translator

    pairs = [(SOURCE_LANG, "en")] + ([("en", "vi")] if "vi" in targets else [])
    return [open_translator(settings, a, b) for a, b in pairs]


def _requirements(unit: _Unit, glossary: dict[str, Term]) -> tuple[Requirement, ...]:
    return tuple(
        Requirement(m.term_id, m.start, m.end, glossary[m.term_id].en) for m in unit.matches
    )


def _vi_requirements(unit: _Unit, glossary: dict[str, Term]) -> tuple[tuple[int, Requirement], ...]:
    """Where each locked English rendering sits in the English, to be replaced by its ``vi``.

    A leading ``the`` goes with it: Vietnamese has no article.
    """
    assert unit.en is not None
    text = unit.en.text
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, Requirement]] = []
    for k, m in enumerate(unit.matches):
        term = glossary[m.term_id]
        if not term.vi:
            continue
        pos = text.find(term.en)
        while pos != -1 and any(a <= pos < b for a, b in taken):
            pos = text.find(term.en, pos + 1)
        if pos == -1:
            continue
        end = pos + len(term.en)
        taken.append((pos, end))
        start = pos
        if text[max(0, pos - 4) : pos].lower() == "the ":
            start = pos - 4
        out.append((k, Requirement(m.term_id, start, end, term.vi)))
    return tuple(out)


def _term_uses(
    unit: _Unit, glossary: dict[str, Term], targets: Sequence[str]
) -> tuple[TermUse, ...]:
    uses: list[TermUse] = []
    assert unit.en is not None
    for m, strategy in zip(unit.matches, unit.en.strategies, strict=True):
        uses.append(
            TermUse(
                m.term_id,
                "en",
                unit.text[m.start : m.end],
                m.start,
                m.end,
                glossary[m.term_id].en,
                strategy,
            )
        )
    if "vi" in targets and unit.vi is not None:
        for (k, req), strategy in zip(unit.vi_reqs, unit.vi.strategies, strict=True):
            m = unit.matches[k]
            uses.append(
                TermUse(
                    m.term_id,
                    "vi",
                    unit.text[m.start : m.end],
                    m.start,
                    m.end,
                    req.rendering,
                    strategy,
                )
            )
    return tuple(uses)


def _signature(
    settings: Settings,
    targets: Sequence[str],
    labels: Sequence[str],
    glossary: Glossary,
    natural_first: bool,
) -> str:
    """One reproducibility string, like sacrebleu's: everything that changes the output."""
    pairs = [f"{SOURCE_LANG}-en", "en-vi"][: len(labels)]
    models = "|".join(f"{p}:{label}" for p, label in zip(pairs, labels, strict=True))
    lock_mode = "natural-first" if natural_first else "inject-first"
    return (
        f"src:{SOURCE_LANG}|tgt:{','.join(targets)}|{models}|glossary:{glossary.signature}"
        f"|beam:{settings.beam_size}|lock:{lock_mode}|version:{__version__}"
    )


def _stage(progress: Progress, name: str, total: int) -> Callable[[int], None]:
    """Announce a stage of ``total`` steps; returns the callback that advances it."""
    progress.start(name, total)
    return progress.advance


def translate_articles(
    options: RunOptions, settings: Settings, progress: Progress | None = None
) -> RunReport:
    """Run the whole job. Raises BilingualError only for run-wide problems; per-article
    problems are in the report (``RunReport.failed``)."""
    from bilingual.glossary import TermMatcher
    from bilingual.ingest import discover, read_article
    from bilingual.segment import segment_article

    t_start = time.perf_counter()
    progress = progress or _NoProgress()
    targets = options.targets
    if targets not in SUPPORTED_TARGETS:
        raise ConfigError(f"unsupported targets {targets}", fix="use --to en or --to en,vi")

    files, bad_paths = _discover_each(options.paths, discover)
    glossary = _load_glossary(options.glossary_dir)
    terms = {t.id: t for t in glossary.terms}
    translators = _open_translators(settings, targets)
    _check_writable(options.out_dir)

    reports: dict[Path, ArticleReport] = {
        path: ArticleReport(path, path.name, error=err.message) for path, err in bad_paths
    }
    jobs: list[_Job] = []
    names: dict[str, Path] = {}
    for path in files:
        if path.stem in names:
            # outputs are named after the input file; a second one would overwrite the first
            reports[path] = ArticleReport(
                path,
                path.stem,
                error=f"{path}: has the same name as {names[path.stem]}, so their briefings "
                "would overwrite each other\n  fix: rename one of them",
            )
            continue
        names[path.stem] = path
        try:
            article = read_article(path)
            sentences = segment_article(article)
        except BilingualError as exc:
            reports[path] = ArticleReport(path, path.stem, error=exc.message)
            continue
        # a caption row that holds only a credit has no text to translate
        jobs.append(_Job(article, sentences, tuple(c.text for c in article.captions if c.text)))

    matcher = TermMatcher(glossary)
    units: dict[str, _Unit] = {}
    ordered: list[_Unit] = []
    for job in jobs:
        texts = [s.text for para in job.sentences for s in para] + list(job.captions)
        for text in texts:
            if text not in units:
                units[text] = _Unit(text, matcher.find(text))
                ordered.append(units[text])
            elif not options.dedupe:
                ordered.append(_Unit(text, units[text].matches))
    timed = [_TimedTranslator(t) for t in translators]
    advance = _stage(progress, "translating to English", len(ordered))
    locked = lock(
        timed[0],
        [u.text for u in ordered],
        [_requirements(u, terms) for u in ordered],
        natural_first=options.natural_first,
        progress=advance,
    )
    for unit, result in zip(ordered, locked, strict=True):
        unit.en = result
    if "vi" in targets:
        for unit in ordered:
            unit.vi_reqs = _vi_requirements(unit, terms)
        advance = _stage(progress, "translating to Vietnamese", len(ordered))
        locked_vi = lock(
            timed[1],
            [u.en.text if u.en else "" for u in ordered],
            [tuple(r for _, r in u.vi_reqs) for u in ordered],
            progress=advance,
        )
        for unit, result in zip(ordered, locked_vi, strict=True):
            unit.vi = result

    labels = [t.info.label for t in translators]
    signature = _signature(settings, targets, labels, glossary, options.natural_first)
    run_date = options.run_date or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    matched: set[str] = set()
    advance = _stage(progress, "writing briefings", len(jobs))
    for job in jobs:
        path = job.article.path
        try:
            briefing = _briefing(job, units, terms, targets, labels, signature, run_date)
            reports[path] = _write(briefing, options.out_dir)
        except BilingualError as exc:
            reports[path] = ArticleReport(path, job.article.name, error=exc.message)
        texts = [s.text for para in job.sentences for s in para] + list(job.captions)
        matched.update(m.term_id for text in texts for m in units[text].matches)
        advance(1)

    unmatched = tuple(sorted(set(terms) - matched))
    return RunReport(
        articles=tuple(reports[p] for p in [*(p for p, _ in bad_paths), *files] if p in reports),
        unmatched_terms=unmatched,
        signature=signature,
        seconds=time.perf_counter() - t_start,
        model_seconds=sum(t.seconds for t in timed),
    )


def _discover_each(
    paths: Sequence[Path], discover: Callable[[Sequence[Path]], list[Path]]
) -> tuple[list[Path], list[tuple[Path, BilingualError]]]:
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


def _caption(
    caption: Caption, units: dict[str, _Unit], targets: Sequence[str]
) -> TranslatedCaption:
    unit = units.get(caption.text)
    if unit is None or unit.en is None:
        return TranslatedCaption(caption, "", "" if "vi" in targets else None)
    return TranslatedCaption(caption, unit.en.text, unit.vi.text if unit.vi is not None else None)


def _briefing(
    job: _Job,
    units: dict[str, _Unit],
    terms: dict[str, Term],
    targets: tuple[str, ...],
    labels: Sequence[str],
    signature: str,
    run_date: str,
) -> Briefing:
    results: dict[str, SentenceResult] = {}
    counts: Counter[str] = Counter()
    forced: Counter[str] = Counter()
    for para in job.sentences:
        for s in para:
            unit = units[s.text]
            assert unit.en is not None
            uses = _term_uses(unit, terms, targets)
            vi = unit.vi.text if unit.vi is not None else None
            flags = list(sentence_flags(s.id, s.text, unit.en.text, "en", uses))
            if vi is not None:
                flags += sentence_flags(s.id, s.text, vi, "vi", uses)
            results[s.id] = SentenceResult(unit.en.text, vi, uses, tuple(flags))
            for use in uses:
                if use.lang == "en":
                    counts[use.term_id] += 1
                if use.forced:
                    forced[use.term_id] += 1

    paragraphs = align_article(job.article, job.sentences, results)
    captions = tuple(_caption(c, units, targets) for c in job.article.captions)
    all_flags: list[Flag] = list(article_flags(job.article))
    all_flags += [f for p in paragraphs for s in p.sentences for f in s.flags]
    first = paragraphs[0].sentences[0] if paragraphs and paragraphs[0].sentences else None
    term_counts = tuple(
        TermCount(
            tid,
            terms[tid].type,
            terms[tid].ar[0],
            terms[tid].en,
            terms[tid].vi,
            counts[tid],
            forced[tid],
        )
        for tid in sorted(counts, key=lambda t: (-counts[t], t))
    )
    return Briefing(
        article=job.article,
        targets=targets,
        title_ar=first.source if first else job.article.name,
        title_en=first.en if first else job.article.name,
        title_vi=(first.vi if first else None) if "vi" in targets else None,
        paragraphs=paragraphs,
        captions=captions,
        flags=tuple(all_flags),
        terms=term_counts,
        models=tuple(labels),
        signature=signature,
        run_date=run_date,
        version=__version__,
    )


def _write(briefing: Briefing, out_dir: Path) -> ArticleReport:
    from bilingual.docx_writer import write_docx
    from bilingual.json_writer import write_json

    name = briefing.article.name
    docx_path = out_dir / f"{name}.docx"
    json_path = out_dir / f"{name}.json"
    try:
        # both files are built under temporary names and renamed only when both are
        # complete, so the DOCX and the JSON beside it always come from the same run
        with atomic_path(json_path) as json_tmp, atomic_path(docx_path) as docx_tmp:
            write_json(briefing, json_tmp)
            write_docx(briefing, docx_tmp)
    except OSError as exc:
        raise OutputError(
            f"could not write the briefing ({exc.strerror or exc})",
            where=str(out_dir),
            fix="check free space and permissions of the output folder",
        ) from None
    uses = [u for p in briefing.paragraphs for s in p.sentences for u in s.terms]
    return ArticleReport(
        source=briefing.article.path,
        name=name,
        docx=docx_path,
        json=json_path,
        paragraphs=len(briefing.paragraphs),
        sentences=sum(len(p.sentences) for p in briefing.paragraphs),
        terms_locked=len(uses),
        terms_forced=sum(1 for u in uses if u.forced),
        flags=len(briefing.flags),
        error_flags=sum(1 for f in briefing.flags if f.level == "error"),
    )
