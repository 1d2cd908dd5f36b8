"""The consistency check's words: how texts are compared, and what its findings say."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bilingual._text import occurrences
from bilingual.document.names import Inconsistency, InconsistencyCode, Place

CODES: tuple[InconsistencyCode, ...] = ("same-source", "same-name", "same-rendering")
_QUOTE = 80
"""Characters of a text quoted in a message (the report holds it whole)."""
_LISTED = 3
"""Other places a message names before it says how many more there are."""


def same(text: str) -> str:
    """What two texts must share to be the same translation: whitespace does not count."""
    return " ".join(text.split())


def has(text: str, rendering: str) -> bool:
    """``text`` has the term's rendering as the translate stage requires it (whole words,
    exact but for a capital at the start), whatever the spacing."""
    return occurrences(same(text), same(rendering)) > 0


def fold(text: str) -> str:
    return same(text).casefold()


def quote(text: str) -> str:
    text = same(text)
    return repr(text if len(text) <= _QUOTE else text[: _QUOTE - 1].rstrip() + "…")


def _listed(places: Sequence[Place]) -> str:
    named = ", ".join(str(p) for p in places[:_LISTED])
    more = len(places) - _LISTED
    return f"{named} and {more} more" if more > 0 else named


def _by_text(places: Iterable[Place]) -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for place in places:
        out.setdefault(same(place.text), []).append(place)
    return out


def _ways(groups: Iterable[list[Place]]) -> str:
    """``'text' in A, B; 'other' in C``: each text with its places."""
    listed = list(groups)
    shown = [f"{quote(ps[0].text)} in {_listed(ps)}" for ps in listed[:_LISTED]]
    more = len(listed) - _LISTED
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _split(places: Sequence[Place]) -> tuple[str, list[Place], list[Place]]:
    """A ``same-name`` finding's places: the prescribed rendering, the places that lack
    it, and those that have it (the prescribing term left out)."""
    wanted = next((p.text for p in places if p.glossary), "")
    others = [p for p in places if not p.glossary]
    lacking = [p for p in others if same(p.text) != same(wanted)]
    return wanted, lacking, [p for p in others if same(p.text) == same(wanted)]


def message(
    code: InconsistencyCode, lang: str, subject: str, about: str, places: Sequence[Place]
) -> str:
    """A finding's message: what differs, and where each way of it stands."""
    if code == "same-source":
        groups = _by_text(places).values()
        ways = f"{len(groups)} translations into {lang}"
        return f"the sentence {quote(subject)} has {ways}: {_ways(groups)}"
    if code == "same-name":
        wanted, lacking, right = _split(places)
        also = f"; it is in {_listed(right)}" if right else ""
        return (
            f"{about} ({quote(subject)}) should be {quote(wanted)} in {lang}, "
            f"but is not in {_listed(lacking)}{also}"
        )
    return (
        f"{quote(subject)} renders {len(places)} different names in {lang}: "
        f"{_ways(_by_text(places).values())}"
    )


def flag_messages(finding: Inconsistency) -> dict[Place, str]:
    """What a finding says on each of its run places: the other places, to go and look."""
    mine = [p for p in finding.places if not (p.memory or p.glossary) and p.segment]
    if finding.code == "same-name":
        wanted, lacking, right = _split(finding.places)
        term = next(p.glossary for p in finding.places if p.glossary).split(",")[0]
        name = f"the name {quote(finding.subject)} ({term}) "
        where = f"as in {_listed(right)}" if right else "as the glossary has it"
        missing = f"{name}should be {quote(wanted)} here, {where}"
        present = f"{name}is {quote(wanted)} here but not in {_listed(lacking)}"
        return {p: missing if same(p.text) != same(wanted) else present for p in mine}
    groups = _by_text(finding.places)
    head = (
        "the same sentence is"
        if finding.code == "same-source"
        else (f"{quote(finding.subject)} also renders")
    )
    said = {text: f"{head} {_ways(ps for t, ps in groups.items() if t != text)}" for text in groups}
    return {p: said[same(p.text)] for p in mine}
