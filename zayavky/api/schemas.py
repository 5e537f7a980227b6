"""What the API takes and gives, as pydantic schemas: they validate the input and write the OpenAPI document.

Inputs refuse unknown fields (a misspelt ``expected_staus`` must not be ignored in silence). The actions'
data are checked here for shape and type; the rules of the procedure (who, when, which executor) are
checked by the workflow functions the API calls.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from zayavky.api.fields import ID, YEARS, IdOrCode, Moment, Text, is_id_text, refuse
from zayavky.cases.models import Answer, Attachment, ContactAttempt, Status
from zayavky.cases.workflow import RETURN_REASONS
from zayavky.contactcenter.models import IntakeRecord

if TYPE_CHECKING:
    # The choices are read from the models when the module runs; to a type checker they are strings.
    StatusName: TypeAlias = str
    ChannelName: TypeAlias = str
    ContactOutcome: TypeAlias = str
    AnswerOutcome: TypeAlias = str
    ReturnReason: TypeAlias = str
    FileKind: TypeAlias = str
    IntakeOutcome: TypeAlias = str
else:
    StatusName = Literal[tuple(Status.values)]
    ChannelName = Literal[tuple(ContactAttempt.Channel.values)]
    ContactOutcome = Literal[tuple(ContactAttempt.Outcome.values)]
    AnswerOutcome = Literal[tuple(Answer.Outcome.values)]
    ReturnReason = Literal[tuple(RETURN_REASONS)]
    FileKind = Literal[tuple(Attachment.Kind.values)]
    IntakeOutcome = Literal[tuple(IntakeRecord.Outcome.values)]


# --- errors ------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str = Field(description="Stable machine-readable reason, e.g. wrong_state, wrong_person, invalid.")
    message: str = Field(description="What went wrong, in the caller's language (Ukrainian by default).")
    fields: dict[str, list[str]] = Field(description="Messages per field; `__all__` for the whole input.")


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


# --- the actions' data -------------------------------------------------------------------------------


class ActionIn(Schema):
    """Every action takes ``expected_status``: the state the caller saw; if it moved on meanwhile, 409."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    expected_status: StatusName | None = Field(
        default=None, description="Refuse (409) unless the request is in this state."
    )


class RouteIn(ActionIn):
    category: IdOrCode = Field(description="The Classifier type: its id (number) or its code (text). 2.2")
    unit: ID | None = Field(None, description="Another unit than the one the Classifier names.")
    note: Text = Field("", max_length=2000)


class AssignIn(ActionIn):
    executor: ID = Field(description="The person (id) who will execute the request (2.3).")


class ReassignIn(AssignIn):
    reason: Text = Field("", max_length=2000)


class ContactIn(ActionIn):
    channel: ChannelName
    outcome: ContactOutcome = Field(description="2.11: an applicant who cannot be reached goes into the answer.")
    note: Text = Field("", max_length=5000)


class DraftIn(ActionIn):
    text: Text = Field(min_length=1, max_length=20000, description="The answer to the applicant (2.5).")
    outcome: AnswerOutcome


class SubmitIn(ActionIn):
    """Submit the saved draft, or give the answer with the submission (2.6)."""

    text: Text | None = Field(None, min_length=1, max_length=20000)
    outcome: AnswerOutcome | None = None


class ReturnIn(ActionIn):
    comment: Text = Field(min_length=1, max_length=5000, description="Why the signatory sends it back.")


class ReasonIn(ActionIn):
    reason: Text = Field(min_length=1, max_length=5000)


class ReturnToGeneralIn(ActionIn):
    reason: ReturnReason = Field(description="wrong_unit or not_competent (2.2).")
    comment: Text = Field(min_length=1, max_length=5000)


class ExtendIn(ActionIn):
    new_due: Moment = Field(description="The concrete new due, with its UTC offset (2.13).")
    justification: Text = Field(min_length=1, max_length=5000)


class SignIn(ActionIn):
    """2.4, 2.8: signing removes the request from control, so it is confirmed deliberately."""

    confirmation: str = Field(
        min_length=1,
        max_length=128,
        description=(
            "The signatory's current code of the second factor (TOTP, or a recovery code); for a signatory "
            "without a second factor, the password. A wrong one: 422 with `fields.confirmation`."
        ),
    )


class PublishIn(ActionIn):
    note: Text = Field("", max_length=2000)


class CommentIn(ActionIn):
    text: Text = Field(min_length=1, max_length=5000)


