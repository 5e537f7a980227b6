"""Unit tests of the deadline engine (order No. 170-р 2.12.1, 2.12.2, 2.12.3, 2.13; Civil Code arts 253, 254).

Pure Python: no Django, no database. Dates are chosen so that the weekday is part of the story; the
comments say which weekday each date is.
"""

from __future__ import annotations

import ast
import pickle
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from zayavky import deadlines
from zayavky.deadlines import (
    END_OF_DAY,
    KYIV,
    Calendar,
    Dues,
    ExtensionRefused,
    ExtensionWindow,
    NaiveDatetimeError,
    Terms,
    Urgency,
    check_extension,
    due_dates,
    extension_window,
    is_late,
    time_left,
)


def kyiv(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=KYIV)


def end_of(y: int, mo: int, d: int) -> datetime:
    return kyiv(y, mo, d, 23, 59, 59)


def assert_kyiv(dt: datetime) -> None:
    assert isinstance(dt.tzinfo, ZoneInfo) and dt.tzinfo.key == "Europe/Kyiv", dt


# Monday 23.11.2026 -- Friday 27.11.2026 is a plain working week, 28-29.11 the weekend.
MON = kyiv(2026, 11, 23, 10, 0)


# ------------------------------------------------------------------------------------------------
# The module itself
# ------------------------------------------------------------------------------------------------


def test_the_engine_imports_nothing_from_django() -> None:
    """docs/design.md 3: deadline code is pure Python so every part can reuse it."""
    tree = ast.parse(Path(deadlines.__file__).read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert imported
    assert not [m for m in imported if m.split(".")[0] == "django"]


def test_module_docstring_cites_the_paragraphs() -> None:
    doc = deadlines.__doc__ or ""
    for ref in ("2.12.1", "2.12.2", "2.12.3", "2.13", "art. 253", "art. 254"):
        assert ref in doc


def test_kyiv_time_zone() -> None:
    assert KYIV.key == "Europe/Kyiv"
    assert END_OF_DAY == time(23, 59, 59)


# ------------------------------------------------------------------------------------------------
# Urgency
# ------------------------------------------------------------------------------------------------


def test_urgency_values() -> None:
    assert [u.value for u in Urgency] == ["emergency", "ordinary", "medium_term", "long_term"]
    assert str(Urgency.ORDINARY) == "ordinary" and isinstance(Urgency.ORDINARY, str)  # a StrEnum


def test_urgency_ukrainian_labels() -> None:
    assert Urgency.EMERGENCY.label_uk == "аварійна"
    assert Urgency.ORDINARY.label_uk == "звичайна"
    assert Urgency.MEDIUM_TERM.label_uk == "середньострокова"
    assert Urgency.LONG_TERM.label_uk == "довгострокова"


@pytest.mark.parametrize("urgency", ["emergency", "ordinary", "medium_term", "long_term"])
def test_urgency_may_be_given_as_a_string(urgency: str) -> None:
    assert due_dates(MON, urgency) == due_dates(MON, Urgency(urgency))


@pytest.mark.parametrize("bad", ["urgent", "", "ORDINARY", "Emergency"])
def test_unknown_urgency_is_refused_naming_the_allowed_values(bad: str) -> None:
    with pytest.raises(ValueError) as exc:
        due_dates(MON, bad)
    message = str(exc.value)
    assert repr(bad) in message
    for allowed in ("emergency", "ordinary", "medium_term", "long_term"):
        assert allowed in message


# ------------------------------------------------------------------------------------------------
# Terms
# ------------------------------------------------------------------------------------------------


def test_default_terms_are_the_orders() -> None:
    t = Terms()
    assert (t.emergency_internal_hours, t.emergency_regulation_hours) == (23, 24)  # 2.12.3
    assert (t.ordinary_internal_days, t.ordinary_regulation_days) == (4, 5)  # 2.12.1
    assert (t.medium_term_internal_days, t.medium_term_regulation_days) == (14, 15)  # 2.12.2
    assert (t.long_term_internal_days, t.long_term_regulation_days) == (30, 45)
    assert (t.extension_decision_hours, t.extension_max_working_days) == (12, 2)  # 2.13


def test_terms_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Terms().ordinary_internal_days = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ordinary_internal_days": 0},
        {"ordinary_internal_days": -1},
        {"extension_decision_hours": 0},
        {"extension_max_working_days": -2},
        {"long_term_regulation_days": 0},
    ],
)
def test_terms_must_be_positive(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="positive"):
        Terms(**kwargs)


@pytest.mark.parametrize("value", [1.5, "5", None, True])
def test_terms_must_be_integers(value: object) -> None:
    with pytest.raises(ValueError, match="integer"):
        Terms(ordinary_regulation_days=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"emergency_internal_hours": 25}, "emergency_internal_hours"),
        ({"ordinary_internal_days": 6}, "ordinary_internal_days"),
        ({"medium_term_regulation_days": 13}, "medium_term_internal_days"),
        ({"long_term_internal_days": 46}, "long_term_internal_days"),
    ],
)
def test_internal_term_must_not_exceed_the_regulation_term(kwargs: dict[str, int], names: str) -> None:
    with pytest.raises(ValueError, match=names):
        Terms(**kwargs)


