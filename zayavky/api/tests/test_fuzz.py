"""Garbage in, a 4xx out: no JSON shape posted to any endpoint ends in a 500.
A fixed list of nasty shapes, then hypothesis' random ones."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zayavky.api.schemas import ACTION_INPUT

ACTIONS = sorted(ACTION_INPUT)
FIELDS = sorted(
    {name for schema in ACTION_INPUT.values() for name in schema.model_fields}
    | {"external_id", "received_at", "text", "address", "applicant", "category", "name", "phone", "email"}
)
OK = {200, 201, 400, 403, 404, 409, 422}

NASTY: list[Any] = [
    None,
    [],
    "",
    "x",
    0,
    -1,
    2**70,
    1.5,
    True,
    {},
    {"": ""},
    [{}],
    {"a": {"b": {"c": []}}},
    {"expected_status": 5},
    {"expected_status": None},
    {"expected_status": "in_work"},
    {"text": None},
    {"text": ["a"]},
    {"text": {"a": 1}},
    {"text": "x" * 100_000},
    {"text": "\u202e\u0000"},
    {"category": {"x": 1}},
    {"category": 2**64},
    {"category": -5},
    {"category": ""},
    {"category": "01.001"},
    {"unit": "1"},
    {"unit": 2**63},
    {"executor": 10**30},
    {"executor": False},
    {"executor": "1e3"},
    {"new_due": "0001-01-01T00:00:00+14:00", "justification": "x"},
    {"new_due": "9999-12-31T23:59:59-14:00", "justification": "x"},
    {"new_due": 1e308, "justification": "x"},
    {"new_due": "2026-02-30T10:00+02:00", "justification": "x"},
    {"channel": [], "outcome": {}},
    {"reason": "wrong_unit", "comment": 5},
    {"text": "ok", "outcome": "executed", "extra": 1},
    {"applicant": "x"},
    {"applicant": {"phone": 380}},
]
RAW: list[str | bytes] = [
    "{",
    "}",
    "[",
    "nul",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999999",
    '{"a": NaN}',
    '"\\ud800"',
    '{"text": "\\ud800\\udfff\\ud800"}',
    "\ufeff{}",
    b"\xff\xfe\xfd",
    b"\x00",
    "9" * 5000,
    "[" * 5000 + "]" * 5000,
    '{"text": "a", "text": "b"}',
    " " * 10,
]


def _check(response: Any) -> None:
    assert response.status_code in OK, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"code", "message", "fields"}


#: Where each action is possible, and who takes it there: garbage must also reach the workflow itself.
WHERE = {
    "route": ("new", "general"),
    "take": ("routed", "clerk"),
    "assign": ("with_head", "head"),
    "return": ("on_signature", "signatory"),
    "sign": ("on_signature", "signatory"),
    "hand_over": ("signed", "clerk"),
    "publish": ("handed_over", "general"),
    "rework": ("published", "general"),
    "withdraw": ("in_work", "general"),
}


@pytest.fixture
def busy(advance: Any, district: Any) -> dict[str, Any]:
    """A request in each state (an emergency one in work, so that `extend` is possible too)."""
    states = {state for state, _persona in WHERE.values()}
    requests = {state: advance(state) for state in states}
    requests["in_work"] = advance("in_work", category=district.emergency)
    return requests


@pytest.mark.parametrize("action", ACTIONS)
def test_it_never_answers_garbage_with_a_500(api: Any, busy: dict[str, Any], action: str) -> None:
    state, persona = WHERE.get(action, ("in_work", "head"))
    request = busy[state]
    for payload in NASTY:
        _check(api.act(persona, request.pk, action, raw=json.dumps(payload)))
    for raw in RAW:
        _check(api.act(persona, request.pk, action, raw=raw))


def test_it_never_answers_garbage_intake_with_a_500(api: Any, district: Any) -> None:
    for payload in NASTY:
        _check(api.post("integration", "/api/v1/intake", raw=json.dumps(payload)))
    for raw in RAW:
        _check(api.post("integration", "/api/v1/intake", raw=raw))


def test_it_never_answers_garbage_queries_with_a_500(api: Any, busy: dict[str, Any]) -> None:
    values = ["", " ", "-1", "0", "1e3", "9" * 30, "²", "a\x00", "%", "_", "'; drop table x; --", "2026-02-30", "T"]
    for name in [
        "status",
        "unit",
        "category",
        "urgency",
        "executor",
        "overdue",
        "due_before",
        "due_after",
        "received_from",
        "received_to",
        "q",
        "ordering",
        "page",
        "page_size",
    ]:
        for value in values:
            _check(api.get("general", "/api/v1/requests", **{name: value}))
    for value in values:
        _check(api.get("general", "/api/v1/categories", q=value, include_retired=value))
        _check(api.get("general", "/api/v1/intake-log", outcome=value, settled=value, external_id=value))


def test_it_never_answers_garbage_uploads_with_a_500(api: Any, busy: dict[str, Any]) -> None:
    url = f"/api/v1/requests/{busy['in_work'].pk}/files"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api.token('head')}"}
    forms: list[dict[str, Any]] = [
        {},
        {"kind": ""},
        {"file": "not a file", "kind": "photo"},
        {"file": SimpleUploadedFile("a.jpg", b""), "kind": "photo"},
        {"file": SimpleUploadedFile("x" * 300 + ".jpg", b"\x00" * 10), "kind": "photo"},
        {"file": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"\x00" * 100), "kind": "act"},
        {"file": SimpleUploadedFile("a.jpg", b"x"), "kind": "photo", "expected_status": "nope"},
    ]
    for form in forms:
        _check(api.client.post(url, form, **auth))
    _check(api.client.post(url, "{}", content_type="application/json", **auth))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=12,
)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(action=st.sampled_from([*ACTIONS, "intake"]), payload=json_values)
def test_it_never_answers_random_json_with_a_500(api: Any, busy: dict[str, Any], action: str, payload: Any) -> None:
    raw = json.dumps(payload)
    if action == "intake":
        _check(api.post("integration", "/api/v1/intake", raw=raw))
    else:
        _check(api.act("head", busy["in_work"].pk, action, raw=raw))
        _check(api.act("general", busy["new"].pk, action, raw=raw))
