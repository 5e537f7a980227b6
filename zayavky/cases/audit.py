"""Who read an applicant's personal data (ASVS 7.1, 8.3; Law «On Personal Data Protection», art. 10).

Opening an applicant's contacts — the request page, the API's detail, the registration card, the answer
letter, an export with personal data — writes one :class:`PersonalDataAccess` row: who, which request,
through what, when, from which address. The rows are append-only in the database itself
(`zayavky.cases.appendonly`) and an administrator lists them by person or by request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One look at one applicant's personal data."""

    class Through(models.TextChoices):
        REQUEST_PAGE = "request_page", _("request page")
        API = "api", _("API")
        CARD = "card", _("registration card")
        LETTER = "letter", _("answer letter")
        EXPORT = "export", _("export of the list")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    request = models.ForeignKey(
        "cases.ServiceRequest", on_delete=models.PROTECT, related_name="+", verbose_name=_("request")
    )
    through = models.CharField(_("through"), max_length=20, choices=Through.choices)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        app_label = "cases"
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access to personal data")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="pdaccess_person_at"),
            models.Index(fields=["request", "at"], name="pdaccess_request_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.person_id} → {self.request_id} ({self.through})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the access log is append-only")
        super().save(*args, **kwargs)


def _address(http_request: Any) -> str | None:
    """The client's address as the server saw it (behind a TLS proxy Django's REMOTE_ADDR is the proxy's;
    django-axes' reading of X-Forwarded-For is used for the logins, and here too)."""
    if http_request is None:
        return None
    try:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(http_request) or None
    except Exception:  # an address we cannot read is recorded as unknown, never a failure
        return http_request.META.get("REMOTE_ADDR") or None


def record(person: Any, request_ids: Iterable[int], through: str, http_request: Any = None) -> int:
    """Write the access rows; returns how many."""
    now = timezone.now()
    address = _address(http_request)
    rows = [
        PersonalDataAccess(at=now, person_id=person.pk, request_id=pk, through=through, address=address)
        for pk in request_ids
    ]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=500)
    return len(rows)
