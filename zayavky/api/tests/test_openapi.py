"""The OpenAPI document and the interactive docs page: complete, valid, and with no CDN (docs/design.md 4)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

from zayavky.api.schemas import ACTION_INPUT

ROOT = Path(settings.BASE_DIR)


def _document(client: Client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(response.content)  # type: ignore[no-any-return]


def test_it_documents_every_endpoint(client: Client, db: Any) -> None:
    doc = _document(client)
    assert doc["openapi"].startswith("3.")
    expected = {
        "/api/v1/me": {"get"},
        "/api/v1/units": {"get"},
        "/api/v1/categories": {"get"},
        "/api/v1/requests": {"get"},
        "/api/v1/requests/{id}": {"get"},
        "/api/v1/requests/{id}/files": {"post"},
        "/api/v1/intake": {"post"},
        "/api/v1/intake-log": {"get"},
        "/api/v1/intake-log/{id}/settle": {"post"},
        **{f"/api/v1/requests/{{id}}/{action}": {"post"} for action in ACTION_INPUT},
    }
    assert {path: set(ops) for path, ops in doc["paths"].items()} == expected
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            # Every operation says who may call it and documents the one error shape.
            assert operation.get("security"), (path, method)
            responses = operation["responses"]
            for status in ("401", "403", "404", "422"):
                assert responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }, (path, method, status)
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_it_documents_the_data_of_each_action_and_of_the_intake(client: Client, db: Any) -> None:
    doc = _document(client)
    route = doc["paths"]["/api/v1/requests/{id}/route"]["post"]["requestBody"]["content"]["application/json"]
    assert route["schema"] == {"$ref": "#/components/schemas/RouteIn"}
    assert set(doc["components"]["schemas"]["RouteIn"]["properties"]) == {"category", "unit", "note", "expected_status"}
    intake = doc["paths"]["/api/v1/intake"]["post"]
    schema = intake["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"external_id", "received_at", "text", "applicant"}
    assert set(schema["properties"]["applicant"]["properties"]) == {"name", "phone", "email", "address"}
    assert {"200", "201", "409", "422"} <= set(intake["responses"])


def test_it_writes_a_document_whose_references_all_resolve(client: Client, db: Any) -> None:
    doc = _document(client)
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(doc)))
    assert refs
    for ref in refs:
        node: Any = doc
        assert ref.startswith("#/"), ref
        for part in ref[2:].split("/"):
            node = node[part]
        assert isinstance(node, dict)


def test_it_serves_the_docs_page_without_any_external_url(client: Client, db: Any) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "/api/openapi.json" in html
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html), html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/ninja/") for a in assets), assets
    # The validator badge of Swagger UI would load an image from swagger.io.
    assert '"validatorUrl": null' in html
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_it_does_not_need_schemathesis_to_run(client: Client, db: Any) -> None:
    """schemathesis fuzzes the API in `make fuzz` (a development dependency); the application never imports it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [r for r in project["dependencies"] if r.lower().startswith("schemathesis")]
    sources = "\n".join(p.read_text() for p in (ROOT / "zayavky").rglob("*.py") if "tests" not in p.parts)
    assert "import schemathesis" not in sources
