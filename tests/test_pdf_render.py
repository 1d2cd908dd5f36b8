"""Render briefings with LibreOffice and read the PDF back: Arabic must come out in logical order.

Needs ``soffice`` (Debian: libreoffice-writer-nogui) and ``pdftotext``/``pdfinfo``
(poppler-utils); the fonts come from fonts-noto-core and fonts-dejavu-core. Skipped with
a reason when they are missing; CI installs them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from briefing_factory import ARABIC_WORDS, CAPTION_AR, example_en, example_en_vi

from bilingual.document import Briefing
from bilingual.docx_io import write_docx

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
if not (SOFFICE and PDFTOTEXT and PDFINFO):
    pytest.skip(
        "needs soffice and pdftotext/pdfinfo: apt-get install libreoffice-writer-nogui"
        " poppler-utils fonts-noto-core fonts-dejavu-core",
        allow_module_level=True,
    )

# embedding marks pdftotext puts around right-to-left lines
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


def convert(docx_files: list[Path], folder: Path) -> None:
    assert SOFFICE is not None
    profile = folder / "lo-profile"
    try:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, docx_files),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:  # pragma: no cover - depends on the machine
        pytest.fail("LibreOffice did not convert the briefing within 240 s")


def pdf_text(pdf: Path) -> str:
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return BIDI_CONTROLS.sub("", out.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Briefing, Path]]:
    folder = tmp_path_factory.mktemp("pdf")
    briefings = {"en": example_en(), "en_vi": example_en_vi()}
    files = []
    for key, briefing in briefings.items():
        path = folder / f"{key}.docx"
        write_docx(briefing, path)
        files.append(path)
    convert(files, folder)
    result = {}
    for key, briefing in briefings.items():
        pdf = folder / f"{key}.pdf"
        assert pdf.is_file(), f"LibreOffice wrote no {pdf.name}"
        result[key] = (briefing, pdf)
    return result


@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_arabic_comes_out_in_logical_order(
    rendered: dict[str, tuple[Briefing, Path]], key: str
) -> None:
    briefing, pdf = rendered[key]
    text = pdf_text(pdf)
    for word in ARABIC_WORDS:
        assert word in text, word
        assert word[::-1] not in text, f"{word} came out reversed"
    # a whole line: the Arabic title, words and letters in reading order
    assert briefing.title["ar"] in text
    assert CAPTION_AR in text
    assert not PRESENTATION_FORMS.search(text), "text was reshaped into presentation forms"


@pytest.mark.parametrize("key", ["en", "en_vi"])
def test_translations_are_present(rendered: dict[str, tuple[Briefing, Path]], key: str) -> None:
    briefing, pdf = rendered[key]
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert briefing.title["en"] in flat
    assert "Al-Khatib confirmed." in flat
    assert "AquaNova" in flat
    if briefing.title.get("vi"):
        assert briefing.title["vi"] in flat
        assert "khử mặn" in flat
    assert "Page 1 of" in flat


def test_three_columns_print_landscape(rendered: dict[str, tuple[Briefing, Path]]) -> None:
    assert PDFINFO is not None
    for key, landscape in (("en", False), ("en_vi", True)):
        info = subprocess.run(
            [PDFINFO, str(rendered[key][1])], check=True, capture_output=True, text=True
        ).stdout
        match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        assert match, info
        width, height = float(match.group(1)), float(match.group(2))
        assert (width > height) is landscape, (key, width, height)
