"""Headers, limits and the API's manners, tried the way an attacker would (ASVS 8.2, 12.1, 13.2, 14.4).

The production settings (HSTS, ``__Host-`` cookies, the deploy check) are read at start, so those are run
through the `zayavky` console script and a fresh interpreter with the README's environment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zayavky.api.tests.helpers import assert_error, snapshot
from zayavky.conftest import JPEG_1PX, sign_in

ZAYAVKY = str(Path(sys.executable).with_name("zayavky"))
CYRILLIC = re.compile("[А-Яа-яІіЇїЄєҐґ]")
PRODUCTION = {
    "SECRET_KEY": "production-like-" + "k" * 50,
    "ALLOWED_HOSTS": "zayavky.example.gov.ua",
    "CSRF_TRUSTED_ORIGINS": "https://zayavky.example.gov.ua",
    "SECURE_COOKIES": "1",
    "BEHIND_TLS_PROXY": "1",
}


def _production(tmp_path: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    # Not the test process's own settings (the browser tests' conftest allows async-unsafe calls in it).
    dev_only = ("DEBUG", "ZAYAVKY_INSECURE_DEV", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dev_only}
    env.update(PRODUCTION, ZAYAVKY_VAR_DIR=str(tmp_path))
    command = [sys.executable, "-c", script] if script else [ZAYAVKY, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_it_passes_the_deploy_check_with_the_readmes_production_settings(tmp_path: Path) -> None:
    result = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_sends_hsts_and_host_only_cookies_behind_tls(tmp_path: Path) -> None:
    script = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
page = Client(HTTP_HOST="zayavky.example.gov.ua").get("/login/", secure=True)
print(json.dumps({"hsts": page.get("Strict-Transport-Security", ""), "cookies": list(page.cookies),
                  "session": settings.SESSION_COOKIE_NAME, "secure": settings.SESSION_COOKIE_SECURE}))
"""
    result = _production(
        tmp_path, script="import os; os.environ['DJANGO_SETTINGS_MODULE']='zayavky.settings'\n" + script
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"].startswith("max-age=31536000") and "includeSubDomains" in seen["hsts"]
    assert seen["session"] == "__Host-sessionid" and seen["secure"] is True
    assert "__Host-csrftoken" in seen["cookies"]


def test_it_sends_a_csp_without_unsafe_inline_and_no_store(district: Any, advance: Any) -> None:
    request = advance("routed")
    clerk = sign_in(Client(), district.clerk)
    for url in ["/", f"/requests/{request.pk}/", f"/requests/{request.pk}/card/", "/login/"]:
        response = clerk.get(url)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "script-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy
        assert response["Cache-Control"] == "no-store", url
    card = clerk.get(f"/requests/{request.pk}/card/")
    nonce = re.search(r"'nonce-([^']+)'", card["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert f'<script nonce="{nonce}">' in card.content.decode()
    api = clerk.get(f"/api/v1/requests/{request.pk}")
    assert api["Cache-Control"] == "no-store"


def test_it_answers_an_api_call_without_credentials_with_401_never_csrf(client: Client, district: Any) -> None:
    answers = [
        client.post("/api/v1/intake", "{}", content_type="application/json"),
        client.post("/api/v1/requests/1/comment", "{}", content_type="application/json"),
        client.get("/api/v1/me"),
    ]
    for response in answers:
        body = assert_error(response, 401, "unauthenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert CYRILLIC.search(body["message"])


def test_it_answers_413_to_a_six_megabyte_json_body(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    body = json.dumps({"text": "я" * (3 * 1024 * 1024)})
    assert_error(api.act("head", request.pk, "comment", raw=body), 413, "too_large")
    assert snapshot(request) == before


def test_it_refuses_a_body_over_the_limit_before_reading_it(api: Any, settings: Any, district: Any) -> None:
    settings.ZAYAVKY_MAX_BODY_MB = 1
    response = api.client.post(
        "/api/v1/intake", "x", content_type="application/json", CONTENT_LENGTH=str(2 * 1024 * 1024 + 1)
    )
    assert_error(response, 413, "too_large")


def test_it_answers_a_multipart_upload_without_boundary_with_400(api: Any, advance: Any) -> None:
    request = advance("in_work")
    response = api.client.post(
        f"/api/v1/requests/{request.pk}/files",
        b'--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n--x--\r\n',
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {api.token('head')}",
    )
    assert response.status_code in (400, 422) and response.status_code < 500
    assert set(response.json()) == {"code", "message", "fields"}


def test_it_refuses_more_files_than_allowed_in_one_upload(district: Any, advance: Any, settings: Any) -> None:
    request = advance("in_work")
    before = snapshot(request)
    head = sign_in(Client(), district.head)
    page = head.get(f"/requests/{request.pk}/")
    files = [
        SimpleUploadedFile(f"{n}.jpg", JPEG_1PX, "image/jpeg") for n in range(settings.ZAYAVKY_MAX_UPLOAD_FILES + 1)
    ]
    response = head.post(
        f"/requests/{request.pk}/act/attach/",
        {"attach-expected_status": page.context["sr"].status, "attach-kind": "photo", "attach-file": files},
    )
    assert response.status_code == 400
    assert snapshot(request) == before


def test_it_names_a_download_by_the_type_found_in_it(district: Any, advance: Any) -> None:
    from zayavky.cases import workflow

    request = advance("in_work")
    _request, attachment = workflow.attach(district.head, request.pk, upload=("акт.pdf.exe", JPEG_1PX), kind="photo")
    response = sign_in(Client(), district.head).get(f"/files/{attachment.pk}/")
    assert "filename*=utf-8''%D0%B0%D0%BA%D1%82.pdf.jpg" in response["Content-Disposition"]


def test_it_speaks_ukrainian_by_default_on_every_error_path(api: Any, district: Any, advance: Any) -> None:
    request = advance("in_work")
    answers = [
        api.get("head", "/api/v1/nowhere"),
        api.client.put("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {api.token('head')}"),
        api.act("head", request.pk, "comment", raw="{"),
        api.act("head", request.pk, "comment", {"text": ""}),
        api.act("head", request.pk, "comment", {"text": "x", "extra": 1}),
        api.act("head", request.pk, "sign", {"confirmation": "1"}),
        api.act("head", 10**20, "comment", {"text": "x"}),
        api.get("head", "/api/v1/requests", page="0"),
        api.get("head", "/api/v1/requests", status="lost"),
        api.get("head", "/api/v1/requests", due_before="2026-02-30"),
        api.get("integration", "/api/v1/requests/1/nothing"),
    ]
    for response in answers:
        body = response.json()
        assert response.status_code >= 400 and CYRILLIC.search(body["message"]), (response.status_code, body)
        for messages in body["fields"].values():
            assert all(CYRILLIC.search(m) for m in messages), body
