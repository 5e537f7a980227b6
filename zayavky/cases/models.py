"""Requests, their history, contacts with the applicant, answers and files (docs/design.md 2).

Nothing here changes a request's state: every write goes through one function of `zayavky.cases.workflow`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zayavky import deadlines
from zayavky.cases import clock
from zayavky.catalog.models import URGENCY_CHOICES


class Status(models.TextChoices):
    NEW = "new", _("new")
    ROUTED = "routed", _("routed to the unit")
    WITH_HEAD = "with_head", _("with the unit head")
    IN_WORK = "in_work", _("in work")
    ON_SIGNATURE = "on_signature", _("on signature")
    SIGNED = "signed", _("signed")
    HANDED_OVER = "handed_over", _("handed over")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Still under control: the unit's deadline runs (2.8: signing removes a request from control).
UNDER_CONTROL = (Status.NEW, Status.ROUTED, Status.WITH_HEAD, Status.IN_WORK, Status.ON_SIGNATURE)
#: Not finished for the district: the regulation deadline runs until publication (2.9).
OPEN = (*UNDER_CONTROL, Status.SIGNED, Status.HANDED_OVER)

#: Where each status stands as far as the terms go (zayavky.deadlines.deadline_status says what follows).
STAGE: dict[str, deadlines.Stage] = {
    Status.NEW: deadlines.Stage.UNROUTED,
    Status.ROUTED: deadlines.Stage.WITH_UNIT,
    Status.WITH_HEAD: deadlines.Stage.WITH_UNIT,
    Status.IN_WORK: deadlines.Stage.WITH_UNIT,
    Status.ON_SIGNATURE: deadlines.Stage.WITH_UNIT,
    Status.SIGNED: deadlines.Stage.WITH_UNIT,  # signed, not yet handed over: the unit's term still runs (2.7)
    Status.HANDED_OVER: deadlines.Stage.HANDED_OVER,
    Status.PUBLISHED: deadlines.Stage.CLOSED,
    Status.WITHDRAWN: deadlines.Stage.CLOSED,
}
assert set(STAGE) == set(Status.values), "every status has its stage"
#: The statuses in which the unit's term runs, and those in which any term still runs.
WITH_UNIT = tuple(s for s, stage in STAGE.items() if stage is deadlines.Stage.WITH_UNIT)
NOT_CLOSED = tuple(s for s, stage in STAGE.items() if stage is not deadlines.Stage.CLOSED)


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def overdue(self, now: dt.datetime, against: str = "") -> ServiceRequestQuerySet:
        """The requests :meth:`ServiceRequest.is_overdue` calls overdue at ``now``: the query twin of the
        model's method (zayavky.deadlines.deadline_status), over the stored ``binding_due`` so that one index
        range answers it. ``against="unit"`` / ``"district"``: late against the unit's due while the unit has
        the request, or against the district's due while any term runs."""
        return self.filter(overdue_q(now, against))


def overdue_q(now: dt.datetime, against: str = "") -> Q:
    """The condition of :meth:`ServiceRequestQuerySet.overdue` (late = strictly after the due)."""
    if against == "":
        return Q(binding_due__lt=now)
    if against == "unit":
        return Q(status__in=WITH_UNIT, control_due__lt=now)
    if against == "district":
        return Q(status__in=NOT_CLOSED, district_due__lt=now)
    raise ValueError(f"against must be '', 'unit' or 'district', not {against!r}")


