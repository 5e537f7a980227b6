"""The procedure of order No. 170-р as code: one function per action of the lifecycle (docs/design.md 2).

Read this module and you know the procedure. :data:`RULES` is the one table of who may do what from which
state; every function below

1. locks the request (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction does it),
2. refuses a wrong person (:class:`Forbidden`) or a wrong state (:class:`Conflict`) with a clear message,
3. changes the request and writes exactly one append-only :class:`Event` in the same transaction,
4. schedules side effects (e-mail) to run after the commit.

Views, the API and the commands never change a request themselves: they call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zayavky import deadlines
from zayavky.accounts.models import User
from zayavky.cases import clock, dues, signing
from zayavky.cases.access import executors_of
from zayavky.cases.answers import current_answer
from zayavky.cases.dues import DUE_FIELDS
from zayavky.cases.errors import Conflict, Invalid, NotFound
from zayavky.cases.models import (
    Answer,
    Attachment,
    ContactAttempt,
    Event,
    Extension,
    Mail,
    OutgoingCounter,
    ServiceRequest,
    Status,
)
from zayavky.cases.rules import RULES, check
from zayavky.cases.signals import mail_queued
from zayavky.cases.validation import aware_datetime as _aware_datetime
from zayavky.cases.validation import choice as _choice
from zayavky.cases.validation import integer as _int
from zayavky.cases.validation import pk as _pk
from zayavky.cases.validation import text as _text
from zayavky.catalog.models import Category, Organisation, Unit, current_calendar

S = Status


def _record(
    request: ServiceRequest,
    actor: User | None,
    action: str,
    from_status: str,
    data: dict[str, Any],
    now: dt.datetime,
) -> Event:
    return Event.objects.create(
        request=request,
        at=now,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=request.status,
        data=data,
    )


def _transition(
    user: User,
    request_id: int,
    action: str,
    change: Callable[[ServiceRequest, dt.datetime], tuple[dict[str, Any], list[str]]],
    *,
    expected_status: str | None = None,
) -> ServiceRequest:
    """Lock, check, change, record: the frame every action runs in.

    ``change`` mutates the locked request and returns the event's data and the changed field names.
    """
    with transaction.atomic():
        try:
            request = (
                ServiceRequest.objects.select_for_update(of=("self",))
                .select_related("unit", "category", "executor")
                .get(pk=request_id)
            )
        except ServiceRequest.DoesNotExist:
            raise NotFound(_("No such request.")) from None
        check(user, action, request, expected_status)
        now = clock.now()
        from_status = request.status
        data, fields = change(request, now)
        rule = RULES[action]
        if rule.to_state is not None:
            request.status = rule.to_state
            fields = [*fields, "status"]
        fields = [*fields, *request.sync_dues()]  # the due that runs now follows every step
        if fields:
            request.save(update_fields=sorted({*fields, "updated_at"}))
        _record(request, user, action, from_status, data, now)
    return request


# --- helpers for the data of the actions --------------------------------------------------------------


def _executor_of(unit_id: int | None, executor_id: Any) -> User:
    """2.3: the head names an executor of the unit (an executor or the head himself)."""
    pk = _pk(executor_id)
    if pk is None:
        raise Invalid(_("Choose the executor."), fields={"executor": [_("Choose the executor.")]})
    person = executors_of([unit_id]).filter(pk=pk).first()
    if person is None:
        msg = _("This person is not an executor of the request's unit.")
        raise Invalid(msg, fields={"executor": [msg]})
    return person


def _who(user: User | None) -> dict[str, Any]:
    return {"id": user.pk, "name": user.short_name} if user else {}


# --- the actions ------------------------------------------------------------------------------------


def receive(actor: User | None, **fields: Any) -> ServiceRequest:
    """2.1: a request arrives from the Contact Center (the intake validates the fields before)."""
    with transaction.atomic():
        request = ServiceRequest.objects.create(status=S.NEW, **fields)
        _record(request, actor, "receive", "", {"number": request.number}, clock.now())
    return request


def route(
    user: User,
    request_id: int,
    *,
    category: Any,
    unit: Any = None,
    note: str = "",
    expected_status: str | None = None,
) -> ServiceRequest:
    """2.2: the general department forwards the request to the unit the Classifier names (or another one)."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        cat = Category.objects.filter(pk=_int(category, "category"), is_active=True).select_related("unit").first()
        if cat is None:
            msg = _("Choose an active request type of the Classifier.")
            raise Invalid(msg, fields={"category": [msg]})
        target: Unit | None = cat.unit
        if unit not in (None, "", cat.unit_id):
            target = Unit.objects.filter(pk=_int(unit, "unit"), is_active=True).first()
        if target is None or not target.is_active:
            # Also when the Classifier still names a unit that has been closed: the request would sit
            # in a queue nobody reads.
            raise Invalid(_("No such active unit."), fields={"unit": [_("No such active unit.")]})
        r.category, r.unit, r.urgency, r.executor = cat, target, cat.urgency, None
        # The term runs from receipt (or from the rework's return), not from routing.
        dues.compute_dues(r, r.term_started_at or r.received_at)
        r.routed_at = now
        data = {
            "category": cat.code,
            "unit": target.short_name,
            "urgency": r.urgency,
            "internal_due": r.internal_due.isoformat() if r.internal_due else None,
            "regulation_due": r.regulation_due.isoformat() if r.regulation_due else None,
        }
        if target.pk != cat.unit_id:
            data["classifier_unit"] = cat.unit.short_name
        if note:
            data["note"] = _text(note, "note", required=False)
        return data, ["category", "unit", "urgency", "executor", "routed_at", *DUE_FIELDS]

    return _transition(user, request_id, "route", change, expected_status=expected_status)


