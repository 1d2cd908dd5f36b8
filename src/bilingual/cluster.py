"""Cluster: the model's decoding on a Ray cluster; everything else stays on this machine.

``bilingual translate --ray auto`` (or ``--ray ADDRESS``) swaps each hop's translator for a
:class:`RayTranslator`. The driver (this process) keeps the memory, the glossary, the
locking ladder, the DOCX and the JSON; it plans each decode exactly as the local engine
would (:meth:`bilingual.engine.Translator.plan`: pieces, length-sorted batches, options)
and sends each model batch to one of the run's actors (:class:`_Worker`), each holding
the loaded translators; the results come back by batch number, so the output is the
local run's to the byte, whichever actor decoded what. Workers only decode: no worker
ever writes a user file.

The pool (:class:`_Pool`) is started once per run, when the first hop is opened, and
serves every decode of every hop (each hop's first decode and the ladder's prefix
repairs); the actors load each hop's model as it is opened, while the driver still reads
and looks up the articles. Not Ray Data's ``map_batches``: it starts a new actor pool
for every dataset, so a run paid the actors' start and model load for each of its 2 to
4 decodes (5-13 s here, first result after 9-10 s), and its streaming executor kept a
driver thread polling (1.1-1.4 s of the driver's CPU per 240 sentences, on a 2-core
machine the actors' time); docs/cluster.md has the measurements. The actors are
anonymous and owned by the driver (not named or detached): they stop with the run, and
two runs on one cluster never share or steal each other's pool.

The model reaches the workers by path: the installed package's folder, which every node
must be able to read at the same path (a shared ``BILINGUAL_HOME``, or the same package
installed on every node). Not through the object store: a model is hundreds of MB that
CTranslate2 loads from a folder; the store would copy it into every node's shared memory
on every run, on top of the copy each actor loads.

Faults: Ray restarts a killed actor (up to 4 times; the new one loads the model on its
first batch) and runs the batch it held again (up to 4 times: a batch that kills every
actor it meets fails the run with Ray's error instead of looping); a batch is
only counted once its result is back, so nothing is lost or doubled. A cluster that
cannot be reached fails in :func:`ray_opener`, before any translation. Ray is imported
only here, and only when ``--ray`` is asked for.
"""

from __future__ import annotations

import importlib
import os
import re
import socket
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from bilingual.config import Settings
from bilingual.enforce import SupportsTranslate
from bilingual.engine import (
    Batch,
    Hypothesis_,
    SupportsScore,
    Translation,
    Translator,
    load_translator,
)
from bilingual.engine import open_translator as open_local
from bilingual.errors import BilingualError, ClusterError, ConfigError
from bilingual.models import PackageInfo

Direction = tuple[str, str]
"""``(source, target)`` codes a translator is opened for."""

__all__ = [
    "RAY_INSTALL",
    "Opened",
    "Opener",
    "RayEngine",
    "RayOptions",
    "RayTranslator",
    "ray_opener",
    "ray_options",
]

RAY_INSTALL = "pip install 'bilingual[ray]'"
AUTO = "auto"
"""``--ray auto``: join the Ray this machine knows of (``RAY_ADDRESS``, or one started
with ``ray start``), else start a local one for the run."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a cluster's port before saying it cannot be reached."""


class Opened(SupportsTranslate, SupportsScore, Protocol):
    """A translator as the pipeline opens it: local (:class:`~bilingual.engine.Translator`)
    or remote (:class:`RayTranslator`); both also score given translations."""

    info: PackageInfo
    test_model: bool


Opener = Callable[[Settings, str, str], Opened]
"""Opens the translator of one language pair (see :func:`bilingual.engine.open_translator`)."""


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide to run: ``--ray``, ``--ray-actors``, ``--ray-threads``."""

    address: str = AUTO
    actors: int | None = None
    """Translators in the pool; None: one per ``threads`` CPUs of the cluster (one per
    GPU with ``device=cuda``)."""
    threads: int = 1
    """CPU threads of each actor's translator (the CPUs Ray reserves for it)."""
    drill: Path | None = None
    """Fault drills: each actor writes a file named after its process id into this folder
    before each batch, and waits while a file ``hold`` is there, so a drill (or a test)
    can kill an actor that holds a batch (``BILINGUAL_RAY_DRILL``)."""


