"""The second factor (ASVS 2.7, 2.8) tried as an attacker who knows a password would try it."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zayavky.conftest import PASSWORD, sign_in


def _password_login(username: str, url: str = "/login/") -> Client:
    client = Client()
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _code(device: TOTPDevice, step: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step):06d}"


def _set_up(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Scan the QR code (here: read the device's key) and confirm with the first code."""
    page = client.get("/account/second-factor/setup/")
    assert page.status_code == 200 and 'data-testid="totp-qr"' in page.content.decode()
    device = TOTPDevice.objects.get(user__username=page.context["user"].username, confirmed=False)
    done = client.post("/account/second-factor/setup/", {"code": _code(device)})
    assert done.status_code == 200, done.status_code
    codes = re.findall(r"<code>([^<]+)</code>", done.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.mark.parametrize(("persona", "url"), [("signatory", "/login/"), ("admin", "/admin/login/")])
def test_it_lets_a_signatory_or_administrator_do_nothing_before_setting_it_up(
    district: Any, persona: str, url: str
) -> None:
    client = _password_login(persona, url)

    for path in ["/", "/requests/", "/admin/", "/classifier/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/second-factor/setup/"), path
    assert client.get("/api/v1/me").status_code == 401  # the API's session is not signed in either

    device, codes = _set_up(client)
    assert device.confirmed and len(codes) == 10
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_it_asks_the_code_at_every_login_and_refuses_a_wrong_or_replayed_one(district: Any) -> None:
    device, _codes = _set_up(_password_login("signatory"))
    used = _code(device)  # the setup used this code

    client = _password_login("signatory")
    assert client.get("/requests/")["Location"].startswith("/account/second-factor/")
    wrong = client.post("/account/second-factor/", {"code": "000000" if used != "000000" else "111111"})
    replayed = client.post("/account/second-factor/", {"code": used})

    assert wrong.status_code == 422 and replayed.status_code == 422
    assert client.get("/requests/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post("/account/second-factor/", {"code": _code(device, step=1), "next": "/requests/"})
    assert right.status_code == 302 and right["Location"] == "/requests/"
    assert client.get("/requests/").status_code == 200


def test_it_takes_a_recovery_code_once(district: Any) -> None:
    _device, codes = _set_up(_password_login("signatory"))

    first = _password_login("signatory")
    again = _password_login("signatory")
    assert first.post("/account/second-factor/", {"code": codes[0]}).status_code == 302
    assert again.post("/account/second-factor/", {"code": codes[0]}).status_code == 422
    assert StaticToken.objects.filter(device__user=district.signatory).count() == 9


def test_it_never_redirects_to_another_site_after_the_code(district: Any) -> None:
    _device, codes = _set_up(_password_login("signatory"))
    client = _password_login("signatory")
    response = client.post("/account/second-factor/", {"code": codes[1], "next": "https://evil.example/x"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_lets_anyone_add_a_second_factor_and_then_asks_it(district: Any) -> None:
    clerk = _password_login("clerk")
    assert clerk.get("/requests/").status_code == 200  # not required for a clerk
    _set_up(clerk)

    later = _password_login("clerk")
    assert later.get("/requests/")["Location"].startswith("/account/second-factor/")


def test_it_does_not_let_a_password_alone_add_another_authenticator(district: Any) -> None:
    _set_up(_password_login("signatory"))
    thief = _password_login("signatory")
    response = thief.get("/account/second-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/")
    assert TOTPDevice.objects.filter(user=district.signatory).count() == 1


def test_it_makes_new_recovery_codes_only_for_a_verified_session(district: Any) -> None:
    _device, codes = _set_up(_password_login("signatory"))
    thief = _password_login("signatory")
    assert thief.post("/account/recovery-codes/")["Location"].startswith("/account/second-factor/")
    assert StaticToken.objects.filter(device__user=district.signatory, token=codes[0]).exists()

    owner = sign_in(Client(), district.signatory)
    fresh = re.findall(r"<code>([^<]+)</code>", owner.post("/account/recovery-codes/").content.decode())
    assert len(fresh) == 10 and not StaticToken.objects.filter(token=codes[0]).exists()


def test_it_ends_a_session_left_idle_past_the_administrators_limit(district: Any, settings: Any) -> None:
    from zayavky.catalog.models import Organisation
    from zayavky.web import middleware

    org = Organisation.current()
    org.session_idle_minutes = 5
    org.save()
    middleware._idle_cache.clear()
    client = sign_in(Client(), district.clerk)
    assert client.get("/requests/").status_code == 200
    session = client.session
    session[middleware.LAST_SEEN] = int(time.time()) - 5 * 60 - 1
    session.save()

    response = client.get("/requests/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/v1/me").status_code == 401
