"""Exchange with the Contact Center: every hand-over it makes is kept, whatever became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntakeRecord(models.Model):
    """One hand-over of a request by the Contact Center (2.1), kept as received.

    Nothing a resident sent is ever silently lost: a payload that conflicts with an earlier one under the
    same number, or that was refused, stays here for the general department to see and settle.
    """

    class Outcome(models.TextChoices):
        CREATED = "created", _("created")
        DUPLICATE = "duplicate", _("repeated, same content")
        CONFLICT = "conflict", _("conflicts with the request already received")
        REJECTED = "rejected", _("refused as invalid")

    external_id = models.CharField(_("Contact Center number"), max_length=64, db_index=True, blank=True)
    received_at = models.DateTimeField(_("handed over"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("payload"))
    digest = models.CharField(max_length=64)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)
    request = models.ForeignKey(
        "cases.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="intake_records"
    )

    class Decision(models.TextChoices):
        TAKE_NEW = "take_new", _("the new version taken")
        KEEP = "keep", _("the stored version kept")
        DISMISS = "dismiss", _("dismissed")

    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake log")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["outcome", "settled_at"], name="intake_outcome_settled")]

    def __str__(self) -> str:
        return f"{self.external_id or '—'}: {self.get_outcome_display()}"
