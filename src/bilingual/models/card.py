"""Model cards: what kind of model an installed package holds, and what it needs.

Every installed package is a folder with ``metadata.json`` (argos's fields: ``from_code``,
``to_code``, ``package_version``) and a CTranslate2 model in ``model/``. An argos package
says nothing more; a package that ``bilingual models import`` made (an OPUS-MT release, or
a CTranslate2 folder converted from a Marian, M2M-100 or NLLB checkpoint) also carries a
``"bilingual"`` object in its metadata, read here into a :class:`ModelCard`::

    "bilingual": {
      "kind": "m2m100",                       # argos | marian | m2m100 | nllb
      "pairs": [["ar", "en"], ["ar", "vi"], ["en", "vi"]],
      "source_tokenizer": "sentencepiece.bpe.model",
      "target_tokenizer": "sentencepiece.bpe.model",
      "language_tokens": {"ar": "__ar__", "en": "__en__", "vi": "__vi__"},
      "licence": "MIT",
      "attribution": "M2M-100 (Fan et al., 2020), Meta AI",
      "non_commercial": false,
      "test_model": false,
      "confidence": {"low": -1.2, "costly_lock": 0.8, "method": "...", "sentences": 400}
    }

How the language tokens are used depends on the kind (:mod:`bilingual.engine`): a
multi-target Marian model wants the target's token first in the source (``>>vie<<``);
M2M-100 and NLLB want the source's token on the source and the target's token as the
first target-prefix token. A ``language_tokens`` entry exists only for the languages the
model names by a token. Missing keys take the argos defaults, so an argos package is a
card with ``kind == "argos"`` and its one pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("argos", "marian", "m2m100", "nllb")
"""Every model kind the engine speaks."""

ARGOS_TOKENIZER = "sentencepiece.model"
TEST_MODEL_KEY = "test_model"
"""``metadata.json`` of a test package holds ``"bilingual": {"test_model": true}``."""


@dataclass(frozen=True)
class ModelCard:
    """What the engine, the routes and the listing need to know of a package."""

    kind: str = "argos"
    pairs: tuple[tuple[str, str], ...] = ()
    """Every direction the package translates; one for argos and plain Marian."""
    source_tokenizer: str = ARGOS_TOKENIZER
    """SentencePiece model file for the source, relative to the package folder."""
    target_tokenizer: str = ARGOS_TOKENIZER
    language_tokens: Mapping[str, str] = field(default_factory=dict)
    """Language code -> the model's token for it (``vi`` -> ``>>vie<<``, ``__vi__``,
    ``vie_Latn``)."""
    licence: str = ""
    """SPDX-style identifier (``CC-BY-4.0``, ``MIT``, ``CC-BY-NC-4.0``); empty: not said."""
    attribution: str = ""
    """What a CC-BY licence asks a user to credit."""
    non_commercial: bool = False
    test_model: bool = False
    """Not a real translation model: the run says so on the console and in each briefing."""
    confidence: Mapping[str, Any] = field(default_factory=dict)
    """The model's own confidence thresholds (see ``bilingual models calibrate``)."""

    @property
    def multilingual(self) -> bool:
        return len(self.pairs) > 1

    def serves(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        return ()
    out: list[tuple[str, str]] = []
    for item in value:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(code, str) and code for code in item)
        ):
            pair = (str(item[0]), str(item[1]))
            if pair not in out:
                out.append(pair)
    return tuple(out)


def read_card(metadata: Mapping[str, Any]) -> ModelCard:
    """The card of a package from its parsed ``metadata.json`` (lenient: a value of the
    wrong type counts as absent; :mod:`bilingual.models.archive` checks on install)."""
    ours = metadata.get("bilingual")
    ours = ours if isinstance(ours, Mapping) else {}
    kind = _str(ours.get("kind")) or "argos"
    pair = (_str(metadata.get("from_code")), _str(metadata.get("to_code")))
    pairs = _pairs(ours.get("pairs")) or ((pair,) if all(pair) else ())
    tokens = ours.get("language_tokens")
    confidence = ours.get("confidence")
    return ModelCard(
        kind=kind,
        pairs=pairs,
        source_tokenizer=_str(ours.get("source_tokenizer")) or ARGOS_TOKENIZER,
        target_tokenizer=_str(ours.get("target_tokenizer"))
        or _str(ours.get("source_tokenizer"))
        or ARGOS_TOKENIZER,
        language_tokens={
            str(k): str(v)
            for k, v in (tokens.items() if isinstance(tokens, Mapping) else ())
            if isinstance(k, str) and isinstance(v, str) and v
        },
        licence=_str(ours.get("licence")),
        attribution=_str(ours.get("attribution")),
        non_commercial=ours.get("non_commercial") is True,
        test_model=ours.get(TEST_MODEL_KEY) is True,
        confidence=dict(confidence) if isinstance(confidence, Mapping) else {},
    )


def card_metadata(card: ModelCard) -> dict[str, Any]:
    """The ``"bilingual"`` object that :func:`read_card` reads back as ``card``."""
    out: dict[str, Any] = {
        "kind": card.kind,
        "pairs": [list(p) for p in card.pairs],
        "source_tokenizer": card.source_tokenizer,
        "target_tokenizer": card.target_tokenizer,
        "language_tokens": dict(card.language_tokens),
        "licence": card.licence,
        "attribution": card.attribution,
        "non_commercial": card.non_commercial,
    }
    if card.test_model:
        out[TEST_MODEL_KEY] = True
    if card.confidence:
        out["confidence"] = dict(card.confidence)
    return out
