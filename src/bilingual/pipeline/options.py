"""The run's options and reports: what a run is asked to do, and what it did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual import routes
from bilingual.discovery import Skipped
from bilingual.document.names import Inconsistency, KeptName
from bilingual.errors import (
    ConfigError,
)

if TYPE_CHECKING:
    from bilingual.cluster import Opener


SUPPORTED_TARGETS: tuple[tuple[str, ...], ...] = (("en",), ("en", "vi"))
"""The target lists of the default route's first releases (kept for callers); any
targets a route reaches are accepted now (see :mod:`bilingual.routes`)."""


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    targets: tuple[str, ...] = ("en",)
    source: str = "ar"
    """The articles' language."""
    route: tuple[tuple[str, str], ...] = ()
    """The hops, in order (``(("ar", "vi"),)`` for ``--route ar-vi``); its targets must
    be ``targets``. Empty: :func:`bilingual.routes.default_route` of ``targets``."""
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
    auto_names: bool = True
    """Keep each new name to one rendering across the run (``--no-auto-names``: off)."""
    similar: float = 0.75
    """Show the memory's most similar reviewed sentence (a comment) where there is no exact
    match, from this similarity (0 to 1; 0: off); see bilingual.memory.similar."""
    consistency: bool = True
    """Run the consistency check (off only to measure what it costs: bench/pipeline.py)."""
    alternatives: int = 2
    """Next best translations offered where the model is unsure (the low confidence band),
    within the beam (see :mod:`bilingual.alternatives`); 0: none (to measure the cost)."""


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
    review_notes: tuple[str, ...] = ()
    """What the briefing replaced held beside edited sentences: rows the reviewer deleted
    or added, and what became of them."""
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
    score_seconds: float = 0.0
    """Of ``model_seconds``, the time spent scoring texts for their confidence."""
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
    licence_notes: tuple[str, ...] = ()
    """A line for each model used under a non-commercial licence (the CLI says them)."""
    uncalibrated: tuple[str, ...] = ()
    """Labels of the packages without confidence thresholds: their renderings carry a
    confidence but no confidence finding (the CLI says to run ``models calibrate``)."""
    names: tuple[KeptName, ...] = ()
    """The names kept to one rendering across the run (``count_here`` is 0 here)."""
    consistency: tuple[Inconsistency, ...] = ()
    """The consistency check's findings over the run and the memory."""
    consistency_report: Path | None = None
    """Where they were written (``reports/consistency.json`` in the output folder)."""
    glossary_warnings: tuple[str, ...] = ()
    """Draft glossary terms left out, each with its file, line and why."""
    names_seconds: float = 0.0
    """Time the names stage took (detection, the memory, the model for the names alone)."""
    consistency_seconds: float = 0.0

    @property
    def failed(self) -> tuple[ArticleReport, ...]:
        return tuple(a for a in self.articles if a.error is not None)

    @property
    def terms_forced(self) -> int:
        return sum(a.terms_forced for a in self.articles)

    @property
    def error_flags(self) -> int:
        return sum(a.error_flags for a in self.articles)


def parse_targets(value: str, source: str = "ar") -> tuple[str, ...]:
    """``en``, ``en,vi`` or ``vi``: known codes other than the source, each once."""
    return routes.parse_targets(value, source)


def run_route(options: RunOptions) -> tuple[tuple[str, str], ...]:
    """The run's hops: ``options.route`` checked against the source and the targets, or
    the default route of the targets."""
    if not options.route:
        return routes.default_route(
            options.source, routes.parse_targets(options.targets, options.source)
        )
    routes.check_route(options.route, options.source)
    reached = routes.route_targets(options.route)
    if set(reached) != set(options.targets):
        raise ConfigError(
            f"the route {routes.format_route(options.route)} reaches {','.join(reached)}, "
            f"but the targets are {','.join(options.targets)}",
            fix="give the targets the route reaches, or leave the route empty for the default",
        )
    return options.route
