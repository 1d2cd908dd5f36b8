"""Model licences: read from a model's LICENSE or README, and said to the user.

An imported model's card records an SPDX-style identifier and an attribution line
(:mod:`bilingual.models.card`). :func:`licence_from_text` recognises the licences models
ship under from their text; :func:`licence_lines` and :func:`non_commercial_notes` give
the lines ``models list``, ``translate``'s console and a briefing's metadata print. A
non-commercial licence is said, never refused: whether a use is commercial is the
user's to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bilingual.models.registry import PackageInfo

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_LICENSE_KEY = re.compile(r"^licen[cs]e\s*:\s*['\"]?([A-Za-z0-9.+-]+)", re.M | re.I)

_SPDX = {
    "mit": "MIT",
    "apache-2.0": "Apache-2.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
}

# the wording each licence's own text opens with, most specific first
_TEXTS = (
    ("Attribution-NonCommercial-ShareAlike 4.0", "CC-BY-NC-SA-4.0"),
    ("Attribution-NonCommercial-NoDerivatives 4.0", "CC-BY-NC-ND-4.0"),
    ("Attribution-NonCommercial 4.0", "CC-BY-NC-4.0"),
    ("Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"),
    ("Attribution 4.0 International", "CC-BY-4.0"),
    ("CC-BY-NC-4.0", "CC-BY-NC-4.0"),
    ("CC-BY 4.0", "CC-BY-4.0"),
    ("CC-BY-4.0", "CC-BY-4.0"),
    ("Apache License", "Apache-2.0"),
    ("MIT License", "MIT"),
    ("Permission is hereby granted, free of charge", "MIT"),
)


def normalise(identifier: str) -> str:
    """``cc-by-nc-4.0`` -> ``CC-BY-NC-4.0``; an identifier this table lacks, as given."""
    cleaned = identifier.strip()
    return _SPDX.get(cleaned.lower(), cleaned)


def is_non_commercial(identifier: str) -> bool:
    """Whether an SPDX-style identifier forbids commercial use (the ``NC`` licences)."""
    return "-NC" in identifier.upper()


def licence_from_text(text: str) -> str | None:
    """The licence a LICENSE file or a model card (its ``license:`` front matter) names."""
    front = _FRONT_MATTER.match(text)
    if front is not None:
        key = _LICENSE_KEY.search(front.group(1))
        if key is not None:
            return normalise(key.group(1))
    lines = text.strip().splitlines()
    if lines and lines[0].strip().lower() in _SPDX:  # a file that starts with its SPDX id
        return _SPDX[lines[0].strip().lower()]
    head = " ".join(text[:4000].split())
    for words, identifier in _TEXTS:
        if words.lower() in head.lower():
            return identifier
    return None


def licence_label(info: PackageInfo) -> str:
    """What ``models list`` shows: ``CC-BY-NC-4.0 (non-commercial)``; ``see README`` for
    an argos package whose metadata says nothing."""
    card = info.card
    if not card.licence:
        return "see README"
    return card.licence + (" (non-commercial)" if card.non_commercial else "")


def licence_lines(packages: Iterable[PackageInfo]) -> list[str]:
    """One line per package, for a run's console or a briefing's metadata: its name, its
    licence and what the licence asks to credit."""
    lines: list[str] = []
    for info in packages:
        line = f"{info.label}: licence {licence_label(info)}"
        if info.card.attribution:
            line += f"; {info.card.attribution}"
        if line not in lines:
            lines.append(line)
    return lines


def non_commercial_notes(packages: Iterable[PackageInfo]) -> list[str]:
    """A plain warning for each package under a non-commercial licence (none: ``[]``)."""
    notes: list[str] = []
    for info in packages:
        if info.card.non_commercial:
            note = (
                f"model {info.name} is licensed {info.card.licence or 'non-commercially'}: "
                "non-commercial use only"
            )
            if note not in notes:
                notes.append(note)
    return notes
