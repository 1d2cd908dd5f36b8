"""Model management: listing, validation, atomic installs, downloads from a loopback server.

Package zips here are fakes with the argos layout (the model files hold placeholder
bytes): installing only validates the layout, so these tests need no real model. The
real test models are exercised in test_engine.py.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual.config import Settings, resolve_settings
from bilingual.errors import ModelInstallError, ModelNotInstalledError
from bilingual.models import (
    EN_VI_URL,
    find_package,
    install_from_index,
    install_from_url,
    install_package_file,
    installed_packages,
    remove_package,
)

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


# every test here runs with the network cut (conftest.no_network)
pytestmark = pytest.mark.usefixtures("no_network")


def settings_for(home: Path, **kwargs: Any) -> Settings:
    return resolve_settings({}, home=home, threads=1, **kwargs)


def make_package(
    dest: Path,
    *,
    name: str = "translate-ar_en-1_0",
    from_code: str = "ar",
    to_code: str = "en",
    version: str = "1.0",
    omit: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Write a fake .argosmodel (argos layout, placeholder model bytes) and return it."""
    meta = metadata or {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "to_code": to_code,
        "from_name": from_code,
        "to_name": to_code,
    }
    files: dict[str, bytes] = {
        "metadata.json": json.dumps(meta).encode(),
        "sentencepiece.model": b"sp" * 100,
        "model/model.bin": b"\0" * 4096,
        "model/config.json": b"{}",
        "model/shared_vocabulary.json": b'["<unk>", "<s>", "</s>"]',
        "README.md": b"fake package for tests",
    }
    path = dest / f"{name}-{version}.argosmodel"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in files.items():
            if not any(rel == o or rel.startswith(o) for o in omit):
                zf.writestr(f"{name}/{rel}", data)
        for rel, data in (extra or {}).items():
            zf.writestr(rel, data)
    return path


def entries(directory: Path) -> list[str]:
    """Everything under a folder, hidden entries included (leftover temp dirs show up)."""
    if not directory.exists():
        return []
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def visible(directory: Path) -> list[str]:
    """The package names in a packages folder (hidden entries are never packages)."""
    return sorted(n for n in os.listdir(directory) if not n.startswith("."))


def leftovers(directory: Path) -> list[str]:
    """Hidden entries that are neither a lock file nor the target of a package link."""
    live = {os.readlink(directory / n) for n in visible(directory) if (directory / n).is_symlink()}
    locks = {".install.lock", ".swap.lock"}
    return sorted(n for n in os.listdir(directory) if n.startswith(".") and n not in live | locks)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "home")


