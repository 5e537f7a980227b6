"""One request from the Contact Center to publication purely through the API, each step by its own
persona with its own token — order 170-р from 2.1 to 2.9."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zayavky.api.tests.helpers import intake_payload
from zayavky.cases.models import Mail
from zayavky.conftest import JPEG_1PX, confirmation_for


def test_it_walks_a_request_from_intake_to_publication(api: Any, district: Any) -> None:
    # 2.1: the Contact Center hands it over, suggesting a type.
    created = api.post("integration", "/api/v1/intake", intake_payload(category="01.002", text="Прорвало трубу."))
    assert created.status_code == 201
    pk = created.json()["id"]
    url = f"/api/v1/requests/{pk}"

    def step(persona: str, action: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        before = api.get(persona, url).json()
        assert action in before["actions"], (persona, action, before["actions"])
        response = api.act(persona, pk, action, {**(data or {}), "expected_status": before["status"]})
        assert response.status_code == 200, (action, response.content)
        return response.json()  # type: ignore[no-any-return]

    # 2.2: the general department routes it by the Classifier (the suggested type).
    suggested = api.get("general", url).json()["suggested_category"]["code"]
    body = step("general", "route", {"category": suggested})
    assert body["status"] == "routed" and body["urgency"] == "emergency"
    # 2.3: the unit clerk prints the card and passes it to the head, who names the executor.
    assert step("clerk", "take")["status"] == "with_head"
    assert step("head", "assign", {"executor": district.executor.pk})["status"] == "in_work"
    # 2.13: it cannot be done at once: the head extends the term within 12 hours.
    window = api.get("head", url).json()["dues"]["extension_window"]
    body = step("head", "extend", {"new_due": window["latest_due"], "justification": "Потрібен екскаватор."})
    assert body["dues"]["extended"] == window["latest_due"]
    # 2.10: the executor calls the applicant; 2.5: photographs the work and drafts the answer.
    step("executor", "contact", {"channel": "phone", "outcome": "reached", "note": "Домовились про доступ."})
    photo = api.client.post(
        f"{url}/files",
        {"file": SimpleUploadedFile("труба.jpg", JPEG_1PX), "kind": "photo"},
        HTTP_AUTHORIZATION=f"Bearer {api.token('executor')}",
    )
    assert photo.status_code == 201
    suggested_answer = api.get("executor", url).json()["suggested_answer"]
    assert suggested_answer == ""  # the applicant was reached: no 2.11 sentence
    step("executor", "draft", {"text": "Трубу замінено.", "outcome": "executed"})
    # 2.6: the head submits the saved draft; the signatory sends it back once, then signs (2.4, 2.8).
    assert step("head", "submit")["status"] == "on_signature"
    assert step("signatory", "return", {"comment": "Додайте адресу."})["status"] == "in_work"
    body = step("head", "submit", {"text": "Трубу за адресою вул. Соборності, 10 замінено.", "outcome": "executed"})
    assert body["status"] == "on_signature"
    body = step("signatory", "sign", {"confirmation": confirmation_for(district.signatory)})
    assert body["status"] == "signed" and body["outgoing_number"] and body["dues"]["under_control"] is False
    # 2.7: the unit hands it back, with the e-version to the general department's mailbox; 2.9: published.
    assert step("clerk", "hand_over")["status"] == "handed_over"
    assert Mail.objects.get(request_id=pk).to == district.org.general_mailbox
    body = step("general", "publish")
    assert body["status"] == "published" and body["stages"]["published_at"]

    final = api.get("controller", url).json()
    assert [(e["action"], e["actor"]["name"]) for e in final["history"]] == [
        ("receive", district.integration.short_name),
        ("route", district.general.short_name),
        ("take", district.clerk.short_name),
        ("assign", district.head.short_name),
        ("extend", district.head.short_name),
        ("contact", district.executor.short_name),
        ("attach", district.executor.short_name),
        ("draft", district.executor.short_name),
        ("submit", district.head.short_name),
        ("return", district.signatory.short_name),
        ("submit", district.head.short_name),
        ("sign", district.signatory.short_name),
        ("hand_over", district.clerk.short_name),
        ("publish", district.general.short_name),
    ]
    assert final["answer"]["text"].startswith("Трубу за адресою") and final["files"][0]["kind"] == "photo"
    assert final["dues"]["unit"]["state"] == final["dues"]["district"]["state"] == "met"
    assert dt.datetime.fromisoformat(final["dues"]["control_due"]) == dt.datetime.fromisoformat(window["latest_due"])
    assert final["applicant"]["phone"] is None  # the controller: no personal data
    # The Contact Center returns it: back to the same unit and executor, a new round (docs/design.md 2).
    body = step("integration", "rework", {"reason": "Заявник не підтвердив виконання."})
    assert body["status"] == "in_work" and body["executor"]["id"] == district.executor.pk
    assert body["rework_count"] == 1 and body["earlier_answers"][0]["round"] == 0