#: The data each action of the workflow takes through the API (``attach`` has its own multipart endpoint).
ACTION_INPUT: dict[str, type[ActionIn]] = {
    "route": RouteIn,
    "take": ActionIn,
    "assign": AssignIn,
    "reassign": ReassignIn,
    "contact": ContactIn,
    "draft": DraftIn,
    "submit": SubmitIn,
    "return": ReturnIn,
    "sign": SignIn,
    "hand_over": ActionIn,
    "publish": PublishIn,
    "rework": ReasonIn,
    "withdraw": ReasonIn,
    "return_to_general": ReturnToGeneralIn,
    "extend": ExtendIn,
    "comment": CommentIn,
}


# --- query parameters --------------------------------------------------------------------------------

_DATE_START = re.compile(r"^(\d{4})-")


def _query_text(value: str | None, *, digits_only: bool = False, allow: tuple[str, ...] = ()) -> str | None:
    """Refuse what `zayavky.cases.queries` would turn into a database error rather than a 422."""
    if value is None:
        return None
    if "\x00" in value:
        raise refuse(_("The text contains a NUL character."))
    stripped = value.strip()
    if digits_only and stripped and stripped not in allow and not is_id_text(stripped):
        raise refuse(_("Expected a number."))
    if not digits_only and stripped.isdigit() and not is_id_text(stripped):
        raise refuse(_("Expected a number."))
    return value


def _query_date(value: str | None) -> str | None:
    if value is None or not value.strip():
        return value
    match = _DATE_START.match(value.strip())
    if match and not YEARS[0] <= int(match.group(1)) <= YEARS[1]:
        raise refuse(_("The date is out of range."))
    return _query_text(value)


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200, description="At most 200.")


class RequestFilters(Paging):
    """The filters of the request lists (one definition: `zayavky.cases.queries`)."""

    status: str | None = Field(None, max_length=200, description="A status or a comma-separated list.")
    unit: str | None = Field(None, max_length=20, description="Unit id.")
    category: str | None = Field(None, max_length=64, description="Classifier type: id or code.")
    urgency: str | None = Field(None, max_length=20)
    executor: str | None = Field(None, max_length=20, description="Person id, or `me`.")
    overdue: str | None = Field(None, max_length=10, description="1: only the overdue ones.")
    due_before: str | None = Field(None, max_length=40, description="Unit's due on or before (date or datetime).")
    due_after: str | None = Field(None, max_length=40)
    received_from: str | None = Field(None, max_length=40, description="Received on or after (date).")
    received_to: str | None = Field(None, max_length=40)
    q: str | None = Field(None, max_length=200, description="Words searched in number, text, address, applicant.")
    ordering: str | None = Field(
        None, max_length=20, description="due (default), -due, received, -received, number, -number."
    )

    @field_validator("unit", "executor")
    @classmethod
    def _ids(cls, value: str | None) -> str | None:
        return _query_text(value, digits_only=True, allow=("me",))

    @field_validator("status", "category", "urgency", "overdue", "q", "ordering")
    @classmethod
    def _texts(cls, value: str | None) -> str | None:
        return _query_text(value)

    @field_validator("due_before", "due_after", "received_from", "received_to")
    @classmethod
    def _dates(cls, value: str | None) -> str | None:
        return _query_date(value)

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump(exclude={"page", "page_size", "ordering"}).items() if v}


class CategoryFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words searched in the name, keywords and code.")
    include_retired: bool = Field(False, description="Also the retired types (kept for old requests).")

    @field_validator("q")
    @classmethod
    def _q(cls, value: str | None) -> str | None:
        return _query_text(value)


class IntakeLogFilters(Paging):
    outcome: IntakeOutcome | None = None
    settled: bool | None = Field(None, description="Only the settled (true) or unsettled (false) ones.")
    external_id: str | None = Field(None, max_length=64)

    @field_validator("external_id")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _query_text(value)


# --- what the API gives ------------------------------------------------------------------------------


class UserRef(Schema):
    id: int
    name: str


class UnitRef(Schema):
    id: int
    short_name: str
    name: str


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class SectionRef(Schema):
    code: str
    name: str


class RequestSummary(Schema):
    id: int
    number: str = Field(description="The Contact Center's number.")
    status: str
    status_display: str
    received_at: dt.datetime
    text: str
    address: str
    applicant_name: str | None = Field(description="Personal data: null for those who may not see it.")
    category: CategoryRef | None
    unit: UnitRef | None
    urgency: str
    executor: UserRef | None
    control_due: dt.datetime | None = Field(description="The due that binds the unit now.")
    regulation_due: dt.datetime | None
    overdue: bool
    rework_count: int


class RequestPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RequestSummary]


class ApplicantOut(Schema):
    name: str | None = Field(description="Personal data: null for those who may not see it (the controller).")
    phone: str | None = Field(description="Personal data: null for those who may not see it.")
    email: str | None
    address: str | None


class StagesOut(Schema):
    routed_at: dt.datetime | None
    card_printed_at: dt.datetime | None
    assigned_at: dt.datetime | None
    submitted_at: dt.datetime | None
    signed_at: dt.datetime | None
    handed_over_at: dt.datetime | None
    published_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class ExtensionWindowOut(Schema):
    decide_by: dt.datetime = Field(description="An extension is decided until then: received + 12 h (2.13).")
    latest_due: dt.datetime = Field(description="The latest new due allowed (2 working days, 2.13).")
    open: bool


class DuesOut(Schema):
    term_started_at: dt.datetime | None
    internal: dt.datetime | None = Field(description="Order 170-р due, binds the unit (2.12).")
    regulation: dt.datetime | None = Field(description="The city Regulation's due, binds the district.")
    extended: dt.datetime | None = Field(description="2.13")
    control_due: dt.datetime | None
    binding_regulation_due: dt.datetime | None
    time_left_seconds: int | None = Field(description="Until the due that runs now; negative when overdue.")
    overdue: bool
    under_control: bool = Field(description="2.8: signing removes a request from control.")
    unit_late: bool | None
    district_late: bool | None
    extension_window: ExtensionWindowOut | None = Field(description="Emergency requests only (2.13).")


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: UserRef | None
    action: str
    from_status: str
    to_status: str
    data: dict[str, Any]


class ContactOut(Schema):
    id: int
    at: dt.datetime
    actor: UserRef | None
    channel: str
    outcome: str
    note: str


class AnswerOut(Schema):
    round: int
    text: str
    outcome: str
    outcome_display: str
    author: UserRef | None
    updated_at: dt.datetime


class FileOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    round: int
    uploaded_by: UserRef | None
    uploaded_at: dt.datetime
    url: str = Field(description="Served after the same access check as the request.")


class ExtensionOut(Schema):
    decided_at: dt.datetime
    decided_by: UserRef | None
    previous_due: dt.datetime
    new_due: dt.datetime
    justification: str


class RequestDetail(RequestSummary):
    urgency_display: str
    applicant: ApplicantOut
    personal_data_shown: bool
    suggested_category: SectionRef | None = Field(
        description="The type the Contact Center suggested; the general department still routes (2.2)."
    )
    outgoing_number: str
    signed_by: UserRef | None
    signed_sha256: str | None = Field(description="SHA-256 of the answer's text and files as signed (2.4, 2.8).")
    signed_content_changed: bool | None = Field(
        description="True when the answer or its files differ from what was signed; null before signing."
    )
    stages: StagesOut
    dues: DuesOut
    history: list[EventOut]
    contacts: list[ContactOut]
    answer: AnswerOut | None = Field(description="The answer of the current round (2.5).")
    earlier_answers: list[AnswerOut] = Field(description="Answers of the rounds before a rework.")
    files: list[FileOut]
    extensions: list[ExtensionOut]
    actions: list[str] = Field(description="What the current user may do with the request now.")
    suggested_answer: str | None = Field(
        description="The draft offered to those who may draft or submit (2.11 sentence included)."
    )


class MembershipOut(Schema):
    role: str
    role_display: str
    unit: UnitRef | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    full_name: str
    position: str
    roles: list[MembershipOut]
    units: list[UnitRef]
    signs_for: list[UnitRef] = Field(description="Units whose answers this person signs (2.4).")


class UnitOut(UnitRef):
    email: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    section_path: list[SectionRef]
    unit: UnitRef
    urgency: str
    urgency_display: str
    evidence_required: bool = Field(description="Photos or an act are needed to close it (2.5).")
    keywords: str
    is_active: bool


class IntakeRequestRef(Schema):
    id: int
    number: str


class IntakeRecordOut(Schema):
    id: int
    external_id: str
    received_at: dt.datetime
    actor: UserRef | None
    outcome: str
    outcome_display: str
    message: str
    digest: str
    payload: Any = Field(
        description=(
            "As received, to those who may see personal data; to the others only external_id, received_at, "
            "category, address and text, whatever shape the payload had."
        )
    )
    request: IntakeRequestRef | None
    settled_at: dt.datetime | None
    settled_by: UserRef | None


class IntakePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IntakeRecordOut]
