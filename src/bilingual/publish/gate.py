"""The gate: no machine translation goes out as if someone had checked it.

An article is refused while a sentence or caption shows text nobody reviewed or
approved, or an error-level finding stands on the text it shows (not dismissed by the
reviewer) or on the article. The refusal lists the sentence ids and the commands that
bring the review in. ``--allow-unreviewed`` lets such articles through: the renderers
then mark each machine sentence for the reader (:data:`~bilingual.publish.edition.MACHINE_MARK`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bilingual.errors import PublishError
from bilingual.publish.gather import Gathered
from bilingual.shell import shell_command

__all__ = ["GateError", "gate", "refusal"]

_SHOWN = 12
"""Sentence ids listed per article before "and N more"."""


class GateError(PublishError):
    """The gate refused one article or more (a handled error: exit code 1)."""


def _ids(ids: Sequence[str]) -> str:
    head = ", ".join(ids[:_SHOWN])
    return head + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


def refusal(item: Gathered) -> str | None:
    """Why the gate refuses this article (one line per reason), or None."""
    edition = item.edition
    unreviewed = [s.id for s in edition.sentences() if s.machine]
    lines: list[str] = []
    if unreviewed:
        total = len(edition.sentences())
        lines.append(
            f"{len(unreviewed)} of {total} sentence(s) in {edition.target_lang} nobody reviewed "
            f"or approved: {_ids(unreviewed)}"
        )
    for where, flag in item.errors:
        at = f"{where}: " if where else "the article: "
        lines.append(f"error finding {at}{flag.code}: {flag.message}")
    if not lines:
        return None
    docx = item.loaded.docx
    review = shell_command("bilingual", "review", "import", str(docx))
    approve = shell_command("bilingual", "review", "import", "--approve", str(docx))
    lines.append(
        f"review them in {docx}, then: {review} (or, to sign every sentence off: {approve}); "
        "an error finding goes when the sentence is corrected or approved, or its row in the "
        "DOCX's Quality checks is deleted"
    )
    return "\n  ".join(lines)


def gate(gathered: Sequence[Gathered], *, allow_unreviewed: bool) -> None:
    """Raise :class:`GateError` listing every refused article, unless allowed."""
    if allow_unreviewed:
        return
    refused = [(item, reason) for item in gathered if (reason := refusal(item)) is not None]
    if not refused:
        return
    body = "\n".join(f"{item.loaded.json}: {reason}" for item, reason in refused)
    raise GateError(
        f"{len(refused)} article(s) not reviewed, nothing was published:\n{body}",
        fix="review and import them as listed, or publish with --allow-unreviewed (each "
        "machine sentence is then marked for the reader)",
    )