@pytest.fixture()
def installed(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose home already holds an ar->en package, to check failures keep it."""
    install_package_file(settings, make_package(tmp_path))
    return settings


# --------------------------------------------------------------------------- listing


def test_missing_or_empty_packages_dir_lists_nothing(settings: Settings) -> None:
    assert installed_packages(settings) == []
    assert not settings.home.exists()  # listing created nothing
    settings.packages_dir.mkdir(parents=True)
    assert installed_packages(settings) == []


def test_install_file_then_list(settings: Settings, tmp_path: Path) -> None:
    package = make_package(tmp_path, version="1.2")
    info = install_package_file(settings, package)
    assert (info.from_code, info.to_code, info.package_version) == ("ar", "en", "1.2")
    assert info.name == "translate-ar_en-1_2"  # from the metadata, not the zip's folder
    assert info.path == settings.packages_dir / "translate-ar_en-1_2"
    assert info.size_bytes > 4096
    assert (info.path / "model" / "model.bin").is_file()
    assert installed_packages(settings) == [info]
    assert visible(settings.packages_dir) == ["translate-ar_en-1_2"]
    assert leftovers(settings.packages_dir) == []
    assert package.exists()  # the user's file is left alone


def test_list_is_sorted_by_pair(settings: Settings, tmp_path: Path) -> None:
    install_package_file(
        settings, make_package(tmp_path, name="z-en-vi", from_code="en", to_code="vi")
    )
    install_package_file(
        settings, make_package(tmp_path, name="a-en-ar", from_code="en", to_code="ar")
    )
    install_package_file(settings, make_package(tmp_path, name="m-ar-en"))
    assert [p.pair for p in installed_packages(settings)] == ["ar->en", "en->ar", "en->vi"]


def test_reinstall_replaces_and_leaves_no_temp_dirs(installed: Settings, tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    newer = make_package(tmp_path / "new", version="1.1")
    info = install_package_file(installed, newer)
    assert info.package_version == "1.1"
    assert [p.package_version for p in installed_packages(installed)] == ["1.1"]
    assert visible(installed.packages_dir) == ["translate-ar_en-1_1"]
    assert leftovers(installed.packages_dir) == []


def test_new_package_for_same_pair_replaces_old_one(installed: Settings, tmp_path: Path) -> None:
    other = make_package(tmp_path, name="translate-ar_en-1_1", version="1.1")
    install_package_file(installed, other)
    assert [p.name for p in installed_packages(installed)] == ["translate-ar_en-1_1"]
    assert visible(installed.packages_dir) == ["translate-ar_en-1_1"]
    assert leftovers(installed.packages_dir) == []


def test_find_package(installed: Settings) -> None:
    info = find_package(installed, "ar", "en")
    assert info.pair == "ar->en"
    assert info.label == "translate-ar_en-1_0@1.0"


def test_missing_pair_message_names_pair_and_commands(settings: Settings) -> None:
    with pytest.raises(ModelNotInstalledError) as err:
        find_package(settings, "ar", "en")
    message = str(err.value)
    assert "ar->en" in message
    assert "`bilingual models install ar en`" in message
    assert "`bilingual models install /path/to/translate-ar_en-1_0.argosmodel`" in message


def test_missing_en_vi_mentions_url(settings: Settings) -> None:
    with pytest.raises(ModelNotInstalledError) as err:
        find_package(settings, "en", "vi")
    assert f"bilingual models install {EN_VI_URL}" in str(err.value)
    assert "translate-en_vi-1_9.argosmodel" in str(err.value)


def test_remove_by_pair_and_by_name(installed: Settings, tmp_path: Path) -> None:
    removed = remove_package(installed, "ar-en")
    assert removed.name == "translate-ar_en-1_0"
    assert installed_packages(installed) == []
    assert visible(installed.packages_dir) == []
    assert leftovers(installed.packages_dir) == []
    install_package_file(installed, make_package(tmp_path))
    remove_package(installed, "translate-ar_en-1_0")
    assert installed_packages(installed) == []
    with pytest.raises(ModelNotInstalledError, match="en-vi"):
        remove_package(installed, "en-vi")


# --------------------------------------------------------------------------- broken packages


def _assert_failed_cleanly(settings: Settings, before: list[str], err: ModelInstallError) -> None:
    assert entries(settings.packages_dir) == before  # no package, no temp dir
    assert not (settings.home / "downloads").exists() or entries(settings.home / "downloads") == []
    assert "bilingual models install" in str(err)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda d: make_package(d, omit=("model/",)), "lacks model/"),
        (lambda d: make_package(d, omit=("model/model.bin",)), "model/model.bin"),
        (lambda d: make_package(d, omit=("sentencepiece.model",)), "sentencepiece.model"),
        (lambda d: make_package(d, omit=("metadata.json",)), "metadata.json"),
        (lambda d: make_package(d, omit=("model/shared_vocabulary.json",)), "vocabular"),
        (lambda d: make_package(d, extra={"../evil.txt": b"x"}), "unsafe path"),
        (lambda d: make_package(d, extra={"/etc/evil": b"x"}), "unsafe path"),
        (lambda d: make_package(d, extra={"second/file": b"x"}), "one top folder"),
        (lambda d: make_package(d, metadata={"from_code": "ar"}), "no to_code"),
        (
            lambda d: make_package(d, metadata={"from_code": "ar", "to_code": "en", "type": "sbd"}),
            "not a translation",
        ),
    ],
    ids=[
        "no-model",
        "no-model-bin",
        "no-sp",
        "no-metadata",
        "no-vocab",
        "dotdot",
        "absolute",
        "two-tops",
        "no-to-code",
        "sbd-package",
    ],
)
def test_invalid_package_is_refused(
    installed: Settings, tmp_path: Path, build: Callable[[Path], Path], expected: str
) -> None:
    before = entries(installed.packages_dir)
    (tmp_path / "bad").mkdir()
    bad = build(tmp_path / "bad")
    with pytest.raises(ModelInstallError, match=expected) as err:
        install_package_file(installed, bad)
    assert str(bad) in str(err.value)
    _assert_failed_cleanly(installed, before, err.value)


def test_metadata_not_json(installed: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(bad, "w") as zf:
        for rel in ("model/model.bin", "model/shared_vocabulary.txt", "sentencepiece.model"):
            zf.writestr(f"pkg/{rel}", b"x")
        zf.writestr("pkg/metadata.json", b"{not json")
    before = entries(installed.packages_dir)
    with pytest.raises(ModelInstallError, match="not valid JSON") as err:
        install_package_file(installed, bad)
    _assert_failed_cleanly(installed, before, err.value)


def test_not_a_zip(installed: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "junk.argosmodel"
    bad.write_bytes(b"this is not a zip file" * 100)
    before = entries(installed.packages_dir)
    with pytest.raises(ModelInstallError, match="not a zip") as err:
        install_package_file(installed, bad)
    _assert_failed_cleanly(installed, before, err.value)


def test_truncated_zip(installed: Settings, tmp_path: Path) -> None:
    good = make_package(tmp_path, name="translate-en_vi-1_9", from_code="en", to_code="vi")
    bad = tmp_path / "truncated.argosmodel"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = entries(installed.packages_dir)
    with pytest.raises(ModelInstallError) as err:
        install_package_file(installed, bad)
    _assert_failed_cleanly(installed, before, err.value)


def test_corrupt_member_data(installed: Settings, tmp_path: Path) -> None:
    """A zip whose directory is intact but whose model bytes are damaged (CRC mismatch)."""
    buf = io.BytesIO()
    payload = bytes(range(256)) * 64
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(
            "translate-en_vi-1_9/metadata.json", json.dumps({"from_code": "en", "to_code": "vi"})
        )
        zf.writestr("translate-en_vi-1_9/sentencepiece.model", b"sp")
        zf.writestr("translate-en_vi-1_9/model/shared_vocabulary.json", b"[]")
        zf.writestr("translate-en_vi-1_9/model/model.bin", payload)
    data = bytearray(buf.getvalue())
    at = bytes(data).index(payload) + 1000
    data[at : at + 8] = b"CORRUPT!"
    bad = tmp_path / "crc.argosmodel"
    bad.write_bytes(bytes(data))
    before = entries(installed.packages_dir)
    with pytest.raises(ModelInstallError, match="corrupt") as err:
        install_package_file(installed, bad)
    _assert_failed_cleanly(installed, before, err.value)
    assert [p.pair for p in installed_packages(installed)] == ["ar->en"]


def test_interrupted_extraction_leaves_nothing(
    installed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C half way through unpacking: the old package stays, no temp folder remains."""
    real_open = zipfile.ZipFile.open
    calls = {"n": 0}

    def flaky(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", flaky)
    before = entries(installed.packages_dir)
    with pytest.raises(KeyboardInterrupt):
        install_package_file(installed, make_package(tmp_path, version="2.0"))
    assert calls["n"] > 3
    assert entries(installed.packages_dir) == before
    assert [p.package_version for p in installed_packages(installed)] == ["1.0"]


def test_missing_file(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ModelInstallError, match="no such file"):
        install_package_file(settings, tmp_path / "nope.argosmodel")


# --------------------------------------------------------------------------- downloads


class _Server:
    """A loopback HTTP server for an index and package files."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.truncate: set[str] = set()
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                data = outer.files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.path in outer.truncate:
                    # announce the whole file, send half, then drop the connection
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def index(self, packages: list[dict[str, Any]]) -> str:
        self.files["/index.json"] = json.dumps(packages).encode()
        return self.base + "/index.json"


@pytest.fixture()
def server() -> Iterator[_Server]:
    srv = _Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _entry(
    server: _Server, path: str, version: str, from_code: str = "ar", to_code: str = "en"
) -> dict[str, Any]:
    return {
        "package_version": version,
        "from_code": from_code,
        "to_code": to_code,
        "links": [server.base + path],
    }


def test_install_from_index(server: _Server, tmp_path: Path) -> None:
    package = make_package(tmp_path, version="1.0")
    server.files["/ar_en.argosmodel"] = package.read_bytes()
    server.files["/old.argosmodel"] = b"should not be fetched"
    index = server.index(
        [
            _entry(server, "/old.argosmodel", "0.9"),
            _entry(server, "/ar_en.argosmodel", "1.0"),
            _entry(server, "/en_ar.argosmodel", "2.0", "en", "ar"),
        ]
    )
    settings = settings_for(tmp_path / "home", model_index=index)
    seen: list[tuple[int, int | None]] = []
    info = install_from_index(settings, "ar", "en", progress=lambda d, t: seen.append((d, t)))
    assert info.pair == "ar->en"
    assert [p.name for p in installed_packages(settings)] == ["translate-ar_en-1_0"]
    size = package.stat().st_size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert server.requests == ["/index.json", "/ar_en.argosmodel"]
    assert leftovers(settings.packages_dir) == []
    assert not (settings.home / "downloads").exists()


def test_index_from_environment(server: _Server, tmp_path: Path) -> None:
    server.files["/p.argosmodel"] = make_package(tmp_path).read_bytes()
    url = server.index([_entry(server, "/p.argosmodel", "1.0")])
    settings = resolve_settings({"BILINGUAL_MODEL_INDEX": url}, home=tmp_path / "home")
    assert install_from_index(settings, "ar", "en").pair == "ar->en"


def test_falls_back_to_next_link(server: _Server, tmp_path: Path) -> None:
    server.files["/good.argosmodel"] = make_package(tmp_path).read_bytes()
    entry = _entry(server, "/missing.argosmodel", "1.0")
    entry["links"].append(server.base + "/good.argosmodel")
    settings = settings_for(tmp_path / "home", model_index=server.index([entry]))
    assert install_from_index(settings, "ar", "en").pair == "ar->en"


def test_install_from_url(server: _Server, tmp_path: Path) -> None:
    server.files["/en_vi.argosmodel"] = make_package(
        tmp_path, name="translate-en_vi-1_9", from_code="en", to_code="vi", version="1.9"
    ).read_bytes()
    settings = settings_for(tmp_path / "home")
    info = install_from_url(settings, server.base + "/en_vi.argosmodel")
    assert (info.pair, info.package_version) == ("en->vi", "1.9")


def test_download_cut_half_way(server: _Server, installed: Settings, tmp_path: Path) -> None:
    server.files["/en_vi.argosmodel"] = make_package(
        tmp_path, name="translate-en_vi-1_9", from_code="en", to_code="vi"
    ).read_bytes()
    server.truncate.add("/en_vi.argosmodel")
    before = entries(installed.packages_dir)
    listed = installed_packages(installed)
    with pytest.raises(ModelInstallError) as err:
        install_from_url(installed, server.base + "/en_vi.argosmodel")
    assert "incomplete" in str(err.value) or "IncompleteRead" in str(err.value)
    assert installed_packages(installed) == listed
    _assert_failed_cleanly(installed, before, err.value)


def test_pair_not_in_index(server: _Server, tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "home", model_index=server.index([]))
    with pytest.raises(ModelInstallError, match="no package for en->vi") as err:
        install_from_index(settings, "en", "vi")
    assert EN_VI_URL in str(err.value)


def test_http_error_on_index(server: _Server, tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "home", model_index=server.base + "/nothing.json")
    with pytest.raises(ModelInstallError, match="HTTP 404") as err:
        install_from_index(settings, "ar", "en")
    assert "`bilingual models install PATH`" in str(err.value)


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def test_unreachable_index_says_copy_the_file(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path / "home", model_index=f"http://127.0.0.1:{_closed_port()}/index.json"
    )
    with pytest.raises(ModelInstallError) as err:
        install_from_index(settings, "ar", "en")
    message = str(err.value)
    assert "cannot connect" in message
    assert "copy the .argosmodel file" in message
    assert "`bilingual models install PATH`" in message
    assert not (settings.home / "packages").exists()


def test_silent_server_times_out(tmp_path: Path) -> None:
    """A server that accepts the connection but never answers: bounded by the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        port = listener.getsockname()[1]
        settings = settings_for(
            tmp_path / "home",
            model_index=f"http://127.0.0.1:{port}/index.json",
            download_timeout=0.3,
        )
        with pytest.raises(ModelInstallError, match="timed out") as err:
            install_from_index(settings, "ar", "en")
        assert "bilingual models install PATH" in str(err.value)
    finally:
        listener.close()


# --------------------------------------------------------------------------- no side effects


def test_import_and_listing_write_nothing_under_home(tmp_path: Path) -> None:
    """Run in a fresh interpreter, so argostranslate is imported for the first time there."""
    fake_home = tmp_path / "fakehome"
    fake_home.mkdir()
    bilingual_home = tmp_path / "bhome"
    package = make_package(tmp_path)
    script = textwrap.dedent(
        f"""
        import importlib, os, pkgutil, sys
        from pathlib import Path
        import bilingual
        for mod in pkgutil.walk_packages(bilingual.__path__, "bilingual."):
            if mod.name != "bilingual.__main__":  # running it is not importing it
                importlib.import_module(mod.name)
        assert os.listdir({str(fake_home)!r}) == [], "import wrote under HOME"
        from bilingual.config import resolve_settings
        from bilingual.models import install_package_file, installed_packages
        settings = resolve_settings({{}}, home=Path({str(bilingual_home)!r}))
        assert installed_packages(settings) == []
        assert not settings.home.exists(), "listing an empty home created it"
        before = dict(os.environ)
        install_package_file(settings, Path({str(package)!r}))
        assert [p.pair for p in installed_packages(settings)] == ["ar->en"]
        assert "argostranslate.package" in sys.modules
        assert dict(os.environ) == before, "argos changed the environment"
        print("ok")
        """
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "ARGOS_", "BILINGUAL_")) and k != "SNAP"
    }
    env["HOME"] = str(fake_home)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
    assert entries(fake_home) == []


def test_cli_models_install_ar_en_from_loopback_index(server: _Server, tmp_path: Path) -> None:
    """The acceptance path: `bilingual models install ar en` against a loopback index."""
    from typer.testing import CliRunner

    from bilingual.cli import app

    server.files["/ar_en.argosmodel"] = make_package(tmp_path, version="1.0").read_bytes()
    url = server.index([_entry(server, "/ar_en.argosmodel", "1.0")])
    env = {"BILINGUAL_HOME": str(tmp_path / "home"), "BILINGUAL_MODEL_INDEX": url}
    runner = CliRunner()
    result = runner.invoke(app, ["models", "install", "ar", "en"], env=env)
    assert result.exit_code == 0, result.output
    assert "installed ar->en" in result.output
    listed = runner.invoke(app, ["models", "list"], env={**env, "COLUMNS": "200"})
    assert "ar->en" in listed.output and "translate-ar_en-1_0" in listed.output
    assert server.requests == ["/index.json", "/ar_en.argosmodel"]
