"""The intake log in the administration: every hand-over by the Contact Center as it came (2.1).

Read-only: a record is evidence of what was received. The only change is to settle a conflicting or refused
hand-over (``zayavky.contactcenter.settle``, the same function the API and the pages call): a conflict's stored
version is kept, a refused hand-over dismissed; taking a conflict's new version is done on its own page.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zayavky.cases.errors import WorkflowError
from zayavky.contactcenter import settle as settling
from zayavky.contactcenter.models import IntakeRecord

#: Every field is shown and none is edited: a record is evidence of what was received.
FIELDS: tuple[str, ...] = (
    "received_at",
    "external_id",
    "outcome",
    "actor",
    "request",
    "message",
    "pretty_payload",
    "digest",
    "settled_at",
    "settled_by",
    "decision",
)


class SettledFilter(admin.SimpleListFilter):
    title = _("settled")
    parameter_name = "settled"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("not yet")), ("yes", _("settled"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[IntakeRecord]) -> QuerySet[IntakeRecord]:
        if self.value() == "no":
            return queryset.filter(settled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(settled_at__isnull=False)
        return queryset


@admin.register(IntakeRecord)
class IntakeRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["received_at", "external_id", "outcome", "actor", "request", "settled_at"]
    list_filter = ["outcome", SettledFilter]
    list_select_related = ["actor", "request", "settled_by"]
    search_fields = ["external_id"]
    date_hierarchy = "received_at"
    fields = FIELDS
    readonly_fields = FIELDS
    actions = ["settle"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing a resident sent is ever lost (docs/design.md 5)

    @admin.display(description=_("payload"))
    def pretty_payload(self, obj: IntakeRecord) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2))

    @admin.action(description=_("Mark as settled"), permissions=["change"])
    def settle(self, request: HttpRequest, queryset: QuerySet[IntakeRecord]) -> None:
        done = 0
        for record_id in queryset.filter(settled_at__isnull=True).values_list("pk", flat=True):
            try:
                settling.settle(request.user, record_id)  # type: ignore[arg-type]
            except WorkflowError as refused:
                self.message_user(request, f"{record_id}: {refused.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(n)d record marked as settled.", "%(n)d records marked as settled.", done) % {"n": done},
            messages.SUCCESS,
        )
