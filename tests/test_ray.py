"""The Ray backend (bilingual.cluster): the same briefings from a pool of Ray actors.

The cluster tests start a local Ray with 2 CPUs and no dashboard, once for the module.
Without Ray installed they are skipped, except on CI (``CI=true``), where that is a
failure: ``.ci/run`` installs ``.[test,ray]``. The tests of what happens without Ray,
or without a cluster, need no cluster.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings, resolve_settings
from bilingual.pipeline import RunOptions, RunReport, translate_articles

INPUT = REPO / "input"
GLOSSARY = REPO / "glossary"
EPOCH = "1795422600"  # 2026-11-23T08:30:00+00:00: the run date of every briefing here
runner = CliRunner()


def _need_ray() -> None:
    if importlib.util.find_spec("ray") is not None:
        return
    reason = "Ray is not installed (pip install -e '.[test,ray]')"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the Ray tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """A local Ray of 2 CPUs, no dashboard, for the whole module."""
    _need_ray()
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield
    ray.shutdown()


def _settings(home: Path, batch_size: int = 32) -> Settings:
    return resolve_settings(
        {"SOURCE_DATE_EPOCH": EPOCH}, home=home, threads=1, batch_size=batch_size
    )


def _run(
    settings: Settings, out: Path, engine: object = None, paths: tuple[Path, ...] = (INPUT,)
) -> RunReport:
    options = RunOptions(
        paths=paths,
        targets=("en", "vi"),
        glossary_dir=GLOSSARY,
        out_dir=out,
        engine=engine,  # type: ignore[arg-type]
    )
    report = translate_articles(options, settings)
    assert not report.failed, [a.error for a in report.failed]
    return report


def _jsons(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- without Ray, without a cluster ------------------------------------------------------


def test_the_core_install_does_not_pull_ray() -> None:
    """Ray is an extra: not in the dependencies, and not imported by a plain run."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("ray")]
    assert any(d.startswith("ray>=") for d in project["optional-dependencies"]["ray"])
    code = (
        "import sys, bilingual.cli, bilingual.pipeline, bilingual.cluster, bilingual.cli.translate;"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_ray_missing_exits_1_with_the_install_command(
    models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails, as uninstalled
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    env = {"BILINGUAL_HOME": str(models_home), "COLUMNS": "200"}
    for args, extra in ((["--ray", "auto"], {}), ([], {"BILINGUAL_RAY": "auto"})):
        result = runner.invoke(
            app, ["translate", str(INPUT), "--out", str(out), "-q", *args], env={**env, **extra}
        )
        assert result.exit_code == 1, result.output
        assert "pip install 'bilingual[ray]'" in result.output
        assert "Traceback" not in result.output
        assert not list(out.glob("*.json")) if out.exists() else True


@pytest.mark.parametrize(
    "address", ["127.0.0.1:{port}", "ray://127.0.0.1:{port}", "localhost:{port}"]
)
def test_an_unreachable_cluster_fails_before_translation(
    address: str, models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing listens there: exit 1 at once, with the address and how to fix it, and no
    briefing written (a Ray already joined by this process makes no difference)."""
    _need_ray()
    address = address.format(port=_free_port())
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    env = {"BILINGUAL_HOME": str(models_home), "COLUMNS": "300"}
    start = time.monotonic()
    result = runner.invoke(
        app, ["translate", str(INPUT), "--out", str(out), "-q", "--ray", address], env=env
    )
    assert result.exit_code == 1, result.output
    assert f"cannot reach the Ray cluster at {address}" in result.output
    assert "ray start --head" in result.output
    assert "Traceback" not in result.output
    assert time.monotonic() - start < 30
    assert not (out.exists() and list(out.iterdir()))


@pytest.mark.parametrize("address", ["nohost", "host:port", "ray://"])
def test_a_malformed_address_is_named(
    address: str, models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_ray()
    monkeypatch.chdir(tmp_path)
    env = {"BILINGUAL_HOME": str(models_home), "COLUMNS": "300"}
    result = runner.invoke(app, ["translate", str(INPUT), "-q", "--ray", address], env=env)
    assert result.exit_code == 1, result.output
    assert f"{address!r} is not a Ray address" in result.output
    assert "Traceback" not in result.output


def test_ray_settings_come_from_arguments_then_environment_then_project() -> None:
    from bilingual.cluster import RayOptions, ray_options
    from bilingual.errors import ConfigError

    assert ray_options(env={}) is None
    assert ray_options(env={}, project="auto") == RayOptions("auto")
    env = {"BILINGUAL_RAY": "head:6379", "BILINGUAL_RAY_ACTORS": "4"}
    assert ray_options(env=env, project="auto") == RayOptions("head:6379", actors=4)
    assert ray_options("auto", 2, 3, env=env) == RayOptions("auto", actors=2, threads=3)
    with pytest.raises(ConfigError, match="BILINGUAL_RAY_THREADS"):
        ray_options(env={"BILINGUAL_RAY": "auto", "BILINGUAL_RAY_THREADS": "0"})


def test_the_project_file_names_a_ray_address(tmp_path: Path) -> None:
    from bilingual.errors import ConfigError
    from bilingual.project import read_project

    file = tmp_path / "bilingual.toml"
    file.write_text('ray = "head:6379"\n', encoding="utf-8")
    assert read_project(file).ray == "head:6379"
    file.write_text("ray = 6379\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ray must be an address"):
        read_project(file)


# -- on a local cluster ------------------------------------------------------------------


@pytest.fixture
def engines(ray_cluster: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every Ray engine a test opens (through ``ray_opener``, the CLI's too), closed at the
    end even when the test fails: a failed test's frames (kept for its report) would
    otherwise keep its actors, and their CPUs, from the next test."""
    from bilingual import cluster

    opened: list[Any] = []
    real = cluster.ray_opener

    def recording(*args: Any, **kwargs: Any) -> Any:
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(cluster, "ray_opener", recording)
    yield opened
    for engine in opened:
        engine.close()


@pytest.mark.slow
def test_samples_through_ray_give_the_local_json_byte_for_byte(
    engines: list[Any], models_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bilingual translate input/ --to en,vi --ray auto`` (2 actors of 1 thread, the
    test's Ray joined) writes the JSON a local run writes; the ladder's repair decodes go
    through the pool too (the same model calls, input for input)."""
    monkeypatch.chdir(REPO)  # the JSON records the input path as given: input/NAME.txt
    local = _run(_settings(models_home), tmp_path / "local", paths=(Path("input"),))
    out = tmp_path / "ray"
    env = {"BILINGUAL_HOME": str(models_home), "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "200"}
    env["BILINGUAL_THREADS"] = "1"
    args = ["translate", "input", "--to", "en,vi", "--glossary", str(GLOSSARY)]
    args += ["--out", str(out), "--no-memory", "-q", "--ray", "auto", "--ray-actors", "2"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "ray auto: 2 translator(s) x 1 thread(s)" in result.output
    assert _jsons(out) == _jsons(tmp_path / "local")
    # a briefing per article (and the run's own files, such as consistency.json)
    assert {p.stem for p in INPUT.glob("*.txt")} <= {Path(n).stem for n in _jsons(out)}
    assert f"in {local.model_calls} call(s)" in result.output
    assert local.model_calls > 2, "the samples need a repair decode beyond each hop's first"


@pytest.mark.slow
def test_a_killed_actor_is_restarted_and_the_run_completes_identically(
    engines: list[Any], models_home: Path, tmp_path: Path
) -> None:
    """An actor holds a batch (the drill folder's ``hold``) and is killed (SIGKILL); Ray
    starts another, which decodes the lost batch again: the same JSON as a local run."""
    from bilingual import cluster
    from bilingual.cluster import RayOptions

    settings = _settings(models_home, batch_size=2)  # many batches: some are still to run
    _run(settings, tmp_path / "local")
    drill = tmp_path / "drill"
    drill.mkdir()
    (drill / "hold").touch()
    engine = cluster.ray_opener(RayOptions(actors=2, threads=1, drill=drill))
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["report"] = _run(settings, tmp_path / "ray", engine)
        except BaseException as exc:  # shown by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180
    # the run's first decode may be a single batch (so one actor): kill the first actor
    # that holds one
    while not (pids := [int(p.name) for p in drill.iterdir() if p.name.isdigit()]):
        assert time.monotonic() < deadline, "no actor ever took a batch"
        assert thread.is_alive(), outcome
        time.sleep(0.05)
    victim = pids[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.5)  # let Ray see the death before the other actor goes on
    (drill / "hold").unlink()
    thread.join(300)
    assert not thread.is_alive(), "the run did not finish"
    assert "error" not in outcome, outcome
    assert _jsons(tmp_path / "ray") == _jsons(tmp_path / "local")
    with pytest.raises(ProcessLookupError):  # it was killed, and its batch run again
        os.kill(victim, 0)
    report = outcome["report"]
    assert isinstance(report, RunReport) and not report.failed
    assert json.loads(next(iter(_jsons(tmp_path / "ray").values())))["run_date"].startswith(
        "2026-11-23"
    )
    engine.close()


@pytest.mark.slow
def test_one_pool_of_actors_serves_every_decode_of_a_run(
    engines: list[Any], models_home: Path, tmp_path: Path
) -> None:
    """Both hops and their repair decodes run on the same 2 actors, started once (a pool
    per decode paid the actors' start and model load each time); close() stops them."""
    from bilingual import cluster
    from bilingual.cluster import RayOptions

    drill = tmp_path / "drill"  # no hold: each actor only leaves its process id there
    drill.mkdir()
    engine = cluster.ray_opener(RayOptions(actors=2, threads=1, drill=drill))
    report = _run(_settings(models_home, batch_size=2), tmp_path / "ray", engine)
    assert report.model_calls > 2  # two hops, and a repair decode beyond them
    pids = [int(p.name) for p in drill.iterdir()]
    assert len(pids) == 2, pids
    engine.close()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, "close() left actors running"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_worker_that_cannot_read_the_model_fails_the_run_with_the_path(
    ray_cluster: None, models_home: Path, tmp_path: Path
) -> None:
    """The package path is not shared with the workers (here: it does not exist for
    them): a ClusterError naming the path and what every node needs, no retry loop, and
    no briefing written."""
    from dataclasses import replace

    from bilingual.cluster import RayEngine, RayOptions
    from bilingual.errors import ClusterError

    engine = RayEngine(RayOptions(actors=2), 2)

    def unshared(settings: Settings, from_code: str, to_code: str):  # type: ignore[no-untyped-def]
        translator = engine(settings, from_code, to_code)
        translator.info = replace(translator.info, path=tmp_path / "elsewhere")
        return translator

    with pytest.raises(ClusterError) as caught:
        _run(_settings(models_home), tmp_path / "out", unshared)
    engine.close()
    message = caught.value.message
    assert "cannot load the ar->en model" in message
    assert f"every node must read the model at {tmp_path / 'elsewhere'}" in message
    assert "\x1b[" not in message
    assert not list((tmp_path / "out").glob("*.json"))


def test_scores_through_ray_are_the_local_scores(
    engines: list[Any], models_home: Path, tmp_path: Path
) -> None:
    """``score`` (the confidence measure's) runs on an actor and gives the local values."""
    from bilingual import cluster
    from bilingual.cluster import RayOptions
    from bilingual.engine import open_translator

    rows = (REPO / "tests/models/cases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    pairs = [row.split("\t")[1:] for row in rows if row.startswith("ar-en\t")][:4]
    sources, targets = [s for s, _ in pairs], [t for _, t in pairs]
    settings = _settings(models_home)
    remote = cluster.ray_opener(RayOptions(actors=1, threads=1))(settings, "ar", "en")
    expected = open_translator(settings, "ar", "en").score(sources, targets)
    assert remote.score(sources, targets) == expected
    assert all(lp < 0 and n > 0 for lp, n in expected)
