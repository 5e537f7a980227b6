"""Time left said plainly: pure logic, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from zayavky.deadlines import KYIV
from zayavky.web.timeleft import span, time_left

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=KYIV)


@pytest.fixture(autouse=True)
def _ukrainian():  # type: ignore[no-untyped-def]
    with translation.override("uk"):
        yield


@pytest.mark.parametrize(
    ("delta", "fine", "text"),
    [
        (dt.timedelta(hours=5, minutes=20), True, "5 год 20 хв"),  # 2.12.3: emergency in hours and minutes
        (dt.timedelta(hours=5), True, "5 год"),
        (dt.timedelta(minutes=7, seconds=59), True, "7 хв"),
        (dt.timedelta(seconds=30), True, "0 хв"),
        (dt.timedelta(days=1, hours=2, minutes=5), True, "1 дн 2 год"),  # an extended emergency term
        (dt.timedelta(days=2, hours=4, minutes=59), False, "2 дн 4 год"),  # 2.12.1: days and hours
        (dt.timedelta(days=3), False, "3 дн"),
        (dt.timedelta(hours=5, minutes=30), False, "5 год"),
        (dt.timedelta(minutes=40), False, "40 хв"),
        (-dt.timedelta(hours=3, minutes=10), False, "3 год"),  # the sign is the caller's business
    ],
)
def test_it_says_the_span_plainly(delta: dt.timedelta, fine: bool, text: str) -> None:
    assert span(delta, fine=fine) == text


def test_it_says_what_is_left_and_what_is_overdue() -> None:
    left = time_left(NOW + dt.timedelta(hours=5, minutes=20), emergency=True, now=NOW)
    assert left is not None
    assert (left.short, left.sentence, left.overdue) == ("5 год 20 хв", "залишилось 5 год 20 хв", False)
    assert left.css == "due due--emergency"

    late = time_left(NOW - dt.timedelta(hours=3), emergency=False, now=NOW)
    assert late is not None
    assert (late.short, late.overdue, late.css) == ("прострочено на 3 год", True, "due due--overdue")

    soon = time_left(NOW + dt.timedelta(hours=3), emergency=False, now=NOW)
    assert soon is not None and soon.css == "due due--soon"
    assert time_left(None, emergency=False, now=NOW) is None


def test_it_is_not_late_at_the_due_itself() -> None:
    # docs/design.md 3: late = strictly after the due.
    left = time_left(NOW, emergency=True, now=NOW)
    assert left is not None and not left.overdue


def test_it_speaks_english_when_asked() -> None:
    with translation.override("en"):
        assert span(dt.timedelta(days=2, hours=4), fine=False) == "2 d 4 h"
        left = time_left(NOW - dt.timedelta(minutes=90), emergency=True, now=NOW)
        assert left is not None and left.short == "overdue by 1 h 30 min"
