"""Gather: briefing JSON files and the memory become the reader's editions.

The briefings are read as ``translate`` reads them (every schema it reads); the
reviewer's edits still in a briefing's DOCX are imported into the memory first, as
``translate`` does before it replaces a briefing (a DOCX open in an editor stops it all
before anything is written). Each sentence and caption then shows the memory's reviewed
or approved text as the next ``translate`` would recall it (the same look-up, with its
neighbours as context, the newest winning), else the machine's text from the JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.document.briefing import (
    TEST_MODEL_WARNING,
    Briefing,
    notice_for_test_models,
    short_title,
)
from bilingual.document.segment import Flag, Segment
from bilingual.errors import BilingualError, PublishError
from bilingual.glossary.term import Glossary
from bilingual.json_io import read_json
from bilingual.memory.store import TranslationMemory, source_key, text_hash
from bilingual.publish.edition import (
    Colophon,
    Edition,
    PublishedParagraph,
    PublishedSentence,
    Reviewer,
    Status,
)
from bilingual.recall import recall_segments
from bilingual.translate import Recalled

__all__ = ["Gathered", "Loaded", "briefing_paths", "gather", "import_reviews", "read_briefings"]

DEFAULT_TARGET = "en"


@dataclass(frozen=True)
class Loaded:
    """A briefing JSON read, and the DOCX beside it."""

    json: Path
    briefing: Briefing

    @property
    def docx(self) -> Path:
        return self.json.with_suffix(".docx")

    @property
    def name(self) -> str:
        return self.briefing.article.name


@dataclass(frozen=True)
class Gathered:
    """One article's edition, with what the gate judges it by."""

    loaded: Loaded
    edition: Edition
    errors: tuple[tuple[str, Flag], ...]
    """``(sentence id or '', finding)``: the error-level findings on the text shown
    (a reviewer did not dismiss them); '' for an article-level one."""


