"""Calling the API as each persona does: with the token `zayavky token USERNAME` prints."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zayavky.cases.models import ServiceRequest


class Api:
    """The django test client with one Bearer token per persona, made by the `token` command."""

    def __init__(self, client: Client, district: Any) -> None:
        self.client = client
        self.district = district
        self._tokens: dict[str, str] = {}

    def token(self, persona: str) -> str:
        if persona not in self._tokens:
            out = StringIO()
            call_command("token", self.district.persona(persona).username, stdout=out)
            self._tokens[persona] = out.getvalue().strip()
        return self._tokens[persona]

    def _headers(self, persona: str | None, lang: str | None) -> dict[str, Any]:
        headers: dict[str, Any] = {}
        if persona:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token(persona)}"
        if lang:
            headers["HTTP_ACCEPT_LANGUAGE"] = lang
        return headers

    def get(self, persona: str | None, url: str, lang: str | None = None, **params: Any) -> Any:
        return self.client.get(url, params, **self._headers(persona, lang))

    def post(
        self,
        persona: str | None,
        url: str,
        data: Any = None,
        *,
        raw: str | bytes | None = None,
        lang: str | None = None,
    ) -> Any:
        body = raw if raw is not None else json.dumps({} if data is None else data)
        return self.client.post(url, body, content_type="application/json", **self._headers(persona, lang))

    def act(self, persona: str, request_id: int, action: str, data: Any = None, **kw: Any) -> Any:
        return self.post(persona, f"/api/v1/requests/{request_id}/{action}", data, **kw)


def assert_error(response: Any, status: int, code: str | None = None, field: str | None = None) -> dict[str, Any]:
    """The one error shape: {"code", "message", "fields"}, with the right status."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["fields"].values())
    if code:
        assert body["code"] == code, body
    if field:
        assert field in body["fields"], body
    return body


def snapshot(request: ServiceRequest) -> dict[str, Any]:
    """Everything an action could change: compared before and after a refused one."""
    r = ServiceRequest.objects.get(pk=request.pk)
    return {
        "row": {f.attname: getattr(r, f.attname) for f in ServiceRequest._meta.concrete_fields},
        "events": list(r.events.values_list("pk", flat=True)),
        "contacts": r.contacts.count(),
        "answers": list(r.answers.values_list("round", "text", "outcome")),
        "files": r.attachments.count(),
        "extensions": r.extensions.count(),
    }


#: One moment for every hand-over of a test run, so that two calls of `intake_payload` are the same content.
RECEIVED_AT = (timezone.now() - dt.timedelta(minutes=30)).astimezone(dt.UTC).replace(microsecond=0)


def intake_payload(**overrides: Any) -> dict[str, Any]:
    """A hand-over as the Contact Center sends it (2.1)."""
    payload: dict[str, Any] = {
        "external_id": "1520-000123",
        "received_at": RECEIVED_AT.isoformat(),
        "text": "Не горить світло в під'їзді №2.",
        "address": "вул. Соборності, 10",
        "applicant": {"name": "Гончаренко Галина Іванівна", "phone": "+380671112233", "email": "g@example.org"},
    }
    payload.update(overrides)
    return payload
