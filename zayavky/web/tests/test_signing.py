"""Signing is deliberate (2.4, 2.8; ASVS 2.8): the signatory confirms, and what was signed stays visible."""

from __future__ import annotations

from typing import Any

from zayavky.api.tests.helpers import snapshot
from zayavky.cases.models import Answer
from zayavky.conftest import confirmation_for
from zayavky.web.tests.conftest import form_data


def _sign(client: Any, request: Any, confirmation: str) -> Any:
    page = client.get(f"/requests/{request.pk}/")
    return client.post(f"/requests/{request.pk}/act/sign/", form_data(page, "sign", confirmation=confirmation))


def test_it_refuses_to_sign_without_the_code_or_with_a_wrong_one(district: Any, advance: Any, login: Any) -> None:
    request = advance("on_signature")
    before = snapshot(request)
    signatory = login("signatory")

    for confirmation in ["", "000000", "pw-but-wrong", "x" * 500]:
        response = _sign(signatory, request, confirmation)
        assert response.status_code == 422, confirmation
        assert "confirmation" in response.context["forms"][0].errors or any(
            "confirmation" in f.errors for f in response.context["forms"]
        )
    assert snapshot(request) == before


def test_it_signs_with_the_code_and_shows_what_was_signed(district: Any, advance: Any, login: Any) -> None:
    request = advance("on_signature")
    signatory = login("signatory")

    response = _sign(signatory, request, confirmation_for(district.signatory))

    assert response.status_code == 302
    request.refresh_from_db()
    event = request.events.get(action="sign")
    assert request.status == "signed" and len(request.signed_sha256) == 64
    assert event.data["sha256"] == request.signed_sha256
    page = login("clerk").get(f"/requests/{request.pk}/").content.decode()
    assert request.signed_sha256 in page and 'data-testid="signed-unchanged"' in page


def test_it_shows_an_answer_changed_after_signing(district: Any, advance: Any, login: Any) -> None:
    request = advance("signed")
    Answer.objects.filter(request=request).update(text="Підмінений текст.")  # behind the workflow's back

    page = login("clerk").get(f"/requests/{request.pk}/").content.decode()
    detail = login("clerk").get(f"/api/v1/requests/{request.pk}").json()

    assert 'data-testid="signed-changed"' in page
    assert detail["signed_content_changed"] is True and detail["signed_sha256"] == request.signed_sha256
