"""Calibrate: measure an installed model's confidence on a text and keep its thresholds.

``bilingual models calibrate NAME FILE`` comes here. FILE is plain text in the package's
source language: one sentence per line, or an article (each line is cut into sentences
by the segmenter). The model translates every sentence as a run would (same beam); the
confidence of each of its own translations (:mod:`bilingual.confidence`) makes the
distribution from which :func:`bilingual.models.calibrate.derive_thresholds` reads the
thresholds, which go into the package's ``metadata.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bilingual._text import model_digits
from bilingual.confidence import decoded, score_texts
from bilingual.config import Settings
from bilingual.engine import load_translator
from bilingual.errors import InputError, ModelNotInstalledError
from bilingual.models import PackageInfo, installed_packages, package_reading
from bilingual.models.calibrate import (
    MIN_SENTENCES,
    Thresholds,
    derive_thresholds,
    write_thresholds,
)
from bilingual.segment import split_sentences

MAX_SENTENCES = 2000
"""A longer calibration text is cut here: the percentiles are stable long before."""


def calibration_sentences(text: str, limit: int = MAX_SENTENCES) -> list[str]:
    """The distinct sentences of ``text``, in order: each non-blank line cut by the
    segmenter (a sentence per line stays one)."""
    out: dict[str, None] = {}
    for line in text.splitlines():
        for start, end in split_sentences(line.strip()):
            sentence = line.strip()[start:end].strip()
            if sentence and re.search(r"\w", sentence):
                out.setdefault(sentence, None)
    return list(out)[:limit]


def own_confidences(translator: Any, sentences: Sequence[str]) -> list[float]:
    """The confidence of the model's own translation of each sentence (those it could
    not score are left out)."""
    inputs = [model_digits(s) for s in sentences]
    translations = translator.translate(inputs)
    values = [decoded(t) for t in translations]
    todo = [i for i, v in enumerate(values) if v is None]
    scored = score_texts(
        translator, [inputs[i] for i in todo], [translations[i].text for i in todo]
    )
    for i, value in zip(todo, scored, strict=True):
        values[i] = value
    return [v for v in values if v is not None]


def find_installed(settings: Settings, name_or_pair: str) -> PackageInfo:
    """The installed package called ``name_or_pair`` (``translate-ar_en-1_0``), or the
    one serving that pair (``ar-en``)."""
    installed = installed_packages(settings)
    chosen = [p for p in installed if p.name == name_or_pair]
    match = re.fullmatch(r"\s*([A-Za-z]+)\s*(?:->|-|_|\s)\s*([A-Za-z]+)\s*", name_or_pair)
    if not chosen and match:
        chosen = [p for p in installed if p.serves(match.group(1), match.group(2))]
    if not chosen:
        listed = ", ".join(f"{p.name} ({p.pair})" for p in installed) or "none"
        raise ModelNotInstalledError(
            f"no installed package matches {name_or_pair!r}",
            where=str(settings.packages_dir),
            fix=f"give a name or a pair from `bilingual models list` (installed: {listed})",
        )
    return chosen[0]


def calibrate_package(
    settings: Settings, name_or_pair: str, text_file: Path
) -> tuple[PackageInfo, Thresholds]:
    """Measure the package's confidences on ``text_file`` and write its thresholds."""
    try:
        text = text_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the calibration text: {exc}",
            where=str(text_file),
            fix="give a UTF-8 text file in the model's source language, a sentence per line",
        ) from None
    sentences = calibration_sentences(text)
    with package_reading(settings):
        info = find_installed(settings, name_or_pair)
        translator = load_translator(settings, info)
    confidences = own_confidences(translator, sentences)
    if len(confidences) < MIN_SENTENCES:
        raise InputError(
            f"{len(confidences)} sentences could be measured; {MIN_SENTENCES} are needed",
            where=str(text_file),
            fix="give a longer text (a few hundred sentences make stable thresholds)",
        )
    thresholds = derive_thresholds(confidences, calibrated_on=text_file.name)
    write_thresholds(settings.packages_dir, info.path, thresholds)
    return info, thresholds
