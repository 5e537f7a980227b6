"""Every error of the API is one JSON shape: ``{"code": str, "message": str, "fields": {field: [messages]}}``.

Status codes: 400 (the body is not JSON), 401 (who are you?), 403 (not yours to do), 404 (no such thing, or
not one you may see), 409 (the request's state does not allow it), 422 (the data is wrong). The messages
follow the caller's language (Ukrainian by default, ``Accept-Language: en`` for English). Bad input never
ends in a 500: a 500 here is a bug, logged with its traceback, and still answered in the same shape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ValidationError as PydanticValidationError

from zayavky.api.fields import printable
from zayavky.cases.errors import WorkflowError

logger = logging.getLogger(__name__)

#: The key of errors that belong to no one field (Django's NON_FIELD_ERRORS).
NO_FIELD = "__all__"
#: Where ninja puts a parameter that is not a field of a schema: the name of the body argument.
BODY_PARAM = "payload"


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


# --- pydantic's complaints, in the caller's language --------------------------------------------------


def _expected(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def message_for(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence a clerk understands (pydantic itself speaks only English)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "zayavky":  # our own validators: the message is already translated
        return str(error.get("msg", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "string_type":
        return _("Expected text.")
    if kind == "string_too_short":
        if int(ctx.get("min_length", 1)) <= 1:
            return _("This field must not be empty.")
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("Wrong format.")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("Expected a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("bool_type", "bool_parsing"):
        return _("Expected true or false.")
    if kind == "timezone_aware":
        return _("Give the time with its offset from UTC, e.g. 2026-11-30T18:00:00+02:00.")
    if kind.startswith(("datetime_", "date_")):
        return _("Expected a date and time, e.g. 2026-11-30T18:00:00+02:00.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(values)s.") % {"values": _expected(ctx)}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Expected a JSON object.")
    if kind in ("list_type", "tuple_type"):
        return _("Expected a list.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Invalid value.")


#: The names pydantic gives the members of a union in an error's location: not fields the caller sent.
_UNION_TAG = re.compile(r"^(constrained-|function-|lax-|json-or-python|literal\[|tagged-union)|^(int|str|float|bool)$")


def _field_name(loc: Iterable[Any], *, ninja: bool) -> str:
    parts = [p for i, p in enumerate(loc) if not (i and isinstance(p, str) and _UNION_TAG.match(p))]
    if ninja and parts:
        source = parts.pop(0)  # "body", "query", "path", "form", "file"
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return printable(".".join(str(p) for p in parts)) or NO_FIELD


def fields_from(errors: Iterable[Mapping[str, Any]], *, ninja: bool = False) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()), ninja=ninja)
        if name == NO_FIELD and error.get("type") == "missing":  # no body at all
            message = _("Send the data as a JSON object.")
        else:
            message = message_for(error)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


def summary(fields: Mapping[str, list[str]]) -> str:
    """The top-level message of a 422: the one problem, or the list of fields to look at."""
    if len(fields) == 1:
        name, messages = next(iter(fields.items()))
        return messages[0] if name == NO_FIELD else f"{name}: {messages[0]}"
    return _("Some fields are filled in wrongly: %(fields)s.") % {"fields": ", ".join(fields)}


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
