"""GET /api/v1/requests/{id}: the whole request — history, contacts, answers, files, dues, and `actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zayavky.api.tests.helpers import assert_error
from zayavky.cases import workflow
from zayavky.conftest import JPEG_1PX


def _ms(value: str) -> dt.datetime:
    """A time as the API gives it: ISO 8601 with the offset, to the millisecond (as JavaScript reads it)."""
    return dt.datetime.fromisoformat(value)


def _same(value: str, moment: dt.datetime) -> bool:
    return abs(_ms(value) - moment) < dt.timedelta(milliseconds=1)


def _get(api: Any, persona: str, pk: int) -> dict[str, Any]:
    response = api.get(persona, f"/api/v1/requests/{pk}")
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_it_shows_everything_about_a_request(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work")
    workflow.contact(district.executor, request.pk, channel="phone", outcome="phone_off")
    workflow.draft(district.executor, request.pk, text="Світло відновлено.", outcome="executed")
    workflow.attach(district.executor, request.pk, upload=("фото.jpg", JPEG_1PX), kind="photo")
    body = _get(api, "head", request.pk)

    assert body["number"] == request.number and body["status"] == "in_work"
    assert body["category"]["code"] == "01.001" and body["unit"]["short_name"] == "ЖКГ"
    assert body["executor"] == {"id": district.executor.pk, "name": district.executor.short_name}
    assert [e["action"] for e in body["history"]] == [
        "receive",
        "route",
        "take",
        "assign",
        "contact",
        "draft",
        "attach",
    ]
    assign = body["history"][3]
    assert assign["actor"]["name"] == district.head.short_name
    assert (assign["from_status"], assign["to_status"]) == ("with_head", "in_work")
    assert assign["data"]["executor"]["id"] == district.executor.pk
    assert body["contacts"][0]["outcome"] == "phone_off" and body["contacts"][0]["channel"] == "phone"
    assert body["answer"]["text"] == "Світло відновлено." and body["answer"]["round"] == 0
    assert body["earlier_answers"] == []
    assert body["files"][0]["name"] == "фото.jpg" and body["files"][0]["url"].startswith("/files/")
    stages = body["stages"]
    assert stages["routed_at"] and stages["card_printed_at"] and stages["assigned_at"] and not stages["signed_at"]
    # Times in Kyiv, with their offset.
    assert dt.datetime.fromisoformat(body["received_at"]).utcoffset() in (dt.timedelta(hours=2), dt.timedelta(hours=3))
    # What the head may do now (2.3, 2.6), and the draft with the 2.11 sentence (the phone was off).
    assert {"submit", "contact", "draft", "reassign", "return_to_general", "comment", "attach"} <= set(body["actions"])
    assert "extend" not in body["actions"]  # an ordinary request (2.13)
    assert body["suggested_answer"].startswith("Світло відновлено.")
    assert body["suggested_answer"] != "Світло відновлено."


def test_it_shows_each_person_what_they_may_do(api: Any, district: Any, advance: Any) -> None:
    request = advance("on_signature")
    assert set(_get(api, "signatory", request.pk)["actions"]) == {"sign", "return", "comment"}
    assert _get(api, "executor", request.pk)["actions"] == ["comment"]
    assert _get(api, "controller", request.pk)["actions"] == ["comment"]
    assert "withdraw" in _get(api, "integration", request.pk)["actions"]
    # The draft is offered only to those who may draft or submit.
    assert _get(api, "controller", request.pk)["suggested_answer"] is None


def test_it_shows_the_dues(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work")
    dues = _get(api, "head", request.pk)["dues"]
    assert _same(dues["internal"], request.internal_due)
    assert _same(dues["regulation"], request.regulation_due)
    assert _same(dues["control_due"], request.control_due)
    assert dues["extended"] is None and dues["overdue"] is False and dues["under_control"] is True
    assert 0 < dues["time_left_seconds"] <= 6 * 24 * 3600
    assert dues["extension_window"] is None  # only for emergency requests


def test_it_shows_the_extension_window_of_an_emergency_request(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work", category=district.emergency)
    body = _get(api, "head", request.pk)
    window = body["dues"]["extension_window"]
    assert _same(window["decide_by"], request.received_at + dt.timedelta(hours=12))
    assert _ms(window["latest_due"]) > request.regulation_due
    assert window["open"] is True and "extend" in body["actions"]
    # 23 h from receipt, 2.12.3.
    assert _same(body["dues"]["internal"], request.received_at + dt.timedelta(hours=23))


def test_it_shows_an_overdue_request(api: Any, advance: Any) -> None:
    request = advance("in_work", received_at=timezone.now() - dt.timedelta(days=10))
    dues = _get(api, "general", request.pk)["dues"]
    assert dues["overdue"] is True and dues["time_left_seconds"] < 0


def test_it_keeps_the_earlier_rounds_after_a_rework(api: Any, district: Any, advance: Any) -> None:
    request = advance("published")
    before = _get(api, "general", request.pk)
    assert before["dues"]["unit"]["state"] == before["dues"]["district"]["state"] == "met"
    assert before["outgoing_number"] and before["signed_by"]["id"] == district.signatory.pk
    workflow.rework(district.integration, request.pk, reason="Заявник не підтвердив.")
    body = _get(api, "head", request.pk)
    assert body["rework_count"] == 1 and body["answer"] is None
    assert [a["round"] for a in body["earlier_answers"]] == [0]
    assert body["earlier_answers"][0]["text"] == "Світло відновлено."
    assert body["outgoing_number"] == "" and body["stages"]["published_at"] is None


def test_it_answers_404_for_a_request_one_may_not_see(api: Any, advance: Any, make_request: Any) -> None:
    routed = advance("routed")
    new = make_request()
    assert_error(api.get("other_head", f"/api/v1/requests/{routed.pk}"), 404, "not_found")
    assert_error(api.get("head", f"/api/v1/requests/{new.pk}"), 404, "not_found")  # not routed yet
    assert_error(api.get("other_signatory", f"/api/v1/requests/{routed.pk}"), 404, "not_found")
    # The same answer as for a request that does not exist at all: no hint.
    missing = api.get("other_head", "/api/v1/requests/999999").json()
    assert api.get("other_head", f"/api/v1/requests/{routed.pk}").json() == missing
