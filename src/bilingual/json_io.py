"""The JSON twin of a briefing (schema ``bilingual.briefing/1``): written and read back.

The layout is documented field by field in docs/json-schema.md and checked against
tests/data/briefing.schema.json. It is a stable interface: keys keep their order, a field
is never renamed or removed within ``bilingual.briefing/1``, and a target's key (``vi``)
is present exactly when it is a target (its value may be null where nothing was
produced). Language codes are the keys: the source's (``ar``) and each target's.

:func:`read_json` turns a file this module wrote back into the model, exactly:
``briefing_to_dict(read_json(p))`` is the content of ``p``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bilingual._fs import write_atomically
from bilingual.document.article import ArticleInfo, Caption, Removed, Repeat
from bilingual.document.briefing import AlignedParagraph, Briefing, TermCount, TranslatedCaption
from bilingual.document.segment import Flag, Rendering, Segment, TermUse
from bilingual.errors import BriefingReadError
from bilingual.signature import Signature

SCHEMA_ID = "bilingual.briefing/1"

# -- writing ------------------------------------------------------------------------------


def _flag(flag: Flag) -> dict[str, object]:
    return {"code": flag.code, "level": flag.level, "message": flag.message, "lang": flag.lang}


def _term(lang: str, use: TermUse) -> dict[str, object]:
    return {
        "term_id": use.term_id,
        "lang": lang,
        "source_span": [use.start, use.end],
        "source_text": use.source_text,
        "rendering": use.rendering,
        "strategy": use.strategy,
        "forced": use.forced,
    }


def _sentence(segment: Segment, targets: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {
        "id": segment.id,
        "number": segment.number,
        segment.source_lang: segment.source,
    }
    for lang in targets:
        out[lang] = segment.text(lang)
    out["terms"] = [_term(lang, use) for lang, use in segment.term_uses()]
    out["flags"] = [_flag(flag) for flag in segment.flags()]
    return out


def _caption(
    item: TranslatedCaption, source_lang: str, targets: tuple[str, ...]
) -> dict[str, object]:
    out: dict[str, object] = {source_lang: item.caption.text}
    for lang in targets:
        rendering = item.renderings.get(lang)
        out[lang] = rendering.text if rendering is not None else None
    out.update(
        credit=item.caption.credit,
        line=item.caption.line,
        after_paragraph=item.caption.after_paragraph,
    )
    return out


def _term_count(term: TermCount, source_lang: str, targets: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {"term_id": term.term_id, "type": term.type, source_lang: term.source}
    for lang in targets:
        out[lang] = term.renderings.get(lang)
    out.update(count=term.count, forced=term.forced)
    return out


def _article(briefing: Briefing) -> dict[str, object]:
    article = briefing.article
    return {
        "name": article.name,
        "path": str(article.path),
        "encoding": article.encoding,
        "source_url": article.source_url,
        "captions": [
            _caption(c, briefing.source_lang, briefing.targets) for c in briefing.captions
        ],
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
    }


def briefing_to_dict(briefing: Briefing) -> dict[str, object]:
    """The JSON content of a briefing, keys in their documented order."""
    targets = briefing.targets
    return {
        "schema": SCHEMA_ID,
        "bilingual_version": briefing.version,
        "signature": str(briefing.signature),
        "run_date": briefing.run_date,
        "article": _article(briefing),
        "targets": list(targets),
        "models": list(briefing.models),
        "title": {lang: briefing.title.get(lang) for lang in briefing.languages},
        "paragraphs": [
            {
                "index": p.index,
                "lines": list(p.lines),
                "sentences": [_sentence(s, targets) for s in p.sentences],
            }
            for p in briefing.paragraphs
        ],
        "flags": [_flag(f) for f in briefing.flags],
        "terms": [_term_count(t, briefing.source_lang, targets) for t in briefing.terms],
    }


def dumps(briefing: Briefing) -> str:
    """The file's text: UTF-8 as is (no ``\\u`` escapes), indented by two, final newline."""
    return json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


def save_json(briefing: Briefing, path: Path) -> None:
    """Write the JSON to ``path`` directly (for :func:`bilingual._fs.write_atomically`)."""
    path.write_bytes(dumps(briefing).encode("utf-8"))


def write_json(briefing: Briefing, path: Path) -> None:
    """Write the briefing's JSON to ``path`` atomically.

    A failure leaves any previous file intact and no temporary file behind; raises
    :class:`~bilingual.errors.OutputError` when the file cannot be written.
    """
    write_atomically([(path, lambda tmp: save_json(briefing, tmp))], what="the JSON briefing")


