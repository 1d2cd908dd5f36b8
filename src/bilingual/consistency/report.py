"""The consistency check's outputs: flags on the run's segments, and the run report
``output/reports/consistency.json`` (``bilingual.consistency/1``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from bilingual.consistency.text import CODES, flag_messages
from bilingual.document.names import Inconsistency, Place
from bilingual.document.segment import Flag

SCHEMA = "bilingual.consistency/1"
FLAG_CODES: Mapping[str, str] = {
    "same-source": "inconsistent-translation",
    "same-name": "inconsistent-name",
    "same-rendering": "merged-names",
}
"""The briefing flag each finding puts on the run's segments it names."""


def consistency_flags(
    findings: Iterable[Inconsistency],
) -> dict[tuple[str, str], dict[str, tuple[Flag, ...]]]:
    """``(article, segment id)`` -> target -> the flags to add to that segment's
    rendering: one per code (level ``warning``, see :data:`FLAG_CODES`), naming every
    finding's other places."""
    messages: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = {}
    for finding in findings:
        code = FLAG_CODES[finding.code]
        for place, message in flag_messages(finding).items():  # the run's places only
            per_code = messages.setdefault((place.article, place.segment), {})
            listed = per_code.setdefault(finding.lang, {}).setdefault(code, [])
            if message not in listed:
                listed.append(message)
    rank = list(FLAG_CODES.values())
    return {
        where: {
            lang: tuple(
                Flag(code, "warning", "; ".join(texts), lang)
                for code, texts in sorted(codes.items(), key=lambda c: rank.index(c[0]))
            )
            for lang, codes in langs.items()
        }
        for where, langs in messages.items()
    }


def _place_json(place: Place) -> dict[str, str]:
    return {
        "article": place.article,
        "segment": place.segment,
        "memory": place.memory,
        "glossary": place.glossary,
        "text": place.text,
    }


def consistency_report(
    findings: Iterable[Inconsistency], *, run_date: str, signature: str
) -> dict[str, object]:
    """The run report ``output/reports/consistency.json`` (``bilingual.consistency/1``; see
    ``docs/json-schema.md``): the findings in the order the check gives them."""
    listed = tuple(findings)
    return {
        "schema": SCHEMA,
        "run_date": run_date,
        "signature": signature,
        "counts": {code: sum(f.code == code for f in listed) for code in CODES},
        "findings": [
            {
                "code": f.code,
                "lang": f.lang,
                "subject": f.subject,
                "message": f.message,
                "places": [_place_json(p) for p in f.places],
            }
            for f in listed
        ],
    }


def is_consistency_report(path: Path) -> bool:
    """``path`` is a run's consistency report (it sits among the briefings' JSON files, so
    ``export xliff output/*.json`` meets it): its opening names :data:`SCHEMA`."""
    try:
        with path.open("rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return f'"schema": "{SCHEMA}"'.encode() in head
