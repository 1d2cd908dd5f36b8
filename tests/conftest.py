"""Shared fixtures: the repo's test models installed once per session, ../shared paths, and
a guard that cuts the network for the test files that ask for it."""

from __future__ import annotations

import importlib.util
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# Golden files compare model output byte for byte, and CTranslate2 picks its int8 matrix
# backend by CPU vendor (Intel MKL on Intel, oneDNN on AMD), whose roundings differ and
# change a test model's output. The goldens were written with MKL, which runs on both:
# fix it before ctranslate2 is first imported, for this process and every CLI it starts.
os.environ.setdefault("CT2_USE_MKL", "1")

from bilingual.config import Settings, resolve_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_MODELS = REPO / "tests" / "models"
AR_EN = TEST_MODELS / "translate-ar_en-test.argosmodel"
EN_VI = TEST_MODELS / "translate-en_vi-test.argosmodel"
# CTranslate2 dirs laid out as ct2-transformers-converter leaves them (train_kind_models.py)
M2M100_DIR = TEST_MODELS / "m2m100-test-ct2"
NLLB_DIR = TEST_MODELS / "nllb-test-ct2"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is absent: the seed articles live in ../shared beside the repo")
    return seeds


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: evaluation data lives in ../shared beside the repo")
    return data


def kind_models_tool() -> ModuleType:
    """``tools/build_kind_models.py`` as a module (tools/ is not a package)."""
    path = REPO / "tools" / "build_kind_models.py"
    spec = importlib.util.spec_from_file_location("build_kind_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def opus_mt_releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """OPUS-MT release zips (synthetic test models) built from the committed argos test
    packages in about a second: ``{"ara-eng": zip, "eng-vie": zip, "eng-vie+multi": zip}``,
    each ``<tmp>/<name>/opus-2026-12-07.zip``; the multi-target one needs ``>>vie<<`` first."""
    out = tmp_path_factory.mktemp("opus-mt")
    return kind_models_tool().build_opus_releases(out, TEST_MODELS)


@pytest.fixture(scope="session")
def models_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A BILINGUAL_HOME with both committed test models installed (read-only for tests)."""
    from bilingual.models import install_package_file

    home = tmp_path_factory.mktemp("home")
    settings = resolve_settings({}, home=home, threads=2)
    for package in (AR_EN, EN_VI):
        install_package_file(settings, package)
    yield home


@pytest.fixture()
def model_settings(models_home: Path) -> Settings:
    return resolve_settings({}, home=models_home, threads=2)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that is not to the loopback interface (downloads in the tests go
    to a local server; translation must work with the network cut)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        loopback = ("127.0.0.1", "::1", "localhost")
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in loopback:
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
