"""Reference data: units, the Classifier (1.3, 2.2), signatories and the distribution of duties (2.4, 2.6),
the working-day calendar's overrides and the organisation itself (2.7)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zayavky.deadlines import Calendar, Terms, Urgency

URGENCY_CHOICES = [
    (Urgency.EMERGENCY.value, _("emergency")),
    (Urgency.ORDINARY.value, _("ordinary")),
    (Urgency.MEDIUM_TERM.value, _("medium-term")),
    (Urgency.LONG_TERM.value, _("long-term")),
]


class Unit(models.Model):
    """A structural unit of the district executive committee that executes requests."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("structural unit")
        verbose_name_plural = _("structural units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Section(models.Model):
    """A section of the Classifier tree; sections nest, request types hang on them."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("Classifier section")
        verbose_name_plural = _("Classifier sections")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def path(self) -> list[Section]:
        node: Section | None = self
        chain: list[Section] = []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Category(models.Model):
    """A request type of the Classifier: it names the responsible unit and the urgency type (1.3, 2.2).

    A type is retired (``is_active=False``) rather than deleted, so requests filed under it keep it.
    """

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="categories", verbose_name=_("section"))
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("Stable code; never reused."))
    name = models.CharField(_("name"), max_length=500)
    urgency = models.CharField(_("urgency type"), max_length=20, choices=URGENCY_CHOICES)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="categories", verbose_name=_("responsible unit")
    )
    evidence_required = models.BooleanField(
        _("photo or act required"),
        default=False,
        help_text=_("Photos of the completed work or an act of execution are needed to close it (2.5)."),
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Words residents use, comma-separated."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["code"]
        indexes = [models.Index(fields=["is_active", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.urgency and self.urgency not in Urgency._value2member_map_:
            raise ValidationError({"urgency": _("Unknown urgency type.")})


class Position(models.TextChoices):
    """The positions that sign answers under 2.4."""

    DEPUTY_HEAD = "deputy_head", _("Deputy head of the district council")
    DEPUTY_HEAD_EXEC = (
        "deputy_head_exec",
        _("Deputy head of the district council for the activities of the executive bodies"),
    )
    MANAGER_OF_AFFAIRS = "manager_of_affairs", _("Manager of affairs of the executive committee")


class Signatory(models.Model):
    user = models.OneToOneField(
        "accounts.User", on_delete=models.PROTECT, related_name="signatory", verbose_name=_("person")
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.user.short_name}, {self.get_position_display()}"


class DutyQuerySet(models.QuerySet["Duty"]):
    def in_force(self, on: dt.date) -> DutyQuerySet:
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Duty(models.Model):
    """Distribution of duties (2.4, 2.6): which signatory signs for which unit, from when to when.

    A change of duties closes the old row (``valid_to``) and opens a new one, so the past stays as it was.
    """

    signatory = models.ForeignKey(
        Signatory, on_delete=models.PROTECT, related_name="duties", verbose_name=_("signatory")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="duties", verbose_name=_("unit"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: still in force."))
    basis = models.CharField(_("basis"), max_length=255, blank=True, help_text=_("Order number and date."))

    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("distribution of duties")
        verbose_name_plural = _("distribution of duties")
        ordering = ["unit", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.unit} → {self.signatory}"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})


def signatories_for(unit_id: int, on: dt.date) -> list[Signatory]:
    """Who signs for a unit on a given day, under the distribution of duties in force (2.4)."""
    duties = Duty.objects.in_force(on).filter(unit_id=unit_id, signatory__is_active=True)
    return [d.signatory for d in duties.select_related("signatory__user")]


class CalendarOverride(models.Model):
    """An extra day off or an extra working day (a government transfer, the end of martial law)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("extra day off")
        WORKING_DAY = "working_day", _("extra working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


class Organisation(models.Model):
    """The district executive committee itself: one row. Also holds the configurable terms (docs/design.md 3)."""

    name = models.CharField(_("name"), max_length=255, default="Виконавчий комітет Саксаганської районної у місті ради")
    short_name = models.CharField(_("short name"), max_length=120, default="Саксаганський райвиконком")
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    general_mailbox = models.EmailField(
        _("general department's mailbox"),
        default="zagal_zv@srvk.gov.ua",
        help_text=_("The electronic version of each signed answer goes here (2.7)."),
    )
    ordinary_regulation_days = models.PositiveSmallIntegerField(_("ordinary: regulation term, days"), default=5)
    medium_term_regulation_days = models.PositiveSmallIntegerField(_("medium-term: regulation term, days"), default=15)
    long_term_internal_days = models.PositiveSmallIntegerField(_("long-term: internal term, days"), default=30)
    long_term_regulation_days = models.PositiveSmallIntegerField(_("long-term: regulation term, days"), default=45)
    # Security and personal data (README: "Security").
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("sign out after minutes without activity"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
        help_text=_("A session left alone this long ends; the person signs in again."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep applicants' personal data, years after closing"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(75)],
        help_text=_(
            "Law of Ukraine «On Personal Data Protection», art. 6: personal data is kept no longer than needed. "
            "After this many years from publication or withdrawal the applicant's name, phone, e-mail and postal "
            "address are anonymised; the rest stays for statistics."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        try:
            self.terms()
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def terms(self) -> Terms:
        return Terms(
            ordinary_regulation_days=self.ordinary_regulation_days,
            medium_term_regulation_days=self.medium_term_regulation_days,
            long_term_internal_days=self.long_term_internal_days,
            long_term_regulation_days=self.long_term_regulation_days,
        )

    @classmethod
    def current(cls) -> Organisation:
        org = cls.objects.order_by("pk").first()
        if org is None:
            org, _created = cls.objects.get_or_create(pk=1)
        return org


def current_calendar() -> Calendar:
    """The working-day calendar: Ukraine's days off plus the administrator's overrides (docs/design.md 3)."""
    off: set[dt.date] = set()
    working: set[dt.date] = set()
    for date, kind in CalendarOverride.objects.values_list("date", "kind"):
        (off if kind == CalendarOverride.Kind.DAY_OFF else working).add(date)
    return Calendar(extra_days_off=off, extra_working_days=working)
