"""Template helpers of the staff pages: time left, the header's reminder, links to other apps' pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from zayavky.accounts.models import Role
from zayavky.cases import rules
from zayavky.cases.models import ServiceRequest
from zayavky.catalog.models import Organisation
from zayavky.web import queues
from zayavky.web.timeleft import request_time_left, time_left

register = template.Library()


@register.simple_tag
def due_badge(sr: ServiceRequest) -> SafeString:
    """Time left until the due that runs now: «5 год 20 хв» highlighted for emergency requests,
    «прострочено на 3 год» in red."""
    left = request_time_left(sr)
    if left is None:
        return mark_safe('<span class="due due--none">—</span>')  # a constant
    title = timezone.localtime(left.due).strftime("%d.%m.%Y %H:%M")
    badge = format_html(
        '<span class="{}" data-testid="time-left" data-overdue="{}" title="{}">{}</span>',
        left.css,
        "1" if left.overdue else "0",
        title,
        left.short,
    )
    if sr.deadline_status().party == "district":
        # After the hand-over only the district's due still runs (2.9): say which one is counted.
        return format_html('{} <span class="muted due-basis">{}</span>', badge, _("under the Regulations"))
    return badge


@register.simple_tag
def extension_flag(sr: ServiceRequest) -> SafeString:
    """2.13: an emergency request past 10 hours with no extension decided — the decision is due soon."""
    state = rules.extension(sr, timezone.now())
    if not state.warn or state.decide_by is None:
        return SafeString("")
    decide_by = state.decide_by
    text = _("Extension decision by %(time)s (2.13)") % {"time": timezone.localtime(decide_by).strftime("%H:%M")}
    return format_html('<span class="flag flag--extension" data-testid="extension-flag">{}</span>', text)


@register.inclusion_tag("web/_next_deadline.html", takes_context=True)
def next_deadline(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    found = queues.next_deadline(user) if user is not None and user.is_authenticated else None
    if found is None:
        return {"found": None}
    return {"found": found, "left": time_left(found.due, emergency=found.emergency)}


@register.simple_tag
def organisation_name() -> str:
    return Organisation.current().short_name


@register.simple_tag
def roles_of(user: Any) -> str:
    """«Керівник підрозділу (ЖКГ), Підписант» — the header says in which capacity one works."""
    if not getattr(user, "is_authenticated", False):
        return ""
    labels = []
    for membership in user._memberships():
        try:
            label = str(Role(membership.role).label)
        except ValueError:  # a role added later than this page
            label = membership.role
        labels.append(f"{label} ({membership.unit})" if membership.unit_id else label)
    return ", ".join(labels)


@register.simple_tag
def optional_url(name: str, *args: Any, fallback: str = "") -> str:
    """A page of another app by its URL name, or its known path while that app is not yet wired in."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (sort links, pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted((k, v) for k, v in params.items() if v))


@register.filter
def kyiv(moment: Any) -> str:
    """«27.11.2026 10:15» in Kyiv time."""
    if not moment:
        return "—"
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")
