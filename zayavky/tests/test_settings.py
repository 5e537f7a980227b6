"""A wrong setting stops the start with one line that names the variable, never a traceback: a typo in
production must not fall back to a default in silence, and must not bury the reason under Django's internals.

Run through the `zayavky` console script, as an administrator would start it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ZAYAVKY = str(Path(sys.executable).with_name("zayavky"))


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    base.pop("ZAYAVKY_INSECURE_DEV", None)
    base.update(env)
    return subprocess.run([ZAYAVKY, "check"], env=base, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x", "ZAYAVKY_MAX_UPLOAD_MB": "ten"}, "ZAYAVKY_MAX_UPLOAD_MB"),
        ({"SECRET_KEY": "x", "EMAIL_PORT": "0"}, "EMAIL_PORT"),
        ({}, "SECRET_KEY"),
    ],
)
def test_it_refuses_to_start_naming_the_variable(env: dict[str, str], names: str, tmp_path: Path) -> None:
    result = run({"ZAYAVKY_VAR_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("zayavky: ") and names in line


def test_it_says_what_to_do_when_the_secret_key_is_missing(tmp_path: Path) -> None:
    # `.venv/bin/zayavky check` outside make, with nothing set: one clear line on stderr, exit status 1.
    result = run({"ZAYAVKY_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr == (
        "zayavky: SECRET_KEY is not set: set SECRET_KEY (production) or DEBUG=1 / ZAYAVKY_INSECURE_DEV=1 "
        "(development)\n"
    )
    assert result.stdout == ""


def test_it_starts_with_good_settings(tmp_path: Path) -> None:
    result = run({"ZAYAVKY_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "zayavky.example"})
    assert result.returncode == 0, result.stderr
