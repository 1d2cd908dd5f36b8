"""Shared fixtures: the repo's test models installed once per session, and ../shared paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bilingual.config import Settings, resolve_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_MODELS = REPO / "tests" / "models"
AR_EN = TEST_MODELS / "translate-ar_en-test.argosmodel"
EN_VI = TEST_MODELS / "translate-en_vi-test.argosmodel"


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
