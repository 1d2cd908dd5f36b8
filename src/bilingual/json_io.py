"""The JSON twin of a briefing (schema ``bilingual.briefing/4``): written and read back.

The layout is documented field by field in docs/json-schema.md and checked against
tests/data/briefing.schema.json. It is a stable interface: keys keep their order, a field
is never renamed or removed within ``bilingual.briefing/4``, and a target's key (``vi``)
is present exactly when it is a target (its value may be null where nothing was
produced). Language codes are the keys: the source's (``ar``) and each target's.

``/2`` adds, on every sentence and caption, a ``review`` object: per target, who stands
behind the rendering (``status``), where its text came from (``origin``) and the
reviewer's ``note``. A machine rendering's origin is written ``model:<label>`` (the
package of that target's hop, from ``models``) and read back as the model's ``""``.
The new name, rather than new keys under ``/1``, is because /1's published schema
forbids unknown keys and lacks the ``memory`` strategy, so a reader validating against it
would reject these files.

``/3`` adds the names a run kept to one rendering (see :mod:`bilingual.names`): one more
``strategy`` value, ``auto``, on their term uses (with ``origin`` and ``ladder``, the rung
that held the rendering, on every term use), and a top-level ``names`` list. A new name
again, for the same reason: ``/2``'s schema lists the strategies without ``auto``.

``/4`` adds the model's own judgement of each rendering to its ``review`` entry:
``confidence`` (mean log-probability per token) and ``lock_cost`` (what locking the
glossary terms cost it), both null for a reviewer's text (see :mod:`bilingual.confidence`).
A new name because ``/3``'s schema forbids unknown keys in a review entry; ``/3`` and
older files read with both null. A review entry may carry optional keys more (so still
``/4``): ``alternatives``, the model's next best translations (``text``, ``confidence``)
where it was unsure (:mod:`bilingual.alternatives`), and ``similar``, the memory's most
similar reviewed sentence where it had no exact match (:mod:`bilingual.memory.similar`),
shown to the reviewer, never used. Each is left out where there is none, so a file
without them is as it was, and a file without a key reads with none.

:func:`read_json` turns a file this module wrote back into the model, exactly:
``briefing_to_dict(read_json(p))`` is the content of ``p``. It reads ``/1`` files too
(every rendering then is a machine one, with no origin or note).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bilingual._fs import write_atomically
from bilingual.document.article import ArticleInfo, Caption, Removed, Repeat
from bilingual.document.briefing import AlignedParagraph, Briefing, TermCount, TranslatedCaption
from bilingual.document.names import KeptName
from bilingual.document.segment import (
    Alternative,
    Flag,
    Rendering,
    Segment,
    Similar,
    Status,
    TermOrigin,
    TermUse,
)
from bilingual.errors import BriefingReadError, printable
from bilingual.signature import Signature

SCHEMA_ID = "bilingual.briefing/4"
SCHEMA_V3 = "bilingual.briefing/3"
SCHEMA_V2 = "bilingual.briefing/2"
SCHEMA_V1 = "bilingual.briefing/1"
READABLE = (SCHEMA_ID, SCHEMA_V3, SCHEMA_V2, SCHEMA_V1)
"""The layouts :func:`briefing_from_dict` reads: this one, ``/3`` (no confidence),
``/2`` (no kept names either) and ``/1`` (no ``review`` keys either)."""

_STATUSES: tuple[Status, ...] = ("machine", "reviewed", "approved")
_ORIGINS: tuple[TermOrigin, ...] = ("glossary", "draft", "auto")
_MODEL = "model:"
"""Prefix of the origin written for a machine rendering: ``model:<label>``."""

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
        # a name the run kept is ``auto``; the rung of the ladder that held it is ``ladder``
        "strategy": "auto" if use.origin == "auto" else use.strategy,
        "forced": use.forced,
        "origin": use.origin,
        "ladder": use.strategy,
    }


def _kept_name(name: KeptName, source_lang: str, targets: Sequence[str]) -> dict[str, object]:
    out: dict[str, object] = {"term_id": name.term_id, "type": name.type, source_lang: name.source}
    for lang in targets:
        out[lang] = name.renderings.get(lang)
    out.update(
        origin=name.origin,
        first_seen={"article": printable(name.first_article), "sentence": name.first_segment},
        count=name.count_here,
        count_in_run=name.count,
        suggested_id=name.suggested_id,
        draft=name.draft,
        confirm=name.command(),
    )
    return out


def _review(renderings: Mapping[str, Rendering], labels: Mapping[str, str]) -> dict[str, object]:
    """Target -> status, origin and note of its rendering (null where there is none)."""
    out: dict[str, object] = {}
    for lang, label in labels.items():
        rendering = renderings.get(lang)
        if rendering is None:
            out[lang] = None
            continue
        origin = rendering.origin
        if rendering.status == "machine" and not origin and label:
            origin = _MODEL + label
        entry: dict[str, object] = {
            "status": rendering.status,
            "origin": origin,
            "note": rendering.note,
            "confidence": rendering.confidence,
            "lock_cost": rendering.lock_cost,
        }
        if rendering.alternatives:  # optional: a file without any is as it was
            entry["alternatives"] = [
                {"text": a.text, "confidence": a.confidence} for a in rendering.alternatives
            ]
        if rendering.similar is not None:  # optional: only where the memory had one
            entry["similar"] = _similar(rendering.similar)
        out[lang] = entry
    return out


def _similar(similar: Similar) -> dict[str, object]:
    return {
        "score": round(similar.score, 4),
        "source": similar.source,
        "target": similar.target,
        "unit_id": similar.unit_id,
        "status": similar.status,
        "article": similar.article,
        "date": similar.date,
    }


def _read_similar(item: Mapping[str, Any] | None) -> Similar | None:
    if item is None:
        return None
    if item["status"] not in _STATUSES:
        raise ValueError(f"similar status {item['status']!r} is not one of {', '.join(_STATUSES)}")
    return Similar(
        float(item["score"]), str(item["source"]), str(item["target"]), int(item["unit_id"]),
        item["status"], str(item["article"]), str(item["date"]),
    )  # fmt: skip


def _labels(targets: Sequence[str], models: Sequence[str]) -> dict[str, str]:
    """Target -> the package label of its hop, in target order ('' where none is named):
    ``models`` holds one label per target, in route order."""
    return {lang: models[i] if i < len(models) else "" for i, lang in enumerate(targets)}


def _sentence(segment: Segment, labels: Mapping[str, str]) -> dict[str, object]:
    out: dict[str, object] = {
        "id": segment.id,
        "number": segment.number,
        segment.source_lang: segment.source,
    }
    for lang in labels:
        out[lang] = segment.text(lang)
    out["terms"] = [_term(lang, use) for lang, use in segment.term_uses()]
    out["flags"] = [_flag(flag) for flag in segment.flags()]
    out["review"] = _review(segment.renderings, labels)
    return out


def _caption(
    item: TranslatedCaption, source_lang: str, labels: Mapping[str, str]
) -> dict[str, object]:
    out: dict[str, object] = {source_lang: item.caption.text}
    for lang in labels:
        rendering = item.renderings.get(lang)
        out[lang] = rendering.text if rendering is not None else None
    # ``terms`` and ``flags`` come last: they were added within /2, after ``review``
    segment = Segment("", 0, source_lang, item.caption.text, item.renderings)
    out.update(
        credit=item.caption.credit,
        line=item.caption.line,
        after_paragraph=item.caption.after_paragraph,
        review=_review(item.renderings, labels),
        terms=[_term(lang, use) for lang, use in segment.term_uses()],
        flags=[_flag(flag) for flag in segment.flags()],
    )
    return out


def _term_count(term: TermCount, source_lang: str, targets: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {"term_id": term.term_id, "type": term.type, source_lang: term.source}
    for lang in targets:
        out[lang] = term.renderings.get(lang)
    out.update(count=term.count, forced=term.forced)
    out["forced_by_lang"] = {lang: term.forced_by_lang.get(lang, 0) for lang in targets}
    return out


def _article(briefing: Briefing, labels: Mapping[str, str]) -> dict[str, object]:
    article = briefing.article
    return {
        # a file name need not be UTF-8; JSON text must be (see errors.printable)
        "name": printable(article.name),
        "path": printable(str(article.path)),
        "encoding": article.encoding,
        "source_url": article.source_url,
        "captions": [_caption(c, briefing.source_lang, labels) for c in briefing.captions],
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
        # last: added within /2 (readers of other input forms), after the keys above
        "input_format": article.input_format,
        "extractor": article.extractor,
        "notices": list(article.notices),
        "source_title": article.source_title,
        "source_date": article.source_date,
    }


def briefing_to_dict(briefing: Briefing) -> dict[str, object]:
    """The JSON content of a briefing, keys in their documented order."""
    targets = briefing.targets
    labels = _labels(targets, briefing.models)
    return {
        "schema": SCHEMA_ID,
        "bilingual_version": briefing.version,
        "signature": str(briefing.signature),
        "run_date": briefing.run_date,
        "article": _article(briefing, labels),
        "targets": list(targets),
        "models": list(briefing.models),
        "title": {lang: briefing.title.get(lang) for lang in briefing.languages},
        "paragraphs": [
            {
                "index": p.index,
                "lines": list(p.lines),
                "sentences": [_sentence(s, labels) for s in p.sentences],
            }
            for p in briefing.paragraphs
        ],
        "flags": [_flag(f) for f in briefing.flags],
        "terms": [_term_count(t, briefing.source_lang, targets) for t in briefing.terms],
        # last: added within /2, after the keys above
        "test_models": list(briefing.test_models),
        # new in /3
        "names": [_kept_name(n, briefing.source_lang, targets) for n in briefing.names],
        # new in /4
        "licences": list(briefing.licences),
    }


def dumps(briefing: Briefing) -> str:
    """The file's text: UTF-8 as is (no ``\\u`` escapes), indented by two, final newline."""
    return json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


