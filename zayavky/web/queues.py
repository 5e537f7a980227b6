"""The work queues of the home page: one per step a person of a role must take.

Each queue is the step's action (its states are the workflow's table, :data:`zayavky.cases.rules.RULES`)
over :func:`zayavky.cases.access.visible_requests` — a unit or executor, the due that runs now first
(:meth:`ServiceRequest.deadline_status`) — capped at :data:`LIMIT` rows with a link to the full filtered list,
so the page stays fast on a million requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zayavky import deadlines
from zayavky.accounts.models import Role, User
from zayavky.cases import rules
from zayavky.cases.access import signed_unit_ids, visible_requests
from zayavky.cases.models import STAGE, UNDER_CONTROL, Answer, ServiceRequest, overdue_q

#: Rows shown in one queue; the rest through the "all …" link to the list.
LIMIT = 100


@dataclass
class Queue:
    key: str  # stable: the section's id and data-testid (queue-<key>)
    role: str
    title: Promise
    help: Promise  # what to do with these requests, and the paragraph of order 170-р
    action: str  # the step these requests wait for (its states: RULES[action].from_states); "" = none
    scope: str  # "all" | "unit" | "executor" | "signs"
    by_due: bool = True  # the due that runs now first; False: by receipt, the longest waiting first
    extra: Callable[[QuerySet[ServiceRequest]], QuerySet[ServiceRequest]] | None = None
    link: dict[str, str] = field(default_factory=dict)  # extra filters of the "all …" link
    in_next_deadline: bool = True

    @property
    def statuses(self) -> tuple[str, ...]:
        return rules.states(self.action) if self.action else ()

    @property
    def due_label(self) -> Promise:
        """The heading of the due column: the due that runs now at this queue's step."""
        if not self.by_due:
            return _("Waiting")
        stages = {STAGE[s] for s in self.statuses}
        if stages == {deadlines.Stage.HANDED_OVER}:
            return _("Regulation due")
        if stages == {deadlines.Stage.WITH_UNIT}:
            return _("Due for the unit")
        return _("Due")


QUEUES: list[Queue] = [
    Queue(
        "general-new",
        Role.GENERAL,
        _("New requests to route"),
        _("Forward each to the unit the Classifier names, immediately on receipt (2.2)."),
        "route",
        "all",
        by_due=False,
    ),
    Queue(
        "general-handed-over",
        Role.GENERAL,
        _("Answers handed back, to post to the Contact Center"),
        _("Post the unit's answer into the Contact Center's forms (2.9)."),
        "publish",
        "all",
    ),
    Queue(
        "general-rework",
        Role.GENERAL,
        _("Returned for rework, in work again"),
        _("For information: the Contact Center returned these; the unit works on them again."),
        "submit",
        "all",
        extra=lambda qs: qs.filter(rework_count__gt=0),
        in_next_deadline=False,
    ),
    Queue(
        "clerk-routed",
        Role.UNIT_CLERK,
        _("Routed to the unit: print the card and pass it to the head"),
        _("Print the registration card immediately and pass it to the head of the unit (2.3)."),
        "take",
        "unit",
    ),
    Queue(
        "clerk-signed",
        Role.UNIT_CLERK,
        _("Signed answers to hand over"),
        _("Hand the signed answer, the documents and the card to the general department (2.7)."),
        "hand_over",
        "unit",
    ),
    Queue(
        "head-with-head",
        Role.UNIT_HEAD,
        _("Requests to assign"),
        _("Name the executor (2.3)."),
        "assign",
        "unit",
    ),
    Queue(
        "head-in-work",
        Role.UNIT_HEAD,
        _("In work: answers to submit for signature"),
        _("Submit the answer personally to the signatory under the distribution of duties (2.6)."),
        "submit",
        "unit",
    ),
    Queue(
        "executor-mine",
        Role.EXECUTOR,
        _("My requests"),
        _("Do the work, contact the applicant where needed (2.10, 2.11) and prepare the answer (2.5)."),
        "draft",
        "executor",
        link={"executor": "me"},
    ),
    Queue(
        "signatory-sign",
        Role.SIGNATORY,
        _("Answers to sign"),
        _("By signing you confirm the request is executed and may be removed from control (2.8)."),
        "sign",
        "signs",
    ),
    Queue(
        "controller-overdue",
        Role.CONTROLLER,
        _("Overdue"),
        _("Every breach of a deadline is a breach of executive discipline (3.1)."),
        "",
        "all",
        link={"overdue": "1"},
        in_next_deadline=False,
    ),
]


