"""`/api/`: the API's own URLs, then a JSON 404 for anything else under /api/ — an API client never gets an
HTML error page. A method a path does not take (405) is answered in the same JSON shape."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from zayavky.api.api import api
from zayavky.api.errors import json_error


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            json = json_error(
                405,
                "method_not_allowed",
                _("This address does not take %(method)s.") % {"method": request.method},
            )
            json["Allow"] = allowed
            return json
        return response

    return wrapped


def index(request: HttpRequest) -> HttpResponse:
    """`/api/`: where to go from here (ninja reverses this URL's name for the OpenAPI paths)."""
    return JsonResponse({"v1": "/api/v1/", "openapi": "/api/openapi.json", "docs": "/api/docs"})


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return json_error(404, "not_found", _("No such address in the API."))


app_name = "api"  # ninja reverses "api:openapi-json" (urls_namespace)
_patterns, _app, _namespace = api.urls
urlpatterns: list[Any] = [
    URLPattern(p.pattern, index if p.name == "api-root" else _json_405(p.callback), p.default_args, p.name)
    if isinstance(p, URLPattern)
    else p
    for p in _patterns
]
urlpatterns.append(re_path(r"^(?P<rest>[\s\S]*)$", not_found))  # any path, a line break in it too
