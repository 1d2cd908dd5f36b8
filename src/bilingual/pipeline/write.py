"""The run's outputs: each briefing's DOCX and JSON written together, and the memory's one
write at the end of a run."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from bilingual._fs import write_atomically
from bilingual.assemble import Dismissed
from bilingual.document.briefing import Briefing
from bilingual.document.segment import Flag, Rendering, Segment
from bilingual.errors import OutputError
from bilingual.json_io import save_json
from bilingual.memory.cache import CachedTranslator
from bilingual.memory.names import StoredName
from bilingual.memory.store import TranslationMemory, source_key, text_hash
from bilingual.pipeline.options import ArticleReport

REPORTS_FOLDER = "reports"
"""The output folder's subfolder for run reports (never an article's name: no '/')."""


def same_briefing(briefing: Briefing, json_path: Path) -> bool:
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


def write_briefing(
    briefing: Briefing, out_dir: Path, imported: int, unedited: bool
) -> ArticleReport:
    """Write the DOCX and JSON; a briefing that would come out the same as the unedited
    one already there is left as it is (its run date stays that of the run that made it)."""
    # python-docx is imported only when a briefing is written, not by every importer
    from bilingual.docx_io.writer import save_docx

    name = briefing.article.name
    docx_path = out_dir / f"{name}.docx"
    json_path = out_dir / f"{name}.json"
    kept = unedited and same_briefing(briefing, json_path)
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


def with_notes(segment: Segment, notes: Mapping[str, Sequence[Flag]]) -> Segment:
    """``segment`` with the findings in ``notes`` (language -> findings) added to the
    rendering of each language."""
    if not notes:
        return segment
    return segment.with_renderings(
        {
            lang: replace(r, flags=(*r.flags, *notes[lang])) if lang in notes else r
            for lang, r in segment.renderings.items()
        }
    )


def dismissed_in(memory: TranslationMemory | None, segments: Sequence[Segment]) -> Dismissed:
    """The memory's dismissed findings for these segments, as assemble asks for them."""
    if memory is None:
        return lambda *_: False
    found = memory.dismissed({source_key(s.source_lang, s.source) for s in segments})

    def dismissed(segment: Segment, lang: str, rendering: Rendering, flag: Flag) -> bool:
        key = source_key(segment.source_lang, segment.source)
        return (key, lang, text_hash(rendering.text), flag.code) in found

    return dismissed


def record_run(
    memory: TranslationMemory,
    cached: Sequence[CachedTranslator],
    docx: Sequence[Path],
    names: Sequence[StoredName] = (),
) -> None:
    """The run's one write to the memory: its new machine translations, the names it
    kept (the first rendering of a name stays its rendering), and the hash of every
    briefing it wrote (a file still equal to it needs no reading next time)."""
    from bilingual.guard import file_hash

    hashes = [(path, file_hash(path)) for path in docx if path.exists()]
    with memory.transaction():
        for translator in cached:
            translator.save()
        memory.names.add(names)
        memory.record_written(hashes)


def save_consistency(report: Mapping[str, object], out_dir: Path) -> Path:
    """Write the run's consistency report (atomically) as ``reports/consistency.json`` in
    the output folder. Run reports live in a folder of their own because briefings are
    named after their articles and an article may be called anything: a report beside
    them would one day be written over an article's JSON (``consistency.txt``)."""
    path = out_dir / REPORTS_FOLDER / "consistency.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the reports folder ({exc.strerror or exc})",
            where=str(path.parent),
            fix="make the output folder writable, or choose another with --out",
        ) from None
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"

    def save(target: Path) -> None:
        target.write_text(text, encoding="utf-8")

    write_atomically([(path, save)], what="the consistency report")
    return path
