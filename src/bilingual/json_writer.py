"""JSON writer: the machine-readable twin of the DOCX briefing (schema ``bilingual.briefing/1``).

The layout is documented field by field in docs/json-schema.md and checked against
tests/data/briefing.schema.json. It is a stable interface: keys keep their order, a field
is never renamed or removed within ``bilingual.briefing/1``, and a ``vi`` key is present
exactly when Vietnamese is a target (its value may be null where nothing was produced).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bilingual._fs import atomic_path
from bilingual.document import AlignedSentence, Briefing, Flag, TermUse
from bilingual.errors import OutputError

SCHEMA_ID = "bilingual.briefing/1"


def _flag(flag: Flag) -> dict[str, object]:
    return {"code": flag.code, "level": flag.level, "message": flag.message, "lang": flag.lang}


def _term(use: TermUse) -> dict[str, object]:
    return {
        "term_id": use.term_id,
        "lang": use.lang,
        "source_span": [use.start, use.end],
        "source_text": use.source_text,
        "rendering": use.rendering,
        "strategy": use.strategy,
        "forced": use.forced,
    }


def _sentence(sentence: AlignedSentence, vi: bool, extra: list[Flag]) -> dict[str, object]:
    out: dict[str, object] = {
        "id": sentence.id,
        "number": sentence.number,
        "ar": sentence.source,
        "en": sentence.en,
    }
    if vi:
        out["vi"] = sentence.vi
    flags = list(dict.fromkeys([*sentence.flags, *extra]))
    out["terms"] = [_term(use) for use in sentence.terms]
    out["flags"] = [_flag(flag) for flag in flags]
    return out


def briefing_to_dict(briefing: Briefing) -> dict[str, object]:
    """The JSON content of a briefing, keys in their documented order.

    Sentence flags are the sentence's own plus any finding in ``briefing.flags`` that
    names the sentence (each once); ``flags`` at the top holds the article-level ones.
    """
    vi = "vi" in briefing.targets
    article = briefing.article
    by_sentence: dict[str, list[Flag]] = {}
    for flag in briefing.flags:
        if flag.sentence is not None:
            by_sentence.setdefault(flag.sentence, []).append(flag)

    captions: list[dict[str, object]] = []
    for item in briefing.captions:
        caption: dict[str, object] = {"ar": item.caption.text, "en": item.en}
        if vi:
            caption["vi"] = item.vi
        caption.update(
            credit=item.caption.credit,
            line=item.caption.line,
            after_paragraph=item.caption.after_paragraph,
        )
        captions.append(caption)

    title: dict[str, object] = {"ar": briefing.title_ar, "en": briefing.title_en}
    if vi:
        title["vi"] = briefing.title_vi

    terms: list[dict[str, object]] = []
    for term in briefing.terms:
        entry: dict[str, object] = {
            "term_id": term.term_id,
            "type": term.type,
            "ar": term.ar,
            "en": term.en,
        }
        if vi:
            entry["vi"] = term.vi
        entry.update(count=term.count, forced=term.forced)
        terms.append(entry)

    return {
        "schema": SCHEMA_ID,
        "bilingual_version": briefing.version,
        "signature": briefing.signature,
        "run_date": briefing.run_date,
        "article": {
            "name": article.name,
            "path": str(article.path),
            "encoding": article.encoding,
            "source_url": article.source_url,
            "captions": captions,
            "removed": [
                {"line": r.line, "last_line": r.lines[1], "kind": r.kind, "text": r.text}
                for r in article.removed
            ],
            "repeats": [
                {
                    "paragraph": r.paragraph,
                    "first_lines": list(r.first_lines),
                    "repeat_lines": list(r.repeat_lines),
                }
                for r in article.repeats
            ],
        },
        "targets": list(briefing.targets),
        "models": list(briefing.models),
        "title": title,
        "paragraphs": [
            {
                "index": p.index,
                "lines": list(p.lines),
                "sentences": [_sentence(s, vi, by_sentence.get(s.id, [])) for s in p.sentences],
            }
            for p in briefing.paragraphs
        ],
        "flags": [_flag(f) for f in dict.fromkeys(f for f in briefing.flags if f.sentence is None)],
        "terms": terms,
    }


def write_json(briefing: Briefing, path: Path) -> None:
    """Write the briefing's JSON to ``path`` atomically (UTF-8, indent 2, final newline).

    A failure leaves any previous file intact and no temporary file behind; raises
    :class:`OutputError` when the file cannot be written.
    """
    data = briefing_to_dict(briefing)
    try:
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(
            f"cannot write the JSON briefing: {exc.strerror or exc}",
            where=str(path),
            fix="check that the output folder exists, is writable and has free space",
        ) from exc
