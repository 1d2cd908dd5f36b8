"""bilingual: offline Arabic -> English (-> Vietnamese) bilingual briefings.

The stages, in the order data flows: :mod:`~bilingual.ingest` (read and clean an
article), :mod:`~bilingual.segment` (sentences), :mod:`~bilingual.translate` (the route,
hop by hop, with the glossary matcher of :mod:`~bilingual.glossary` and the locking
ladder of :mod:`~bilingual.enforce` over :mod:`~bilingual.engine`),
:mod:`~bilingual.assemble` (QA and alignment into a briefing), and the writers and readers
:mod:`~bilingual.json_io` and :mod:`~bilingual.docx_io`. :mod:`~bilingual.pipeline` orders
them; :mod:`~bilingual.cli` is the command line. They share the records of
:mod:`~bilingual.document` and the language data of :mod:`~bilingual.lang`.

Importing the package has no side effects: nothing is read, written or downloaded
until a function is called.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
