"""Requests, people and reference data as the API shows them (the shapes are in `zayavky.api.schemas`).

Times are given in Kyiv time with their offset (docs/design.md 3). Applicants' personal data (phone, e-mail,
postal address) only reach those `access.sees_personal_data` allows: the others get null.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zayavky import deadlines
from zayavky.accounts.models import User
from zayavky.cases import answers, rules, signing
from zayavky.cases.access import sees_personal_data, signed_unit_ids
from zayavky.cases.models import Answer, Event, ServiceRequest
from zayavky.catalog.models import Category, Section, Unit
from zayavky.contactcenter.intake import suggested_category
from zayavky.contactcenter.models import IntakeRecord

#: Where an attachment is downloaded when the cases app's view is not installed (it serves the file after
#: the same access check as the request).
FILE_URL = "/files/{id}/"


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def user_ref(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.short_name or user.username} if user else None


def unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "short_name": unit.short_name, "name": unit.name} if unit else None


def category_ref(category: Category | None) -> dict[str, Any] | None:
    return {"id": category.pk, "code": category.code, "name": category.name} if category else None


def summary(r: ServiceRequest, now: dt.datetime, *, personal: bool = True) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "status": r.status,
        "status_display": str(r.get_status_display()),
        "received_at": local(r.received_at),
        "text": r.text,
        "address": r.address,
        "applicant_name": r.applicant_name if personal else None,  # not even the name to the controller
        "category": category_ref(r.category),
        "unit": unit_ref(r.unit),
        "urgency": r.urgency,
        "executor": user_ref(r.executor),
        "control_due": local(r.control_due),
        "regulation_due": local(r.regulation_due),
        "binding_due": local(r.binding_due),
        "overdue": r.is_overdue(now),
        "rework_count": r.rework_count,
    }


def list_queryset(qs: Any) -> Any:
    return qs.select_related("category", "unit", "executor")


def _extension_window(r: ServiceRequest, now: dt.datetime) -> dict[str, Any] | None:
    """2.13: for an emergency request, until when an extension is decided and how far it may go."""
    state = rules.extension(r, now)
    if state.window is None:
        return None
    return {
        "decide_by": local(state.window.decide_by),
        "latest_due": local(state.window.latest_due),
        "open": state.open,
    }


def dues(r: ServiceRequest, now: dt.datetime) -> dict[str, Any]:
    status = r.deadline_status()
    left = status.left(now)
    return {
        "term_started_at": local(r.term_started_at),
        "internal": local(r.internal_due),
        "regulation": local(r.regulation_due),
        "extended": local(r.extended_due),
        "control_due": local(r.control_due),
        "district_due": local(r.district_due),
        "binding_due": local(status.binding),
        "binding_party": status.party or None,
        "time_left_seconds": int(left.total_seconds()) if left is not None else None,
        "overdue": status.overdue(now),
        "under_control": r.is_under_control,
        "unit": _due_state(status.unit),
        "district": _due_state(status.district),
        "extension_window": _extension_window(r, now),
    }


def _due_state(state: deadlines.DueState) -> dict[str, Any]:
    return {"state": state.state or None, "at": local(state.at)}


def answer_out(answer: Answer) -> dict[str, Any]:
    return {
        "round": answer.round,
        "text": answer.text,
        "outcome": answer.outcome,
        "outcome_display": str(answer.get_outcome_display()),
        "author": user_ref(answer.author),
        "updated_at": local(answer.updated_at),
    }


def file_url(pk: int) -> str:
    try:
        return reverse("cases:attachment", kwargs={"pk": pk})
    except NoReverseMatch:
        return FILE_URL.format(id=pk)


def file_out(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "round": a.round,
        "uploaded_by": user_ref(a.uploaded_by),
        "uploaded_at": local(a.uploaded_at),
        "url": file_url(a.pk),
    }


def detail_queryset() -> Any:
    return ServiceRequest.objects.select_related("category", "unit", "executor", "signed_by").prefetch_related(
        Prefetch("events", queryset=Event.objects.select_related("actor")),
        "contacts__actor",
        "answers__author",
        "attachments__uploaded_by",
        "extensions__decided_by",
    )


def detail(r: ServiceRequest, user: User) -> dict[str, Any]:
    now = timezone.now()
    personal = sees_personal_data(user, r)
    actions = rules.available_actions(user, r)
    rounds = sorted(r.answers.all(), key=lambda a: a.round)
    current = next((a for a in rounds if a.round == r.rework_count), None)
    suggested = suggested_category(r)
    data = summary(r, now, personal=personal)
    data.update(
        {
            "urgency_display": str(r.get_urgency_display()) if r.urgency else "",
            "applicant": {
                "name": r.applicant_name if personal else None,
                "phone": r.applicant_phone if personal else None,
                "email": r.applicant_email if personal else None,
                "address": r.applicant_address if personal else None,
            },
            "personal_data_shown": personal,
            "suggested_category": {"code": suggested.code, "name": suggested.name} if suggested else None,
            "outgoing_number": r.outgoing_number,
            "signed_by": user_ref(r.signed_by),
            "signed_sha256": r.signed_sha256 if r.signed_at else None,
            "signed_content_changed": signing.changed_since_signing(r),
            "stages": {
                name: local(getattr(r, name))
                for name in (
                    "routed_at",
                    "card_printed_at",
                    "assigned_at",
                    "submitted_at",
                    "signed_at",
                    "handed_over_at",
                    "published_at",
                    "withdrawn_at",
                )
            },
            "dues": dues(r, now),
            "history": [
                {
                    "id": e.pk,
                    "at": local(e.at),
                    "actor": user_ref(e.actor),
                    "action": e.action,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "data": e.data if isinstance(e.data, dict) else {"value": e.data},
                }
                for e in r.events.all()
            ],
            "contacts": [
                {
                    "id": c.pk,
                    "at": local(c.at),
                    "actor": user_ref(c.actor),
                    "channel": c.channel,
                    "outcome": c.outcome,
                    "note": c.note,
                }
                for c in r.contacts.all()
            ],
            "answer": answer_out(current) if current else None,
            "earlier_answers": [answer_out(a) for a in rounds if a.round < r.rework_count],
            "files": [file_out(a) for a in r.attachments.all()],
            "extensions": [
                {
                    "decided_at": local(x.decided_at),
                    "decided_by": user_ref(x.decided_by),
                    "previous_due": local(x.previous_due),
                    "new_due": local(x.new_due),
                    "justification": x.justification,
                }
                for x in r.extensions.all()
            ],
            "actions": actions,
            "suggested_answer": (answers.suggested_answer_text(r) if {"draft", "submit"} & set(actions) else None),
        }
    )
    return data


def me(user: User) -> dict[str, Any]:
    memberships = sorted(user.memberships.select_related("unit"), key=lambda m: (m.role, m.unit_id or 0))
    units = sorted({m.unit for m in memberships if m.unit is not None}, key=lambda u: u.name)
    signs_for = Unit.objects.filter(pk__in=signed_unit_ids(user)).order_by("name")
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.short_name or user.username,
        "full_name": user.full_name,
        "position": user.position,
        "roles": [
            {"role": m.role, "role_display": str(m.get_role_display()), "unit": unit_ref(m.unit)} for m in memberships
        ],
        "units": [unit_ref(u) for u in units],
        "signs_for": [unit_ref(u) for u in signs_for],
    }


def categories(items: list[Category]) -> list[dict[str, Any]]:
    sections = {s.pk: s for s in Section.objects.all()}

    def path(section_id: int) -> list[dict[str, str]]:
        chain, seen = [], set()
        node = sections.get(section_id)
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append({"code": node.code, "name": node.name})
            node = sections.get(node.parent_id) if node.parent_id else None
        return list(reversed(chain))

    return [
        {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "section_path": path(c.section_id),
            "unit": unit_ref(c.unit),
            "urgency": c.urgency,
            "urgency_display": str(c.get_urgency_display()),
            "evidence_required": c.evidence_required,
            "keywords": c.keywords,
            "is_active": c.is_active,
        }
        for c in items
    ]


#: What of a hand-over's payload those who may not see personal data are shown: never the raw payload,
#: whose shape the sender chose (an extra ``applicant.mobile``, ``applicant`` as text, a list body).
INTAKE_ALLOWED = ("external_id", "received_at", "category", "address", "text")


def _allowed_payload(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        return {}
    return {k: payload[k] for k in INTAKE_ALLOWED if isinstance(payload.get(k), str | int | float)}


def intake_record(rec: IntakeRecord, *, personal: bool) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "external_id": rec.external_id,
        "received_at": local(rec.received_at),
        "actor": user_ref(rec.actor),
        "outcome": rec.outcome,
        "outcome_display": str(rec.get_outcome_display()),
        "message": rec.message,
        "digest": rec.digest,
        "payload": rec.payload if personal else _allowed_payload(rec.payload),
        "request": {"id": rec.request.pk, "number": rec.request.number} if rec.request else None,
        "settled_at": local(rec.settled_at),
        "settled_by": user_ref(rec.settled_by),
        "decision": rec.decision or None,
    }