# -- reading ------------------------------------------------------------------------------


def _flags(items: list[Any]) -> list[Flag]:
    return [Flag(f["code"], f["level"], f["message"], f["lang"]) for f in items]


def _segment(data: Mapping[str, Any], source_lang: str, targets: tuple[str, ...]) -> Segment:
    uses: dict[str, list[TermUse]] = {lang: [] for lang in targets}
    for t in data["terms"]:
        start, end = t["source_span"]
        use = TermUse(t["term_id"], t["source_text"], start, end, t["rendering"], t["strategy"])
        uses[t["lang"]].append(use)
    flags: dict[str, list[Flag]] = {lang: [] for lang in targets}
    for flag in _flags(data["flags"]):
        # a sentence's finding always names its language; one that does not goes first
        flags[flag.lang if flag.lang in flags else targets[0]].append(flag)
    renderings = {
        lang: Rendering(data[lang], tuple(uses[lang]), tuple(flags[lang]))
        for lang in targets
        if data[lang] is not None
    }
    return Segment(data["id"], data["number"], source_lang, data[source_lang], renderings)


def _caption_from(
    data: Mapping[str, Any], source_lang: str, targets: tuple[str, ...]
) -> TranslatedCaption:
    caption = Caption(data[source_lang], data["credit"], data["line"], data["after_paragraph"])
    renderings = {lang: Rendering(data[lang]) for lang in targets if data[lang] is not None}
    return TranslatedCaption(caption, renderings)


def _article_from(data: Mapping[str, Any]) -> ArticleInfo:
    removed = tuple(
        Removed(
            r["line"], r["kind"], r["text"], r["last_line"] if r["last_line"] != r["line"] else None
        )
        for r in data["removed"]
    )
    repeats = tuple(
        Repeat(r["paragraph"], tuple(r["first_lines"]), tuple(r["repeat_lines"]))
        for r in data["repeats"]
    )
    return ArticleInfo(
        Path(data["path"]), data["name"], data["encoding"], data["source_url"], removed, repeats
    )


def briefing_from_dict(data: Mapping[str, Any]) -> Briefing:
    """The model of a ``bilingual.briefing/1`` object; ``KeyError``, ``TypeError`` or
    ``ValueError`` when it does not have that layout."""
    if data.get("schema") != SCHEMA_ID:
        raise ValueError(f"schema is {data.get('schema')!r}, not {SCHEMA_ID!r}")
    signature = Signature.parse(data["signature"])
    src, targets = signature.source, tuple(data["targets"])
    article = data["article"]
    return Briefing(
        article=_article_from(article),
        source_lang=src,
        targets=targets,
        title={lang: data["title"][lang] for lang in (src, *targets)},
        paragraphs=tuple(
            AlignedParagraph(
                p["index"],
                tuple(p["lines"]),
                tuple(_segment(s, src, targets) for s in p["sentences"]),
            )
            for p in data["paragraphs"]
        ),
        captions=tuple(_caption_from(c, src, targets) for c in article["captions"]),
        flags=tuple(_flags(data["flags"])),
        terms=tuple(
            TermCount(
                t["term_id"],
                t["type"],
                t[src],
                {lang: t[lang] for lang in targets},
                t["count"],
                t["forced"],
            )
            for t in data["terms"]
        ),
        models=tuple(data["models"]),
        signature=signature,
        run_date=data["run_date"],
        version=data["bilingual_version"],
    )


def read_json(path: Path) -> Briefing:
    """Read a briefing JSON that bilingual wrote back into the model.

    Raises :class:`~bilingual.errors.BriefingReadError` naming the file and what is wrong
    when it cannot be read or is not a ``bilingual.briefing/1`` file.
    """
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        return briefing_from_dict(data)
    except OSError as exc:
        what = f"cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        what = f"is not UTF-8 (byte offset {exc.start})"
    except json.JSONDecodeError as exc:
        what = f"is not JSON: {exc.msg} at line {exc.lineno}"
    except KeyError as exc:
        what = f"is not a {SCHEMA_ID} briefing: key {exc} is missing"
    except (TypeError, ValueError, AttributeError) as exc:
        what = f"is not a {SCHEMA_ID} briefing: {exc}"
    raise BriefingReadError(
        what, where=str(path), fix="give a .json briefing written by `bilingual translate`"
    )
