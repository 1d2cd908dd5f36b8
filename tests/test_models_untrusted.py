"""Installing an untrusted ``.argosmodel``: bombs, bad metadata, lying names, bad downloads.

Every refusal names the archive (its path, or the URL it came from), writes nothing
and leaves the installed packages as they were. Zips are small fakes built here; the
downloads come from a loopback server (see test_models.py).
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import stat
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_models import _Server, leftovers, make_package, settings_for, visible

from bilingual.config import Settings
from bilingual.errors import ModelInstallError
from bilingual.models import (
    install_from_index,
    install_from_url,
    install_package_file,
    installed_packages,
)

# every test here runs with the network cut (conftest.no_network)
pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "home")


@pytest.fixture()
def installed(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose home already holds an ar->en package, to check failures keep it."""
    (tmp_path / "installed").mkdir()
    install_package_file(settings, make_package(tmp_path / "installed"))
    return settings


@pytest.fixture()
def server() -> Iterator[_Server]:
    srv = _Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _refused(settings: Settings, install: Callable[[], Any], shown: str) -> str:
    """Run an install that must fail; check it named ``shown`` and changed nothing."""
    before = sorted(os.listdir(settings.packages_dir)) if settings.packages_dir.exists() else []
    listed = installed_packages(settings)
    with pytest.raises(ModelInstallError) as err:
        install()
    message = str(err.value)
    assert shown in message
    assert ".download-" not in message  # never the temporary file
    assert installed_packages(settings) == listed
    if settings.packages_dir.exists():
        assert leftovers(settings.packages_dir) == []
        assert visible(settings.packages_dir) == [n for n in before if not n.startswith(".")]
    downloads = settings.home / "downloads"
    assert not downloads.exists() or os.listdir(downloads) == []
    return message