def ray_options(
    address: str | None = None,
    actors: int | None = None,
    threads: int | None = None,
    env: Mapping[str, str] | None = None,
    project: str | None = None,
) -> RayOptions | None:
    """Arguments, then ``BILINGUAL_RAY``, ``BILINGUAL_RAY_ACTORS``,
    ``BILINGUAL_RAY_THREADS``, ``BILINGUAL_RAY_DRILL``, then the project's ``ray``;
    None: no Ray (the local engine)."""
    env = os.environ if env is None else env
    address = (address or env.get("BILINGUAL_RAY") or project or "").strip()
    if not address:
        return None
    drill = env.get("BILINGUAL_RAY_DRILL")
    return RayOptions(
        address=address,
        actors=actors or _count(env, "BILINGUAL_RAY_ACTORS"),
        threads=threads or _count(env, "BILINGUAL_RAY_THREADS") or 1,
        drill=Path(drill) if drill else None,
    )


def _count(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number of at least 1", fix=f"unset {name}"
        )
    return int(raw)


# --------------------------------------------------------------------------- connecting


def import_ray() -> ModuleType:
    """The ``ray`` module, or ClusterError with the install command."""
    try:
        ray = importlib.import_module("ray")
    except ImportError as exc:
        raise ClusterError(
            f"--ray needs Ray, which is not installed here ({exc})",
            fix=f"install it with `{RAY_INSTALL}`, or run without --ray",
        ) from None
    return ray


def _host_port(address: str) -> tuple[str, int]:
    """``host`` and ``port`` of ``ray://host:port`` or ``host:port``."""
    bare = address.removeprefix("ray://").rstrip("/")
    host, _, port = bare.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(
            f"{address!r} is not a Ray address",
            fix="give --ray HOST:6379 (the head's GCS port), ray://HOST:10001, or --ray auto",
        )
    return host.strip("[]"), int(port)


def _probe(address: str) -> None:
    """Fail at once, naming the address, when nothing listens there (ray.init would
    retry for a minute and then fail with a message that does not say what to do)."""
    host, port = _host_port(address)
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise ClusterError(
            f"cannot reach the Ray cluster at {address} ({exc.strerror or exc})",
            where=address,
            fix="start it (`ray start --head` on the head node), check the host and port "
            "(6379 for HOST:PORT, 10001 for ray://), or use --ray auto for a Ray on this "
            "machine",
        ) from None


def connect(options: RayOptions) -> ModuleType:
    """Join (or, for ``auto`` with none running, start) the cluster; quiet on the console."""
    ray = import_ray()
    address = None if options.address == AUTO else options.address
    if address is not None:
        _probe(address)
    if ray.is_initialized():  # a caller (a notebook, a test) joined a cluster already
        return ray
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level="ERROR",
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(
            f"cannot join the Ray cluster at {options.address}: {_first_line(exc)}",
            where=options.address,
            fix="check that the cluster runs the same Ray and Python versions as this "
            "machine, or use --ray auto",
        ) from None
    return ray


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _first_line(exc: BaseException) -> str:
    """What went wrong, in one line: a worker's own error (a bilingual error raised on the
    worker, such as a model it cannot read) when Ray's report holds one, else its first
    line, without Ray's terminal colours."""
    text = _ANSI.sub("", str(exc)).strip()
    ours = re.findall(r"^bilingual\.errors\.\w+: (.+)$", text, flags=re.MULTILINE)
    if ours:
        return str(ours[-1])
    return text.splitlines()[0] if text else type(exc).__name__


