"""The reference data's own rules: who signs on which day (2.4), the terms (docs/design.md 3), the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zayavky.catalog.models import (
    CalendarOverride,
    Category,
    Duty,
    Organisation,
    Section,
    Signatory,
    Unit,
    current_calendar,
    signatories_for,
)
from zayavky.deadlines import KYIV, Calendar, Terms, due_dates

pytestmark = pytest.mark.django_db

D = dt.date


# --------------------------------------------------------------------------------------------------
# Distribution of duties (2.4, 2.6)
# --------------------------------------------------------------------------------------------------


def test_it_names_the_signatory_under_the_duties_in_force_on_each_day(
    unit: Unit, deputy: Signatory, manager: Signatory
) -> None:
    # The deputy signed for the unit until the end of March; from April the duties were redistributed
    # and the manager of affairs signs. The past keeps its signatory.
    Duty.objects.create(signatory=deputy, unit=unit, valid_from=D(2026, 1, 1), valid_to=D(2026, 3, 31))
    Duty.objects.create(signatory=manager, unit=unit, valid_from=D(2026, 4, 1))

    assert signatories_for(unit.pk, D(2025, 12, 31)) == []
    assert signatories_for(unit.pk, D(2026, 1, 1)) == [deputy]  # first day included
    assert signatories_for(unit.pk, D(2026, 3, 31)) == [deputy]  # last day included
    assert signatories_for(unit.pk, D(2026, 4, 1)) == [manager]
    assert signatories_for(unit.pk, D(2030, 1, 1)) == [manager]  # no end date: still in force


def test_it_keeps_each_unit_to_its_own_signatories(
    unit: Unit, other_unit: Unit, deputy: Signatory, manager: Signatory
) -> None:
    Duty.objects.create(signatory=deputy, unit=unit, valid_from=D(2026, 1, 1))
    Duty.objects.create(signatory=manager, unit=other_unit, valid_from=D(2026, 1, 1))

    assert signatories_for(unit.pk, D(2026, 6, 1)) == [deputy]
    assert signatories_for(other_unit.pk, D(2026, 6, 1)) == [manager]


def test_it_gives_every_signatory_during_an_overlap(unit: Unit, deputy: Signatory, manager: Signatory) -> None:
    # Handing over duties may overlap for a few days; both may sign then.
    Duty.objects.create(signatory=deputy, unit=unit, valid_from=D(2026, 1, 1), valid_to=D(2026, 4, 3))
    Duty.objects.create(signatory=manager, unit=unit, valid_from=D(2026, 4, 1))

    assert {s.pk for s in signatories_for(unit.pk, D(2026, 4, 2))} == {deputy.pk, manager.pk}


def test_it_leaves_out_a_signatory_who_no_longer_signs(unit: Unit, deputy: Signatory) -> None:
    Duty.objects.create(signatory=deputy, unit=unit, valid_from=D(2026, 1, 1))
    deputy.is_active = False
    deputy.save()

    assert signatories_for(unit.pk, D(2026, 6, 1)) == []


def test_it_refuses_duties_that_end_before_they_start(unit: Unit, deputy: Signatory) -> None:
    duty = Duty(signatory=deputy, unit=unit, valid_from=D(2026, 4, 1), valid_to=D(2026, 3, 31))

    with pytest.raises(ValidationError) as info:
        duty.full_clean()

    assert "valid_to" in info.value.message_dict


def test_it_names_a_signatory_by_surname_initials_and_position(deputy: Signatory) -> None:
    assert str(deputy).startswith("Шевчук Б.")
    assert str(deputy).endswith(str(deputy.get_position_display()))


# --------------------------------------------------------------------------------------------------
# Classifier
# --------------------------------------------------------------------------------------------------


def test_it_knows_the_path_of_a_section(section: Section) -> None:
    assert [s.code for s in section.path()] == ["01", "01.02"]
    assert str(section) == "01.02 Благоустрій"


def test_it_refuses_an_unknown_urgency_type(category: Category) -> None:
    category.urgency = "someday"

    with pytest.raises(ValidationError) as info:
        category.full_clean()

    assert "urgency" in info.value.message_dict


def test_it_refuses_a_request_type_without_unit_or_urgency(section: Section) -> None:
    # 2.2: the general department routes a request by its type's unit; 2.12: its term follows the urgency.
    with pytest.raises(ValidationError) as info:
        Category(section=section, code="01.02.009", name="Ліфт").full_clean()

    assert {"unit", "urgency"} <= set(info.value.message_dict)


# --------------------------------------------------------------------------------------------------
# Organisation and terms (docs/design.md 3)
# --------------------------------------------------------------------------------------------------


def test_it_starts_with_the_default_terms() -> None:
    org = Organisation.current()

    assert org.terms() == Terms()
    assert Organisation.current().pk == org.pk  # still one row
    assert Organisation.objects.count() == 1


def test_it_hands_the_configured_terms_to_the_deadline_engine() -> None:
    org = Organisation.current()
    org.ordinary_regulation_days = 6
    org.long_term_internal_days = 20
    org.long_term_regulation_days = 40
    org.save()

    terms = Organisation.current().terms()

    assert (terms.ordinary_internal_days, terms.ordinary_regulation_days) == (4, 6)  # 2.12.1 stays
    assert terms.for_urgency("long_term") == (20, 40)
    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=KYIV)  # Monday
    assert due_dates(received, "ordinary", terms=terms).regulation.date() == D(2026, 11, 30)  # Sun 29 -> Mon


def test_it_refuses_terms_the_deadline_engine_cannot_use() -> None:
    org = Organisation.current()
    org.ordinary_regulation_days = 3  # shorter than the unit's 4 days (2.12.1)

    with pytest.raises(ValidationError):
        org.full_clean()


# --------------------------------------------------------------------------------------------------
# Working-day calendar (docs/design.md 3)
# --------------------------------------------------------------------------------------------------


def test_it_builds_the_calendar_from_the_overrides() -> None:
    CalendarOverride.objects.create(date=D(2026, 11, 27), kind=CalendarOverride.Kind.DAY_OFF, note="Перенесення")
    CalendarOverride.objects.create(date=D(2026, 11, 28), kind=CalendarOverride.Kind.WORKING_DAY, note="Відпрацювання")

    calendar = current_calendar()

    assert calendar == Calendar(extra_days_off={D(2026, 11, 27)}, extra_working_days={D(2026, 11, 28)})
    assert not calendar.is_working_day(D(2026, 11, 27))  # a Friday made a day off
    assert calendar.is_working_day(D(2026, 11, 28))  # a Saturday made a working day


def test_it_is_an_ordinary_calendar_without_overrides() -> None:
    assert current_calendar() == Calendar()


def test_it_moves_a_due_off_an_extra_day_off() -> None:
    # 2.12.1: received Monday -> due the 4th day, Friday 27.11; made a day off, the due moves to the
    # next working day (Civil Code art. 254 p. 5), Monday 30.11.
    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=KYIV)
    assert due_dates(received, "ordinary", calendar=current_calendar()).internal.date() == D(2026, 11, 27)

    CalendarOverride.objects.create(date=D(2026, 11, 27), kind=CalendarOverride.Kind.DAY_OFF, note="Перенесення")

    assert due_dates(received, "ordinary", calendar=current_calendar()).internal.date() == D(2026, 11, 30)


def test_it_ends_a_term_on_an_extra_working_day() -> None:
    # Received Tuesday 24.11: the 4th day is Saturday 28.11, normally moved to Monday 30.11; a worked
    # Saturday ends the term on the Saturday itself.
    received = dt.datetime(2026, 11, 24, 10, 0, tzinfo=KYIV)
    assert due_dates(received, "ordinary", calendar=current_calendar()).internal.date() == D(2026, 11, 30)

    CalendarOverride.objects.create(date=D(2026, 11, 28), kind=CalendarOverride.Kind.WORKING_DAY, note="Відпрацювання")

    assert due_dates(received, "ordinary", calendar=current_calendar()).internal.date() == D(2026, 11, 28)
