"""Deadline engine: when a request is due (order No. 170-р, the city Regulation, Civil Code).

Pure Python, no Django: every part of the project (models, API, reports, the benchmark) calls these
functions, and the tests can check them exhaustively.

All results are *aware* datetimes in Europe/Kyiv (:data:`KYIV`). A naive datetime given anywhere is
refused with :class:`NaiveDatetimeError` (a :class:`ValueError`): a wall-clock time without a zone is
ambiguous and a deadline computed from it could be hours off.

Two dues are computed for every request (:func:`due_dates`):

* ``internal`` -- order 170-р, binds the structural unit;
* ``regulation`` -- the Contact Center Regulation, binds the district.

Rules
=====

Emergency requests (2.12.3): the Regulation gives 24 hours; the unit must answer "no later than one
hour before the 24-hour term expires", i.e. ``internal = received_at + 23 h`` and
``regulation = received_at + 24 h``. These are *absolute* hours: the arithmetic is done in UTC and the
result converted to Kyiv time, so across the spring-forward night the local clock reads one hour later
(received 10:00 on Saturday 28.03.2026 -> due 11:00 on Sunday), across the fall-back night one hour
earlier. Hour-based dues never move because of days off.

Ordinary (2.12.1: the 4th day after receipt), medium-term (2.12.2: the 14th day) and long-term requests
are counted in *calendar days*:

* counting starts on the day after the day of receipt (Civil Code art. 253); the day of receipt is the
  local Kyiv date of ``received_at``, not the UTC one (a request received at 23:59 Kyiv time on
  Monday was received on Monday; one received at 22:30 UTC on Monday -- 00:30 Tuesday in Kyiv --
  was received on Tuesday);
* the nominal last day is ``receipt date + N days``;
* the term ends at the end of that day, represented as 23:59:59 local time (:data:`END_OF_DAY`,
  microsecond 0; a result "strictly after" it is late, see :func:`is_late`);
* if the nominal last day is not a working day, the term ends at the end of the next working day
  (Civil Code art. 254 p. 5).

Example: received Monday 10:00 -> ordinary internal due Friday 23:59:59; the regulation due (5 days)
would be Saturday, so it moves to Monday 23:59:59.

The default numbers of days live in :class:`Terms` (configurable, partial overrides through
:meth:`Terms.from_mapping`).

Working days (:class:`Calendar`): Monday to Friday, except Ukraine's days off as known by the
``holidays`` package, plus an administrator-editable list of extra days off and extra working days.
Under martial law (law No. 2136-IX) public holidays are working days; the ``holidays`` package already
knows this: from 2023 on it has no public holidays for Ukraine at all, and in 2022 it keeps only the
days off that fell before the law took effect (1 Jan with its observed Monday 3 Jan, 7 Jan, 8 Mar and
the transferred day off 7 Mar). Before that it also knows the moves of a holiday falling on a weekend
to the next working day (e.g. Monday 29.06.2020) and the Cabinet's transfers (e.g. Friday 08.01.2021
off, Saturday 16.01.2021 worked) -- both are used here.

Extension (2.13): an emergency request that cannot be executed at once may have its term extended by
at most two working days, decided within 12 hours of receipt, with a justification and a concrete new
due. :func:`extension_window` gives ``decide_by = received_at + 12 h`` (absolute) and ``latest_due``
= the same local clock time as the regulation due, on the 2nd working day after the local date of the
regulation due. :func:`check_extension` refuses an extension with :class:`ExtensionRefused` (codes
``too_late``, ``not_later``, ``beyond_window``). Whether the request is an emergency one and whether
a justification was given is checked by the callers.

Rework: the new term is counted from the moment the request came back, with the request's urgency --
call :func:`due_dates` with that moment as ``received_at``.

A deadline is met unless the completion moment is *strictly after* the due (:func:`is_late`).

Which due binds, what is overdue, what was met or missed (:func:`deadline_status`) -- the one definition
every page, list, export, report and the API ask:

* the unit's due (the extended one after 2.13, else the internal one) binds while the request is with
  the unit -- routed, with the head, in work, on signature and signed -- and is met when the unit hands the
  signed answer over (2.7) no later than it;
* then the district's due (the Regulation's, moved by an extension too) binds until the general
  department posts the answer to the Contact Center (2.9), and is met when that is no later than it;
* a request not (or no longer) with a unit -- new, or returned to the general department (2.2) -- has
  no due until it is routed, unless it had one already: the term runs from receipt, not from routing;
* a published or withdrawn request has no running due;
* overdue = a running due exists and the moment is strictly after it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "END_OF_DAY",
    "KYIV",
    "Calendar",
    "DeadlineStatus",
    "DueState",
    "Dues",
    "ExtensionRefused",
    "ExtensionWindow",
    "NaiveDatetimeError",
    "Stage",
    "Terms",
    "Urgency",
    "binding_due",
    "check_extension",
    "deadline_status",
    "district_due",
    "due_dates",
    "extension_decide_by",
    "extension_window",
    "is_late",
    "time_left",
]

#: Every due is expressed in Kyiv time.
KYIV = ZoneInfo("Europe/Kyiv")

#: "The end of the day" of a day-based term (Civil Code art. 253-254), as a wall-clock time.
END_OF_DAY = time(23, 59, 59)


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where a moment in time is needed."""


