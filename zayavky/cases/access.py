"""Who sees which requests (docs/design.md 2). One place, used by the API, the pages, the exports and counts.

- general department, controller, the Contact Center's integration account and administrators: all;
- unit clerk, unit head, executor: the requests now with their unit;
- signatory: the requests of the units they sign for under the distribution of duties in force (2.4).

Applicants' personal data (phone, e-mail, postal address) is shown to the roles that handle the
request — the general department, the unit's people and the signatory — not to the controller, whose
reports do not need it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky.accounts.models import UNIT_ROLES, Membership, Role, User
from zayavky.cases.errors import NotFound
from zayavky.cases.models import ServiceRequest
from zayavky.catalog.models import Duty

SEE_ALL_ROLES = frozenset({Role.GENERAL, Role.CONTROLLER, Role.INTEGRATION, Role.ADMIN})
PERSONAL_DATA_ROLES = frozenset({Role.GENERAL, Role.SIGNATORY, *UNIT_ROLES})


def today() -> dt.date:
    return timezone.localdate()


def signed_unit_ids(user: User, on: dt.date | None = None) -> set[int]:
    """The units this person signs for on a day (2.4, 2.6)."""
    if not user.has_role(Role.SIGNATORY):
        return set()
    cache = user.__dict__.setdefault("_signed_units_cache", {})
    day = on or today()
    if day not in cache:
        cache[day] = set(
            Duty.objects.in_force(day)
            .filter(signatory__user=user, signatory__is_active=True)
            .values_list("unit_id", flat=True)
        )
    return set(cache[day])


def sees_all(user: User) -> bool:
    return user.is_superuser or bool(user.roles() & SEE_ALL_ROLES)


def visible_requests(user: User) -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if sees_all(user):
        return qs
    units = user.unit_ids() | signed_unit_ids(user)
    if not units:
        return qs.none()
    return qs.filter(Q(unit_id__in=units))


def can_see(user: User, request: ServiceRequest) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_all(user):
        return True
    return request.unit_id is not None and request.unit_id in (user.unit_ids() | signed_unit_ids(user))


def get_visible(user: User, pk: int | str) -> ServiceRequest:
    """The request, if this person may see it; otherwise NotFound — never a hint that it exists."""
    try:
        request = ServiceRequest.objects.select_related("category", "unit", "executor").get(pk=int(pk))
    except (ServiceRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such request.")) from None
    if not can_see(user, request):
        raise NotFound(_("No such request."))
    return request


#: 2.3: the head names an executor of the unit: one of its executors, or the head himself.
EXECUTOR_ROLES = (Role.EXECUTOR, Role.UNIT_HEAD)


def executors_of(unit_ids: Iterable[int | None] | None) -> QuerySet[User]:
    """The active people who may be named the executor (2.3) in these units (None: in any unit)."""
    memberships = Membership.objects.filter(role__in=EXECUTOR_ROLES)
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=[u for u in unit_ids if u is not None])
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def sees_personal_data(user: User, request: ServiceRequest | None = None) -> bool:
    if user.is_superuser:
        return True
    return bool(user.roles() & PERSONAL_DATA_ROLES)
