"""The registration card of a request (2.2, 2.3): what it shows, as data for the print page.

2.2: the general department forwards the card to the unit the Classifier names; 2.3: the unit clerk prints it
and passes it to the head of the unit, who names the executor — on paper, in the box the card leaves for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import segno
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zayavky import deadlines
from zayavky.accounts.models import User
from zayavky.cases import access, rules
from zayavky.cases.models import ContactAttempt, Event, ServiceRequest
from zayavky.catalog.models import Organisation
from zayavky.deadlines import KYIV

#: Events that are stages of the request's way (the card leaves out comments, files and drafts).
CARD_EVENTS = (
    "receive",
    "route",
    "take",
    "assign",
    "reassign",
    "contact",
    "submit",
    "return",
    "sign",
    "hand_over",
    "publish",
    "rework",
    "withdraw",
    "return_to_general",
    "extend",
)


def kyiv(moment: dt.datetime | None) -> str:
    """«27.11.2025 14:05» in Kyiv time, the way the card writes every moment."""
    return moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M") if moment else ""


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def urgency_text(urgency: str, terms: deadlines.Terms) -> str:
    """The urgency type in words, with its terms (2.12.1–2.12.3)."""
    if not urgency:
        return ""
    internal, regulation = terms.for_urgency(urgency)
    if urgency == deadlines.Urgency.EMERGENCY:
        return _("emergency: %(internal)d h for the unit (p. 2.12.3), %(regulation)d h under the Regulation") % {
            "internal": internal,
            "regulation": regulation,
        }
    args = {"internal": _days(internal), "regulation": _days(regulation)}
    if urgency == deadlines.Urgency.ORDINARY:
        return _("ordinary: %(internal)s for the unit (p. 2.12.1), %(regulation)s under the Regulation") % args
    if urgency == deadlines.Urgency.MEDIUM_TERM:
        return _("medium-term: %(internal)s for the unit (p. 2.12.2), %(regulation)s under the Regulation") % args
    # Long-term requests exist in the city Classifier; the order is silent on them (docs/design.md 1).
    return _("long-term: %(internal)s for the unit, %(regulation)s under the Regulation") % args


def qr_svg(number: str) -> SafeString:
    """The request number as a QR code, inline SVG (no image file, nothing from the internet)."""
    qr = segno.make(number, micro=False, error="m")
    svg = qr.svg_inline(scale=3, border=2, omitsize=True, title=number)  # viewBox: CSS sizes it
    return mark_safe(svg)  # segno's own SVG; the number is escaped by segno (title)


def _who(event: Event) -> str:
    return event.actor.short_name if event.actor else _("Contact Center")


def event_text(event: Event) -> str:
    """One stage of the history in plain words."""
    d: dict[str, Any] = event.data or {}
    a = event.action
    if a == "receive":
        return _("Received from the Contact Center (p. 2.1)")
    if a == "route":
        return _("Routed to the unit «%(unit)s», type %(category)s (p. 2.2)") % {
            "unit": d.get("unit", ""),
            "category": d.get("category", ""),
        }
    if a == "take":
        return _("Card printed and passed to the head of the unit (p. 2.3)")
    if a == "assign":
        return _("Executor named: %(name)s (p. 2.3)") % {"name": (d.get("executor") or {}).get("name", "")}
    if a == "reassign":
        return _("Executor changed: %(name)s (p. 2.3)") % {"name": (d.get("executor") or {}).get("name", "")}
    if a == "contact":
        if d.get("outcome") == ContactAttempt.Outcome.REACHED:
            return _("Applicant contacted (p. 2.10)")
        return _("Applicant could not be reached (p. 2.11)")
    if a == "submit":
        return _("Answer submitted for signature (p. 2.6)")
    if a == "return":
        return _("Answer returned by the signatory for revision")
    if a == "sign":
        return _("Answer signed, outgoing No. %(number)s; removed from control (p. 2.8)") % {
            "number": d.get("outgoing_number", "")
        }
    if a == "hand_over":
        return _("Answer handed over to the general department (p. 2.7)")
    if a == "publish":
        return _("Answer posted to the Contact Center (p. 2.9)")
    if a == "rework":
        return _("Returned by the Contact Center for rework (round %(round)s)") % {"round": d.get("round", "")}
    if a == "withdraw":
        return _("Withdrawn by the Contact Center")
    if a == "return_to_general":
        return _("Returned to the general department for routing again (p. 2.2)")
    if a == "extend":
        to = d.get("to")
        when = kyiv(dt.datetime.fromisoformat(to)) if to else ""
        return _("Term extended to %(due)s (p. 2.13)") % {"due": when}
    return a


@dataclass
class Card:
    """What the card shows."""

    request: ServiceRequest
    organisation: Organisation
    received: str
    category: str
    section: str
    unit: str
    urgency: str
    status: str
    internal_due: str
    regulation_due: str
    extended_due: str
    extension_note: str
    extension_decide_by: str
    executor: str
    executor_phone: str
    personal: bool
    qr: SafeString
    history: list[tuple[str, str, str]] = field(default_factory=list)  # (when, what, who)
    signed: str = ""
    may_take: bool = False
    printed_at: str = ""
    unit_due_state: str = ""  # «чинний» / «дотримано» / «порушено» (ServiceRequest.deadline_status)
    district_due_state: str = ""
    overdue: bool = False


#: How the card names the state of a due (the same words as the request page).
DUE_STATE_TEXT = {"binding": gettext_lazy("binding now"), "met": gettext_lazy("met"), "missed": gettext_lazy("missed")}


def build_card(request: ServiceRequest, user: User) -> Card:
    org = Organisation.current()
    terms = org.terms()
    category = request.category
    extension = request.extensions.order_by("-decided_at", "-pk").first()
    extension_note = ""
    if extension is not None:
        extension_note = _("Extended on %(at)s by %(who)s (p. 2.13): %(why)s") % {
            "at": kyiv(extension.decided_at),
            "who": extension.decided_by.short_name,
            "why": extension.justification,
        }
    now = timezone.now()
    # 2.13: an emergency request's extension is decided within 12 hours of receipt; the card says until when.
    state = rules.extension(request, now)
    decide_by = kyiv(state.decide_by) if state.window and not state.decided and request.is_under_control else ""
    status = request.deadline_status()
    events = Event.objects.filter(request=request, action__in=CARD_EVENTS).select_related("actor").order_by("at", "pk")
    signed = ""
    if request.signed_at:
        signer = request.signed_by.short_name if request.signed_by else ""
        signed = _("%(at)s, outgoing No. %(number)s, %(who)s") % {
            "at": kyiv(request.signed_at),
            "number": request.outgoing_number,
            "who": signer,
        }
    return Card(
        request=request,
        organisation=org,
        received=kyiv(request.received_at),
        category=f"{category.code} {category.name}" if category else "",
        section=f"{category.section.code} {category.section.name}" if category else "",
        unit=request.unit.name if request.unit else "",
        urgency=urgency_text(request.urgency, terms),
        status=str(request.get_status_display()),
        internal_due=kyiv(request.internal_due),
        regulation_due=kyiv(request.regulation_due),
        extended_due=kyiv(request.extended_due),
        extension_note=extension_note,
        extension_decide_by=decide_by,
        executor=request.executor.full_name if request.executor else "",
        executor_phone=request.executor.phone if request.executor else "",
        personal=access.sees_personal_data(user, request),
        qr=qr_svg(request.number),
        # The receipt is dated by when the request reached the district, not by when it was typed in.
        history=[
            (kyiv(request.received_at if e.action == "receive" else e.at), event_text(e), _who(e)) for e in events
        ],
        signed=signed,
        may_take=rules.may(user, "take", request),
        printed_at=kyiv(now),
        unit_due_state=str(DUE_STATE_TEXT.get(status.unit.state, "")),
        district_due_state=str(DUE_STATE_TEXT.get(status.district.state, "")),
        overdue=status.overdue(now),
    )
