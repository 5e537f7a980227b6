"""Helpers for the staff pages' tests: a logged-in test client per persona of zayavky/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zayavky.conftest import sign_in


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The personas' passwords are hashed with a fast hasher: the pages are tested here, not PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(district: Any):  # type: ignore[no-untyped-def]
    """``login("head")`` → a Django test client with that persona's session (one test goes through the
    login page itself: test_pages.py)."""

    def make(persona: str, **client_kwargs: Any) -> Client:
        return sign_in(Client(**client_kwargs), district.persona(persona))

    return make


def form_data(page: Any, action: str, **fields: Any) -> dict[str, Any]:
    """The POST data of an action form as the page rendered it: the prefix and the status it showed."""
    data = {f"{action}-expected_status": page.context["sr"].status}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return data


#: The procedure walked by the people of «Благоустрій» (the shared ``advance`` walks «ЖКГ»).
OTHER_PATH = [
    ("route", "general", lambda d: {"category": d.blag_ordinary.pk}),
    ("take", "other_clerk", lambda d: {}),
    ("assign", "other_head", lambda d: {"executor": d.other_executor.pk}),
    ("submit", "other_head", lambda d: {"text": "Звалище прибрано.", "outcome": "executed"}),
    ("sign", "other_signatory", lambda d: {}),
    ("hand_over", "other_clerk", lambda d: {}),
    ("publish", "general", lambda d: {}),
]
STEPS = ["new", "routed", "with_head", "in_work", "on_signature", "signed", "handed_over", "published"]


@pytest.fixture
def advance_other(district: Any, make_request: Any):  # type: ignore[no-untyped-def]
    """A request of «Благоустрій» brought to ``status`` by its own people."""
    from zayavky.cases import workflow

    def go(status: str, **fields: Any):  # type: ignore[no-untyped-def]
        request = make_request(**fields)
        for action, persona, data in OTHER_PATH[: STEPS.index(status)]:
            request = workflow.ACTIONS[action](district.persona(persona), request.pk, **data(district))
        request.refresh_from_db()
        return request

    return go