def test_internal_term_may_equal_the_regulation_term() -> None:
    t = Terms(ordinary_internal_days=5, ordinary_regulation_days=5)
    dues = due_dates(MON, Urgency.ORDINARY, terms=t)
    assert dues.internal == dues.regulation


def test_terms_from_mapping_ignores_none_values() -> None:
    t = Terms.from_mapping({"ordinary_regulation_days": 7, "long_term_regulation_days": None})
    assert t == Terms(ordinary_regulation_days=7)
    assert Terms.from_mapping({}) == Terms()
    assert Terms.from_mapping(None) == Terms()
    assert Terms.from_mapping({"long_term_internal_days": None}) == Terms()


def test_terms_from_mapping_refuses_an_unknown_setting() -> None:
    with pytest.raises(ValueError, match="ordinary_regulaton_days"):
        Terms.from_mapping({"ordinary_regulaton_days": 7})


def test_terms_from_mapping_validates() -> None:
    with pytest.raises(ValueError, match="must not exceed"):
        Terms.from_mapping({"ordinary_internal_days": 9})


def test_custom_day_terms_are_used() -> None:
    t = Terms(ordinary_internal_days=2, ordinary_regulation_days=3, long_term_regulation_days=60)
    dues = due_dates(MON, Urgency.ORDINARY, terms=t)
    assert dues.internal == end_of(2026, 11, 25)  # Wednesday
    assert dues.regulation == end_of(2026, 11, 26)  # Thursday
    # 23.11.2026 + 60 days = Friday 22.01.2027
    assert due_dates(MON, Urgency.LONG_TERM, terms=t).regulation == end_of(2027, 1, 22)


def test_custom_hour_terms_are_used() -> None:
    t = Terms(emergency_internal_hours=20, emergency_regulation_hours=22)
    dues = due_dates(MON, Urgency.EMERGENCY, terms=t)
    assert dues.internal == kyiv(2026, 11, 24, 6, 0)
    assert dues.regulation == kyiv(2026, 11, 24, 8, 0)


# ------------------------------------------------------------------------------------------------
# Calendar: working days (Civil Code art. 254 p. 5 needs them)
# ------------------------------------------------------------------------------------------------


