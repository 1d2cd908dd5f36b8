"""Pytest-side helper: edit a DOCX in real LibreOffice via ``libreoffice_edit.py``.

The editing script needs the system python's ``uno`` module, so it runs as a
subprocess of ``/usr/bin/python3``; skip with ``libreoffice_available()`` first::

    reason = libreoffice_available()
    if reason:
        pytest.skip(reason)
    edit_in_libreoffice(src, dst, track_changes=True, replace=[("old", "new")])
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
EDIT_SCRIPT = Path(__file__).resolve().with_name("libreoffice_edit.py")


@cache
def libreoffice_available() -> str | None:
    """None when soffice and the system python's ``uno`` are usable, else why not."""
    if shutil.which("soffice") is None:
        return "needs LibreOffice: no soffice on PATH (apt-get install libreoffice-writer-nogui)"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"needs {SYSTEM_PYTHON} with the uno module (python3-uno)"
    try:
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{SYSTEM_PYTHON} -c 'import uno' failed: {exc}"
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} cannot import uno (apt-get install python3-uno): {probe.stderr}"
    return None


def edit_in_libreoffice(
    src: Path,
    dst: Path,
    *,
    track_changes: bool = False,
    replace: Sequence[tuple[str, str]] = (),
    delete_style: str | None = None,
    comment: tuple[str, str] | None = None,
    resolve_comments: str | None = None,
    tick: Sequence[str] = (),
    type_over_box: Sequence[str] = (),
    timeout: float = 180,
) -> None:
    """Open ``src`` in LibreOffice, make the edits, save DOCX to ``dst``.

    ``replace`` pairs replace the first occurrence of each OLD (plain text);
    ``delete_style`` deletes all text in that character style; ``comment`` is
    (anchor text, comment text); ``resolve_comments`` marks every comment by that
    author resolved; ``tick`` ticks the approval box of each sentence holding one of the
    texts as a click does, ``type_over_box`` types an x over it. Raises AssertionError
    (with stderr) on failure.
    """
    cmd = [SYSTEM_PYTHON, str(EDIT_SCRIPT), str(src), str(dst)]
    if track_changes:
        cmd.append("--track-changes")
    for old, new in replace:
        cmd += ["--replace", old, new]
    if delete_style is not None:
        cmd += ["--delete-style", delete_style]
    if comment is not None:
        cmd += ["--comment", *comment]
    if resolve_comments is not None:
        cmd += ["--resolve-comments", resolve_comments]
    for text in tick:
        cmd += ["--tick", text]
    for text in type_over_box:
        cmd += ["--type-over-box", text]
    # Own session so a timeout can stop the script; SIGTERM lets it kill soffice.
    with subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            try:
                stdout, stderr = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                stdout, stderr = proc.communicate()
            raise AssertionError(
                f"libreoffice_edit.py timed out after {timeout} s\n{stderr}"
            ) from None
    if proc.returncode != 0:
        raise AssertionError(
            f"libreoffice_edit.py failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"{stderr}{stdout}"
        )
    if not dst.is_file():
        raise AssertionError(f"libreoffice_edit.py exited 0 but wrote no {dst}\n{stderr}")