def take(user: User, request_id: int, *, expected_status: str | None = None) -> ServiceRequest:
    """2.3: the unit clerk prints the registration card and passes it to the head."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        r.card_printed_at = now
        return {"card_printed": True}, ["card_printed_at"]

    return _transition(user, request_id, "take", change, expected_status=expected_status)


def assign(user: User, request_id: int, *, executor: Any, expected_status: str | None = None) -> ServiceRequest:
    """2.3: the head of the unit names the executor."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        person = _executor_of(r.unit_id, executor)
        r.executor, r.assigned_at = person, now
        return {"executor": _who(person)}, ["executor", "assigned_at"]

    return _transition(user, request_id, "assign", change, expected_status=expected_status)


def reassign(
    user: User, request_id: int, *, executor: Any, reason: str = "", expected_status: str | None = None
) -> ServiceRequest:
    """2.3: the head names another executor."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        person = _executor_of(r.unit_id, executor)
        if person.pk == r.executor_id:
            msg = _("This person is already the executor.")
            raise Invalid(msg, fields={"executor": [msg]})
        data: dict[str, Any] = {"from": _who(r.executor), "executor": _who(person)}
        if reason:
            data["reason"] = _text(reason, "reason", required=False)
        r.executor, r.assigned_at = person, now
        return data, ["executor", "assigned_at"]

    return _transition(user, request_id, "reassign", change, expected_status=expected_status)


def contact(
    user: User,
    request_id: int,
    *,
    channel: Any,
    outcome: Any,
    note: str = "",
    expected_status: str | None = None,
) -> ServiceRequest:
    """2.10: the unit contacts the applicant; 2.11: failing to reach them is said in the answer."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        ch = _choice(channel, "channel", ContactAttempt.Channel.values)
        out = _choice(outcome, "outcome", ContactAttempt.Outcome.values)
        text = _text(note, "note", required=out == ContactAttempt.Outcome.OTHER)
        attempt = ContactAttempt.objects.create(request=r, at=now, actor=user, channel=ch, outcome=out, note=text)
        # The note may hold the applicant's words or numbers: it stays in the contact row, which anonymisation
        # reaches, never in the append-only history (`cases.appendonly`).
        return {"channel": ch, "outcome": out, "contact": attempt.pk}, []

    return _transition(user, request_id, "contact", change, expected_status=expected_status)


def _save_answer(r: ServiceRequest, user: User, text: Any, outcome: Any) -> Answer:
    body = _text(text, "text", max_length=20000)
    result = _choice(outcome, "outcome", Answer.Outcome.values)
    answer = Answer.objects.filter(request=r, round=r.rework_count).first()
    if answer is None:
        return Answer.objects.create(request=r, round=r.rework_count, text=body, outcome=result, author=user)
    if (answer.text, answer.outcome) != (body, result):
        # Whoever changes the wording becomes its author; the head submitting the executor's draft as it
        # stands does not (2.5: the executor prepares the answer, 2.6: the head submits it).
        answer.text, answer.outcome, answer.author = body, result, user
        answer.save(update_fields=["text", "outcome", "author", "updated_at"])
    return answer


