"""Confidence thresholds of an installed package: derived from its own scores, kept in its card.

A model's confidence in a sentence is the mean log-probability per target token of the
text it wrote (:mod:`bilingual.confidence`). What counts as low differs from model to
model (a small model is never sure; a big one almost always is), so each package carries
its own thresholds, measured on a calibration text: the model translates every sentence,
and from the confidences of its own translations

* ``low`` is the 10th percentile: one sentence in ten of ordinary text scores below it;
* ``high`` is the median;
* ``costly_lock`` is the interquartile range (75th minus 25th percentile): a glossary lock
  that costs the model more than the usual spread between a confident and an unsure
  sentence is worth a look.

Percentiles interpolate linearly between the sorted values (numpy's default). The result
is written into the package's ``metadata.json`` (``"bilingual": {"confidence": {...}}``,
read back by :func:`bilingual.models.card.read_card`) atomically, under the packages
folder's install lock, so that no install or removal runs meanwhile and a reader sees the
old file or the new one, never half of either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual._fs import write_atomically
from bilingual.errors import ModelInstallError
from bilingual.models.locks import install_lock

METHOD = "p10-median-iqr"
"""How :func:`derive_thresholds` reads the distribution (written into the card)."""

MIN_SENTENCES = 10
"""Fewer calibration sentences than this give no usable percentiles."""


@dataclass(frozen=True)
class Thresholds:
    """Where a package's confidences count as low, and what a lock may cost."""

    low: float
    """Mean log-probability per token below which a rendering is flagged low-confidence."""
    high: float
    """At or above it a rendering is in the good band (the calibration median)."""
    costly_lock: float
    """A lock cost (free choice minus locked output, same unit) above it is flagged."""
    method: str = METHOD
    sentences: int = 0
    calibrated_on: str = ""
    """What the thresholds were measured on (a file name, or a description)."""

    def to_card(self) -> dict[str, Any]:
        """The ``confidence`` object of the card."""
        return {
            "low": self.low,
            "high": self.high,
            "costly_lock": self.costly_lock,
            "method": self.method,
            "sentences": self.sentences,
            "calibrated_on": self.calibrated_on,
        }


def thresholds_from_card(confidence: Mapping[str, Any]) -> Thresholds | None:
    """The thresholds a card's ``confidence`` object holds; None when it holds none (or
    not numbers): the package was never calibrated."""
    values = [confidence.get(k) for k in ("low", "costly_lock")]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    low, costly = float(values[0]), float(values[1])  # type: ignore[arg-type]
    high = confidence.get("high")
    sentences = confidence.get("sentences")
    return Thresholds(
        low,
        float(high) if isinstance(high, int | float) else low + costly,
        costly,
        str(confidence.get("method") or METHOD),
        sentences if isinstance(sentences, int) else 0,
        str(confidence.get("calibrated_on") or ""),
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linear between sorted neighbours."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    lo = int(at)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)


def derive_thresholds(confidences: Sequence[float], calibrated_on: str = "") -> Thresholds:
    """Thresholds from the confidences of a model's own translations (see the module)."""
    if len(confidences) < MIN_SENTENCES:
        raise ValueError(f"{len(confidences)} confidences; at least {MIN_SENTENCES} needed")
    return Thresholds(
        low=round(percentile(confidences, 10), 4),
        high=round(percentile(confidences, 50), 4),
        costly_lock=round(percentile(confidences, 75) - percentile(confidences, 25), 4),
        sentences=len(confidences),
        calibrated_on=calibrated_on,
    )


def with_thresholds(metadata: Mapping[str, Any], thresholds: Thresholds) -> dict[str, Any]:
    """``metadata`` (a parsed metadata.json) with ``thresholds`` in its card, nothing
    else changed."""
    out = dict(metadata)
    ours = out.get("bilingual")
    ours = dict(ours) if isinstance(ours, Mapping) else {}
    ours["confidence"] = thresholds.to_card()
    out["bilingual"] = ours
    return out


def write_thresholds(packages_dir: Path, package_path: Path, thresholds: Thresholds) -> None:
    """Put ``thresholds`` into the ``metadata.json`` of the package at ``package_path``
    (a folder of ``packages_dir``, or a link to one): under the install lock, through a
    temporary file renamed over the old one."""
    with install_lock(packages_dir):
        target = package_path.resolve() / "metadata.json"
        try:
            metadata = json.loads(target.read_text(encoding="utf-8"))
            if not isinstance(metadata, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise ModelInstallError(
                f"cannot read the package's metadata: {exc}",
                where=str(target),
                fix="reinstall the package",
            ) from None
        data = json.dumps(with_thresholds(metadata, thresholds), indent=2, ensure_ascii=False)

        def save(path: Path) -> None:
            path.write_text(data + "\n", encoding="utf-8")

        # the project's one atomic writer: synced, the old file's mode kept, no temporary
        # left behind whatever fails
        write_atomically([(target, save)], what="the confidence thresholds")
