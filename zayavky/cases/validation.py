"""Checking the data that comes with an action, the same way for the API and the pages: a wrong value raises
:class:`Invalid` naming the field, in words a clerk understands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky import deadlines
from zayavky.cases.errors import Invalid


def text(value: Any, field: str, *, required: bool = True, max_length: int = 10000) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise Invalid(_("Expected text."), fields={field: [_("Expected text.")]})
    if required and not text:
        raise Invalid(_("This field is required."), fields={field: [_("This field is required.")]})
    if len(text) > max_length:
        msg = _("At most %(n)d characters.") % {"n": max_length}
        raise Invalid(msg, fields={field: [msg]})
    return text


def choice(value: Any, field: str, choices: Iterable[str]) -> str:
    allowed = list(choices)
    if value not in allowed:
        msg = _("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}
        raise Invalid(msg, fields={field: [msg]})
    return str(value)


def pk(value: Any) -> int | None:
    """An id as the pages (a string of digits) or the API (an integer) send it; anything else is None.

    ``int()`` alone would take JSON ``true`` for id 1 and ``2.7`` for id 2."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


def integer(value: Any, field: str) -> int:
    number = pk(value)
    if number is None:
        msg = _("Expected a number.")
        raise Invalid(msg, fields={field: [msg]})
    return number


def aware_datetime(value: Any, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            msg = _("Expected a date and time, e.g. 2026-11-30T18:00+02:00.")
            raise Invalid(msg, fields={field: [msg]}) from None
    if not isinstance(value, dt.datetime):
        msg = _("Expected a date and time.")
        raise Invalid(msg, fields={field: [msg]})
    if timezone.is_naive(value):
        # A time typed on a page means Kyiv time; the API refuses naive times before it gets here.
        value = timezone.make_aware(value, deadlines.KYIV)
    moment: dt.datetime = value
    return moment
