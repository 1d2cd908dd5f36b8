"""The run's one reproducibility string, like sacrebleu's: everything that changes the output.

``src:ar|tgt:en,vi|ar-en:translate-ar_en-1_0@1.0|en-vi:translate-en_vi-1_9@1.9|``
``glossary:3f9a2c1d9e0b|beam:4|lock:inject-first|version:0.1.0``

:class:`Signature` holds the fields; ``str()`` formats them and :meth:`Signature.parse`
reads a formatted string back, so ``Signature.parse(str(s)) == s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HOP = re.compile(r"[a-z]{2,3}(?:_[A-Za-z]{2,4})?-[a-z]{2,3}(?:_[A-Za-z]{2,4})?")


@dataclass(frozen=True)
class Signature:
    source: str
    targets: tuple[str, ...]
    models: tuple[tuple[str, str], ...]
    """``(pair, package label)`` per hop, in route order, e.g. ``("ar-en", "name@1.0")``."""
    glossary: str
    """The glossary's content hash, or ``none``."""
    beam: int
    lock: str
    """``inject-first`` or ``natural-first``."""
    version: str

    def __str__(self) -> str:
        hops = "".join(f"|{pair}:{label}" for pair, label in self.models)
        return (
            f"src:{self.source}|tgt:{','.join(self.targets)}{hops}|glossary:{self.glossary}"
            f"|beam:{self.beam}|lock:{self.lock}|version:{self.version}"
        )

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Read a signature written by ``str()``; ``ValueError`` names what is wrong."""
        fields: dict[str, str] = {}
        models: list[tuple[str, str]] = []
        for part in text.split("|"):
            key, sep, value = part.partition(":")
            if not sep:
                raise ValueError(f"signature field {part!r} has no ':'")
            if _HOP.fullmatch(key):
                models.append((key, value))
            elif key in fields:
                raise ValueError(f"signature field {key!r} appears twice")
            else:
                fields[key] = value
        expected = ("src", "tgt", "glossary", "beam", "lock", "version")
        if sorted(fields) != sorted(expected):
            raise ValueError(
                f"signature fields are {', '.join(fields) or 'none'}; "
                f"expected {', '.join(expected)} and one per model"
            )
        try:
            beam = int(fields["beam"])
        except ValueError:
            raise ValueError(f"signature beam {fields['beam']!r} is not a number") from None
        signature = cls(
            source=fields["src"],
            targets=tuple(fields["tgt"].split(",")),
            models=tuple(models),
            glossary=fields["glossary"],
            beam=beam,
            lock=fields["lock"],
            version=fields["version"],
        )
        if str(signature) != text:
            raise ValueError("signature fields are out of their usual order")
        return signature