def test_monday_to_friday_are_working_days_weekends_are_not() -> None:
    cal = Calendar()
    week = [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    assert [cal.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_christmas_2021_before_martial_law_is_a_day_off() -> None:
    # Thursday 07.01.2021, Christmas (Julian), a public holiday before martial law.
    assert not Calendar().is_working_day(date(2021, 1, 7))


def test_a_weekend_holiday_before_2022_moved_to_monday() -> None:
    """Holidays falling on a weekend moved to the next working day (Labour Code art. 67, pre-war)."""
    cal = Calendar()
    assert not cal.is_working_day(date(2020, 6, 29))  # Monday: Constitution Day was on Sunday 28.06.2020
    assert not cal.is_working_day(date(2021, 5, 3))  # Monday: Labour Day was on Saturday 01.05.2021
    assert not cal.is_working_day(date(2021, 5, 4))  # Tuesday: Easter was on Sunday 02.05.2021
    assert not cal.is_working_day(date(2021, 12, 27))  # Monday: Christmas was on Saturday 25.12.2021
    assert cal.is_working_day(date(2021, 12, 28))


def test_government_transfer_known_to_the_package() -> None:
    """Friday 08.01.2021 was a day off in exchange for working Saturday 16.01.2021."""
    cal = Calendar()
    assert not cal.is_working_day(date(2021, 1, 8))
    assert cal.is_working_day(date(2021, 1, 16))
    assert not cal.is_working_day(date(2021, 1, 17))


def test_2022_only_the_days_off_before_the_martial_law_holiday_rule() -> None:
    """Martial law since 24.02.2022; the package keeps the 2022 days off that preceded law 2136-IX."""
    cal = Calendar()
    assert not cal.is_working_day(date(2022, 1, 3))  # Monday, New Year (Saturday 01.01) moved
    assert not cal.is_working_day(date(2022, 1, 7))  # Friday, Christmas
    assert not cal.is_working_day(date(2022, 3, 7))  # Monday, transferred from Saturday 12.03.2022
    assert not cal.is_working_day(date(2022, 3, 8))  # Tuesday, International Women's Day
    assert cal.is_working_day(date(2022, 3, 12))  # the Saturday worked for 07.03.2022
    assert cal.is_working_day(date(2022, 4, 25))  # Monday after Easter 24.04.2022: no move
    assert cal.is_working_day(date(2022, 5, 2))  # Monday after Labour Day (Sunday 01.05.2022)
    assert cal.is_working_day(date(2022, 8, 24))  # Wednesday, Independence Day
    assert cal.is_working_day(date(2022, 10, 14))  # Friday, Defenders' Day
    assert cal.is_working_day(date(2022, 12, 26))  # Monday after Christmas (Sunday 25.12.2022)


@pytest.mark.parametrize(
    "d",
    [
        date(2023, 1, 2),  # Monday after New Year (Sunday 01.01.2023)
        date(2023, 1, 9),  # Monday after Christmas 07.01.2023 (Saturday)
        date(2023, 3, 8),  # Wednesday, International Women's Day
        date(2023, 8, 24),  # Thursday, Independence Day
        date(2024, 1, 1),  # Monday, New Year
        date(2024, 5, 6),  # Monday after Easter 05.05.2024
        date(2024, 12, 25),  # Wednesday, Christmas
        date(2025, 1, 1),  # Wednesday, New Year
        date(2025, 8, 25),  # Monday after Independence Day (Sunday 24.08.2025)
        date(2025, 12, 25),  # Thursday, Christmas
    ],
)
def test_under_martial_law_public_holidays_are_working_days(d: date) -> None:
    """Law 2136-IX: under martial law public holidays are not days off."""
    assert Calendar().is_working_day(d)


def test_extra_day_off_is_never_a_working_day() -> None:
    cal = Calendar(extra_days_off={date(2026, 11, 25)})
    assert not cal.is_working_day(date(2026, 11, 25))
    assert cal.is_working_day(date(2026, 11, 24))
    assert not Calendar(extra_days_off={date(2026, 11, 28)}).is_working_day(date(2026, 11, 28))


def test_extra_working_day_wins_over_weekend_and_holiday() -> None:
    cal = Calendar(extra_working_days={date(2026, 11, 28), date(2021, 1, 7)})
    assert cal.is_working_day(date(2026, 11, 28))  # a Saturday made working
    assert cal.is_working_day(date(2021, 1, 7))  # a holiday made working
    assert not cal.is_working_day(date(2026, 11, 29))


def test_a_date_cannot_be_both_extra_day_off_and_extra_working_day() -> None:
    with pytest.raises(ValueError, match="2026-11-25"):
        Calendar(extra_days_off={date(2026, 11, 25)}, extra_working_days=[date(2026, 11, 25)])


def test_calendar_lists_take_dates_not_datetimes() -> None:
    with pytest.raises(TypeError):
        Calendar(extra_days_off={kyiv(2026, 11, 25)})
    with pytest.raises(TypeError):
        Calendar(extra_working_days=["2026-11-28"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        Calendar().is_working_day(kyiv(2026, 11, 25))


def test_next_working_day_is_strictly_after() -> None:
    cal = Calendar()
    assert cal.next_working_day(date(2026, 11, 23)) == date(2026, 11, 24)  # Mon -> Tue
    assert cal.next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)  # Fri -> Mon
    assert cal.next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)  # Sat -> Mon
    assert cal.next_working_day(date(2021, 1, 6)) == date(2021, 1, 11)  # Wed -> (7, 8 off) Mon


def test_roll_forward() -> None:
    cal = Calendar()
    assert cal.roll_forward(date(2026, 11, 27)) == date(2026, 11, 27)
    assert cal.roll_forward(date(2026, 11, 28)) == date(2026, 11, 30)
    assert cal.roll_forward(date(2026, 11, 29)) == date(2026, 11, 30)
    assert cal.roll_forward(date(2021, 1, 7)) == date(2021, 1, 11)


def test_add_working_days() -> None:
    cal = Calendar()
    assert cal.add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
    assert cal.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert cal.add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    assert cal.add_working_days(date(2026, 11, 28), 2) == date(2026, 12, 1)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 11, 27), -1)


def test_count_working_days() -> None:
    cal = Calendar()
    assert cal.count_working_days(date(2026, 11, 27), date(2026, 12, 1)) == 2  # (Fri, Tue]
    assert cal.count_working_days(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert cal.count_working_days(date(2026, 11, 30), date(2026, 11, 23)) == 0


def test_calendar_is_an_immutable_value() -> None:
    a = Calendar(extra_days_off=[date(2026, 1, 2)])
    b = Calendar(extra_days_off={date(2026, 1, 2)}, extra_working_days=())
    assert a == b and hash(a) == hash(b) and a != Calendar()
    assert a.extra_days_off == frozenset({date(2026, 1, 2)})
    assert a.extra_working_days == frozenset()
    with pytest.raises(AttributeError):
        a.extra_days_off = frozenset()  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(a)) == a
    assert "2026" in repr(a)


# ------------------------------------------------------------------------------------------------
# 2.12.1 ordinary, 2.12.2 medium-term, long-term: calendar days (Civil Code arts 253, 254)
# ------------------------------------------------------------------------------------------------


def test_2_12_1_ordinary_due_the_4th_day_after_receipt_regulation_the_5th_moved_off_saturday() -> None:
    """Received Monday 10:00 -> internal Friday 23:59:59; regulation Saturday -> Monday 23:59:59."""
    dues = due_dates(MON, Urgency.ORDINARY)
    assert dues == Dues(internal=end_of(2026, 11, 27), regulation=end_of(2026, 11, 30))
    assert_kyiv(dues.internal)
    assert_kyiv(dues.regulation)
    assert dues.internal.microsecond == 0


def test_2_12_2_medium_term_due_the_14th_day_after_receipt() -> None:
    dues = due_dates(MON, Urgency.MEDIUM_TERM)
    assert dues.internal == end_of(2026, 12, 7)  # Monday
    assert dues.regulation == end_of(2026, 12, 8)  # Tuesday


