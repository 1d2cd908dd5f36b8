#!/usr/bin/python3
"""Edit a DOCX in a real, headless LibreOffice, as a human reviewer would.

Run with the SYSTEM python (it needs the ``uno`` module; it imports nothing from
``bilingual``)::

    /usr/bin/python3 tests/libreoffice_edit.py IN.docx OUT.docx [--track-changes]
        [--replace OLD NEW]... [--delete-style STYLENAME] [--comment ANCHOR COMMENT]
        [--resolve-comments AUTHOR] [--tick TEXT]... [--type-over-box TEXT]...

Edits run in this order: track changes on, ticking approval boxes, replacements, style
deletion, comment, resolving the comments by AUTHOR. ``--tick TEXT`` ticks the approval
box (a checkbox content control) of the sentence holding TEXT as a click does: its
``Checked`` property and its glyph; ``--type-over-box TEXT`` types an ``x`` over that
box's glyph, as a reviewer who does not know it is a control might.
``soffice`` runs with a throw-away profile and a private pipe, in its own process
group, which is killed on every way out (success, error, SIGTERM/SIGINT, timeout).

Exit status: 0 done; 2 usage; 3 a --replace/--comment text or a --delete-style style
was not found; 4 overall timeout; 5 LibreOffice failed (start, connect, load, store).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.util import DateTime  # type: ignore[import-not-found]

CONNECT_TIMEOUT_S = 60.0
TOTAL_TIMEOUT_S = 90.0
DOCX_FILTER = "MS Word 2007 XML"
REVIEWER = "Reviewer"  # author of tracked changes (user profile) and comments


class EditError(Exception):
    """An edit could not be made; exits with ``code``."""

    def __init__(self, message: str, code: int = 3) -> None:
        super().__init__(message)
        self.code = code


def _props(**values: Any) -> tuple[Any, ...]:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


class Office:
    """One private soffice process; ``close()`` always leaves none behind."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="bl_lo_edit_"))
        self.profile = self.workdir / "profile"
        self.pipe = f"bl_lo_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.desktop: Any = None
        self._lock = threading.Lock()

    def start(self) -> Any:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise EditError("soffice not found on PATH", 5)
        cmd = [
            soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        # Own process group: the launcher execs oosplash, which forks soffice.bin;
        # killpg reaches them all.
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise EditError(f"soffice exited early with status {self.proc.returncode}", 5)
            try:
                ctx = resolver.resolve(url)
                smgr = ctx.ServiceManager
                self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            except Exception as exc:  # NoConnectException until soffice listens
                last = exc
                time.sleep(0.25)
                continue
            _set_user_name(ctx, REVIEWER)
            return ctx
        raise EditError(f"could not connect to soffice within {CONNECT_TIMEOUT_S:.0f} s: {last}", 5)

    def close(self) -> None:
        with self._lock:
            proc, self.proc = self.proc, None
            desktop, self.desktop = self.desktop, None
            if proc is not None:
                if desktop is not None and proc.poll() is None:
                    # The bridge dies with soffice, so terminate() may well raise.
                    with contextlib.suppress(Exception):
                        desktop.terminate()
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=10)
                # Always kill the group: soffice.bin may outlive the launcher.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
            shutil.rmtree(self.workdir, ignore_errors=True)


