"""The HTML edition in a real browser: Debian's headless Chromium, driven by Playwright.

What is checked is what a reader sees, measured as layout facts, never as pixels: the
Arabic column is laid out right to left and its lines end at the column's right edge, the
English ones start at their column's left, the two columns sit side by side without
overlapping (Arabic on the right) and stack on a phone, nothing is wider than the window at
375 px or 1280 px, print keeps both columns readable and makes a PDF with each article of a
digest on a page of its own. Screenshots are saved under the test's folder for a person to
look at. Accessibility is checked by axe-core (Deque's engine, bundled in the
``axe-playwright-python`` wheel, MPL-2.0, a test-only dependency): no violation at all,
whatever its impact.

Playwright's own browser download is not used (no network): the test launches the
``chromium`` on PATH (Debian's package; ``--no-sandbox`` as CI runs as root). Without it,
or without the Python packages (``pip install -e '.[test]'``), the module is skipped,
except on CI (``CI=true``), where that is a failure: ``.ci/run`` installs them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from publication_samples import digest, edition, publication

from bilingual.publish.edition import Publication
from bilingual.publish.html_out import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = (375, 1280)
A4_WIDTH = 794  # CSS px of an A4 page at 96 dpi: what print lays out on
EDGE = 2.5  # px: how far a line may end from its column's edge (subpixel text positions)


def _missing() -> str | None:
    if CHROMIUM is None:
        return "needs Chromium: apt-get install chromium (Debian's package)"
    for module, package in (("playwright", "playwright"), ("axe_playwright_python", "axe")):
        if importlib.util.find_spec(module) is None:
            return f"needs the {package} Python package: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture()
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """``open_page(publication, width)``: the written file in a fresh page of that width;
    every request it makes is recorded in ``page.requests``."""
    contexts: list[Any] = []

    def _open(pub: Publication, width: int = 1280, name: str = "edition.html") -> Any:
        path = tmp_path / name
        write_html(pub, path)
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(path.as_uri())
        return page

    yield _open
    for context in contexts:
        context.close()


def _rect(page: Any, selector: str, index: int = 0) -> dict[str, float]:
    rect: dict[str, float] = (
        page.locator(selector)
        .nth(index)
        .evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
        )
    )
    return rect


LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  // one rect per run of one direction and font: merge those of a line (same middle)
  const lines = [];
  for (const r of range.getClientRects()) {
    if (!r.width) continue;
    const middle = (r.top + r.bottom) / 2;
    const line = lines.find(l => Math.abs(l.middle - middle) < r.height / 2);
    if (!line) lines.push({middle: middle, left: r.left, right: r.right});
    else [line.left, line.right] = [Math.min(line.left, r.left), Math.max(line.right, r.right)];
  }
  return {
    direction: style.direction,
    left: box.left + parseFloat(style.paddingLeft),
    right: box.right - parseFloat(style.paddingRight),
    lines: lines,
  };
}"""


def _lines(page: Any, selector: str, index: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = page.locator(selector).nth(index).evaluate(LINES)
    assert found["lines"], f"{selector} shows no text"
    return found


def test_arabic_is_right_to_left_and_ends_lines_at_the_right_edge(open_page: Any) -> None:
    page = open_page(publication(edition(), layout="side-by-side"))
    arabic = page.locator(".pair > p[lang=ar]")
    assert arabic.count() == 4
    for n in range(arabic.count()):
        shown = _lines(page, ".pair > p[lang=ar]", n)
        assert shown["direction"] == "rtl"
        # every line, the short last one too, ends at the column's right edge
        for line in shown["lines"]:
            assert abs(line["right"] - shown["right"]) <= EDGE, (n, line, shown["right"])
        english = _lines(page, ".pair > p.text:not([lang]), .pair > p.caption:not([lang])", n)
        assert english["direction"] == "ltr"
        for line in english["lines"]:
            assert abs(line["left"] - english["left"]) <= EDGE, (n, line, english["left"])
    # several lines in a paragraph, so the check above was not about one line only
    assert len(_lines(page, ".pair > p[lang=ar]", 2)["lines"]) >= 2


def test_side_by_side_columns_do_not_overlap_and_arabic_is_on_the_right(open_page: Any) -> None:
    page = open_page(publication(edition(), layout="side-by-side"), 1280)
    pairs = page.locator(".pair:not(.labels)")
    for n in range(pairs.count()):
        english = _rect(page, ".pair:not(.labels) > p:first-child", n)
        arabic = _rect(page, ".pair:not(.labels) > p:last-child", n)
        assert english["right"] <= arabic["left"] - 16, (english, arabic)  # a gutter between
        assert abs(english["top"] - arabic["top"]) < 1  # the same row
        assert arabic["left"] > 1280 / 2 > english["right"]


def test_columns_stack_on_a_phone_translation_first(open_page: Any) -> None:
    page = open_page(publication(edition(), layout="side-by-side"), 375)
    for n in range(page.locator(".pair:not(.labels)").count()):
        english = _rect(page, ".pair:not(.labels) > p:first-child", n)
        arabic = _rect(page, ".pair:not(.labels) > p:last-child", n)
        assert english["bottom"] <= arabic["top"]
        assert arabic["right"] - arabic["left"] > 300  # the whole width, not a half
    assert page.locator(".pair.labels").is_hidden()


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5)) wide.push(el.outerHTML.slice(0, 80));
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("layout", ["target", "side-by-side"])
def test_nothing_overflows_horizontally(open_page: Any, width: int, layout: str) -> None:
    long_source = "https://example.org/" + "a-very-long-path-segment-" * 8
    pub = digest(2, layout=layout)  # type: ignore[arg-type]
    first = edition(source=long_source, machine=frozenset({"p2.s1"}), test_model=True)
    pub = publication(first, *pub.editions, layout=pub.layout, digest=pub.digest)
    page = open_page(pub, width)
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    assert found["wide"] == []


