"""LibreOffice headless as a renderer: one DOCX to one PDF, bounded in time, and what the
PDF says back (its text per page, the page of each named destination).

Each conversion runs in a private user profile (``-env:UserInstallation``) inside its own
temporary folder: two runs sharing a profile hand their work to whichever soffice started
first, or fail on its lock. The DOCX is copied there first, so LibreOffice's lock file
(``.~lock.NAME#``) never appears beside the reader's file. soffice runs in its own
process group: at the time limit the whole group (the wrapper script, oosplash and
soffice.bin) is killed, never left behind holding the profile.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from bilingual.errors import PublishError

INSTALL = "apt-get install libreoffice-writer-nogui"
"""How to get LibreOffice on Debian (what ``.ci/run`` installs)."""
POPPLER_INSTALL = "apt-get install poppler-utils"

PDF_A2 = {"SelectPdfVersion": {"type": "long", "value": "2"}}
"""writer_pdf_Export's filter option for PDF/A-2b (LibreOffice 7.4's JSON form)."""
DESTINATIONS = {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}
"""Every bookmark becomes a named destination of the PDF (``pdfinfo -dests``)."""

_DEST = re.compile(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$')
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Embedding marks ``pdftotext`` puts around right-to-left lines: not the text."""


def soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    docx: Path,
    pdf: Path,
    *,
    options: dict[str, dict[str, str]] | None = None,
    timeout: float = 300,
) -> None:
    """Render ``docx`` to ``pdf`` (a path in a folder the caller owns and throws away).

    Raises :class:`PublishError` when LibreOffice is missing, fails, writes nothing or
    runs past ``timeout`` seconds (then it is killed).
    """
    exe = soffice()
    if exe is None:
        raise PublishError(
            "LibreOffice is not installed (no soffice on PATH): it renders the PDF",
            where=str(docx),
            fix=f"install it ({INSTALL}) or publish without pdf in --format",
        )
    with tempfile.TemporaryDirectory(prefix="bilingual-soffice-") as work:
        folder = Path(work)
        source = folder / "edition.docx"
        try:
            shutil.copyfile(docx, source)
        except OSError as exc:
            raise PublishError(
                f"cannot read {docx.name} to render it: {exc.strerror or exc}",
                where=str(docx),
                fix="check that the DOCX exists and is readable",
            ) from None
        filter_name = "pdf:writer_pdf_Export"
        if options:
            filter_name += ":" + json.dumps(options)
        cmd = [
            exe,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            filter_name,
            "--outdir",
            str(folder),
            str(source),
        ]
        _run(cmd, docx, timeout)
        produced = folder / "edition.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise PublishError(
                f"LibreOffice exited without writing a PDF of {docx.name}; nothing was written",
                where=str(docx),
                fix="open the DOCX in LibreOffice to see whether it loads, then retry",
            )
        shutil.move(produced, pdf)


def _run(cmd: list[str], docx: Path, timeout: float) -> None:
    """Run soffice in its own process group; the group is killed past ``timeout``."""
    with subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as proc:
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # soffice.bin is a grandchild: killing the wrapper alone would leave it running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PublishError(
                f"LibreOffice did not finish rendering {docx.name} within {timeout:g} s and "
                "was stopped; nothing was written",
                where=str(docx),
                fix="retry with a longer time limit, or check that soffice runs "
                "(soffice --headless --version)",
            ) from None
    if proc.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        detail = f": {said[-1]}" if said else ""
        raise PublishError(
            f"LibreOffice failed rendering {docx.name} (exit {proc.returncode}{detail}); "
            "nothing was written",
            where=str(docx),
            fix=f"check that soffice runs (soffice --headless --version; {INSTALL})",
        )


def destinations(pdf: Path, timeout: float = 60) -> dict[str, int] | None:
    """The page (1-based) of each named destination of ``pdf``; None without ``pdfinfo``."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        return None
    out = _poppler([exe, "-dests", str(pdf)], pdf, timeout)
    pages: dict[str, int] = {}
    for line in out.splitlines():
        m = _DEST.match(line)
        if m is not None:
            pages.setdefault(m.group(2), int(m.group(1)))
    return pages


def page_texts(pdf: Path, timeout: float = 120) -> list[str]:
    """The text of each page of ``pdf`` (``pdftotext -enc UTF-8``), bidi marks dropped;
    a line's right-to-left runs (pdftotext gives the runs of a line left to right, each
    in reading order between U+202B and U+202C) put back in reading order first."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise PublishError(
            "pdftotext is not installed: it reads the PDF back",
            where=str(pdf),
            fix=f"install it ({POPPLER_INSTALL})",
        )
    text = _poppler([exe, "-enc", "UTF-8", str(pdf), "-"], pdf, timeout)
    text = "\n".join(_reading_order(line) for line in text.split("\n"))
    pages = _BIDI_CONTROLS.sub("", text).split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


_RTL_RUN = re.compile("\u202b([^\u202b\u202c]*)\u202c")


def _reading_order(line: str) -> str:
    """``line`` with its right-to-left runs in reading order: the last run shown (the
    leftmost) is the last read. Whatever stands between runs (digits, punctuation, a
    cell of the other column) keeps its place; the check reads letters per script, so
    only each script's own order matters."""
    runs = _RTL_RUN.findall(line)
    if len(runs) < 2:
        return line
    backwards = iter(reversed(runs))
    return _RTL_RUN.sub(lambda _: f"\u202b{next(backwards)}\u202c", line)


def _poppler(cmd: list[str], pdf: Path, timeout: float) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PublishError(
            f"{Path(cmd[0]).name} did not read {pdf.name} within {timeout:g} s",
            where=str(pdf),
            fix="check the PDF opens in a viewer",
        ) from None
    if done.returncode != 0:
        raise PublishError(
            f"{Path(cmd[0]).name} cannot read {pdf.name}: "
            f"{done.stderr.decode('utf-8', 'replace').strip()}",
            where=str(pdf),
            fix="check the PDF opens in a viewer",
        )
    return done.stdout.decode("utf-8", "replace")
