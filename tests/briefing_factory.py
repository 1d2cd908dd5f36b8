"""Realistic :class:`~bilingual.document.Briefing` objects for tests, built without any model.

The article is invented for the test suite (a desalination plant opening in Aqaba; the
people, company and figures are fictional) and written in Modern Standard Arabic with an
English and a Vietnamese translation. It exercises everything the writers must render:

- a headline and three body paragraphs, numbered sentences (1 to 3 per paragraph);
- glossary terms of five types, one with a clitic prefix (``لتحلية``), one Latin name
  inside the Arabic (``AquaNova``), every strategy, and one term the engine had to force
  (``ebrd`` in the English);
- QA flags: untranslated Arabic left in the English, a number mismatch, a short
  translation, the forced term, and a repeated paragraph (also in ``article.repeats``);
- a caption with a credit, removed lines (image stub, repeat, view counter), a source URL.

Use :func:`make_briefing` (``targets=("en",)`` or ``("en", "vi")``) or the two shortcuts
:func:`example_en` and :func:`example_en_vi`. Spans and counts are computed, not typed, so
they always agree with the text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bilingual.document import (
    AlignedParagraph,
    ArticleInfo,
    Briefing,
    Caption,
    Flag,
    Removed,
    Rendering,
    Repeat,
    Segment,
    Strategy,
    TermCount,
    TermUse,
    TranslatedCaption,
)
from bilingual.signature import Signature

SOURCE_URL = "https://example.org/economy/aqaba-desalination-plant"
ARTICLE_NAME = "aqaba-desalination"
VERSION = "0.1.0"
RUN_DATE = "2026-11-23T08:30:00Z"
GLOSSARY_SIGNATURE = "3f9a2c1d"

# id -> (type, canonical Arabic, English, Vietnamese)
TERMS: dict[str, tuple[str, str, str, str]] = {
    "ministry-water": (
        "organization",
        "وزارة المياه والري",
        "Ministry of Water and Irrigation",
        "Bộ Nước và Thủy lợi",
    ),
    "desalination": ("term", "تحلية", "desalination", "khử mặn"),
    "aqaba": ("place", "العقبة", "Aqaba", "Aqaba"),
    "samer-khatib": ("person", "سامر الخطيب", "Samer Al-Khatib", "Samer Al-Khatib"),
    "ebrd": (
        "organization",
        "البنك الأوروبي للإنشاء والتعمير",
        "European Bank for Reconstruction and Development",
        "Ngân hàng Tái thiết và Phát triển châu Âu",
    ),
}


@dataclass(frozen=True)
class _S:
    ar: str
    en: str
    vi: str
    terms: tuple[tuple[str, Strategy, Strategy], ...] = ()
    """(term id, English strategy, Vietnamese strategy)."""


# (first line, last line, sentences)
_PARAGRAPHS: tuple[tuple[int, int, tuple[_S, ...]], ...] = (
    (
        3,
        3,
        (
            _S(
                "افتتاح محطة جديدة لتحلية مياه البحر في العقبة",
                "New seawater desalination plant opens in Aqaba",
                "Khánh thành nhà máy khử mặn nước biển mới tại Aqaba",
                (("desalination", "natural", "natural"), ("aqaba", "natural", "natural")),
            ),
        ),
    ),
    (
        5,
        6,
        (
            _S(
                "أعلنت وزارة المياه والري يوم الأحد تشغيل محطة جديدة لتحلية مياه البحر"
                " في مدينة العقبة.",
                "The Ministry of Water and Irrigation announced on Sunday the start of"
                " operations at a new seawater desalination plant in the city of Aqaba.",
                "Bộ Nước và Thủy lợi hôm Chủ nhật đã thông báo đưa vào vận hành một nhà máy"
                " khử mặn nước biển mới tại thành phố Aqaba.",
                (
                    ("ministry-water", "injected", "natural"),
                    ("desalination", "natural", "natural"),
                    ("aqaba", "natural", "natural"),
                ),
            ),
            _S(
                "وتبلغ الطاقة الإنتاجية للمحطة 150 ألف متر مكعب يوميا.",
                "The plant's production capacity is 150,000 cubic metres per day.",
                "Công suất sản xuất của nhà máy đạt 150.000 mét khối mỗi ngày.",
            ),
        ),
    ),
    (
        11,
        12,
        (
            _S(
                "وقال وزير المياه سامر الخطيب إن المشروع سيخدم أكثر من 300 ألف نسمة"
                " في جنوب المملكة.",
                "Water Minister Samer Al-Khatib said the project will serve more than"
                " 300,000 people in the south of the kingdom.",
                "Bộ trưởng Nước Samer Al-Khatib cho biết dự án sẽ phục vụ hơn 300.000 người"
                " ở miền nam vương quốc.",
                (("samer-khatib", "nbest", "natural"),),
            ),
            _S(
                "وأضاف أن المحطة تعمل بالطاقة الشمسية بنسبة 40 في المئة.",
                "He added that the plant runs on الطاقة الشمسية for 40 percent of its needs.",
                "Ông cho biết thêm nhà máy sử dụng năng lượng mặt trời cho 40% nhu cầu.",
            ),
            _S(
                "ومن المتوقع أن تكتمل المرحلة الثانية من المشروع عام 2027.",
                "The second phase of the project is expected to be completed in 2026.",
                "Giai đoạn hai của dự án dự kiến hoàn thành vào năm 2027.",
            ),
        ),
    ),
    (
        14,
        15,
        (
            _S(
                "ونفذت شركة AquaNova الهندسية المشروع بتمويل من البنك الأوروبي للإنشاء والتعمير.",
                "The engineering company AquaNova carried out the project with funding from"
                " the European Bank for Reconstruction and Development.",
                "Công ty kỹ thuật AquaNova đã thực hiện dự án với nguồn vốn từ Ngân hàng"
                " Tái thiết và Phát triển châu Âu.",
                (("ebrd", "forced", "injected"),),
            ),
            _S(
                "وأكد الخطيب أن أسعار المياه لن ترتفع على المواطنين خلال السنوات الثلاث المقبلة.",
                "Al-Khatib confirmed.",
                "Ông Al-Khatib khẳng định giá nước sẽ không tăng đối với người dân trong"
                " ba năm tới.",
            ),
        ),
    ),
)

REPEATED_PARAGRAPH = 2
"""Index of the paragraph the input repeats (lines 17-18 repeat lines 11-12)."""

CAPTION_AR = "المحطة الجديدة على ساحل البحر الأحمر"
CAPTION_CREDIT = "تصوير: ليلى حداد"
CAPTION_EN = "The new plant on the Red Sea coast"
CAPTION_VI = "Nhà máy mới trên bờ Biển Đỏ"

FORCED_TERM = ("p4.s1", "ebrd", "en")
"""(sentence id, term id, language) of the one forced term."""

ARABIC_WORDS = ("الإنتاجية", "المواطنين", "والتعمير", "المملكة")
"""Words of the Arabic text, each a single shaped word, for rendering checks."""


def _sentence_flags(vi: bool) -> dict[str, tuple[Flag, ...]]:
    flags: dict[str, tuple[Flag, ...]] = {
        "p3.s2": (
            Flag(
                "untranslated-arabic",
                "warning",
                "the English still contains Arabic: 'الطاقة الشمسية'",
                "en",
            ),
        ),
        "p3.s3": (
            Flag(
                "number-mismatch",
                "warning",
                "2027 in the source is missing from the English (found 2026)",
                "en",
            ),
        ),
        "p4.s1": (
            Flag(
                "forced-term",
                "warning",
                "term ebrd: 'European Bank for Reconstruction and Development' was written"
                " into the English after decoding",
                "en",
            ),
        ),
        "p4.s2": (
            Flag(
                "short-translation",
                "warning",
                "the English has 20 characters for 79 Arabic characters",
                "en",
            ),
        ),
    }
    if vi:
        flags["p2.s2"] = (
            Flag(
                "number-mismatch",
                "info",
                "150 ألف read as 150.000 in the Vietnamese",
                "vi",
            ),
        )
    return flags


def _uses(sentence: _S, lang: str) -> tuple[TermUse, ...]:
    uses: list[TermUse] = []
    for term_id, en_strategy, vi_strategy in sentence.terms:
        _type, ar, en, vi = TERMS[term_id]
        start = sentence.ar.find(ar)
        assert start >= 0, f"{term_id} not in {sentence.ar!r}"
        rendering, strategy, target_text = {
            "en": (en, en_strategy, sentence.en),
            "vi": (vi, vi_strategy, sentence.vi),
        }[lang]
        assert rendering in target_text, f"{rendering!r} not in {target_text!r}"
        uses.append(TermUse(term_id, ar, start, start + len(ar), rendering, strategy))
    return tuple(uses)


def _counts(
    paragraphs: Iterable[AlignedParagraph], targets: tuple[str, ...]
) -> tuple[TermCount, ...]:
    occurrences: dict[str, set[tuple[str, int]]] = {}
    forced: dict[str, dict[str, int]] = {}
    for paragraph in paragraphs:
        for sentence in paragraph.sentences:
            for lang, use in sentence.term_uses():
                occurrences.setdefault(use.term_id, set()).add((sentence.id, use.start))
                by_lang = forced.setdefault(use.term_id, dict.fromkeys(targets, 0))
                by_lang[lang] += int(use.forced)
    return tuple(
        TermCount(
            term_id=term_id,
            type=TERMS[term_id][0],
            source=TERMS[term_id][1],
            renderings={"en": TERMS[term_id][2], "vi": TERMS[term_id][3]}
            if "vi" in targets
            else {"en": TERMS[term_id][2]},
            count=len(occurrences[term_id]),
            forced=sum(forced[term_id].values()),
            forced_by_lang=forced[term_id],
        )
        for term_id in TERMS
        if term_id in occurrences
    )


def _unforced(uses: tuple[TermUse, ...]) -> tuple[TermUse, ...]:
    return tuple(dataclasses.replace(u, strategy="injected") if u.forced else u for u in uses)


def signature(targets: tuple[str, ...]) -> Signature:
    """The example's signature: a real one, for the example's (fictional) models."""
    models = (("ar-en", "translate-ar_en-1_0@1.0"), ("en-vi", "translate-en_vi-1_9@1.9"))
    return Signature(
        source="ar",
        targets=targets,
        models=models[: len(targets)],
        glossary=GLOSSARY_SIGNATURE,
        beam=4,
        lock="inject-first",
        version=VERSION,
    )


def make_briefing(
    targets: tuple[str, ...] = ("en", "vi"),
    *,
    flags: bool = True,
    repeats: bool = True,
    captions: bool = True,
    forced: bool = True,
    path: Path | None = None,
) -> Briefing:
    """The example article as a finished briefing.

    ``flags=False`` drops every QA flag, ``repeats=False`` the repeated paragraph,
    ``captions=False`` the caption, ``forced=False`` turns the forced term into an
    injected one: all four off give a briefing with no QA findings at all.
    """
    vi = "vi" in targets
    sentence_flags = _sentence_flags(vi) if flags else {}
    paragraphs: list[AlignedParagraph] = []
    for index, (first, last, sentences) in enumerate(_PARAGRAPHS):
        aligned: list[Segment] = []
        for number, s in enumerate(sentences, start=1):
            sid = f"p{index + 1}.s{number}"
            renderings: dict[str, Rendering] = {}
            for lang in targets:
                uses = _uses(s, lang) if forced else _unforced(_uses(s, lang))
                own = tuple(
                    f
                    for f in sentence_flags.get(sid, ())
                    if f.lang == lang and (forced or f.code != "forced-term")
                )
                renderings[lang] = Rendering(s.en if lang == "en" else s.vi, uses, own)
            aligned.append(Segment(sid, number, "ar", s.ar, renderings))
        paragraphs.append(AlignedParagraph(index, (first, last), tuple(aligned)))

    repeated = paragraphs[REPEATED_PARAGRAPH]
    article_flags: list[Flag] = []
    repeat_records: tuple[Repeat, ...] = ()
    removed = [
        Removed(8, "image-stub", "[صورة]"),
        Removed(20, "counter", "عدد المشاهدات: 1520"),
    ]
    if repeats:
        repeat_records = (Repeat(REPEATED_PARAGRAPH, repeated.lines, (17, 18)),)
        removed.insert(1, Removed(17, "repeat", repeated.text("ar")))
        if flags:
            article_flags.append(
                Flag(
                    "repeated-paragraph",
                    "info",
                    f"paragraph {REPEATED_PARAGRAPH + 1} (lines 11-12) is repeated at lines"
                    " 17-18; translated and shown once",
                )
            )
    caption = Caption(CAPTION_AR, CAPTION_CREDIT, 9, 1)
    article = ArticleInfo(
        path=path or Path(f"input/{ARTICLE_NAME}.txt"),
        name=ARTICLE_NAME,
        encoding="utf-8",
        source_url=SOURCE_URL,
        removed=tuple(removed),
        repeats=repeat_records,
    )
    caption_renderings = {"en": Rendering(CAPTION_EN)} | (
        {"vi": Rendering(CAPTION_VI)} if vi else {}
    )
    headline = paragraphs[0].sentences[0]
    sig = signature(targets)
    return Briefing(
        article=article,
        source_lang="ar",
        targets=targets,
        title={lang: headline.text(lang) for lang in ("ar", *targets)},
        paragraphs=tuple(paragraphs),
        captions=(TranslatedCaption(caption, caption_renderings),) if captions else (),
        flags=tuple(article_flags),
        terms=_counts(paragraphs, targets),
        models=tuple(label for _, label in sig.models),
        signature=sig,
        run_date=RUN_DATE,
        version=VERSION,
    )


def example_en() -> Briefing:
    """Arabic -> English: two text columns, portrait."""
    return make_briefing(("en",))


def example_en_vi() -> Briefing:
    """Arabic -> English and Vietnamese: three text columns, landscape."""
    return make_briefing(("en", "vi"))


def quiet_briefing(targets: tuple[str, ...] = ("en",)) -> Briefing:
    """The same article with no QA findings (no flags, no repeat, nothing forced)."""
    return make_briefing(targets, flags=False, repeats=False, forced=False)


EXAMPLES: dict[str, Callable[[], Briefing]] = {
    "en": example_en,
    "en+vi": example_en_vi,
    "quiet-en": lambda: quiet_briefing(("en",)),
    "quiet-en+vi": lambda: quiet_briefing(("en", "vi")),
}
"""The four shapes of briefing every writer and reader is checked on, by test id."""


def with_first_sentence(base: Briefing, sentence: Segment) -> Briefing:
    """``base`` with its first sentence replaced (the rest of the article unchanged)."""
    p0 = base.paragraphs[0]
    first = dataclasses.replace(p0, sentences=(sentence, *p0.sentences[1:]))
    return dataclasses.replace(base, paragraphs=(first, *base.paragraphs[1:]))
