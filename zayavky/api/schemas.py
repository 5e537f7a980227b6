"""What the API takes and gives, as pydantic schemas: they validate the input and write the OpenAPI document.

Inputs refuse unknown fields (a misspelt ``expected_staus`` must not be ignored in silence). The actions'
data are checked here for shape and type; the rules of the procedure (who, when, which executor) are
checked by the workflow functions the API calls.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, field_validator

from zayavky.cases.fields import ID, IdOrCode, Moment, Text, refuse
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

DateOrMoment = Annotated[
    str,
    AfterValidator(lambda v: _query_date(v)),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
]


def _one_of(values: Any) -> str:
    return "(" + "|".join(re.escape(v) for v in values) + ")"


#: The rules of the list filters, said in the document exactly as the code applies them (schemathesis
#: checks both ways: nothing the document allows is refused, nothing it forbids is accepted).
STATUS_LIST = f"^{_one_of(Status.values)}(,{_one_of(Status.values)})*$"
ID_TEXT = "^[0-9]{1,18}$"
NO_NUL = "^[^\\u0000]*$"
DATE_OR_MOMENT = (
    "A date (2026-11-27) or a date and time with its UTC offset (2026-11-27T10:00:00+02:00); "
    "a date beyond the years 1900–2999 reads as the nearest of them."
)
OverdueFlag = Literal["1", "0", "true", "false", "unit", "district"]
UrgencyName = Literal["emergency", "ordinary", "medium_term", "long_term"]  # the values of deadlines.Urgency


def _no_nul(value: str | None) -> str | None:
    """Refuse what the database would refuse: NUL (PostgreSQL text cannot hold it)."""
    if value is not None and "\x00" in value:
        raise refuse(_("The text contains a NUL character."))
    return value


def _query_date(value: str | None) -> str | None:
    """A date or an RFC 3339 date and time WITH its offset (a filter has no one's local time to assume)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            year = dt.date.fromisoformat(text).year
        else:
            moment = dt.datetime.fromisoformat(text.replace("t", "T").replace("z", "Z"))
            if moment.tzinfo is None:
                raise refuse(_("Give the time with its offset from UTC, e.g. 2026-11-30T18:00:00+02:00."))
            year, text = moment.year, moment.isoformat()
    except ValueError:
        raise refuse(_("Expected a date (2026-11-27) or a date and time.")) from None
    # No request lives outside these years, and converting a far moment to UTC overflows: the nearest.
    if year < 1900:
        return "1900-01-01"
    if year > 2999:
        return "2999-12-31"
    return text


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200, description="At most 200.")


class RequestFilters(Paging):
    """The filters of the request lists (one definition: `zayavky.cases.queries`)."""

    status: str | None = Field(
        None, max_length=200, pattern=STATUS_LIST, description="A status or a comma-separated list of them."
    )
    unit: str | None = Field(None, pattern=ID_TEXT, description="Unit id.")
    category: str | None = Field(
        None,
        max_length=64,
        json_schema_extra={"pattern": NO_NUL},
        description="Classifier type: id or code (an unknown one matches nothing).",
    )
    urgency: UrgencyName | None = None
    executor: str | None = Field(None, pattern="^(me|[0-9]{1,18})$", description="Person id, or `me`.")
    overdue: OverdueFlag | None = Field(
        None,
        description="1 or true: late against the due that runs now; unit: against the unit's due while the unit "
        "has the request; district: against the district's (Regulation's) due while any term runs; 0 or false: all.",
    )
    due_before: DateOrMoment | None = Field(None, description="The due that runs now on or before. " + DATE_OR_MOMENT)
    due_after: DateOrMoment | None = Field(None, description="The due that runs now on or after. " + DATE_OR_MOMENT)
    received_from: DateOrMoment | None = Field(None, description="Received on or after. " + DATE_OR_MOMENT)
    received_to: DateOrMoment | None = Field(None, description="Received on or before. " + DATE_OR_MOMENT)
    q: str | None = Field(
        None,
        max_length=200,
        json_schema_extra={"pattern": NO_NUL},
        description="Words searched in number, text, address (and applicant, for those who may see it).",
    )
    ordering: Literal["due", "-due", "received", "-received", "number", "-number"] | None = None

    @field_validator("category", "q")
    @classmethod
    def _texts(cls, value: str | None) -> str | None:
        return _no_nul(value)

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump(exclude={"page", "page_size", "ordering"}).items() if v}


class CategoryFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        json_schema_extra={"pattern": NO_NUL},
        description="Words searched in the name, keywords and code.",
    )
    include_retired: bool = Field(False, description="Also the retired types (kept for old requests).")

    @field_validator("q")
    @classmethod
    def _q(cls, value: str | None) -> str | None:
        return _no_nul(value)


class IntakeLogFilters(Paging):
    outcome: IntakeOutcome | None = None
    settled: bool | None = Field(None, description="Only the settled (true) or unsettled (false) ones.")
    external_id: str | None = Field(None, max_length=64, json_schema_extra={"pattern": NO_NUL})

    @field_validator("external_id")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _no_nul(value)


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
    control_due: dt.datetime | None = Field(description="The unit's due: the extended one (2.13), else 2.12's.")
    regulation_due: dt.datetime | None
    binding_due: dt.datetime | None = Field(
        description="The due that runs now: the unit's until it hands the answer over (2.7), then the "
        "district's until the answer is posted (2.9); null when none runs."
    )
    overdue: bool = Field(description="Strictly after the due that runs now.")
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


class DueStateOut(Schema):
    state: Literal["binding", "met", "missed"] | None = Field(
        description="binding: still runs; met / missed: settled at `at`; null: no due, or withdrawn."
    )
    at: dt.datetime | None = Field(description="The hand-over (unit) or the posting (district) that settled it.")


class DuesOut(Schema):
    term_started_at: dt.datetime | None
    internal: dt.datetime | None = Field(description="Order 170-р due, binds the unit (2.12).")
    regulation: dt.datetime | None = Field(description="The city Regulation's due, binds the district.")
    extended: dt.datetime | None = Field(description="2.13")
    control_due: dt.datetime | None = Field(description="The unit's due: the extended one (2.13), else 2.12's.")
    district_due: dt.datetime | None = Field(description="The district's due: the Regulation's, or an extension.")
    binding_due: dt.datetime | None = Field(description="The due that runs now (see binding_party).")
    binding_party: Literal["unit", "district"] | None = Field(
        description="Whom the running due binds: the unit until it hands the answer over (2.7), then the "
        "district until the answer is posted (2.9)."
    )
    time_left_seconds: int | None = Field(description="Until the due that runs now; negative when overdue.")
    overdue: bool = Field(description="Strictly after the due that runs now.")
    under_control: bool = Field(description="2.8: signing removes a request from control.")
    unit: DueStateOut = Field(description="The unit's due: met when the signed answer is handed over (2.7).")
    district: DueStateOut = Field(description="The district's due: met when the answer is posted (2.9).")
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
    decision: Literal["take_new", "keep", "dismiss"] | None = Field(description="What was decided when settled.")


class SettleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["take_new", "keep", "dismiss"] | None = Field(
        None,
        description="A conflict: take_new, keep (the default) or dismiss; a refused hand-over: dismiss (the default).",
    )


class IntakePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IntakeRecordOut]
