"""The administrator's screens for the reference data: units, the Classifier (1.3), signatories and the
distribution of duties (2.4, 2.6), the calendar's overrides and the organisation.

Units and request types are retired, never deleted: requests filed under them point to them with a
protecting foreign key, and the history of a request must keep the type and unit it was handled under.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zayavky.catalog.models import (
    CalendarOverride,
    Category,
    Duty,
    Organisation,
    Section,
    Signatory,
    Unit,
)
from zayavky.deadlines import Terms

# --------------------------------------------------------------------------------------------------
# Retiring instead of deleting
# --------------------------------------------------------------------------------------------------


class RetiringAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Offers "retire" and "restore" and never "delete": the rows are referred to by requests."""

    actions = ["retire_selected", "restore_selected"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Any], active: bool) -> int:
        changed = list(queryset.exclude(is_active=active))
        for obj in changed:
            obj.is_active = active
            obj.save(update_fields=["is_active"])
            self.log_change(request, obj, [{"changed": {"fields": ["is_active"]}}])
        return len(changed)

    @admin.action(description=_("Retire selected (they stay in the history, no longer offered)"))
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self._set_active(request, queryset, False)
        self.message_user(request, _("Retired: %(count)d.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Restore selected"))
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self._set_active(request, queryset, True)
        self.message_user(request, _("Restored: %(count)d.") % {"count": count}, messages.SUCCESS)


# --------------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------------


