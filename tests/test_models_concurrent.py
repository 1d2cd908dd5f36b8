"""Installs that run at the same time, or are killed half way, in real processes.

Installs take turns under a lock file; a reader listing packages meanwhile always sees
exactly one complete package; a killed install's staging folder is deleted by the next
install, and a live install's never is.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
import traceback
from pathlib import Path

import pytest
from test_models import leftovers, make_package, settings_for, visible

from bilingual.models import find_package, install_package_file, installed_packages

REPO = Path(__file__).resolve().parents[1]

# a child that installs ``package`` into ``home``, and stops (sleeps) while unpacking
# model.bin once it has written ``marker``; ``pause`` seconds, then goes on
_SLOW_INSTALL = textwrap.dedent(
    """
    import sys, time, zipfile
    from pathlib import Path
    from bilingual.config import resolve_settings
    from bilingual.models import install_package_file

    home, package, marker, pause = sys.argv[1], sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
    real_read = zipfile.ZipExtFile.read

    def slow_read(self, *args):
        data = real_read(self, *args)
        if self.name.endswith("model.bin") and not marker.exists():
            marker.write_text("unpacking")
            time.sleep(pause)
        return data

    zipfile.ZipExtFile.read = slow_read
    install_package_file(resolve_settings({}, home=Path(home), threads=1), Path(package))
    print("installed")
    """
)


def _start_slow_install(
    home: Path, package: Path, marker: Path, pause: float
) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_INSTALL, str(home), str(package), str(marker), str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the child never started unpacking: {child.communicate()[0]}")
        time.sleep(0.05)
    return child


def _staging(packages: Path) -> list[str]:
    return sorted(n for n in os.listdir(packages) if n.startswith(".install-"))


def test_sigkill_during_unpacking_is_cleaned_by_the_next_install(tmp_path: Path) -> None:
    home = tmp_path / "home"
    package = make_package(tmp_path, version="1.0")
    child = _start_slow_install(home, package, tmp_path / "marker", 600)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    packages = home / "packages"
    assert _staging(packages) != []  # what a killed install leaves behind
    settings = settings_for(home)
    assert installed_packages(settings) == []  # never shown as a package
    install_package_file(settings, package)
    assert visible(packages) == ["translate-ar_en-1_0"]
    assert leftovers(packages) == []


def test_a_live_install_is_waited_for_not_cleaned(tmp_path: Path) -> None:
    home = tmp_path / "home"
    package = make_package(tmp_path, version="1.0")
    child = _start_slow_install(home, package, tmp_path / "marker", 3)
    (tmp_path / "new").mkdir()
    try:
        settings = settings_for(home)
        info = install_package_file(settings, make_package(tmp_path / "new", version="1.1"))
    finally:
        output = child.communicate(timeout=120)[0]
    assert child.returncode == 0 and "installed" in output, output
    assert info.package_version == "1.1"  # it ran after the first, and replaced it
    assert [p.package_version for p in installed_packages(settings)] == ["1.1"]
    assert leftovers(home / "packages") == []


# --------------------------------------------------------------------------- 16 at once


def _installer(home: str, package: str, errors: str, start: float) -> None:
    time.sleep(max(0.0, start - time.time()))
    try:
        for _ in range(3):
            install_package_file(settings_for(Path(home)), Path(package))
    except BaseException:
        Path(errors, f"install-{os.getpid()}").write_text(traceback.format_exc())
        raise


def _reader(home: str, errors: str, stop: str) -> None:
    settings = settings_for(Path(home))
    rounds = 0
    try:
        while not Path(stop).exists() or rounds < 20:
            rounds += 1
            packages = installed_packages(settings)
            assert [p.pair for p in packages] == ["ar->en"], packages
            meta = json.loads((packages[0].path / "metadata.json").read_text())
            assert meta["from_code"] == "ar"
            info = find_package(settings, "ar", "en")
            assert (info.path / "model" / "model.bin").is_file()
    except BaseException:
        Path(errors, f"reader-{os.getpid()}").write_text(traceback.format_exc())
        raise


@pytest.mark.skipif(sys.platform != "linux", reason="forks the test process (Linux)")
def test_sixteen_concurrent_installs_and_a_reader(tmp_path: Path) -> None:
    home = tmp_path / "home"
    package = make_package(tmp_path)
    settings = settings_for(home)
    install_package_file(settings, package)  # the reader starts with one package
    errors = tmp_path / "errors"
    errors.mkdir()
    stop = tmp_path / "stop"
    ctx = multiprocessing.get_context("fork")
    reader = ctx.Process(target=_reader, args=(str(home), str(errors), str(stop)))
    reader.start()
    start = time.time() + 1.0
    installers = [
        ctx.Process(target=_installer, args=(str(home), str(package), str(errors), start))
        for _ in range(16)
    ]
    for proc in installers:
        proc.start()
    for proc in installers:
        proc.join(timeout=300)
    stop.write_text("")
    reader.join(timeout=120)
    problems = {p.name: p.read_text() for p in errors.iterdir()}
    assert problems == {}
    assert [proc.exitcode for proc in installers] == [0] * 16
    assert reader.exitcode == 0
    assert visible(home / "packages") == ["translate-ar_en-1_0"]
    assert leftovers(home / "packages") == []
    assert [p.pair for p in installed_packages(settings)] == ["ar->en"]
