"""Pipeline: articles in, one DOCX + JSON briefing per article out. It only orders the stages:

discover -> ingest -> segment -> guard (a briefing about to be replaced gives up its
reviewer's edits to the memory) -> recall (reviewed texts from the memory) -> translate
(every article's segments at once, along the route, through the memory's machine cache)
-> assemble (QA, alignment, terms) -> write -> the cache's new entries in one transaction.

Order matters for the user: everything that can fail cheaply (no article found, bad
glossary, missing model, unwritable output folder) fails before any translation starts.
A bad article does not stop the others; it is reported and the run ends with exit 1.
"""

from bilingual.pipeline.options import (
    SUPPORTED_TARGETS,
    ArticleReport,
    RunOptions,
    RunReport,
    parse_targets,
    run_route,
)
from bilingual.pipeline.run import translate_articles
from bilingual.progress import Progress

__all__ = [
    "SUPPORTED_TARGETS",
    "ArticleReport",
    "Progress",
    "RunOptions",
    "RunReport",
    "parse_targets",
    "run_route",
    "translate_articles",
]
