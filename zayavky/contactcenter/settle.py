"""Settling the intake log (2.1): what the general department decides about a hand-over that was not simply
taken in — one function for every way in (the API, the pages, the administration).

- A conflict (a known number with other content): take the new version (the request's differing fields
  are replaced), keep the stored one, or dismiss the new one. Each is the workflow's ``settle_intake`` on
  the request, so the request's history says who decided what and when.
- A refused hand-over (invalid data, no request made): dismissed, once the Contact Center has been asked to
  send it again; the record keeps what came.
A record is settled once; settling it again is refused.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from zayavky.accounts.models import User
from zayavky.cases import rules, workflow
from zayavky.cases.errors import Conflict, Forbidden, Invalid, NotFound
from zayavky.cases.fields import fields_from, summary
from zayavky.contactcenter.intake import IntakeIn, normalised
from zayavky.contactcenter.models import IntakeRecord

D = IntakeRecord.Decision
#: Who settles (the workflow's table says the same for the request's history row: rules.RULES["settle_intake"]).
SETTLERS = frozenset(role for role, _scope in rules.RULES["settle_intake"].who)
#: What may be decided about each kind of record.
ALLOWED: dict[str, tuple[str, ...]] = {
    IntakeRecord.Outcome.CONFLICT: (D.TAKE_NEW, D.KEEP, D.DISMISS),
    IntakeRecord.Outcome.REJECTED: (D.DISMISS,),
}


def new_version(record: IntakeRecord) -> dict[str, Any]:
    """The request's fields as the conflicting hand-over has them (validated again, as at intake)."""
    try:
        payload = IntakeIn.model_validate(record.payload)
    except ValidationError as exc:  # e.g. a Classifier code retired since: the hand-over cannot be taken
        fields = fields_from(exc.errors(include_url=False))
        raise Invalid(summary(fields), code="invalid", fields=fields) from None
    content = normalised(payload)
    return {
        "received_at": payload.received_at,
        "text": payload.text,
        "address": content["address"],
        "applicant_name": payload.applicant.name,
        "applicant_phone": content["applicant"]["phone"],
        "applicant_email": content["applicant"]["email"],
        "applicant_address": content["applicant"]["address"],
    }


def settle(user: User, record_id: int, decision: str | None = None) -> IntakeRecord:
    """Decide about one record of the intake log; ``decision`` defaults to keeping the stored request (a
    conflict) or dismissing (a refused hand-over)."""
    if not user.roles() & SETTLERS:
        raise Forbidden(_("Only the general department settles the intake log."), code="wrong_person")
    with transaction.atomic():
        record = IntakeRecord.objects.select_for_update().filter(pk=record_id).first()
        if record is None:
            raise NotFound(_("No such record of the intake log."))
        allowed = ALLOWED.get(record.outcome, ())
        if record.settled_at is not None or not allowed:
            raise Conflict(_("This record is already settled, or needs no settling."), code="wrong_state")
        kind = decision or (D.KEEP if record.outcome == IntakeRecord.Outcome.CONFLICT else D.DISMISS)
        if kind not in allowed:
            msg = _("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}
            raise Invalid(msg, fields={"decision": [msg]})
        if record.request_id is not None:
            changes = new_version(record) if kind == D.TAKE_NEW else {}
            workflow.settle_intake(user, record.request_id, record_id=record.pk, decision=kind, changes=changes)
        record.settled_at, record.settled_by, record.decision = timezone.now(), user, kind
        record.save(update_fields=["settled_at", "settled_by", "decision"])
    return record