def queues_for(user: User) -> list[Queue]:
    roles = user.roles()
    return [q for q in QUEUES if q.role in roles]


def queryset(queue: Queue, user: User, now: dt.datetime | None = None) -> QuerySet[ServiceRequest]:
    qs = visible_requests(user)
    if queue.key == "controller-overdue":
        qs = qs.filter(overdue_q(now or timezone.now()))
    else:
        qs = qs.filter(status__in=queue.statuses)
    if queue.scope == "unit":
        qs = qs.filter(unit_id__in=user.unit_ids(queue.role))
    elif queue.scope == "executor":
        qs = qs.filter(executor=user, unit_id__in=user.unit_ids(queue.role))
    elif queue.scope == "signs":
        qs = qs.filter(unit_id__in=signed_unit_ids(user))
    if queue.extra:
        qs = queue.extra(qs)
    return qs


def ordered(queue: Queue, qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    if queue.by_due:
        return qs.order_by(F("binding_due").asc(nulls_last=True), "received_at", "pk")
    return qs.order_by("received_at", "pk")  # 2.2: «immediately» — the longest waiting first


def more_link(queue: Queue, user: User) -> str:
    params: dict[str, Any] = {}
    if queue.statuses:
        params["status"] = ",".join(queue.statuses)
    if queue.scope == "unit":
        units = user.unit_ids(queue.role)
        if len(units) == 1:
            params["unit"] = next(iter(units))
    params.update(queue.link)
    params["ordering"] = "due" if queue.by_due else "received"
    return f"{reverse('web:requests')}?{urlencode(params)}"


@dataclass
class QueueView:
    queue: Queue
    rows: list[ServiceRequest]
    more: bool
    more_url: str


def load(user: User, now: dt.datetime | None = None) -> list[QueueView]:
    now = now or timezone.now()
    views = []
    for queue in queues_for(user):
        qs = ordered(queue, queryset(queue, user, now)).select_related("unit", "category", "executor")
        if queue.key == "head-in-work":
            # The head sees at once which answers are drafted and ready to submit (2.6).
            qs = qs.annotate(
                has_draft=Exists(Answer.objects.filter(request=OuterRef("pk"), round=OuterRef("rework_count")))
            )
        rows = list(qs[: LIMIT + 1])
        views.append(QueueView(queue, rows[:LIMIT], len(rows) > LIMIT, more_link(queue, user)))
    return views


@dataclass
class Counts:
    under_control: int
    overdue_unit: int
    overdue_district: int
    emergency: int
    due_today: int


def controller_counts(user: User, now: dt.datetime | None = None) -> Counts:
    """The controller's figures (3.1): each one indexed count over (status, due); "overdue" is the one
    definition of the cases app (overdue_q, the twin of ServiceRequest.is_overdue)."""
    now = now or timezone.now()
    qs = visible_requests(user)
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0)
    under = qs.filter(status__in=UNDER_CONTROL)
    return Counts(
        under_control=under.count(),
        overdue_unit=qs.filter(overdue_q(now, "unit")).count(),
        overdue_district=qs.filter(overdue_q(now, "district")).count(),
        emergency=under.filter(urgency="emergency").count(),
        due_today=qs.filter(binding_due__gte=now, binding_due__lte=end_of_day).count(),
    )


@dataclass
class NextDeadline:
    request_id: int
    number: str
    due: dt.datetime
    emergency: bool


def next_deadline(user: User) -> NextDeadline | None:
    """The nearest due among the requests of this person's queues (the header's reminder)."""
    if not user.is_authenticated:
        return None
    best: NextDeadline | None = None
    for queue in queues_for(user):
        if not queue.in_next_deadline or not queue.by_due:
            continue
        row = (
            ordered(queue, queryset(queue, user).filter(binding_due__isnull=False))
            .values_list("pk", "number", "binding_due", "urgency")
            .first()
        )
        if row and row[2] is not None and (best is None or row[2] < best.due):
            best = NextDeadline(row[0], row[1], row[2], row[3] == "emergency")
    return best
