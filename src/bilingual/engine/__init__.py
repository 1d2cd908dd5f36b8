"""Engine: translate batches of sentences with an installed package of any kind.

Uses ctranslate2 and sentencepiece directly (never argostranslate.translate), so there
is no MiniSBD download, no lost sentence boundary, no ``_`` turned into a space and no
silent 256-token cut. One module per concern, lowest first: :mod:`.decoding` (results,
options, limits), :mod:`.longtext` (clause splitting), :mod:`.adapters` (the tokens each
model kind wants: argos, Marian/OPUS-MT, M2M-100, NLLB), :mod:`.batching` (batches and
plans), :mod:`.translator` (the Translator), :mod:`.loading` (opening a package).
"""

from __future__ import annotations

from bilingual.engine.adapters import Adapter, make_adapter
from bilingual.engine.batching import Batch, Hypothesis_, Plan
from bilingual.engine.decoding import (
    DEFAULT_MAX_INPUT_TOKENS,
    DecodingOptions,
    Hypothesis,
    Translation,
    decoding_limit,
    log_prob_of,
)
from bilingual.engine.loading import (
    TEST_MODEL_KEY,
    is_test_model,
    load_translator,
    open_translator,
)
from bilingual.engine.longtext import split_long_text
from bilingual.engine.translator import SupportsScore, Translator
from bilingual.models import PackageInfo

__all__ = [
    "DEFAULT_MAX_INPUT_TOKENS",
    "TEST_MODEL_KEY",
    "Adapter",
    "Batch",
    "DecodingOptions",
    "Hypothesis",
    "Hypothesis_",
    "PackageInfo",
    "Plan",
    "SupportsScore",
    "Translation",
    "Translator",
    "decoding_limit",
    "is_test_model",
    "load_translator",
    "log_prob_of",
    "make_adapter",
    "open_translator",
    "split_long_text",
]
