"""People and their roles (docs/design.md 2: one person may hold several roles and units)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GENERAL = "general", _("General department clerk")  # receives and routes (2.2), posts answers (2.9)
    UNIT_CLERK = "unit_clerk", _("Unit clerk")  # prints the card, passes it to the head (2.3), hands back (2.7)
    UNIT_HEAD = "unit_head", _("Unit head")  # names the executor (2.3), submits for signature (2.6)
    EXECUTOR = "executor", _("Executor")  # does the work, contacts the applicant (2.10, 2.11)
    SIGNATORY = "signatory", _("Signatory")  # signs the answer (2.4, 2.8)
    CONTROLLER = "controller", _("Controller")  # answers for executive discipline (3.1): reads all, reports
    INTEGRATION = "integration", _("Contact Center integration account")  # hands requests over (intake API)
    ADMIN = "admin", _("Administrator")  # reference data and users


#: Roles that belong to a structural unit: a membership with one of them names the unit.
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD, Role.EXECUTOR})


class User(AbstractUser):
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    must_change_password = models.BooleanField(
        _("must change the password at the next login"),
        default=False,
        help_text=_("Set by an administrator (e.g. after giving a temporary password); cleared when it is changed."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.short_name or self.username

    @property
    def short_name(self) -> str:
        """«Прізвище І. П.» — how a Ukrainian office writes a person's name."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() if self.last_name else self.get_full_name()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p) or self.username

    # Role checks are computed once per request object and cached on the instance.
    def _memberships(self) -> list[Membership]:
        cache = getattr(self, "_membership_cache", None)
        if cache is None:
            cache = list(self.memberships.select_related("unit"))
            self._membership_cache = cache
        return cache

    def roles(self) -> set[str]:
        return {m.role for m in self._memberships()}

    def has_role(self, role: str) -> bool:
        return role in self.roles()

    def unit_ids(self, role: str | None = None) -> set[int]:
        return {m.unit_id for m in self._memberships() if m.unit_id and (role is None or m.role == role)}


class Membership(models.Model):
    """One role of one person, in one unit for the unit roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "catalog.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("structural unit"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(unit__isnull=True), name="membership_unique_no_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}" + (f" — {self.unit}" if self.unit_id else "")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("This role belongs to a structural unit: choose the unit.")})
        if self.role not in UNIT_ROLES and self.unit_id:
            raise ValidationError({"unit": _("This role does not belong to a structural unit.")})


#: A token lives this long unless it is told otherwise (`zayavky token --expires`).
TOKEN_LIFETIME = dt.timedelta(days=365)


def default_token_expiry() -> dt.datetime:
    return timezone.now() + TOKEN_LIFETIME


class ApiToken(models.Model):
    """A per-user API token (`Authorization: Bearer …`). Only its SHA-256 is stored.

    Every token has a name, an expiry and a scope, records its last use and can be revoked (ASVS 3.5)."""

    class Scope(models.TextChoices):
        FULL = "full", _("everything its person may do")
        INTAKE = "intake", _("Contact Center: hand requests over, rework and withdraw its own")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("name"), max_length=100, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.FULL)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=default_token_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.label or self.digest[:8]}"
