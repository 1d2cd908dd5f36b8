"""Ingest: discovery, decoding, bad input, cleaning rules, line accounting, golden files.

Golden files live in tests/golden/<article>.clean.json; rewrite them with
``BILINGUAL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_ingest.py`` after checking the
new cleaning by eye. The seeds' golden files hold line ranges, lengths and hashes only.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from golden_files import GOLDEN, check_golden
from hypothesis import given
from hypothesis import strategies as st

from bilingual.document import Article
from bilingual.errors import BilingualError, InputError
from bilingual.ingest import discover, read_article

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SEED_NAMES = ("000_4b56c2879e1419f5", "002_8d4835901057fe72")
SAMPLES = sorted((REPO / "input").glob("*.txt"))

ARTICLE = (
    "عقد الوزراء اجتماعا حول التعاون.\n"
    "وشارك في الاجتماع 1,000 مندوب.\n"
    "\n"
    "وقال الوزير إن الاتفاقية مهمة.\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def texts(article: Article) -> list[str]:
    return [p.text for p in article.paragraphs]


def seed_path(name: str) -> Path:
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"seed {path} not available (../shared is absent in this checkout)")
    return path


# -------------------------------------------------------------------------- discovery


def test_discover_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("b.txt", "a.md", "c.TXT", ".hidden.txt", "notes.pdf"):
        write(folder, name, ARTICLE)
    (folder / "sub").mkdir()
    write(folder / "sub", "deep.txt", ARTICLE)
    single = write(tmp_path, "z.txt", ARTICLE)

    got = discover([single, folder, folder / "b.txt", single])

    assert [p.name for p in got] == ["z.txt", "a.md", "b.txt", "c.TXT"]


def test_discover_refuses_missing_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist") as missing:
        discover([tmp_path / "nope.txt"])
    assert "nope.txt" in str(missing.value)
    pdf = write(tmp_path, "article.pdf", b"%PDF-1.4")
    with pytest.raises(InputError, match=r"\.txt, \.md, .*\.html.* or \.docx") as wrong:
        discover([pdf])
    assert "article.pdf" in str(wrong.value)
    with pytest.raises(InputError, match="no article given"):
        discover([])


def test_folder_with_no_articles(tmp_path: Path) -> None:
    folder = tmp_path / "empty_folder"
    folder.mkdir()
    write(folder, "readme.pdf", b"x")
    write(folder, ".hidden.txt", ARTICLE)
    with pytest.raises(InputError) as err:
        discover([folder])
    message = str(err.value)
    assert "empty_folder" in message
    assert "*.txt" in message and "*.md" in message
    assert "fix:" in message


def test_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """Discovery does not read contents: one bad article costs only its own output."""
    write(tmp_path, "1_bad.txt", b"\x00\x01\x02binary")
    write(tmp_path, "2_good.txt", ARTICLE)
    found = discover([tmp_path])
    assert [p.name for p in found] == ["1_bad.txt", "2_good.txt"]
    with pytest.raises(InputError):
        read_article(found[0])
    assert texts(read_article(found[1]))[0].startswith("عقد الوزراء")


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf"],
)
def test_accepted_encodings_give_the_same_article(
    tmp_path: Path, encoded: bytes, encoding: str
) -> None:
    article = read_article(write(tmp_path, "a.txt", encoded))
    assert article.encoding == encoding
    assert texts(article) == [
        "عقد الوزراء اجتماعا حول التعاون.",
        "وشارك في الاجتماع 1,000 مندوب.",
        "وقال الوزير إن الاتفاقية مهمة.",
    ]
    assert [p.lines for p in article.paragraphs] == [(1, 1), (2, 2), (4, 4)]
    assert not texts(article)[0].startswith("\ufeff")


def test_text_is_nfc(tmp_path: Path) -> None:
    # alef + combining hamza below, and Latin e + combining acute, both decomposed
    decomposed = "وقال الوزير \u0627\u0655ن الاتفاقية مهمة في Cafe\u0301 الأمم."
    article = read_article(write(tmp_path, "a.txt", decomposed))
    assert texts(article) == [unicodedata.normalize("NFC", decomposed)]
    assert "\u0625" in texts(article)[0] and "\u00e9" in texts(article)[0]


def test_utf32_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "u32.txt", codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"))
    with pytest.raises(InputError, match="UTF-32") as err:
        read_article(path)
    assert "u32.txt" in str(err.value) and "iconv" in str(err.value)


# -------------------------------------------------------------------------- bad input


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is empty") as err:
        read_article(write(tmp_path, "empty.txt", b""))
    assert "empty.txt" in str(err.value) and "fix:" in str(err.value)


def test_whitespace_only_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="only whitespace"):
        read_article(write(tmp_path, "blank.txt", " \n\t\n\u00a0\n\n"))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"abc\x00def\x00" * 20, "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"%PDF-1.7\n" + bytes(range(128, 256)), "PDF"),
        (bytes([1, 2, 3, 4, 5, 6, 0x80, 0x81]) * 30, "control bytes"),
    ],
    ids=["nul", "png", "pdf", "controls"],
)
def test_binary_file(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(InputError, match="looks binary") as err:
        read_article(write(tmp_path, "image.txt", content))
    assert reason in str(err.value)
    assert "image.txt" in str(err.value)


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="NUL bytes") as err:
        read_article(write(tmp_path, "u16.txt", ARTICLE.encode("utf-16-le")))
    assert "iconv -f UTF-16LE" in str(err.value)


def test_latin1_file(tmp_path: Path) -> None:
    content = "Le ministre a dit:\nla coopération est nécessaire.\n".encode("latin-1")
    with pytest.raises(InputError, match="not UTF-8") as err:
        read_article(write(tmp_path, "latin.txt", content))
    message = str(err.value)
    offset = content.index(b"\xe9")
    assert f"byte offset {offset} (line 2)" in message
    assert "0xE9" in message
    assert "latin.txt:2" in message
    assert "iconv -f LATIN1 -t UTF-8" in message


def test_latin1_after_a_utf8_bom(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + "abc\nnécessaire".encode("latin-1")
    with pytest.raises(InputError, match=r"byte 0xE9 at byte offset 8 \(line 2\)"):
        read_article(write(tmp_path, "bom.txt", content))


def test_windows_1256_file(tmp_path: Path) -> None:
    """Recognised and decoded, with a notice (issue 11); tests/test_readers.py has more."""
    article = read_article(write(tmp_path, "legacy.txt", ARTICLE.encode("cp1256")))
    assert texts(article) == texts(read_article(write(tmp_path, "utf8.txt", ARTICLE)))
    assert article.encoding == "windows-1256" and article.notices


def test_already_english(tmp_path: Path) -> None:
    english = (
        "The ministers met to discuss cooperation against cybercrime.\n"
        "More than 1,000 delegates from 40 countries attended. (photo: John)\n"
        "المصدر: https://example.org/en\n"
    )
    with pytest.raises(InputError, match="already English") as err:
        read_article(write(tmp_path, "english.txt", english))
    assert "0 of its" in str(err.value)
    assert "english.txt" in str(err.value)


def test_mostly_english_with_some_arabic_is_refused(tmp_path: Path) -> None:
    mixed = "The minister said the convention (الاتفاقية) matters for everyone in the region.\n"
    with pytest.raises(InputError, match=r"9 of its \d+ letters are Arabic"):
        read_article(write(tmp_path, "mixed.txt", mixed))


def test_nothing_left_after_cleaning(tmp_path: Path) -> None:
    noise = "![]() |\n| |\nتعليق (0)\nالمصدر: https://example.org/x\n\n"
    with pytest.raises(InputError, match="no article text left") as err:
        read_article(write(tmp_path, "noise.txt", noise))
    assert "image-stub" in str(err.value) and "counter" in str(err.value)


def test_every_refusal_is_a_bilingual_error(tmp_path: Path) -> None:
    assert issubclass(InputError, BilingualError)
    with pytest.raises(InputError, match="cannot be read"):
        read_article(tmp_path / "missing.txt")


# ---------------------------------------------------------------------- cleaning rules


def test_image_stubs_and_empty_rows_are_removed(tmp_path: Path) -> None:
    content = (
        "![]() |\n"
        "![صورة](https://example.org/a.jpg)\n"
        "| ![](a.jpg) | ![](b.jpg) |\n"
        "| |\n"
        "|---|---|\n"
        "---\n"
        "وصل الوفد إلى العاصمة.\n"
    )
    article = read_article(write(tmp_path, "a.txt", content))
    assert [(r.line, r.kind) for r in article.removed] == [
        (1, "image-stub"),
        (2, "image-stub"),
        (3, "image-stub"),
        (4, "empty-row"),
        (5, "empty-row"),
        (6, "separator"),
    ]
    assert texts(article) == ["وصل الوفد إلى العاصمة."]


@pytest.mark.parametrize(
    "counter", ["تعليق (0)", "تعليقات (12)", "مشاركة", "شارك", "Comments (3)", "تعليقات: ١٢"]
)
def test_counters_are_removed(tmp_path: Path, counter: str) -> None:
    article = read_article(write(tmp_path, "a.txt", f"وصل الوفد.\n\n{counter}\n\n\n"))
    assert [(r.line, r.kind, r.text) for r in article.removed] == [(3, "counter", counter)]


def test_a_sentence_starting_with_a_counter_word_is_kept(tmp_path: Path) -> None:
    body = "شارك الوزير في الاجتماع."
    article = read_article(write(tmp_path, "a.txt", body))
    assert texts(article) == [body]
    assert article.removed == ()


def test_source_line(tmp_path: Path) -> None:
    content = "وصل الوفد.\nSource: https://example.org/en/1\nالمصدر: https://example.org/ar/2\n"
    article = read_article(write(tmp_path, "a.txt", content))
    assert article.source_url == "https://example.org/en/1"
    assert [(r.line, r.kind) for r in article.removed] == [(2, "source-line"), (3, "source-line")]


def test_source_without_url_stays_in_the_body(tmp_path: Path) -> None:
    content = "وصل الوفد.\nالمصدر: وكالة الأنباء\n"
    article = read_article(write(tmp_path, "a.txt", content))
    assert article.source_url is None
    assert texts(article) == ["وصل الوفد.", "المصدر: وكالة الأنباء"]


def test_captions(tmp_path: Path) -> None:
    content = (
        "| الوزراء في القاعة. (تصوير: سارة أحمد) |\n"
        "وصل الوفد إلى العاصمة.\n"
        "\n"
        "وقع الوزير على الاتفاقية. (صورة: Trần Minh)\n"
        "| صورة بدون تصوير |\n"
        "| الوفد في المطار. (الصورة: منى علي) |\n"
        "وبدأ الاجتماع (المصدر: وكالة الأنباء)\n"
    )
    article = read_article(write(tmp_path, "a.txt", content))
    assert [(c.line, c.text, c.credit, c.after_paragraph) for c in article.captions] == [
        (1, "الوزراء في القاعة.", "تصوير: سارة أحمد", -1),
        (4, "وقع الوزير على الاتفاقية.", "صورة: Trần Minh", 0),
        (5, "صورة بدون تصوير", None, 0),
        (6, "الوفد في المطار.", "الصورة: منى علي", 0),
    ]
    # "(المصدر: ...)" at the end of a plain line attributes the paragraph: body text
    assert texts(article) == ["وصل الوفد إلى العاصمة.", "وبدأ الاجتماع (المصدر: وكالة الأنباء)"]


def test_hard_wrapped_lines_are_joined(tmp_path: Path) -> None:
    content = (
        "وناقش المندوبون تبادل المعلومات بين الدول، ودعم\n"
        "التدريب للشرطة\n"
        "والقضاة.\n"
        "وقال الوزير:\n"
        '"التعاون ضروري."\n'
        "وقال الوزير إن الاتفاقية مهمة»\n"
        "وانتهى الاجتماع؟\n"
        "جملة تنتهي بقوس.)\n"
        "جملة أخيرة\n"
    )
    article = read_article(write(tmp_path, "a.txt", content))
    assert [(p.lines, p.text) for p in article.paragraphs] == [
        ((1, 3), "وناقش المندوبون تبادل المعلومات بين الدول، ودعم التدريب للشرطة والقضاة."),
        ((4, 4), "وقال الوزير:"),
        ((5, 5), '"التعاون ضروري."'),
        ((6, 7), "وقال الوزير إن الاتفاقية مهمة» وانتهى الاجتماع؟"),
        ((8, 8), "جملة تنتهي بقوس.)"),
        ((9, 9), "جملة أخيرة"),
    ]


def test_noise_and_blank_lines_end_a_paragraph(tmp_path: Path) -> None:
    content = "وناقش المندوبون التعاون\n![]() |\nوالتدريب\n\nوالحماية\n"
    article = read_article(write(tmp_path, "a.txt", content))
    assert [(p.lines, p.text) for p in article.paragraphs] == [
        ((1, 1), "وناقش المندوبون التعاون"),
        ((3, 3), "والتدريب"),
        ((5, 5), "والحماية"),
    ]


def test_markdown_heading_is_its_own_paragraph(tmp_path: Path) -> None:
    content = "# اجتماع الوزراء\nعقد الوزراء اجتماعا.\n"
    article = read_article(write(tmp_path, "a.md", content))
    assert [(p.lines, p.text) for p in article.paragraphs] == [
        ((1, 1), "اجتماع الوزراء"),
        ((2, 2), "عقد الوزراء اجتماعا."),
    ]


def test_repeated_paragraph_is_kept_once_and_reported(tmp_path: Path) -> None:
    content = (
        "وقعت الدول على الاتفاقية يوم 25 أكتوبر.\n"
        "وقال الوزير إن التعاون مهم.\n"
        "\n"
        "وقعت الدول على الاتفاقيـــة  يوم  25 أكتوبر.\n"  # tatweel and double spaces
        "وقال الوزيرُ إن التعاونَ\n"  # diacritics, hard-wrapped
        "مهمٌّ.\n"
    )
    article = read_article(write(tmp_path, "a.txt", content))
    assert texts(article) == [
        "وقعت الدول على الاتفاقية يوم 25 أكتوبر.",
        "وقال الوزير إن التعاون مهم.",
    ]
    assert [(r.paragraph, r.first_lines, r.repeat_lines) for r in article.repeats] == [
        (0, (1, 1), (4, 4)),
        (1, (2, 2), (5, 6)),
    ]
    assert [(r.lines, r.kind) for r in article.removed] == [
        ((4, 4), "repeat"),
        ((5, 6), "repeat"),
    ]


def test_similar_but_different_paragraphs_are_both_kept(tmp_path: Path) -> None:
    content = "وقعت 65 دولة على الاتفاقية.\nوقعت 66 دولة على الاتفاقية.\n"
    article = read_article(write(tmp_path, "a.txt", content))
    assert len(article.paragraphs) == 2
    assert article.repeats == ()


def test_invisible_marks_and_spaces(tmp_path: Path) -> None:
    content = "\u200fوصل\u00a0\u00a0الوفد   إلى العاصمة.\u200f\n\u200fتعليق (0)\n"
    article = read_article(write(tmp_path, "a.txt", content))
    assert texts(article) == ["وصل الوفد إلى العاصمة."]
    assert [r.kind for r in article.removed] == ["counter"]


# --------------------------------------------------------------- accounting invariant


def file_text(path: Path, article: Article) -> str:
    return unicodedata.normalize("NFC", path.read_bytes().decode(article.encoding))


def accounted(article: Article) -> Counter[int]:
    counts: Counter[int] = Counter()
    for p in article.paragraphs:
        counts.update(range(p.lines[0], p.lines[1] + 1))
    for c in article.captions:
        counts[c.line] += 1
    for r in article.removed:
        counts.update(range(r.lines[0], r.lines[1] + 1))
    return counts


def assert_every_line_accounted(text: str, article: Article) -> None:
    nonblank = {n for n, line in enumerate(text.split("\n"), start=1) if line.strip()}
    counts = accounted(article)
    assert set(counts) == nonblank
    assert [n for n, c in counts.items() if c != 1] == []
    # repeats and "repeat" removals describe the same paragraphs
    assert sorted(r.repeat_lines for r in article.repeats) == sorted(
        r.lines for r in article.removed if r.kind == "repeat"
    )
    for repeat in article.repeats:
        assert article.paragraphs[repeat.paragraph].lines == repeat.first_lines
    assert [p.index for p in article.paragraphs] == list(range(len(article.paragraphs)))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_line_is_accounted_for(name: str) -> None:
    path = seed_path(name)
    article = read_article(path)
    assert_every_line_accounted(file_text(path, article), article)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_line_is_accounted_for(path: Path) -> None:
    article = read_article(path)
    assert_every_line_accounted(file_text(path, article), article)
    # the samples exercise every kind of scrape noise the seeds have
    kinds = {r.kind for r in article.removed}
    assert {"image-stub", "source-line", "counter", "repeat"} <= kinds
    assert article.source_url is not None and article.source_url.startswith("https://")
    assert any(c.credit for c in article.captions)
    assert any(p.lines[0] < p.lines[1] for p in article.paragraphs) or any(
        r.lines[0] < r.lines[1] for r in article.removed
    )


LINES = st.sampled_from(
    [
        "",
        "   ",
        "وصل الوفد إلى العاصمة.",
        "وناقش المندوبون التعاون",
        "وقال الوزير:",
        "![]() |",
        "| |",
        "| الوزراء في القاعة. (تصوير: سارة) |",
        "وقع الوزير. (صورة: ليلى)",
        "المصدر: https://example.org/x",
        "تعليق (0)",
        "# عنوان",
        "---",
    ]
)


@given(st.lists(LINES, min_size=1, max_size=25))
def test_any_mix_of_lines_is_accounted_for(lines: list[str]) -> None:
    # hypothesis re-runs the body, so a fresh folder per example rather than tmp_path
    text = "\n".join(["عقد الوزراء اجتماعا.", *lines])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_bytes(text.encode("utf-8"))
        article = read_article(path)
    assert_every_line_accounted(text, article)


# ------------------------------------------------------------------------- golden files


def short_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cleaning_record(article: Article, *, with_text: bool) -> dict[str, Any]:
    def body(text: str) -> dict[str, Any]:
        return {"text": text} if with_text else {"chars": len(text), "sha": short_sha(text)}

    return {
        "article": article.name,
        "encoding": article.encoding,
        "source_url": article.source_url,
        "paragraphs": [
            {"index": p.index, "lines": list(p.lines), **body(p.text)} for p in article.paragraphs
        ],
        "captions": [
            {
                "line": c.line,
                "after_paragraph": c.after_paragraph,
                **body(c.text),
                **(
                    {"credit": c.credit}
                    if with_text
                    else {"credit": c.credit is not None, "credit_sha": short_sha(c.credit or "")}
                ),
            }
            for c in article.captions
        ],
        "removed": [
            {"lines": list(r.lines), "kind": r.kind, **({"text": r.text} if with_text else {})}
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


@pytest.mark.parametrize("name", SEED_NAMES)
def test_golden_seed_cleaning(name: str) -> None:
    article = read_article(seed_path(name))
    check_golden(f"seed_{name}", "clean", cleaning_record(article, with_text=False))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_golden_sample_cleaning(path: Path) -> None:
    check_golden(path.stem, "clean", cleaning_record(read_article(path), with_text=True))


def test_seed_golden_files_hold_no_seed_text() -> None:
    """The seeds are third-party text: their golden files may hold hashes, never words."""
    for golden in GOLDEN.glob("seed_*.json"):
        content = golden.read_text(encoding="utf-8")
        arabic = [ch for ch in content if "\u0600" <= ch <= "\u06ff"]
        assert arabic == [], f"{golden.name} contains Arabic text"


# ------------------------------------------- encodings told apart, commands safe to run


def _command(message: str) -> str:
    """The shell command a fix suggests (between backticks; a name may hold some too)."""
    return message[message.index("`iconv") + 1 : message.rindex("`, then translate")]


def test_a_few_bad_bytes_in_utf8_are_damage_not_a_legacy_encoding(tmp_path: Path) -> None:
    good = ARTICLE.encode("utf-8")
    third = good.index("وقال".encode())
    content = good[:third] + b"\xff" + good[third:] + "وقال الوزير.\n".encode() + b"\xfe\n"
    with pytest.raises(InputError) as err:
        read_article(write(tmp_path, "damaged.txt", content))
    message = str(err.value)
    assert "damaged" in message and "2 byte(s) are not valid UTF-8 (line(s) 4, 6)" in message
    assert f"byte 0xFF at byte offset {third} (line 4), column 1" in message
    assert "damaged.txt:4" in message and "not a legacy encoding" in message
    assert "1256" not in message and "LATIN1" not in message and "mv " not in message


@pytest.mark.parametrize(
    ("content", "encoding"),
    # a Windows-1256 article is decoded now; one that is mostly Latin still is not
    [
        (("Cafe " * 40 + "عقد " * 10 + "\n").encode("cp1256"), "WINDOWS-1256"),
        ("Café résumé\n".encode("latin-1"), "LATIN1"),
    ],
    ids=["cp1256", "latin1"],
)
def test_a_legacy_file_gets_a_conversion_to_a_new_file(
    tmp_path: Path, content: bytes, encoding: str
) -> None:
    with pytest.raises(InputError) as err:
        read_article(write(tmp_path, "legacy.txt", content))
    command = _command(str(err.value))
    assert command.startswith(f"iconv -f {encoding} -t UTF-8 ")
    assert command.endswith("legacy.utf8.txt") and "mv" not in command and "&&" not in command


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_named_as_such(tmp_path: Path, codec: str) -> None:
    with pytest.raises(InputError) as err:
        read_article(write(tmp_path, "u16.txt", ARTICLE.encode(codec)))
    name = codec.upper().replace("-", "").replace("UTF16", "UTF-16")
    assert f"{name} text without a byte-order mark" in str(err.value)
    assert _command(str(err.value)).startswith(f"iconv -f {name} -t UTF-8 ")


# file names that must survive the shell: a quote, a command substitution, bytes that are
# not UTF-8 (bash's $'...' quoting), a leading dash, a newline
NASTY_NAMES = [
    b"it's $(touch X).txt",
    b'`touch X` "q".txt',
    b"\xe3\xd5\xd1-news $(touch X).txt",
    b"-n; touch X.txt",
    b"new\nline;touch X.txt",
]
BROKEN = {
    "latin1": "Le ministre:\nla coopération est nécessaire.\n".encode("latin-1"),
    "damaged": ARTICLE.encode("utf-8")[:10] + b"\xff" + ARTICLE.encode("utf-8")[10:],
    "utf16": ARTICLE.encode("utf-16-le"),
    "utf32": codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"),
}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash to run the command")
@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize("raw", NASTY_NAMES, ids=range(len(NASTY_NAMES)))
def test_the_suggested_command_runs_safely_and_never_touches_the_input(
    tmp_path: Path, raw: bytes, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fix's command, run by bash in the folder: it runs no part of the name, leaves
    the input as it was and (with iconv) writes a UTF-8 copy that reads as the article."""
    monkeypatch.chdir(tmp_path)  # the command names the file as it was given: relative
    name = Path(os.fsdecode(raw))
    name.write_bytes(BROKEN[kind])
    with pytest.raises(InputError) as err:
        read_article(name)
    command = _command(str(err.value))
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True)
    assert not (tmp_path / "X").exists() and not (tmp_path / "X.txt").exists(), command
    assert name.read_bytes() == BROKEN[kind]
    if shutil.which("iconv") is None:
        return
    copies = [p for p in tmp_path.iterdir() if p != tmp_path / name]
    assert len(copies) == 1, (command, done.stderr)
    assert ".utf8" in copies[0].name
    if kind not in ("damaged", "latin1"):
        assert texts(read_article(copies[0]))[0].startswith("عقد الوزراء")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_article(fifo)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "read_article blocked on a FIFO"
    assert isinstance(outcome[0], InputError) and "FIFO" in str(outcome[0])


def test_a_name_that_is_not_utf8_gives_a_printable_article_name(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xe3\xd5\xd1-news.txt"))
    path.write_bytes(ARTICLE.encode("utf-8"))
    article = read_article(path)
    assert article.name == "\\xe3\\xd5\\xd1-news"
    article.name.encode("utf-8")  # any file, document or database can hold it
    with pytest.raises(InputError) as err:
        read_article(path.with_name(os.fsdecode(b"\xe3\xd5\xd1-empty.txt")))
    str(err.value).encode("utf-8")
    assert "\\xe3\\xd5\\xd1-empty.txt" in str(err.value)


def test_a_bom_is_no_evidence_of_utf8(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + "Le ministre:\nnécessaire\n".encode("latin-1")
    with pytest.raises(InputError, match="Latin-1") as err:
        read_article(write(tmp_path, "bom.txt", content))
    assert "damaged" not in str(err.value)