class Urgency(enum.StrEnum):
    """How urgent a request is; decides which term applies (2.12)."""

    EMERGENCY = "emergency"
    ORDINARY = "ordinary"
    MEDIUM_TERM = "medium_term"
    LONG_TERM = "long_term"

    @property
    def label_uk(self) -> str:
        """The Ukrainian name, for the user interface."""
        return _URGENCY_LABELS_UK[self]

    @property
    def is_hour_based(self) -> bool:
        """True for emergency requests, whose terms are counted in absolute hours (2.12.3)."""
        return self is Urgency.EMERGENCY

    @classmethod
    def coerce(cls, value: Urgency | str) -> Urgency:
        """``Urgency(value)`` with a clear :class:`ValueError` naming the allowed values."""
        if isinstance(value, Urgency):
            return value
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(u.value for u in cls)
            raise ValueError(f"Unknown urgency {value!r}; allowed values: {allowed}.") from None


_URGENCY_LABELS_UK: dict[Urgency, str] = {
    Urgency.EMERGENCY: "аварійна",
    Urgency.ORDINARY: "звичайна",
    Urgency.MEDIUM_TERM: "середньострокова",
    Urgency.LONG_TERM: "довгострокова",
}


# --------------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------------

_TERM_PAIRS: tuple[tuple[str, str], ...] = (
    ("emergency_internal_hours", "emergency_regulation_hours"),
    ("ordinary_internal_days", "ordinary_regulation_days"),
    ("medium_term_internal_days", "medium_term_regulation_days"),
    ("long_term_internal_days", "long_term_regulation_days"),
)


