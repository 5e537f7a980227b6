"""Fixtures of the cases tests (the personas themselves live in zayavky/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parent.parent / "locale" / "uk" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="session", autouse=True)
def _ukrainian_catalogue() -> None:
    """The .mo file is a build product (not in git; `make test` compiles it first). Compile this app's
    catalogue when it is missing or older than the .po, so these tests also run on their own."""
    mo = PO.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime:
        return
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    with mo.open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)
    from django.utils.translation import trans_real

    trans_real._translations = {}  # type: ignore[attr-defined]  # forget catalogues loaded before the file existed
    trans_real._default = None  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any, tmp_path: Any) -> None:
    """A fast password hash (the default one takes most of a second per persona) and a throw-away
    media directory, so stored attachments never land in var/media."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
