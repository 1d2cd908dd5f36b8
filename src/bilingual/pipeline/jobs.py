"""The run's inputs: article files found, read and segmented, and the briefings about to be
replaced guarded (their reviewer's edits go to the memory first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual._fs import probe_writable, remove_stale_temporaries
from bilingual.discovery import Skipped, article_name, scan
from bilingual.document.article import Article
from bilingual.document.segment import Segment
from bilingual.errors import (
    BilingualError,
    InputError,
    OutputError,
    bug_report,
)
from bilingual.glossary.store import load_glossary
from bilingual.glossary.term import EMPTY, Glossary
from bilingual.ingest import read_article
from bilingual.memory.store import TranslationMemory
from bilingual.pipeline.options import ArticleReport, RunOptions
from bilingual.segment import Sentence, segment_article

if TYPE_CHECKING:
    from bilingual.review import Review


@dataclass(frozen=True)
class Job:
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


def load_glossary_folder(folder: Path | None) -> Glossary:
    if folder is None:
        default = Path("glossary")
        if not default.is_dir():
            return EMPTY
        folder = default
    return load_glossary(folder)


def check_writable(out_dir: Path) -> tuple[Path, ...]:
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


def discover_each(
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


def unexpected(path: Path, name: str, doing: str, exc: Exception) -> ArticleReport:
    """A bug met while ``doing`` one article: it fails, the others go on (see bug_report)."""
    error, bug = bug_report(exc, doing, str(path))
    return ArticleReport(path, name, error=error, bug=bug)


def read_jobs(
    files: Sequence[Path], source_lang: str, encoding: str | None = None
) -> tuple[list[Job], dict[Path, ArticleReport]]:
    """Ingest and segment each file; a file that cannot be read is reported, not fatal."""
    jobs: list[Job] = []
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
            jobs.append(Job(article, segment_article(article), source_lang))
        except BilingualError as exc:
            failed[path] = ArticleReport(path, name, error=exc.message)
        except Exception as exc:  # a bug: this article fails, the others go on
            failed[path] = unexpected(path, name, "reading the article", exc)
    return jobs, failed


@dataclass
class Guarded:
    """What the guard found in the briefings about to be replaced."""

    jobs: list[Job]
    failed: dict[Path, ArticleReport]
    imported: dict[str, int]
    """Article name -> sentences imported from its briefing."""
    unedited: set[str]
    """Articles whose briefing exists and holds no reviewer's edit."""
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Article name -> rows its briefing's reviewer deleted or added, and what became of
    them (:func:`bilingual.review.row_messages`)."""


def guard(
    jobs: Sequence[Job], options: RunOptions, glossary: Glossary, memory: TranslationMemory | None
) -> Guarded:
    """Import the reviewer's edits of every briefing about to be replaced (one
    transaction); an article whose briefing must not be replaced fails here."""
    # python-docx is imported only when there is a briefing to read or write
    from bilingual.guard import guard_briefing
    from bilingual.review import row_messages, store_reviews

    out = Guarded([], {}, {}, set())
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
            out.failed[job.article.path] = unexpected(
                job.article.path, job.article.name, "reading its briefing already there", exc
            )
            continue
        out.jobs.append(job)
        if review is not None and (review.units or review.dismissed or review.deleted):
            reviews.append(review)
            out.notes[job.article.name] = tuple(row_messages(review))
        elif docx.exists():
            out.unedited.add(job.article.name)
    if memory is not None and reviews:
        added = store_reviews(memory, reviews, restore=False)  # a retraction holds
        out.imported = {r.path.stem: n for r, n in zip(reviews, added, strict=True)}
    return out