@dataclass(frozen=True, slots=True)
class Terms:
    """The lengths of the terms; the defaults are the order's and the Regulation's."""

    emergency_internal_hours: int = 23  # 2.12.3: one hour before the 24-hour term expires
    emergency_regulation_hours: int = 24
    ordinary_internal_days: int = 4  # 2.12.1
    ordinary_regulation_days: int = 5
    medium_term_internal_days: int = 14  # 2.12.2
    medium_term_regulation_days: int = 15
    long_term_internal_days: int = 30
    long_term_regulation_days: int = 45
    extension_decision_hours: int = 12  # 2.13: decided within 12 hours
    extension_max_working_days: int = 2  # 2.13: by at most two working days

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            # bool is an int subclass; True as "1 day" is a configuration mistake.
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"Terms.{f.name} must be an integer, got {value!r}.")
            if value <= 0:
                raise ValueError(f"Terms.{f.name} must be a positive integer, got {value}.")
        for internal, regulation in _TERM_PAIRS:
            if getattr(self, internal) > getattr(self, regulation):
                raise ValueError(
                    f"Terms.{internal} ({getattr(self, internal)}) must not exceed "
                    f"Terms.{regulation} ({getattr(self, regulation)}): the unit's term must end "
                    "no later than the Regulation's."
                )

    @classmethod
    def from_mapping(cls, values: Mapping[str, object] | None) -> Terms:
        """Defaults overridden by ``values``; keys with the value ``None`` are ignored.

        An unknown key raises :class:`ValueError` (a misspelt setting must not be silently dropped).
        """
        if not values:
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(str(k) for k in values if k not in known)
        if unknown:
            raise ValueError(f"Unknown term setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}.")
        overrides = {k: v for k, v in values.items() if v is not None}
        return cls(**overrides)  # type: ignore[arg-type]  # values are validated in __post_init__

    def for_urgency(self, urgency: Urgency | str) -> tuple[int, int]:
        """``(internal, regulation)`` for ``urgency``: hours for emergency, calendar days otherwise."""
        u = Urgency.coerce(urgency)
        if u is Urgency.EMERGENCY:
            return self.emergency_internal_hours, self.emergency_regulation_hours
        if u is Urgency.ORDINARY:
            return self.ordinary_internal_days, self.ordinary_regulation_days
        if u is Urgency.MEDIUM_TERM:
            return self.medium_term_internal_days, self.medium_term_regulation_days
        return self.long_term_internal_days, self.long_term_regulation_days


_DEFAULT_TERMS = Terms()


# --------------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------------


@functools.cache
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """``(days off, weekend working days)`` of ``year`` according to the ``holidays`` package.

    Days off: Ukraine's public holidays incl. the moves of a weekend holiday to the next working day
    and the Cabinet's transferred days off. Weekend working days: the Saturdays worked in exchange.
    The neighbouring years are populated too so that a transfer or an observed day crossing New Year
    is not lost. Cached for the life of the process: the package's data does not change while it runs.
    """
    years = range(max(MINYEAR, year - 1), min(MAXYEAR, year + 1) + 1)
    ua = holidays.country_holidays("UA", years=years)
    days_off = frozenset(d for d in ua if d.year == year)
    weekend_workdays = frozenset(d for d in ua.weekend_workdays if d.year == year)
    return days_off, weekend_workdays


def _check_dates(values: Iterable[date], name: str) -> frozenset[date]:
    result = frozenset(values)
    for d in result:
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"Calendar {name} must contain dates (datetime.date), got {d!r}.")
    return result


