"""The publish run: briefings and memory in, checked reader's editions out, all or none.

Every file is written to a temporary sibling, read back by its renderer and checked
(:func:`bilingual.publish.check.verify`), and only when every file of the run passed is
each renamed into place: a failure anywhere (a gate refusal, a renderer, LibreOffice, a
check) leaves the output folder as it was. The PDF is made from a DOCX of the same
publication (rendered into a scratch folder when ``docx`` is not asked for). Renderers
are imported only for the formats asked for. The library never prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual._fs import probe_writable, remove_stale_temporaries, write_atomically
from bilingual.errors import OutputError, PublishError, printable
from bilingual.publish.check import verify, verify_letters
from bilingual.publish.edition import Block, Edition, Layout, Publication

__all__ = ["FORMATS", "PublishOptions", "PublishReport", "file_name_problem", "publish"]

FORMATS = ("docx", "html", "pdf")
"""The formats, in the order they are written (the PDF, slowest, last)."""
_RENDERERS = {"docx": "bilingual.publish.docx_out", "html": "bilingual.publish.html_out"}
_PDF = "bilingual.publish.pdf"
_NOT_IN_NAMES = ':*?"<>|'


@dataclass(frozen=True)
class PublishOptions:
    paths: tuple[Path, ...]
    """Briefing JSON files, or folders of them."""
    out_dir: Path
    memory: Path
    glossary_dir: Path | None = None
    """The glossary the briefings were made with (for the import of a DOCX's edits)."""
    to: str | None = None
    layout: Layout = "target"
    digest: str | None = None
    formats: tuple[str, ...] = ("docx",)
    pdf_a: bool = False
    allow_unreviewed: bool = False
    desk: str = ""
    date: str = ""
    """The digest's day (ISO 8601); '' for today (UTC)."""
    timeout: float = 300.0
    """Seconds LibreOffice may take per PDF."""


@dataclass(frozen=True)
class PublishReport:
    written: tuple[Path, ...]
    editions: tuple[Edition, ...]
    imported: Mapping[str, int] = field(default_factory=dict)
    """Article -> units the DOCX beside its briefing added to the memory."""
    memory: Path = Path()


def file_name_problem(name: str) -> str | None:
    """What makes ``name`` unfit as the stem of a file in the output folder, or None."""
    if not name.strip():
        return "it is empty"
    if "/" in name or "\\" in name or name in (".", ".."):
        return "it is a path, not a file name"
    if name.startswith("."):
        return "it starts with a dot (a hidden file)"
    if printable(name) != name or any(not ch.isprintable() for ch in name):
        return "it holds control characters"
    if any(ch in _NOT_IN_NAMES for ch in name):
        return f"it holds one of {' '.join(_NOT_IN_NAMES)} (not allowed in Windows file names)"
    if name.lower().endswith(tuple(f".{fmt}" for fmt in FORMATS)):
        return "it ends with a format's extension: give the name alone (--format adds it)"
    if len(name.encode("utf-8", "surrogateescape")) > 200:
        return "it is longer than 200 bytes"
    return None


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def _module(name: str, fmt: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise PublishError(
            f"this bilingual cannot write {fmt.upper()} yet ({name} is missing)",
            fix=f"leave {fmt} out of --format",
        ) from None


Writer = Callable[[Path], None]


def _checked(
    write: Callable[[Path], None],
    read: Callable[[Path], list[Block]],
    pub: Publication,
    at: Path,
    check: Callable[[Publication, list[Block], Path], None] | None = None,
) -> Writer:
    def run(tmp: Path) -> None:
        try:
            write(tmp)
            (check or verify)(pub, read(tmp), at)
        except PublishError as exc:
            if exc.where is None or not exc.where.startswith(tempfile.gettempdir()):
                raise
            # a scratch file's name tells the user nothing: the edition's does
            raise PublishError(exc.what, where=str(at), fix=exc.fix) from None

    return run


def _writers(
    items: Sequence[tuple[str, Publication]], options: PublishOptions, scratch: Path
) -> list[tuple[Path, Writer]]:
    """``(target, writer)`` for every file of the run; each writer checks its file."""
    formats = set(options.formats)
    # each imported only when asked for: a missing renderer fails only its format
    docx: Any = _module(_RENDERERS["docx"], "docx") if formats & {"docx", "pdf"} else None
    html: Any = _module(_RENDERERS["html"], "html") if "html" in formats else None
    pdf: Any = _module(_PDF, "pdf") if "pdf" in formats else None
    out: list[tuple[Path, Writer]] = []
    for stem, pub in items:
        # the PDF's DOCX, under the article's own name (LibreOffice names by it)
        source = scratch / f"{stem}.docx"
        at = {fmt: options.out_dir / f"{stem}.{fmt}" for fmt in FORMATS}

        def keep(tmp: Path, pub: Publication = pub, source: Path = source) -> None:
            docx.write_docx(pub, tmp)
            shutil.copyfile(tmp, source)

        def web(tmp: Path, pub: Publication = pub) -> None:
            html.write_html(pub, tmp)

        def render(tmp: Path, pub: Publication = pub, source: Path = source) -> None:
            if not source.exists():
                docx.write_docx(pub, source)
                verify(pub, docx.read_blocks(source), source)
            pdf.write_pdf(source, tmp, pdf_a=options.pdf_a, timeout=options.timeout)

        if "docx" in formats:
            out.append((at["docx"], _checked(keep, docx.read_blocks, pub, at["docx"])))
        if "html" in formats:
            out.append((at["html"], _checked(web, html.read_blocks, pub, at["html"])))
        if "pdf" in formats:
            # a PDF's text is known by its letters only (see bilingual.publish.check)
            out.append(
                (at["pdf"], _checked(render, pdf.read_blocks, pub, at["pdf"], verify_letters))
            )
    return out


def _publications(
    editions: Sequence[Edition], options: PublishOptions
) -> list[tuple[str, Publication]]:
    day = options.date or _today()
    layout, desk = options.layout, options.desk
    if options.digest is not None:
        digest = Publication(tuple(editions), layout, options.digest, desk, day)
        return [(options.digest, digest)]
    return [(e.article, Publication((e,), layout, None, desk, day)) for e in editions]


def _check_outputs(
    items: Sequence[tuple[str, Publication]], options: PublishOptions, inputs: Sequence[Path]
) -> None:
    """Refuse to write over a briefing or an edition open in an editor: publishing into
    a briefings folder would replace a reviewer's DOCX (and their edits not yet imported)
    by the reader's edition."""
    taken = {p.resolve() for p in inputs}
    folders = {p.parent.resolve() for p in inputs}
    if options.out_dir.resolve() in folders:
        raise PublishError(
            "is the folder of the briefings being published: an edition would stand among "
            "them, or replace one",
            where=str(options.out_dir),
            fix="publish into another folder: --out published/",
        )
    for stem, _ in items:
        for fmt in options.formats:
            target = options.out_dir / f"{stem}.{fmt}"
            if target.resolve() in taken or _is_briefing(target):
                raise PublishError(
                    "is a briefing and would be replaced by the reader's edition",
                    where=str(target),
                    fix="publish into another folder: --out published/",
                )
            for lock in (f".~lock.{target.name}#", f"~${target.name}"):
                if (target.parent / lock).exists():
                    raise PublishError(
                        f"is open in Word or LibreOffice (its lock file {lock} is there)",
                        where=str(target),
                        fix="close it, then publish again",
                    )


def _is_briefing(path: Path) -> bool:
    """Whether ``path`` is a briefing ``translate`` wrote (its JSON twin beside it, or the
    DOCX's own keywords say so)."""
    if not path.is_file():
        return False
    if path.with_suffix(".json").is_file() and path.suffix == ".docx":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b"bilingual briefing" in core


def _writable(out_dir: Path) -> None:
    """Fail before writing when the folder cannot take the files; clear the temporaries
    a killed run left there (only dead ones: see bilingual._fs)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(
            "is a file, not a folder", where=str(out_dir), fix="give a folder with --out"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe_writable(out_dir)
        remove_stale_temporaries(out_dir)
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder ({exc.strerror or exc})",
            where=str(out_dir),
            fix="choose a writable folder with --out, or fix its permissions",
        ) from None


def publish(options: PublishOptions) -> PublishReport:
    """Publish the briefings of ``options.paths``; raises a BilingualError (a
    :class:`~bilingual.publish.gate.GateError` when the gate refuses) with nothing
    written to the output folder."""
    from bilingual.glossary.store import load_glossary
    from bilingual.glossary.term import EMPTY
    from bilingual.memory.store import TranslationMemory
    from bilingual.publish.gate import gate
    from bilingual.publish.gather import (
        check_memory,
        gather,
        import_reviews,
        pick_targets,
        read_briefings,
    )

    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown or not options.formats:
        raise PublishError(
            f"unknown format {', '.join(unknown) or '(none)'}", fix="use docx, pdf or html"
        )
    loaded = read_briefings(options.paths)
    if not options.memory.is_file():
        raise PublishError(
            "the translation memory does not exist: the reviews are read from it",
            where=str(options.memory),
            fix="give the memory the briefings were made with: --memory PATH (by default "
            "memory.sqlite beside the first briefing, or the project's)",
        )
    glossary = load_glossary(options.glossary_dir) if options.glossary_dir else EMPTY
    with TranslationMemory(options.memory, create=False) as memory:
        check_memory(memory, loaded)
        imported = import_reviews(memory, loaded, glossary)
        targets = pick_targets(loaded, options.to, digest=options.digest is not None)
        gathered = gather(memory, loaded, targets)
    gate(gathered, allow_unreviewed=options.allow_unreviewed)
    editions = [g.edition for g in gathered]
    items = _publications(editions, options)
    _check_outputs(items, options, [p for i in loaded for p in (i.json, i.docx)])
    created = not options.out_dir.exists()
    _writable(options.out_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="bilingual-publish-") as scratch:
            files = _writers(items, options, Path(scratch))
            write_atomically(files, what="the reader's edition")
    except BaseException:
        if created:  # a folder this run made stays only with the editions in it
            with contextlib.suppress(OSError):
                options.out_dir.rmdir()
        raise
    return PublishReport(
        tuple(target for target, _ in files), tuple(editions), imported, options.memory
    )
