"""Two API clients take the same step on one request at the same moment: one 200, one 409 with the one
error shape, one history row. PostgreSQL only: two real connections."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from zayavky.cases import workflow
from zayavky.cases.models import Event
from zayavky.conftest import at_once, on_postgres


@on_postgres
@pytest.mark.postgres
def test_it_answers_the_slower_of_two_simultaneous_steps_with_409(
    transactional_db: None, api: Any, district: Any, make_request: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = make_request()
    token = api.token("general")
    record = workflow._record

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # the winner holds its row lock a moment: the other surely waits on it
        return record(*args, **kwargs)

    monkeypatch.setattr(workflow, "_record", slow)
    answers = at_once(
        lambda slot: Client().post(
            f"/api/v1/requests/{request.pk}/route",
            json.dumps({"category": district.ordinary.pk}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409], answers
    loser = next(a for a in answers if a.status_code == 409).json()
    assert loser["code"] == "wrong_state" and set(loser) == {"code", "message", "fields"}
    assert Event.objects.filter(request=request, action="route").count() == 1
