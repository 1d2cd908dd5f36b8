"""Run settings, resolved once: arguments, then BILINGUAL_* variables, then the project
file (``bilingual.toml``, see :mod:`bilingual.project`), then defaults.

Nothing here reads files: :func:`resolve_settings` and :func:`resolve_workspace` read
only the environment mapping and the :class:`~bilingual.project.Project` they are given
(only the default glossary's existence is checked). ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention) fixes the run date printed in every briefing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import ConfigError
from bilingual.project import PROJECT_FILE, Project
from bilingual.routes import Pair, parse_model_choices, settle_route

MEMORY_FILE = "memory.sqlite"
"""The memory's file name in the output folder when no project names one."""

DEFAULT_SIMILAR = 75
"""Percent: a sentence this similar to a reviewed one is shown it (see memory.similar)."""

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
    """CPU cores CTranslate2 may use: ``inter_threads`` batches at a time, each on
    ``threads // inter_threads`` intra-op threads."""
    beam_size: int
    batch_size: int
    """Maximum sentences per CTranslate2 batch."""
    device: str
    """``cpu`` or ``cuda``."""
    download_timeout: float
    """Seconds without data before a download is abandoned."""
    run_date: str | None = None
    """ISO 8601 run date from ``SOURCE_DATE_EPOCH``; None: the time of the run."""
    inter_threads: int | None = None
    """Batches CTranslate2 translates at once; None: the engine picks the split of
    ``threads`` for the machine (:func:`bilingual.engine.thread_split`)."""
    route_models: tuple[tuple[str, str], ...] = ()
    """``(pair, package name)``, e.g. ``("ar-en", "translate-ar_en-1_0")``: the package a
    hop uses where several serve its pair (``--model``, ``BILINGUAL_MODEL``, the project's
    ``[route_models]``); a pair not named takes the default choice
    (:func:`bilingual.models.registry.rank_packages`)."""

    @property
    def packages_dir(self) -> Path:
        return self.home / "packages"

    def model_for(self, source: str, target: str) -> str | None:
        """The package name chosen for the pair, or None for the default choice."""
        return dict(self.route_models).get(f"{source}-{target}")


MAX_AUTO_INTER_THREADS = 4
"""Most CTranslate2 workers :func:`thread_split` picks on its own: each needs a batch of
its own (a short decode, such as the ladder's prefix repairs, leaves the rest idle) and
buffers of its own; see bench/README.md ("thread split") for the measurements."""


