"""The briefing's first page: a title of at most two lines, the aligned table starting on
it, and the article's path without this machine's folders.

A seed-like article of our own: its lead sentence is a whole paragraph (six clauses) and
its first paragraph is taller than what is left of page 1 under the title and metadata.
The PDF tests render with LibreOffice and skip with a reason where it is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from bilingual.config import Settings
from bilingual.document.article import portable_path
from bilingual.document.briefing import TITLE_CHARS, short_title
from bilingual.docx_io.pieces import strip_markers
from bilingual.pipeline import RunOptions, translate_articles

CLAUSES = (
    "عقد وزراء الداخلية اجتماعا حول التعاون في مكافحة الجرائم الإلكترونية يوم 12 مارس",
    "وشارك في الاجتماع أكثر من 1,000 مندوب من 40 دولة",
    "وافتتح الوزير الاجتماع صباح الثلاثاء",
    "وقعت 65 دولة على الاتفاقية الدولية لمكافحة الجرائم الإلكترونية يوم 25 أكتوبر",
    "وحضر حفل التوقيع أكثر من 1,000 مندوب",
    "اجتمع المندوبون يوم 14 نوفمبر لمناقشة تنفيذ الاتفاقية",
)
LEAD = "، ".join(CLAUSES) + "."


def article(leads: int) -> str:
    """The lead sentence ``leads`` times as the first paragraph, then short paragraphs."""
    first = " ".join([LEAD] * leads + [c + "." for c in CLAUSES[:3]])
    return "\n".join([first, *(c + "." for c in CLAUSES)]) + "\n"


# first paragraphs taller than what is left of page 1, yet shorter than a page (a row
# taller than a page is split anyway): portrait has the longer page
LAYOUTS = {"en": (("en",), 3), "en_vi": (("en", "vi"), 2)}


# -- the title -------------------------------------------------------------------------------


def test_a_short_title_stays_whole() -> None:
    assert short_title("Ministers meet on 12 March.") == "Ministers meet on 12 March."
    assert short_title("two\n  lines ") == "two lines"
    exact = "x" * TITLE_CHARS
    assert short_title(exact) == exact


@pytest.mark.parametrize(
    "text",
    [
        "signing ceremony of the United Nations Convention against Cybercrime, the Security "
        "Council against Senior Lieutenant General Pham The Tung, and more than 10 delegations",
        LEAD,
        "word " * 40,
        "a" * 40 + ", " + "b" * 60,
        "x" * 300,  # no space at all: cut inside the word
        ("مندوب، " * 30).strip(),
    ],
)
def test_a_long_title_is_cut_at_a_word_boundary_with_an_ellipsis(text: str) -> None:
    title = short_title(text)
    assert len(title) <= TITLE_CHARS
    assert title.endswith("\u2026")
    body = title[:-1]
    assert body and body[-1] not in " ,;:،؛.-"
    flat = " ".join(text.split())
    assert flat.startswith(body)
    if flat.rfind(" ", 0, TITLE_CHARS) >= TITLE_CHARS // 2:
        # a space late enough: a whole-word cut, so a word boundary follows
        assert flat[len(body)] in " ,;:،؛.-"


# -- the path --------------------------------------------------------------------------------


def test_portable_path_never_gives_an_absolute_path(tmp_path: Path) -> None:
    cwd, home = tmp_path / "work", tmp_path / "home"
    assert portable_path(Path("input/a.txt"), cwd, home) == Path("input/a.txt")
    assert portable_path(Path("../shared/a.txt"), cwd, home) == Path("../shared/a.txt")
    assert portable_path(cwd / "in" / "a.txt", cwd, home) == Path("in/a.txt")
    assert portable_path(home / "news" / "a.txt", cwd, home) == Path("~/news/a.txt")
    assert portable_path(Path("/srv/data/a.txt"), cwd, home) == Path("a.txt")
    # a symlinked working folder: the resolved paths are compared too
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    inside = tmp_path / "real" / "a.txt"
    assert portable_path(inside, tmp_path / "link", home) == Path("a.txt")
    assert not portable_path(inside, tmp_path / "link", home).is_absolute()


def _run(settings: Settings, paths: list[Path], out: Path, targets: tuple[str, ...]) -> None:
    options = RunOptions(paths=tuple(paths), targets=targets, out_dir=out)
    report = translate_articles(options, settings)
    assert not report.failed, report.failed


def _metadata_line(docx_path: Path, label: str) -> str:
    for p in docx.Document(str(docx_path)).paragraphs:
        if p.text.startswith(f"{label}: "):
            return p.text[len(label) + 2 :]
    raise AssertionError(f"no {label} line")


def test_the_briefing_records_no_absolute_path(
    model_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, home, elsewhere = tmp_path / "work", tmp_path / "home", tmp_path / "srv"
    for folder in (work / "in", home / "news", elsewhere):
        folder.mkdir(parents=True)
    for folder, name in ((work / "in", "a"), (home / "news", "b"), (elsewhere, "c")):
        (folder / f"{name}.txt").write_text(CLAUSES[0] + ".\n", encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    paths = [work / "in" / "a.txt", home / "news" / "b.txt", elsewhere / "c.txt"]
    _run(model_settings, paths, tmp_path / "out", ("en",))
    expected = {"a": "in/a.txt", "b": "~/news/b.txt", "c": "c.txt"}
    for name, shown in expected.items():
        data = json.loads((tmp_path / "out" / f"{name}.json").read_text("utf-8"))
        assert data["article"]["path"] == shown
        assert _metadata_line(tmp_path / "out" / f"{name}.docx", "Article file") == shown
        assert str(tmp_path) not in (tmp_path / "out" / f"{name}.json").read_text("utf-8")


# -- the first page in the DOCX --------------------------------------------------------------


@pytest.fixture(scope="module")
def briefings(
    models_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Any]]:
    """The long-lead article translated to en (portrait) and en,vi (landscape)."""
    from bilingual.config import resolve_settings

    settings = resolve_settings({}, home=models_home, threads=2)
    folder = tmp_path_factory.mktemp("first-page")
    out: dict[str, tuple[Path, Any]] = {}
    for key, (targets, leads) in LAYOUTS.items():
        (folder / key).mkdir()
        source = folder / key / "lead.txt"
        source.write_text(article(leads), encoding="utf-8")
        _run(settings, [source], folder / key, targets)
        data = json.loads((folder / key / "lead.json").read_text("utf-8"))
        out[key] = (folder / key / "lead.docx", data)
    return out


@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_the_title_is_the_lead_shortened_and_the_table_keeps_it_whole(
    briefings: dict[str, tuple[Path, Any]], key: str
) -> None:
    path, data = briefings[key]
    lead = data["paragraphs"][0]["sentences"][0]
    for lang, title in data["title"].items():
        assert title is not None and len(title) <= TITLE_CHARS, (lang, title)
        assert len(lead[lang]) > TITLE_CHARS  # the lead itself is long ...
        assert title == short_title(lead[lang])  # ... and the title is its start
    document = docx.Document(str(path))
    heading = next(p for p in document.paragraphs if p.style and p.style.name == "Title")
    assert heading.text == data["title"]["en"]
    sizes = [int(s.get(qn("w:val")) or 0) for s in heading._p.iter(qn("w:sz"))]
    assert sizes and max(sizes) <= 32, sizes  # half-points: at most 16 pt
    cells = [strip_markers(c.text) for row in document.tables[0].rows for c in row.cells]
    assert any(lead["en"] in c for c in cells)  # the whole sentence


@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_the_first_table_row_may_split_so_the_table_starts_on_page_1(
    briefings: dict[str, tuple[Path, Any]], key: str
) -> None:
    path, _ = briefings[key]
    table = docx.Document(str(path)).tables[0]
    rows = table.rows[1:]  # after the header row
    assert len(rows) >= 2
    can_split = [row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for row in rows]
    assert can_split[0], "a tall first row kept whole moves the table to page 2"
    assert not any(can_split[1:]), "the other paragraph rows stay on one page"


# -- the first page as LibreOffice prints it -------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def first_pages(
    briefings: dict[str, tuple[Path, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    if not (SOFFICE and PDFTOTEXT):
        pytest.skip("needs soffice and pdftotext: apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("pdf")
    files = []
    for key, (path, _) in briefings.items():
        files.append(folder / f"{key}.docx")
        shutil.copy(path, files[-1])
    profile = (folder / "lo-profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    pages = {}
    for key in briefings:
        page = subprocess.run(
            [PDFTOTEXT, "-enc", "UTF-8", "-f", "1", "-l", "1", str(folder / f"{key}.pdf"), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        pages[key] = page.stdout.decode("utf-8")
    return pages


pdf = pytest.mark.slow


@pdf
@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_the_title_takes_at_most_two_lines(
    briefings: dict[str, tuple[Path, Any]], first_pages: dict[str, str], key: str
) -> None:
    title = " ".join(briefings[key][1]["title"]["en"].split())
    lines = [" ".join(line.split()) for line in first_pages[key].splitlines()]
    spans = [
        n
        for n in range(1, 6)
        for i in range(len(lines) - n + 1)
        if title in " ".join(lines[i : i + n])
    ]
    assert spans, f"title not found on page 1: {title!r}\n{first_pages[key]}"
    assert min(spans) <= 2, f"the title takes {min(spans)} lines"


@pdf
@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_the_aligned_table_starts_on_page_1(
    briefings: dict[str, tuple[Path, Any]], first_pages: dict[str, str], key: str
) -> None:
    page = first_pages[key]
    assert "Aligned translation" in page, page
    table = " ".join(page.split("Aligned translation", 1)[1].split())
    lead = briefings[key][1]["paragraphs"][0]["sentences"][0]["en"]
    start = " ".join(lead.split()[:4])
    assert start in table, f"the first row does not start on page 1 ({start!r})\n{page}"