def draft(
    user: User, request_id: int, *, text: Any, outcome: Any, expected_status: str | None = None
) -> ServiceRequest:
    """2.5: the executor prepares the written answer (saved as a draft; the head submits it)."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        answer = _save_answer(r, user, text, outcome)
        return {"outcome": answer.outcome, "length": len(answer.text)}, []

    return _transition(user, request_id, "draft", change, expected_status=expected_status)


def submit(
    user: User, request_id: int, *, text: Any = None, outcome: Any = None, expected_status: str | None = None
) -> ServiceRequest:
    """2.6: the head personally submits the answer for signature; 2.5: photos or an act where required."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        answer: Answer | None
        if text is not None or outcome is not None:
            answer = _save_answer(r, user, text, outcome)
        else:
            answer = current_answer(r)
        if answer is None:
            msg = _("Write the answer to the applicant before submitting it (2.5).")
            raise Invalid(msg, fields={"text": [msg]})
        if r.category and r.category.evidence_required:
            has_evidence = r.attachments.filter(
                round=r.rework_count, kind__in=(Attachment.Kind.PHOTO, Attachment.Kind.ACT)
            ).exists()
            if not has_evidence:
                msg = _("This request type needs photos of the completed work or an act of execution (2.5).")
                raise Invalid(msg, code="evidence_required", fields={"files": [msg]})
        r.submitted_at = now
        return {"outcome": answer.outcome}, ["submitted_at"]

    return _transition(user, request_id, "submit", change, expected_status=expected_status)


def return_(user: User, request_id: int, *, comment: Any, expected_status: str | None = None) -> ServiceRequest:
    """The signatory sends the answer back to the unit with a comment."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        return {"comment": _text(comment, "comment")}, []

    return _transition(user, request_id, "return", change, expected_status=expected_status)


def _next_outgoing_number(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    counter, _created = OutgoingCounter.objects.select_for_update().get_or_create(year=year)
    OutgoingCounter.objects.filter(pk=counter.pk).update(last=counter.last + 1)
    return f"{counter.last + 1}/{year % 100:02d}"


def sign(user: User, request_id: int, *, expected_status: str | None = None) -> ServiceRequest:
    """2.4: the signatory under the distribution of duties signs; 2.8: executed, removed from control."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        r.signed_at, r.signed_by = now, user
        r.outgoing_number = _next_outgoing_number(now)
        # What was signed, so that a later change to the answer shows (the interfaces confirmed the signer).
        r.signed_sha256 = signing.content_digest(r)
        return {"outgoing_number": r.outgoing_number, "removed_from_control": True, "sha256": r.signed_sha256}, [
            "signed_at",
            "signed_by",
            "outgoing_number",
            "signed_sha256",
        ]

    return _transition(user, request_id, "sign", change, expected_status=expected_status)


def hand_over(user: User, request_id: int, *, expected_status: str | None = None) -> ServiceRequest:
    """2.7: the unit hands the signed answer, documents and card to the general department and e-mails
    the electronic version to the general department's mailbox."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        r.handed_over_at = now
        org = Organisation.current()
        # An official letter to the general department: in the office's language, whichever language the
        # clerk's own pages are shown in.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Answer to request %(number)s, outgoing No. %(out)s") % {
                "number": r.number,
                "out": r.outgoing_number,
            }
            body = _("The electronic version of the signed answer to request %(number)s (order 170-р, p. 2.7).") % {
                "number": r.number
            }
        mail = Mail.objects.create(
            request=r,
            kind="answer_e_version",
            to=org.general_mailbox,
            subject=subject,
            body=body,
            attach_answer=True,
        )
        transaction.on_commit(lambda: mail_queued.send(Mail, mail_ids=[mail.pk]))
        late = r.control_due is not None and deadlines.is_late(now, r.control_due)
        return {"mail_to": org.general_mailbox, "unit_late": late}, ["handed_over_at"]

    return _transition(user, request_id, "hand_over", change, expected_status=expected_status)


def publish(user: User, request_id: int, *, note: str = "", expected_status: str | None = None) -> ServiceRequest:
    """2.9: the general department posts the answer into the Contact Center's forms."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        r.published_at = now
        due = r.district_due
        data: dict[str, Any] = {"district_late": due is not None and deadlines.is_late(now, due)}
        if note:
            data["note"] = _text(note, "note", required=False)
        return data, ["published_at"]

    return _transition(user, request_id, "publish", change, expected_status=expected_status)


