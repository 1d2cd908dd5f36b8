"""Vietnamese: names only; its renderings replace English ones as they are."""

from __future__ import annotations

from bilingual.lang.base import Language

LANGUAGE = Language(code="vi", name="Vietnamese", tag="vi-VN")
