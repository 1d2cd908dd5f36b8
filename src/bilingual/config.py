"""Run settings, resolved once: explicit arguments, then BILINGUAL_* variables, then defaults.

Nothing here touches the file system; :func:`resolve_settings` only reads the
environment mapping it is given. ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention) fixes the run date printed in every briefing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import ConfigError

DEFAULT_MODEL_INDEX = (
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about its environment."""

    home: Path
    """Root of bilingual's data; installed argos packages live in ``home / "packages"``."""
    model_index: str
    """URL of the argos package index (JSON list of package metadata)."""
    threads: int
    """CPU threads for CTranslate2 (intra-op)."""
    beam_size: int
    batch_size: int
    """Maximum sentences per CTranslate2 batch."""
    device: str
    """``cpu`` or ``cuda``."""
    download_timeout: float
    """Seconds without data before a download is abandoned."""
    run_date: str | None = None
    """ISO 8601 run date from ``SOURCE_DATE_EPOCH``; None: the time of the run."""

    @property
    def packages_dir(self) -> Path:
        return self.home / "packages"


def _default_home() -> Path:
    import platformdirs  # imported lazily: only a default needs it

    return Path(platformdirs.user_data_dir("bilingual", appauthor=False))


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number", fix=f"set {name} to an integer >= {minimum}"
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is below {minimum}", fix=f"set {name} >= {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a number", fix=f"set {name} to seconds, e.g. 30"
        ) from None
    if value <= 0:
        raise ConfigError(f"{name}={value} must be positive", fix=f"set {name} to seconds, e.g. 30")
    return value


def _source_date(env: Mapping[str, str]) -> str | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) as an ISO 8601 date-time."""
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(raw), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970",
            fix="set SOURCE_DATE_EPOCH to a whole number, e.g. $(date +%s), or unset it",
        ) from None
    return moment.isoformat()


def resolve_settings(
    env: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    model_index: str | None = None,
    threads: int | None = None,
    beam_size: int | None = None,
    batch_size: int | None = None,
    device: str | None = None,
    download_timeout: float | None = None,
) -> Settings:
    """Resolve settings: keyword arguments win, then ``BILINGUAL_*`` variables, then defaults."""
    env = os.environ if env is None else env
    if home is None:
        raw_home = env.get("BILINGUAL_HOME")
        home = Path(raw_home).expanduser() if raw_home else _default_home()
    if device is None:
        device = env.get("BILINGUAL_DEVICE") or "cpu"
    if device not in ("cpu", "cuda", "auto"):
        raise ConfigError(
            f"device {device!r} is not one of cpu, cuda, auto", fix="set BILINGUAL_DEVICE=cpu"
        )
    return Settings(
        home=home,
        model_index=model_index or env.get("BILINGUAL_MODEL_INDEX") or DEFAULT_MODEL_INDEX,
        threads=threads or _int(env, "BILINGUAL_THREADS", os.cpu_count() or 1),
        beam_size=beam_size or _int(env, "BILINGUAL_BEAM_SIZE", 4),
        batch_size=batch_size or _int(env, "BILINGUAL_BATCH_SIZE", 32),
        device=device,
        download_timeout=download_timeout or _float(env, "BILINGUAL_DOWNLOAD_TIMEOUT", 30.0),
        run_date=_source_date(env),
    )