@admin.register(Unit)
class UnitAdmin(RetiringAdmin):
    list_display = ["name", "short_name", "email", "active_types", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return (
            super()
            .get_queryset(request)
            .annotate(active_type_count=Count("categories", filter=Q(categories__is_active=True)))
        )

    @admin.display(description=_("active request types"), ordering="active_type_count")
    def active_types(self, obj: Unit) -> int:
        return obj.active_type_count  # type: ignore[attr-defined]  # annotated in get_queryset

    @admin.action(description=_("Retire selected (they stay in the history, no longer offered)"))
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().retire_selected(request, queryset)
        # A retired unit still named by an active type would receive requests nobody routes to (2.2).
        still_used = Category.objects.filter(is_active=True, unit__in=queryset).count()
        if still_used:
            self.message_user(
                request,
                ngettext(
                    "%(count)d active request type still names a retired unit: give it another unit.",
                    "%(count)d active request types still name a retired unit: give them another unit.",
                    still_used,
                )
                % {"count": still_used},
                messages.WARNING,
            )


# --------------------------------------------------------------------------------------------------
# The Classifier: sections and request types (1.3)
# --------------------------------------------------------------------------------------------------


class SectionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Section
        fields = ["parent", "code", "name", "position"]

    def clean_parent(self) -> Section | None:
        parent: Section | None = self.cleaned_data.get("parent")
        # Section.path() walks up the parents: a loop would never end.
        node = parent
        while node is not None and self.instance.pk is not None:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(_("A section cannot be nested in itself or in its own subsection."))
            node = node.parent
        return parent


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = SectionForm
    list_display = ["code", "tree_name", "parent", "position", "type_count"]
    list_display_links = ["code", "tree_name"]
    list_editable = ["position"]
    list_select_related = ["parent__parent__parent"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).annotate(type_count=Count("categories"))

    @admin.display(description=_("name"), ordering="name")
    def tree_name(self, obj: Section) -> str:
        depth, node = 0, obj.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return format_html('<span style="padding-left: {}em">{}</span>', depth * 1.5, obj.name)

    @admin.display(description=_("request types"), ordering="type_count")
    def type_count(self, obj: Section) -> int:
        return obj.type_count  # type: ignore[attr-defined]  # annotated in get_queryset


class SectionTreeFilter(admin.SimpleListFilter):
    """A section and everything nested in it."""

    title = _("section")
    parameter_name = "section"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(s.pk), str(s)) for s in Section.objects.order_by("code")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> QuerySet[Category]:
        if self.value() is None:
            return queryset
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Section.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        wanted, todo = set(), [int(self.value())]  # type: ignore[arg-type]  # checked for None above
        while todo:
            pk = todo.pop()
            if pk not in wanted:
                wanted.add(pk)
                todo.extend(children.get(pk, []))
        return queryset.filter(section_id__in=wanted)


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = [
            "section",
            "code",
            "name",
            "unit",
            "urgency",
            "evidence_required",
            "description",
            "keywords",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        unit: Unit | None = data.get("unit")
        # 2.2: the general department routes by the Classifier; an active type must lead to a working unit.
        if unit is not None and not unit.is_active and data.get("is_active"):
            self.add_error("unit", _("This unit is retired: an active request type needs an active unit."))
        return data


@admin.register(Category)
class CategoryAdmin(RetiringAdmin):
    form = CategoryForm
    list_display = ["code", "name", "urgency", "unit", "evidence_required", "is_active"]
    list_display_links = ["code", "name"]
    list_filter = ["urgency", "unit", SectionTreeFilter, "evidence_required", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["code", "name", "keywords", "description"]
    autocomplete_fields = ["section", "unit"]
    fieldsets = [
        (None, {"fields": ["section", "code", "name"]}),
        (_("Routing and term (2.2, 2.12)"), {"fields": ["unit", "urgency", "evidence_required"]}),
        (_("For search and reference"), {"fields": ["description", "keywords"]}),
        (None, {"fields": ["is_active"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Category | None = None) -> list[str]:
        # The code is the type's identity for the Contact Center and the import: it never changes.
        return ["code"] if obj is not None else []


# --------------------------------------------------------------------------------------------------
# Signatories and the distribution of duties (2.4, 2.6)
# --------------------------------------------------------------------------------------------------


class DutyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Duty
    extra = 1
    fields = ["unit", "valid_from", "valid_to", "basis"]
    autocomplete_fields = ["unit"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "position", "units_today", "is_active"]
    list_filter = ["position", "is_active"]
    search_fields = ["user__last_name", "user__first_name", "user__patronymic", "user__username"]
    autocomplete_fields = ["user"]
    inlines = [DutyInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Signatory]:
        today_duties = Duty.objects.in_force(timezone.localdate()).select_related("unit")
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related(Prefetch("duties", queryset=today_duties, to_attr="duties_today"))
        )

    @admin.display(description=_("signs for today"))
    def units_today(self, obj: Signatory) -> str:
        return ", ".join(str(d.unit) for d in obj.duties_today) or "—"  # type: ignore[attr-defined]


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("today", _("In force today")), ("not_today", _("Not in force today"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Duty]) -> QuerySet[Duty]:
        today = Duty.objects.in_force(timezone.localdate()).values("pk")
        if self.value() == "today":
            return queryset.filter(pk__in=today)
        if self.value() == "not_today":
            return queryset.exclude(pk__in=today)
        return queryset


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["unit", "signatory", "valid_from", "valid_to", "in_force_today", "basis"]
    list_filter = [InForceFilter, "unit", "signatory"]
    list_select_related = ["unit", "signatory__user"]
    search_fields = ["unit__name", "unit__short_name", "signatory__user__last_name", "basis"]
    autocomplete_fields = ["unit", "signatory"]
    date_hierarchy = "valid_from"

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, obj: Duty) -> bool:
        today = timezone.localdate()
        return obj.valid_from <= today and (obj.valid_to is None or obj.valid_to >= today)


# --------------------------------------------------------------------------------------------------
# Calendar and organisation
# --------------------------------------------------------------------------------------------------


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "date"


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    """Says in Ukrainian, field by field, what the deadline engine would refuse (docs/design.md 3)."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "address",
            "phone",
            "general_mailbox",
            "ordinary_regulation_days",
            "medium_term_regulation_days",
            "long_term_internal_days",
            "long_term_regulation_days",
            "session_idle_minutes",
            "retention_years",
        ]

    def _at_least(self, name: str, minimum: int, message: Any) -> int:
        value: int = self.cleaned_data[name]
        if value < minimum:
            raise forms.ValidationError(message, params={"days": minimum})
        return value

    def clean_ordinary_regulation_days(self) -> int:
        return self._at_least(
            "ordinary_regulation_days",
            Terms().ordinary_internal_days,
            _("The regulation term cannot be shorter than the unit's term of %(days)d days (2.12.1)."),
        )

    def clean_medium_term_regulation_days(self) -> int:
        return self._at_least(
            "medium_term_regulation_days",
            Terms().medium_term_internal_days,
            _("The regulation term cannot be shorter than the unit's term of %(days)d days (2.12.2)."),
        )

    def clean_long_term_internal_days(self) -> int:
        return self._at_least("long_term_internal_days", 1, _("The term must be at least one day."))

    def clean_long_term_regulation_days(self) -> int:
        return self._at_least("long_term_regulation_days", 1, _("The term must be at least one day."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        internal, regulation = data.get("long_term_internal_days"), data.get("long_term_regulation_days")
        if internal is not None and regulation is not None and internal > regulation:
            self.add_error(
                "long_term_regulation_days",
                _("The regulation term cannot be shorter than the unit's term (%(days)d days).") % {"days": internal},
            )
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """One row: the district executive committee. It can be edited, not added twice or deleted."""

    form = OrganisationForm
    list_display = ["short_name", "name", "general_mailbox"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "address", "phone", "general_mailbox"]}),
        (
            _("Terms (the units' terms of 2.12 are set by the order and cannot be changed)"),
            {
                "fields": [
                    "ordinary_regulation_days",
                    "medium_term_regulation_days",
                    "long_term_internal_days",
                    "long_term_regulation_days",
                ]
            },
        ),
        (_("Security and personal data"), {"fields": ["session_idle_minutes", "retention_years"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # There is only one organisation: go straight to it.
        only = Organisation.objects.order_by("pk").first()
        if only is not None and self.has_view_or_change_permission(request, only):
            return HttpResponseRedirect(reverse("admin:catalog_organisation_change", args=[only.pk]))
        return super().changelist_view(request, extra_context)
