"""Two hand-overs of one Contact Center number at the same moment (a retry racing the original): one
request, never two. On PostgreSQL two threads with two connections really race; the same path is checked
on every database, one after the other, in test_intake.py."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.test import Client

from zayavky.api.tests.helpers import intake_payload
from zayavky.cases.models import Event, ServiceRequest
from zayavky.conftest import at_once, on_postgres
from zayavky.contactcenter import intake
from zayavky.contactcenter.models import IntakeRecord


@on_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("same", [True, False], ids=["same-content", "other-content"])
def test_it_receives_one_request_from_two_simultaneous_hand_overs(
    transactional_db: None, api: Any, monkeypatch: pytest.MonkeyPatch, same: bool
) -> None:
    token = api.token("integration")
    payloads = [intake_payload(), intake_payload() if same else intake_payload(text="Інший текст.")]
    barrier = threading.Barrier(2, timeout=30)
    real = intake._existing
    looked: set[int] = set()

    def both_look_first(number: str) -> Any:
        found = real(number)
        if threading.get_ident() not in looked:  # each thread's first look: neither has inserted yet
            looked.add(threading.get_ident())
            barrier.wait()
        return found

    monkeypatch.setattr(intake, "_existing", both_look_first)
    responses = at_once(
        lambda slot: Client().post(
            "/api/v1/intake", payloads[slot], content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        ),
        barrier=False,  # the two meet at the barrier inside their first look-up, above
    )
    statuses = [getattr(r, "status_code", r) for r in responses]

    assert sorted(statuses) == ([200, 201] if same else [201, 409]), statuses
    assert ServiceRequest.objects.count() == 1
    assert Event.objects.filter(action="receive").count() == 1
    outcomes = sorted(IntakeRecord.objects.values_list("outcome", flat=True))
    assert outcomes == (["created", "duplicate"] if same else ["conflict", "created"])
