"""bilingual: offline Arabic -> English (-> Vietnamese) bilingual briefings.

Importing the package has no side effects: nothing is read, written or downloaded
until a function is called.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