def rework(user: User, request_id: int, *, reason: Any, expected_status: str | None = None) -> ServiceRequest:
    """The Contact Center returned the request (the applicant did not confirm the result): back to the same
    unit and executor, a new term counted from now with the request's urgency (docs/design.md 3)."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        why = _text(reason, "reason")
        r.rework_count += 1
        dues.compute_dues(r, now)
        r.submitted_at = r.signed_at = r.handed_over_at = r.published_at = None
        r.signed_by = None
        r.outgoing_number = ""
        return {
            "reason": why,
            "round": r.rework_count,
            "internal_due": r.internal_due.isoformat() if r.internal_due else None,
        }, [
            "rework_count",
            "submitted_at",
            "signed_at",
            "signed_by",
            "handed_over_at",
            "published_at",
            "outgoing_number",
            *DUE_FIELDS,
        ]

    return _transition(user, request_id, "rework", change, expected_status=expected_status)


def withdraw(user: User, request_id: int, *, reason: Any, expected_status: str | None = None) -> ServiceRequest:
    """The Contact Center cancelled the request."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        r.withdrawn_at = now
        return {"reason": _text(reason, "reason")}, ["withdrawn_at"]

    return _transition(user, request_id, "withdraw", change, expected_status=expected_status)


RETURN_REASONS = {
    "wrong_unit": gettext_lazy("the request belongs to another unit"),
    "not_competent": gettext_lazy("the issue is not within the competence of the district executive committee"),
}


def return_to_general(
    user: User, request_id: int, *, reason: Any, comment: Any, expected_status: str | None = None
) -> ServiceRequest:
    """2.2: a request sent to the wrong unit, or not within competence, goes back to be routed again."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        kind = _choice(reason, "reason", RETURN_REASONS)
        data = {
            "reason": kind,
            "comment": _text(comment, "comment"),
            "unit": r.unit.short_name if r.unit else "",
        }
        r.unit, r.executor = None, None
        return data, ["unit", "executor"]

    return _transition(user, request_id, "return_to_general", change, expected_status=expected_status)


def extend(
    user: User, request_id: int, *, new_due: Any, justification: Any, expected_status: str | None = None
) -> ServiceRequest:
    """2.13: an emergency request that cannot be executed at once — within 12 hours, with a justification
    and a concrete date, by at most two working days."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        if r.urgency != deadlines.Urgency.EMERGENCY:
            raise Conflict(_("Only an emergency request's term can be extended (2.13)."), code="not_emergency")
        why = _text(justification, "justification")
        when = _aware_datetime(new_due, "new_due")
        start = dues.term_start(r)
        current = r.control_due or r.internal_due
        assert current is not None and r.regulation_due is not None
        try:
            deadlines.check_extension(
                start,
                current,
                r.regulation_due,
                when,
                now,
                calendar=current_calendar(),
                terms=Organisation.current().terms(),
            )
        except deadlines.ExtensionRefused as refused:
            if refused.code == "too_late":
                raise Conflict(refused.message, code="extension_too_late") from None
            raise Invalid(
                refused.message, code=f"extension_{refused.code}", fields={"new_due": [refused.message]}
            ) from None
        Extension.objects.create(
            request=r, decided_at=now, decided_by=user, previous_due=current, new_due=when, justification=why
        )
        r.extended_due = r.control_due = when
        return {"from": current.isoformat(), "to": when.isoformat(), "justification": why}, [
            "extended_due",
            "control_due",
        ]

    return _transition(user, request_id, "extend", change, expected_status=expected_status)


