"""Reader's editions for the renderer tests, built from the example briefing (no model, no
memory): the same invented Aqaba article as :mod:`briefing_factory`, as ``publish``
gathers it, so a renderer test needs neither a run nor a gate.

:func:`edition` turns the example briefing into one :class:`Edition` (``machine`` names
the sentence ids nobody reviewed); :func:`publication` puts one or several in a file.
"""

from __future__ import annotations

from dataclasses import replace

from briefing_factory import GLOSSARY_SIGNATURE, RUN_DATE, SOURCE_URL, VERSION, make_briefing

from bilingual.publish.edition import (
    Colophon,
    Edition,
    Layout,
    Publication,
    PublishedParagraph,
    PublishedSentence,
    Reviewer,
)

LICENCES = (
    "translate-ar_en-test: MIT (test model, made for bilingual's test suite)",
    "opus-mt-ar-en: CC-BY-4.0, attribution: Helsinki-NLP, OPUS-MT (Tiedemann & Thottingal)",
)
TEST_NOTICE = "TEST MODEL OUTPUT: made by a test model, not a real translation."


def colophon(test_model: bool = False) -> Colophon:
    return Colophon(
        tool_version=VERSION,
        signature="sig:5b1e0c7a9d3f2e41",
        glossary=GLOSSARY_SIGNATURE,
        licences=LICENCES,
        reviewers=(Reviewer("Layla Haddad", "2026-11-23T10:05:00Z", 7),),
        test_model_notice=TEST_NOTICE if test_model else None,
    )


def edition(
    target: str = "en",
    *,
    article: str = "aqaba-desalination",
    machine: frozenset[str] = frozenset(),
    test_model: bool = False,
    source: str | None = SOURCE_URL,
) -> Edition:
    """The example article for the reader, in ``target`` (``en`` or ``vi``)."""
    briefing = make_briefing(("en", "vi"))
    paragraphs: list[PublishedParagraph] = []
    # the headline is the edition's title, not a paragraph of its body
    for aligned in briefing.paragraphs[1:]:
        sentences = tuple(
            PublishedSentence(
                s.id,
                s.source,
                s.text(target) or "",
                "machine" if s.id in machine else "reviewed",
            )
            for s in aligned.sentences
        )
        paragraphs.append(PublishedParagraph("body", sentences))
    for n, caption in enumerate(briefing.captions, 1):
        sentence = caption.segment("ar", n)
        status = "machine" if sentence.id in machine else "approved"
        text = sentence.text(target) or ""
        published = PublishedSentence(sentence.id, sentence.source, text, status)
        # after the first paragraph, as a caption stands near its picture in the article
        paragraphs.insert(1, PublishedParagraph("caption", (published,), caption.caption.credit))
    return Edition(
        article=article,
        source_lang="ar",
        target_lang=target,
        title=briefing.title[target],
        source_title=briefing.title["ar"],
        source=source,
        date=RUN_DATE,
        paragraphs=tuple(paragraphs),
        colophon=colophon(test_model),
    )


def publication(
    *editions: Edition, layout: Layout = "target", digest: str | None = None
) -> Publication:
    return Publication(
        editions=editions or (edition(),),
        layout=layout,
        digest=digest,
        desk="Middle East desk" if digest else "",
        date="2026-11-23" if digest else "",
    )


def digest(count: int = 3, *, layout: Layout = "target", target: str = "en") -> Publication:
    """``count`` copies of the example article, as the day's digest."""
    editions = [edition(target, article=f"article-{n}") for n in range(count)]
    editions = [replace(e, title=f"{e.title} ({n + 1})") for n, e in enumerate(editions)]
    return publication(*editions, layout=layout, digest="Morning digest")
