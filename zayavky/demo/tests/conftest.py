"""The demo runs only on a developer's machine; these tests state that they are on one."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _developer_machine(settings: Any) -> None:
    settings.ZAYAVKY_INSECURE_DEV = True
