"""The run's names: new names kept to one rendering before translation (see
:mod:`bilingual.names.keep`), and the list each briefing shows after it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bilingual.config import Settings
from bilingual.document.names import KeptName
from bilingual.document.segment import Segment
from bilingual.engine import open_translator
from bilingual.errors import ModelError
from bilingual.glossary.term import Glossary
from bilingual.memory.store import TranslationMemory
from bilingual.names.keep import KeptNames, keep_names, render_names
from bilingual.translate import Hop, Route, route_pairs


def keep_run_names(
    articles: Sequence[tuple[str, Sequence[Segment]]],
    glossary: Glossary,
    route: Route,
    memory: TranslationMemory | None,
    enabled: bool,
) -> KeptNames:
    """The run's glossary with its kept names (the user's glossary alone when off)."""
    if not enabled:
        return KeptNames(glossary)
    stored = memory.names.get if memory is not None else None
    return keep_names(articles, glossary, route, stored)


def names_of(
    kept: KeptNames, articles: Sequence[tuple[str, Sequence[Segment]]]
) -> dict[str, tuple[KeptName, ...]]:
    """Article name -> the kept names its briefing lists."""
    return kept.listing(articles) if kept.auto else {}


def suggested_renderings(
    forms: Sequence[str],
    settings: Settings,
    targets: Sequence[str],
    memory_path: Path | None,
    *,
    use_model: bool = True,
    source: str = "ar",
    pairs: Sequence[tuple[str, str]] = (),
) -> tuple[dict[str, dict[str, str]], str | None]:
    """Source form -> target -> the rendering a run would keep for it (what ``glossary
    suggest`` fills its drafts with), and a notice when the model could not be used.

    The memory is only read (an absent file is not created); a missing model leaves the
    renderings the memory does not have empty, with the notice saying why. ``pairs``:
    the run's route (:attr:`bilingual.config.Workspace.route`).
    """
    if not forms:
        return {}, None
    memory = None
    if memory_path is not None and memory_path.exists():
        memory = TranslationMemory(memory_path, create=False)
    try:
        stored = memory.names.get if memory is not None else None
        route, notice = None, None
        if use_model:
            try:
                # the run's route when given, else each target from the one before it
                hops = [
                    Hop(a, b, open_translator(settings, a, b))
                    for a, b in pairs or route_pairs(source, targets)
                ]
                route = Route(source, tuple(hops))
            except ModelError as exc:
                notice = f"no rendering from the model ({exc.message.splitlines()[0]})"
        return render_names(forms, route, stored, source_lang=source), notice
    finally:
        if memory is not None:
            memory.close()
