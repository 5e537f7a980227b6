"""The procedure of order 170-р as a table (docs/design.md 2): every action of :data:`rules.RULES`, from every
state, by every persona — the allowed moves succeed and write exactly one history row, the refused ones are
refused for the right reason and change nothing. Then the particular rules of each action.

The table is generated from ``RULES``: a new rule is covered the day it is written (and a rule with a kind
of person this file does not know fails :func:`test_it_knows_every_kind_of_person_in_the_rules`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone, translation

from zayavky import deadlines
from zayavky.accounts.models import Role, User
from zayavky.cases import answers, rules, workflow
from zayavky.cases.errors import Conflict, Forbidden, Invalid, NotFound, WorkflowError
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
from zayavky.catalog.models import CalendarOverride, Category, Duty, Organisation, current_calendar
from zayavky.conftest import JPEG_1PX, District

KYIV = deadlines.KYIV
PERSONAS = (
    "general",
    "controller",
    "integration",
    "admin",
    "clerk",
    "head",
    "executor",
    "executor2",
    "other_clerk",
    "other_head",
    "other_executor",
    "signatory",
    "other_signatory",
)
#: Who sees every request (docs/design.md 2) and who sees the requests of «ЖКГ» — written out here, not
#: taken from access.py, so that the table checks the code instead of repeating it.
SEE_ALL = {"general", "controller", "integration", "admin"}
ZHKG_PEOPLE = {"clerk", "head", "executor", "executor2", "signatory"}


def visible_to(d: District, request: ServiceRequest) -> set[str]:
    return SEE_ALL | (ZHKG_PEOPLE if request.unit_id == d.zhkg.pk else set())


def holders(d: District, request: ServiceRequest, role: str, scope: str) -> set[str]:
    """The personas a (role, scope) pair of a rule names, for a request of «ЖКГ» (or of no unit yet)."""
    in_zhkg = request.unit_id == d.zhkg.pk
    known: dict[tuple[str, str], set[str]] = {
        (Role.GENERAL, rules.ANYWHERE): {"general"},
        (Role.INTEGRATION, rules.ANYWHERE): {"integration"},
        (Role.ADMIN, rules.ANYWHERE): {"admin"},
        (Role.UNIT_CLERK, rules.IN_UNIT): {"clerk"} if in_zhkg else set(),
        (Role.UNIT_HEAD, rules.IN_UNIT): {"head"} if in_zhkg else set(),
        (Role.EXECUTOR, rules.ASSIGNED): {"executor"} if in_zhkg and request.executor_id == d.executor.pk else set(),
        (Role.SIGNATORY, rules.SIGNS_FOR_UNIT): {"signatory"} if in_zhkg else set(),
        ("", rules.SEES_IT): visible_to(d, request),
    }
    return known[(role, scope)]


def expected(d: District, action: str, request: ServiceRequest, persona: str) -> str:
    """What must happen: "ok", or the refusal — in the order the procedure checks (see, person, state)."""
    rule = rules.RULES[action]
    if persona not in visible_to(d, request):
        return "not_found"
    if not any(persona in holders(d, request, role, scope) for role, scope in rule.who):
        return "forbidden"
    if request.status not in rule.from_states:
        return "conflict"
    return "ok"


# --- valid data for each action: the table fails on a rule without an entry here ------------------------

ANSWER = "Лампи в під'їзді замінено, освітлення відновлено."

KWARGS: dict[str, Callable[[District, ServiceRequest], dict[str, Any]]] = {
    "route": lambda d, r: {"category": d.emergency_plain.pk},  # type: ignore[attr-defined]
    "take": lambda d, r: {},
    "assign": lambda d, r: {"executor": d.executor.pk},
    "reassign": lambda d, r: {"executor": d.executor2.pk, "reason": "Відпустка виконавця"},
    "contact": lambda d, r: {"channel": "phone", "outcome": "reached", "note": "Уточнено під'їзд"},
    "draft": lambda d, r: {"text": ANSWER, "outcome": "executed"},
    "submit": lambda d, r: {"text": ANSWER, "outcome": "executed"},
    "return": lambda d, r: {"comment": "Уточніть дату виконання робіт."},
    "sign": lambda d, r: {},
    "hand_over": lambda d, r: {},
    "publish": lambda d, r: {},
    "rework": lambda d, r: {"reason": "Заявник не підтвердив виконання"},
    "withdraw": lambda d, r: {"reason": "Заявник відкликав заявку"},
    "return_to_general": lambda d, r: {"reason": "wrong_unit", "comment": "Це питання відділу благоустрою."},
    "extend": lambda d, r: {
        "new_due": (r.control_due or timezone.now()) + dt.timedelta(hours=1),
        "justification": "Потрібна техніка водоканалу, буде лише завтра.",
    },
    "comment": lambda d, r: {"text": "Заявник телефонував ще раз."},
    "attach": lambda d, r: {"upload": ("фото.jpg", JPEG_1PX), "kind": "photo"},
    "settle_intake": lambda d, r: {"record_id": 1, "decision": "take_new", "changes": {"text": "Уточнений текст."}},
}

#: What the history row of each action must carry.
DATA_KEYS: dict[str, set[str]] = {
    "route": {"category", "unit", "urgency", "internal_due", "regulation_due"},
    "take": {"card_printed"},
    "assign": {"executor"},
    "reassign": {"from", "executor", "reason"},
    "contact": {"channel", "outcome", "contact"},  # the note stays in the contact row (anonymisation)
    "draft": {"outcome", "length"},
    "submit": {"outcome"},
    "return": {"comment"},
    "sign": {"outgoing_number", "removed_from_control", "sha256"},
    "hand_over": {"mail_to", "unit_late"},
    "publish": {"district_late"},
    "rework": {"reason", "round", "internal_due"},
    "withdraw": {"reason"},
    "return_to_general": {"reason", "comment", "unit"},
    "extend": {"from", "to", "justification"},
    "comment": {"text"},
    "attach": {"file", "kind", "size", "id"},
    "settle_intake": {"record", "decision", "fields"},
}

#: The moment of the stage an action records on the request (every stage keeps its moment).
STAGE_FIELD = {
    "route": "routed_at",
    "take": "card_printed_at",
    "assign": "assigned_at",
    "reassign": "assigned_at",
    "submit": "submitted_at",
    "sign": "signed_at",
    "hand_over": "handed_over_at",
    "publish": "published_at",
    "withdraw": "withdrawn_at",
}


def snapshot(request_id: int) -> tuple[dict[str, Any], dict[str, int], list[tuple[int, int]]]:
    """Everything a refused action must leave as it was: every field, every related row, the counters."""
    fields: dict[str, Any] = dict(ServiceRequest.objects.filter(pk=request_id).values().get())
    related = {
        model.__name__: model.objects.filter(request_id=request_id).count()
        for model in (Event, ContactAttempt, Answer, Attachment, Extension, Mail)
    }
    return fields, related, list(OutgoingCounter.objects.values_list("year", "last"))


def act(d: District, action: str, persona: str, request: ServiceRequest, **overrides: Any) -> Any:
    kwargs = {**KWARGS[action](d, request), **overrides}
    return workflow.ALL_ACTIONS[action](d.persona(persona), request.pk, **kwargs)


def refused(
    exc_type: type[WorkflowError], fn: Callable[[], Any], request_id: int, *, code: str | None = None
) -> WorkflowError:
    """Run ``fn``: it must raise ``exc_type`` (with ``code``) and change nothing at all."""
    before = snapshot(request_id)
    with pytest.raises(exc_type) as info:
        fn()
    if code is not None:
        assert info.value.code == code, info.value.message
    assert info.value.message
    assert snapshot(request_id) == before, "a refused action changed something"
    return info.value


@pytest.fixture
def d(district: District) -> District:
    """The shared personas plus an emergency type that needs no photos, so that every action of the table
    — extend included (2.13: emergency only) — can be taken on the same kind of request."""
    district.emergency_plain = Category.objects.create(  # type: ignore[attr-defined]
        section=district.section,
        code="01.900",
        name="Аварійне відключення світла",
        urgency="emergency",
        unit=district.zhkg,
    )
    return district


@pytest.fixture
def build(d: District, advance: Callable[..., ServiceRequest]) -> Callable[..., ServiceRequest]:
    """A request of «ЖКГ» in ``state``; ``withdrawn`` is withdrawn while in work: the unit still sees it."""

    def make(state: str, category: Category | None = None, **fields: Any) -> ServiceRequest:
        category = category or d.emergency_plain  # type: ignore[attr-defined]
        if state == Status.WITHDRAWN:
            request = advance(Status.IN_WORK, category=category, **fields)
            workflow.withdraw(d.general, request.pk, reason="Заявник відкликав заявку")
            request.refresh_from_db()
            return request
        return advance(state, category=category, **fields)

    return make


# --- the table ----------------------------------------------------------------------------------------

TABLE = [(action, state) for action in rules.RULES for state in Status.values]


def test_it_has_data_for_every_action_of_the_rules() -> None:
    assert set(KWARGS) == set(rules.RULES) == set(DATA_KEYS) == set(workflow.ALL_ACTIONS)


def test_it_knows_every_kind_of_person_in_the_rules(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    for rule in rules.RULES.values():
        for role, scope in rule.who:
            holders(d, request, role, scope)  # KeyError: a new kind of person — teach this file about it


@pytest.mark.parametrize(("action", "state"), TABLE, ids=[f"{a}-from-{s}" for a, s in TABLE])
def test_it_allows_and_refuses_each_move_by_the_table(
    d: District, build: Callable[..., ServiceRequest], subtests: Any, action: str, state: str
) -> None:
    rule = rules.RULES[action]
    request = build(state)
    assert request.status == state
    outcomes = {persona: expected(d, action, request, persona) for persona in PERSONAS}

    # The pages and the API's "actions" offer exactly the moves that succeed.
    for persona, outcome in outcomes.items():
        offered = action in rules.available_actions(d.persona(persona), request)
        assert offered == (outcome == "ok" and rule.offered), f"{persona}: offered={offered}, expected {outcome}"

    # Every refusal on the same request: the right error, nothing changed.
    errors = {
        "not_found": (NotFound, None),
        "forbidden": (Forbidden, "wrong_person"),
        "conflict": (Conflict, None),
    }
    for persona, outcome in outcomes.items():
        if outcome == "ok":
            continue
        exc_type, code = errors[outcome]
        with subtests.test(persona=persona, outcome=outcome):
            error = refused(exc_type, lambda p=persona: act(d, action, p, request), request.pk, code=code)  # type: ignore[misc]
            assert error.status == {"not_found": 404, "forbidden": 403, "conflict": 409}[outcome]
            if outcome == "conflict":
                assert error.code in ("wrong_state", "not_emergency")

    # Every allowed move, each on a fresh request in that state.
    for persona, outcome in outcomes.items():
        if outcome != "ok":
            continue
        with subtests.test(persona=persona, outcome="ok"):
            fresh = build(state)
            events_before = list(Event.objects.filter(request=fresh).values_list("pk", flat=True))
            started = timezone.now()
            act(d, action, persona, fresh)
            finished = timezone.now()
            fresh.refresh_from_db()
            assert fresh.status == (rule.to_state or state)
            new_events = list(Event.objects.filter(request=fresh).exclude(pk__in=events_before))
            assert len(new_events) == 1, "exactly one history row per action"
            event = new_events[0]
            assert event.actor == d.persona(persona)
            assert event.action == action
            assert (event.from_status, event.to_status) == (state, fresh.status)
            assert started <= event.at <= finished
            assert DATA_KEYS[action] <= set(event.data), event.data
            if action in STAGE_FIELD:
                moment = getattr(fresh, STAGE_FIELD[action])
                assert moment is not None and started <= moment <= finished


# --- route (2.2) --------------------------------------------------------------------------------------


def test_it_routes_by_the_classifier_and_computes_the_dues_with_the_organisations_calendar(
    d: District, make_request: Callable[..., ServiceRequest]
) -> None:
    # Received Monday 02.03.2026 10:00. The administrator made Friday 06.03 a day off and the organisation
    # gives ordinary requests 8 days under the Regulation.
    received = dt.datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    CalendarOverride.objects.create(date=dt.date(2026, 3, 6), kind="day_off", note="перенесення")
    Organisation.objects.filter(pk=Organisation.current().pk).update(ordinary_regulation_days=8)
    request = make_request(received_at=received)

    workflow.route(d.general, request.pk, category=d.ordinary.pk)

    request.refresh_from_db()
    assert (request.status, request.unit, request.category, request.urgency) == (
        "routed",
        d.zhkg,
        d.ordinary,
        "ordinary",
    )
    dues = deadlines.due_dates(received, "ordinary", calendar=current_calendar(), terms=Organisation.current().terms())
    assert (request.internal_due, request.regulation_due) == (dues.internal, dues.regulation)
    # 2.12.1: the 4th day is Friday 06.03, a day off now -> the end of Monday 09.03; the Regulation's 8th
    # day is Tuesday 10.03.
    assert request.internal_due == dt.datetime(2026, 3, 9, 23, 59, 59, tzinfo=KYIV)
    assert request.regulation_due == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=KYIV)
    assert request.control_due == request.internal_due
    assert request.term_started_at == received
    assert request.extended_due is None


def test_it_routes_an_emergency_request_by_absolute_hours(
    d: District, make_request: Callable[..., ServiceRequest]
) -> None:
    received = timezone.now() - dt.timedelta(hours=2)
    request = make_request(received_at=received)
    workflow.route(d.general, request.pk, category=str(d.emergency.pk))  # the pages send ids as text
    request.refresh_from_db()
    assert request.urgency == "emergency"
    assert request.internal_due == received + dt.timedelta(hours=23)  # 2.12.3
    assert request.regulation_due == received + dt.timedelta(hours=24)


def test_it_routes_to_another_unit_than_the_classifier_names(
    d: District, make_request: Callable[..., ServiceRequest]
) -> None:
    request = make_request()
    workflow.route(d.general, request.pk, category=d.ordinary.pk, unit=d.blag.pk, note="Зона благоустрою")
    request.refresh_from_db()
    assert (request.unit, request.urgency, request.category) == (d.blag, "ordinary", d.ordinary)
    event = request.events.get(action="route")
    assert event.data["unit"] == "Благоустрій"
    assert event.data["classifier_unit"] == "ЖКГ"
    assert event.data["note"] == "Зона благоустрою"
    # Now the other unit sees it and «ЖКГ» does not.
    workflow.take(d.other_clerk, request.pk)
    refused(NotFound, lambda: workflow.comment(d.clerk, request.pk, text="?"), request.pk)


@pytest.mark.parametrize("bad", ["retired", "unknown", "text", "true", "fraction", "none"])
def test_it_refuses_to_route_by_a_retired_or_unknown_type(
    d: District, make_request: Callable[..., ServiceRequest], bad: str
) -> None:
    retired = Category.objects.create(
        section=d.section,
        code="01.099",
        name="Застарілий тип",
        urgency="ordinary",
        unit=d.zhkg,
        is_active=False,
    )
    value = {
        "retired": retired.pk,
        "unknown": 999_999,
        "text": "світло",
        "true": True,
        "fraction": 2.5,
        "none": None,
    }[bad]
    request = make_request()
    error = refused(Invalid, lambda: workflow.route(d.general, request.pk, category=value), request.pk)
    assert error.status == 422
    assert "category" in error.fields


def test_it_refuses_to_route_to_a_closed_unit(d: District, make_request: Callable[..., ServiceRequest]) -> None:
    request = make_request()
    d.blag.is_active = False
    d.blag.save()
    error = refused(
        Invalid,
        lambda: workflow.route(d.general, request.pk, category=d.ordinary.pk, unit=d.blag.pk),
        request.pk,
    )
    assert "unit" in error.fields
    # Nor to the unit the Classifier still names when that unit has been closed.
    error = refused(Invalid, lambda: workflow.route(d.general, request.pk, category=d.blag_ordinary.pk), request.pk)
    assert "unit" in error.fields


def test_it_refuses_a_stale_page(d: District, make_request: Callable[..., ServiceRequest]) -> None:
    request = make_request()
    workflow.route(d.general, request.pk, category=d.ordinary.pk)
    # A second clerk's page still shows the request as new.
    error = refused(
        Conflict,
        lambda: workflow.route(d.general, request.pk, category=d.ordinary.pk, expected_status="new"),
        request.pk,
        code="stale",
    )
    assert request.number in error.message


def test_it_refuses_an_unknown_request(d: District) -> None:
    with pytest.raises(NotFound):
        workflow.comment(d.general, 999_999, text="?")


# --- take, assign, reassign (2.3) ---------------------------------------------------------------------


def test_it_records_that_the_card_was_printed(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.ROUTED)
    assert request.card_printed_at is None
    before = timezone.now()
    workflow.take(d.clerk, request.pk)
    request.refresh_from_db()
    assert request.status == "with_head"
    assert before <= request.card_printed_at <= timezone.now()
    assert request.events.get(action="take").data == {"card_printed": True}


def test_it_assigns_an_executor_of_the_unit_only(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.WITH_HEAD)
    for bad in (d.other_executor.pk, d.general.pk, 999_999, "abc", True, None):
        error = refused(Invalid, lambda b=bad: workflow.assign(d.head, request.pk, executor=b), request.pk)  # type: ignore[misc]
        assert "executor" in error.fields
    d.executor2.is_active = False
    d.executor2.save()
    refused(Invalid, lambda: workflow.assign(d.head, request.pk, executor=d.executor2.pk), request.pk)

    workflow.assign(d.head, request.pk, executor=str(d.executor.pk))
    request.refresh_from_db()
    assert (request.status, request.executor) == ("in_work", d.executor)
    assert request.events.get(action="assign").data["executor"] == {"id": d.executor.pk, "name": "Олійник В."}


def test_it_lets_the_head_take_the_request_himself(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.WITH_HEAD)
    workflow.assign(d.head, request.pk, executor=d.head.pk)
    request.refresh_from_db()
    assert request.executor == d.head


def test_it_reassigns(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    refused(Invalid, lambda: workflow.reassign(d.head, request.pk, executor=d.executor.pk), request.pk)
    refused(Invalid, lambda: workflow.reassign(d.head, request.pk, executor=d.other_executor.pk), request.pk)
    workflow.reassign(d.head, request.pk, executor=d.executor2.pk, reason="Відпустка")
    request.refresh_from_db()
    assert (request.status, request.executor) == ("in_work", d.executor2)
    data = request.events.get(action="reassign").data
    assert data["from"]["id"] == d.executor.pk and data["executor"]["id"] == d.executor2.pk
    # The former executor is no longer the one named on it.
    refused(Forbidden, lambda: workflow.draft(d.executor, request.pk, text="x", outcome="executed"), request.pk)
    workflow.draft(d.executor2, request.pk, text=ANSWER, outcome="executed")


# --- contact (2.10, 2.11) -----------------------------------------------------------------------------


def test_it_records_a_contact_attempt(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    workflow.contact(d.executor, request.pk, channel="sms", outcome="no_answer", note="Двічі")
    attempt = ContactAttempt.objects.get(request=request)
    assert (attempt.channel, attempt.outcome, attempt.note, attempt.actor) == (
        "sms",
        "no_answer",
        "Двічі",
        d.executor,
    )
    # The note stays in the contact row, which anonymisation reaches; the append-only history points to it.
    assert request.events.get(action="contact").data == {
        "channel": "sms",
        "outcome": "no_answer",
        "contact": attempt.pk,
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "pigeon", "outcome": "reached"}, "channel"),
        ({"channel": None, "outcome": "reached"}, "channel"),
        ({"channel": "phone", "outcome": "maybe"}, "outcome"),
        ({"channel": "phone", "outcome": ["reached"]}, "outcome"),
        ({"channel": "phone", "outcome": "other", "note": "  "}, "note"),  # "other" must say what happened
        ({"channel": "phone", "outcome": "reached", "note": 42}, "note"),
    ],
)
def test_it_refuses_a_bad_contact_attempt(
    d: District, build: Callable[..., ServiceRequest], data: dict[str, Any], field: str
) -> None:
    request = build(Status.IN_WORK)
    error = refused(Invalid, lambda: workflow.contact(d.executor, request.pk, **data), request.pk)
    assert field in error.fields


def test_it_offers_the_2_11_sentence_when_no_attempt_reached_the_applicant(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    request = build(Status.IN_WORK)
    workflow.draft(d.executor, request.pk, text=ANSWER, outcome="executed")
    assert answers.suggested_answer_text(request) == ANSWER  # no attempt yet: nothing to say
    workflow.contact(d.executor, request.pk, channel="phone", outcome="phone_off")
    workflow.contact(d.executor, request.pk, channel="phone", outcome="no_answer")
    with translation.override("en"):
        text = answers.suggested_answer_text(request)
    assert text.startswith(ANSWER)
    assert text.endswith(
        "We could not reach you by the contact details given (the phone was switched off; the calls were not answered)."
    )
    with translation.override("uk"):
        assert "Не вдалося зв'язатися з Вами" in answers.suggested_answer_text(request)


def test_it_offers_no_2_11_sentence_once_an_attempt_reached_the_applicant(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    request = build(Status.IN_WORK)
    workflow.draft(d.executor, request.pk, text=ANSWER, outcome="executed")
    workflow.contact(d.executor, request.pk, channel="phone", outcome="no_answer")
    workflow.contact(d.executor, request.pk, channel="phone", outcome="reached")
    assert answers.suggested_answer_text(request) == ANSWER
    assert not answers.contact_failed(request)


def test_it_judges_contact_per_round_after_a_rework(d: District, build: Callable[..., ServiceRequest]) -> None:
    """Reaching the applicant before the Contact Center returned the request says nothing about the new
    round: if no attempt of the new round reached them, the new answer must say so (2.11)."""
    request = build(Status.IN_WORK)
    workflow.contact(d.executor, request.pk, channel="phone", outcome="reached")
    for action, persona in (
        ("submit", "head"),
        ("sign", "signatory"),
        ("hand_over", "clerk"),
        ("publish", "general"),
        ("rework", "integration"),
    ):
        act(d, action, persona, request)
    request.refresh_from_db()
    assert request.rework_count == 1
    assert answers.suggested_answer_text(request) == ""  # no attempt in this round yet
    workflow.contact(d.executor, request.pk, channel="phone", outcome="wrong_number")
    request.refresh_from_db()
    assert answers.contact_failed(request)
    with translation.override("en"):
        assert "the number given is wrong" in answers.suggested_answer_text(request)


# --- submit (2.5, 2.6) --------------------------------------------------------------------------------


def test_it_refuses_to_submit_without_an_answer(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    error = refused(Invalid, lambda: workflow.submit(d.head, request.pk), request.pk)
    assert "text" in error.fields
    refused(Invalid, lambda: workflow.submit(d.head, request.pk, text="  ", outcome="executed"), request.pk)
    refused(Invalid, lambda: workflow.submit(d.head, request.pk, text=ANSWER, outcome="done"), request.pk)
    refused(Invalid, lambda: workflow.submit(d.head, request.pk, text=ANSWER), request.pk)


def test_it_submits_the_executors_draft(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    workflow.draft(d.executor, request.pk, text=ANSWER, outcome="explained")
    workflow.submit(d.head, request.pk)
    request.refresh_from_db()
    assert request.status == "on_signature"
    assert answers.current_answer(request).outcome == "explained"


@pytest.mark.parametrize(
    ("kind", "upload"),
    [("photo", ("фото.jpg", JPEG_1PX)), ("act", ("акт.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"))],
)
def test_it_needs_a_photo_or_an_act_where_the_type_requires_it(
    d: District, build: Callable[..., ServiceRequest], kind: str, upload: tuple[str, bytes]
) -> None:
    request = build(Status.IN_WORK, category=d.emergency)  # «Порив водопроводу»: evidence required (2.5)
    submit = lambda: workflow.submit(d.head, request.pk, text=ANSWER, outcome="executed")  # noqa: E731
    error = refused(Invalid, submit, request.pk, code="evidence_required")
    assert "files" in error.fields
    # A mere document is no evidence of the work.
    workflow.attach(d.executor, request.pk, upload=("лист.jpg", JPEG_1PX), kind="document")
    refused(Invalid, submit, request.pk, code="evidence_required")
    workflow.attach(d.executor, request.pk, upload=upload, kind=kind)
    submit()
    request.refresh_from_db()
    assert request.status == "on_signature"


# --- sign, return (2.4, 2.6, 2.8) ---------------------------------------------------------------------


def _fresh(user: User) -> User:
    """The same person as a new page would load them (a user object caches its units and duties)."""
    return User.objects.get(pk=user.pk)


def test_it_records_the_signature_and_removes_the_request_from_control(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    first, second = build(Status.ON_SIGNATURE), build(Status.ON_SIGNATURE)
    before = timezone.now()
    workflow.sign(d.signatory, first.pk)
    workflow.sign(d.signatory, second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    year = timezone.localdate().year % 100
    assert (first.status, first.signed_by, first.outgoing_number) == ("signed", d.signatory, f"1/{year:02d}")
    assert second.outgoing_number == f"2/{year:02d}"
    assert before <= first.signed_at <= timezone.now()
    assert not first.is_under_control  # 2.8
    assert first.events.get(action="sign").data == {
        "outgoing_number": f"1/{year:02d}",
        "removed_from_control": True,
        "sha256": first.signed_sha256,
    }
    assert len(first.signed_sha256) == 64


@pytest.mark.parametrize("duty", ["ended_yesterday", "starts_tomorrow"])
def test_it_lets_only_the_duties_in_force_sign(d: District, build: Callable[..., ServiceRequest], duty: str) -> None:
    request = build(Status.ON_SIGNATURE)
    today = timezone.localdate()
    if duty == "ended_yesterday":
        Duty.objects.filter(signatory__user=d.signatory).update(valid_to=today - dt.timedelta(days=1))
    else:
        Duty.objects.filter(signatory__user=d.signatory).update(valid_from=today + dt.timedelta(days=1))
    signatory = _fresh(d.signatory)
    # Not signing for the unit today, she does not even see it.
    refused(NotFound, lambda: workflow.sign(signatory, request.pk), request.pk)
    assert "sign" not in rules.available_actions(signatory, request)


def test_it_lets_a_duty_ending_today_sign_and_a_new_distribution_take_over(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    today = timezone.localdate()
    first, second = build(Status.ON_SIGNATURE), build(Status.ON_SIGNATURE)
    Duty.objects.filter(signatory__user=d.signatory).update(valid_to=today)  # still in force today
    workflow.sign(_fresh(d.signatory), first.pk)
    # From today the other deputy also signs for «ЖКГ» (a new order on the distribution of duties).
    refused(NotFound, lambda: workflow.sign(_fresh(d.other_signatory), second.pk), second.pk)
    Duty.objects.create(signatory=d.other_signatory.signatory, unit=d.zhkg, valid_from=today)
    workflow.sign(_fresh(d.other_signatory), second.pk)
    second.refresh_from_db()
    assert second.signed_by == d.other_signatory


def test_it_returns_the_answer_to_the_unit_with_a_comment(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.ON_SIGNATURE)
    for bad in ("", "   ", None, 5):
        error = refused(Invalid, lambda b=bad: workflow.return_(d.signatory, request.pk, comment=b), request.pk)  # type: ignore[misc]
        assert "comment" in error.fields
    workflow.return_(d.signatory, request.pk, comment="Додайте фото.")
    request.refresh_from_db()
    assert request.status == "in_work"
    assert request.events.get(action="return").data == {"comment": "Додайте фото."}


# --- hand_over, publish (2.7, 2.9) --------------------------------------------------------------------


def test_it_hands_over_and_mails_the_general_mailbox(
    d: District, build: Callable[..., ServiceRequest], django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=Organisation.current().pk).update(general_mailbox="zagal@example.org")
    request = build(Status.SIGNED)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.hand_over(d.clerk, request.pk)
    request.refresh_from_db()
    assert request.status == "handed_over" and request.handed_over_at
    mail = Mail.objects.get(request=request)
    assert (mail.to, mail.state, mail.attach_answer) == ("zagal@example.org", "pending", True)
    assert request.number in mail.subject and request.outgoing_number in mail.subject
    assert len(callbacks) == 1  # the e-mail goes after the commit, never from inside the transaction
    data = request.events.get(action="hand_over").data
    assert data == {"mail_to": "zagal@example.org", "unit_late": False}


def test_it_publishes(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.HANDED_OVER)
    workflow.publish(d.general, request.pk, note="Розміщено у формі КЦ")
    request.refresh_from_db()
    assert request.status == "published" and request.published_at
    assert request.deadline_status().district.state == "met"
    assert request.events.get(action="publish").data == {
        "district_late": False,
        "note": "Розміщено у формі КЦ",
    }


# --- rework ------------------------------------------------------------------------------------------


def test_it_sends_a_published_request_back_for_rework(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.PUBLISHED, category=d.ordinary, received_at=timezone.now() - dt.timedelta(days=10))
    first_due = request.internal_due
    assert first_due < timezone.now()
    first_answer = answers.current_answer(request)
    assert first_answer is not None
    refused(Invalid, lambda: workflow.rework(d.integration, request.pk, reason=" "), request.pk)

    before = timezone.now()
    workflow.rework(d.integration, request.pk, reason="Заявник не підтвердив виконання")
    request.refresh_from_db()
    assert (request.status, request.unit, request.executor, request.rework_count) == (
        "in_work",
        d.zhkg,
        d.executor,
        1,
    )
    # A new term counted from now, with the request's urgency (docs/design.md 3).
    assert request.term_started_at is not None and before <= request.term_started_at <= timezone.now()
    dues = deadlines.due_dates(
        request.term_started_at, "ordinary", calendar=current_calendar(), terms=Organisation.current().terms()
    )
    assert (request.internal_due, request.regulation_due, request.control_due) == (
        dues.internal,
        dues.regulation,
        dues.internal,
    )
    assert request.internal_due > timezone.now() > first_due
    assert (request.signed_at, request.signed_by, request.outgoing_number, request.published_at) == (
        None,
        None,
        "",
        None,
    )
    # A new round: the first answer stays as it was, the new one must be written.
    assert answers.current_answer(request) is None
    refused(Invalid, lambda: workflow.submit(d.head, request.pk), request.pk)
    workflow.submit(d.head, request.pk, text="Повторно замінено лампи.", outcome="executed")
    assert list(request.answers.order_by("round").values_list("round", "text")) == [
        (0, first_answer.text),
        (1, "Повторно замінено лампи."),
    ]
    event = request.events.get(action="rework")
    assert event.data["round"] == 1 and event.data["reason"] == "Заявник не підтвердив виконання"


# --- withdraw ----------------------------------------------------------------------------------------


def test_it_needs_a_reason_to_withdraw(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.SIGNED)
    refused(Invalid, lambda: workflow.withdraw(d.general, request.pk, reason=""), request.pk)
    workflow.withdraw(d.general, request.pk, reason="Дублікат заявки KC-1")
    request.refresh_from_db()
    assert request.status == "withdrawn" and request.withdrawn_at


# --- return_to_general (2.2) --------------------------------------------------------------------------


def test_it_returns_a_request_to_the_general_department_and_routes_it_again(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    request = build(Status.IN_WORK, category=d.ordinary)
    dues = (request.internal_due, request.regulation_due)
    workflow.return_to_general(d.head, request.pk, reason="wrong_unit", comment="Це звалище, не ЖКГ.")
    request.refresh_from_db()
    assert (request.status, request.unit, request.executor) == ("new", None, None)
    assert request.events.get(action="return_to_general").data == {
        "reason": "wrong_unit",
        "comment": "Це звалище, не ЖКГ.",
        "unit": "ЖКГ",
    }
    # The unit no longer sees it; the general department routes it again.
    refused(NotFound, lambda: workflow.comment(d.head, request.pk, text="?"), request.pk)
    workflow.route(d.general, request.pk, category=d.blag_ordinary.pk)
    request.refresh_from_db()
    assert (request.status, request.unit) == ("routed", d.blag)
    # The term still runs from receipt (2.12), not from the second routing.
    assert (request.internal_due, request.regulation_due) == dues
    workflow.take(d.other_clerk, request.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "lazy", "comment": "Не хочемо"}, "reason"),
        ({"reason": None, "comment": "Не наше"}, "reason"),
        ({"reason": "not_competent", "comment": ""}, "comment"),
        ({"reason": "not_competent", "comment": None}, "comment"),
    ],
)
def test_it_refuses_a_return_without_the_reason(
    d: District, build: Callable[..., ServiceRequest], data: dict[str, Any], field: str
) -> None:
    request = build(Status.WITH_HEAD)
    error = refused(Invalid, lambda: workflow.return_to_general(d.head, request.pk, **data), request.pk)
    assert field in error.fields


# --- extend (2.13, docs/design.md 3) -----------------------------------------------------------------------


def test_it_extends_only_an_emergency_request(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK, category=d.ordinary)
    error = refused(
        Conflict,
        lambda: workflow.extend(
            d.head, request.pk, new_due=request.control_due + dt.timedelta(days=1), justification="Техніка"
        ),
        request.pk,
        code="not_emergency",
    )
    assert error.status == 409
    assert "extend" not in rules.available_actions(d.head, request)


def test_it_refuses_an_extension_after_12_hours(d: District, build: Callable[..., ServiceRequest]) -> None:
    received = timezone.now() - dt.timedelta(hours=13)
    request = build(Status.IN_WORK, received_at=received)
    assert "extend" not in rules.available_actions(d.head, request)  # not offered any more
    error = refused(
        Conflict,
        lambda: workflow.extend(
            d.head, request.pk, new_due=request.control_due + dt.timedelta(hours=2), justification="Техніка"
        ),
        request.pk,
        code="extension_too_late",
    )
    decide_by = (received + dt.timedelta(hours=12)).astimezone(KYIV)
    # The reason, ready for the Ukrainian page: the 12 hours, the paragraph and the moment they ran out.
    assert "12 годин" in error.message and "2.13" in error.message
    assert decide_by.strftime("%H:%M %d.%m.%Y") in error.message


def test_it_extends_an_emergency_request_within_the_window(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    assert "extend" in rules.available_actions(d.head, request)
    assert request.regulation_due is not None
    window = deadlines.extension_window(
        request.received_at,
        request.regulation_due,
        calendar=current_calendar(),
        terms=Organisation.current().terms(),
    )
    extend = lambda when, why="Потрібна техніка водоканалу.": workflow.extend(  # noqa: E731
        d.head, request.pk, new_due=when, justification=why
    )
    refused(Invalid, lambda: extend(window.latest_due, why="  "), request.pk)
    refused(Invalid, lambda: extend("завтра"), request.pk)
    refused(Invalid, lambda: extend(None), request.pk)
    refused(Invalid, lambda: extend(request.control_due), request.pk, code="extension_not_later")
    refused(
        Invalid,
        lambda: extend(window.latest_due + dt.timedelta(seconds=1)),
        request.pk,
        code="extension_beyond_window",
    )
    previous = request.control_due
    extend(window.latest_due.isoformat())  # the API sends ISO 8601 with the offset
    request.refresh_from_db()
    assert request.extended_due == request.control_due == window.latest_due
    assert request.internal_due == previous  # the order's due itself stays on record
    extension = Extension.objects.get(request=request)
    assert (extension.previous_due, extension.new_due, extension.decided_by) == (
        previous,
        window.latest_due,
        d.head,
    )
    assert extension.justification == "Потрібна техніка водоканалу."
    data = request.events.get(action="extend").data
    assert data["from"] == previous.isoformat() and data["to"] == window.latest_due.isoformat()


# --- comment, history --------------------------------------------------------------------------------


def test_it_refuses_an_empty_comment(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    refused(Invalid, lambda: workflow.comment(d.controller, request.pk, text=" "), request.pk)
    refused(Invalid, lambda: workflow.comment(d.controller, request.pk, text="й" * 5001), request.pk)


def test_it_keeps_the_history_append_only(d: District, build: Callable[..., ServiceRequest]) -> None:
    request = build(Status.IN_WORK)
    event = request.events.get(action="assign")
    event.data = {"executor": "хтось інший"}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(request=request).update(action="forged")
    with pytest.raises(TypeError):
        Event.objects.filter(request=request).delete()
    with pytest.raises(TypeError), transaction.atomic():  # bulk_update breaks its enclosing transaction
        Event.objects.bulk_update([event], ["data"])
    assert list(request.events.values_list("action", flat=True)) == ["receive", "route", "take", "assign"]
    assert request.events.get(action="assign").data["executor"]["id"] == d.executor.pk


def test_it_walks_the_whole_procedure_with_one_history_row_per_step(
    d: District, build: Callable[..., ServiceRequest]
) -> None:
    request = build(Status.PUBLISHED, category=d.ordinary)
    assert request.outgoing_number and request.published_at
    assert [(e.action, e.from_status, e.to_status) for e in request.events.all()] == [
        ("receive", "", "new"),
        ("route", "new", "routed"),
        ("take", "routed", "with_head"),
        ("assign", "with_head", "in_work"),
        ("submit", "in_work", "on_signature"),
        ("sign", "on_signature", "signed"),
        ("hand_over", "signed", "handed_over"),
        ("publish", "handed_over", "published"),
    ]
