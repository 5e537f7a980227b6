"""The access log for the administrator: who read which applicant's personal data, when and through what
(ASVS 7.1; Law «On Personal Data Protection», art. 10). Listed by person or by request; never changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zayavky.cases.audit import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "person", "request", "through", "address"]
    list_filter = ["through", ("person", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "request"]
    search_fields = ["request__number", "person__username", "person__last_name"]
    date_hierarchy = "at"
    fields = ("at", "person", "request", "through", "address")
    readonly_fields = fields
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
