"""Fixtures of the Contact Center tests (the personas themselves live in zayavky/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from zayavky.api.tests.helpers import Api


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any, tmp_path: Any) -> None:
    """A fast password hash and a throw-away media directory (attachments never land in var/media)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def api(client: Any, district: Any) -> Api:
    """The API as each persona calls it, with the token `zayavky token USERNAME` printed."""
    return Api(client, district)
