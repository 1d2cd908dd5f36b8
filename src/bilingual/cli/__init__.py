"""Command line: parse arguments, draw progress, call the library, map errors to exit codes.

One module per command group (``translate`` with ``init``, ``models``, ``glossary``,
``review``, ``memory``), registered on the app of :mod:`._common`. Exit codes: 0 done,
1 handled error, 2 usage, 3 ``--strict`` findings.
"""

from __future__ import annotations

import sys

from bilingual.cli import glossary, memory, models, review, translate
from bilingual.cli._common import app
from bilingual.cli.models import _human

__all__ = ["_human", "app", "glossary", "main", "memory", "models", "review", "translate"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        # click reports usage errors with exit code 2; keep every code as is
        sys.exit(exc.code)
