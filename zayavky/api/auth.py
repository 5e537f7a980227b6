"""Who is calling the API: a per-user token (`Authorization: Bearer …`) or the Django session.

A request that carries an ``Authorization`` header is judged by it alone: a wrong, expired or revoked token
is a 401, never a fall-back to the browser's session (and its CSRF check) behind the caller's back. A
request with neither a token nor a signed-in session is a 401 with ``WWW-Authenticate`` — never a CSRF 403
(ASVS 13.2). A session caller must send the CSRF token with every unsafe method, as on the pages, and a
session still waiting for its second factor is not signed in (ASVS 2.7).

A token's scope (``ApiToken.Scope``) narrows what it may do: the Contact Center's ``intake`` token hands
requests over, and reworks or withdraws only the requests it handed over itself (ASVS 4.1.3, 13.1.4).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from zayavky.accounts import security, tokens
from zayavky.accounts.models import ApiToken, User
from zayavky.cases.errors import Forbidden, NotFound
from zayavky.cases.models import Event

#: What an ``intake`` token may call: (method, path); the request's id, if any, is the first group.
INTAKE_SCOPE = (
    ("POST", re.compile(r"^/api/v1/intake$")),
    ("POST", re.compile(r"^/api/v1/requests/(\d{1,19})/(?:rework|withdraw)$")),
)


def _within_scope(request: HttpRequest, grant: tokens.Grant) -> None:
    """Raise unless the token's scope allows this call (404 for a request it did not hand over)."""
    if grant.scope == ApiToken.Scope.FULL:
        return
    for method, pattern in INTAKE_SCOPE:
        match = pattern.match(request.path_info)
        if match and request.method == method:
            if match.groups():
                handed_over = Event.objects.filter(
                    request_id=int(match.group(1)), action="receive", actor=grant.user
                ).exists()
                if not handed_over:
                    raise NotFound(_("No such request."))
            return
    raise Forbidden(
        _("This token may only hand requests over, and rework or withdraw the requests it handed over."),
        code="token_scope",
    )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        grant = tokens.grant_for(token)
        if grant is None:
            return None
        _within_scope(request, grant)
        # Everything downstream (access, workflow) reads request.user, as for the pages.
        request.user = grant.user
        return grant.user


class SessionAuth(NinjaSessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None  # nobody signed in: 401, whatever the CSRF token says
        if security.asks_second_factor(user) and not user.is_verified():  # type: ignore[union-attr, attr-defined]
            return None
        return APIKeyCookie.__call__(self, request)  # the CSRF check for unsafe methods

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user: User = request.user  # type: ignore[assignment]
        return user if user.is_authenticated and user.is_active else None


AUTH = [TokenAuth(), SessionAuth(csrf=True)]
