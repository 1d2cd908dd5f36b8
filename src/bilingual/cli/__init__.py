"""Command line: parse arguments, draw progress, call the library, map errors to exit codes.

One module per command group (``translate`` with ``init``, ``models``, ``glossary``,
``review``, ``memory``, ``publish``; ``export`` and ``import`` in ``exchange``),
registered on the app of :mod:`._common`. Exit codes: 0 done, 1 handled error, 2 usage,
3 ``--strict`` findings.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from bilingual.cli import (
    exchange,
    glossary,
    memory,
    memory_manage,
    models,
    publish,
    review,
    translate,
)
from bilingual.cli._common import Terminated, app
from bilingual.cli.models import human_size

__all__ = [
    "app",
    "exchange",
    "glossary",
    "human_size",
    "main",
    "memory",
    "memory_manage",
    "models",
    "publish",
    "review",
    "translate",
]


def _terminate(signum: int, frame: FrameType | None) -> None:
    # a second SIGTERM kills at once (the default), as a user who insists expects
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated


def main() -> None:
    """Console-script entry point.

    SIGTERM (a service manager's stop, ``kill``, a CI timeout) is raised as
    :class:`Terminated`, a ``KeyboardInterrupt``, where the program stands: every
    ``finally`` block runs as on Ctrl-C, so no temporary ``.part`` file is left and no
    briefing is half-replaced (the default action would end the process on the spot).
    """
    signal.signal(signal.SIGTERM, _terminate)
    for stream in (sys.stdout, sys.stderr):
        # a path the user gave may hold bytes that are not UTF-8 (a surrogate here): shown
        # escaped on a console that refuses them, never a UnicodeEncodeError traceback
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app()
    except SystemExit as exc:
        # click reports usage errors with exit code 2; keep every code as is
        sys.exit(exc.code)
