"""POST /api/v1/intake: the Contact Center hands a request over (2.1); nothing it sends is ever lost."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zayavky.api.tests.helpers import assert_error, intake_payload
from zayavky.cases.models import Event, ServiceRequest
from zayavky.contactcenter import intake
from zayavky.contactcenter.models import IntakeRecord

URL = "/api/v1/intake"


def _records(outcome: str | None = None) -> list[IntakeRecord]:
    qs = IntakeRecord.objects.order_by("pk")
    return list(qs.filter(outcome=outcome) if outcome else qs)


def test_it_receives_a_new_request(api: Any, district: Any) -> None:  # 2.1
    payload = intake_payload(applicant={"name": "Гончаренко Г. І.", "phone": "067 111 22 33", "email": "G@Example.ORG"})
    r = api.post("integration", URL, payload)
    assert r.status_code == 201, r.content
    body = r.json()
    request = ServiceRequest.objects.get()
    assert body["id"] == request.pk and body["number"] == "1520-000123" and body["status"] == "new"
    # The phone in E.164 (region UA), the e-mail's domain in lower case.
    assert request.applicant_phone == "+380671112233"
    assert request.applicant_email == "G@example.org"
    assert request.received_at == dt.datetime.fromisoformat(payload["received_at"])
    assert [e.action for e in Event.objects.filter(request=request)] == ["receive"]
    (record,) = _records()
    assert record.outcome == "created" and record.request == request and record.actor == district.integration
    assert record.payload == payload  # kept as it came, not normalised
    assert len(record.digest) == 64


def test_it_lets_the_general_department_hand_over_too(api: Any) -> None:
    assert api.post("general", URL, intake_payload()).status_code == 201


@pytest.mark.parametrize("persona", ["head", "clerk", "executor", "signatory", "controller"])
def test_it_refuses_intake_to_other_roles(api: Any, persona: str) -> None:
    body = assert_error(api.post(persona, URL, intake_payload()), 403, "wrong_person")
    assert "2.1" in body["message"]
    assert not ServiceRequest.objects.exists()
    assert not IntakeRecord.objects.exists()  # not a hand-over by the Contact Center


def test_it_refuses_intake_without_credentials(api: Any) -> None:
    assert_error(api.post(None, URL, intake_payload()), 401, "unauthenticated")
    assert not IntakeRecord.objects.exists()


def test_it_remembers_the_suggested_type_without_routing(api: Any, district: Any) -> None:
    r = api.post("integration", URL, intake_payload(category=district.emergency.code))
    assert r.status_code == 201
    body = api.get("general", f"/api/v1/requests/{r.json()['id']}").json()
    # The general department still routes (2.2): the suggestion is only shown.
    assert body["status"] == "new" and body["category"] is None and body["unit"] is None
    assert body["suggested_category"] == {"code": "01.002", "name": "Порив водопроводу"}
    assert "route" in body["actions"]
    assert "01.002" in _records("created")[0].message


def test_it_answers_a_repeat_with_the_same_request(api: Any) -> None:
    first = api.post("integration", URL, intake_payload(text="Не горить світло.\nПід'їзд №2."))
    # Same content, formatted differently: the phone in another notation, the time in Kyiv's offset, the
    # text with CR LF and spaces around it.
    payload = intake_payload(text="  Не горить світло.\r\nПід'їзд №2.\n")
    payload["received_at"] = (
        dt.datetime.fromisoformat(payload["received_at"]).astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
    )
    payload["applicant"] = {**payload["applicant"], "phone": "(067) 111-22-33"}
    again = api.post("integration", URL, payload)
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert ServiceRequest.objects.count() == 1
    assert Event.objects.count() == 1
    assert [x.outcome for x in _records()] == ["created", "duplicate"]
    assert _records()[0].digest == _records()[1].digest
    assert ServiceRequest.objects.get().text == "Не горить світло.\nПід'їзд №2."


def test_it_refuses_the_same_number_with_other_content_and_keeps_it(api: Any) -> None:
    first = api.post("integration", URL, intake_payload())
    request = ServiceRequest.objects.get()
    changed = intake_payload(text="Зовсім інша заявка: прорвало трубу.", address="вул. Інша, 1")
    body = assert_error(api.post("integration", URL, changed), 409, "intake_conflict")
    assert "1520-000123" in body["message"]
    assert set(body["fields"]) == {"text", "address"}
    # Nothing changed on the request; the conflicting payload is kept for the general department.
    request.refresh_from_db()
    assert request.text == intake_payload()["text"] and Event.objects.count() == 1
    conflict = _records("conflict")[0]
    assert conflict.payload == changed and conflict.request_id == first.json()["id"]
    log = api.get("general", "/api/v1/intake-log", outcome="conflict").json()
    assert log["count"] == 1 and log["results"][0]["payload"]["text"] == changed["text"]


def test_it_counts_a_different_suggested_type_as_other_content(api: Any, district: Any) -> None:
    api.post("integration", URL, intake_payload(category=district.ordinary.code))
    body = assert_error(api.post("integration", URL, intake_payload(category=district.medium.code)), 409)
    assert set(body["fields"]) == {"category"}


def _assert_refused(api: Any, payload: Any, field: str, *, lang: str | None = None) -> dict[str, Any]:
    body = assert_error(api.post("integration", URL, payload, lang=lang), 422, "invalid", field)
    assert not ServiceRequest.objects.exists()
    (record,) = _records()
    assert record.outcome == "rejected" and record.request is None
    assert record.payload == payload  # a refused hand-over is kept too
    assert field in record.message
    return body


@pytest.mark.parametrize("code", ["99.999", "retired"])
def test_it_keeps_an_unknown_or_retired_suggested_type_without_using_it(api: Any, district: Any, code: str) -> None:
    """A suggestion only (2.2): an unknown code never costs a resident their request."""
    if code == "retired":
        district.medium.is_active = False
        district.medium.save()
        code = district.medium.code
    response = api.post("integration", URL, intake_payload(category=code))
    assert response.status_code == 201
    assert response.json()["category"] is None and _records()[0].payload["category"] == code


@pytest.mark.parametrize("moment", ["1900-01-01T00:00+14:00", "1999-12-31T23:59:59Z"])
def test_it_refuses_a_time_of_receipt_before_the_system_could_have_received_anything(api: Any, moment: str) -> None:
    _assert_refused(api, intake_payload(received_at=moment), "received_at")


def test_it_refuses_a_naive_received_at(api: Any) -> None:
    body = _assert_refused(api, intake_payload(received_at="2026-01-05T10:00:00"), "received_at", lang="en")
    assert "offset" in body["fields"]["received_at"][0]


def test_it_refuses_a_received_at_in_the_future(api: Any) -> None:
    future = (timezone.now() + dt.timedelta(minutes=6)).isoformat()
    body = _assert_refused(api, intake_payload(received_at=future), "received_at", lang="en")
    assert "future" in body["fields"]["received_at"][0]


def test_it_allows_a_small_clock_skew(api: Any) -> None:
    soon = (timezone.now() + dt.timedelta(minutes=4)).isoformat()
    assert api.post("integration", URL, intake_payload(received_at=soon)).status_code == 201


@pytest.mark.parametrize("value", ["", "   ", None])
def test_it_refuses_an_empty_text(api: Any, value: Any) -> None:
    _assert_refused(api, intake_payload(text=value), "text")


@pytest.mark.parametrize("phone", ["12345", "+38067", "телефон", "+1 555 0100 000000"])
def test_it_refuses_a_malformed_phone(api: Any, phone: str) -> None:
    payload = intake_payload()
    payload["applicant"] = {**payload["applicant"], "phone": phone}
    _assert_refused(api, payload, "applicant.phone")


@pytest.mark.parametrize("email", ["petrenko", "petrenko@", "@example.org", "a b@example.org"])
def test_it_refuses_a_malformed_email(api: Any, email: str) -> None:
    payload = intake_payload()
    payload["applicant"] = {**payload["applicant"], "email": email}
    _assert_refused(api, payload, "applicant.email")


def test_it_accepts_an_applicant_without_email(api: Any) -> None:
    # 2.10.2: an applicant may give no e-mail address (then the unit contacts them).
    payload = intake_payload(applicant={"name": "Гончаренко Г. І.", "phone": "0671112233", "email": None})
    assert api.post("integration", URL, payload).status_code == 201
    assert ServiceRequest.objects.get().applicant_email == ""


def test_it_keeps_the_applicants_postal_address(api: Any) -> None:
    payload = intake_payload()
    payload["applicant"] = {**payload["applicant"], "address": "вул. Поштова, 5, кв. 7"}
    assert api.post("integration", URL, payload).status_code == 201
    assert ServiceRequest.objects.get().applicant_address == "вул. Поштова, 5, кв. 7"


def test_it_refuses_a_missing_applicant_name_in_ukrainian(api: Any) -> None:
    payload = intake_payload(applicant={"phone": "+380671112233"})
    body = _assert_refused(api, payload, "applicant.name")
    assert body["fields"]["applicant.name"] == ["Це поле обов'язкове."]


def test_it_refuses_unknown_fields(api: Any) -> None:
    _assert_refused(api, intake_payload(catgory="01.001"), "catgory")


def test_it_refuses_a_body_that_is_not_json_and_keeps_it(api: Any) -> None:
    assert_error(api.post("integration", URL, raw='{"external_id": "1520-1", "text": '), 400, "malformed")
    (record,) = _records()
    assert record.outcome == "rejected" and record.payload == {"raw_body": '{"external_id": "1520-1", "text": '}
    assert not ServiceRequest.objects.exists()


def test_it_refuses_a_form_posted_from_a_session_and_keeps_it(district: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.general)
    browser.get("/api/docs")  # the CSRF cookie
    form = {
        "external_id": "1520-7",
        "text": "Форма замість JSON",
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }
    assert_error(browser.post(URL, form), 400, "malformed")
    (record,) = _records()
    assert record.outcome == "rejected"
    assert record.payload == {"form": {"external_id": "1520-7", "text": "Форма замість JSON"}}
    assert not ServiceRequest.objects.exists()


def test_it_refuses_a_body_too_large_and_says_so(api: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error(api.post("integration", URL, intake_payload(text="я" * 2000)), 413, "too_large")
    assert _records()[0].outcome == "rejected" and not ServiceRequest.objects.exists()


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null"])
def test_it_refuses_json_that_is_not_an_object(api: Any, body: str) -> None:
    assert_error(api.post("integration", URL, raw=body), 422, "invalid", "__all__")
    assert _records()[0].outcome == "rejected"


def test_it_keeps_what_postgres_would_refuse_to_store(api: Any) -> None:
    # NUL and a lone surrogate: refused (422), and still kept in the log in a storable form.
    raw = json.dumps(intake_payload(text="a\x00b", address="\ud800"))
    body = assert_error(api.post("integration", URL, raw=raw), 422, "invalid")
    assert {"text", "address"} <= set(body["fields"])
    assert _records()[0].payload["text"] == "a\ufffdb"
    raw = '{"external_id": "1520-9", "received_at": NaN, "text": Infinity}'
    assert_error(api.post("integration", URL, raw=raw), 422)
    assert _records()[1].payload == {"external_id": "1520-9", "received_at": "nan", "text": "inf"}


def test_it_answers_a_race_as_a_repeat(api: Any, monkeypatch: Any) -> None:
    """Two identical hand-overs at once: the unique number lets one in, the other is a repeat."""
    first = api.post("integration", URL, intake_payload())
    real = intake._existing
    calls = []

    def not_yet_visible(number: str) -> Any:
        calls.append(number)
        return None if len(calls) == 1 else real(number)  # the first look misses the other's insert

    monkeypatch.setattr(intake, "_existing", not_yet_visible)
    again = api.post("integration", URL, intake_payload())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert len(calls) == 2
    assert ServiceRequest.objects.count() == 1 and Event.objects.count() == 1
    assert [x.outcome for x in _records()] == ["created", "duplicate"]


def test_it_answers_a_conflicting_race_as_a_conflict(api: Any, monkeypatch: Any) -> None:
    api.post("integration", URL, intake_payload())
    real = intake._existing
    calls: list[str] = []

    def existing(number: str) -> Any:
        calls.append(number)
        return None if len(calls) == 1 else real(number)

    monkeypatch.setattr(intake, "_existing", existing)
    assert_error(api.post("integration", URL, intake_payload(text="Інше.")), 409, "intake_conflict")
    assert ServiceRequest.objects.count() == 1
    assert [x.outcome for x in _records()] == ["created", "conflict"]