def test_long_term_due_30_and_45_days_after_receipt() -> None:
    dues = due_dates(MON, Urgency.LONG_TERM)
    assert dues.internal == end_of(2026, 12, 23)  # Wednesday
    assert dues.regulation == end_of(2027, 1, 7)  # Thursday: Christmas, a working day under martial law


@pytest.mark.parametrize("clock", [time(0, 0), time(0, 0, 1), time(10, 0), time(23, 59, 59, 999999)])
def test_art_253_counting_starts_the_day_after_receipt_whatever_the_hour(clock: time) -> None:
    received = datetime.combine(date(2026, 11, 23), clock, tzinfo=KYIV)
    assert due_dates(received, Urgency.ORDINARY).internal == end_of(2026, 11, 27)


def test_receipt_at_23_59_kyiv_counts_from_the_kyiv_date() -> None:
    """23:59 Monday in Kyiv is Monday: the 4th day after it is Friday."""
    late = kyiv(2026, 11, 23, 23, 59)
    assert due_dates(late, Urgency.ORDINARY).internal == end_of(2026, 11, 27)
    assert due_dates(late.astimezone(UTC), Urgency.ORDINARY).internal == end_of(2026, 11, 27)


def test_receipt_after_midnight_kyiv_is_the_next_day_although_utc_is_still_the_day_before() -> None:
    """00:30 Tuesday in Kyiv = 22:30 Monday UTC: the request was received on Tuesday."""
    for received in (kyiv(2026, 11, 24, 0, 30), datetime(2026, 11, 23, 22, 30, tzinfo=UTC)):
        dues = due_dates(received, Urgency.ORDINARY)
        # Tuesday + 4 = Saturday -> Monday; Tuesday + 5 = Sunday -> Monday
        assert dues.internal == end_of(2026, 11, 30)
        assert dues.regulation == end_of(2026, 11, 30)
        assert_kyiv(dues.internal)


def test_receipt_in_another_zone_is_converted_to_kyiv() -> None:
    # 18:00 Monday in New York = 01:00 Tuesday in Kyiv.
    received = datetime(2026, 11, 23, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    dues = due_dates(received, Urgency.MEDIUM_TERM)
    assert dues.internal == end_of(2026, 12, 8)  # Tuesday + 14 = Tuesday 08.12
    assert_kyiv(dues.internal)
    fixed = datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=5)))
    assert due_dates(fixed, Urgency.ORDINARY).internal == end_of(2026, 11, 27)


def test_art_254_a_due_on_sunday_moves_to_monday() -> None:
    # Received Wednesday 25.11.2026: +4 = Sunday 29.11 -> Monday 30.11; +5 = Monday 30.11.
    dues = due_dates(kyiv(2026, 11, 25, 9), Urgency.ORDINARY)
    assert dues.internal == end_of(2026, 11, 30)
    assert dues.regulation == end_of(2026, 11, 30)


def test_art_254_a_due_on_a_pre_war_holiday_moves_to_the_next_working_day() -> None:
    """2021: Christmas Thursday 07.01 and the transferred Friday 08.01 were days off."""
    # Received Sunday 03.01.2021: +4 = Thursday 07.01 -> Friday 08.01 off -> weekend -> Monday 11.01.
    dues = due_dates(kyiv(2021, 1, 3, 12), Urgency.ORDINARY)
    assert dues.internal == end_of(2021, 1, 11)
    assert dues.regulation == end_of(2021, 1, 11)  # +5 = Friday 08.01, also off
    # Received Thursday 19.08.2021: +4 = Monday 23.08 (transferred), Tuesday 24.08 Independence Day.
    assert due_dates(kyiv(2021, 8, 19, 12), Urgency.ORDINARY).internal == end_of(2021, 8, 25)


def test_a_due_on_a_worked_saturday_stays() -> None:
    # Received Monday 11.01.2021: +5 = Saturday 16.01.2021, worked in exchange for 08.01.
    assert due_dates(kyiv(2021, 1, 11, 12), Urgency.ORDINARY).regulation == end_of(2021, 1, 16)


@pytest.mark.parametrize(
    ("received", "internal"),
    [
        (kyiv(2023, 8, 20, 12), end_of(2023, 8, 24)),  # Independence Day, Thursday
        (kyiv(2024, 12, 21, 12), end_of(2024, 12, 25)),  # Christmas, Wednesday
        (kyiv(2025, 8, 21, 12), end_of(2025, 8, 25)),  # Monday after Independence Day on Sunday
        (kyiv(2025, 12, 21, 12), end_of(2025, 12, 25)),  # Christmas, Thursday
    ],
)
def test_no_move_for_a_holiday_under_martial_law(received: datetime, internal: datetime) -> None:
    assert due_dates(received, Urgency.ORDINARY).internal == internal


def test_an_extra_day_off_moves_a_due() -> None:
    cal = Calendar(extra_days_off={date(2026, 11, 27), date(2026, 11, 30)})
    dues = due_dates(MON, Urgency.ORDINARY, calendar=cal)
    assert dues.internal == end_of(2026, 12, 1)  # Friday off, weekend, Monday off -> Tuesday
    assert dues.regulation == end_of(2026, 12, 1)