class ServiceRequest(models.Model):
    """One resident's request received from the Contact Center («заявка»)."""

    number = models.CharField(_("Contact Center number"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    # Personal data of the applicant (shown only to the roles that handle the request).
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("applicant's e-mail"), blank=True)
    applicant_address = models.CharField(_("applicant's postal address"), max_length=500, blank=True)
    address = models.CharField(_("address of the problem"), max_length=500, blank=True)
    text = models.TextField(_("text of the request"))

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("request type"),
    )
    unit = models.ForeignKey(
        "catalog.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("structural unit"),
    )
    urgency = models.CharField(_("urgency type"), max_length=20, choices=URGENCY_CHOICES, blank=True)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executor"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)

    # Dues (docs/design.md 3), computed by zayavky.deadlines when routed and on rework, then stored.
    term_started_at = models.DateTimeField(_("term counted from"), null=True, blank=True)
    internal_due = models.DateTimeField(_("internal due (order 170-р)"), null=True, blank=True)
    regulation_due = models.DateTimeField(_("regulation due"), null=True, blank=True)
    extended_due = models.DateTimeField(_("extended due (2.13)"), null=True, blank=True)
    #: The due that binds the unit now: the extended due if any, else the internal due. Kept for queues.
    control_due = models.DateTimeField(_("due for the unit"), null=True, blank=True)
    #: The district's due: the regulation due, or the extended one where an extension goes beyond it (2.13).
    district_due = models.DateTimeField(_("due for the district"), null=True, blank=True)
    #: The due that runs now for the request's present stage (zayavky.deadlines.binding_due); None when
    #: none runs. Derived from the fields above and the status by :meth:`sync_dues`, stored so that
    #: «overdue» is one indexed range (:func:`overdue_q`).
    binding_due = models.DateTimeField(_("due that runs now"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("returned for rework"), default=0)

    # The moment of each stage (the latest one after a rework).
    routed_at = models.DateTimeField(null=True, blank=True)
    card_printed_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    outgoing_number = models.CharField(_("outgoing number"), max_length=32, blank=True)
    #: SHA-256 of the answer's text and files as signed (`cases.signing`): a later change shows (2.4, 2.8).
    signed_sha256 = models.CharField(_("SHA-256 of what was signed"), max_length=64, blank=True)
    #: When the applicant's personal data was anonymised after the retention period (`cases.anonymise`).
    personal_data_erased_at = models.DateTimeField(_("personal data anonymised"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_at"]
        indexes = [
            # Queues: a unit's requests in one state, the nearest due first.
            models.Index(fields=["unit", "status", "control_due"], name="req_unit_status_due"),
            # The executor's own list.
            models.Index(fields=["executor", "status", "control_due"], name="req_executor_status_due"),
            # District-wide queues and the overdue list.
            models.Index(fields=["status", "control_due"], name="req_status_due"),
            models.Index(fields=["status", "regulation_due"], name="req_status_regdue"),
            # New requests have no due yet: the general department routes the longest waiting first (2.2).
            models.Index(fields=["status", "received_at"], name="req_status_received"),
            models.Index(fields=["category", "received_at"], name="req_category_received"),
            # «Overdue» everywhere: one range over the due that runs now (open requests only).
            models.Index(fields=["binding_due"], name="req_binding_due", condition=Q(binding_due__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_emergency(self) -> bool:
        return self.urgency == "emergency"

    @property
    def is_under_control(self) -> bool:
        return self.status in UNDER_CONTROL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def deadline_status(self) -> deadlines.DeadlineStatus:
        """Which due binds the request now, and whether each due was met, missed or still binds: the one
        answer every page, list, export, report and the API give (zayavky.deadlines.deadline_status)."""
        return deadlines.deadline_status(
            STAGE[self.status],
            unit_due=self.control_due,
            district=self.district_due,
            handed_over_at=self.handed_over_at,
            published_at=self.published_at,
        )

    def is_overdue(self, now: dt.datetime, against: str = "") -> bool:
        """Late at ``now`` against the due that runs (or, with ``against``, the unit's / district's due):
        the model twin of :meth:`ServiceRequestQuerySet.overdue`."""
        return self.deadline_status().overdue(now, against)

    def sync_dues(self) -> list[str]:
        """Derive ``district_due`` and ``binding_due`` from the stored dues and the status; the names of the
        fields that changed. The workflow calls it after every step, so the stored values never drift."""
        district = deadlines.district_due(self.regulation_due, self.extended_due)
        binding = deadlines.binding_due(STAGE[self.status], self.control_due, district)
        changed: list[str] = []
        if district != self.district_due:
            self.district_due = district
            changed.append("district_due")
        if binding != self.binding_due:
            self.binding_due = binding
            changed.append("binding_due")
        return changed


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("the history is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("the history is append-only")


class Event(models.Model):
    """One row of the append-only history: every state change and every event (docs/design.md 2)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("history record")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise TypeError("the history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("the history is append-only")


class ContactAttempt(models.Model):
    """A call or message to the applicant and its outcome (2.10, 2.11)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone call")
        SMS = "sms", _("SMS / messenger")
        EMAIL = "email", _("e-mail")
        VISIT = "visit", _("visit on site")
        OTHER = "other", _("other")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        PHONE_OFF = "phone_off", _("phone switched off")
        WRONG_NUMBER = "wrong_number", _("wrong number")
        NO_ANSWER = "no_answer", _("no answer")
        OTHER = "other", _("other")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


class Answer(models.Model):
    """The written answer to the applicant (2.5), one per round (a rework opens a new round)."""

    class Outcome(models.TextChoices):
        EXECUTED = "executed", _("executed")
        EXPLAINED = "explained", _("explained")
        NOT_COMPETENT = "not_competent", _("not within competence")
        CANNOT_NOW = "cannot_now", _("cannot be done now")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="answers")
    round = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text of the answer"))
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: When the wording was last written: on the workflow's clock, as the step that wrote it (set by save()).
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "round"], name="answer_one_per_round")]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.round}: {self.get_outcome_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's auto_now reads its own clock; the answer is shown with the moment of the step that wrote it.
        self.updated_at = clock.now()
        super().save(*args, **kwargs)


class Attachment(models.Model):
    """A photo, PDF or scan attached to a request (2.5: photos of the completed work, acts of execution)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo of the work")
        ACT = "act", _("act of execution")
        DOCUMENT = "document", _("document")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="attachments")
    round = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Extension(models.Model):
    """A decision to extend an emergency request's term (2.13)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="extensions")
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_due = models.DateTimeField()
    new_due = models.DateTimeField()
    justification = models.TextField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.previous_due:%Y-%m-%d %H:%M} → {self.new_due:%Y-%m-%d %H:%M}"


class OutgoingCounter(models.Model):
    """Outgoing numbers of signed answers, one sequence a year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Mail(models.Model):
    """An e-mail to send (2.7: the e-version of the answer to the general department's mailbox).

    Written in the same transaction as the action that caused it, so it is never lost; sent after commit
    and, whatever failed then, by `zayavky worker`, which claims rows with a conditional update.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="mails", null=True)
    kind = models.CharField(max_length=32)
    to = models.CharField(max_length=500)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    attach_answer = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_try_at"], name="mail_state_next")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


# The access log lives in its own module; imported here so that Django knows the model.
from zayavky.cases.audit import PersonalDataAccess  # noqa: E402, F401
