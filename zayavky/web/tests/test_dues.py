"""The dues on the request page say where each stands (docs/design.md 3): the unit's due binds until the unit
hands the signed answer over (2.7), then reads «дотримано» or «порушено»; the district's regulation due
likewise at publication (2.9). Late = strictly after the due."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from zayavky.cases import workflow
from zayavky.cases.models import ServiceRequest, Status
from zayavky.conftest import JPEG_1PX
from zayavky.web.tests.pages import content, section, text
from zayavky.web.timeleft import due_states


def _row(page: str, testid: str) -> tuple[str, str]:
    """(the state of the row's due — binding / met / missed / "" —, the row's text)."""
    dues = section(page, "dues")
    start = dues.find(f'data-testid="{testid}"')
    assert start >= 0, f"no row {testid}"
    row = dues[start : dues.find("</tr>", start)]
    state = re.search(r'data-testid="due-state" data-state="([a-z]+)"', row)
    return (state.group(1) if state else "", text(row))


def _dues(client, request) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    page = content(client.get(f"/requests/{request.pk}/"))
    rows = {"internal": _row(page, "due-internal"), "regulation": _row(page, "due-regulation")}
    if 'data-testid="due-extended"' in page:
        rows["extended"] = _row(page, "due-extended")
    return rows


def _finish(district, request, last: str) -> None:  # type: ignore[no-untyped-def]
    """An emergency request in work taken on to ``last``, with the photo its type requires (2.5)."""
    workflow.attach(district.executor, request.pk, upload=("порив.jpg", JPEG_1PX), kind="photo")
    steps = [
        ("submit", "head", {"text": "Порив усунено.", "outcome": "executed"}),
        ("sign", "signatory", {}),
        ("hand_over", "clerk", {}),
        ("publish", "general", {}),
    ]
    for action, persona, data in steps[: [a for a, _, _ in steps].index(last) + 1]:
        workflow.ACTIONS[action](district.persona(persona), request.pk, **data)
    request.refresh_from_db()


def _kyiv(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def test_it_shows_the_units_due_binding_until_the_hand_over(district, advance, login):
    client = login("controller")
    for status in ("in_work", "on_signature", "signed"):  # signing alone does not settle the unit's due
        dues = _dues(client, advance(status))
        assert dues["internal"][0] == "binding" and "чинний" in dues["internal"][1], status
        assert dues["regulation"][0] == "", status


def test_it_shows_the_units_due_met_at_the_hand_over_and_the_districts_binding(district, advance, login):
    request = advance("handed_over")
    dues = _dues(login("general"), request)
    state, row = dues["internal"]
    assert state == "met" and "дотримано" in row and "чинний" not in row
    assert f"передано {_kyiv(request.handed_over_at)}" in row
    assert dues["regulation"][0] == "binding" and "чинний" in dues["regulation"][1]


def test_it_shows_both_dues_met_after_publication(district, advance, login):
    request = advance("published")
    dues = _dues(login("general"), request)
    assert dues["internal"][0] == "met"
    state, row = dues["regulation"]
    assert state == "met" and "дотримано" in row and f"розміщено {_kyiv(request.published_at)}" in row
    assert "чинний" not in text(section(content(login("general").get(f"/requests/{request.pk}/")), "dues"))


def test_it_shows_both_dues_missed_when_handed_over_and_published_late(district, advance, login):
    request = advance("published", received_at=timezone.now() - dt.timedelta(days=12))
    status = request.deadline_status()
    assert status.unit.missed and status.district.missed
    dues = _dues(login("head"), request)
    assert dues["internal"][0] == "missed" and "порушено" in dues["internal"][1]
    assert dues["regulation"][0] == "missed" and "порушено" in dues["regulation"][1]


def test_it_tells_a_late_unit_from_a_district_on_time(district, advance, login):
    # Emergency: the unit's due is 23 h after receipt (2.12.3), the district's 24 h. Received 23 h 30 min ago:
    # the unit hands over late, the general department still posts within the regulation's 24 hours.
    request = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(minutes=1410))
    _finish(district, request, "publish")
    status = request.deadline_status()
    assert status.unit.missed and status.district.state == "met"
    dues = _dues(login("general"), request)
    assert dues["internal"][0] == "missed"
    assert dues["regulation"][0] == "met"


def test_it_puts_the_units_state_on_the_extended_due(district, advance, login):
    # 2.13: the extended due replaces the unit's due, so the hand-over is measured against it.
    request = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    workflow.extend(
        district.head, request.pk, new_due=request.control_due + dt.timedelta(hours=5), justification="Техніка."
    )
    client = login("head")
    dues = _dues(client, request)
    assert (dues["internal"][0], dues["extended"][0]) == ("", "binding")

    _finish(district, request, "hand_over")
    dues = _dues(client, request)
    assert (dues["internal"][0], dues["extended"][0]) == ("", "met")


def test_it_makes_the_new_term_binding_again_after_rework(district, advance, login):
    request = advance("published")
    workflow.rework(district.general, request.pk, reason="Світло знову не горить.")
    dues = _dues(login("head"), request)
    assert dues["internal"][0] == "binding"
    assert dues["regulation"][0] == ""


def test_it_says_nothing_binds_a_withdrawn_request(district, advance, login):
    request = advance("in_work")
    workflow.withdraw(district.general, request.pk, reason="Заявник відкликав заявку.")
    dues = _dues(login("controller"), request)
    assert dues["internal"][0] == dues["regulation"][0] == ""


def test_it_counts_a_hand_over_at_the_due_itself_as_met():
    """Pure logic: late is strictly after the due (docs/design.md 3), to the microsecond."""
    due = dt.datetime(2026, 12, 4, 21, 59, 59, tzinfo=dt.UTC)
    request = ServiceRequest(
        status=Status.PUBLISHED,
        internal_due=due,
        control_due=due,
        regulation_due=due + dt.timedelta(days=1),
        handed_over_at=due,
        published_at=due + dt.timedelta(days=1),
    )
    request.sync_dues()  # the district's due, as the workflow stores it
    states = due_states(request)
    assert (states["unit"].state, states["district"].state) == ("met", "met")
    request.handed_over_at = due + dt.timedelta(microseconds=1)
    request.published_at = due + dt.timedelta(days=1, microseconds=1)
    states = due_states(request)
    assert (states["unit"].state, states["district"].state) == ("missed", "missed")
    assert states["unit"].at == request.handed_over_at