def save_json(briefing: Briefing, path: Path) -> None:
    """Write the JSON to ``path`` directly (for :func:`bilingual._fs.write_atomically`).

    The same text as :func:`dumps`, streamed: a long article's JSON is tens of MB, held
    twice more (as text, then as UTF-8) when it is built whole first.
    """
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        json.dump(briefing_to_dict(briefing), fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def write_json(briefing: Briefing, path: Path) -> None:
    """Write the briefing's JSON to ``path`` atomically.

    A failure leaves any previous file intact and no temporary file behind; raises
    :class:`~bilingual.errors.OutputError` when the file cannot be written.
    """
    write_atomically([(path, lambda tmp: save_json(briefing, tmp))], what="the JSON briefing")


# -- reading ------------------------------------------------------------------------------


def _flags(items: list[Any]) -> list[Flag]:
    return [Flag(f["code"], f["level"], f["message"], f["lang"]) for f in items]


def _reviews(
    data: Mapping[str, Any], labels: Mapping[str, str] | None
) -> dict[str, dict[str, Any]]:
    """Target -> the ``review`` of a /2 sentence or caption as keyword arguments of
    :class:`Rendering` (status, origin, note); empty for a /1 one (``labels`` None)."""
    if labels is None:
        return {}
    review = data["review"]
    out: dict[str, dict[str, Any]] = {}
    for lang, label in labels.items():
        item = review[lang]
        if item is None:
            continue
        status, origin, note = item["status"], item["origin"], item["note"]
        if status not in _STATUSES:
            raise ValueError(f"review status {status!r} is not one of {', '.join(_STATUSES)}")
        if not isinstance(origin, str) or not isinstance(note, str):
            raise TypeError(f"the {lang} review's origin and note must be strings")
        if status == "machine" and label and origin == _MODEL + label:
            origin = ""
        judged = [item.get(k) for k in ("confidence", "lock_cost")]
        if not all(v is None or isinstance(v, int | float) for v in judged):
            raise TypeError(f"the {lang} review's confidence and lock_cost must be numbers")
        out[lang] = {
            "status": status,
            "origin": origin,
            "note": note,
            "confidence": judged[0],
            "lock_cost": judged[1],
            "alternatives": _alternatives(item.get("alternatives", []), lang),
            "similar": _read_similar(item.get("similar")),
        }
    return out


def _alternatives(items: Any, lang: str) -> tuple[Alternative, ...]:
    """The optional ``alternatives`` of a review entry."""
    if not isinstance(items, list):
        raise TypeError(f"the {lang} review's alternatives must be a list")
    out: list[Alternative] = []
    for item in items:
        text, conf = item["text"], item["confidence"]
        if not isinstance(text, str) or isinstance(conf, bool) or not isinstance(conf, int | float):
            raise TypeError(f"the {lang} review's alternatives need a text and a confidence")
        out.append(Alternative(text, float(conf)))
    return tuple(out)


def _renderings(
    data: Mapping[str, Any], targets: tuple[str, ...], labels: Mapping[str, str] | None
) -> dict[str, Rendering]:
    """Target -> the rendering of a sentence or caption: its text, term uses, findings
    and review. A caption written before captions carried ``terms`` and ``flags`` (still
    /2) has none of either."""
    uses: dict[str, list[TermUse]] = {lang: [] for lang in targets}
    for t in data.get("terms", []):
        start, end = t["source_span"]
        strategy, origin = t["strategy"], t.get("origin", "glossary")
        if strategy == "auto":
            strategy = t["ladder"]
        if origin not in _ORIGINS:
            raise ValueError(f"term origin {origin!r} is not one of {', '.join(_ORIGINS)}")
        use = TermUse(t["term_id"], t["source_text"], start, end, t["rendering"], strategy, origin)
        uses[t["lang"]].append(use)
    flags: dict[str, list[Flag]] = {lang: [] for lang in targets}
    for flag in _flags(data.get("flags", [])):
        # a segment's finding always names its language; one that does not goes first
        flags[flag.lang if flag.lang in flags else targets[0]].append(flag)
    reviews = _reviews(data, labels)
    return {
        lang: Rendering(data[lang], tuple(uses[lang]), tuple(flags[lang]), **reviews.get(lang, {}))
        for lang in targets
        if data[lang] is not None
    }


def _segment(
    data: Mapping[str, Any],
    source_lang: str,
    targets: tuple[str, ...],
    labels: Mapping[str, str] | None,
) -> Segment:
    if "terms" not in data or "flags" not in data:  # a sentence has always carried both
        raise KeyError("terms" if "terms" not in data else "flags")
    renderings = _renderings(data, targets, labels)
    return Segment(data["id"], data["number"], source_lang, data[source_lang], renderings)


def _caption_from(
    data: Mapping[str, Any],
    source_lang: str,
    targets: tuple[str, ...],
    labels: Mapping[str, str] | None,
) -> TranslatedCaption:
    caption = Caption(data[source_lang], data["credit"], data["line"], data["after_paragraph"])
    return TranslatedCaption(caption, _renderings(data, targets, labels))


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
        Path(data["path"]),
        data["name"],
        data["encoding"],
        data["source_url"],
        removed,
        repeats,
        # absent from briefings written before the input forms: a text file then
        data.get("input_format", "text"),
        data.get("extractor"),
        tuple(data.get("notices", ())),
        data.get("source_title"),
        data.get("source_date"),
    )


