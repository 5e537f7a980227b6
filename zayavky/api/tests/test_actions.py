"""POST /api/v1/requests/{id}/{action}: every transition of the procedure through the API, by the right
person only; a refused one (wrong state 409, wrong person 403, wrong data 422) changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from zayavky.api.schemas import ACTION_INPUT
from zayavky.api.tests.helpers import assert_error, snapshot
from zayavky.cases import workflow
from zayavky.cases.models import Event, ServiceRequest
from zayavky.conftest import PASSWORD, confirmation_for


def _kyiv(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


# (action, starting status, persona, data, status after) — one allowed move per action.
ALLOWED: list[tuple[str, str, str, Callable[[Any], dict[str, Any]], str]] = [
    ("route", "new", "general", lambda d: {"category": d.ordinary.pk}, "routed"),
    ("take", "routed", "clerk", lambda d: {}, "with_head"),
    ("assign", "with_head", "head", lambda d: {"executor": d.executor.pk}, "in_work"),
    ("reassign", "in_work", "head", lambda d: {"executor": d.executor2.pk, "reason": "відпустка"}, "in_work"),
    ("contact", "in_work", "executor", lambda d: {"channel": "phone", "outcome": "reached"}, "in_work"),
    ("draft", "in_work", "executor", lambda d: {"text": "Світло є.", "outcome": "executed"}, "in_work"),
    ("submit", "in_work", "head", lambda d: {"text": "Світло є.", "outcome": "executed"}, "on_signature"),
    ("return", "on_signature", "signatory", lambda d: {"comment": "Уточніть дату."}, "in_work"),
    ("sign", "on_signature", "signatory", lambda d: {"confirmation": confirmation_for(d.signatory)}, "signed"),
    ("hand_over", "signed", "clerk", lambda d: {}, "handed_over"),
    ("publish", "handed_over", "general", lambda d: {"note": "Розміщено."}, "published"),
    ("rework", "published", "integration", lambda d: {"reason": "Заявник не підтвердив."}, "in_work"),
    ("withdraw", "in_work", "integration", lambda d: {"reason": "Скасовано заявником."}, "withdrawn"),
    (
        "return_to_general",
        "with_head",
        "head",
        lambda d: {"reason": "wrong_unit", "comment": "Це благоустрій."},
        "new",
    ),
    ("comment", "signed", "controller", lambda d: {"text": "Перевірено."}, "signed"),
]


def test_it_covers_every_action_but_attach() -> None:
    assert set(ACTION_INPUT) == set(workflow.ACTIONS) - {"attach"}
    assert {row[0] for row in ALLOWED} | {"extend"} == set(ACTION_INPUT)


@pytest.mark.parametrize("action, start, persona, data, after", ALLOWED, ids=[row[0] for row in ALLOWED])
def test_it_takes_each_action(
    api: Any, district: Any, advance: Any, action: str, start: str, persona: str, data: Any, after: str
) -> None:
    request = advance(start)
    events = Event.objects.filter(request=request).count()
    response = api.act(persona, request.pk, action, {**data(district), "expected_status": start})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == request.pk and body["status"] == after
    # Exactly one history row, by this person, for this action.
    assert Event.objects.filter(request=request).count() == events + 1
    last = body["history"][-1]
    assert last["action"] == action and last["actor"]["id"] == district.persona(persona).pk
    assert (last["from_status"], last["to_status"]) == (start, after)


def test_it_routes_by_classifier_code_and_to_another_unit(api: Any, district: Any, make_request: Any) -> None:
    request = make_request()
    body = api.act("general", request.pk, "route", {"category": "01.001", "unit": district.blag.pk}).json()
    assert body["category"]["code"] == "01.001" and body["unit"]["short_name"] == "Благоустрій"
    assert body["urgency"] == "ordinary" and body["dues"]["internal"]


# (action, status it is refused in, persona who could take it elsewhere, data)
WRONG_STATE = [
    ("route", "routed", "general", lambda d: {"category": d.ordinary.pk}),
    ("take", "with_head", "clerk", lambda d: {}),
    ("assign", "in_work", "head", lambda d: {"executor": d.executor.pk}),
    ("submit", "on_signature", "head", lambda d: {"text": "x", "outcome": "executed"}),
    ("sign", "in_work", "signatory", lambda d: {"confirmation": "000000"}),
    ("sign", "signed", "signatory", lambda d: {"confirmation": "000000"}),
    ("hand_over", "on_signature", "clerk", lambda d: {}),
    ("publish", "signed", "general", lambda d: {}),
    ("rework", "handed_over", "general", lambda d: {"reason": "x"}),
    ("withdraw", "published", "general", lambda d: {"reason": "x"}),
    ("return_to_general", "on_signature", "head", lambda d: {"reason": "wrong_unit", "comment": "x"}),
]


@pytest.mark.parametrize("action, status, persona, data", WRONG_STATE, ids=[f"{r[0]}-{r[1]}" for r in WRONG_STATE])
def test_it_refuses_an_action_in_the_wrong_state_with_409(
    api: Any, district: Any, advance: Any, action: str, status: str, persona: str, data: Any
) -> None:
    request = advance(status)
    before = snapshot(request)
    body = assert_error(api.act(persona, request.pk, action, data(district)), 409, "wrong_state")
    assert request.number in body["message"]
    assert snapshot(request) == before


# (action, status, persona who may see it but not take it, data)
WRONG_PERSON = [
    ("route", "new", "controller", lambda d: {"category": d.ordinary.pk}),
    ("route", "new", "integration", lambda d: {"category": d.ordinary.pk}),
    ("take", "routed", "head", lambda d: {}),
    ("take", "routed", "general", lambda d: {}),
    ("assign", "with_head", "clerk", lambda d: {"executor": d.executor.pk}),
    ("assign", "with_head", "executor", lambda d: {"executor": d.executor.pk}),
    ("contact", "in_work", "executor2", lambda d: {"channel": "phone", "outcome": "reached"}),
    ("submit", "in_work", "executor", lambda d: {"text": "x", "outcome": "executed"}),
    ("sign", "on_signature", "head", lambda d: {"confirmation": PASSWORD}),
    ("sign", "on_signature", "general", lambda d: {"confirmation": PASSWORD}),
    ("return", "on_signature", "controller", lambda d: {"comment": "x"}),
    ("hand_over", "signed", "signatory", lambda d: {}),
    ("publish", "handed_over", "clerk", lambda d: {}),
    ("rework", "published", "head", lambda d: {"reason": "x"}),
    ("withdraw", "in_work", "head", lambda d: {"reason": "x"}),
    ("extend", "in_work", "executor", lambda d: {"new_due": _kyiv(timezone.now()), "justification": "x"}),
]


@pytest.mark.parametrize("action, status, persona, data", WRONG_PERSON, ids=[f"{r[0]}-{r[2]}" for r in WRONG_PERSON])
def test_it_refuses_the_wrong_person_with_403(
    api: Any, district: Any, advance: Any, action: str, status: str, persona: str, data: Any
) -> None:
    request = advance(status)
    before = snapshot(request)
    body = assert_error(api.act(persona, request.pk, action, data(district)), 403, "wrong_person")
    assert body["message"]
    assert snapshot(request) == before


@pytest.mark.parametrize("persona", ["other_head", "other_clerk", "other_signatory", "other_executor"])
def test_it_answers_404_to_those_who_may_not_see_it(api: Any, advance: Any, persona: str) -> None:
    request = advance("on_signature")
    before = snapshot(request)
    for action, data in [
        ("sign", {"confirmation": "000000"}),
        ("comment", {"text": "x"}),
        ("return", {"comment": "x"}),
    ]:
        assert_error(api.act(persona, request.pk, action, data), 404, "not_found")
    assert snapshot(request) == before


def test_it_refuses_a_stale_expected_status_with_409(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    data = {"text": "Світло є.", "outcome": "executed", "expected_status": "with_head"}
    assert_error(api.act("head", request.pk, "submit", data), 409, "stale")
    assert_error(api.act("general", request.pk, "comment", {"text": "x", "expected_status": "new"}), 409)
    assert snapshot(request) == before


@pytest.mark.parametrize(
    "action, status, persona, data, field",
    [
        ("route", "new", "general", {"category": "99.999"}, "category"),
        ("route", "new", "general", {"category": 999999}, "category"),
        ("route", "new", "general", {"category": True}, "category"),
        ("route", "new", "general", {}, "category"),
        ("assign", "with_head", "head", {"executor": "someone"}, "executor"),
        ("assign", "with_head", "head", {"executor": 2.0}, "executor"),
        ("assign", "with_head", "head", {"executor": -1}, "executor"),
        ("contact", "in_work", "executor", {"channel": "pigeon", "outcome": "reached"}, "channel"),
        ("contact", "in_work", "executor", {"channel": "phone", "outcome": "other"}, "note"),
        ("draft", "in_work", "executor", {"text": "   ", "outcome": "executed"}, "text"),
        ("draft", "in_work", "executor", {"text": "x", "outcome": "done"}, "outcome"),
        ("draft", "in_work", "executor", {"text": "x" * 20001, "outcome": "executed"}, "text"),
        ("submit", "in_work", "head", {}, "text"),
        ("return", "on_signature", "signatory", {"comment": ""}, "comment"),
        ("return_to_general", "with_head", "head", {"reason": "bored", "comment": "x"}, "reason"),
        ("rework", "published", "general", {}, "reason"),
        ("comment", "in_work", "general", {"text": ["a", "b"]}, "text"),
        ("take", "routed", "clerk", {"expected_status": "lost"}, "expected_status"),
        ("take", "routed", "clerk", {"expected_staus": "routed"}, "expected_staus"),
    ],
)
def test_it_refuses_wrong_data_with_422(
    api: Any, advance: Any, action: str, status: str, persona: str, data: Any, field: str
) -> None:
    request = advance(status)
    before = snapshot(request)
    assert_error(api.act(persona, request.pk, action, data), 422, field=field)
    assert snapshot(request) == before


def test_it_refuses_an_executor_of_another_unit(api: Any, district: Any, advance: Any) -> None:
    request = advance("with_head")
    before = snapshot(request)
    body = assert_error(api.act("head", request.pk, "assign", {"executor": district.other_executor.pk}), 422)
    assert "executor" in body["fields"]
    assert snapshot(request) == before


def test_it_needs_a_photo_or_act_where_the_classifier_says_so(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work", category=district.emergency)
    before = snapshot(request)
    body = assert_error(
        api.act("head", request.pk, "submit", {"text": "Усунуто.", "outcome": "executed"}), 422, "evidence_required"
    )
    assert "2.5" in body["message"] and "files" in body["fields"]
    assert snapshot(request)["row"] == before["row"]


# --- 2.13: extending an emergency request's term ----------------------------------------------------


@pytest.fixture
def emergency(district: Any, advance: Any) -> ServiceRequest:
    return advance("in_work", category=district.emergency)  # type: ignore[no-any-return]


def test_it_extends_an_emergency_term_within_the_window(api: Any, emergency: ServiceRequest) -> None:
    window = api.get("head", f"/api/v1/requests/{emergency.pk}").json()["dues"]["extension_window"]
    assert window["open"] is True
    latest = dt.datetime.fromisoformat(window["latest_due"])
    body = api.act(
        "head", emergency.pk, "extend", {"new_due": latest.isoformat(), "justification": "Потрібна техніка."}
    )
    assert body.status_code == 200, body.content
    dues = body.json()["dues"]
    assert dt.datetime.fromisoformat(dues["extended"]) == latest == dt.datetime.fromisoformat(dues["control_due"])
    assert body.json()["extensions"][0]["justification"] == "Потрібна техніка."


def test_it_refuses_a_naive_new_due(api: Any, emergency: ServiceRequest) -> None:
    before = snapshot(emergency)
    naive = (timezone.localtime() + dt.timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert_error(
        api.act("head", emergency.pk, "extend", {"new_due": naive, "justification": "x"}), 422, field="new_due"
    )
    assert snapshot(emergency) == before


def test_it_refuses_a_new_due_beyond_the_window(api: Any, emergency: ServiceRequest) -> None:
    before = snapshot(emergency)
    window = api.get("head", f"/api/v1/requests/{emergency.pk}").json()["dues"]["extension_window"]
    beyond = dt.datetime.fromisoformat(window["latest_due"]) + dt.timedelta(minutes=1)
    response = api.act("head", emergency.pk, "extend", {"new_due": beyond.isoformat(), "justification": "x"})
    assert_error(response, 422, "extension_beyond_window", "new_due")
    assert snapshot(emergency) == before


def test_it_refuses_an_extension_after_12_hours_with_the_reason(api: Any, district: Any, advance: Any) -> None:
    late = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=13))
    before = snapshot(late)
    new_due = _kyiv(timezone.now() + dt.timedelta(days=1))
    body = assert_error(
        api.act("head", late.pk, "extend", {"new_due": new_due, "justification": "x"}), 409, "extension_too_late"
    )
    assert "2.13" in body["message"]
    assert snapshot(late) == before


def test_it_refuses_to_extend_an_ordinary_request(api: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    new_due = _kyiv(timezone.now() + dt.timedelta(days=5))
    assert_error(api.act("head", request.pk, "extend", {"new_due": new_due, "justification": "x"}), 409)
    assert snapshot(request) == before
