"""`zayavky demo` runs only on a developer's machine: its people, an administrator among them, share a password
printed in the README. Under production settings it refuses in one line and writes nothing."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from zayavky.accounts.models import User
from zayavky.demo.management.commands.demo import REFUSAL

ZAYAVKY = str(Path(sys.executable).with_name("zayavky"))


def zayavky(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "ZAYAVKY_INSECURE_DEV")}
    return subprocess.run([ZAYAVKY, *args], env={**base, **env}, capture_output=True, text=True, timeout=300)


def test_it_refuses_under_production_settings_through_the_console_script(tmp_path: Path) -> None:
    production = {"ZAYAVKY_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "DEBUG": "0"}
    migrated = zayavky("migrate", "--noinput", env=production)
    assert migrated.returncode == 0, migrated.stderr

    result = zayavky("demo", "--if-empty", "--print-users", env=production)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"CommandError: {REFUSAL}"]
    assert "DEBUG=1" in REFUSAL and "ZAYAVKY_INSECURE_DEV=1" in REFUSAL
    assert result.stdout == ""
    with sqlite3.connect(tmp_path / "zayavky.sqlite3") as db:
        assert db.execute("select count(*) from accounts_user").fetchone() == (0,)
        assert db.execute("select count(*) from catalog_category").fetchone() == (0,)


@pytest.mark.django_db
def test_it_refuses_without_debug_or_the_development_switch(settings: Any) -> None:
    settings.DEBUG, settings.ZAYAVKY_INSECURE_DEV = False, False
    with pytest.raises(CommandError, match="ZAYAVKY_INSECURE_DEV=1"):
        call_command("demo", "--no-requests")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_runs_with_debug(settings: Any) -> None:
    settings.DEBUG, settings.ZAYAVKY_INSECURE_DEV = True, False
    call_command("demo", "--no-requests", stdout=io.StringIO())
    assert User.objects.filter(username="admin", is_superuser=True).exists()
