"""Property tests of the deadline engine (hypothesis): the rules of 2.12.1-2.12.3 and 2.13 hold for any
moment of receipt 2019-2030 (the DST-switch nights included), in any time zone, with any extra days off
and extra working days.

No Django; the example database is off so nothing is written into the work tree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from zayavky.deadlines import (
    END_OF_DAY,
    KYIV,
    Calendar,
    ExtensionRefused,
    Terms,
    Urgency,
    check_extension,
    due_dates,
    extension_window,
    is_late,
    time_left,
)

QUICK = settings(max_examples=200, deadline=None, database=None)

ZONES = st.sampled_from(
    [KYIV, UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"), timezone(timedelta(hours=-11))]
)


def _kyiv_transitions() -> list[datetime]:
    """Every DST switch in Kyiv 2019-2030, as UTC moments: last Sundays of March and October, 01:00 UTC."""
    result = []
    for year in range(2019, 2031):
        for month in (3, 10):
            last = date(year, month, 31)
            last -= timedelta(days=(last.weekday() - 6) % 7)
            result.append(datetime(last.year, last.month, last.day, 1, 0, tzinfo=UTC))
    return result


TRANSITIONS = _kyiv_transitions()

any_moment = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31, 23, 59, 59), timezones=ZONES)
near_a_dst_switch = st.builds(
    lambda t, seconds, zone: (t + timedelta(seconds=seconds)).astimezone(zone),
    st.sampled_from(TRANSITIONS),
    st.integers(-3 * 86400, 3 * 86400),
    ZONES,
)
moments = st.one_of(any_moment, near_a_dst_switch)


@st.composite
def calendars_near(draw: st.DrawFn, around: date) -> Calendar:
    """A calendar whose extra days off / working days fall near ``around`` (where they matter)."""
    marks = draw(st.dictionaries(st.integers(-3, 70), st.booleans(), max_size=25))
    return Calendar(
        extra_days_off={around + timedelta(days=k) for k, off in marks.items() if off},
        extra_working_days={around + timedelta(days=k) for k, off in marks.items() if not off},
    )


@st.composite
def receipts(draw: st.DrawFn) -> tuple[datetime, Calendar]:
    received = draw(moments)
    return received, draw(calendars_near(received.astimezone(KYIV).date()))


@st.composite
def terms(draw: st.DrawFn) -> Terms:
    def pair(lo: int, hi: int) -> tuple[int, int]:
        internal = draw(st.integers(lo, hi))
        return internal, internal + draw(st.integers(0, hi))

    eh = pair(1, 48)
    o, m, lt = pair(1, 10), pair(1, 30), pair(1, 60)
    return Terms(
        emergency_internal_hours=eh[0],
        emergency_regulation_hours=eh[1],
        ordinary_internal_days=o[0],
        ordinary_regulation_days=o[1],
        medium_term_internal_days=m[0],
        medium_term_regulation_days=m[1],
        long_term_internal_days=lt[0],
        long_term_regulation_days=lt[1],
        extension_decision_hours=draw(st.integers(1, 48)),
        extension_max_working_days=draw(st.integers(1, 5)),
    )


DAY_BASED = [Urgency.ORDINARY, Urgency.MEDIUM_TERM, Urgency.LONG_TERM]
DAY_TERMS = {
    Urgency.ORDINARY: ("ordinary_internal_days", "ordinary_regulation_days"),
    Urgency.MEDIUM_TERM: ("medium_term_internal_days", "medium_term_regulation_days"),
    Urgency.LONG_TERM: ("long_term_internal_days", "long_term_regulation_days"),
}


def utc(dt: datetime) -> datetime:
    """Compare moments in UTC: two datetimes sharing a tzinfo compare (and subtract) by wall clock."""
    return dt.astimezone(UTC)


def is_kyiv(dt: datetime) -> bool:
    return isinstance(dt.tzinfo, ZoneInfo) and dt.tzinfo.key == "Europe/Kyiv"


@QUICK
@given(receipts(), st.sampled_from(DAY_BASED), st.one_of(st.just(Terms()), terms()))
def test_day_based_due_is_end_of_the_nominal_day_or_of_the_next_working_day(
    receipt: tuple[datetime, Calendar], urgency: Urgency, t: Terms
) -> None:
    """2.12.1/2.12.2; Civil Code art. 253 (count from the next day), art. 254 p. 5 (move to a working day)."""
    received, cal = receipt
    dues = due_dates(received, urgency, calendar=cal, terms=t)
    receipt_date = received.astimezone(KYIV).date()
    for due, field in zip((dues.internal, dues.regulation), DAY_TERMS[urgency], strict=True):
        assert is_kyiv(due)
        assert due.timetz().replace(tzinfo=None) == END_OF_DAY and due.microsecond == 0
        nominal = receipt_date + timedelta(days=getattr(t, field))
        assert due.date() >= nominal
        assert cal.is_working_day(due.date())
        day = nominal
        while day < due.date():  # the nominal day (if moved) and every day up to the due are days off
            assert not cal.is_working_day(day)
            day += timedelta(days=1)


@QUICK
@given(receipts(), st.sampled_from(list(Urgency)), st.one_of(st.just(Terms()), terms()))
def test_internal_due_never_after_the_regulation_due(
    receipt: tuple[datetime, Calendar], urgency: Urgency, t: Terms
) -> None:
    received, cal = receipt
    dues = due_dates(received, urgency, calendar=cal, terms=t)
    assert utc(dues.internal) <= utc(dues.regulation)
    assert utc(dues.internal) > utc(received)
    assert is_kyiv(dues.internal) and is_kyiv(dues.regulation)


@QUICK
@given(receipts())
def test_2_12_3_emergency_is_exactly_23_and_24_real_hours_after_receipt(
    receipt: tuple[datetime, Calendar],
) -> None:
    received, cal = receipt
    dues = due_dates(received, Urgency.EMERGENCY, calendar=cal)
    # Compare in UTC: subtracting two datetimes that share a tzinfo gives wall-clock, not real, time.
    start = received.astimezone(UTC)
    assert dues.internal.astimezone(UTC) - start == timedelta(hours=23)
    assert dues.regulation.astimezone(UTC) - start == timedelta(hours=24)
    assert is_kyiv(dues.internal) and is_kyiv(dues.regulation)
    # Never moved for days off: the calendar makes no difference.
    plain = due_dates(received, "emergency")
    assert (utc(dues.internal), utc(dues.regulation)) == (utc(plain.internal), utc(plain.regulation))


@QUICK
@given(receipts(), st.one_of(st.just(Terms()), terms()))
def test_2_13_window(receipt: tuple[datetime, Calendar], t: Terms) -> None:
    received, cal = receipt
    regulation = due_dates(received, Urgency.EMERGENCY, calendar=cal, terms=t).regulation
    win = extension_window(received, regulation, calendar=cal, terms=t)
    assert is_kyiv(win.decide_by) and is_kyiv(win.latest_due)
    assert win.decide_by.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=t.extension_decision_hours)
    assert utc(win.latest_due) > utc(regulation)
    reg_local = regulation.astimezone(KYIV)
    # The latest date is the N-th working day after the regulation due's date.
    assert cal.is_working_day(win.latest_due.date())
    assert cal.count_working_days(reg_local.date(), win.latest_due.date()) == t.extension_max_working_days
    # Same clock time, unless that time does not exist that day (spring forward: one hour later).
    shift = datetime.combine(win.latest_due.date(), reg_local.time()) - win.latest_due.replace(tzinfo=None)
    assert shift in (timedelta(0), timedelta(hours=-1))
    if shift:
        assert win.latest_due.utcoffset() == timedelta(hours=3) and win.latest_due.hour == 4


@QUICK
@given(receipts(), st.data())
def test_2_13_check_extension_agrees_with_the_window(receipt: tuple[datetime, Calendar], data: st.DataObject) -> None:
    received, cal = receipt
    dues = due_dates(received, Urgency.EMERGENCY, calendar=cal)
    win = extension_window(received, dues.regulation, calendar=cal)
    tick = timedelta(microseconds=1)
    now_utc = data.draw(
        st.one_of(  # the boundaries exactly, or anywhere in the first day
            st.sampled_from([utc(received), utc(win.decide_by), utc(win.decide_by) + tick]),
            st.integers(0, 24 * 3600).map(lambda s: utc(received) + timedelta(seconds=s)),
        )
    )
    new_utc = data.draw(
        st.one_of(
            st.sampled_from(
                [
                    utc(dues.internal),
                    utc(dues.internal) + tick,
                    utc(win.latest_due),
                    utc(win.latest_due) + tick,
                ]
            ),
            st.integers(-3600, 6 * 86400).map(lambda s: utc(dues.internal) + timedelta(seconds=s)),
        )
    )
    now, new_due = now_utc.astimezone(data.draw(ZONES)), new_utc.astimezone(data.draw(ZONES))
    try:
        check_extension(received, dues.internal, dues.regulation, new_due, now, calendar=cal)
    except ExtensionRefused as refused:
        if refused.code == "too_late":
            assert utc(now) > utc(win.decide_by)
        elif refused.code == "not_later":
            assert utc(now) <= utc(win.decide_by) and utc(new_due) <= utc(dues.internal)
        else:
            assert refused.code == "beyond_window"
            assert utc(now) <= utc(win.decide_by) and utc(dues.internal) < utc(new_due) > utc(win.latest_due)
        assert "п. 2.13" in str(refused)
    else:
        assert utc(now) <= utc(win.decide_by) and utc(dues.internal) < utc(new_due) <= utc(win.latest_due)


@QUICK
@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)), st.data())
def test_calendar_moves(d: date, data: st.DataObject) -> None:
    cal = data.draw(calendars_near(d - timedelta(days=3)))
    nxt = cal.next_working_day(d)
    assert nxt > d and cal.is_working_day(nxt)
    assert cal.roll_forward(d) == (d if cal.is_working_day(d) else nxt)
    day = d + timedelta(days=1)
    while day < nxt:
        assert not cal.is_working_day(day)
        day += timedelta(days=1)
    n = data.draw(st.integers(0, 10))
    later = cal.add_working_days(d, n)
    assert cal.count_working_days(d, later) == n
    assert n == 0 or cal.is_working_day(later)


@QUICK
@given(moments, moments)
def test_late_means_strictly_after_and_time_left_is_real_time(a: datetime, b: datetime) -> None:
    assert is_late(a, b) == (a.astimezone(UTC) > b.astimezone(UTC))
    assert not is_late(a, a)
    assert time_left(b, a) == b.astimezone(UTC) - a.astimezone(UTC)
    assert (time_left(b, a) < timedelta(0)) == is_late(a, b)
