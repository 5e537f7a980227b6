"""The API's sign needs the same deliberate confirmation as the page (2.4, 2.8)."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from zayavky.api.tests.helpers import assert_error, snapshot
from zayavky.conftest import PASSWORD, confirmation_for


def test_it_refuses_a_sign_without_or_with_a_wrong_confirmation(api: Any, district: Any, advance: Any) -> None:
    request = advance("on_signature")
    TOTPDevice.objects.create(user=district.signatory, name="authenticator", confirmed=True)
    before = snapshot(request)

    assert_error(api.act("signatory", request.pk, "sign", {}), 422, "invalid", field="confirmation")
    assert_error(api.act("signatory", request.pk, "sign", {"confirmation": ""}), 422, field="confirmation")
    # The signatory has a second factor: the password alone no longer confirms.
    wrong = api.act("signatory", request.pk, "sign", {"confirmation": PASSWORD})
    assert_error(wrong, 422, "confirmation_failed", field="confirmation")
    assert snapshot(request) == before


def test_it_signs_with_a_code_and_records_the_digest(api: Any, district: Any, advance: Any) -> None:
    request = advance("on_signature")
    body = api.act("signatory", request.pk, "sign", {"confirmation": confirmation_for(district.signatory)}).json()
    assert body["status"] == "signed"
    assert len(body["signed_sha256"]) == 64 and body["signed_content_changed"] is False
    sign = next(e for e in body["history"] if e["action"] == "sign")
    assert sign["data"]["sha256"] == body["signed_sha256"]


def test_it_takes_the_password_from_a_signatory_without_a_second_factor(api: Any, district: Any, advance: Any) -> None:
    request = advance("on_signature")
    assert api.act("signatory", request.pk, "sign", {"confirmation": PASSWORD}).status_code == 200
