"""2.13 in one place (rules.extension): the window, whether an extension can still be decided, and the
warning from the 10th hour that the 12-hour window is closing — what the pages, the API and the card show."""

from __future__ import annotations

import datetime as dt

import pytest

from zayavky.cases import rules
from zayavky.cases.models import ServiceRequest, Status
from zayavky.deadlines import KYIV

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=KYIV)

pytestmark = pytest.mark.django_db


def _emergency(hours_ago: float, **fields: object) -> ServiceRequest:
    start = NOW - dt.timedelta(hours=hours_ago)
    values: dict[str, object] = {
        "urgency": "emergency",
        "status": Status.IN_WORK,
        "received_at": start,
        "term_started_at": start,
        "internal_due": start + dt.timedelta(hours=23),
        "regulation_due": start + dt.timedelta(hours=24),
        "control_due": start + dt.timedelta(hours=23),
    }
    values.update(fields)
    return ServiceRequest(**values)


def test_it_flags_an_emergency_request_between_10_and_12_hours() -> None:
    # 2.13: the extension is decided within 12 hours; the flag warns from the 10th hour.
    state = rules.extension(_emergency(10.5), NOW)
    assert state.open and state.warn and not state.decided
    assert state.decide_by == NOW + dt.timedelta(hours=1.5)
    last = rules.extension(_emergency(12), NOW)  # the last moment still counts
    assert last.open and last.warn and last.decide_by == NOW


def test_it_says_until_when_and_how_far_before_the_warning() -> None:
    state = rules.extension(_emergency(2), NOW)
    assert state.open and not state.warn
    assert state.window is not None and state.window.decide_by == NOW + dt.timedelta(hours=10)


@pytest.mark.parametrize(
    ("request_", "is_open"),
    [
        (_emergency(9.9), True),  # too early to worry
        (_emergency(12.1), False),  # the window has closed
        (_emergency(11, extended_due=NOW + dt.timedelta(days=1)), True),  # already decided: no warning
        (_emergency(11, status=Status.ON_SIGNATURE), False),  # the unit has finished
        (_emergency(11, urgency="ordinary"), False),  # only emergency requests are extended
    ],
)
def test_it_does_not_flag_otherwise(request_: ServiceRequest, is_open: bool) -> None:
    state = rules.extension(request_, NOW)
    assert not state.warn
    assert state.open is is_open
