"""Signing in as an attacker would try it (ASVS 2.1, 2.2): guessing, weak passwords, a forced change."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from zayavky.accounts.models import User
from zayavky.conftest import PASSWORD, sign_in

STRONG = "Світло-під'їзд-2026-ЖКГ"


def _login(client: Client, username: str, password: str, url: str = "/login/", **extra: Any) -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR="203.0.113.7", **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_it_locks_the_login_after_five_wrong_passwords_even_for_the_right_one(
    client: Client, district: Any, url: str
) -> None:
    answers = [_login(client, "clerk", f"guess-{n}", url).status_code for n in range(50)]
    right = _login(client, "clerk", PASSWORD, url)

    assert answers[:4] == [200] * 4  # the form again, with its error
    assert set(answers[4:]) == {429}  # the fifth locks; then the password is not even checked
    assert right.status_code == 429 and not _signed_in(client)
    assert 'data-testid="locked-out"' in right.content.decode()


def test_it_lets_the_same_person_in_from_another_address_meanwhile(client: Client, district: Any) -> None:
    for n in range(6):
        _login(client, "clerk", f"guess-{n}")
    other = Client()
    response = other.post("/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302 and _signed_in(other)


def test_it_counts_a_user_name_whatever_its_case_and_spaces(client: Client, district: Any) -> None:
    for name in ["clerk", "CLERK", " Clerk ", "clerk", "cLeRk"]:
        _login(client, name, "wrong")
    assert _login(client, "clerk", PASSWORD).status_code == 429


def test_it_logs_every_failure_and_success_with_the_person_address_and_time(client: Client, district: Any) -> None:
    _login(client, "clerk", "wrong", HTTP_USER_AGENT="guesser/1.0")
    _login(client, "clerk", PASSWORD, HTTP_USER_AGENT="browser/1.0")

    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address, failure.user_agent) == ("clerk", "203.0.113.7", "guesser/1.0")
    assert failure.attempt_time is not None and failure.locked_out is False
    success = AccessLog.objects.get()
    assert (success.username, success.ip_address, success.user_agent) == ("clerk", "203.0.113.7", "browser/1.0")
    assert success.attempt_time is not None
    assert not AccessAttempt.objects.exists()  # a success clears the count of failures in a row


def test_it_never_stores_the_tried_password(client: Client, district: Any) -> None:
    _login(client, "clerk", "my-secret-guess")
    for row in AccessFailureLog.objects.values():
        assert "my-secret-guess" not in str(row)
    for row in AccessAttempt.objects.values():
        assert "my-secret-guess" not in str(row)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("clerk2026", "short"),
        ("73920184", "short and numeric"),
        ("739201846381920", "only digits"),
        ("qwertyuiop123", "a common password"),
        ("TkachenkoIryna1", "like the person's name"),
    ],
)
def test_it_refuses_weak_new_passwords(district: Any, password: str, why: str) -> None:
    clerk = district.clerk
    clerk.first_name, clerk.last_name = "Iryna", "Tkachenko"
    clerk.save()
    client = sign_in(Client(), clerk)

    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200, why
    assert response.context["form"].errors["new_password2"], why
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD), why


def test_it_lets_a_person_change_their_own_password(district: Any) -> None:
    client = sign_in(Client(), district.clerk)

    wrong_old = client.post(
        "/account/password/", {"old_password": "not-mine", "new_password1": STRONG, "new_password2": STRONG}
    )
    right = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )

    assert "old_password" in wrong_old.context["form"].errors
    assert right.status_code == 302
    district.clerk.refresh_from_db()
    assert district.clerk.check_password(STRONG)
    assert client.get("/").status_code == 200  # the session survives its own password change


def test_it_makes_a_person_change_the_password_the_administrator_marked(district: Any) -> None:
    User.objects.filter(pk=district.clerk.pk).update(must_change_password=True)
    client = Client()
    client.post("/login/", {"username": "clerk", "password": PASSWORD})

    detour = client.get("/requests/")
    api = client.get("/api/v1/me")
    form = client.get("/account/password/").content.decode()
    changed = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )

    assert detour.status_code == 302 and detour["Location"] == "/account/password/"
    assert 'data-testid="must-change"' in form
    assert api.status_code == 200  # an API caller is not redirected to a page; the flag is for people
    assert changed.status_code == 302
    district.clerk.refresh_from_db()
    assert not district.clerk.must_change_password
    assert client.get("/requests/").status_code == 200


def test_it_offers_the_password_change_to_the_administrator(district: Any) -> None:
    admin = sign_in(Client(), district.admin)
    page = admin.get(f"/admin/accounts/user/{district.clerk.pk}/change/").content.decode()
    assert 'name="must_change_password"' in page
