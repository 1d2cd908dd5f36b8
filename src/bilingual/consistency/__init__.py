"""Consistency: the same thing done two ways, across the articles of a run and the memory.

:mod:`.check` finds the findings (its docstring says what each check compares),
:mod:`.report` turns them into flags on the run's segments and the run report, and
:mod:`.text` holds how texts are compared and what the messages say.
"""

from __future__ import annotations

from bilingual.consistency.check import check_consistency
from bilingual.consistency.report import (
    FLAG_CODES,
    SCHEMA,
    consistency_flags,
    consistency_report,
    is_consistency_report,
)

__all__ = [
    "FLAG_CODES",
    "SCHEMA",
    "check_consistency",
    "consistency_flags",
    "consistency_report",
    "is_consistency_report",
]
