"""One definition of which due binds and what is overdue, and every surface says the same.

For every status × (a moment before / after each due) × (extended under 2.13 or not) × (reworked or not), the
model's method (ServiceRequest.is_overdue), its query twin (ServiceRequest.objects.overdue), the API's detail and
list (`overdue`, `?overdue=1`), the list page and its `?overdue=1` filter, the request page's badge, the
controller's queue and figures, the CSV export and the registration card must agree — and agree with the rule of
zayavky.deadlines: the unit's due runs until the signed answer is handed over (2.7), then the district's until it
is posted (2.9); overdue = strictly after the due that runs.

The moments are stated (time-machine), never read from the wall clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from zayavky import deadlines
from zayavky.cases import rules, workflow
from zayavky.cases.models import STAGE, ServiceRequest, Status, overdue_q
from zayavky.conftest import JPEG_1PX, District
from zayavky.deadlines import KYIV

#: A Wednesday morning; the emergency type's terms are hours (2.12.3): no weekend moves anything.
T0 = dt.datetime(2027, 2, 3, 9, 0, tzinfo=KYIV)
MINUTE = dt.timedelta(minutes=1)

#: How a request reaches each status after it is in work: (action, persona, data).
FORWARD: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "on_signature": [("submit", "head", {"text": "Трубу замінено.", "outcome": "executed"})],
    "signed": [("sign", "signatory", {})],
    "handed_over": [("hand_over", "clerk", {})],
    "published": [("publish", "general", {})],
}
ORDER = ["in_work", "on_signature", "signed", "handed_over", "published"]


def _do(d: District, action: str, persona: str, request: ServiceRequest, **data: Any) -> None:
    workflow.ACTIONS[action](d.persona(persona), request.pk, **data)


def _to(d: District, request: ServiceRequest, status: str) -> None:
    """From «in work» forward to ``status`` (with the photo the emergency type requires, 2.5)."""
    if status == "in_work":
        return
    workflow.attach(d.executor, request.pk, upload=("truba.jpg", JPEG_1PX), kind="photo")
    for step in ORDER[1 : ORDER.index(status) + 1]:
        for action, persona, data in FORWARD[step]:
            _do(d, action, persona, request, **data)


def build(d: District, make_request: Any, status: str, *, extended: bool, reworked: bool) -> ServiceRequest:
    """An emergency request received at T0, brought to ``status`` the way the procedure does it."""
    with time_machine.travel(T0, tick=False):
        request = make_request(received_at=T0)
    if status == "new":
        return request
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        _do(d, "route", "general", request, category=d.emergency.pk)
        if status != "routed":
            _do(d, "take", "clerk", request)
        if status not in ("routed", "with_head"):
            _do(d, "assign", "head", request, executor=d.executor.pk)
        if extended:  # 2.13: within 12 hours, as far as the window allows (beyond the Regulation's due)
            request.refresh_from_db()
            state = rules.extension(request, T0 + dt.timedelta(hours=1))
            assert state.open and state.window is not None
            _do(d, "extend", "head", request, new_due=state.window.latest_due.isoformat(), justification="Ремонт.")
        if status in ("routed", "with_head"):
            return ServiceRequest.objects.get(pk=request.pk)
        if status == "withdrawn" and not reworked:
            _do(d, "withdraw", "general", request, reason="Заявник відкликав.")
            return ServiceRequest.objects.get(pk=request.pk)
        if reworked:  # published, then returned by the Contact Center (the new term counts from the return)
            _to(d, request, "published")
    if reworked:
        with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
            _do(d, "rework", "integration", request, reason="Заявник не підтвердив виконання.")
            if status == "withdrawn":
                _do(d, "withdraw", "general", request, reason="Заявник відкликав.")
                return ServiceRequest.objects.get(pk=request.pk)
    with time_machine.travel(T0 + dt.timedelta(hours=4), tick=False):
        _to(d, request, status)
    return ServiceRequest.objects.get(pk=request.pk)


def moments(request: ServiceRequest) -> Iterator[tuple[dt.datetime, bool]]:
    """A minute before and after each of the request's dues (every surface asked), and the due itself (on
    time: the model and the query asked)."""
    dues = {d for d in (request.control_due, request.district_due, request.regulation_due) if d is not None}
    for due in sorted(dues):
        yield from ((due - MINUTE, True), (due, False), (due + MINUTE, True))


def expected(request: ServiceRequest, now: dt.datetime) -> bool:
    """The rule, said independently of the code under test: which due runs at the status, and strictly after."""
    if request.status in ("published", "withdrawn"):
        return False
    if request.status == "handed_over":
        due = request.regulation_due
        if request.extended_due is not None and request.extended_due > due:
            due = request.extended_due  # 2.13: an extension moves the district's due too
    else:
        due = request.extended_due or request.internal_due
    return due is not None and now > due


class Surfaces:
    """What each surface says about one request at the frozen moment, as the controller sees it (signed in,
    and with an API token, at that moment)."""

    def __init__(self, client: Client, district: District, request: ServiceRequest) -> None:
        self.client, self.district, self.request = client, district, request
        self.token = ""

    def api(self, url: str, **params: Any) -> Any:
        response = self.client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {self.token}")
        assert response.status_code == 200, response.content
        return response.json()

    def page(self, url: str, **params: Any) -> str:
        response = self.client.get(url, params)
        assert response.status_code == 200
        if response.streaming:
            return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined,arg-type]
        return response.content.decode()

    def all(self) -> dict[str, bool]:
        r = self.request
        self.client.logout()  # a new session at each moment (the idle timeout would end the old one)
        self.client.force_login(self.district.controller)
        out = io.StringIO()
        call_command("token", "controller", stdout=out)
        self.token = out.getvalue().strip()
        mine = {"q": r.number}
        detail = self.api(f"/api/v1/requests/{r.pk}")
        listed = self.api("/api/v1/requests", **mine)["results"]
        filtered = self.api("/api/v1/requests", overdue="1", **mine)["results"]
        row = f'data-number="{r.number}"'
        page = self.page(f"/requests/{r.pk}/")
        badge = re.search(r'class="left-now ([^"]*)" data-testid="request-time-left"', page)
        home = self.page("/")
        queue = home.split('data-testid="queue-controller-overdue"', 1)[1].split("</section>", 1)[0]
        export = list(
            csv.reader(io.StringIO(self.page("/requests/export.csv", **mine).lstrip("\ufeff")), delimiter=";")
        )
        overdue_col = export[0].index("Прострочено")
        card = self.page(f"/requests/{r.pk}/card/")
        card_state = re.search(r'data-testid="card-due-state" data-overdue="(\d)"', card)
        return {
            "api detail": detail["overdue"],
            "api detail dues": detail["dues"]["overdue"],
            "api list": listed[0]["overdue"],
            "api ?overdue=1": [x["number"] for x in filtered] == [r.number],
            "page ?overdue=1": row in self.page("/requests/", overdue="1", **mine),
            "request page badge": bool(badge) and "due--overdue" in badge.group(1),
            "controller's queue": row in queue,
            "csv export": export[1][overdue_col] == "так",
            "card": bool(card_state) and card_state.group(1) == "1",
        }


CASES = [
    (status, extended, reworked)
    for status in Status.values
    for extended in (False, True)
    for reworked in (False, True)
    if not (extended and status in ("new", "routed"))  # 2.13: the head extends, once the request is with the unit
    and not (reworked and status in ("new", "routed", "with_head"))  # a rework returns it to «in work»
]


@pytest.mark.parametrize(("status", "extended", "reworked"), CASES)
def test_it_says_the_same_everywhere(
    district: District, make_request: Any, client: Client, status: str, extended: bool, reworked: bool
) -> None:
    request = build(district, make_request, status, extended=extended, reworked=reworked)
    assert request.status == status
    assert bool(request.extended_due) == (extended and not reworked)  # a rework starts a new term
    assert (request.rework_count > 0) == reworked
    surfaces = Surfaces(client, district, request)
    seen = []
    for now, every_surface in moments(request):
        want = expected(request, now)
        seen.append(want)
        with time_machine.travel(now, tick=False):
            assert request.is_overdue(now) is want, now
            assert ServiceRequest.objects.overdue(now).filter(pk=request.pk).exists() is want, now
            for against in ("unit", "district"):
                model = request.is_overdue(now, against)
                query = ServiceRequest.objects.filter(overdue_q(now, against), pk=request.pk).exists()
                assert model is query, (against, now)
            if every_surface:
                said = surfaces.all()
                assert said == dict.fromkeys(said, want), (now.isoformat(), want)
    if STAGE[status] is not deadlines.Stage.CLOSED and status != "new":
        assert True in seen and False in seen  # each open request was seen both on time and overdue
