"""How much time is left until a due, said plainly; the state of each due, labelled for the page.

Which due runs, what is overdue and what was met or missed is decided once, by
:meth:`zayavky.cases.models.ServiceRequest.deadline_status`; this module only says it in words.
Emergency requests are counted in absolute hours (2.12.3), so their time is shown in hours and minutes
(«5 год 20 хв»); day-based requests (2.12.1, 2.12.2) in days and hours («2 дн 4 год»); a due that has
passed reads «прострочено на 3 год» and is shown in red.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky import deadlines
from zayavky.cases.models import ServiceRequest


def span(delta: dt.timedelta, *, fine: bool) -> str:
    """«5 год 20 хв» (``fine``, under a day) or «2 дн 4 год»; the sign of ``delta`` is ignored."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(_("%(n)d d") % {"n": days})
        if hours:
            parts.append(_("%(n)d h") % {"n": hours})
    elif fine:
        if hours:
            parts.append(_("%(n)d h") % {"n": hours})
        if mins or not hours:
            parts.append(_("%(n)d min") % {"n": mins})
    elif hours:
        parts.append(_("%(n)d h") % {"n": hours})
    else:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts)


@dataclass(frozen=True)
class TimeLeft:
    due: dt.datetime
    left: dt.timedelta
    overdue: bool
    emergency: bool
    short: str  # «5 год 20 хв» / «прострочено на 3 год»
    sentence: str  # «залишилось 5 год 20 хв» / «прострочено на 3 год»

    @property
    def css(self) -> str:
        if self.overdue:
            return "due due--overdue"
        if self.emergency:
            return "due due--emergency"
        if self.left < dt.timedelta(days=1):
            return "due due--soon"
        return "due"


def time_left(due: dt.datetime | None, *, emergency: bool, now: dt.datetime | None = None) -> TimeLeft | None:
    if due is None:
        return None
    now = now or timezone.now()
    left = deadlines.time_left(due, now)
    overdue = deadlines.is_late(now, due)  # late = strictly after the due (the due minute itself is on time)
    text = span(left, fine=emergency)
    if overdue:
        short = sentence = _("overdue by %(span)s") % {"span": text}
    else:
        short, sentence = text, _("%(span)s left") % {"span": text}
    return TimeLeft(due, left, overdue, emergency, short, sentence)


def request_time_left(request: ServiceRequest, now: dt.datetime | None = None) -> TimeLeft | None:
    """Time left until the due that runs now (the unit's until the hand-over, then the district's)."""
    return time_left(request.deadline_status().binding, emergency=request.is_emergency, now=now)


@dataclass(frozen=True)
class DueLabel:
    """One due's state as the request page shows it."""

    state: str  # "binding" | "met" | "missed" | ""
    at: dt.datetime | None

    @property
    def label(self) -> str:
        return {"binding": _("binding now"), "met": _("met"), "missed": _("missed")}.get(self.state, "")


def due_states(request: ServiceRequest) -> dict[str, DueLabel]:
    """The unit's and the district's due, each binding, met or missed (ServiceRequest.deadline_status)."""
    status = request.deadline_status()
    return {
        "unit": DueLabel(status.unit.state, status.unit.at),
        "district": DueLabel(status.district.state, status.district.at),
    }
