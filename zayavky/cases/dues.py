"""A request's terms computed with the organisation's calendar and terms (docs/design.md 3, 2.12, 2.13).

The rules themselves are :mod:`zayavky.deadlines` (pure Python); this module feeds them a request and the
district's settings, so that the workflow, the pages, the API, the card and the reports compute a term the
same way. Which due binds now and what is overdue: :meth:`ServiceRequest.deadline_status`.
"""

from __future__ import annotations

import datetime as dt

from zayavky import deadlines
from zayavky.cases.models import ServiceRequest
from zayavky.catalog.models import Organisation, current_calendar

#: The fields a new term (routing, rework) sets.
DUE_FIELDS = ["term_started_at", "internal_due", "regulation_due", "extended_due", "control_due"]

#: 2.13: the decision on an extension is flagged this long after the term started, two hours before the
#: 12-hour window closes, so that the head still has time to decide.
EXTENSION_WARNING_AFTER = dt.timedelta(hours=10)


def compute_dues(request: ServiceRequest, start: dt.datetime) -> None:
    """A new term counted from ``start`` (receipt, or the return for rework) by the request's urgency."""
    dues = deadlines.due_dates(
        start, request.urgency, calendar=current_calendar(), terms=Organisation.current().terms()
    )
    request.term_started_at = start
    request.internal_due = dues.internal
    request.regulation_due = dues.regulation
    request.extended_due = None
    request.control_due = dues.internal


def term_start(request: ServiceRequest) -> dt.datetime:
    """When the present term started: the receipt, or the return for rework."""
    return request.term_started_at or request.received_at


def extension_window(request: ServiceRequest) -> deadlines.ExtensionWindow | None:
    """2.13: until when an extension is decided and how far it may go; None unless an emergency request
    with a term."""
    if request.urgency != deadlines.Urgency.EMERGENCY or request.regulation_due is None:
        return None
    return deadlines.extension_window(
        term_start(request),
        request.regulation_due,
        calendar=current_calendar(),
        terms=Organisation.current().terms(),
    )


def within_decision_time(request: ServiceRequest, now: dt.datetime) -> bool:
    """2.13: an emergency request, and no more than 12 hours since its term started. Whether the request is
    in a state an extension is taken from is the workflow's table (:func:`zayavky.cases.rules.extension`)."""
    if request.urgency != deadlines.Urgency.EMERGENCY:
        return False
    decide_by = deadlines.extension_decide_by(term_start(request), terms=Organisation.current().terms())
    return not deadlines.is_late(now, decide_by)
