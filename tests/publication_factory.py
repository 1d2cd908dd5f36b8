"""Reader's editions built directly (no gathering): Arabic articles translated into English
or Vietnamese, with captions and credits, machine sentences and the test-model notice."""

from __future__ import annotations

from typing import Any

from bilingual.publish.edition import (
    Colophon,
    Edition,
    Layout,
    Publication,
    PublishedParagraph,
    PublishedSentence,
    Reviewer,
    Status,
)

NOTICE = "TEST MODEL: this text was made by a test model, not a real translation."
LICENCE = "opus-mt-ar-en: CC-BY 4.0, (c) Language Technology Research Group, Helsinki"

# (Arabic, English, Vietnamese) per sentence; paragraphs of sentences, then a caption
_ARTICLES = [
    (
        ("اتفاقية هانوي", "The Hanoi Convention", "Công ước Hà Nội"),
        [
            [
                (
                    "وقعت سبعون دولة على الاتفاقية.",
                    "Seventy countries signed the convention.",
                    "Bảy mươi quốc gia đã ký công ước.",
                ),
                (
                    "ناقش الخبراء الأمن السيبراني.",
                    "Experts discussed cybersecurity.",
                    "Các chuyên gia đã thảo luận về an ninh mạng.",
                ),
            ],
            [
                (
                    "قال المدير إن الإطار القانوني قوي.",
                    "The director said the legal framework is strong.",
                    "Giám đốc nói rằng khung pháp lý rất vững chắc.",
                ),
            ],
        ],
        (
            "ممثلو الاتحاد الأوروبي يوقعون.",
            "Representatives of the European Union sign.",
            "Đại diện Liên minh châu Âu ký kết.",
        ),
    ),
    (
        ("مؤتمر المياه", "The water conference", "Hội nghị về nước"),
        [
            [
                (
                    "افتتح الوزير مؤتمر المياه في عمان.",
                    "The minister opened the water conference in Amman.",
                    "Bộ trưởng khai mạc hội nghị về nước tại Amman.",
                ),
                (
                    "شارك مئة خبير.",
                    "One hundred experts took part.",
                    "Một trăm chuyên gia đã tham gia.",
                ),
            ],
        ],
        ("الوزير يلقي كلمته.", "The minister gives his speech.", "Bộ trưởng phát biểu."),
    ),
    (
        ("تقرير الطاقة", "The energy report", "Báo cáo năng lượng"),
        [
            [
                (
                    "نشرت الوكالة تقرير الطاقة السنوي.",
                    "The agency published the annual energy report.",
                    "Cơ quan đã công bố báo cáo năng lượng hằng năm.",
                ),
            ],
            [
                (
                    "ارتفع إنتاج الطاقة الشمسية.",
                    "Solar power output rose.",
                    "Sản lượng điện mặt trời đã tăng.",
                ),
                ("انخفض استهلاك الفحم.", "Coal use fell.", "Việc sử dụng than đã giảm."),
            ],
        ],
        ("ألواح شمسية في الصحراء.", "Solar panels in the desert.", "Tấm pin mặt trời trên sa mạc."),
    ),
]
CREDIT = "(صورة: NLĐ)"


def edition(
    k: int = 0,
    target: str = "en",
    *,
    machine: frozenset[str] = frozenset(),
    notice: str | None = None,
    reviewed: bool = True,
    repeat: int = 1,
) -> Edition:
    """Article ``k`` (0–2) in ``target``; sentence ids in ``machine`` are unreviewed.
    ``repeat`` copies the body paragraphs that many times (a long article)."""
    col = 1 if target == "en" else 2
    title, paragraphs, caption = _ARTICLES[k]
    built: list[PublishedParagraph] = []
    n = 0
    for _ in range(repeat):
        for sentences in paragraphs:
            row = []
            for triple in sentences:
                n += 1
                sid = f"s{n}"
                status: Status = "machine" if sid in machine else "approved"
                row.append(PublishedSentence(sid, triple[0], triple[col], status))
            built.append(PublishedParagraph("body", tuple(row)))
    cap = PublishedSentence(
        "c1", caption[0], caption[col], "machine" if "c1" in machine else "reviewed"
    )
    built.insert(1, PublishedParagraph("caption", (cap,), credit=CREDIT))
    colophon = Colophon(
        tool_version="0.1.0",
        signature=f"sig-{k}-abcdef",
        glossary="gloss-1234" if k != 1 else "",
        licences=(LICENCE,),
        reviewers=(Reviewer("Huda Salem", "2026-12-06T10:00:00Z", n + 1),) if reviewed else (),
        test_model_notice=notice,
    )
    return Edition(
        article=f"article{k}",
        source_lang="ar",
        target_lang=target,
        title=title[col],
        source_title=title[0],
        source=f"https://example.org/news/{k}",
        date="2026-12-06T09:00:00Z",
        paragraphs=tuple(built),
        colophon=colophon,
    )


def single(layout: Layout = "target", target: str = "en", **kw: Any) -> Publication:
    return Publication((edition(0, target, **kw),), layout=layout)


def digest(
    target: str = "en", layout: Layout = "target", repeat: tuple[int, ...] = (30, 1, 60)
) -> Publication:
    """Three articles of different lengths (so they start on pages far apart)."""
    editions = tuple(
        edition(
            k,
            target,
            repeat=r,
            machine=frozenset({"s2"}) if k == 1 else frozenset(),
            notice=NOTICE if k == 2 else None,
        )
        for k, r in enumerate(repeat)
    )
    return Publication(
        editions,
        layout=layout,
        digest="Morning digest",
        desk="Middle East desk",
        date="2026-12-07",
    )