def _zip(path: Path, members: dict[str, bytes], infos: tuple[zipfile.ZipInfo, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for info in infos:
            zf.writestr(info, b"../../../etc/passwd")
    return path


def _package_members(top: str = "pkg", **meta: Any) -> dict[str, bytes]:
    metadata = {"package_version": "1.0", "from_code": "ar", "to_code": "en", **meta}
    return {
        f"{top}/metadata.json": json.dumps(metadata).encode(),
        f"{top}/sentencepiece.model": b"sp",
        f"{top}/model/model.bin": b"\0" * 100,
        f"{top}/model/shared_vocabulary.json": b"[]",
    }


# --------------------------------------------------------------------------- zip bombs


def test_zip_bomb_is_refused_by_ratio(installed: Settings, tmp_path: Path) -> None:
    """16 MiB of zeros in a 16 KB zip: refused from the zip's directory, before unpacking."""
    bomb = _zip(
        tmp_path / "bomb.argosmodel",
        {**_package_members(), "pkg/model/model.bin": b"\0" * (16 << 20)},
    )
    assert bomb.stat().st_size < 100_000
    message = _refused(installed, lambda: install_package_file(installed, bomb), str(bomb))
    assert "zip bomb" in message


def test_expanded_size_is_capped(
    installed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bilingual.models.archive.MAX_UNPACKED_BYTES", 64 << 10)
    big = _zip(
        tmp_path / "big.argosmodel",
        {**_package_members(), "pkg/model/model.bin": os.urandom(100 << 10)},
    )
    message = _refused(installed, lambda: install_package_file(installed, big), str(big))
    assert "limit" in message and f"{64 << 10:,}" in message


def test_too_many_entries(installed: Settings, tmp_path: Path) -> None:
    many = {f"pkg/junk/{n}": b"" for n in range(1500)}
    bad = _zip(tmp_path / "many.argosmodel", {**_package_members(), **many})
    message = _refused(installed, lambda: install_package_file(installed, bad), str(bad))
    assert "entries" in message


def test_header_that_lies_about_the_size(installed: Settings, tmp_path: Path) -> None:
    """The directory says 1000 bytes; 200 KB follow. Nothing beyond 1000 is written."""
    good = _zip(
        tmp_path / "lie.argosmodel",
        {**_package_members(), "pkg/model/model.bin": os.urandom(200_000)},
    )
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("pkg/model/model.bin")
    # patch the uncompressed size of model.bin in the central directory and local header
    central = raw.index(b"PK\x01\x02")
    while True:
        name_len = int.from_bytes(raw[central + 28 : central + 30], "little")
        if raw[central + 46 : central + 46 + name_len] == b"pkg/model/model.bin":
            break
        extra = int.from_bytes(raw[central + 30 : central + 32], "little")
        comment = int.from_bytes(raw[central + 32 : central + 34], "little")
        central += 46 + name_len + extra + comment
    raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    local = info.header_offset
    raw[local + 22 : local + 26] = (1000).to_bytes(4, "little")
    bad = tmp_path / "liar.argosmodel"
    bad.write_bytes(bytes(raw))
    _refused(installed, lambda: install_package_file(installed, bad), str(bad))


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("from_code", "to_code", "expected"),
    [
        ("../../etc", "en", "not a language code"),
        ("ar", "en glish!", "not a language code"),
        ("ar", "ar", "both 'ar'"),
        ("pt_BR", "pt-BR", "both"),
        ("AR", "en", "not a language code"),
        ("ar", "", "no to_code"),
        ("a", "en", "not a language code"),
        ("ar", "en/../vi", "not a language code"),
        ("ar", "en\n", "not a language code"),
    ],
)
def test_bad_language_codes_are_refused(
    installed: Settings, tmp_path: Path, from_code: str, to_code: str, expected: str
) -> None:
    bad = _zip(
        tmp_path / "codes.argosmodel", _package_members(from_code=from_code, to_code=to_code)
    )
    message = _refused(installed, lambda: install_package_file(installed, bad), str(bad))
    assert expected in message
    assert [p.pair for p in installed_packages(installed)] == ["ar->en"]


@pytest.mark.parametrize(
    ("from_code", "to_code"), [("pt_BR", "en"), ("en", "pt-BR"), ("fil", "en")]
)
def test_language_codes_with_regions_are_accepted(
    settings: Settings, tmp_path: Path, from_code: str, to_code: str
) -> None:
    package = make_package(tmp_path, from_code=from_code, to_code=to_code)
    info = install_package_file(settings, package)
    assert (info.from_code, info.to_code) == (from_code, to_code)


def test_name_comes_from_metadata_not_the_zip_folder(settings: Settings, tmp_path: Path) -> None:
    """An ar->en zip whose folder says en_vi must not touch the installed en->vi model."""
    (tmp_path / "vi").mkdir()
    en_vi = make_package(
        tmp_path / "vi", name="translate-en_vi-test", from_code="en", to_code="vi", version="1.9"
    )
    install_package_file(settings, en_vi)
    liar = make_package(tmp_path, name="translate-en_vi-test", version="1.0")
    info = install_package_file(settings, liar)
    assert info.name == "translate-ar_en-1_0"
    assert [p.pair for p in installed_packages(settings)] == ["ar->en", "en->vi"]
    assert visible(settings.packages_dir) == ["translate-ar_en-1_0", "translate-en_vi-1_9"]


def test_an_old_folder_of_another_pair_under_the_same_name_is_kept(
    settings: Settings, tmp_path: Path
) -> None:
    """An older install's plain folder ``translate-ar_en-1_0`` that holds en->vi stays."""
    (tmp_path / "vi").mkdir()
    en_vi = make_package(tmp_path / "vi", from_code="en", to_code="vi")
    with zipfile.ZipFile(en_vi) as zf:
        zf.extractall(settings.packages_dir)  # the old layout: a plain folder
    assert [p.pair for p in installed_packages(settings)] == ["en->vi"]
    info = install_package_file(settings, make_package(tmp_path))
    assert info.pair == "ar->en" and info.name != "translate-ar_en-1_0"
    assert sorted(p.pair for p in installed_packages(settings)) == ["ar->en", "en->vi"]


def test_old_layout_loads_and_is_replaced_by_same_pair(settings: Settings, tmp_path: Path) -> None:
    with zipfile.ZipFile(make_package(tmp_path)) as zf:
        zf.extractall(settings.packages_dir)
    assert [(p.name, p.package_version) for p in installed_packages(settings)] == [
        ("translate-ar_en-1_0", "1.0")
    ]
    (tmp_path / "new").mkdir()
    install_package_file(settings, make_package(tmp_path / "new", version="1.0"))
    assert [(p.name, p.pair) for p in installed_packages(settings)] == [
        ("translate-ar_en-1_0", "ar->en")
    ]
    assert (settings.packages_dir / "translate-ar_en-1_0").is_symlink()
    assert leftovers(settings.packages_dir) == []
    install_package_file(settings, make_package(tmp_path / "new", version="1.1"))
    assert visible(settings.packages_dir) == ["translate-ar_en-1_1"]
    assert leftovers(settings.packages_dir) == []


# --------------------------------------------------------------------------- unsafe entries


def _special(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize(
    ("members", "special", "expected"),
    [
        ({}, _special("pkg/model/evil", stat.S_IFLNK | 0o777), "symbolic link"),
        ({}, _special("pkg/sentencepiece.model", stat.S_IFLNK | 0o777), "symbolic link"),
        ({}, _special("pkg/dev", stat.S_IFCHR | 0o666), "character device"),
        ({}, _special("pkg/fifo", stat.S_IFIFO | 0o666), "named pipe"),
        ({"pkg/model": b"x"}, None, "as a file and as a folder"),
        ({"pkg/./x": b"x"}, None, "unsafe path"),
        ({"pkg//x": b"x"}, None, "unsafe path"),
        ({"pkg\\..\\x": b"x"}, None, "unsafe path"),
        ({"C:/x": b"x"}, None, "unsafe path"),
    ],
    ids=[
        "symlink",
        "symlink-over-file",
        "device",
        "fifo",
        "clash",
        "dot",
        "empty",
        "bslash",
        "drive",
    ],
)
def test_unsafe_entries_are_refused_naming_the_archive(
    installed: Settings,
    tmp_path: Path,
    members: dict[str, bytes],
    special: zipfile.ZipInfo | None,
    expected: str,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name
        bad = _zip(
            tmp_path / "unsafe.argosmodel",
            {**_package_members(), **members},
            (special,) if special is not None else (),
        )
    message = _refused(installed, lambda: install_package_file(installed, bad), str(bad))
    assert expected in message
    assert "free space" not in message and "check free" not in message


# --------------------------------------------------------------------------- downloads


class _RawServer:
    """A loopback server answering each request with a handler of its own."""

    def __init__(self, respond: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                respond(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/pkg.argosmodel"


@pytest.fixture()
def raw_server() -> Iterator[Callable[[Callable[[Any], None]], _RawServer]]:
    started: list[_RawServer] = []

    def start(respond: Callable[[Any], None]) -> _RawServer:
        srv = _RawServer(respond)
        srv.thread.start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _chunked_cut(handler: Any, data: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    half = data[: len(data) // 2]
    handler.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")
    handler.wfile.write(f"{len(data) - len(half):x}\r\n".encode() + data[len(half) : -100])
    handler.wfile.flush()
    handler.close_connection = True


def _endless(handler: Any) -> None:
    handler.send_response(200)
    handler.send_header("Connection", "close")  # no Content-Length: ends when closed
    handler.end_headers()
    handler.close_connection = True
    chunk = b"\0" * (64 << 10)
    try:
        while True:
            handler.wfile.write(chunk)
    except OSError:
        pass


def _html(content_type: str) -> Callable[[Any], None]:
    def respond(handler: Any) -> None:
        body = b"<!DOCTYPE html><html><body>Please log in</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def _too_long(handler: Any) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(5 << 30))
    handler.end_headers()
    handler.close_connection = True


def test_chunked_download_cut_half_way(
    installed: Settings, tmp_path: Path, raw_server: Any
) -> None:
    data = make_package(tmp_path, name="x", from_code="en", to_code="vi").read_bytes()
    srv = raw_server(lambda h: _chunked_cut(h, data))
    message = _refused(installed, lambda: install_from_url(installed, srv.url), srv.url)
    assert "incomplete" in message


def test_endless_body_is_capped(
    installed: Settings, raw_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bilingual.models.download.MAX_DOWNLOAD_BYTES", 1 << 20)
    srv = raw_server(_endless)
    message = _refused(installed, lambda: install_from_url(installed, srv.url), srv.url)
    assert f"{1 << 20:,}" in message


def test_announced_size_over_the_cap(installed: Settings, raw_server: Any) -> None:
    srv = raw_server(_too_long)
    message = _refused(installed, lambda: install_from_url(installed, srv.url), srv.url)
    assert "more than a package can be" in message


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/octet-stream"])
def test_web_page_instead_of_a_package_names_the_url(
    installed: Settings, raw_server: Any, content_type: str
) -> None:
    srv = raw_server(_html(content_type))
    message = _refused(installed, lambda: install_from_url(installed, srv.url), srv.url)
    assert "web page" in message


def _garbage_server(reply: bytes) -> tuple[socket.socket, str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/pkg.argosmodel"


@pytest.mark.parametrize(
    "reply",
    [
        b"GARBAGE\r\n\r\n",
        b"",
        b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789",
    ],
    ids=["bad-status", "no-answer", "long-header", "two-lengths"],
)
@pytest.mark.parametrize("via", ["url", "index"])
def test_bad_http_answers_are_handled(tmp_path: Path, reply: bytes, via: str) -> None:
    listener, url = _garbage_server(reply)
    try:
        settings = settings_for(tmp_path / "home", model_index=url, download_timeout=5)
        if via == "url":
            message = _refused(settings, lambda: install_from_url(settings, url), url)
        else:
            message = _refused(settings, lambda: install_from_index(settings, "ar", "en"), url)
        assert "fix:" in message
    finally:
        listener.close()


def test_index_pair_must_match_the_package(server: _Server, tmp_path: Path) -> None:
    """The index says ar->en; the file is en->vi: it must not replace the en->vi model."""
    settings = settings_for(tmp_path / "home")
    (tmp_path / "vi").mkdir()
    install_package_file(
        settings, make_package(tmp_path / "vi", from_code="en", to_code="vi", version="2.0")
    )
    server.files["/p.argosmodel"] = make_package(
        tmp_path, from_code="en", to_code="vi", version="1.0"
    ).read_bytes()
    index = server.index(
        [
            {
                "package_version": "1.0",
                "from_code": "ar",
                "to_code": "en",
                "links": [server.base + "/p.argosmodel"],
            }
        ]
    )
    settings = settings_for(tmp_path / "home", model_index=index)
    url = server.base + "/p.argosmodel"
    message = _refused(settings, lambda: install_from_index(settings, "ar", "en"), url)
    assert "not ar->en" in message
    assert [p.package_version for p in installed_packages(settings)] == ["2.0"]


def test_cli_chunked_cut_is_a_message_not_a_traceback(tmp_path: Path, raw_server: Any) -> None:
    from typer.testing import CliRunner

    from bilingual.cli import app

    data = make_package(tmp_path).read_bytes()
    srv = raw_server(lambda h: _chunked_cut(h, data))
    result = CliRunner().invoke(
        app, ["models", "install", srv.url], env={"BILINGUAL_HOME": str(tmp_path / "home")}
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and srv.url in result.output
    assert "incomplete" in result.output
