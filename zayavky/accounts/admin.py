"""People, their roles in the units, and their API tokens, for the administrator (docs/design.md 2: roles)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zayavky.accounts.models import ApiToken, Membership, User


class MembershipFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Refuses the same role twice, including the roles without a unit.

    The database refuses it too (``membership_unique_no_unit``), but the formset's own uniqueness check
    skips rows with an empty unit, so without this the duplicate would reach the database as an error.
    """

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[str, int | None]] = set()
        deleted = self.deleted_forms
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form in deleted or not data.get("role"):
                continue
            unit = data.get("unit")
            key = (data["role"], unit.pk if unit is not None else None)
            if key in seen:
                raise ValidationError(_("The same role is given twice; leave one of them."))
            seen.add(key)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Roles; each form runs ``Membership.clean``: unit roles need a unit, the others must have none."""

    model = Membership
    formset = MembershipFormSet
    extra = 1
    fields = ["role", "unit"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    personal = ("last_name", "first_name", "patronymic", "position", "phone", "email")
    _django = tuple(DjangoUserAdmin.fieldsets or ())
    fieldsets = (
        (_django[0][0], {"fields": ("username", "password", "must_change_password")}),
        (_django[1][0], {"fields": personal}),  # "Personal info"
        *_django[2:],  # permissions, important dates
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_django[1][0], {"classes": ["wide"], "fields": personal}),
    )
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "position", "roles", "is_active", "is_staff"]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "must_change_password",
        "memberships__role",
        "memberships__unit",
    ]
    search_fields = ["username", "last_name", "first_name", "patronymic", "email", "position", "phone"]
    ordering = ["last_name", "first_name", "username"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("memberships__unit")

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.full_name

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return "; ".join(str(m) for m in obj.memberships.all()) or "—"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are issued by `zayavky token` and only their digest is kept: here they are listed and revoked.

    Revoking keeps the row (who had which token, when it was last used), so a token is never deleted."""

    list_display = ["user", "token_label", "scope", "created", "expires_at", "last_used", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "label"]
    fields = ("user", "label", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")  # never the digest
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.display(description=_("label"), ordering="label")
    def token_label(self, obj: ApiToken) -> str:
        return obj.label or "—"

    @admin.display(description=_("issued"), ordering="created_at")
    def created(self, obj: ApiToken) -> Any:
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj: ApiToken) -> Any:
        return obj.last_used_at or "—"