def test_an_extra_working_day_keeps_a_due_in_place() -> None:
    saturday_worked = Calendar(extra_working_days={date(2026, 11, 28)})
    assert due_dates(MON, Urgency.ORDINARY, calendar=saturday_worked).regulation == end_of(2026, 11, 28)
    # A pre-war holiday declared working: Christmas 07.01.2021 no longer moves the due.
    cal = Calendar(extra_working_days={date(2021, 1, 7)})
    assert due_dates(kyiv(2021, 1, 3, 12), Urgency.ORDINARY, calendar=cal).internal == end_of(2021, 1, 7)


def test_an_extra_day_off_not_on_the_due_changes_nothing() -> None:
    cal = Calendar(extra_days_off={date(2026, 11, 25)})  # a day inside the term, not its last day
    assert due_dates(MON, Urgency.ORDINARY, calendar=cal) == due_dates(MON, Urgency.ORDINARY)


def test_day_based_dues_over_the_dst_switch_are_end_of_day_local() -> None:
    # Received Wednesday 25.03.2026 (+02:00): +4 = Sunday 29.03 -> Monday 30.03 (+03:00).
    dues = due_dates(kyiv(2026, 3, 25, 12), Urgency.ORDINARY)
    assert dues.internal == end_of(2026, 3, 30)
    assert dues.internal.utcoffset() == timedelta(hours=3)
    # Received Wednesday 21.10.2026 (+03:00): +4 = Sunday 25.10 -> Monday 26.10 (+02:00).
    dues = due_dates(kyiv(2026, 10, 21, 12), Urgency.ORDINARY)
    assert dues.internal == end_of(2026, 10, 26)
    assert dues.internal.utcoffset() == timedelta(hours=2)


# ------------------------------------------------------------------------------------------------
# 2.12.3 emergency: absolute hours
# ------------------------------------------------------------------------------------------------


def test_2_12_3_emergency_internal_due_one_hour_before_the_24_hours() -> None:
    dues = due_dates(MON, Urgency.EMERGENCY)
    assert dues.internal == kyiv(2026, 11, 24, 9, 0)
    assert dues.regulation == kyiv(2026, 11, 24, 10, 0)
    assert dues.regulation - dues.internal == timedelta(hours=1)
    assert_kyiv(dues.internal)
    assert_kyiv(dues.regulation)


def test_2_12_3_emergency_keeps_seconds() -> None:
    dues = due_dates(kyiv(2026, 11, 23, 10, 17, 42, 123), Urgency.EMERGENCY)
    assert dues.regulation == kyiv(2026, 11, 24, 10, 17, 42, 123)


def test_2_12_3_emergency_across_spring_forward_counts_real_hours() -> None:
    """Sunday 29.03.2026 03:00 -> 04:00 in Kyiv: 24 real hours later the clock reads one hour more."""
    received = kyiv(2026, 3, 28, 10, 0)  # +02:00
    dues = due_dates(received, Urgency.EMERGENCY)
    assert dues.internal == kyiv(2026, 3, 29, 10, 0)
    assert dues.regulation == kyiv(2026, 3, 29, 11, 0)
    assert dues.regulation.utcoffset() == timedelta(hours=3)
    assert dues.regulation.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=24)
    assert dues.internal.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=23)


def test_2_12_3_emergency_received_in_the_night_of_the_switch() -> None:
    received = kyiv(2026, 3, 29, 2, 30)  # +02:00, 30 minutes before the switch
    assert due_dates(received, Urgency.EMERGENCY).regulation == kyiv(2026, 3, 30, 3, 30)
    # Received at 04:30 summer time, the first hour after the switch (= 01:30 UTC).
    received = kyiv(2026, 3, 29, 4, 30)
    assert due_dates(received, Urgency.EMERGENCY).regulation == kyiv(2026, 3, 30, 4, 30)


def test_2_12_3_emergency_across_fall_back_counts_real_hours() -> None:
    """Sunday 25.10.2026 04:00 -> 03:00 in Kyiv: 24 real hours later the clock reads one hour less."""
    received = kyiv(2026, 10, 24, 10, 0)  # +03:00
    dues = due_dates(received, Urgency.EMERGENCY)
    assert dues.internal == kyiv(2026, 10, 25, 8, 0)
    assert dues.regulation == kyiv(2026, 10, 25, 9, 0)
    assert dues.regulation.utcoffset() == timedelta(hours=2)
    assert dues.regulation.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=24)


