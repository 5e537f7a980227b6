"""The development server of `make run` shows the pages people see in service: the Ukrainian 404 and 403
(not Django's technical pages), its stylesheet served, and no e-mail sent anywhere.

A real `zayavky runserver` in the environment `make run` gives it (only ``ZAYAVKY_INSECURE_DEV=1``, which the
Makefile exports; no DEBUG), asked over HTTP.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ZAYAVKY = str(Path(sys.executable).with_name("zayavky"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    unset = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_TO_CONSOLE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"ZAYAVKY_INSECURE_DEV": "1", "ZAYAVKY_VAR_DIR": str(tmp_path_factory.mktemp("var"))}
    migrated = subprocess.run([ZAYAVKY, "migrate", "--noinput", "-v", "0"], env=env, capture_output=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    server = subprocess.Popen(
        [ZAYAVKY, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "the development server stopped"
                assert time.monotonic() < deadline, "the development server did not start within a minute"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch(url: str, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_it_shows_the_ukrainian_404_page(dev_server: str) -> None:
    status, body = _fetch(f"{dev_server}/no-such-page/")
    assert status == 404
    assert "Не знайдено" in body and "До моїх черг" in body
    assert "Page not found" not in body and "URLconf" not in body  # Django's technical 404


def test_it_shows_the_ukrainian_403_page_for_a_stale_form(dev_server: str) -> None:
    status, body = _fetch(f"{dev_server}/login/", data=b"username=admin&password=demo12345")  # no CSRF token
    assert status == 403
    assert "Сторінка застаріла" in body and "нічого не змінено" in body
    assert "CSRF verification failed" not in body


def test_it_serves_the_stylesheet_without_debug(dev_server: str) -> None:
    status, _login = _fetch(f"{dev_server}/login/")
    assert status == 200
    status, css = _fetch(f"{dev_server}/static/web/web.css")
    assert status == 200 and ".site-header" in css
