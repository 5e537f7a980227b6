"""The demo district's requests (docs/design.md 5: a few hundred requests in every state): loaded through
`zayavky demo`, every state present, and a history that the procedure itself would have written
(docs/design.md 2)."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections import Counter
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from zayavky.accounts.models import UNIT_ROLES, Membership, Role
from zayavky.cases import answers, rules
from zayavky.cases.models import (
    Answer,
    Attachment,
    ContactAttempt,
    Event,
    Extension,
    Mail,
    ServiceRequest,
    Status,
)
from zayavky.catalog.models import Duty, current_calendar
from zayavky.demo import requests as demo
from zayavky.demo.management.commands import demo as demo_command

pytestmark = pytest.mark.django_db

COUNT = 60  # enough for every state and every special case, quick enough for the suite
#: With an executor, or past that: the answer is on its way or given (2.5-2.9).
IN_WORK_OR_LATER = {Status.IN_WORK, Status.ON_SIGNATURE, Status.SIGNED, Status.HANDED_OVER, Status.PUBLISHED}

#: The role a history row's author must hold for each action (rules.RULES, 170-р 2.2–2.9).
ACTOR_ROLES: dict[str, set[str]] = {
    "receive": {Role.INTEGRATION},
    "route": {Role.GENERAL},
    "take": {Role.UNIT_CLERK},
    "assign": {Role.UNIT_HEAD},
    "reassign": {Role.UNIT_HEAD},
    "extend": {Role.UNIT_HEAD},
    "contact": {Role.EXECUTOR, Role.UNIT_HEAD},
    "draft": {Role.EXECUTOR, Role.UNIT_HEAD},
    "attach": {Role.EXECUTOR, Role.UNIT_HEAD},
    "submit": {Role.UNIT_HEAD},
    "return": {Role.SIGNATORY},
    "sign": {Role.SIGNATORY},
    "hand_over": {Role.UNIT_CLERK},
    "publish": {Role.GENERAL},
    "rework": {Role.INTEGRATION, Role.GENERAL},
    "withdraw": {Role.INTEGRATION, Role.GENERAL},
    "return_to_general": {Role.UNIT_CLERK, Role.UNIT_HEAD},
    "comment": set(Role.values),  # anyone who sees the request
}


def _demo(stdout: io.StringIO, monkeypatch: Any, on_commit: Any) -> None:
    """`zayavky demo`, with the requests' loader told to make COUNT requests instead of 300; what it left
    for after the commit (2.7's e-mail) runs too, as it would outside a test's transaction."""
    monkeypatch.setattr(demo_command, "load_requests", functools.partial(demo.load_requests, count=COUNT))
    with on_commit(execute=True):
        call_command("demo", stdout=stdout)


def _snapshot() -> dict[str, int]:
    return {
        "requests": ServiceRequest.objects.count(),
        "events": Event.objects.count(),
        "contacts": ContactAttempt.objects.count(),
        "answers": Answer.objects.count(),
        "attachments": Attachment.objects.count(),
        "extensions": Extension.objects.count(),
        "mails": Mail.objects.count(),
    }


def test_it_loads_a_living_district_through_the_cli_and_a_second_run_adds_nothing(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    started = timezone.now()
    inline = getattr(settings, "ZAYAVKY_MAIL_INLINE", True)
    out = io.StringIO()
    _demo(out, monkeypatch, django_capture_on_commit_callbacks)
    assert "Демонстраційні заявки: 60" in out.getvalue()

    requests = list(
        ServiceRequest.objects.filter(number__startswith=demo.PREFIX)
        .select_related("category", "unit")
        .prefetch_related("events__actor__memberships", "attachments", "answers", "contacts")
    )
    assert len(requests) == COUNT
    statuses = Counter(r.status for r in requests)
    assert set(statuses) == set(Status.values), statuses
    assert {r.urgency for r in requests if r.urgency} == {"emergency", "ordinary", "medium_term", "long_term"}
    # Every unit has its clerk, head and executor now, so the requests are worked all over the district
    # (2.3-2.7), not only in the three units that once had people.
    worked = {r.unit_id for r in requests if r.status in IN_WORK_OR_LATER}
    assert len(worked) >= 8, worked
    assert worked <= {r.unit_id for r in requests if any(e.to_status == Status.IN_WORK for e in r.events.all())}

    for r in requests:
        events = list(r.events.all())
        # The history starts with the Contact Center's hand-over and ends in the request's state.
        assert events[0].action == "receive", r.number
        assert events[-1].to_status == r.status, r.number
        # Each row starts where the previous one left the request; nothing is out of order or in the future.
        previous = ""
        for event in events:
            assert event.from_status == previous, (r.number, event.action)
            previous = event.to_status
            roles = {m.role for m in event.actor.memberships.all()}
            assert roles & ACTOR_ROLES[event.action], (r.number, event.action, event.actor.username)
        # After the last routing, the unit's steps are done by that unit's own people (2.3, 2.6, 2.7).
        if r.unit_id:  # None: sent back to the general department to be routed again (2.2)
            last_route = max(i for i, e in enumerate(events) if e.action in ("receive", "route"))
            for event in events[last_route + 1 :]:
                needed = ACTOR_ROLES[event.action] & UNIT_ROLES
                if needed and event.action != "comment":
                    held = {m.role for m in event.actor.memberships.all() if m.unit_id == r.unit_id}
                    assert held & needed, (r.number, event.action, event.actor.username)
        assert [e.at for e in events] == sorted(e.at for e in events), r.number
        assert r.received_at <= events[0].at and events[-1].at <= started, r.number
        # Every request that reached a unit has its dues (docs/design.md 3).
        if r.unit_id:
            assert r.internal_due and r.regulation_due and r.control_due, r.number
        # 2.4: the one who signed signs for the unit under the distribution of duties in force that day.
        for event in events:
            if event.action == "sign":
                day = timezone.localtime(event.at).date()
                assert Duty.objects.in_force(day).filter(signatory__user=event.actor, unit=r.unit).exists()
        # 2.5: types that need photos or an act have them in the round that was submitted.
        if (
            r.category
            and r.category.evidence_required
            and r.status in (Status.ON_SIGNATURE, Status.SIGNED, Status.HANDED_OVER, Status.PUBLISHED)
        ):
            evidence = [a for a in r.attachments.all() if a.round == r.rework_count]
            assert evidence and all(a.content_type == "image/jpeg" for a in evidence), r.number
        # 2.11: an applicant nobody reached gets the sentence in the answer.
        answer = next((a for a in r.answers.all() if a.round == r.rework_count), None)
        if answer and answers.contact_failed(r):
            assert answers.unreachable_sentence(r) in answer.text, r.number
        # Every moment is the workflow clock's moment of its step, the answer's wording and the files too.
        step_times = {e.at for e in events if e.action in ("draft", "submit")}
        for a in r.answers.all():
            assert a.updated_at in step_times, (r.number, a.updated_at)
        attached = {e.at for e in events if e.action == "attach"}
        assert {a.uploaded_at for a in r.attachments.all()} <= attached, r.number

    actions = Counter(e.action for r in requests for e in r.events.all())
    for action in ("return_to_general", "rework", "extend", "contact", "attach", "draft", "sign", "publish"):
        assert actions[action] >= 1, action
    assert any(r.rework_count == 1 for r in requests)
    assert any(c.outcome != ContactAttempt.Outcome.REACHED for r in requests for c in r.contacts.all())
    assert {a.outcome for r in requests for a in r.answers.all()} >= {"executed", "explained"}
    # The deadlines a demo must show: overdue, due today or within hours, extended, still extendable (2.13).
    now = timezone.now()
    assert any(r.is_overdue(now) for r in requests)
    under_control = [r for r in requests if r.is_under_control and r.control_due]
    assert any(
        r.urgency == "emergency" and dt.timedelta(0) < r.control_due - now < dt.timedelta(hours=23)
        for r in under_control
    )
    today = timezone.localdate()
    if current_calendar().is_working_day(today):  # a day-based due never falls on a day off (docs/design.md 3)
        assert any(r.urgency == "ordinary" and timezone.localtime(r.control_due).date() == today for r in under_control)
    extended = [r for r in requests if r.extended_due]
    assert extended and all(r.control_due == r.extended_due for r in extended)
    fresh = [
        r
        for r in requests
        if r.urgency == "emergency" and r.status in rules.WORKING and now - r.received_at < dt.timedelta(hours=12)
    ]
    assert len(fresh) >= 2
    heads = {m.unit_id: m.user for m in Membership.objects.filter(role=Role.UNIT_HEAD).select_related("user")}
    assert all(rules.may(heads[r.unit_id], "extend", r) for r in fresh if not r.extended_due)
    # 2.7's mail: written, never sent to an SMTP server while loading, not left for the worker.
    assert Mail.objects.filter(request__status__in=[Status.HANDED_OVER, Status.PUBLISHED]).exists()
    assert not Mail.objects.filter(state=Mail.State.PENDING).exists()
    for sent in Mail.objects.select_related("request"):
        assert sent.sent_at == sent.request.handed_over_at  # sent, in this made-up past, at the hand-over
    assert mail.outbox == []
    assert getattr(settings, "ZAYAVKY_MAIL_INLINE", True) == inline  # the setting is given back

    before = _snapshot()
    again = io.StringIO()
    _demo(again, monkeypatch, django_capture_on_commit_callbacks)
    assert _snapshot() == before
    assert "Демонстраційні заявки вже є (60" in again.getvalue()


def test_it_is_the_same_district_for_the_same_seed() -> None:
    from zayavky.demo.reference import load_reference

    load_reference()

    def district() -> list[tuple[Any, ...]]:
        return list(
            ServiceRequest.objects.order_by("number").values_list(
                "number", "applicant_name", "applicant_phone", "address", "text", "category__code", "status"
            )
        )

    with transaction.atomic():
        demo.load_requests(count=demo.MIN_COUNT, seed=7)
        first = district()
        transaction.set_rollback(True)
    assert not ServiceRequest.objects.exists()
    demo.load_requests(count=demo.MIN_COUNT, seed=7)
    assert district() == first
    assert len(first) == demo.MIN_COUNT


@pytest.mark.parametrize("count", [0, 5, demo.MIN_COUNT - 1, "300", 2.5, True])
def test_it_refuses_a_count_too_small_for_every_state(count: Any) -> None:
    with pytest.raises(ValueError, match="count must be a whole number"):
        demo.load_requests(count=count)
    assert not ServiceRequest.objects.exists()


def test_it_says_so_and_does_nothing_without_the_reference_data() -> None:
    out = io.StringIO()
    assert demo.load_requests(stdout=out, count=COUNT) == {"requests": 0}
    assert "Немає довідкових даних" in out.getvalue()
    assert not ServiceRequest.objects.exists() and not Event.objects.exists()
