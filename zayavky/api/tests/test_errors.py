"""Every error is {"code", "message", "fields"} with 400/401/403/404/409/422, in Ukrainian unless asked for
English — and bad input never ends in a 500."""

from __future__ import annotations

from typing import Any

import pytest

from zayavky.api.tests.helpers import assert_error, snapshot


def test_it_speaks_ukrainian_by_default_and_english_when_asked(api: Any, advance: Any) -> None:
    request = advance("in_work")
    uk = assert_error(api.act("head", request.pk, "draft", {"outcome": "executed"}), 422, "invalid", "text")
    en = assert_error(api.act("head", request.pk, "draft", {"outcome": "executed"}, lang="en"), 422)
    assert uk["fields"]["text"] == ["Це поле обов'язкове."]
    assert en["fields"]["text"] == ["This field is required."]
    uk = assert_error(api.get(None, "/api/v1/me"), 401)
    en = assert_error(api.get(None, "/api/v1/me", lang="en"), 401)
    assert uk["message"] != en["message"] and "Bearer" in en["message"]


def test_it_answers_a_body_that_is_not_json_with_400(api: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    for raw in ['{"text": ', "text=hello", b"\xff\xfe\x00", "[" * 100_000]:
        assert_error(api.act("head", request.pk, "comment", raw=raw), 400, "malformed")
    assert snapshot(request) == before


def test_it_answers_an_unknown_action_with_404(api: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    for action in ["approve", "attach", "delete", "ROUTE"]:
        assert_error(api.act("general", request.pk, action), 404, "not_found")
    assert snapshot(request) == before


def test_it_answers_unknown_addresses_under_api_in_json(api: Any) -> None:
    for url in ["/api/v1/nothing", "/api/v2/requests", "/api/v1/requests/abc", "/api/v1/requests/1/x/y"]:
        assert_error(api.get("general", url), 404, "not_found")
    assert api.get(None, "/api/").json()["docs"] == "/api/docs"


def test_it_answers_a_wrong_method_in_json(api: Any, client: Any) -> None:
    response = client.delete("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {api.token('general')}")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("pk", ["0", "99999", "9" * 19, "9" * 40])
def test_it_answers_no_such_request_with_404(api: Any, advance: Any, pk: str) -> None:
    advance("in_work")
    assert_error(api.get("general", f"/api/v1/requests/{pk}"), 404, "not_found")
    assert_error(api.act("general", pk, "comment", {"text": "x"}), 404, "not_found")  # type: ignore[arg-type]


def test_it_names_every_wrong_field(api: Any, advance: Any) -> None:
    request = advance("in_work")
    body = assert_error(
        api.act("head", request.pk, "contact", {"channel": 5, "outcome": "lost", "nota": "x"}, lang="en"), 422
    )
    assert set(body["fields"]) == {"channel", "outcome", "nota"}
    assert body["fields"]["nota"] == ["Unknown field."]
    assert "phone" in body["fields"]["outcome"][0]
    assert all(name in body["message"] for name in body["fields"])


def test_it_refuses_text_no_database_would_store(api: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    assert_error(api.act("head", request.pk, "comment", raw='{"text": "a\\u0000b"}'), 422, "invalid", "text")
    assert_error(api.act("head", request.pk, "comment", raw='{"text": "\\ud800"}'), 422, "invalid", "text")
    assert_error(api.act("head", request.pk, "comment", raw='{"\\ud800": 1, "text": "ok"}'), 422, "invalid")
    assert snapshot(request) == before


def test_it_refuses_a_body_of_null_for_an_action_with_data(api: Any, advance: Any) -> None:
    request = advance("in_work")
    assert_error(api.act("head", request.pk, "comment", raw="null"), 422, "invalid", "__all__")
    body = assert_error(api.act("head", request.pk, "comment", raw="", lang="en"), 422, "invalid", "__all__")
    assert body["message"] == "Send the data as a JSON object."
