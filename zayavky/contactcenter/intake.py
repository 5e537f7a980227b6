"""The Contact Center hands a request over (2.1): ``POST /api/v1/intake``.

Every hand-over is written to the intake log (:class:`IntakeRecord`) with the payload as it came — created,
repeated, conflicting or refused — so nothing a resident sent is ever silently lost (docs/design.md 5).

- A new Contact Center number: the request is received (``workflow.receive``); 201.
- The same number with the same content (a retry after a lost answer): the same request; 200.
- The same number with other content: 409; the payload stays in the log for the general department.
- Bad data: 422 naming each wrong field; a body that is not JSON: 400. Both logged as refused.

"The same content" is the SHA-256 of the normalised payload (phone in E.164, times in UTC, text trimmed), so
a retry that only formats the phone differently is still the same request. A suggested Classifier type is
only remembered (in the log's payload, shown with the request): the general department routes (2.2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from zayavky.accounts.models import Role, User
from zayavky.cases import workflow
from zayavky.cases.errors import Conflict, Forbidden, Invalid, TooLarge, WorkflowError
from zayavky.cases.fields import Moment, Text, fields_from, printable, refuse, summary
from zayavky.cases.models import ServiceRequest
from zayavky.catalog.models import Category
from zayavky.contactcenter.models import IntakeRecord

#: Clocks differ: a request "received" a little in the future is a clock skew, more is a mistake.
CLOCK_SKEW = dt.timedelta(minutes=5)
#: No request reached the district before this: an older "time of receipt" is a mistake (or 1900-01-01
#: +14:00, which Kyiv's pre-1924 local mean time would show with the offset +02:02:04).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Who may hand requests over: the general department (by hand) and the Contact Center's account.
INTAKE_ROLES = frozenset({Role.GENERAL, Role.INTEGRATION})


def _phone(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "UA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise refuse(_("Not a valid phone number (e.g. +380671234567 or 067 123 45 67)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except DjangoValidationError:
        raise refuse(_("Not a valid e-mail address.")) from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=255)
    phone: Text | None = Field(None, max_length=64, description="Normalised to E.164 (region UA).")
    email: Text | None = Field(None, max_length=254, description="2.10.2: may be absent.")
    address: Text | None = Field(None, max_length=500, description="The applicant's postal address.")

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str | None) -> str:
        return _phone(value)

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str | None) -> str:
        return _email(value)


class IntakeIn(BaseModel):
    """A request as the Contact Center hands it over (2.1)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_id: Text = Field(min_length=1, max_length=64, description="The Contact Center's number.")
    received_at: Moment = Field(
        description=(
            "When it reached the district, ISO 8601 with UTC offset; not before 2000-01-01T00:00Z and not more "
            "than 5 minutes ahead of the server's clock (422 otherwise)."
        )
    )
    text: Text = Field(min_length=1, max_length=20000)
    address: Text | None = Field(None, max_length=500, description="Where the problem is.")
    applicant: ApplicantIn
    category: Text | None = Field(
        None, max_length=32, description="Suggested Classifier type code; an unknown one is kept, not used."
    )

    @field_validator("text")
    @classmethod
    def _one_kind_of_newline(cls, value: str) -> str:
        # A retry from another system may send CR LF for LF: still the same text.
        return value.replace("\r\n", "\n").replace("\r", "\n")

    @field_validator("received_at")
    @classmethod
    def _not_future(cls, value: dt.datetime) -> dt.datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise refuse(_("The time of receipt is in the future."))
        if value < EARLIEST:
            raise refuse(_("The time of receipt is before the system could have received anything."))
        return value

    @field_validator("category")
    @classmethod
    def _suggestion(cls, value: str | None) -> str | None:
        # Only a suggestion (the general department routes, 2.2): a code the Classifier does not know is kept
        # in the log with the hand-over and shown as unknown, never a reason to refuse a resident's request.
        return value or None


def normalised(payload: IntakeIn) -> dict[str, Any]:
    """The content that decides "the same request": every field in one canonical form."""
    a = payload.applicant
    return {
        "external_id": payload.external_id,
        "received_at": payload.received_at.astimezone(dt.UTC).isoformat(),
        "text": payload.text,
        "address": payload.address or "",
        "applicant": {
            "name": a.name,
            "phone": a.phone or "",
            "email": a.email or "",
            "address": a.address or "",
        },
        "category": payload.category or "",
    }


def normalised_request(request: ServiceRequest) -> dict[str, Any]:
    """The same canonical form, read back from a request already received."""
    return {
        "external_id": request.number,
        "received_at": request.received_at.astimezone(dt.UTC).isoformat(),
        "text": request.text,
        "address": request.address,
        "applicant": {
            "name": request.applicant_name,
            "phone": request.applicant_phone,
            "email": request.applicant_email,
            "address": request.applicant_address,
        },
        "category": suggested_category_code(request),
    }


