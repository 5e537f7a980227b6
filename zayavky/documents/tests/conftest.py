"""A fast password hasher for these tests: the shared personas are a dozen users, and PBKDF2's deliberate
slowness (over a second each on a busy two-core machine) would make every test spend half a minute on them."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
