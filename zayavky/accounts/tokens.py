"""Per-user API tokens (`Authorization: Bearer …`).

A token is shown once, when it is made (`zayavky token USERNAME`); only its SHA-256 is stored, so a copy
of the database gives nobody a way into the API. A token acts as its user, with that user's roles, within
its scope (``ApiToken.Scope``), until it expires or an administrator revokes it (ASVS 3.5).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from zayavky.accounts.models import TOKEN_LIFETIME, ApiToken, User

#: Recognisable in a log or a leaked config file, so it can be found and revoked.
PREFIX = "zv_"
#: ``last_used_at`` is written at most this often: a busy integration must not write on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)
DEFAULT_LIFETIME = TOKEN_LIFETIME


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    user: User,
    label: str = "",
    *,
    expires_at: dt.datetime | None = None,
    scope: str = ApiToken.Scope.FULL,
) -> str:
    """Make a new token for ``user`` and return it; it cannot be shown again."""
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=digest(token),
        label=label[:100],
        scope=scope,
        expires_at=expires_at or timezone.now() + DEFAULT_LIFETIME,
    )
    return token


@dataclass(frozen=True)
class Grant:
    """Who a valid token speaks for, and within which scope."""

    user: User
    scope: str
    token_id: int


def grant_for(token: str) -> Grant | None:
    """The active user and scope a token gives, or None: unknown, expired or revoked token, inactive user."""
    token = token.strip()
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
    now = timezone.now()
    if row is None or not row.user.is_active or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return Grant(row.user, row.scope, row.pk)


def user_for(token: str) -> User | None:
    """The active user a token belongs to, or None (see :func:`grant_for`)."""
    grant = grant_for(token)
    return grant.user if grant else None
