"""A DOCX's core properties as the file holds them, whichever relationship names them.

LibreOffice (7.x) relates ``docProps/core.xml`` to the package with the type
``.../officedocument/2006/relationships/metadata/core-properties``, not the
``.../package/2006/relationships/metadata/core-properties`` that python-docx looks for;
python-docx then makes up default properties (author "python-docx", no description) and
a briefing saved by LibreOffice would lose its run signature, its article name and its
reviewer's name. :func:`adopt_core_properties` relates the file's own part under the
standard type first, so ``document.core_properties`` reads what the file holds.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.parts.coreprops import CorePropertiesPart

_SUFFIX = "/metadata/core-properties"


def adopt_core_properties(document: Any) -> None:
    """Make ``document.core_properties`` read the file's core properties part also when it
    is related under another type's name (LibreOffice's); a no-op otherwise."""
    package = document.part.package
    rels = package.rels.values()
    if any(rel.reltype == RT.CORE_PROPERTIES for rel in rels):
        return
    for rel in rels:
        if rel.is_external or not rel.reltype.lower().endswith(_SUFFIX):
            continue
        part = rel.target_part
        if isinstance(part, CorePropertiesPart):
            package.relate_to(part, RT.CORE_PROPERTIES)
            return
