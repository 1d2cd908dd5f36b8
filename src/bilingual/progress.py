"""How the library reports progress: a protocol the CLI draws and tests may record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    """A run announces each stage with its number of steps, then advances it."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class NoProgress:
    """Progress that goes nowhere (the default)."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


def stage(progress: Progress, name: str, total: int) -> Callable[[int], None]:
    """Announce a stage of ``total`` steps; returns the callback that advances it."""
    progress.start(name, total)
    return progress.advance
