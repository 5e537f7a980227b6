"""Who calls the API: a token from `zayavky token USERNAME` (only its SHA-256 stored) or the session with CSRF."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zayavky.accounts.models import ApiToken
from zayavky.api.tests.helpers import assert_error, snapshot


def test_it_prints_a_token_and_stores_only_its_digest(district: Any) -> None:
    out = StringIO()
    call_command("token", "integration", "--label", "Контакт-центр", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("zv_") and len(token) > 40
    row = ApiToken.objects.get()
    assert row.user == district.integration and row.label == "Контакт-центр"
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.digest, row.label}


def test_it_makes_a_new_token_each_time(district: Any) -> None:
    tokens = set()
    for _ in range(2):
        out = StringIO()
        call_command("token", "head", stdout=out)
        tokens.add(out.getvalue().strip())
    assert len(tokens) == 2 and ApiToken.objects.filter(user=district.head).count() == 2


def test_it_refuses_a_token_for_an_unknown_or_inactive_user(district: Any) -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "nobody", stdout=StringIO())
    district.clerk.is_active = False
    district.clerk.save()
    with pytest.raises(CommandError):
        call_command("token", "clerk", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_it_accepts_a_bearer_token(api: Any, district: Any) -> None:
    response = api.get("head", "/api/v1/me")
    assert response.status_code == 200 and response.json()["username"] == "head"
    assert ApiToken.objects.get(user=district.head).last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer zv_wrong", "Bearer ", "Token abc", "Basic aGVhZDpwdw==", "Bearer " + "x" * 5000]
)
def test_it_refuses_a_wrong_token_with_401(api: Any, client: Client, header: str) -> None:
    api.token("head")
    body = assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION=header), 401, "unauthenticated")
    assert "Bearer" in body["message"]


def test_it_refuses_the_token_of_a_deactivated_person(api: Any, client: Client, district: Any) -> None:
    token = api.token("head")
    district.head.is_active = False
    district.head.save()
    assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}"), 401)


def test_it_says_who_to_ask_without_credentials(client: Client, district: Any) -> None:
    response = client.get("/api/v1/requests")
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/units"),
        ("get", "/api/v1/categories"),
        ("get", "/api/v1/requests"),
        ("get", "/api/v1/requests/1"),
        ("get", "/api/v1/intake-log"),
        ("post", "/api/v1/intake"),
        ("post", "/api/v1/requests/1/take"),
        ("post", "/api/v1/requests/1/files"),
        ("post", "/api/v1/intake-log/1/settle"),
    ],
)
def test_it_refuses_every_endpoint_without_credentials(client: Client, district: Any, method: str, url: str) -> None:
    assert_error(getattr(client, method)(url), 401, "unauthenticated")


def test_it_accepts_the_session_of_the_pages(district: Any) -> None:
    browser = Client()
    browser.force_login(district.controller)
    assert browser.get("/api/v1/me").json()["username"] == "controller"


def test_it_needs_the_csrf_token_with_a_session(district: Any, advance: Any) -> None:
    request = advance("routed")
    before = snapshot(request)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.clerk)
    url = f"/api/v1/requests/{request.pk}/take"
    assert_error(browser.post(url, "{}", content_type="application/json"), 403, "csrf")
    assert snapshot(request) == before
    # With the token from the cookie, as the pages' scripts send it, it works.
    browser.get("/api/docs")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(url, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200 and response.json()["status"] == "with_head"


def test_it_needs_no_csrf_token_with_a_bearer_token(api: Any, district: Any, advance: Any) -> None:
    request = advance("routed")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/api/v1/requests/{request.pk}/take",
        json.dumps({}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token('clerk')}",
    )
    assert response.status_code == 200


def test_it_never_falls_back_to_the_session_behind_a_wrong_token(district: Any) -> None:
    browser = Client()
    browser.force_login(district.general)
    assert_error(browser.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer zv_wrong"), 401)