def thread_split(cores: int, inter: int | None = None, device: str = "cpu") -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for CTranslate2 on ``cores`` CPU cores.

    ``inter`` asked for (``BILINGUAL_INTER_THREADS``) is kept, with ``cores // inter``
    (at least 1) intra-op threads each. Otherwise, on CPU, batches in parallel beat
    threads within one batch: the largest divisor of ``cores`` up to
    :data:`MAX_AUTO_INTER_THREADS` workers, the other factor as intra-op threads, so
    every core is used. On a GPU (or ``auto``) workers would be CUDA streams, which
    rarely help: one.
    """
    cores = max(1, cores)
    if inter is None:
        top = min(cores, MAX_AUTO_INTER_THREADS) if device == "cpu" else 1
        inter = max(d for d in range(1, top + 1) if cores % d == 0)
    return inter, max(1, cores // inter)


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


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    """A whole number >= 1 from ``env``, or None when unset or empty (a default that
    depends on other settings)."""
    if not env.get(name):
        return None
    return _int(env, name, 1)


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
    project: Project | None = None,
    inter_threads: int | None = None,
    route_models: Sequence[str] | None = None,
) -> Settings:
    """Resolve settings: keyword arguments win, then ``BILINGUAL_*`` variables, then the
    project's ``models`` folder (for ``home``) and ``[route_models]``, then defaults.
    ``route_models`` holds ``PAIR=NAME`` items (``--model``); each pair is taken from the
    highest level that names it."""
    env = os.environ if env is None else env
    if home is None:
        raw_home = env.get("BILINGUAL_HOME")
        if raw_home:
            home = Path(raw_home).expanduser()
        elif project is not None and project.models is not None:
            home = project.models
        else:
            home = _default_home()
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
        inter_threads=inter_threads or _optional_int(env, "BILINGUAL_INTER_THREADS"),
        route_models=_route_models(env, project, route_models),
    )


def _route_models(
    env: Mapping[str, str], project: Project | None, given: Sequence[str] | None
) -> tuple[Pair, ...]:
    """The model choices of every level, a pair named higher up replacing one below."""
    chosen: dict[str, str] = {}
    if project is not None and project.route_models:
        items = [f"{pair}={name}" for pair, name in project.route_models]
        chosen.update(parse_model_choices(items, option=f"route_models in {PROJECT_FILE}"))
    raw = env.get("BILINGUAL_MODEL")
    if raw:
        items = [item for item in raw.split(",") if item.strip()]
        chosen.update(parse_model_choices(items, option="BILINGUAL_MODEL"))
    chosen.update(parse_model_choices(given or ()))
    return tuple(sorted(chosen.items()))


@dataclass(frozen=True)
class Workspace:
    """Where a run reads and writes: glossary, output folder, targets and memory, each
    with where the value came from (the console says which glossary is in use)."""

    project: Project | None
    glossary_dir: Path | None
    """None: no glossary."""
    glossary_from: str
    """``--glossary``, ``BILINGUAL_GLOSSARY``, the project file, ``default`` or ``none``."""
    out_dir: Path
    targets: tuple[str, ...]
    """The languages the route reaches, in hop order."""
    memory: Path | None
    """The translation memory file; None: ``--no-memory``."""
    route: tuple[Pair, ...] = (("ar", "en"),)
    """The hops, in order (see :mod:`bilingual.routes`)."""
    similar: float = DEFAULT_SIMILAR / 100
    """Similarity (0 to 1; 0: off) from which the memory's most similar reviewed sentence
    is shown where there is no exact match (``--similar``, ``BILINGUAL_SIMILAR``, the
    project's ``similar``, in percent)."""


def _pick(
    arg: str | Path | None, env: Mapping[str, str], name: str, project_value: object
) -> tuple[object, str] | None:
    if arg is not None:
        return arg, "argument"
    raw = env.get(name)
    if raw:
        return raw, name
    if project_value is not None:
        return project_value, PROJECT_FILE
    return None


def resolve_workspace(
    env: Mapping[str, str] | None = None,
    *,
    project: Project | None = None,
    cwd: Path | None = None,
    glossary: Path | None = None,
    out: Path | None = None,
    targets: str | None = None,
    memory: Path | None = None,
    use_memory: bool = True,
    route: str | None = None,
    source: str = "ar",
    similar: float | None = None,
) -> Workspace:
    """Resolve the run's folders and route: arguments, then ``BILINGUAL_GLOSSARY``,
    ``BILINGUAL_OUT``, ``BILINGUAL_TARGETS``, ``BILINGUAL_ROUTE`` and ``BILINGUAL_MEMORY``,
    then the project, then defaults (``glossary/`` when it exists, ``output/``, English,
    ``memory.sqlite`` in the output folder); ``similar`` (percent) from the argument,
    ``BILINGUAL_SIMILAR``, the project, else :data:`DEFAULT_SIMILAR`. The route and the
    targets are reconciled by :func:`bilingual.routes.settle_route`; a bad one raises
    :class:`~bilingual.errors.RouteError`."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    p = project
    picked = _pick(glossary, env, "BILINGUAL_GLOSSARY", p.glossary if p else None)
    if picked is not None:
        glossary_dir: Path | None = cwd / Path(str(picked[0])).expanduser()
        origin = {"argument": "--glossary"}.get(picked[1], picked[1])
    elif (cwd / "glossary").is_dir():
        glossary_dir, origin = cwd / "glossary", "default"
    else:
        glossary_dir, origin = None, "none"
    picked = _pick(out, env, "BILINGUAL_OUT", p.output if p else None)
    out_dir = cwd / Path(str(picked[0])).expanduser() if picked else cwd / "output"
    raw_targets = _pick(targets, env, "BILINGUAL_TARGETS", p.targets if p else None)
    raw_route = _pick(route, env, "BILINGUAL_ROUTE", p.route if p else None)
    hops = settle_route(
        source,
        (str(raw_route[0]), raw_route[1]) if raw_route else None,
        (_langs(raw_targets[0]), raw_targets[1]) if raw_targets else None,
    )
    picked = _pick(memory, env, "BILINGUAL_MEMORY", p.memory if p else None)
    memory_path = cwd / Path(str(picked[0])).expanduser() if picked else out_dir / MEMORY_FILE
    return Workspace(
        project=project,
        glossary_dir=glossary_dir,
        glossary_from=origin,
        out_dir=out_dir,
        targets=tuple(b for _, b in hops),
        memory=memory_path if use_memory else None,
        route=hops,
        similar=_similar(
            _pick(
                None if similar is None else str(similar),
                env,
                "BILINGUAL_SIMILAR",
                p.similar if p else None,
            )
        ),
    )


def resolve_desk(
    env: Mapping[str, str] | None = None, *, project: Project | None = None, desk: str | None = None
) -> str:
    """The desk's name for a digest's cover: ``--desk``, then ``BILINGUAL_DESK``, then
    ``desk`` in the project file; '' when none names it."""
    env = os.environ if env is None else env
    picked = _pick(desk, env, "BILINGUAL_DESK", project.desk if project else None)
    return str(picked[0]).strip() if picked else ""


def _similar(picked: tuple[object, str] | None) -> float:
    """The similar-sentence threshold, percent as given -> 0 to 1."""
    if picked is None:
        return DEFAULT_SIMILAR / 100
    value, origin = picked
    try:
        percent = float(str(value))
    except ValueError:
        percent = -1.0
    if not 0 <= percent <= 100:
        raise ConfigError(
            f"similar {value!r} (from {origin}) is not a percentage from 0 to 100",
            fix="give e.g. 75 (0 shows no similar sentence)",
        )
    return percent / 100


def _langs(value: object) -> str | tuple[str, ...]:
    """A target list as given: ``en,vi`` text, or the project file's list."""
    return tuple(str(v) for v in value) if isinstance(value, tuple) else str(value)