def _pool_size(ray: ModuleType, options: RayOptions, device: str) -> int:
    if options.actors:
        return options.actors
    resources = ray.cluster_resources()
    if device == "cuda":
        return max(1, int(resources.get("GPU", 0)))
    return max(1, int(resources.get("CPU", 1) // options.threads))


# --------------------------------------------------------------------------- the pool


class _Worker:
    """One Ray actor, alive for the whole run: the translators it decodes with, each
    loaded on first use (or when a hop is opened, :meth:`load`) and kept for every later
    decode, of either hop."""

    def __init__(self, drill: str | None) -> None:
        self.drill = Path(drill) if drill else None
        self.loaded: dict[tuple[str, str, int, Direction], Translator] = {}

    def _translator(
        self, settings: Settings, info: PackageInfo, direction: Direction
    ) -> Translator:
        # a multilingual package is loaded once per direction: its adapter strips that
        # direction's language tokens from the output
        key = (str(info.path), settings.device, settings.threads, direction)
        if key not in self.loaded:
            source, target = direction
            self.loaded[key] = load_translator(settings, info, source=source, target=target)
        return self.loaded[key]

    def load(self, settings: Settings, info: PackageInfo, direction: Direction) -> str:
        """Load ahead of the first batch (while the driver reads the articles); what went
        wrong, or "" (a failure is raised again, and reported, by the first :meth:`decode`)."""
        try:
            self._translator(settings, info, direction)
        except BilingualError as exc:
            return exc.message
        return ""

    def decode(
        self,
        settings: Settings,
        info: PackageInfo,
        direction: Direction,
        source: list[list[str]],
        options: dict[str, Any],
    ) -> list[list[Hypothesis_]]:
        if self.drill is not None:
            _drill(self.drill)
        return self._translator(settings, info, direction).run_batch(Batch((), source, options))

    def score(
        self,
        settings: Settings,
        info: PackageInfo,
        direction: Direction,
        sources: list[str],
        targets: list[str],
    ) -> list[tuple[float, int]]:
        return self._translator(settings, info, direction).score(sources, targets)


def _drill(folder: Path) -> None:
    (folder / str(os.getpid())).touch()
    while (folder / "hold").exists():
        time.sleep(0.05)


_RETRIES = 4
"""Restarts of each actor, and retries of each batch, before the run fails."""


class _Pool:
    """The run's actors: started once, at the first hop's opening, and used by every
    decode of every hop (not one Ray Data pool per decode: see the module docstring)."""

    def __init__(self, ray: ModuleType, size: int, options: RayOptions, gpu: bool) -> None:
        self.ray = ray
        actor = ray.remote(_Worker).options(
            num_cpus=options.threads,
            num_gpus=1 if gpu else 0,
            # a killed actor comes back and runs the batch it held again; bounded, so a
            # batch that kills every actor it meets (out of memory) fails the run with the
            # error instead of retrying for ever
            max_restarts=_RETRIES,
            max_task_retries=_RETRIES,
        )
        drill = str(options.drill) if options.drill else None
        self.actors = [actor.remote(drill) for _ in range(size)]

    def load(self, settings: Settings, info: PackageInfo, direction: Direction) -> None:
        for actor in self.actors:
            actor.load.remote(settings, info, direction)  # an actor runs its calls in order

    def decode(
        self, settings: Settings, info: PackageInfo, direction: Direction, batches: Sequence[Batch]
    ) -> Iterator[tuple[int, list[Any]]]:
        """``(batch number, hypotheses per input)`` as the actors finish them. Each actor
        holds one batch at a time and gets the next as it returns one (as CTranslate2's
        own workers take them from a queue), so no actor idles while another has a
        queue of long batches at the end."""
        todo = deque(range(len(batches)))
        idle = list(self.actors)
        running: dict[Any, tuple[int, Any]] = {}
        while todo or running:
            while idle and todo:
                actor, i = idle.pop(), todo.popleft()
                batch = batches[i]
                ref = actor.decode.remote(settings, info, direction, batch.source, batch.options)
                running[ref] = (i, actor)
            ready, _ = self.ray.wait(list(running), num_returns=1)
            i, actor = running.pop(ready[0])
            idle.append(actor)
            yield i, self.ray.get(ready[0])

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        self.actors = []


@dataclass(frozen=True)
class RayEngine:
    """The run's :data:`Opener` on a joined cluster: every hop's translator shares one
    pool of actors, started when the first hop is opened."""

    options: RayOptions
    actors: int
    """Actors in the pool (``--ray-actors``, or as many as the cluster holds)."""
    pools: dict[str, _Pool] = field(default_factory=dict, compare=False, repr=False)
    """The pool, by device (a run has one)."""

    def __call__(self, settings: Settings, from_code: str, to_code: str) -> Opened:
        # the driver's copy only plans (tokenizes, splits, batches): one thread, CPU
        planner = open_local(replace(settings, threads=1, device="cpu"), from_code, to_code)
        # an actor decodes one batch at a time: its threads all work on that batch (the
        # pool's parallelism is its actors)
        worker = replace(settings, threads=self.options.threads, inter_threads=1)
        pool = self.pool(worker.device)
        # the actors load it while the driver reads on
        pool.load(worker, planner.info, planner.direction)
        return RayTranslator(planner, worker, pool, self.options.address)

    def pool(self, device: str) -> _Pool:
        """The run's actors (started on first use)."""
        if device not in self.pools:
            self.pools[device] = _Pool(import_ray(), self.actors, self.options, device == "cuda")
        return self.pools[device]

    def close(self) -> None:
        """Stop the actors now (else they stop when this process lets go of the engine,
        or exits)."""
        for pool in self.pools.values():
            pool.close()
        self.pools.clear()


def ray_opener(options: RayOptions, device: str = "cpu") -> RayEngine:
    """Join the cluster now (before any translation) and return the run's opener."""
    ray = connect(options)
    return RayEngine(options, _pool_size(ray, options, device))


class RayTranslator:
    """A translator whose batches are decoded by the run's pool of Ray actors (same
    interface and same output as :class:`~bilingual.engine.Translator`)."""

    def __init__(self, planner: Translator, settings: Settings, pool: _Pool, address: str) -> None:
        self.planner = planner
        self.info = planner.info
        self.direction = planner.direction
        self.test_model = planner.test_model
        self.settings = settings
        """The workers' settings (their threads)."""
        self.pool = pool
        self.address = address

    def translate(
        self,
        sentences: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        beam_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        avoid: Sequence[Sequence[str]] | None = None,
    ) -> list[Translation]:
        plan = self.planner.plan(
            sentences,
            num_hypotheses=num_hypotheses,
            target_prefixes=target_prefixes,
            beam_size=beam_size,
            avoid=avoid,
        )
        outputs: list[list[Hypothesis_]] = [[] for _ in plan.units]
        done = plan.counter()
        for index, hyps in self._decode(plan.batches):
            batch = plan.batches[index]
            for u, unit_hyps in zip(batch.units, hyps, strict=True):
                outputs[u] = [Hypothesis_(*h) for h in unit_hyps]
            if progress is not None:
                progress(done(batch))
        if progress is not None and not plan.batches:
            progress(plan.empty)
        return plan.finish(outputs)

    def _decode(self, batches: Sequence[Batch]) -> Iterator[tuple[int, list[Any]]]:
        """``(batch number, hypotheses per input)`` as the actors finish them."""
        try:
            yield from self.pool.decode(self.settings, self.info, self.direction, batches)
        except self.pool.ray.exceptions.RayError as exc:
            raise self._failed(exc) from None

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[tuple[float, int]]:
        """As :meth:`bilingual.engine.Translator.score`, on one of the pool's actors (one
        call: scoring is a fraction of a decode's work)."""
        actor = self.pool.actors[0]
        ref = actor.score.remote(
            self.settings, self.info, self.direction, list(sources), list(targets)
        )
        try:
            scored: list[tuple[float, int]] = self.pool.ray.get(ref)
        except self.pool.ray.exceptions.RayError as exc:
            raise self._failed(exc) from None
        return [(float(lp), int(n)) for lp, n in scored]

    def _failed(self, exc: BaseException) -> ClusterError:
        return ClusterError(
            f"the Ray workers failed: {_first_line(exc)}",
            where=self.address,
            fix=f"every node must read the model at {self.info.path} (a shared "
            "BILINGUAL_HOME, or the same package installed on each node) and have "
            "bilingual installed; see docs/cluster.md",
        )
