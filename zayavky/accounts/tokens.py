"""Per-user API tokens (`Authorization: Bearer …`).

A token is shown once, when it is made (`zayavky token USERNAME`); only its SHA-256 is stored, so a copy
of the database gives nobody a way into the API. A token acts as its user, with that user's roles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from zayavky.accounts.models import ApiToken, User

#: Recognisable in a log or a leaked config file, so it can be found and revoked.
PREFIX = "zv_"
#: ``last_used_at`` is written at most this often: a busy integration must not write on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(user: User, label: str = "") -> str:
    """Make a new token for ``user`` and return it; it cannot be shown again."""
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest(token), label=label[:100])
    return token


def user_for(token: str) -> User | None:
    """The active user a token belongs to, or None for an unknown token or an inactive user."""
    token = token.strip()
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