def digest(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def suggested_category_code(request: ServiceRequest) -> str:
    """The Classifier type the Contact Center suggested when it handed the request over, if any."""
    record = IntakeRecord.objects.filter(request=request, outcome=IntakeRecord.Outcome.CREATED).only("payload").first()
    payload = record.payload if record else None
    code = payload.get("category") if isinstance(payload, dict) else None
    return code.strip() if isinstance(code, str) else ""


def suggested_category(request: ServiceRequest) -> Category | None:
    code = suggested_category_code(request)
    return Category.objects.filter(code=code).first() if code else None


def _differences(new: dict[str, Any], old: dict[str, Any], prefix: str = "") -> list[str]:
    names = []
    for key in sorted(set(new) | set(old)):
        a, b = new.get(key), old.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            names += _differences(a, b, f"{prefix}{key}.")
        elif a != b:
            names.append(f"{prefix}{key}")
    return names


def _storable(value: Any) -> Any:
    """The payload as received, made storable: PostgreSQL's jsonb refuses the NUL character and NaN, and
    no database takes a lone surrogate."""
    if isinstance(value, str):
        return printable(value, limit=len(value) + 1)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _as_received(data: Any, raw: bytes) -> Any:
    if data is None:  # a JSON null would be stored as SQL NULL: keep the text instead
        return {"raw_body": printable(raw.decode("utf-8", errors="replace"), limit=len(raw) + 1)}
    try:
        return _storable(data)
    except RecursionError:  # nested deeper than anyone means: kept as the text it came as
        return {"raw_body": printable(raw.decode("utf-8", errors="replace"), limit=len(raw) + 1)}


def _external_id(data: Any) -> str:
    value = data.get("external_id") if isinstance(data, dict) else None
    return printable(str(value)).strip()[:64] if isinstance(value, str | int) else ""


@dataclass
class Outcome:
    """What became of a hand-over: the request and whether it was new (201) or a repeat (200)."""

    request: ServiceRequest
    created: bool
    record: IntakeRecord


def _log(
    actor: User, outcome: str, payload: Any, raw: bytes, dig: str, message: str = "", **extra: Any
) -> IntakeRecord:
    return IntakeRecord.objects.create(
        actor=actor,
        external_id=_external_id(payload),
        payload=_as_received(payload, raw),
        digest=dig,
        outcome=outcome,
        message=printable(message, limit=5000),
        **extra,
    )


def _refuse(actor: User, payload: Any, raw: bytes, error: WorkflowError) -> WorkflowError:
    details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.fields.items())
    _log(
        actor,
        IntakeRecord.Outcome.REJECTED,
        payload,
        raw,
        hashlib.sha256(raw).hexdigest(),
        f"{error.message}\n{details}".strip(),
    )
    return error


def accept(actor: User, http_request: HttpRequest) -> Outcome:
    """Take one hand-over from the Contact Center (2.1). Raises a WorkflowError for what is refused."""
    if not (actor.roles() & INTAKE_ROLES):
        raise Forbidden(
            _("Only the general department and the Contact Center's account hand requests over (2.1, 2.2)."),
            code="wrong_person",
        )
    error: WorkflowError
    try:
        raw = http_request.body
    except RequestDataTooBig:
        error = TooLarge(_("The request body is too large."))
        raise _refuse(actor, {"raw_body": "(too large to keep)"}, b"", error) from None
    except RawPostDataException:  # a form was posted, and already read as one (the CSRF check does)
        error = WorkflowError(_("The request body is not valid JSON."), code="malformed")
        form = {k: v for k, v in http_request.POST.dict().items() if k != "csrfmiddlewaretoken"}
        raise _refuse(actor, {"form": _storable(form)}, b"", error) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        error = WorkflowError(_("The request body is not valid JSON."), code="malformed")
        raise _refuse(actor, {"raw_body": raw.decode("utf-8", errors="replace")}, raw, error) from None
    try:
        payload = IntakeIn.model_validate(data)
    except ValidationError as exc:
        fields = fields_from(exc.errors(include_url=False))
        raise _refuse(actor, data, raw, Invalid(summary(fields), code="invalid", fields=fields)) from None

    content = normalised(payload)
    dig = digest(content)
    existing = _existing(payload.external_id)
    if existing is None:
        try:
            with transaction.atomic():
                request = workflow.receive(
                    actor,
                    number=payload.external_id,
                    received_at=payload.received_at,
                    text=payload.text,
                    address=content["address"],
                    applicant_name=payload.applicant.name,
                    applicant_phone=content["applicant"]["phone"],
                    applicant_email=content["applicant"]["email"],
                    applicant_address=content["applicant"]["address"],
                )
                message = _("Suggested type: %(code)s.") % {"code": payload.category} if payload.category else ""
                record = _log(actor, IntakeRecord.Outcome.CREATED, data, raw, dig, message, request=request)
            return Outcome(request, True, record)
        except IntegrityError:
            # Two hand-overs of one number at once: the unique number let one in; this one is a repeat.
            existing = _existing(payload.external_id)
            if existing is None:
                raise
    return _repeat(actor, data, raw, dig, content, existing)


def _existing(number: str) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(number=number).first()


def _repeat(actor: User, data: Any, raw: bytes, dig: str, content: dict[str, Any], existing: ServiceRequest) -> Outcome:
    if digest(normalised_request(existing)) == dig:
        record = _log(actor, IntakeRecord.Outcome.DUPLICATE, data, raw, dig, request=existing)
        return Outcome(existing, False, record)
    differ = _differences(content, normalised_request(existing))
    message = _(
        "Request %(number)s was already received with other content; this version is kept in the intake log "
        "for the general department."
    ) % {"number": existing.number}
    _log(
        actor,
        IntakeRecord.Outcome.CONFLICT,
        data,
        raw,
        dig,
        f"{message}\n{', '.join(differ)}",
        request=existing,
    )
    differs = _("Differs from the request already received.")
    raise Conflict(message, code="intake_conflict", fields={name: [differs] for name in differ})