def briefing_from_dict(data: Mapping[str, Any]) -> Briefing:
    """The model of a ``bilingual.briefing/4`` (or ``/3``, ``/2``, ``/1``) object; ``KeyError``,
    ``TypeError`` or ``ValueError`` when it does not have that layout.

    A ``/1`` object has no ``review`` keys: every rendering is a machine one with no
    origin or note. In a ``/2`` one, a machine rendering's ``model:<label>`` origin is the
    model's ``""``, so that reading what :func:`briefing_to_dict` wrote gives it back.
    """
    schema = data.get("schema")
    if schema not in READABLE:
        raise ValueError(
            f"schema is {schema!r}, not {SCHEMA_ID!r} "
            f"(or {SCHEMA_V3!r}, {SCHEMA_V2!r}, {SCHEMA_V1!r})"
        )
    signature = Signature.parse(data["signature"])
    src, targets = signature.source, tuple(data["targets"])
    models = tuple(data["models"])
    labels: dict[str, str] | None = None
    if schema != SCHEMA_V1:
        labels = _labels(targets, models)
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
                tuple(_segment(s, src, targets, labels) for s in p["sentences"]),
            )
            for p in data["paragraphs"]
        ),
        captions=tuple(_caption_from(c, src, targets, labels) for c in article["captions"]),
        flags=tuple(_flags(data["flags"])),
        terms=tuple(
            TermCount(
                t["term_id"],
                t["type"],
                t[src],
                {lang: t[lang] for lang in targets},
                t["count"],
                t["forced"],
                dict(t.get("forced_by_lang", {})),
            )
            for t in data["terms"]
        ),
        models=models,
        signature=signature,
        run_date=data["run_date"],
        version=data["bilingual_version"],
        # absent from files written before the key was added (still /2): no test model known
        test_models=tuple(data.get("test_models", ())),
        names=tuple(_kept_from(n, src, targets) for n in data.get("names", ())),
        licences=tuple(str(line) for line in data.get("licences", ())),
    )