def comment(user: User, request_id: int, *, text: Any, expected_status: str | None = None) -> ServiceRequest:
    """A note on the request, for everyone who handles it."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        return {"text": _text(text, "text", max_length=5000)}, []

    return _transition(user, request_id, "comment", change, expected_status=expected_status)


def attach(
    user: User, request_id: int, *, upload: Any, kind: Any, expected_status: str | None = None
) -> tuple[ServiceRequest, Attachment]:
    """2.5: photos of the completed work, acts of execution, scans — checked by content, size-limited."""
    from zayavky.cases.files import store_upload

    made: list[Attachment] = []

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        k = _choice(kind, "kind", Attachment.Kind.values)
        attachment = store_upload(r, user, upload, k, now)
        made.append(attachment)
        return {"file": attachment.original_name, "kind": k, "size": attachment.size, "id": attachment.pk}, []

    request = _transition(user, request_id, "attach", change, expected_status=expected_status)
    return request, made[0]


#: Request fields a settled intake conflict may replace with the new version's (2.1); the Contact Center's
#: number is what makes it the same request and never changes.
INTAKE_FIELDS = (
    "received_at",
    "text",
    "address",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)
SETTLE_DECISIONS = {
    "take_new": gettext_lazy("the new version is taken"),
    "keep": gettext_lazy("the stored version is kept"),
    "dismiss": gettext_lazy("the new version is dismissed"),
}


def settle_intake(
    user: User,
    request_id: int,
    *,
    record_id: int,
    decision: Any,
    changes: dict[str, Any] | None = None,
    expected_status: str | None = None,
) -> ServiceRequest:
    """2.1: the general department settles a hand-over that came under a known number with other content
    (``zayavky.contactcenter.settle`` calls this with the new version's values): ``take_new`` replaces the
    differing fields, ``keep`` and ``dismiss`` change nothing; the history row says which, and which fields."""

    def change(r: ServiceRequest, now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
        kind = _choice(decision, "decision", SETTLE_DECISIONS)
        new = changes or {}
        if kind != "take_new" and new:
            raise Invalid(_("Only taking the new version changes the request."), fields={"decision": []})
        unknown = sorted(set(new) - set(INTAKE_FIELDS))
        if unknown:
            raise Invalid(_("These fields do not come from the Contact Center: %(f)s.") % {"f": ", ".join(unknown)})
        changed = sorted(name for name, value in new.items() if getattr(r, name) != value)
        for name in changed:
            setattr(r, name, new[name])
        fields = list(changed)
        if "received_at" in changed and r.rework_count == 0 and r.internal_due is not None:
            # The term runs from receipt (2.12): a corrected time of receipt moves the dues; an extension
            # decided under 2.13 stays as it was decided.
            extended = r.extended_due
            dues.compute_dues(r, r.received_at)
            if extended is not None:
                r.extended_due = r.control_due = extended
            fields += DUE_FIELDS
        # Field names only: the values are the applicant's personal data, kept in the intake log.
        return {"record": record_id, "decision": kind, "fields": changed}, fields

    return _transition(user, request_id, "settle_intake", change, expected_status=expected_status)


def erase_personal_data(request_id: int) -> dict[str, int]:
    """Law «On Personal Data Protection», art. 6: after the retention period the system anonymises the
    applicant's data in the request and every registered copy (`cases.anonymise`); one history row says
    so, naming no value. Not a person's action: the worker and `zayavky anonymise` call it."""
    from zayavky.cases import anonymise

    with transaction.atomic():
        r = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
        if r.personal_data_erased_at is not None:
            return {}
        now = clock.now()
        counts = anonymise.erase_related(r)  # before the request's own values go: they are what is looked for
        for name, value in anonymise.ERASED.items():
            setattr(r, name, value)
        r.personal_data_erased_at = now
        r.save(update_fields=[*anonymise.ERASED, "personal_data_erased_at", "updated_at"])
        _record(r, None, "anonymise", r.status, {"rows": counts}, now)
    return counts


#: The steps offered on a request's page and as /api/v1/requests/{id}/{action} (they dispatch through this).
ACTIONS: dict[str, Callable[..., Any]] = {
    "route": route,
    "take": take,
    "assign": assign,
    "reassign": reassign,
    "contact": contact,
    "draft": draft,
    "submit": submit,
    "return": return_,
    "sign": sign,
    "hand_over": hand_over,
    "publish": publish,
    "rework": rework,
    "withdraw": withdraw,
    "return_to_general": return_to_general,
    "extend": extend,
    "comment": comment,
    "attach": attach,
}
#: Every action of the table, the offered steps and those taken from elsewhere.
ALL_ACTIONS: dict[str, Callable[..., Any]] = {**ACTIONS, "settle_intake": settle_intake}
assert set(ALL_ACTIONS) == set(RULES), "every rule has its function"
assert set(ACTIONS) == {a for a, rule in RULES.items() if rule.offered}, "every offered step is dispatched"
