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


def from_counts(advance: Callable[[int], None]) -> Callable[[int], None]:
    """A callback for a reporter that says how many steps are done *so far* (the engine
    does), turned into the steps made since its last call, which ``advance`` takes."""
    done = 0

    def report(so_far: int) -> None:
        nonlocal done
        if so_far > done:
            advance(so_far - done)
            done = so_far

    return report