class Calendar:
    """Which days are working days.

    A working day is Monday-Friday and not a day off. Days off are Ukraine's days off from the
    ``holidays`` package (none under martial law, see the module docstring) plus ``extra_days_off``.
    A date in ``extra_working_days`` is a working day even on a weekend or a holiday (a government
    transfer, a Saturday made working, the end of martial law handled by hand); a date in
    ``extra_days_off`` is never a working day; a date in both is refused.

    The weekend days the package knows were worked in exchange for a transferred day off (e.g.
    Saturday 16.01.2021) are working days as well.

    Immutable and hashable; safe to share between threads.
    """

    __slots__ = ("_extra_days_off", "_extra_working_days", "_hash", "_roll_cache", "_term_cache")

    _extra_days_off: frozenset[date]
    _extra_working_days: frozenset[date]
    _hash: int
    _roll_cache: dict[date, date]
    _term_cache: dict[tuple[date, int], datetime]

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        off = _check_dates(extra_days_off, "extra_days_off")
        working = _check_dates(extra_working_days, "extra_working_days")
        both = off & working
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"A date cannot be both an extra day off and an extra working day: {listed}.")
        object.__setattr__(self, "_extra_days_off", off)
        object.__setattr__(self, "_extra_working_days", working)
        object.__setattr__(self, "_hash", hash((off, working)))
        # roll_forward() results; the calendar is immutable, so they never go stale. Bounded by the
        # number of distinct dates asked about (a few thousand in practice).
        object.__setattr__(self, "_roll_cache", {})
        object.__setattr__(self, "_term_cache", {})  # (receipt date, days) -> due; see _day_based_due

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable")

    def __reduce__(self) -> tuple[type[Calendar], tuple[frozenset[date], frozenset[date]]]:
        return (Calendar, (self._extra_days_off, self._extra_working_days))

    @property
    def extra_days_off(self) -> frozenset[date]:
        return self._extra_days_off

    @property
    def extra_working_days(self) -> frozenset[date]:
        return self._extra_working_days

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self._extra_days_off == other._extra_days_off and self._extra_working_days == other._extra_working_days

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return (
            f"Calendar(extra_days_off={sorted(self._extra_days_off)!r}, "
            f"extra_working_days={sorted(self._extra_working_days)!r})"
        )

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day."""
        if isinstance(d, datetime):
            raise TypeError(f"is_working_day() takes a date, not a datetime: {d!r}.")
        if d in self._extra_working_days:
            return True
        if d in self._extra_days_off:
            return False
        days_off, weekend_workdays = _package_year(d.year)
        if d.weekday() >= 5:  # Saturday, Sunday
            return d in weekend_workdays
        return d not in days_off

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day (Civil Code art. 254 p. 5)."""
        try:
            return self._roll_cache[d]
        except KeyError:
            pass
        result = d if self.is_working_day(d) else self.next_working_day(d)
        if len(self._roll_cache) >= _CACHE_LIMIT:
            self._roll_cache.clear()
        self._roll_cache[d] = result
        return result

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself is not counted); ``n = 0`` gives ``d``."""
        if n < 0:
            raise ValueError(f"add_working_days() needs n >= 0, got {n}.")
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def count_working_days(self, start: date, end: date) -> int:
        """The number of working days ``w`` with ``start < w <= end`` (0 if ``end <= start``)."""
        count = 0
        d = start + _ONE_DAY
        while d <= end:
            count += self.is_working_day(d)
            d += _ONE_DAY
        return count


_ONE_DAY = timedelta(days=1)
_CACHE_LIMIT = 100_000  # entries per Calendar cache; years of dates x every term length fit easily
_DEFAULT_CALENDAR = Calendar()


# --------------------------------------------------------------------------------------------------
# Datetime helpers
# --------------------------------------------------------------------------------------------------


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{name} is a naive datetime ({value.isoformat()}); give an aware datetime "
            "(e.g. with tzinfo=ZoneInfo('Europe/Kyiv')) so the moment is unambiguous."
        )
    return value


def _to_kyiv(value: datetime) -> datetime:
    return value.astimezone(KYIV)


def _add_hours(moment: datetime, hours: int) -> datetime:
    """``moment`` + ``hours`` absolute hours (in UTC), as Kyiv time.

    Python's ``aware + timedelta`` keeps the wall clock of the datetime's own zone, which is wrong
    across a DST switch; going through UTC counts real elapsed hours.
    """
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(KYIV)


def _local(d: date, t: time) -> datetime:
    """The Kyiv moment showing wall-clock time ``t`` on date ``d``.

    A time that does not exist on ``d`` (the spring-forward gap, 03:00-03:59) or exists twice (the
    fall-back hour) is resolved with ``fold=0`` and normalised through UTC: a time in the gap comes
    out one hour later (03:30 -> 04:30 summer time), an ambiguous time is the first occurrence
    (summer time, +03:00).
    """
    naive = datetime.combine(d, t.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=KYIV).astimezone(UTC).astimezone(KYIV)


@functools.lru_cache(maxsize=65536)
def _end_of_day(d: date) -> datetime:
    return _local(d, END_OF_DAY)


def _fmt(moment: datetime) -> str:
    """``22:10 27.11.2026`` in Kyiv time, for messages."""
    return _to_kyiv(moment).strftime("%H:%M %d.%m.%Y")


# --------------------------------------------------------------------------------------------------
# Dues
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dues:
    """The two dues of a request: the unit's (order 170-р) and the district's (the Regulation)."""

    internal: datetime
    regulation: datetime


def _day_based_due(receipt_date: date, days: int, calendar: Calendar) -> datetime:
    key = (receipt_date, days)
    try:
        return calendar._term_cache[key]
    except KeyError:
        pass
    # Civil Code art. 253: counting starts on the day after the day of receipt.
    nominal = receipt_date + timedelta(days=days)
    # Civil Code art. 254 p. 5: a last day that is a day off moves to the next working day.
    due = _end_of_day(calendar.roll_forward(nominal))
    if len(calendar._term_cache) >= _CACHE_LIMIT:
        calendar._term_cache.clear()
    calendar._term_cache[key] = due
    return due


@functools.cache
def _hours(n: int) -> timedelta:
    return timedelta(hours=n)


def due_dates(
    received_at: datetime,
    urgency: Urgency | str,
    *,
    calendar: Calendar | None = None,
    terms: Terms | None = None,
) -> Dues:
    """The internal (2.12) and regulation dues of a request received at ``received_at``.

    For a request returned for rework, pass the moment it came back as ``received_at``.
    """
    _aware(received_at, "received_at")
    u = urgency if type(urgency) is Urgency else Urgency.coerce(urgency)
    t = _DEFAULT_TERMS if terms is None else terms
    if u is Urgency.EMERGENCY:  # 2.12.3: absolute hours in UTC, never moved for days off
        at = received_at.astimezone(UTC)
        return Dues(
            (at + _hours(t.emergency_internal_hours)).astimezone(KYIV),
            (at + _hours(t.emergency_regulation_hours)).astimezone(KYIV),
        )
    internal, regulation = t.for_urgency(u)
    cal = _DEFAULT_CALENDAR if calendar is None else calendar
    receipt_date = received_at.astimezone(KYIV).date()  # the Kyiv date, not the UTC one
    return Dues(
        _day_based_due(receipt_date, internal, cal),
        _day_based_due(receipt_date, regulation, cal),
    )


# --------------------------------------------------------------------------------------------------
# Extension (2.13)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExtensionWindow:
    """When an extension must be decided, and how far the term may go (2.13)."""

    decide_by: datetime
    latest_due: datetime


def extension_decide_by(received_at: datetime, *, terms: Terms | None = None) -> datetime:
    """2.13: the moment by which an extension must be decided -- 12 absolute hours after receipt (or after
    the return for rework, whose moment the caller passes as ``received_at``)."""
    _aware(received_at, "received_at")
    t = _DEFAULT_TERMS if terms is None else terms
    return _add_hours(received_at, t.extension_decision_hours)


def extension_window(
    received_at: datetime,
    regulation_due: datetime,
    *,
    calendar: Calendar | None = None,
    terms: Terms | None = None,
) -> ExtensionWindow:
    """2.13: decide within 12 hours of receipt; extend by at most two working days.

    ``latest_due`` is the regulation due's local clock time on the 2nd working day after the local
    date of the regulation due (see :func:`_local` for a clock time that is missing or doubled on
    that date by a DST switch).
    """
    _aware(received_at, "received_at")
    _aware(regulation_due, "regulation_due")
    cal = _DEFAULT_CALENDAR if calendar is None else calendar
    t = _DEFAULT_TERMS if terms is None else terms
    reg_local = _to_kyiv(regulation_due)
    latest_date = cal.add_working_days(reg_local.date(), t.extension_max_working_days)
    return ExtensionWindow(
        decide_by=extension_decide_by(received_at, terms=t),
        latest_due=_local(latest_date, reg_local.timetz()),
    )


class ExtensionRefused(ValueError):
    """An extension of the term is not allowed (2.13); ``code`` tells why, the message says it in Ukrainian.

    Codes: ``too_late`` (more than 12 hours since receipt), ``not_later`` (the new due is not later than
    the current one), ``beyond_window`` (more than two working days after the regulation due).
    """

    code: str
    message: str
    limit: datetime

    def __init__(self, code: str, message: str, limit: datetime) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.limit = limit  # the moment the refusal is about (decide_by, current due, latest due)


def _uk_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def check_extension(
    received_at: datetime,
    current_due: datetime,
    regulation_due: datetime,
    new_due: datetime,
    now: datetime,
    *,
    calendar: Calendar | None = None,
    terms: Terms | None = None,
) -> None:
    """Raise :class:`ExtensionRefused` unless the term may be extended to ``new_due`` at ``now`` (2.13).

    Allowed while ``now <= received_at + 12 h``; the new due must be strictly later than
    ``current_due`` and no later than :attr:`ExtensionWindow.latest_due`. That the request is an
    emergency one and that a justification is given is checked by the caller.
    """
    _aware(received_at, "received_at")
    _aware(current_due, "current_due")
    _aware(regulation_due, "regulation_due")
    _aware(new_due, "new_due")
    _aware(now, "now")
    t = _DEFAULT_TERMS if terms is None else terms
    win = extension_window(received_at, regulation_due, calendar=calendar, terms=t)
    # Compared in UTC: Python compares two datetimes sharing a tzinfo by wall clock, which is wrong
    # in the repeated hour of the fall-back night.
    now_utc, new_utc = now.astimezone(UTC), new_due.astimezone(UTC)
    if now_utc > win.decide_by.astimezone(UTC):
        hours = t.extension_decision_hours
        raise ExtensionRefused(
            "too_late",
            f"Рішення про подовження терміну приймається протягом {hours} "
            f"{_uk_plural(hours, 'години', 'годин', 'годин')} з моменту надходження заявки "
            f"(п. 2.13); цей час минув о {_fmt(win.decide_by)}.",
            win.decide_by,
        )
    if new_utc <= current_due.astimezone(UTC):
        raise ExtensionRefused(
            "not_later",
            f"Новий термін має бути пізнішим за поточний термін {_fmt(current_due)} (п. 2.13).",
            _to_kyiv(current_due),
        )
    if new_utc > win.latest_due.astimezone(UTC):
        n = t.extension_max_working_days
        raise ExtensionRefused(
            "beyond_window",
            f"Термін можна подовжити не більше ніж на {n} "
            f"{_uk_plural(n, 'робочий день', 'робочі дні', 'робочих днів')} (п. 2.13): "
            f"новий термін має бути не пізніше {_fmt(win.latest_due)}.",
            win.latest_due,
        )


# --------------------------------------------------------------------------------------------------
# Lateness
# --------------------------------------------------------------------------------------------------


class Stage(enum.StrEnum):
    """Where a request stands as far as its terms go (the statuses of the lifecycle map onto these)."""

    UNROUTED = "unrouted"  # with the general department, to be routed (2.2)
    WITH_UNIT = "with_unit"  # the unit's term runs until it hands the signed answer over (2.7)
    HANDED_OVER = "handed_over"  # the district's term runs until the answer is posted (2.9)
    CLOSED = "closed"  # posted to the Contact Center, or withdrawn by it: no term runs


def district_due(regulation_due: datetime | None, extended_due: datetime | None) -> datetime | None:
    """The district's due: the Regulation's, or the extended due when an extension (2.13) goes beyond it --
    the Contact Center is told of the extension, so the district is held to the new date too."""
    if regulation_due is None:
        return extended_due
    if extended_due is not None and is_late(extended_due, regulation_due):
        return extended_due
    return regulation_due


@dataclass(frozen=True, slots=True)
class DueState:
    """Where one due stands: ``binding`` (still running), ``met`` or ``missed`` (settled at ``at``), or
    ``""`` (nothing to say: no due yet, or the request was withdrawn before it was settled)."""

    state: str = ""
    at: datetime | None = None

    @property
    def missed(self) -> bool:
        return self.state == "missed"


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    """Which due binds a request now and how each of its two dues stands (see the module docstring)."""

    stage: Stage
    binding: datetime | None  # the due that runs now, or None
    party: str  # who it binds: "unit", "district" or "" (none runs)
    unit_due: datetime | None
    district_due: datetime | None
    unit: DueState
    district: DueState

    def overdue(self, now: datetime, against: str = "") -> bool:
        """Strictly after the running due (finishing at the due itself is on time).

        ``against="unit"``: after the unit's due while the unit has the request; ``against="district"``:
        after the district's due while any term runs (the controller counts both, 3.1).
        """
        if against == "":
            return self.binding is not None and is_late(now, self.binding)
        if against == "unit":
            return self.stage is Stage.WITH_UNIT and self.unit_due is not None and is_late(now, self.unit_due)
        if against == "district":
            return self.stage is not Stage.CLOSED and self.district_due is not None and is_late(now, self.district_due)
        raise ValueError(f"against must be '', 'unit' or 'district', not {against!r}")

    def left(self, now: datetime) -> timedelta | None:
        """How long until the running due; negative when overdue; None when none runs."""
        return None if self.binding is None else time_left(self.binding, now)


def binding_due(stage: Stage | str, unit_due: datetime | None, district: datetime | None) -> datetime | None:
    """The due that runs at ``stage``: the unit's until the hand-over, then the district's until posting."""
    s = Stage(stage)
    if s is Stage.UNROUTED or s is Stage.WITH_UNIT:
        return unit_due
    if s is Stage.HANDED_OVER:
        return district
    return None


def deadline_status(
    stage: Stage | str,
    *,
    unit_due: datetime | None,
    district: datetime | None,
    handed_over_at: datetime | None,
    published_at: datetime | None,
) -> DeadlineStatus:
    """Which due binds at ``stage`` and whether each due was met, was missed, or still binds.

    ``unit_due`` is the unit's due (the extended one if any), ``district`` the district's
    (:func:`district_due`); ``handed_over_at`` / ``published_at`` the moments that settle them (2.7,
    2.9), None until they happen (a rework clears them: the new term binds again).
    """
    s = Stage(stage)
    running = binding_due(s, unit_due, district)
    unit = DueState()
    if handed_over_at is not None and unit_due is not None:
        unit = DueState("missed" if is_late(handed_over_at, unit_due) else "met", handed_over_at)
    elif unit_due is not None and s is not Stage.CLOSED:
        unit = DueState("binding")
    dist = DueState()
    if published_at is not None and district is not None:
        dist = DueState("missed" if is_late(published_at, district) else "met", published_at)
    elif district is not None and s is Stage.HANDED_OVER:
        dist = DueState("binding")
    party = "" if running is None else ("district" if s is Stage.HANDED_OVER else "unit")
    return DeadlineStatus(s, running, party, unit_due, district, unit, dist)


def is_late(done_at: datetime, due: datetime) -> bool:
    """True if ``done_at`` is strictly after ``due`` (finishing exactly at the due is on time).

    Compared in UTC: Python compares two datetimes sharing a tzinfo by wall clock, which is wrong in
    the repeated hour of the fall-back night.
    """
    return _aware(done_at, "done_at").astimezone(UTC) > _aware(due, "due").astimezone(UTC)


def time_left(due: datetime, now: datetime) -> timedelta:
    """How long until ``due`` (absolute time); negative when overdue."""
    _aware(due, "due")
    _aware(now, "now")
    return due.astimezone(UTC) - now.astimezone(UTC)
