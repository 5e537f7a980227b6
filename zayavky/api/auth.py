"""Who is calling the API: a per-user token (`Authorization: Bearer …`) or the Django session.

A request that carries an ``Authorization`` header is judged by it alone: a wrong token is a 401, never a
fall-back to the browser's session (and its CSRF check) behind the caller's back. A session caller must
send the CSRF token with every unsafe method, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from zayavky.accounts import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.user_for(token)
        if user is not None:
            # Everything downstream (access, workflow) reads request.user, as for the pages.
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers:
            return None
        return APIKeyCookie.__call__(self, request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


AUTH = [TokenAuth(), SessionAuth(csrf=True)]