def briefing_paths(paths: Sequence[Path]) -> list[Path]:
    """The JSON briefings of ``paths``: a file as given, a folder's ``*.json`` sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise PublishError(
                    "holds no briefing (.json)",
                    where=str(path),
                    fix="give the folder `bilingual translate` wrote (output/), or its .json files",
                )
            out += found
        elif path.suffix.lower() == ".docx" and path.with_suffix(".json").is_file():
            out.append(path.with_suffix(".json"))  # the briefing's twin: what is read
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def read_briefings(paths: Sequence[Path]) -> list[Loaded]:
    """Every briefing read (all schemas ``translate`` reads); two of one article name
    are refused (their editions would overwrite each other)."""
    loaded: list[Loaded] = []
    names: dict[str, Path] = {}
    for path in briefing_paths(paths):
        if not path.exists():
            raise PublishError(
                "does not exist", where=str(path), fix="give a .json briefing or a folder"
            )
        item = Loaded(path, read_json(path))
        if item.name in names:
            raise PublishError(
                f"is a briefing of article {item.name!r}, as {names[item.name]} is",
                where=str(path),
                fix="publish one of them (they would make files of the same name)",
            )
        names[item.name] = path
        loaded.append(item)
    return loaded


def pick_targets(loaded: Sequence[Loaded], to: str | None, *, digest: bool) -> list[str]:
    """The target language of each article's edition: ``to``, else English where it is a
    target, else the first. A digest needs one target every article has."""
    if to is not None:
        lacking = [item for item in loaded if to not in item.briefing.targets]
        if lacking:
            raise PublishError(
                f"has no {to} translation (its targets: "
                f"{', '.join(lacking[0].briefing.targets)})"
                + (f", nor have {len(lacking) - 1} more" if len(lacking) > 1 else ""),
                where=str(lacking[0].json),
                fix=f"choose --to from its targets, or translate it --to {to} first",
            )
        return [to] * len(loaded)
    if not digest:
        return [_default(item.briefing.targets) for item in loaded]
    common = [t for t in loaded[0].briefing.targets if all(t in i.briefing.targets for i in loaded)]
    if not common:
        listed = "; ".join(f"{i.json} ({', '.join(i.briefing.targets)})" for i in loaded)
        raise PublishError(
            f"the articles of the digest share no target language: {listed}",
            fix="translate them to a common language (--to), or publish them in two digests",
        )
    return [_default(tuple(common))] * len(loaded)


def _default(targets: Sequence[str]) -> str:
    return DEFAULT_TARGET if DEFAULT_TARGET in targets else targets[0]


def import_reviews(
    memory: TranslationMemory, loaded: Sequence[Loaded], glossary: Glossary
) -> dict[str, int]:
    """Import the reviewer's edits still in each briefing's DOCX into the memory (one
    transaction), as ``translate`` does; article name -> units new in the memory.

    Every DOCX is checked for an editor's lock file before any is read: one open in Word
    or LibreOffice stops the run with nothing written.
    """
    from bilingual.guard import guard_briefing
    from bilingual.review import Review, check_not_open, store_reviews

    for item in loaded:
        check_not_open(item.docx)
    written = memory.written([item.docx for item in loaded])
    reviews: list[Review] = []
    for item in loaded:
        try:
            review = guard_briefing(
                item.docx, glossary, has_memory=True, written=written.get(item.docx)
            )
        except BilingualError as exc:
            what = exc.what.replace("; the briefing was not replaced", "; nothing was published")
            raise PublishError(what, where=exc.where, fix=exc.fix) from None
        if review is not None and (review.units or review.dismissed or review.deleted):
            reviews.append(review)
    if not reviews:
        return {}
    added = store_reviews(memory, reviews, restore=False)  # a retraction holds
    return {r.path.stem: n for r, n in zip(reviews, added, strict=True)}


def check_memory(memory: TranslationMemory, loaded: Sequence[Loaded]) -> None:
    """Refuse a memory that knows nothing of a briefing: no run with it wrote the
    briefing, and it holds no review of the article (another project's memory)."""
    recorded = memory.written([item.docx for item in loaded])
    # a project folder moved or renamed: its briefings recorded under their old paths
    names = {Path(str(p)).name for (p,) in memory.db.execute("SELECT path FROM briefings")}
    for item in loaded:
        if item.docx in recorded or item.docx.name in names:
            continue
        # any unit of the article, a retired one too (a retraction took its review back)
        if memory.db.execute(
            "SELECT 1 FROM units WHERE article = ? LIMIT 1", (item.name,)
        ).fetchone():
            continue
        raise PublishError(
            f"the memory {memory.path} never recorded this briefing and holds no review of "
            f"article {item.name!r}: it is not the memory the briefing was made with",
            where=str(item.json),
            fix="give the memory it was translated with (--memory PATH, or run from its "
            "project), or import its review first: bilingual review import",
        )


def _article_errors(
    briefing: Briefing,
    target: str,
    shown: Mapping[str, PublishedSentence],
    dismissed: set[tuple[str, str, str, str]],
) -> list[tuple[str, Flag]]:
    """Error findings of the JSON on the text shown that no reviewer dismissed or
    signed off (an approval stands behind the text as it is, findings included)."""
    out = [("", f) for f in briefing.flags if f.level == "error" and f.lang in (None, target)]
    for segment in briefing.all_segments():
        rendering = segment.renderings.get(target)
        published = shown.get(segment.id)
        if rendering is None or published is None or published.status == "approved":
            continue
        if published.text != rendering.text:
            continue  # a reviewer's text replaced the one the finding is about
        key = source_key(segment.source_lang, segment.source)
        for flag in rendering.flags:
            done = (key, target, text_hash(rendering.text), flag.code) in dismissed
            if flag.level == "error" and not done:
                out.append((segment.id, flag))
    return out


def _sentence(segment: Segment, target: str, recalled: Recalled | None) -> PublishedSentence:
    if recalled is not None:
        status: Status = "approved" if recalled.status == "approved" else "reviewed"
        return PublishedSentence(segment.id, segment.source, recalled.text, status)
    rendering = segment.renderings.get(target)
    text = rendering.text if rendering is not None else ""
    return PublishedSentence(segment.id, segment.source, text, "machine")


def _paragraphs(
    briefing: Briefing, sentences: Mapping[str, PublishedSentence]
) -> tuple[PublishedParagraph, ...]:
    """Body paragraphs and captions in the article's order: a caption after the
    paragraph it followed (before the first when it came first)."""
    placed: list[tuple[tuple[int, int, int], PublishedParagraph]] = []
    for p in briefing.paragraphs:
        body = tuple(sentences[s.id] for s in p.sentences)
        placed.append(((p.index, 0, 0), PublishedParagraph("body", body)))
    for n, (caption, segment) in enumerate(
        zip(briefing.captions, briefing.caption_segments(), strict=True), 1
    ):
        paragraph = PublishedParagraph("caption", (sentences[segment.id],), caption.caption.credit)
        placed.append(((caption.caption.after_paragraph, 1, n), paragraph))
    placed.sort(key=lambda item: item[0])
    return tuple(p for _, p in placed)


def _reviewers(recalled: Iterable[Recalled]) -> tuple[Reviewer, ...]:
    seen: dict[str, tuple[str, int]] = {}
    for r in recalled:
        name = r.note_by or "unnamed reviewer"
        last, count = seen.get(name, ("", 0))
        seen[name] = (max(last, r.note_at), count + 1)
    return tuple(Reviewer(name, at, n) for name, (at, n) in sorted(seen.items()))


def _colophon(briefing: Briefing, recalled: Iterable[Recalled]) -> Colophon:
    glossary = briefing.signature.glossary
    notice = None
    if briefing.test_models:
        notice = f"{TEST_MODEL_WARNING} {notice_for_test_models(briefing.test_models)}"
    return Colophon(
        tool_version=briefing.version,
        signature=str(briefing.signature),
        glossary="" if glossary == "none" else glossary,
        # a briefing written before licences were kept names its models alone: say so
        # rather than leave the models out of the colophon
        licences=briefing.licences
        or tuple(
            f"{model}: licence not recorded in this briefing (see bilingual models list)"
            for model in briefing.models
        ),
        reviewers=_reviewers(recalled),
        test_model_notice=notice,
    )


def gather_one(memory: TranslationMemory, item: Loaded, target: str) -> Gathered:
    """One article's edition in ``target`` (a target of its briefing)."""
    briefing = item.briefing
    segments = briefing.all_segments()
    found = recall_segments(memory, [segments], [target]).recalled[0]
    texts = {
        s.id: _sentence(s, target, r.get(target)) for s, r in zip(segments, found, strict=True)
    }
    used = [r[target] for r in found if target in r]
    first = briefing.segments()[0] if briefing.segments() else None
    lead = texts[first.id].text if first is not None else ""
    keys = [source_key(s.source_lang, s.source) for s in segments]
    dismissed = memory.dismissed(keys)
    edition = Edition(
        article=briefing.article.name,
        source_lang=briefing.source_lang,
        target_lang=target,
        title=short_title(lead) if lead else (briefing.title.get(target) or item.name),
        source_title=briefing.title.get(briefing.source_lang) or item.name,
        source=briefing.article.source_url,
        date=briefing.run_date,
        paragraphs=_paragraphs(briefing, texts),
        colophon=_colophon(briefing, used),
    )
    errors = _article_errors(briefing, target, texts, dismissed)
    return Gathered(item, edition, tuple(errors))


def gather(
    memory: TranslationMemory, loaded: Sequence[Loaded], targets: Sequence[str]
) -> list[Gathered]:
    """Every article's edition, each in its target (see :func:`pick_targets`)."""
    return [gather_one(memory, item, t) for item, t in zip(loaded, targets, strict=True)]