def _set_user_name(ctx: Any, name: str) -> None:
    """Tracked changes take their w:author from the (throw-away) user profile."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    node = PropertyValue()
    node.Name = "nodepath"
    node.Value = "/org.openoffice.UserProfile/Data"
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", (node,)
    )
    access.setPropertyValue("givenname", name)
    access.setPropertyValue("sn", "")
    access.setPropertyValue("initials", name[:1])
    access.commitChanges()


def _texts(text: Any) -> Iterator[tuple[Any, Any]]:
    """(paragraph, its XText) in document order, descending into table cells."""
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.Paragraph"):
            yield element, text
        elif element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                yield from _texts(element.getCellByName(name))


def _hidden_before(para: Any, at: int) -> int:
    """The characters a cursor counts before visible offset ``at`` that ``getString()``
    does not show: one at each end of every content control (the approval boxes)."""
    hidden = seen = 0
    portions = para.createEnumeration()
    while portions.hasMoreElements() and seen < at:
        portion = portions.nextElement()
        if portion.TextPortionType == "ContentControl":
            hidden += 2
            seen += len(portion.ContentControl.getAnchor().getString())
        else:
            seen += len(portion.getString())
    return hidden


def find_first(doc: Any, needle: str) -> Any:
    """A text cursor selecting the first occurrence of ``needle`` (plain text, case
    sensitive, within one paragraph, body and table cells), or None."""
    for para, text in _texts(doc.Text):
        at = para.getString().find(needle)
        if at < 0:
            continue
        cursor = text.createTextCursorByRange(para.getStart())
        cursor.goRight(at + _hidden_before(para, at), False)
        cursor.goRight(len(needle), True)
        if cursor.getString() != needle:  # a field or similar before it shifts offsets
            raise EditError(f"could not select {needle!r} in {para.getString()!r}", 5)
        return cursor
    return None


def replace_first(doc: Any, old: str, new: str) -> None:
    found = find_first(doc, old)
    if found is None:
        raise EditError(f"--replace: text not found: {old!r}")
    found.setString(new)


UNTICKED, TICKED = "\u2610", "\u2612"


def tick(doc: Any, needle: str, glyph: str, flag: bool) -> None:
    """Tick the last approval box before ``needle`` in its paragraph: set the control's
    ``Checked`` (``flag``) and put ``glyph`` in place of its unticked glyph."""
    for para, text in _texts(doc.Text):
        whole = para.getString()
        end = whole.find(needle)
        if end < 0:
            continue
        at = whole.rfind(UNTICKED, 0, end)
        if at < 0:
            raise EditError(f"--tick: no approval box before {needle!r} in {whole!r}")
        before = whole.count(UNTICKED, 0, at)  # the controls hold one glyph each, in order
        if flag:
            controls = []
            portions = para.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                if portion.TextPortionType == "ContentControl":
                    controls.append(portion.ContentControl)
            # the property a click sets (LibreOffice's UNO leaves the glyph to the view)
            controls[before].Checked = True
            return
        cursor = text.createTextCursorByRange(para.getStart())
        cursor.goRight(at + _hidden_before(para, at) + 1, False)  # inside the control
        cursor.goRight(1, True)
        if cursor.getString() != UNTICKED:
            raise EditError(f"--type-over-box: could not select the box before {needle!r}", 5)
        cursor.setString(glyph)
        return
    raise EditError(f"--tick: text not found: {needle!r}")


def delete_style(doc: Any, style: str) -> int:
    ranges = []
    for para, _text in _texts(doc.Text):
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.TextPortionType != "Text" or not portion.getString():
                continue
            if portion.CharStyleName == style:
                ranges.append(portion)
    if not ranges:
        raise EditError(f"--delete-style: no text in character style {style!r}")
    for rng in ranges:
        rng.setString("")
    return len(ranges)


def add_comment(doc: Any, anchor: str, comment: str) -> None:
    found = find_first(doc, anchor)
    if found is None:
        raise EditError(f"--comment: anchor text not found: {anchor!r}")
    note = doc.createInstance("com.sun.star.text.textfield.Annotation")
    note.Author = REVIEWER
    note.Initials = REVIEWER[:1]
    note.Content = comment
    now = datetime.now(UTC)
    stamp = DateTime()
    stamp.Year, stamp.Month, stamp.Day = now.year, now.month, now.day
    stamp.Hours, stamp.Minutes, stamp.Seconds = now.hour, now.minute, now.second
    note.DateTimeValue = stamp  # else comments.xml gets w:date="0-00-00T00:00:00Z"
    found.getText().insertTextContent(found, note, True)  # absorb: spans the anchor


def resolve_comments(doc: Any, author: str) -> int:
    """Mark every comment by ``author`` resolved, as the comment menu's "Resolve" does."""
    count = 0
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and (
            field.Author == author
        ):
            field.Resolved = True
            count += 1
    if not count:
        raise EditError(f"--resolve-comments: no comment by {author!r}")
    return count


