"""Golden files for the cleaning and segmentation tests: one list item per line, so a
diff of tests/golden/ shows which item changed. ``BILINGUAL_UPDATE_GOLDEN=1`` rewrites them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bilingual._fs import write_bytes_atomically

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("BILINGUAL_UPDATE_GOLDEN") == "1"


def render(record: dict[str, Any]) -> str:
    """JSON with one list item per line, so a golden diff shows which item changed."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {json.dumps(v, ensure_ascii=False)}" for v in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def check_golden(name: str, kind: str, record: dict[str, Any]) -> None:
    """Compare ``record`` with ``tests/golden/{name}.{kind}.json`` (``clean`` or ``segments``)."""
    path = GOLDEN / f"{name}.{kind}.json"
    if UPDATE:
        write_bytes_atomically(path, render(record).encode("utf-8"), what="a golden file")
    if not path.exists():
        pytest.fail(f"{path} is missing: run with BILINGUAL_UPDATE_GOLDEN=1 to create it")
    assert json.loads(path.read_text(encoding="utf-8")) == record, (
        f"{kind} golden file of {name} changed; if the change is right, rerun with "
        "BILINGUAL_UPDATE_GOLDEN=1 and review the diff of tests/golden/"
    )
