"""The intake log: the general department sees (and settles) what the Contact Center sent that was not
received as a new request — in the API and in the administration."""

from __future__ import annotations

from typing import Any

import pytest

from zayavky.api.tests.helpers import assert_error, intake_payload
from zayavky.cases.models import Event
from zayavky.conftest import sign_in
from zayavky.contactcenter.models import IntakeRecord

URL = "/api/v1/intake-log"


@pytest.fixture
def log(api: Any) -> dict[str, IntakeRecord]:
    """One hand-over of each outcome."""
    api.post("integration", "/api/v1/intake", intake_payload())
    api.post("integration", "/api/v1/intake", intake_payload())
    api.post("integration", "/api/v1/intake", intake_payload(text="Інший текст."))
    api.post("integration", "/api/v1/intake", intake_payload(external_id="1520-2", text=""))
    return {r.outcome: r for r in IntakeRecord.objects.all()}


def test_it_lists_every_hand_over(api: Any, log: dict[str, IntakeRecord]) -> None:
    body = api.get("general", URL).json()
    assert body["count"] == 4 and body["page"] == 1
    assert {r["outcome"] for r in body["results"]} == {"created", "duplicate", "conflict", "rejected"}
    rejected = next(r for r in body["results"] if r["outcome"] == "rejected")
    assert rejected["external_id"] == "1520-2" and rejected["request"] is None
    assert rejected["payload"]["applicant"]["phone"] == "+380671112233"


def test_it_filters_the_conflicts(api: Any, log: dict[str, IntakeRecord]) -> None:
    body = api.get("general", URL, outcome="conflict").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["payload"]["text"] == "Інший текст." and row["request"]["number"] == "1520-000123"
    assert row["settled_at"] is None
    assert api.get("general", URL, settled="false", outcome="conflict").json()["count"] == 1
    assert api.get("general", URL, external_id="1520-2").json()["count"] == 1


def test_it_refuses_a_wrong_filter(api: Any, log: dict[str, IntakeRecord]) -> None:
    assert_error(api.get("general", URL, outcome="lost"), 422, "invalid", "outcome")
    assert_error(api.get("general", URL, page_size="500"), 422, "invalid", "page_size")


def test_it_hides_the_applicants_contacts_from_the_controller(api: Any, log: dict[str, IntakeRecord]) -> None:
    response = api.get("controller", URL)
    assert response.status_code == 200 and response.json()["count"] == 4
    assert b"+380671112233" not in response.content and b"g@example.org" not in response.content
    assert "Гончаренко".encode() not in response.content  # not even the name (Law on PD protection, art. 6)
    for record in response.json()["results"]:
        assert set(record["payload"]) <= {"external_id", "received_at", "category", "address", "text"}


@pytest.mark.parametrize(
    "body",
    [
        {"applicant": {"name": "Гончаренко Галина", "mobile": "+380671112233"}},  # an extra field
        {"applicant": "Гончаренко Галина, +380671112233"},  # the applicant as text
        [{"external_id": "1520-X", "phone": "+380671112233", "name": "Гончаренко Галина"}],  # a list body
        {"phone": "+380671112233", "contact": {"deep": ["Гончаренко Галина"]}},  # anywhere else
    ],
)
def test_it_shows_the_controller_only_allowed_fields_of_refused_hand_overs_of_any_shape(
    api: Any, district: Any, body: Any
) -> None:
    if isinstance(body, dict):
        body = {**intake_payload(external_id="1520-X"), **body}
    assert api.post("integration", "/api/v1/intake", body).status_code in (400, 422)

    response = api.get("controller", URL)

    assert b"380671112233" not in response.content and "Гончаренко".encode() not in response.content
    assert "Гончаренко".encode() in api.get("general", URL).content  # the general department sees it all


@pytest.mark.parametrize("persona", ["head", "clerk", "executor", "signatory", "integration"])
def test_it_keeps_the_log_from_others(api: Any, log: dict[str, IntakeRecord], persona: str) -> None:
    assert_error(api.get(persona, URL), 403, "wrong_person")


def test_it_lets_the_general_department_settle_a_conflict(
    api: Any, district: Any, log: dict[str, IntakeRecord]
) -> None:
    conflict = log["conflict"]
    response = api.post("general", f"{URL}/{conflict.pk}/settle")
    assert response.status_code == 200
    assert response.json()["settled_by"]["id"] == district.general.pk
    conflict.refresh_from_db()
    assert conflict.settled_by == district.general and conflict.settled_at
    assert api.get("general", URL, settled="false", outcome="conflict").json()["count"] == 0
    # Once is enough; a created request needs no settling; the controller only reads.
    assert_error(api.post("general", f"{URL}/{conflict.pk}/settle"), 409, "wrong_state")
    assert_error(api.post("general", f"{URL}/{log['created'].pk}/settle"), 409, "wrong_state")
    assert_error(api.post("controller", f"{URL}/{log['rejected'].pk}/settle"), 403)
    assert_error(api.post("general", f"{URL}/999999/settle"), 404, "not_found")
    assert IntakeRecord.objects.filter(settled_at__isnull=False).count() == 1