def test_2_12_3_emergency_received_in_the_repeated_hour() -> None:
    first = datetime(2026, 10, 25, 3, 30, tzinfo=KYIV, fold=0)  # +03:00 = 00:30 UTC
    second = datetime(2026, 10, 25, 3, 30, tzinfo=KYIV, fold=1)  # +02:00 = 01:30 UTC
    assert due_dates(first, Urgency.EMERGENCY).regulation.astimezone(UTC) == datetime(2026, 10, 26, 0, 30, tzinfo=UTC)
    assert due_dates(second, Urgency.EMERGENCY).regulation.astimezone(UTC) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_2_12_3_emergency_never_moves_for_a_weekend_or_a_day_off() -> None:
    friday = kyiv(2026, 11, 27, 10, 0)
    assert due_dates(friday, Urgency.EMERGENCY).regulation == kyiv(2026, 11, 28, 10, 0)  # Saturday
    assert due_dates(kyiv(2021, 1, 6, 10), Urgency.EMERGENCY).regulation == kyiv(2021, 1, 7, 10)
    cal = Calendar(extra_days_off={date(2026, 11, 24)})
    assert due_dates(MON, Urgency.EMERGENCY, calendar=cal).regulation == kyiv(2026, 11, 24, 10, 0)


def test_emergency_given_in_utc_comes_back_in_kyiv() -> None:
    dues = due_dates(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "emergency")
    assert dues.regulation == kyiv(2026, 11, 24, 10, 0)
    assert_kyiv(dues.regulation)


# ------------------------------------------------------------------------------------------------
# 2.13 extension
# ------------------------------------------------------------------------------------------------


def test_2_13_window_regulation_due_friday_latest_due_tuesday_same_clock_time() -> None:
    received = kyiv(2026, 11, 26, 10, 0)  # Thursday
    regulation = due_dates(received, Urgency.EMERGENCY).regulation  # Friday 27.11 10:00
    win = extension_window(received, regulation)
    assert win == ExtensionWindow(decide_by=kyiv(2026, 11, 26, 22, 0), latest_due=kyiv(2026, 12, 1, 10, 0))
    assert_kyiv(win.decide_by)
    assert_kyiv(win.latest_due)


def test_2_13_decide_by_is_12_real_hours_after_receipt() -> None:
    # Received 20:00 Saturday 28.03.2026 (+02:00); 12 real hours later it is 09:00 (+03:00).
    received = kyiv(2026, 3, 28, 20, 0)
    win = extension_window(received, received + timedelta(hours=24))
    assert win.decide_by == kyiv(2026, 3, 29, 9, 0)
    assert win.decide_by.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=12)


def test_2_13_window_regulation_due_saturday_counts_monday_and_tuesday() -> None:
    received = kyiv(2026, 11, 27, 10, 10)  # Friday
    win = extension_window(received, due_dates(received, Urgency.EMERGENCY).regulation)
    assert win.latest_due == kyiv(2026, 12, 1, 10, 10)  # Tuesday
    assert win.decide_by == kyiv(2026, 11, 27, 22, 10)


def test_2_13_window_midweek() -> None:
    received = kyiv(2026, 11, 24, 15, 45)  # Tuesday
    win = extension_window(received, kyiv(2026, 11, 25, 15, 45))  # Wednesday
    assert win.latest_due == kyiv(2026, 11, 27, 15, 45)  # Friday


def test_2_13_window_skips_days_off() -> None:
    # Regulation due Wednesday 06.01.2021: 07.01 and 08.01 off, weekend, Monday 11 (1st), Tuesday 12 (2nd).
    win = extension_window(kyiv(2021, 1, 5, 9), kyiv(2021, 1, 6, 9))
    assert win.latest_due == kyiv(2021, 1, 12, 9)
    cal = Calendar(extra_days_off={date(2026, 11, 30)})
    win = extension_window(kyiv(2026, 11, 26, 10), kyiv(2026, 11, 27, 10), calendar=cal)
    assert win.latest_due == kyiv(2026, 12, 2, 10)  # Monday off: Tuesday (1st), Wednesday (2nd)
    cal = Calendar(extra_working_days={date(2026, 11, 28)})
    win = extension_window(kyiv(2026, 11, 26, 10), kyiv(2026, 11, 27, 10), calendar=cal)
    assert win.latest_due == kyiv(2026, 11, 30, 10)  # Saturday worked (1st), Monday (2nd)


def test_2_13_window_clock_time_missing_on_the_spring_forward_day_comes_out_an_hour_later() -> None:
    # Saturday 28.03 and Sunday 29.03.2026 made working: 03:30 does not exist on 29.03 in Kyiv.
    cal = Calendar(extra_working_days={date(2026, 3, 28), date(2026, 3, 29)})
    win = extension_window(kyiv(2026, 3, 26, 3, 30), kyiv(2026, 3, 27, 3, 30), calendar=cal)
    assert win.latest_due == kyiv(2026, 3, 29, 4, 30)
    assert win.latest_due.utcoffset() == timedelta(hours=3)
    assert win.latest_due.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_2_13_window_clock_time_repeated_on_the_fall_back_day_is_the_first_one() -> None:
    cal = Calendar(extra_working_days={date(2026, 10, 24), date(2026, 10, 25)})
    win = extension_window(kyiv(2026, 10, 22, 3, 30), kyiv(2026, 10, 23, 3, 30), calendar=cal)
    assert win.latest_due.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 03:30 +03:00
    assert win.latest_due.fold == 0


def test_2_13_window_for_a_regulation_due_given_in_utc_uses_the_kyiv_date_and_clock() -> None:
    # 22:30 UTC Thursday = 00:30 Friday in Kyiv -> Monday, Tuesday 00:30 Kyiv.
    win = extension_window(datetime(2026, 11, 25, 22, 30, tzinfo=UTC), datetime(2026, 11, 26, 22, 30, tzinfo=UTC))
    assert win.latest_due == kyiv(2026, 12, 1, 0, 30)
    assert_kyiv(win.latest_due)