def edit(office: Office, args: argparse.Namespace) -> None:
    ctx = office.start()
    # Load a private copy: LibreOffice's .~lock file then never lands beside IN
    # (a stale one there would make every later load fail).
    src = office.workdir / ("in" + Path(args.input).suffix)
    shutil.copyfile(args.input, src)
    dst = Path(args.output).resolve()
    # A bare model, no frame or view: with a view, inserting a comment makes
    # LibreOffice build its comment sidebar, which aborts soffice on headless
    # (nogui) installs. Without a view there is no layout, so the document's
    # findFirst() finds nothing; find_first() above searches paragraphs instead.
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    try:
        doc.load(_props(URL=src.as_uri(), FilterName=DOCX_FILTER))
    except Exception as exc:
        raise EditError(f"LibreOffice could not load {args.input}: {exc}", 5) from exc
    try:
        if args.track_changes:
            doc.setPropertyValue("RecordChanges", True)
        for needle in args.tick or ():
            tick(doc, needle, TICKED, flag=True)
        for needle in args.type_over_box or ():
            tick(doc, needle, "x", flag=False)
        for old, new in args.replace or ():
            replace_first(doc, old, new)
        if args.delete_style is not None:
            count = delete_style(doc, args.delete_style)
            print(f"deleted {count} portion(s) in style {args.delete_style!r}", file=sys.stderr)
        if args.comment is not None:
            add_comment(doc, *args.comment)
        if args.resolve_comments is not None:
            resolve_comments(doc, args.resolve_comments)
        dst.parent.mkdir(parents=True, exist_ok=True)
        doc.storeToURL(dst.as_uri(), _props(FilterName=DOCX_FILTER, Overwrite=True))
    finally:
        try:
            doc.close(True)
        except Exception:
            doc.dispose()


def _parse(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--track-changes", action="store_true", help="record edits as w:ins/w:del")
    ap.add_argument("--replace", nargs=2, action="append", metavar=("OLD", "NEW"))
    ap.add_argument("--delete-style", metavar="STYLENAME")
    ap.add_argument("--comment", nargs=2, metavar=("ANCHOR_TEXT", "COMMENT_TEXT"))
    ap.add_argument("--resolve-comments", metavar="AUTHOR")
    ap.add_argument("--tick", action="append", metavar="TEXT")
    ap.add_argument("--type-over-box", action="append", metavar="TEXT")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if not Path(args.input).is_file():
        print(f"libreoffice_edit: no such file: {args.input}", file=sys.stderr)
        return 2
    office = Office()

    def bail(message: str, code: int) -> None:
        print(f"libreoffice_edit: {message}", file=sys.stderr, flush=True)
        office.close()
        os._exit(code)

    # SIGTERM/SIGINT and the overall deadline are handled off the main thread, which
    # may be stuck inside a UNO call; block them there (threads inherit the mask).
    stop = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)

    def on_signal() -> None:
        sig = signal.sigwait(stop)
        bail(f"killed by signal {signal.Signals(sig).name}; soffice stopped", 128 + sig)

    threading.Thread(target=on_signal, daemon=True).start()
    watchdog = threading.Timer(
        TOTAL_TIMEOUT_S,
        bail,
        (f"timed out after {TOTAL_TIMEOUT_S:.0f} s; soffice killed", 4),
    )
    watchdog.daemon = True
    watchdog.start()
    try:
        edit(office, args)
    except EditError as exc:
        print(f"libreoffice_edit: {exc}", file=sys.stderr)
        return exc.code
    except Exception as exc:  # UNO exceptions are not EditError
        print(f"libreoffice_edit: LibreOffice failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 5
    finally:
        watchdog.cancel()
        office.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
