"""The history of a request told in plain Ukrainian: one sentence per :class:`Event`.

The sentences are impersonal («заявку направлено …», «виконавцем призначено …») followed by who did it:
the office style of Ukrainian documents, and it needs no grammatical gender of the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zayavky.cases.models import Answer, Attachment, ContactAttempt, Event, ServiceRequest, Status
from zayavky.cases.workflow import INTAKE_FIELDS, RETURN_REASONS, SETTLE_DECISIONS
from zayavky.catalog.models import URGENCY_CHOICES, Category

_URGENCY = dict(URGENCY_CHOICES)


@dataclass
class Line:
    at: dt.datetime
    actor: str
    text: str
    action: str
    late: bool = False


def _moment(value: Any) -> str:
    if not value:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        return moment.strftime("%d.%m.%Y %H:%M")
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _name(person: Any) -> str:
    return str(person.get("name") or "—") if isinstance(person, dict) else "—"


def _choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "—")


def sentence(
    event: Event, categories: dict[str, Category] | None = None, notes: dict[int, str] | None = None
) -> tuple[str, bool]:
    """The sentence for one history row, and whether it records a missed deadline."""
    d: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    a = event.action
    late = False
    if a == "receive":
        text = _("The request arrived from the Contact Center under No. %(number)s (2.1).") % {
            "number": d.get("number", "—")
        }
    elif a == "route":
        code = d.get("category", "")
        category = (categories or {}).get(code)
        kind = f"{code} {category.name}" if category else code
        text = _("Routed to the unit «%(unit)s» (type %(type)s; %(urgency)s); due for the unit %(due)s (2.2).") % {
            "unit": d.get("unit", "—"),
            "type": kind or "—",
            "urgency": _URGENCY.get(d.get("urgency", ""), d.get("urgency", "—")),
            "due": _moment(d.get("internal_due")),
        }
        if d.get("classifier_unit"):
            text += " " + _("The Classifier names the unit «%(unit)s».") % {"unit": d["classifier_unit"]}
        if d.get("note"):
            text += " " + _("Note: %(note)s") % {"note": d["note"]}
    elif a == "take":
        text = _("The registration card was printed and passed to the head of the unit (2.3).")
    elif a == "assign":
        text = _("%(person)s was named the executor (2.3).") % {"person": _name(d.get("executor"))}
    elif a == "reassign":
        text = _("The executor was changed from %(old)s to %(new)s (2.3).") % {
            "old": _name(d.get("from")),
            "new": _name(d.get("executor")),
        }
        if d.get("reason"):
            text += " " + _("Reason: %(reason)s") % {"reason": d["reason"]}
    elif a == "contact":
        text = _("Contact with the applicant (%(channel)s): %(outcome)s (2.10, 2.11).") % {
            "channel": _choice_label(ContactAttempt.Channel, d.get("channel")),
            "outcome": _choice_label(ContactAttempt.Outcome, d.get("outcome")),
        }
        # The note lives in the contact row (anonymisation reaches it); older history rows carried it.
        contact = d.get("contact")
        note = (notes or {}).get(contact) if isinstance(contact, int) else d.get("note")
        if note:
            text += " " + _("Note: %(note)s") % {"note": note}
    elif a == "draft":
        text = _("A draft answer was saved (result: %(outcome)s) (2.5).") % {
            "outcome": _choice_label(Answer.Outcome, d.get("outcome"))
        }
    elif a == "submit":
        text = _("The answer was submitted for signature (result: %(outcome)s) (2.6).") % {
            "outcome": _choice_label(Answer.Outcome, d.get("outcome"))
        }
    elif a == "return":
        text = _("The signatory returned the answer to the unit: «%(comment)s».") % {"comment": d.get("comment", "")}
    elif a == "sign":
        text = _("The answer was signed, outgoing No. %(out)s; the request is removed from control (2.4, 2.8).") % {
            "out": d.get("outgoing_number", "—")
        }
    elif a == "hand_over":
        text = _(
            "The signed answer, the documents and the card were handed to the general department; the "
            "electronic version was sent to %(mail)s (2.7)."
        ) % {"mail": d.get("mail_to", "—")}
        if d.get("unit_late"):
            late = True
            text += " " + _("The unit's due was missed.")
    elif a == "publish":
        text = _("The answer was posted to the Contact Center (2.9).")
        if d.get("district_late"):
            late = True
            text += " " + _("The regulation due was missed.")
        if d.get("note"):
            text += " " + _("Note: %(note)s") % {"note": d["note"]}
    elif a == "rework":
        text = _(
            "The Contact Center returned the request for rework (round %(round)s): %(reason)s. "
            "New due for the unit: %(due)s."
        ) % {
            "round": d.get("round", "—"),
            "reason": d.get("reason", ""),
            "due": _moment(d.get("internal_due")),
        }
    elif a == "withdraw":
        text = _("The Contact Center withdrew the request: %(reason)s.") % {"reason": d.get("reason", "")}
    elif a == "return_to_general":
        reason = RETURN_REASONS.get(d.get("reason", ""), d.get("reason", ""))
        text = _("The unit «%(unit)s» returned the request to the general department: %(reason)s. %(comment)s") % {
            "unit": d.get("unit", "—"),
            "reason": reason,
            "comment": d.get("comment", ""),
        }
    elif a == "extend":
        text = _("The term was extended from %(old)s to %(new)s (2.13). Justification: %(why)s") % {
            "old": _moment(d.get("from")),
            "new": _moment(d.get("to")),
            "why": d.get("justification", ""),
        }
    elif a == "settle_intake":
        decision = SETTLE_DECISIONS.get(d.get("decision", ""), d.get("decision", ""))
        text = _("A conflicting hand-over by the Contact Center was settled: %(decision)s (2.1).") % {
            "decision": decision
        }
        changed = [_INTAKE_FIELD_NAMES.get(f, f) for f in d.get("fields") or []]
        if changed:
            text += " " + _("Changed: %(fields)s.") % {"fields": ", ".join(str(f) for f in changed)}
    elif a == "comment":
        text = _("Comment: %(text)s") % {"text": d.get("text", "")}
    elif a == "attach":
        text = _("File «%(name)s» attached (%(kind)s).") % {
            "name": d.get("file", "—"),
            "kind": _choice_label(Attachment.Kind, d.get("kind")),
        }
    elif a == "anonymise":
        text = _(
            "The applicant's personal data was anonymised: the retention period after closing has passed "
            "(Law of Ukraine «On Personal Data Protection», art. 6)."
        )
    else:
        # An action added after this page was written still gets a readable line, never an error.
        text = _("Action «%(action)s».") % {"action": a}
        if event.to_status and event.to_status != event.from_status:
            text += " " + _("Status: %(status)s.") % {"status": _choice_label(Status, event.to_status)}
    return text.strip(), late


#: The request's fields a settled hand-over may change, as the history names them.
_INTAKE_FIELD_NAMES = {
    name: getattr(ServiceRequest._meta.get_field(name), "verbose_name", name) for name in INTAKE_FIELDS
}


def lines(events: Iterable[Event]) -> list[Line]:
    events = list(events)
    codes = {e.data.get("category") for e in events if e.action == "route" and isinstance(e.data, dict)}
    categories = {c.code: c for c in Category.objects.filter(code__in=[c for c in codes if c])}
    contact_ids = [e.data.get("contact") for e in events if e.action == "contact" and isinstance(e.data, dict)]
    notes = dict(
        ContactAttempt.objects.filter(pk__in=[i for i in contact_ids if isinstance(i, int)]).values_list("pk", "note")
    )
    out = []
    for event in events:
        text, late = sentence(event, categories, notes)
        actor = event.actor.short_name if event.actor else _("the system")
        out.append(Line(event.at, actor, text, event.action, late))
    return out