def test_2_13_custom_extension_terms() -> None:
    t = Terms(extension_decision_hours=6, extension_max_working_days=3)
    win = extension_window(kyiv(2026, 11, 26, 10), kyiv(2026, 11, 27, 10), terms=t)
    assert win.decide_by == kyiv(2026, 11, 26, 16)
    assert win.latest_due == kyiv(2026, 12, 2, 10)  # Monday, Tuesday, Wednesday


# check_extension --------------------------------------------------------------------------------

RECEIVED = kyiv(2026, 11, 27, 10, 10)  # Friday
REGULATION = kyiv(2026, 11, 28, 10, 10)  # Saturday (24 h)
CURRENT = kyiv(2026, 11, 28, 9, 10)  # the unit's due (23 h)
LATEST = kyiv(2026, 12, 1, 10, 10)  # Tuesday
DECIDE_BY = kyiv(2026, 11, 27, 22, 10)


def test_2_13_extension_accepted_at_exactly_12_hours_up_to_the_latest_due() -> None:
    check_extension(RECEIVED, CURRENT, REGULATION, LATEST, DECIDE_BY)
    check_extension(RECEIVED, CURRENT, REGULATION, CURRENT + timedelta(seconds=1), RECEIVED)
    check_extension(RECEIVED, CURRENT, REGULATION, kyiv(2026, 11, 30, 18), kyiv(2026, 11, 27, 11))


def test_2_13_extension_refused_after_12_hours() -> None:
    with pytest.raises(ExtensionRefused) as exc:
        check_extension(RECEIVED, CURRENT, REGULATION, LATEST, DECIDE_BY + timedelta(microseconds=1))
    assert exc.value.code == "too_late"
    assert str(exc.value) == (
        "Рішення про подовження терміну приймається протягом 12 годин з моменту надходження заявки "
        "(п. 2.13); цей час минув о 22:10 27.11.2026."
    )
    assert exc.value.limit == DECIDE_BY
    assert isinstance(exc.value, ValueError)


def test_2_13_too_late_is_checked_first() -> None:
    with pytest.raises(ExtensionRefused) as exc:
        check_extension(RECEIVED, CURRENT, REGULATION, CURRENT, kyiv(2026, 11, 28, 12))
    assert exc.value.code == "too_late"


@pytest.mark.parametrize("new_due", [CURRENT, CURRENT - timedelta(hours=3)])
def test_2_13_extension_refused_when_the_new_due_is_not_later(new_due: datetime) -> None:
    with pytest.raises(ExtensionRefused) as exc:
        check_extension(RECEIVED, CURRENT, REGULATION, new_due, RECEIVED + timedelta(hours=1))
    assert exc.value.code == "not_later"
    assert "п. 2.13" in str(exc.value)
    assert "09:10 28.11.2026" in str(exc.value)


def test_2_13_extension_refused_beyond_two_working_days() -> None:
    with pytest.raises(ExtensionRefused) as exc:
        check_extension(RECEIVED, CURRENT, REGULATION, LATEST + timedelta(seconds=1), RECEIVED)
    assert exc.value.code == "beyond_window"
    assert str(exc.value) == (
        "Термін можна подовжити не більше ніж на 2 робочі дні (п. 2.13): "
        "новий термін має бути не пізніше 10:10 01.12.2026."
    )
    assert exc.value.limit == LATEST


def test_2_13_refusal_messages_follow_custom_terms() -> None:
    t = Terms(extension_decision_hours=1, extension_max_working_days=5)
    with pytest.raises(ExtensionRefused, match="протягом 1 години"):
        check_extension(RECEIVED, CURRENT, REGULATION, LATEST, RECEIVED + timedelta(hours=2), terms=t)
    with pytest.raises(ExtensionRefused, match="на 5 робочих днів"):
        check_extension(RECEIVED, CURRENT, REGULATION, kyiv(2027, 1, 1), RECEIVED, terms=t)


def test_2_13_now_and_dues_in_other_zones_compare_as_moments() -> None:
    check_extension(
        RECEIVED.astimezone(UTC),
        CURRENT.astimezone(UTC),
        REGULATION.astimezone(UTC),
        LATEST.astimezone(UTC),
        DECIDE_BY.astimezone(ZoneInfo("America/New_York")),
    )


# ------------------------------------------------------------------------------------------------
# Late = strictly after the due; time left
# ------------------------------------------------------------------------------------------------


def test_done_exactly_at_the_due_is_on_time_strictly_after_is_late() -> None:
    due = end_of(2026, 11, 27)
    assert not is_late(due, due)
    assert not is_late(due - timedelta(hours=5), due)
    assert is_late(due + timedelta(microseconds=1), due)
    assert is_late(kyiv(2026, 11, 28, 0, 0), due)
    assert not is_late(due.astimezone(UTC), due)


