"""How much time is left until a due, said plainly, for the queues and the request page.

Emergency requests are counted in absolute hours (2.12.3), so their time is shown in hours and minutes
(«5 год 20 хв»); day-based requests (2.12.1, 2.12.2) in days and hours («2 дн 4 год»); a due that has
passed reads «прострочено на 3 год» and is shown in red. An emergency request whose term started more
than 10 hours ago with no extension decided is flagged: under 2.13 the unit has only until the 12th hour
to decide an extension.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky import deadlines
from zayavky.cases.models import ServiceRequest, Status

#: States in which an extension may still be decided (the workflow's RULES["extend"], 2.13).
EXTENDABLE = (Status.ROUTED, Status.WITH_HEAD, Status.IN_WORK)
#: Warn this long after the term started: two hours before the 12-hour window of 2.13 closes.
EXTENSION_WARNING_AFTER = dt.timedelta(hours=10)


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
    # Late = strictly after the due (docs/design.md 3); the due minute itself is still on time.
    overdue = left < dt.timedelta(0)
    text = span(left, fine=emergency)
    if overdue:
        short = sentence = _("overdue by %(span)s") % {"span": text}
    else:
        short, sentence = text, _("%(span)s left") % {"span": text}
    return TimeLeft(due, left, overdue, emergency, short, sentence)


def due_of(request: ServiceRequest, field: str = "") -> dt.datetime | None:
    """The due that matters for a request's present step.

    Until the unit hands the signed answer over, its own due binds it (docs/design.md 3: the unit met its
    deadline when it handed over); after that the district's regulation due (2.9: publication).
    """
    if field:
        return getattr(request, field)
    if request.status == Status.HANDED_OVER:
        return request.binding_regulation_due
    if request.status in (Status.PUBLISHED, Status.WITHDRAWN):
        return None
    return request.control_due


def request_time_left(request: ServiceRequest, field: str = "", now: dt.datetime | None = None) -> TimeLeft | None:
    if request.status in (Status.PUBLISHED, Status.WITHDRAWN):
        return None
    return time_left(due_of(request, field), emergency=request.is_emergency, now=now)


def extension_decide_by(request: ServiceRequest, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment by which an extension must be decided, if the request should be flagged now (2.13).

    Flagged: an emergency request still with the unit, no extension decided, more than 10 hours since
    its term started, and the 12-hour window still open.
    """
    if request.urgency != deadlines.Urgency.EMERGENCY or request.status not in EXTENDABLE:
        return None
    if request.extended_due is not None:
        return None
    start = request.term_started_at or request.received_at
    if start is None:
        return None
    now = now or timezone.now()
    decide_by = deadlines.extension_decide_by(start)
    if start + EXTENSION_WARNING_AFTER <= now <= decide_by:
        return decide_by
    return None


@dataclass(frozen=True)
class DueState:
    """Where one due of a request stands: still binding, or met / missed and when that was settled."""

    state: str  # "binding" | "met" | "missed" | "" (nothing to say: not routed yet, or withdrawn)
    at: dt.datetime | None = None  # the hand-over (unit) or the publication (district) that settled it

    @property
    def label(self) -> str:
        return {"binding": _("binding now"), "met": _("met"), "missed": _("missed")}.get(self.state, "")


def due_states(request: ServiceRequest) -> dict[str, DueState]:
    """The state of the unit's due and of the district's regulation due, for the request page.

    The unit's due (the extended one, if any) binds until the unit hands the signed answer over, and is met
    if that happened no later than the due (docs/design.md 3, 2.7); the regulation due binds the district until
    the answer is posted to the Contact Center (2.9) and is shown as the one in force once the unit's part
    is done. Late = strictly after the due. A rework clears both moments: the new term binds again.
    """
    unit = DueState("")
    if request.handed_over_at and request.control_due:
        unit = DueState("missed" if request.unit_late else "met", request.handed_over_at)
    elif request.control_due and request.status != Status.WITHDRAWN:
        unit = DueState("binding")
    district = DueState("")
    if request.published_at and request.binding_regulation_due:
        district = DueState("missed" if request.district_late else "met", request.published_at)
    elif request.handed_over_at and request.regulation_due and request.status != Status.WITHDRAWN:
        district = DueState("binding")
    return {"unit": unit, "district": district}
