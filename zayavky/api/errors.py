"""Every error of the API is one JSON shape: ``{"code": str, "message": str, "fields": {field: [messages]}}``.

Status codes: 400 (the body is not JSON), 401 (who are you?), 403 (not yours to do), 404 (no such thing, or
not one you may see), 409 (the request's state does not allow it), 422 (the data is wrong). The messages
follow the caller's language (Ukrainian by default, ``Accept-Language: en`` for English). Bad input never
ends in a 500: a 500 here is a bug, logged with its traceback, and still answered in the same shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ValidationError as PydanticValidationError

from zayavky.cases.errors import WorkflowError
from zayavky.cases.fields import fields_from, summary

logger = logging.getLogger(__name__)


def body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "message": str(message),
        "fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()},
    }


def json_error(status: int, code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> JsonResponse:
    """An error answered outside ninja (unknown URL under /api/, a method a path does not take)."""
    response = JsonResponse(body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="zayavky"'
    return response


# --- the handlers ------------------------------------------------------------------------------------


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: str, fields: Any = None) -> HttpResponse:
        response = api.create_response(request, body(code, message, fields), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="zayavky"'
        return response

    @api.exception_handler(WorkflowError)
    def workflow_error(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = fields_from(exc.errors, ninja=True)
        return respond(request, 422, "invalid", summary(fields), fields)

    @api.exception_handler(PydanticValidationError)
    def schema_error(request: HttpRequest, exc: PydanticValidationError) -> HttpResponse:
        # Data validated inside a view (e.g. an action posted with the body `null`).
        fields = fields_from(exc.errors(include_url=False))
        return respond(request, 422, "invalid", summary(fields), fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            "unauthenticated",
            _("Sign in, or give an API token: Authorization: Bearer <token>."),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja raises these for a body it cannot parse and for a failed CSRF check.
        if exc.status_code == 400:
            return respond(request, 400, "malformed", _("The request body is not valid JSON."))
        if exc.status_code == 403 and "csrf" in exc.message.lower():
            return respond(request, 403, "csrf", _("The CSRF check failed: reload the page and try again."))
        return respond(request, exc.status_code, "error", exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", str(exc) or _("This is not yours to do."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "too_large", _("The request body is too large."))

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # e.g. multipart/form-data without its boundary: the body cannot be read as a form at all.
        return respond(request, 400, "malformed", _("The request body is not a valid multipart form."))

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        return respond(request, 413, "too_many_files", _("Too many files in one request."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not bad input: keep the traceback in the log, answer in the one shape.
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "server_error", _("Something went wrong on our side; it has been logged."))