def test_lateness_in_the_repeated_hour_of_the_fall_back_night_is_decided_by_real_time() -> None:
    """25.10.2026 03:00-03:59 happens twice in Kyiv; the second 03:30 is later than the first 03:40."""
    due = datetime(2026, 10, 25, 3, 40, tzinfo=KYIV, fold=0)  # 00:40 UTC
    done = datetime(2026, 10, 25, 3, 30, tzinfo=KYIV, fold=1)  # 01:30 UTC
    assert is_late(done, due)
    assert not is_late(due, done)
    assert time_left(due, done) == -timedelta(minutes=50)


def test_2_13_decide_by_in_the_repeated_hour_is_decided_by_real_time() -> None:
    received = datetime(2026, 10, 24, 15, 40, tzinfo=KYIV)  # +03:00; decide_by 03:40 (+03:00) = 00:40 UTC
    regulation = due_dates(received, Urgency.EMERGENCY).regulation
    now = datetime(2026, 10, 25, 3, 30, tzinfo=KYIV, fold=1)  # the second 03:30 = 01:30 UTC
    with pytest.raises(ExtensionRefused) as exc:
        check_extension(received, regulation, regulation, regulation + timedelta(hours=1), now)
    assert exc.value.code == "too_late"


def test_time_left_counts_real_time_and_is_negative_when_overdue() -> None:
    due = kyiv(2026, 11, 24, 10)
    assert time_left(due, kyiv(2026, 11, 24, 8)) == timedelta(hours=2)
    assert time_left(due, due) == timedelta(0)
    assert time_left(due, kyiv(2026, 11, 24, 11, 30)) == -timedelta(hours=1, minutes=30)
    # Across the spring-forward night only 23 real hours pass between two 10:00s.
    assert time_left(kyiv(2026, 3, 29, 10), kyiv(2026, 3, 28, 10)) == timedelta(hours=23)
    assert time_left(due, due.astimezone(UTC) - timedelta(minutes=1)) == timedelta(minutes=1)


# ------------------------------------------------------------------------------------------------
# Naive datetimes are refused everywhere
# ------------------------------------------------------------------------------------------------

NAIVE = datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: due_dates(NAIVE, Urgency.ORDINARY), id="due_dates-ordinary"),
        pytest.param(lambda: due_dates(NAIVE, Urgency.EMERGENCY), id="due_dates-emergency"),
        pytest.param(lambda: extension_window(NAIVE, REGULATION), id="window-received"),
        pytest.param(lambda: extension_window(RECEIVED, NAIVE), id="window-regulation"),
        pytest.param(lambda: check_extension(NAIVE, CURRENT, REGULATION, LATEST, RECEIVED), id="chk-1"),
        pytest.param(lambda: check_extension(RECEIVED, NAIVE, REGULATION, LATEST, RECEIVED), id="chk-2"),
        pytest.param(lambda: check_extension(RECEIVED, CURRENT, NAIVE, LATEST, RECEIVED), id="chk-3"),
        pytest.param(lambda: check_extension(RECEIVED, CURRENT, REGULATION, NAIVE, RECEIVED), id="chk-4"),
        pytest.param(lambda: check_extension(RECEIVED, CURRENT, REGULATION, LATEST, NAIVE), id="chk-now"),
        pytest.param(lambda: is_late(NAIVE, REGULATION), id="is_late-done"),
        pytest.param(lambda: is_late(RECEIVED, NAIVE), id="is_late-due"),
        pytest.param(lambda: time_left(NAIVE, RECEIVED), id="time_left-due"),
        pytest.param(lambda: time_left(RECEIVED, NAIVE), id="time_left-now"),
    ],
)
def test_naive_datetimes_are_refused(call: object) -> None:
    assert callable(call)
    with pytest.raises(NaiveDatetimeError, match="naive"):
        call()


def test_naive_datetime_error_is_a_value_error() -> None:
    assert issubclass(NaiveDatetimeError, ValueError)
    with pytest.raises(ValueError, match="received_at"):
        due_dates(NAIVE, "ordinary")


def test_a_date_is_not_a_moment() -> None:
    with pytest.raises(TypeError):
        due_dates(date(2026, 11, 23), Urgency.ORDINARY)  # type: ignore[arg-type]


def test_results_are_frozen() -> None:
    dues = due_dates(MON, Urgency.ORDINARY)
    with pytest.raises(AttributeError):
        dues.internal = MON  # type: ignore[misc]
    win = extension_window(RECEIVED, REGULATION)
    with pytest.raises(AttributeError):
        win.latest_due = MON  # type: ignore[misc]


def test_2_13_decide_by_is_twelve_absolute_hours_after_receipt_and_the_windows_decide_by() -> None:
    from zayavky.deadlines import extension_decide_by

    received = datetime(2026, 3, 28, 20, 0, tzinfo=KYIV)  # the spring-forward night follows
    assert extension_decide_by(received).astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=12)
    assert extension_decide_by(received).hour == 9  # 20:00 +02:00 plus 12 h is 09:00 summer time
    assert extension_decide_by(received).utcoffset() == timedelta(hours=3)
    dues = due_dates(received, Urgency.EMERGENCY)
    assert extension_window(received, dues.regulation).decide_by == extension_decide_by(received)
