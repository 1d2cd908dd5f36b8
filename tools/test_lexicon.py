"""Controlled trilingual lexicon and sentence templates for the synthetic test models.

The committed test models (``tests/models/translate-ar_en-test.argosmodel`` and
``translate-en_vi-test.argosmodel``) are trained only on sentences produced here, so this
module *is* their vocabulary: a test can pick any lexicon entry or template and know the
exact translation the models were taught.

Every generated example is a :class:`Triple` (Arabic, English, Vietnamese).  The domain
follows the signing of the UN Convention against Cybercrime in Hanoi: ministers, delegates,
countries, organisations, meetings, dates, numbers.

Besides lexicon words, slots can be filled with *copy items*: strings that must come out
unchanged on the target side (Latin names, acronyms, Vietnamese-diacritic phrases, English
glossary renderings, numbers, strings with ``( ) " : - '``).  The product's glossary locking
injects the exact target rendering of a term into the source sentence and relies on the
model copying it verbatim, so the models are trained on many such cases.  Which copy items
are allowed depends on the pair: for ar->en any Latin string is copied; for en->vi only
strings made of words that are *not* in the controlled English vocabulary (otherwise the
model would rightly translate them).

Arabic grammar is modelled where it is cheap: the conjunction و prefixed to sentence-initial
verbs, the article ال, verb gender agreement (وقع / وقعت), future س + imperfect (سيوقع /
ستوقع), construct state (سفير فرنسا), sound masculine plural case endings (المندوبون /
بالمندوبين), singular counted nouns after numbers >= 11 (70 دولة, 5 دول), and the punctuation
``،`` ``؟`` and a final ``.``.

Nothing here has side effects at import; all randomness goes through an explicit
``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

AR_COMMA = "،"
AR_QUESTION = "؟"


@dataclass(frozen=True)
class Phrase:
    """One slot filler in its three languages.

    ``ar_obl`` is the Arabic oblique form (after a preposition or إن) where it differs
    (sound masculine plurals); ``gender`` drives Arabic verb agreement; ``copy`` marks a
    string that is identical in all three languages and must never be re-cased.
    """

    ar: str
    en: str
    vi: str
    gender: str = "m"
    ar_obl: str = ""
    copy: bool = False

    @property
    def obl(self) -> str:
        return self.ar_obl or self.ar


@dataclass(frozen=True)
class Verb:
    """A transitive verb: Arabic past (m/f), preposition, imperfect, English and Vietnamese."""

    ar_m: str
    ar_f: str
    prep: str  # "" (direct object), "ب" (prefixed to the object) or a separate word such as "على"
    ar_imperf: str  # masculine imperfect (يوقع); the feminine swaps the first letter to ت
    en_past: str
    en_base: str
    vi: str
    kind: str  # what the object is: "doc", "event", "person" or "topic"


@dataclass(frozen=True)
class Triple:
    ar: str
    en: str
    vi: str
    template: str
    has_copy: bool


def p(ar: str, en: str, vi: str, gender: str = "m", obl: str = "") -> Phrase:
    return Phrase(ar, en, vi, gender, obl)


# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------

COUNTRIES: tuple[Phrase, ...] = (
    p("فيتنام", "Vietnam", "Việt Nam", "f"),
    p("الصين", "China", "Trung Quốc", "f"),
    p("اليابان", "Japan", "Nhật Bản", "f"),
    p("فرنسا", "France", "Pháp", "f"),
    p("روسيا", "Russia", "Nga", "f"),
    p("الهند", "India", "Ấn Độ", "f"),
    p("مصر", "Egypt", "Ai Cập", "f"),
    p("ألمانيا", "Germany", "Đức", "f"),
    p("الولايات المتحدة", "the United States", "Hoa Kỳ", "f"),
    p("البرازيل", "Brazil", "Brazil", "f"),
    p("قطر", "Qatar", "Qatar", "f"),
    p("الجزائر", "Algeria", "Algeria", "f"),
    p("المغرب", "Morocco", "Maroc", "m"),
    p("الأردن", "Jordan", "Jordan", "m"),
    p("أستراليا", "Australia", "Úc", "f"),
    p("سنغافورة", "Singapore", "Singapore", "f"),
    p("كندا", "Canada", "Canada", "f"),
    p("كوريا", "Korea", "Hàn Quốc", "f"),
    p("تايلاند", "Thailand", "Thái Lan", "f"),
    p("لاوس", "Laos", "Lào", "f"),
    p("كمبوديا", "Cambodia", "Campuchia", "f"),
    p("إندونيسيا", "Indonesia", "Indonesia", "f"),
    p("المملكة العربية السعودية", "Saudi Arabia", "Ả Rập Xê Út", "f"),
    p("جنوب أفريقيا", "South Africa", "Nam Phi", "f"),
)

CITIES: tuple[Phrase, ...] = (
    p("هانوي", "Hanoi", "Hà Nội"),
    p("بكين", "Beijing", "Bắc Kinh"),
    p("باريس", "Paris", "Paris"),
    p("القاهرة", "Cairo", "Cairo"),
    p("جنيف", "Geneva", "Geneva"),
    p("نيويورك", "New York", "New York"),
    p("فيينا", "Vienna", "Viên"),
    p("طوكيو", "Tokyo", "Tokyo"),
    p("بانكوك", "Bangkok", "Bangkok"),
    p("الرياض", "Riyadh", "Riyadh"),
    p("الدوحة", "Doha", "Doha"),
    p("موسكو", "Moscow", "Moskva"),
    p("مدينة هو تشي منه", "Ho Chi Minh City", "Thành phố Hồ Chí Minh"),
    p("دا نانغ", "Da Nang", "Đà Nẵng"),
)

# (phrase, acronym or "") -- the acronym may be appended in parentheses in all three languages.
ORGS: tuple[tuple[Phrase, str], ...] = (
    (p("الأمم المتحدة", "the United Nations", "Liên hợp quốc", "f"), ""),
    (
        p(
            "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
            "the United Nations Office on Drugs and Crime",
            "Văn phòng Liên hợp quốc về Ma túy và Tội phạm",
        ),
        "UNODC",
    ),
    (p("الجمعية العامة", "the General Assembly", "Đại hội đồng", "f"), ""),
    (p("مجلس الأمن", "the Security Council", "Hội đồng Bảo an"), ""),
    (p("وزارة الأمن العام", "the Ministry of Public Security", "Bộ Công an", "f"), ""),
    (p("وزارة الخارجية", "the Ministry of Foreign Affairs", "Bộ Ngoại giao", "f"), ""),
    (p("الاتحاد الأوروبي", "the European Union", "Liên minh châu Âu"), "EU"),
    (p("جامعة الدول العربية", "the Arab League", "Liên đoàn Ả Rập", "f"), ""),
    (
        p(
            "رابطة أمم جنوب شرق آسيا",
            "the Association of Southeast Asian Nations",
            "Hiệp hội các quốc gia Đông Nam Á",
            "f",
        ),
        "ASEAN",
    ),
    (p("الحكومة", "the government", "chính phủ", "f"), ""),
    (p("البنك الدولي", "the World Bank", "Ngân hàng Thế giới"), ""),
    (
        p("منظمة الصحة العالمية", "the World Health Organization", "Tổ chức Y tế Thế giới", "f"),
        "WHO",
    ),
    (
        p(
            "الاتحاد الدولي للاتصالات",
            "the International Telecommunication Union",
            "Liên minh Viễn thông Quốc tế",
        ),
        "ITU",
    ),
)

# People as agents.  Sound masculine plurals carry their oblique form.
ROLES: tuple[Phrase, ...] = (
    p("الوزير", "the minister", "bộ trưởng"),
    p("الوزيرة", "the minister", "bộ trưởng", "f"),
    p("نائب الوزير", "the deputy minister", "thứ trưởng"),
    p("رئيس الوزراء", "the prime minister", "thủ tướng"),
    p("الأمين العام", "the secretary-general", "tổng thư ký"),
    p("السفير", "the ambassador", "đại sứ"),
    p("المتحدث الرسمي", "the spokesperson", "người phát ngôn"),
    p("المدير التنفيذي", "the executive director", "giám đốc điều hành"),
    p("رئيس الوفد", "the head of the delegation", "trưởng phái đoàn"),
    p("الوفد", "the delegation", "phái đoàn"),
    p("المندوبون", "the delegates", "các đại biểu", "m", "المندوبين"),
    p("الممثلون", "the representatives", "các đại diện", "m", "الممثلين"),
    p("المشاركون", "the participants", "những người tham gia", "m", "المشاركين"),
    p("الخبراء", "the experts", "các chuyên gia"),
    p("الوزراء", "the ministers", "các bộ trưởng"),
)

# Titles placed before a (copied) personal name: Arabic, English, Vietnamese, gender.
TITLES: tuple[tuple[str, str, str, str], ...] = (
    ("الوزير", "Minister", "Bộ trưởng", "m"),
    ("نائب الوزير", "Deputy Minister", "Thứ trưởng", "m"),
    ("رئيس الوزراء", "Prime Minister", "Thủ tướng", "m"),
    ("الأمين العام", "Secretary-General", "Tổng Thư ký", "m"),
    ("السفير", "Ambassador", "Đại sứ", "m"),
    ("السيد", "Mr.", "ông", "m"),
    ("السيدة", "Ms.", "bà", "f"),
)

# Construct-state roles "X of COUNTRY": Arabic head noun without ال, English, Vietnamese.
CONSTRUCT_ROLES: tuple[tuple[str, str, str, str], ...] = (
    ("وزير خارجية", "the minister of foreign affairs of", "bộ trưởng Ngoại giao", "m"),
    ("نائب وزير خارجية", "the deputy minister of foreign affairs of", "thứ trưởng Ngoại giao", "m"),
    ("سفير", "the ambassador of", "đại sứ", "m"),
    ("وفد", "the delegation of", "phái đoàn", "m"),
    ("ممثل", "the representative of", "đại diện", "m"),
    ("رئيس وزراء", "the prime minister of", "thủ tướng", "m"),
    ("حكومة", "the government of", "chính phủ", "f"),
)

DOCS: tuple[Phrase, ...] = (
    p("الاتفاقية", "the convention", "công ước", "f"),
    p(
        "اتفاقية الأمم المتحدة لمكافحة الجرائم الإلكترونية",
        "the United Nations Convention against Cybercrime",
        "Công ước của Liên hợp quốc về chống tội phạm mạng",
        "f",
    ),
    p("اتفاقية هانوي", "the Hanoi Convention", "Công ước Hà Nội", "f"),
    p("الاتفاق", "the agreement", "thỏa thuận"),
    p("القرار", "the resolution", "nghị quyết"),
    p("مشروع القرار", "the draft resolution", "dự thảo nghị quyết"),
    p("التقرير", "the report", "báo cáo"),
    p("الخطة", "the plan", "kế hoạch", "f"),
    p("المقترح", "the proposal", "đề xuất"),
    p("المبادرة", "the initiative", "sáng kiến", "f"),
    p("خريطة الطريق", "the roadmap", "lộ trình", "f"),
    p("الإعلان المشترك", "the joint statement", "tuyên bố chung"),
    p("مذكرة التفاهم", "the memorandum of understanding", "bản ghi nhớ", "f"),
    p("الاستراتيجية الوطنية", "the national strategy", "chiến lược quốc gia", "f"),
    p("البرنامج", "the programme", "chương trình"),
    p("الإطار القانوني", "the legal framework", "khung pháp lý"),
)

EVENTS: tuple[Phrase, ...] = (
    p("الاجتماع", "the meeting", "cuộc họp"),
    p("الجلسة", "the session", "phiên họp", "f"),
    p("الجلسة الافتتاحية", "the opening session", "phiên khai mạc", "f"),
    p("الجلسة العامة", "the plenary session", "phiên toàn thể", "f"),
    p("حفل التوقيع", "the signing ceremony", "lễ ký kết"),
    p("المؤتمر", "the conference", "hội nghị"),
    p("المناقشة", "the discussion", "cuộc thảo luận", "f"),
    p("المناقشة رفيعة المستوى", "the high-level discussion", "cuộc thảo luận cấp cao", "f"),
    p("الطاولة المستديرة", "the round table", "hội nghị bàn tròn", "f"),
    p("ورشة العمل", "the workshop", "hội thảo", "f"),
    p("القمة", "the summit", "hội nghị thượng đỉnh", "f"),
    p("المنتدى", "the forum", "diễn đàn"),
)

TOPICS: tuple[Phrase, ...] = (
    p("الجرائم الإلكترونية", "cybercrime", "tội phạm mạng", "f"),
    p("الأمن السيبراني", "cybersecurity", "an ninh mạng"),
    p("التعاون", "cooperation", "hợp tác"),
    p("التعاون الدولي", "international cooperation", "hợp tác quốc tế"),
    p("حماية البيانات", "data protection", "bảo vệ dữ liệu", "f"),
    p("حقوق الإنسان", "human rights", "quyền con người", "f"),
    p("العدالة", "justice", "công lý", "f"),
    p("الاقتصاد الرقمي", "the digital economy", "kinh tế số"),
    p("الذكاء الاصطناعي", "artificial intelligence", "trí tuệ nhân tạo"),
    p("التكنولوجيا", "technology", "công nghệ", "f"),
    p("التنمية المستدامة", "sustainable development", "phát triển bền vững", "f"),
    p("التجارة", "trade", "thương mại", "f"),
    p("تغير المناخ", "climate change", "biến đổi khí hậu"),
    p("التعليم", "education", "giáo dục"),
    p("تبادل المعلومات", "information exchange", "trao đổi thông tin"),
    p("مكافحة الإرهاب", "counter-terrorism", "chống khủng bố", "f"),
    p("الفضاء الإلكتروني", "cyberspace", "không gian mạng"),
)

VERBS: tuple[Verb, ...] = (
    Verb("وقع", "وقعت", "على", "يوقع", "signed", "sign", "ký", "doc"),
    Verb("اعتمد", "اعتمدت", "", "يعتمد", "adopted", "adopt", "thông qua", "doc"),
    Verb("أيد", "أيدت", "", "يؤيد", "supported", "support", "ủng hộ", "doc"),
    Verb("أعلن", "أعلنت", "عن", "يعلن", "announced", "announce", "công bố", "doc"),
    Verb("استعرض", "استعرضت", "", "يستعرض", "reviewed", "review", "xem xét", "doc"),
    Verb("أشاد", "أشادت", "ب", "يشيد", "praised", "praise", "ca ngợi", "doc"),
    Verb("وافق", "وافقت", "على", "يوافق", "approved", "approve", "phê duyệt", "doc"),
    Verb("قدم", "قدمت", "", "يقدم", "presented", "present", "trình bày", "doc"),
    Verb("نشر", "نشرت", "", "ينشر", "published", "publish", "xuất bản", "doc"),
    Verb("رفض", "رفضت", "", "يرفض", "rejected", "reject", "bác bỏ", "doc"),
    Verb("صادق", "صادقت", "على", "يصادق", "ratified", "ratify", "phê chuẩn", "doc"),
    Verb("رحب", "رحبت", "ب", "يرحب", "welcomed", "welcome", "hoan nghênh", "doc"),
    Verb("حضر", "حضرت", "", "يحضر", "attended", "attend", "tham dự", "event"),
    Verb("افتتح", "افتتحت", "", "يفتتح", "opened", "open", "khai mạc", "event"),
    Verb("ترأس", "ترأست", "", "يترأس", "chaired", "chair", "chủ trì", "event"),
    Verb("نظم", "نظمت", "", "ينظم", "organized", "organize", "tổ chức", "event"),
    Verb("استضاف", "استضافت", "", "يستضيف", "hosted", "host", "đăng cai", "event"),
    Verb("التقى", "التقت", "ب", "يلتقي", "met with", "meet with", "gặp", "person"),
    Verb("استقبل", "استقبلت", "", "يستقبل", "received", "receive", "tiếp", "person"),
    Verb("شكر", "شكرت", "", "يشكر", "thanked", "thank", "cảm ơn", "person"),
    Verb("ناقش", "ناقشت", "", "يناقش", "discussed", "discuss", "thảo luận về", "topic"),
    Verb(
        "أكد",
        "أكدت",
        "على أهمية",
        "يؤكد",
        "emphasized the importance of",
        "emphasize the importance of",
        "nhấn mạnh tầm quan trọng của",
        "topic",
    ),
    Verb("دعا", "دعت", "إلى", "يدعو", "called for", "call for", "kêu gọi", "topic"),
)

MONTHS: tuple[tuple[str, str], ...] = (
    ("يناير", "January"),
    ("فبراير", "February"),
    ("مارس", "March"),
    ("أبريل", "April"),
    ("مايو", "May"),
    ("يونيو", "June"),
    ("يوليو", "July"),
    ("أغسطس", "August"),
    ("سبتمبر", "September"),
    ("أكتوبر", "October"),
    ("نوفمبر", "November"),
    ("ديسمبر", "December"),
)

WEEKDAYS: tuple[Phrase, ...] = (
    p("يوم الاثنين", "on Monday", "vào thứ Hai"),
    p("يوم الثلاثاء", "on Tuesday", "vào thứ Ba"),
    p("يوم الأربعاء", "on Wednesday", "vào thứ Tư"),
    p("يوم الخميس", "on Thursday", "vào thứ Năm"),
    p("يوم الجمعة", "on Friday", "vào thứ Sáu"),
    p("يوم السبت", "on Saturday", "vào thứ Bảy"),
    p("يوم الأحد", "on Sunday", "vào Chủ nhật"),
)

PAST_TIMES: tuple[Phrase, ...] = (
    p("اليوم", "today", "hôm nay"),
    p("أمس", "yesterday", "hôm qua"),
    p("صباح اليوم", "this morning", "sáng nay"),
    p("الأسبوع الماضي", "last week", "tuần trước"),
    p("الشهر الماضي", "last month", "tháng trước"),
)

FUTURE_TIMES: tuple[Phrase, ...] = (
    p("قريبا", "soon", "sớm"),
    p("العام المقبل", "next year", "vào năm tới"),
    p("الأسبوع المقبل", "next week", "vào tuần tới"),
)

# Counted nouns: Arabic singular (after numbers >= 11), Arabic plural (3..10), English, Vietnamese.
COUNT_NOUNS: tuple[tuple[str, str, str, str], ...] = (
    ("دولة", "دول", "countries", "quốc gia"),
    ("مندوب", "مندوبين", "delegates", "đại biểu"),
    ("منظمة", "منظمات", "organizations", "tổ chức"),
    ("خبير", "خبراء", "experts", "chuyên gia"),
    ("وفد", "وفود", "delegations", "phái đoàn"),
)

QUANTIFIERS: tuple[Phrase, ...] = (
    p("", "", ""),
    p("أكثر من", "more than", "hơn"),
    p("ما يقرب من", "nearly", "gần"),
    p("نحو", "about", "khoảng"),
)

# Measured quantities for the "rose/fell by N percent" template.
MEASURES: tuple[Phrase, ...] = (
    p("عدد الهجمات الإلكترونية", "the number of cyber attacks", "số vụ tấn công mạng"),
    p("عدد الدول الموقعة", "the number of signatory countries", "số quốc gia ký kết"),
    p(
        "حجم التجارة بين البلدين",
        "the volume of trade between the two countries",
        "kim ngạch thương mại giữa hai nước",
    ),
    p("ميزانية البرنامج", "the budget of the programme", "ngân sách của chương trình", "f"),
)

CHANGE_VERBS: tuple[tuple[str, str, str, str], ...] = (
    ("ارتفع", "ارتفعت", "rose", "tăng"),
    ("انخفض", "انخفضت", "fell", "giảm"),
)


def lexicon_size() -> int:
    """Number of lexical entries (for the docstring claim and a sanity test)."""
    return (
        len(COUNTRIES)
        + len(CITIES)
        + len(ORGS)
        + len(ROLES)
        + len(TITLES)
        + len(CONSTRUCT_ROLES)
        + len(DOCS)
        + len(EVENTS)
        + len(TOPICS)
        + len(VERBS)
        + len(MONTHS)
        + len(WEEKDAYS)
        + len(PAST_TIMES)
        + len(FUTURE_TIMES)
        + len(COUNT_NOUNS)
        + len(QUANTIFIERS)
        + len(MEASURES)
        + len(CHANGE_VERBS)
    )


def english_vocabulary() -> set[str]:
    """Lower-cased English words the en->vi model translates (never to be used as copy items)."""
    words: set[str] = set()
    phrases: list[str] = []
    for group in (COUNTRIES, CITIES, ROLES, DOCS, EVENTS, TOPICS, WEEKDAYS, PAST_TIMES):
        phrases += [ph.en for ph in group]
    phrases += [ph.en for ph in FUTURE_TIMES + QUANTIFIERS + MEASURES]
    phrases += [o.en for o, _ in ORGS]
    phrases += [t[1] for t in TITLES] + [c[1] for c in CONSTRUCT_ROLES]
    phrases += [v.en_past for v in VERBS] + [v.en_base for v in VERBS]
    phrases += [m for _, m in MONTHS] + [c[2] for c in COUNT_NOUNS] + [c[2] for c in CHANGE_VERBS]
    phrases += [
        "at during on in and with said that will did when where representatives of "
        "international organizations launched enter into force by percent discussions "
        "took place throughout the day"
    ]
    for phrase in phrases:
        for word in phrase.replace("-", " ").split():
            words.add(word.strip(".,()").lower())
    return words


# --------------------------------------------------------------------------------------
# Copy items
# --------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    "ka lo mir tes van zor bel dra nu qui ex on ta ri sen gor pa lin mo ver da el fa ru "
    "sto bri han kel mar tho wen ys ol ar ish ben cor dal fen gri jo lu nak ost pel rad "
    "sil tum vel wy zan bra cle fro glen kra plo tre vin"
)

_WESTERN_NAMES = _words(
    "Antonio Guterres Maria John Smith Anna Schmidt Pierre Dubois Carlos Silva Ahmed Khan "
    "Elena Petrova Kenji Tanaka Laura Rossi Peter Brown Sarah Miller David Cohen Ghada "
    "Waly Olga Ivanova Thomas Weber Fatima Haddad Lucas Martin Emma Wilson James Taylor"
)

_VI_FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lương Tô")
_VI_MIDDLE = _words("Văn Thị Minh Đức Quốc Thanh Hữu Ngọc Xuân Thế")
_VI_GIVEN = _words(
    "An Bình Cường Dũng Hùng Lan Mai Nam Phương Quân Sơn Tuấn Hải Long Hương Tùng Lâm "
    "Chính Cường Thắng Vũ Tâm Nghĩa Trí Yến Thảo Khoa"
)
_VI_NAMES_ASCII = _words("Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ho Ngo Duong Van Thi Minh Duc")

# Vietnamese words (with diacritics) used to build injected Vietnamese renderings.
_VI_WORDS = _words(
    "Văn phòng Liên hợp quốc Bộ Công an Công ước Hà Nội hợp tác quốc tế an ninh mạng tội "
    "phạm Ủy ban Quốc hội Chính phủ Việt Nam Thành phố Hồ Chí Minh Học viện Cục Sở Ngoại "
    "giao Tư pháp Đà Nẵng Huế Cần Thơ Hải Phòng Bắc Ninh nghị định luật thông tư phòng "
    "chống lừa đảo dữ liệu cá nhân chuyển đổi số điện tử quản lý nhà nước"
)

# Real glossary renderings injected by the product (ar->en: English side; en->vi: Vietnamese).
_EN_GLOSSARY = (
    "United Nations Office on Drugs and Crime (UNODC)",
    "United Nations Office on Drugs and Crime",
    "United Nations Convention against Cybercrime",
    "Convention against Cybercrime",
    "Hanoi Convention",
    "Ministry of Public Security",
    "General Assembly",
    "Security Council",
    "the United Nations",
    "Secretary-General",
    "Deputy Minister of Foreign Affairs",
    "cybercrime",
    "electronic evidence",
    "mutual legal assistance",
    "cyber attacks",
    "digital transformation",
    "people's security",
    "Ad Hoc Committee",
    "high-level discussion",
    "round table",
)

_VI_GLOSSARY = (
    "Văn phòng Liên hợp quốc về Ma túy và Tội phạm (UNODC)",
    "Văn phòng Liên hợp quốc",
    "Công ước Hà Nội",
    "Bộ Công an",
    "Liên hợp quốc",
    "tội phạm mạng",
    "chứng cứ điện tử",
    "tương trợ tư pháp",
    "Ủy ban Đặc biệt",
    "Đại tướng Lương Tam Quang",
    "Thượng tướng Phạm Thế Tùng",
    "Thứ trưởng Thường trực Nguyễn Minh Vũ",
    "an ninh mạng",
    "chuyển đổi số",
)

_EXTRA_EN_WORDS = _words(
    "global forum national center digital safe cyber space security agency network "
    "project task force strategy office committee alliance partnership framework platform "
    "initiative council summit programme fund institute academy"
)

_REAL_ACRONYMS = _words(
    "UNODC ASEAN INTERPOL ITU UNDP UNESCO WHO OECD ICT APEC G20 UNICEF IMF NATO"
)

_PUNCT_ITEMS = (
    "O'Brien",
    "D'Souza",
    "Jean-Pierre",
    "Al-Mansouri",
    "COVID-19",
    "e-Government",
    "ITU-T",
    "Article 5: Scope",
    "Phase 2: Implementation",
    "Resolution 78/243",
    "ISO 27001",
    "5G",
    "(UNODC)",
    "(ASEAN)",
    "St. Petersburg",
    "Smith & Partners",
)

# Cased forms of pseudo-words that happen to equal a vocabulary word are rejected.
_EN_VOCAB_CACHE: set[str] = set()


def _en_vocab() -> set[str]:
    if not _EN_VOCAB_CACHE:
        _EN_VOCAB_CACHE.update(english_vocabulary())
    return _EN_VOCAB_CACHE


def pseudo_word(rng: random.Random) -> str:
    """A random pronounceable Latin word that is not an English vocabulary word."""
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word.lower() not in _en_vocab():
            return word


def latin_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return " ".join(pseudo_word(rng).capitalize() for _ in range(rng.randint(1, 3)))
    if roll < 0.55:
        return " ".join(rng.sample(_WESTERN_NAMES, rng.randint(1, 2)))
    if roll < 0.8:
        return vietnamese_name(rng)
    return " ".join(rng.choice(_VI_NAMES_ASCII) for _ in range(rng.randint(2, 3)))


def vietnamese_name(rng: random.Random) -> str:
    parts = [rng.choice(_VI_FAMILY)]
    if rng.random() < 0.8:
        parts.append(rng.choice(_VI_MIDDLE))
    parts.append(rng.choice(_VI_GIVEN))
    return " ".join(parts)


def vietnamese_phrase(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(_VI_GLOSSARY)
    words = [rng.choice(_VI_WORDS) for _ in range(rng.randint(1, 5))]
    words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words)


def acronym(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(_REAL_ACRONYMS)
    letters = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.15:
        letters += str(rng.randint(1, 99))
    return letters


def number_string(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return str(rng.randint(11, 999))
    if roll < 0.6:
        return f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"
    if roll < 0.8:
        return str(rng.randint(1990, 2040))
    return f"{rng.randint(0, 99)}.{rng.randint(1, 99)}"


def english_phrase(rng: random.Random) -> str:
    """An English multiword phrase (for ar->en only: en->vi would translate its words)."""
    if rng.random() < 0.5:
        return rng.choice(_EN_GLOSSARY)
    # sorted: set order depends on PYTHONHASHSEED and the corpus must be reproducible
    pool = [*_EXTRA_EN_WORDS, *sorted(w for w in _en_vocab() if w.isalpha() and len(w) > 3)]
    words = sorted(set(rng.sample(pool, rng.randint(2, 4))), key=pool.index)
    if rng.random() < 0.6:
        words = [w.capitalize() for w in words]
    return " ".join(words)


def unknown_english_phrase(rng: random.Random) -> str:
    """A capitalised multiword name made of pseudo-words (safe to copy in en->vi)."""
    return " ".join(pseudo_word(rng).capitalize() for _ in range(rng.randint(2, 3)))


def copy_item(rng: random.Random, pair: str, role: str) -> str:
    """A string to be copied verbatim; ``role`` hints which kinds fit the slot."""
    kinds: list[tuple[str, float]] = [
        ("name", 3.0 if role in ("agent", "person") else 1.0),
        ("vi", 2.0),
        ("acronym", 1.5 if role in ("agent", "org") else 0.7),
        ("pseudo", 1.0),
        ("unk_phrase", 1.0),
        ("punct", 1.0),
        ("number", 0.3),
    ]
    if pair == "ar-en":
        kinds.append(("en_phrase", 2.5))
    names, weights = zip(*kinds, strict=True)
    kind = rng.choices(names, weights)[0]
    if kind == "name":
        return latin_name(rng)
    if kind == "vi":
        return vietnamese_name(rng) if role == "person" else vietnamese_phrase(rng)
    if kind == "acronym":
        return acronym(rng)
    if kind == "pseudo":
        word = pseudo_word(rng)
        return word if rng.random() < 0.5 else word.capitalize()
    if kind == "unk_phrase":
        return unknown_english_phrase(rng)
    if kind == "punct":
        item = rng.choice(_PUNCT_ITEMS)
        # these contain English vocabulary words that en->vi would rightly translate
        if pair == "en-vi" and item in (
            "Article 5: Scope",
            "Phase 2: Implementation",
            "e-Government",
        ):
            return f"{pseudo_word(rng).capitalize()} {rng.randint(1, 40)}: {pseudo_word(rng)}"
        return item
    if kind == "number":
        return f"{acronym(rng)}-{number_string(rng)}"
    return english_phrase(rng)


def copy_phrase(text: str, gender: str = "m") -> Phrase:
    return Phrase(text, text, text, gender, copy=True)


# --------------------------------------------------------------------------------------
# Slot pickers
# --------------------------------------------------------------------------------------


class Picker:
    """Chooses slot fillers; with probability ``copy_rate`` a slot gets a copy item.

    ``forced`` pre-assigns fillers by slot name (used to build the curated test cases).
    """

    def __init__(
        self,
        rng: random.Random,
        pair: str,
        copy_rate: float,
        forced: dict[str, Phrase] | None = None,
    ) -> None:
        self.rng = rng
        self.pair = pair
        self.copy_rate = copy_rate
        self.forced = dict(forced or {})
        self.clause: str | None = None  # forces the first clause kind (e.g. "clause_past")
        self.used_copy = False

    def _copy(self, role: str, gender: str | None = None) -> Phrase:
        self.used_copy = True
        return copy_phrase(copy_item(self.rng, self.pair, role), gender or self.rng.choice("mf"))

    def _want_copy(self, scale: float = 1.0) -> bool:
        return self.rng.random() < self.copy_rate * scale

    def _forced(self, slot: str) -> Phrase | None:
        ph = self.forced.pop(slot, None)
        if ph is not None and ph.copy:
            self.used_copy = True
        return ph

    def country(self, slot: str = "country") -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        if self._want_copy(0.5):
            return self._copy("place", "f")
        return self.rng.choice(COUNTRIES)

    def org(self, slot: str = "org") -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        org, acr = self.rng.choice(ORGS)
        if acr and self.rng.random() < 0.4:
            self.used_copy = True
            return replace(
                org, ar=f"{org.ar} ({acr})", en=f"{org.en} ({acr})", vi=f"{org.vi} ({acr})"
            )
        if self._want_copy(0.6):
            return self._copy("org")
        return org

    def agent(self, slot: str = "agent") -> Phrase:
        """A subject that performs an action."""
        forced = self._forced(slot)
        if forced:
            return forced
        roll = self.rng.random()
        if self._want_copy(0.5):
            if self.rng.random() < 0.5:
                return self.titled_name()
            return self._copy("agent")
        if roll < 0.4:
            return self.rng.choice(ROLES)
        if roll < 0.65:
            return self.construct_role()
        if roll < 0.85:
            return self.org(slot + "_org")
        return self.country(slot + "_country")

    def titled_name(self) -> Phrase:
        ar, en, vi, gender = self.rng.choice(TITLES)
        name = copy_item(self.rng, self.pair, "person")
        self.used_copy = True
        return Phrase(f"{ar} {name}", f"{en} {name}", f"{vi} {name}", gender)

    def construct_role(self) -> Phrase:
        ar, en, vi, gender = self.rng.choice(CONSTRUCT_ROLES)
        c = self.country("construct_country")
        return Phrase(f"{ar} {c.ar}", f"{en} {c.en}", f"{vi} {c.vi}", gender)

    def person_object(self, slot: str = "person") -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        if self._want_copy(0.6):
            if self.rng.random() < 0.5:
                return self.titled_name()
            return self._copy("person")
        if self.rng.random() < 0.5:
            return self.rng.choice(ROLES)
        return self.construct_role()

    def doc(self, slot: str = "doc") -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        if self._want_copy(0.5):
            return self._copy("doc")
        return self.rng.choice(DOCS)

    def event(self, slot: str = "event", allow_topic: bool = True) -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        if self._want_copy(0.3):
            return self._copy("event")
        ev = self.rng.choice(EVENTS)
        if allow_topic and self.rng.random() < 0.3:
            t = self.topic(slot + "_topic")
            return replace(
                ev, ar=f"{ev.ar} حول {t.ar}", en=f"{ev.en} on {t.en}", vi=f"{ev.vi} về {t.vi}"
            )
        return ev

    def topic(self, slot: str = "topic") -> Phrase:
        forced = self._forced(slot)
        if forced:
            return forced
        if self._want_copy(0.4):
            return self._copy("topic")
        return self.rng.choice(TOPICS)

    def place(self, slot: str = "place") -> Phrase:
        """A location phrase including its preposition (في / in / tại)."""
        forced = self._forced(slot)
        if forced is None:
            if self._want_copy(0.4):
                forced = self._copy("place")
            else:
                forced = self.rng.choice(CITIES + COUNTRIES[:8])
        return Phrase(f"في {forced.ar}", f"in {forced.en}", f"tại {forced.vi}")

    def date(self, slot: str = "date") -> tuple[int, int, str]:
        forced = self._forced(slot)
        if forced is not None:
            day, month, year = forced.ar.split("/")
            return int(day), int(month), year
        year = str(self.rng.randint(1995, 2035)) if self.rng.random() < 0.3 else ""
        return self.rng.randint(1, 31), self.rng.randint(1, 12), year

    def time(self, future: bool = False, slot: str = "time") -> Phrase:
        """A time adverbial including its preposition, or an empty phrase."""
        forced = self._forced(slot)
        if forced is not None:
            return forced
        roll = self.rng.random()
        if roll < 0.4:
            day, month, year = self.date(slot + "_date")
            mar, men = MONTHS[month - 1]
            ar, en, vi = f"في {day} {mar}", f"on {day} {men}", f"vào ngày {day} tháng {month}"
            if year:
                ar, en, vi = f"{ar} {year}", f"{en} {year}", f"{vi} năm {year}"
            return Phrase(ar, en, vi)
        if roll < 0.6:
            year = str(self.rng.randint(1995, 2040))
            return Phrase(f"في عام {year}", f"in {year}", f"vào năm {year}")
        if roll < 0.7:
            return self.rng.choice(WEEKDAYS)
        if roll < 0.85:
            return self.rng.choice(FUTURE_TIMES if future else PAST_TIMES)
        return Phrase("", "", "")

    def number(self, slot: str = "number", minimum: int = 3) -> str:
        forced = self._forced(slot)
        if forced is not None:
            return forced.ar
        roll = self.rng.random()
        if roll < 0.2 and minimum <= 10:
            return str(self.rng.randint(minimum, 10))
        if roll < 0.75:
            return str(self.rng.randint(11, 300))
        if roll < 0.9:
            return f"{self.rng.randint(1, 20)},{self.rng.choice(['000', '500', '200', '250'])}"
        return str(self.rng.randint(301, 9999))


# --------------------------------------------------------------------------------------
# Sentence assembly
# --------------------------------------------------------------------------------------


def join(*parts: str) -> str:
    return " ".join(x for x in parts if x)


def cap(text: str, first: Phrase | None = None) -> str:
    """Upper-case the first letter, unless the sentence starts with a copy item."""
    if not text or (first is not None and first.copy):
        return text
    return text[0].upper() + text[1:]


def with_prep(prep: str, obj: Phrase, oblique: bool = True) -> str:
    """Arabic preposition + object: ب is prefixed (بالاتفاقية), others are separate words."""
    word = obj.obl if oblique else obj.ar
    if not prep:
        return word
    if prep == "ب":
        return f"بـ {word}" if obj.copy or not _starts_arabic(word) else f"ب{word}"
    return f"{prep} {word}"


def _starts_arabic(text: str) -> bool:
    return bool(text) and "\u0600" <= text[0] <= "\u06ff"


def past(v: Verb, subject: Phrase) -> str:
    return v.ar_f if subject.gender == "f" else v.ar_m


def future(v: Verb, subject: Phrase) -> str:
    stem = v.ar_imperf
    if subject.gender == "f":
        stem = "ت" + stem[1:]
    return "س" + stem


def conj(pk: Picker, word: str) -> str:
    """Optionally prefix the conjunction و to a sentence-initial Arabic word."""
    return "و" + word if pk.rng.random() < 0.5 else word


def _latin_edge(text: str, last: bool) -> bool:
    """Whether the first/last word of an Arabic-side string has no Arabic letter."""
    words = text.split()
    if not words:
        return False
    word = words[-1] if last else words[0]
    return not any("\u0600" <= ch <= "\u06ff" for ch in word)


def not_adjacent(pk: Picker, before: Phrase, make: Callable[[], Phrase]) -> Phrase:
    """``make()``, redrawn without copy items if two Latin strings would touch in Arabic.

    "اعتمد John Smith Lolo Report" has no visible boundary between the subject and the
    object, so no model could learn where one ends; such sentences are never generated.
    """
    phrase = make()
    if _latin_edge(before.ar, last=True) and _latin_edge(phrase.ar, last=False):
        saved, pk.copy_rate = pk.copy_rate, 0.0
        while _latin_edge(phrase.ar, last=False):
            phrase = make()
        pk.copy_rate = saved
    return phrase


def object_for(pk: Picker, v: Verb, subject: Phrase | None = None) -> Phrase:
    """The object of ``v``; ``subject`` is what precedes it directly in Arabic (if anything)."""
    if v.kind == "doc":
        make = pk.doc
    elif v.kind == "event":
        make = pk.event
    elif v.kind == "person":
        make = pk.person_object
    else:
        make = pk.topic
    if subject is None or v.prep:
        return make()
    return not_adjacent(pk, subject, make)


def pick_verb(pk: Picker, kinds: tuple[str, ...] = ("doc", "event", "person", "topic")) -> Verb:
    forced = pk.forced.pop("verb", None)
    if forced is not None:
        return next(v for v in VERBS if v.en_past == forced.en)
    return pk.rng.choice([v for v in VERBS if v.kind in kinds])


Clause = tuple[str, str, str, Phrase]  # ar (no final punctuation), en, vi, first English phrase


def clause_past(pk: Picker) -> Clause:
    v = pick_verb(pk)
    s = pk.agent()
    o = object_for(pk, v, s)
    place = pk.place() if pk.rng.random() < 0.35 else Phrase("", "", "")
    t = pk.time()
    ar = join(past(v, s), s.ar, with_prep(v.prep, o), place.ar, t.ar)
    en = join(s.en, v.en_past, o.en, place.en, t.en)
    vi = join(s.vi, "đã", v.vi, o.vi, place.vi, t.vi)
    return ar, en, vi, s


def clause_future(pk: Picker) -> Clause:
    v = pick_verb(pk)
    s = pk.agent()
    o = object_for(pk, v, s)
    t = pk.time(future=True)
    ar = join(future(v, s), s.ar, with_prep(v.prep, o), t.ar)
    en = join(s.en, "will", v.en_base, o.en, t.en)
    vi = join(s.vi, "sẽ", v.vi, o.vi, t.vi)
    return ar, en, vi, s


def clause_attendance(pk: Picker) -> Clause:
    """حضر الاجتماع أكثر من 1000 مندوب -> More than 1000 delegates attended the meeting."""
    q = pk.rng.choice(QUANTIFIERS)
    n = pk.number()
    sg, pl, en_noun, vi_noun = pk.rng.choice(COUNT_NOUNS)
    ar_noun = pl if n.isdigit() and int(n) <= 10 else sg
    ev = pk.event()
    v = pk.rng.choice([v for v in VERBS if v.kind == "event" and v.en_past == "attended"])
    subj = Phrase(join(q.ar, n, ar_noun), join(q.en, n, en_noun), join(q.vi, n, vi_noun))
    ar = join(v.ar_m, ev.ar, subj.ar)
    en = join(subj.en, v.en_past, ev.en)
    vi = join(subj.vi, "đã", v.vi, ev.vi)
    return ar, en, vi, Phrase("", "", "")


def clause_representatives(pk: Picker) -> Clause:
    """وقع ممثلو 70 دولة ومنظمة دولية على الاتفاقية (the seeds' key sentence)."""
    q = pk.rng.choice(QUANTIFIERS)
    n = pk.number(minimum=11)
    if int(n.replace(",", "")) <= 10:
        n = str(int(n) + 20)
    d = pk.doc()
    orgs = pk.rng.random() < 0.5
    ar_tail = " ومنظمة دولية" if orgs else ""
    en_tail = " and international organizations" if orgs else ""
    vi_tail = " và tổ chức quốc tế" if orgs else ""
    ar = join("وقع ممثلو", q.ar, n, "دولة" + ar_tail, with_prep("على", d))
    en = join("representatives of", q.en, n, "countries" + en_tail, "signed", d.en)
    vi = join("đại diện của", q.vi, n, "quốc gia" + vi_tail, "đã ký", d.vi)
    return ar, en, vi, Phrase("", "", "")


def clause_topic(pk: Picker) -> Clause:
    v = pick_verb(pk, ("topic",))
    s = pk.agent()
    t = not_adjacent(pk, s, pk.topic) if not v.prep else pk.topic()
    if v.en_past == "discussed" and pk.rng.random() < 0.5:
        w = pk.person_object("partner")
        ar = join(past(v, s), s.ar, t.ar, "مع", w.ar)
        en = join(s.en, v.en_past, t.en, "with", w.en)
        vi = join(s.vi, "đã", v.vi, t.vi, "với", w.vi)
        return ar, en, vi, s
    ar = join(past(v, s), s.ar, with_prep(v.prep, t))
    en = join(s.en, v.en_past, t.en)
    vi = join(s.vi, "đã", v.vi, t.vi)
    return ar, en, vi, s


def clause_held(pk: Picker) -> Clause:
    ev = pk.event()
    place = pk.place() if pk.rng.random() < 0.7 else Phrase("", "", "")
    t = pk.time()
    verb = "عقدت" if ev.gender == "f" else "عقد"
    ar = join(verb, ev.ar, place.ar, t.ar)
    en = join(ev.en, "was held", place.en, t.en)
    vi = join(ev.vi, "đã được tổ chức", place.vi, t.vi)
    return ar, en, vi, ev


def clause_force(pk: Picker) -> Clause:
    d = pk.doc()
    t = pk.time(future=True)
    verb = "ستدخل" if d.gender == "f" else "سيدخل"
    ar = join(verb, d.ar, "حيز التنفيذ", t.ar)
    en = join(d.en, "will enter into force", t.en)
    vi = join(d.vi, "sẽ có hiệu lực", t.vi)
    return ar, en, vi, d


def clause_change(pk: Picker) -> Clause:
    m = pk.rng.choice(MEASURES)
    ar_m, ar_f, en_v, vi_v = pk.rng.choice(CHANGE_VERBS)
    forced = pk._forced("percent")
    pct = (
        forced.ar
        if forced
        else f"{pk.rng.randint(1, 60)}"
        + (f".{pk.rng.randint(1, 9)}" if pk.rng.random() < 0.5 else "")
    )
    t = pk.time()
    ar = join(ar_f if m.gender == "f" else ar_m, m.ar, f"بنسبة {pct} في المئة", t.ar)
    en = join(m.en, en_v, f"by {pct} percent", t.en)
    vi = join(m.vi, "đã", vi_v, f"{pct} phần trăm", t.vi)
    return ar, en, vi, m


CLAUSES: tuple[tuple[Callable[[Picker], Clause], float], ...] = (
    (clause_past, 5.0),
    (clause_future, 1.5),
    (clause_attendance, 1.0),
    (clause_representatives, 1.0),
    (clause_topic, 2.0),
    (clause_held, 1.5),
    (clause_force, 0.7),
    (clause_change, 0.8),
)


def _clause(pk: Picker) -> Clause:
    if pk.clause is not None:
        name, pk.clause = pk.clause, None
        return next(fn for fn, _ in CLAUSES if fn.__name__ == name)(pk)
    fns, weights = zip(*CLAUSES, strict=True)
    fn: Callable[[Picker], Clause] = pk.rng.choices(fns, weights)[0]
    return fn(pk)


# Each template returns (ar, en, vi); the Arabic already has its final punctuation.


def t_statement(pk: Picker) -> tuple[str, str, str]:
    ar, en, vi, first = _clause(pk)
    return conj(pk, ar) + ".", cap(en, first) + ".", cap(vi, first) + "."


def t_compound(pk: Picker) -> tuple[str, str, str]:
    """Two or three clauses joined by "، و" / ", and" / ", và" (long sentences)."""
    n = 2 if pk.rng.random() < 0.75 else 3
    clauses = [_clause(pk) for _ in range(n)]
    ar = conj(pk, clauses[0][0])
    en = cap(clauses[0][1], clauses[0][3])
    vi = cap(clauses[0][2], clauses[0][3])
    for c_ar, c_en, c_vi, _ in clauses[1:]:
        ar += f"{AR_COMMA} و{c_ar}"
        en += f", and {c_en}"
        vi += f", và {c_vi}"
    return ar + ".", en + ".", vi + "."


def t_fronted(pk: Picker) -> tuple[str, str, str]:
    """وفي الجلسة الافتتاحية، رحب ... -> At the opening session, ... welcomed ..."""
    ev = pk.event("front_event")
    if pk.rng.random() < 0.6:
        ar_p, en_p, vi_p = "في", "At", "Tại"
    else:
        ar_p, en_p, vi_p = "خلال", "During", "Trong"
    ar, en, vi, _ = _clause(pk)
    ar = f"{conj(pk, ar_p)} {ev.ar}{AR_COMMA} {ar}."
    return ar, f"{en_p} {ev.en}, {en}.", f"{vi_p} {ev.vi}, {vi}."


def t_question(pk: Picker) -> tuple[str, str, str]:
    v = pick_verb(pk)
    s = pk.agent()
    o = object_for(pk, v, s)
    kind = pk.rng.choice(["yesno", "when", "where", "will"])
    obj_ar = with_prep(v.prep, o)
    if kind == "yesno":
        ar = join("هل", past(v, s), s.ar, obj_ar)
        return (
            ar + AR_QUESTION,
            join("Did", s.en, v.en_base, o.en) + "?",
            cap(join(s.vi, "đã", v.vi, o.vi, "chưa"), s) + "?",
        )
    if kind == "when":
        ar = join("متى", past(v, s), s.ar, obj_ar)
        return (
            ar + AR_QUESTION,
            join("When did", s.en, v.en_base, o.en) + "?",
            cap(join(s.vi, "đã", v.vi, o.vi, "khi nào"), s) + "?",
        )
    if kind == "where":
        ar = join("أين", past(v, s), s.ar, obj_ar)
        return (
            ar + AR_QUESTION,
            join("Where did", s.en, v.en_base, o.en) + "?",
            cap(join(s.vi, "đã", v.vi, o.vi, "ở đâu"), s) + "?",
        )
    ar = join("هل", future(v, s), s.ar, obj_ar)
    return (
        ar + AR_QUESTION,
        join("Will", s.en, v.en_base, o.en) + "?",
        cap(join(s.vi, "sẽ", v.vi, o.vi, "không"), s) + "?",
    )


def t_reported(pk: Picker) -> tuple[str, str, str]:
    """وقال الوزير إن فيتنام ستوقع على الاتفاقية -> The minister said that Vietnam will sign ..."""
    s = pk.agent()
    v = pick_verb(pk)
    s2 = pk.agent("agent2")
    o = object_for(pk, v)
    t = pk.time(future=True)
    said = "قالت" if s.gender == "f" else "قال"
    ar = join(conj(pk, said), s.ar, "إن", s2.obl, future(v, s2), with_prep(v.prep, o), t.ar)
    en = join(s.en, "said that", s2.en, "will", v.en_base, o.en, t.en)
    vi = join(s.vi, "cho biết", s2.vi, "sẽ", v.vi, o.vi, t.vi)
    return ar + ".", cap(en, s) + ".", cap(vi, s) + "."


def t_quote(pk: Picker) -> tuple[str, str, str]:
    """Quoted Latin text after a colon, or an initiative name in quotes."""
    s = pk.agent()
    forced = pk._forced("quote")
    q = forced.ar if forced else copy_item(pk.rng, pk.pair, "doc")
    pk.used_copy = True
    if pk.rng.random() < 0.5:
        said = "قالت" if s.gender == "f" else "قال"
        ar = f'{join(conj(pk, said), s.ar)}: "{q}".'
        return ar, f'{cap(s.en, s)} said: "{q}".', f'{cap(s.vi, s)} cho biết: "{q}".'
    launched = "أطلقت" if s.gender == "f" else "أطلق"
    ar = f'{join(conj(pk, launched), s.ar)} مبادرة "{q}".'
    return (
        ar,
        f'{cap(s.en, s)} launched the initiative "{q}".',
        f'{cap(s.vi, s)} đã khởi động sáng kiến "{q}".',
    )


def t_discussions_day(pk: Picker) -> tuple[str, str, str]:
    """وجرت مناقشات حول ... طوال اليوم (25 أكتوبر) -> ... throughout the day (25 October)."""
    t = pk.topic()
    day, month, _ = pk.date()
    mar, men = MONTHS[month - 1]
    ar = f"{conj(pk, 'جرت')} مناقشات حول {t.ar} طوال اليوم ({day} {mar})."
    en = f"Discussions on {t.en} took place throughout the day ({day} {men})."
    vi = f"Các cuộc thảo luận về {t.vi} đã diễn ra suốt cả ngày ({day} tháng {month})."
    return ar, en, vi


def t_headline(pk: Picker) -> tuple[str, str, str]:
    """A bare noun phrase (headlines, captions), no final period."""
    roll = pk.rng.random()
    if roll < 0.3:
        ph = pk.doc()
    elif roll < 0.6:
        ph = pk.event()
    elif roll < 0.8:
        ph = pk.org()
    else:
        ph = pk.agent()
    return ph.ar, cap(ph.en, ph), cap(ph.vi, ph)


TEMPLATES: dict[str, tuple[Callable[[Picker], tuple[str, str, str]], float]] = {
    "statement": (t_statement, 8.0),
    "compound": (t_compound, 2.5),
    "fronted": (t_fronted, 1.5),
    "question": (t_question, 1.5),
    "reported": (t_reported, 1.2),
    "quote": (t_quote, 0.8),
    "discussions_day": (t_discussions_day, 0.4),
    "headline": (t_headline, 0.6),
}


def generate(
    rng: random.Random,
    pair: str,
    copy_rate: float = 0.35,
    template: str | None = None,
    forced: dict[str, Phrase] | None = None,
    clause: str | None = None,
) -> Triple:
    """One random sentence triple.  ``pair`` ("ar-en" or "en-vi") selects the copy items.

    ``template``, ``clause`` and ``forced`` (slot name -> filler) pin parts of the sentence;
    the curated test cases use them.
    """
    pk = Picker(rng, pair, copy_rate, forced)
    pk.clause = clause
    if template is None:
        names = list(TEMPLATES)
        template = rng.choices(names, [TEMPLATES[n][1] for n in names])[0]
    ar, en, vi = TEMPLATES[template][0](pk)
    return Triple(ar, en, vi, template, pk.used_copy)


def corpus(seed: int, n: int, pair: str, copy_rate: float = 0.35) -> list[Triple]:
    rng = random.Random(seed)
    return [generate(rng, pair, copy_rate) for _ in range(n)]
