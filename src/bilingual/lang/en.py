"""English: the article that goes with a term when a later hop replaces the term."""

from __future__ import annotations

from bilingual.lang.base import Language

_ARTICLE = "the "


def term_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span a term's English rendering occupies, a leading ``the`` included.

    ``the United Nations`` becomes ``Liên hợp quốc`` in Vietnamese, which has no article:
    replacing only the name would leave ``the Liên hợp quốc``.
    """
    if text[max(0, start - len(_ARTICLE)) : start].lower() == _ARTICLE:
        return start - len(_ARTICLE), end
    return start, end


LANGUAGE = Language(code="en", name="English", tag="en-US", term_span=term_span)
