"""Who must prove themselves twice, and how (ASVS 2.7, 2.8): the second factor and deliberate confirmation.

- Administrators and signatories must have a second factor (an authenticator app, TOTP, with one-time
  recovery codes); everyone else may add one, and once added it is asked at every login.
- A signature removes a request from control (2.8): the signatory confirms it with a code of the second
  factor or, for a person without one, the password again (:func:`confirm`). The web form and the API ask
  for it; the workflow records what was signed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zayavky.accounts.models import Role, User

#: Roles whose work must be behind a second factor: they change reference data and remove requests from
#: control (2.4, 2.8).
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SIGNATORY})
#: Recovery codes made at a time; each works once.
RECOVERY_CODES = 10
#: The longest confirmation looked at: a password or a code, never a novel.
MAX_SECRET = 128


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """django-axes counts failures per user name as typed, but case-folded and trimmed: «Admin » is «admin»."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return str(name or "").strip().lower()[:150]


def second_factor_required(user: User) -> bool:
    """Administrators (staff, superusers and the admin role) and signatories must use a second factor."""
    return bool(user.is_staff or user.is_superuser or user.roles() & SECOND_FACTOR_ROLES)


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def asks_second_factor(user: User) -> bool:
    """Is this person's session incomplete until a code of the second factor is given?"""
    return second_factor_required(user) or has_second_factor(user)


def verify_code(user: User, code: str) -> Any:
    """The confirmed device (authenticator app or recovery codes) that accepts ``code``, or None.

    A TOTP code is accepted once (django-otp remembers the last one used); a recovery code is used up.
    django-otp slows down repeated failures on a device (throttling)."""
    code = "".join(str(code or "").split())[:MAX_SECRET]
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_is_allowed()[0] and device.verify_token(code):
                return device
    return None


def confirm(user: User, secret: Any) -> bool:
    """Deliberate confirmation of a signature (2.4, 2.8): a code of the second factor, or for a person
    without one the password again."""
    if not isinstance(secret, str) or not secret.strip() or len(secret) > MAX_SECRET:
        return False
    if has_second_factor(user):
        return verify_code(user, secret) is not None
    return check_password(secret, user.password)


def new_recovery_codes(user: User) -> list[str]:
    """A fresh set of one-time recovery codes; the old ones stop working. Shown once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    return codes


def pending_totp(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per person, made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device