def test_it_shows_the_log_in_the_administration(client: Any, district: Any, log: dict[str, IntakeRecord]) -> None:
    sign_in(client, district.admin)
    page = client.get("/admin/contactcenter/intakerecord/", {"outcome__exact": "conflict"})
    assert page.status_code == 200
    assert "1520-000123" in page.content.decode()
    detail = client.get(f"/admin/contactcenter/intakerecord/{log['conflict'].pk}/change/")
    assert detail.status_code == 200 and "Інший текст." in detail.content.decode()
    # Evidence is not deleted.
    assert client.get(f"/admin/contactcenter/intakerecord/{log['conflict'].pk}/delete/").status_code == 403


def test_it_settles_from_the_administration(client: Any, district: Any, log: dict[str, IntakeRecord]) -> None:
    sign_in(client, district.admin)
    ids = [r.pk for r in log.values()]
    response = client.post(
        "/admin/contactcenter/intakerecord/", {"action": "settle", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    settled = IntakeRecord.objects.filter(settled_at__isnull=False)
    assert {r.outcome for r in settled} == {"conflict", "rejected"}
    assert all(r.settled_by == district.admin for r in settled)


def test_it_takes_the_new_version_and_says_so_in_the_history(
    api: Any, district: Any, log: dict[str, IntakeRecord]
) -> None:
    conflict = log["conflict"]
    request = conflict.request
    assert request is not None and request.text != "Інший текст."
    response = api.post("general", f"{URL}/{conflict.pk}/settle", {"decision": "take_new"})
    assert response.status_code == 200 and response.json()["decision"] == "take_new"
    request.refresh_from_db()
    assert request.text == "Інший текст."  # the differing field, and only it
    event = request.events.get(action="settle_intake")
    assert event.actor == district.general
    assert event.data == {"record": conflict.pk, "decision": "take_new", "fields": ["text"]}
    # The page tells it in Ukrainian.
    client = api.client
    client.force_login(district.general)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert "Суперечливу передачу Контакт-центру врегульовано: прийнято нову версію (п. 2.1)." in page


@pytest.mark.parametrize("decision", ["keep", "dismiss"])
def test_it_keeps_the_request_as_it_is(api: Any, log: dict[str, IntakeRecord], decision: str) -> None:
    conflict = log["conflict"]
    before = conflict.request.text  # type: ignore[union-attr]
    assert api.post("general", f"{URL}/{conflict.pk}/settle", {"decision": decision}).status_code == 200
    conflict.refresh_from_db()
    assert conflict.decision == decision and conflict.request.text == before  # type: ignore[union-attr]
    event = conflict.request.events.get(action="settle_intake")  # type: ignore[union-attr]
    assert event.data == {"record": conflict.pk, "decision": decision, "fields": []}


def test_it_only_dismisses_a_refused_hand_over(api: Any, log: dict[str, IntakeRecord]) -> None:
    rejected = log["rejected"]
    assert_error(api.post("general", f"{URL}/{rejected.pk}/settle", {"decision": "take_new"}), 422, "invalid")
    assert_error(api.post("general", f"{URL}/{rejected.pk}/settle", {"decision": "later"}), 422, "invalid")
    rejected.refresh_from_db()
    assert rejected.settled_at is None  # a refused decision changes nothing
    response = api.post("general", f"{URL}/{rejected.pk}/settle")
    assert response.status_code == 200 and response.json()["decision"] == "dismiss"


def test_it_refuses_a_new_version_that_is_no_longer_valid(
    api: Any, district: Any, log: dict[str, IntakeRecord]
) -> None:
    """A new version the intake would refuse today (here: no text) cannot be taken; nothing changes."""
    conflict = log["conflict"]
    IntakeRecord.objects.filter(pk=conflict.pk).update(payload={**conflict.payload, "text": " "})
    response = api.post("general", f"{URL}/{conflict.pk}/settle", {"decision": "take_new"})
    assert_error(response, 422, "invalid", "text")
    conflict.refresh_from_db()
    assert conflict.settled_at is None
    assert not Event.objects.filter(request_id=conflict.request_id, action="settle_intake").exists()
