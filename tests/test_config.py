"""Tests for bilingual.config: arguments, then BILINGUAL_* variables, then defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.config import DEFAULT_MODEL_INDEX, resolve_settings, thread_split
from bilingual.errors import BilingualError, ConfigError


def test_defaults(tmp_path: Path) -> None:
    s = resolve_settings({}, home=tmp_path)
    assert s.packages_dir == tmp_path / "packages"
    assert s.model_index == DEFAULT_MODEL_INDEX
    assert s.beam_size == 4 and s.threads >= 1 and s.device == "cpu"


def test_environment_overrides_defaults_and_arguments_override_environment(tmp_path: Path) -> None:
    env = {
        "BILINGUAL_HOME": str(tmp_path / "envhome"),
        "BILINGUAL_THREADS": "3",
        "BILINGUAL_BEAM_SIZE": "2",
        "BILINGUAL_MODEL_INDEX": "http://127.0.0.1:9/index.json",
    }
    s = resolve_settings(env)
    assert s.home == tmp_path / "envhome"
    assert (s.threads, s.beam_size) == (3, 2)
    assert s.model_index == "http://127.0.0.1:9/index.json"
    s2 = resolve_settings(env, home=tmp_path, threads=1)
    assert s2.home == tmp_path and s2.threads == 1 and s2.beam_size == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [("BILINGUAL_THREADS", "many"), ("BILINGUAL_BEAM_SIZE", "0"), ("BILINGUAL_DEVICE", "tpu")],
)
def test_bad_environment_is_a_clear_error(name: str, value: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_settings({name: value}, home=tmp_path)
    assert name in str(info.value) or value in str(info.value)
    assert "fix:" in str(info.value)


def test_error_message_has_what_where_fix() -> None:
    err = BilingualError("bad thing", where="a.txt:3", fix="do this")
    assert str(err) == "a.txt:3: bad thing\n  fix: do this"
    assert err.exit_code == 1


def test_source_date_epoch_fixes_the_run_date(tmp_path: Path) -> None:
    assert resolve_settings({}, home=tmp_path).run_date is None
    fixed = resolve_settings({"SOURCE_DATE_EPOCH": "1795422600"}, home=tmp_path)
    assert fixed.run_date == "2026-11-23T08:30:00+00:00"
    for bad in ("soon", "1.5", "99999999999999999999"):
        with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
            resolve_settings({"SOURCE_DATE_EPOCH": bad}, home=tmp_path)


@pytest.mark.parametrize(
    ("cores", "inter", "device", "split"),
    [
        (1, None, "cpu", (1, 1)),
        (2, None, "cpu", (2, 1)),
        (3, None, "cpu", (3, 1)),
        (4, None, "cpu", (4, 1)),
        (8, None, "cpu", (4, 2)),
        (16, None, "cpu", (4, 4)),
        (6, None, "cpu", (3, 2)),
        (5, None, "cpu", (1, 5)),
        (8, None, "cuda", (1, 8)),
        (8, None, "auto", (1, 8)),
        (2, 1, "cpu", (1, 2)),
        (16, 8, "cpu", (8, 2)),
        (2, 4, "cpu", (4, 1)),  # asked for: kept, one intra-op thread each
        (0, None, "cpu", (1, 1)),
    ],
)
def test_thread_split(cores: int, inter: int | None, device: str, split: tuple[int, int]) -> None:
    assert thread_split(cores, inter, device) == split


def test_inter_threads_argument_then_environment_then_automatic(tmp_path: Path) -> None:
    assert resolve_settings({}, home=tmp_path).inter_threads is None  # the engine picks
    env = {"BILINGUAL_INTER_THREADS": "2", "BILINGUAL_THREADS": "4"}
    assert resolve_settings(env, home=tmp_path).inter_threads == 2
    assert resolve_settings(env, home=tmp_path, inter_threads=1).inter_threads == 1
    assert resolve_settings({"BILINGUAL_INTER_THREADS": ""}, home=tmp_path).inter_threads is None
    for bad in ("two", "0", "-1"):
        with pytest.raises(ConfigError, match="BILINGUAL_INTER_THREADS") as info:
            resolve_settings({"BILINGUAL_INTER_THREADS": bad}, home=tmp_path)
        assert "fix:" in str(info.value)