def test_print_keeps_columns_and_makes_a_pdf(open_page: Any, tmp_path: Path) -> None:
    page = open_page(digest(3, layout="side-by-side"), A4_WIDTH)
    page.emulate_media(media="print")
    english = _rect(page, ".pair:not(.labels) > p:first-child")
    arabic = _rect(page, ".pair:not(.labels) > p:last-child")
    assert english["right"] < arabic["left"] and abs(english["top"] - arabic["top"]) < 1
    assert english["right"] - english["left"] >= 250 and arabic["right"] - arabic["left"] >= 250
    size = page.locator(".pair > p").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 14  # 11pt
    link = page.locator("nav a").first
    decoration = link.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert decoration == "none"  # links print as text
    pdf = tmp_path / "digest.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages >= 4  # the cover and contents, then one page at least per article
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    starts = [
        page_text.strip().splitlines()[0] for page_text in text.split("\f") if page_text.strip()
    ]
    for n in (1, 2, 3):
        assert f"New seawater desalination plant opens in Aqaba ({n})" in starts


def test_screenshots_for_a_person_to_look_at(open_page: Any, tmp_path: Path) -> None:
    for width in WIDTHS:
        page = open_page(
            publication(edition(machine=frozenset({"p3.s2"})), layout="side-by-side"), width
        )
        shot = tmp_path / f"side-by-side-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        head = shot.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(head[16:20], "big") == width  # IHDR: the page's width


def test_contents_links_lead_to_each_article(open_page: Any) -> None:
    page = open_page(digest(4), 1280)
    for n in (3, 1, 4):
        page.locator("nav a").nth(n - 1).click()
        assert page.evaluate("location.hash") == f"#article-{n}"
        top = _rect(page, f"#article-{n}")["top"]
        assert abs(top) < 40, top  # scrolled to the article, near the window's top


def test_test_model_notice_is_the_first_thing_seen(open_page: Any) -> None:
    page = open_page(publication(edition(test_model=True)), 375)
    notice = page.locator("body > header .notice")
    assert notice.is_visible()
    box = _rect(page, "body > header .notice")
    assert box["bottom"] < _rect(page, "h1")["top"] and box["bottom"] < 900
    weight = notice.evaluate("el => getComputedStyle(el).fontWeight")
    assert int(weight) >= 700


def test_nothing_is_fetched(open_page: Any) -> None:
    page = open_page(digest(2, layout="side-by-side"))
    assert len(page.requests) == 1 and page.requests[0].startswith("file://")
    assert page.evaluate("document.scripts.length") == 0


MARKED = publication(
    edition(machine=frozenset({"p2.s1", "c1"}), test_model=True), layout="side-by-side"
)


@pytest.mark.parametrize(
    ("pub", "width"),
    [
        pytest.param(MARKED, 1280, id="side-by-side-marked"),
        pytest.param(MARKED, 375, id="side-by-side-marked-phone"),
        pytest.param(digest(3, target="vi"), 1280, id="digest-vi"),
        pytest.param(digest(2, layout="side-by-side"), 1280, id="digest-side-by-side"),
        pytest.param(publication(edition(source="الشرق الأوسط")), 1280, id="printed-source"),
    ],
)
def test_no_accessibility_violation(open_page: Any, pub: Publication, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(pub, width)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # axe checked the page itself, not an empty one
    assert page.evaluate("document.documentElement.lang") == pub.target_lang