def _kept_from(data: Mapping[str, Any], source_lang: str, targets: Sequence[str]) -> KeptName:
    origin = data["origin"]
    if origin not in ("model", "reviewed"):
        raise ValueError(f"kept name origin {origin!r} is not model or reviewed")
    first = data["first_seen"]
    return KeptName(
        data["term_id"],
        data[source_lang],
        data["type"],
        {lang: data[lang] for lang in targets if data[lang] is not None},
        origin,
        first["article"],
        first["sentence"],
        data["count_in_run"],
        data["count"],
        suggested_id=data["suggested_id"],
        draft=bool(data["draft"]),
    )


def read_json(path: Path) -> Briefing:
    """Read a briefing JSON that bilingual wrote back into the model.

    Reads ``bilingual.briefing/4`` files and the older ``/3``, ``/2`` and ``/1`` ones. Raises
    :class:`~bilingual.errors.BriefingReadError` naming the file and what is wrong when it
    cannot be read or is not such a file (naming the layout it claims, when it claims one
    of the two).
    """
    layout = SCHEMA_ID
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(data, dict):  # a briefing is one JSON object
            kind = type(data).__name__.replace("dict", "object").replace("list", "array")
            raise TypeError(f"it holds a JSON {kind}, not an object")
        if data.get("schema") in READABLE:
            layout = data["schema"]
        return briefing_from_dict(data)
    except OSError as exc:
        what = f"cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        what = f"is not UTF-8 (byte offset {exc.start})"
    except json.JSONDecodeError as exc:
        what = f"is not JSON: {exc.msg} at line {exc.lineno}"
    except RecursionError:  # json nests by recursion; a briefing is 6 levels deep
        what = "is not a briefing: its lists and objects nest thousands of levels deep"
    except KeyError as exc:
        what = f"is not a {layout} briefing: key {exc} is missing"
    except (TypeError, ValueError, AttributeError) as exc:
        what = f"is not a {layout} briefing: {exc}"
    raise BriefingReadError(
        what, where=str(path), fix="give a .json briefing written by `bilingual translate`"
    )
