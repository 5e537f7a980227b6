"""Filtering the list of requests: one definition for the API, the pages and the exports.

Parameters (all optional, strings as they come from a query string): ``status`` (one or a comma list),
``unit``, ``category`` (id or Classifier code), ``urgency``, ``executor`` (id or ``me``), ``overdue``
(1: late against the due that runs now; ``unit`` / ``district``: against the unit's / the district's due —
:func:`zayavky.cases.models.overdue_q`, the twin of ``ServiceRequest.is_overdue``), ``due_before`` /
``due_after`` (date or datetime, on the due that runs now: ``binding_due``), ``received_from`` /
``received_to`` (dates, inclusive), ``q`` (words searched in number, text, address and applicant).
A bad value raises :class:`Invalid` naming the parameter — never a 500, never a silently ignored filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky.accounts.models import User
from zayavky.cases.access import sees_personal_data
from zayavky.cases.errors import Invalid
from zayavky.cases.models import ServiceRequest, Status, overdue_q
from zayavky.deadlines import KYIV, Urgency

FILTERS = (
    "status",
    "unit",
    "category",
    "urgency",
    "executor",
    "overdue",
    "due_before",
    "due_after",
    "received_from",
    "received_to",
    "q",
)

#: Orderings the lists accept: the nearest running due first by default.
ORDERINGS = {
    # Requests with no running due (new, published, withdrawn) go last on every database (SQLite and
    # PostgreSQL differ by default).
    "due": (F("binding_due").asc(nulls_last=True), "received_at"),
    "-due": (F("binding_due").desc(nulls_last=True), "-received_at"),
    "received": ("received_at",),
    "-received": ("-received_at",),
    "number": ("number",),
    "-number": ("-number",),
}


#: The values of ``overdue``: late against the due that runs now, against the unit's due while the unit has
#: the request, or against the district's due while any term runs (ServiceRequest.is_overdue's ``against``).
OVERDUE_VALUES = {
    **dict.fromkeys(("1", "true", "yes", "так"), ""),
    "unit": "unit",
    "district": "district",
    **dict.fromkeys(("0", "false", "no", "ні"), "no"),
}


def _bad(field: str, message: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(field, _("Expected a number.")) from None


def _moment(value: str, field: str, *, end_of_day: bool = False) -> dt.datetime:
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            clock = dt.time.max if end_of_day else dt.time.min
            moment = dt.datetime.combine(day, clock, tzinfo=KYIV)
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(field, _("Expected a date (2026-11-27) or a date and time.")) from None
    if not 1900 <= moment.year <= 2999:  # far dates overflow on conversion to UTC and mean nothing here
        raise _bad(field, _("Expected a date (2026-11-27) or a date and time."))
    moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=KYIV)
    # In UTC: an offset like +23:01 is valid ISO 8601 but PostgreSQL refuses it ("time zone displacement").
    return moment.astimezone(dt.UTC)


def filter_requests(
    qs: QuerySet[ServiceRequest], params: Mapping[str, Any], *, user: User | None = None
) -> QuerySet[ServiceRequest]:
    def get(name: str) -> str:
        return str(params.get(name) or "").strip()

    if value := get("status"):
        statuses = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Status.values]
        if unknown:
            raise _bad("status", _("Unknown status: %(value)s.") % {"value": ", ".join(unknown)})
        qs = qs.filter(status__in=statuses)
    if value := get("unit"):
        qs = qs.filter(unit_id=_int(value, "unit"))
    if value := get("category"):
        if value.isdigit():
            qs = qs.filter(category_id=_int(value[:18], "category") if len(value) <= 18 else 0)
        else:
            qs = qs.filter(category__code=value)
    if value := get("urgency"):
        if value not in Urgency._value2member_map_:
            raise _bad("urgency", _("Unknown urgency type: %(value)s.") % {"value": value})
        qs = qs.filter(urgency=value)
    if value := get("executor"):
        if value == "me":
            qs = qs.filter(executor_id=user.pk if user else None)
        else:
            qs = qs.filter(executor_id=_int(value, "executor"))
    if value := get("overdue"):
        against = OVERDUE_VALUES.get(value.lower())
        if against is None:
            raise _bad("overdue", _("Expected 1, unit, district or 0."))
        if against != "no":
            qs = qs.filter(overdue_q(timezone.now(), against))
    if value := get("due_before"):
        qs = qs.filter(binding_due__lte=_moment(value, "due_before", end_of_day=True))
    if value := get("due_after"):
        qs = qs.filter(binding_due__gte=_moment(value, "due_after"))
    if value := get("received_from"):
        qs = qs.filter(received_at__gte=_moment(value, "received_from"))
    if value := get("received_to"):
        qs = qs.filter(received_at__lte=_moment(value, "received_to", end_of_day=True))
    if value := get("q"):
        # The applicant's name and phone are searched only for those who may see them: a search must not
        # become a way to learn whose request it is.
        personal = user is None or sees_personal_data(user)
        for word in value.split()[:8]:
            match = Q(number__icontains=word) | Q(text__icontains=word) | Q(address__icontains=word)
            if personal:
                match |= Q(applicant_name__icontains=word) | Q(applicant_phone__icontains=word)
            qs = qs.filter(match)
    return qs


def order_requests(qs: QuerySet[ServiceRequest], ordering: str | None) -> QuerySet[ServiceRequest]:
    key = ordering or "due"
    if key not in ORDERINGS:
        raise _bad("ordering", _("Unknown ordering: %(value)s.") % {"value": key})
    return qs.order_by(*ORDERINGS[key], "pk")
