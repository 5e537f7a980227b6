"""POST /api/v1/requests/{id}/files: photos, acts and scans (2.5) — checked by content, size-limited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zayavky.api.tests.helpers import assert_error, snapshot
from zayavky.cases.models import Attachment
from zayavky.conftest import JPEG_1PX

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(api: Any, persona: str, request_id: int, name: str, data: bytes, **fields: Any) -> Any:
    client: Client = api.client
    form = {"file": SimpleUploadedFile(name, data), "kind": "photo", **fields}
    return client.post(f"/api/v1/requests/{request_id}/files", form, HTTP_AUTHORIZATION=f"Bearer {api.token(persona)}")


def _stored(settings: Any) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_it_attaches_a_photo(api: Any, district: Any, advance: Any, settings: Any) -> None:
    request = advance("in_work")
    response = _upload(api, "executor", request.pk, "світлина.jpg", JPEG_1PX)
    assert response.status_code == 201, response.content
    body = response.json()
    attachment = Attachment.objects.get()
    assert body["id"] == attachment.pk and body["name"] == "світлина.jpg" and body["kind"] == "photo"
    assert body["content_type"] == "image/jpeg" and body["size"] == len(JPEG_1PX)
    assert body["url"] == f"/files/{attachment.pk}/"
    assert body["uploaded_by"]["id"] == district.executor.pk
    assert len(_stored(settings)) == 1
    detail = api.get("head", f"/api/v1/requests/{request.pk}").json()
    assert [f["id"] for f in detail["files"]] == [attachment.pk]
    assert detail["history"][-1]["action"] == "attach"


def test_it_attaches_an_act_as_pdf(api: Any, advance: Any) -> None:
    request = advance("in_work")
    response = _upload(api, "head", request.pk, "акт.pdf", PDF, kind="act")
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    "name, data",
    [
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("act.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("photo.jpg", JPEG_1PX[:20]),  # claims to be a JPEG, but is broken
        ("empty.jpg", b""),
    ],
)
def test_it_refuses_a_disguised_file(api: Any, advance: Any, settings: Any, name: str, data: bytes) -> None:
    request = advance("in_work")
    before = snapshot(request)
    body = assert_error(_upload(api, "executor", request.pk, name, data), 422, field="file")
    assert body["code"] in ("file_type", "file_empty")
    assert snapshot(request) == before and _stored(settings) == []


def test_it_refuses_an_oversize_file(api: Any, advance: Any, settings: Any) -> None:
    settings.ZAYAVKY_MAX_UPLOAD_MB = 1
    request = advance("in_work")
    before = snapshot(request)
    big = JPEG_1PX[:-2] + b"\x00" * (1024 * 1024) + b"\xff\xd9"
    body = assert_error(_upload(api, "executor", request.pk, "big.jpg", big), 422, "file_too_large", "file")
    assert "1" in body["message"]
    assert snapshot(request) == before and _stored(settings) == []


def test_it_needs_a_file_and_a_kind(api: Any, advance: Any) -> None:
    request = advance("in_work")
    url = f"/api/v1/requests/{request.pk}/files"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api.token('executor')}"}
    assert_error(api.client.post(url, {"kind": "photo"}, **auth), 422, "invalid", "file")
    form = {"file": SimpleUploadedFile("a.jpg", JPEG_1PX), "kind": "selfie"}
    assert_error(api.client.post(url, form, **auth), 422, "invalid", "kind")
    assert_error(api.client.post(url, {"file": SimpleUploadedFile("a.jpg", JPEG_1PX)}, **auth), 422, field="kind")
    assert not Attachment.objects.exists()


def test_it_refuses_the_wrong_person_and_the_wrong_state(api: Any, advance: Any, settings: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    assert_error(_upload(api, "controller", request.pk, "a.jpg", JPEG_1PX), 403, "wrong_person")
    assert_error(_upload(api, "executor2", request.pk, "a.jpg", JPEG_1PX), 403, "wrong_person")
    assert_error(_upload(api, "other_head", request.pk, "a.jpg", JPEG_1PX), 404, "not_found")
    assert_error(_upload(api, "executor", request.pk, "a.jpg", JPEG_1PX, expected_status="routed"), 409, "stale")
    assert snapshot(request) == before
    signed = advance("signed")
    assert_error(_upload(api, "clerk", signed.pk, "a.jpg", JPEG_1PX), 409, "wrong_state")
    assert _stored(settings) == []
