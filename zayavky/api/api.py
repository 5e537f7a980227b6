"""The REST API: `/api/v1/…`, its OpenAPI document at `/api/openapi.json`, docs at `/api/docs`.

A thin interface: it checks the shape of the input, asks `zayavky.cases.access` what the caller may see and
calls the functions of `zayavky.cases.workflow` for every change — it never changes a request itself.
"""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Query, Router, Status, Swagger
from ninja.files import UploadedFile
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from zayavky.accounts import security
from zayavky.accounts.models import Role, User
from zayavky.api import errors, presenters
from zayavky.api.auth import AUTH
from zayavky.api.schemas import (
    ACTION_INPUT,
    ERRORS,
    ActionIn,
    CategoryFilters,
    CategoryOut,
    FileKind,
    FileOut,
    IntakeLogFilters,
    IntakePage,
    IntakeRecordOut,
    MeOut,
    RequestDetail,
    RequestFilters,
    RequestPage,
    SettleIn,
    StatusName,
    UnitOut,
)
from zayavky.cases import access, audit, rules, workflow
from zayavky.cases.errors import Forbidden, Invalid, NotFound
from zayavky.cases.fields import MAX_ID
from zayavky.cases.models import ServiceRequest
from zayavky.cases.queries import filter_requests, order_requests
from zayavky.catalog.models import Category, Unit
from zayavky.contactcenter import intake as contact_center
from zayavky.contactcenter import settle as settling
from zayavky.contactcenter.models import IntakeRecord

DESCRIPTION = """
Residents' requests received from the Contact Center, handled under order No. 170-р.

**Who you are.** Send `Authorization: Bearer <token>` (a token made by `zayavky token USERNAME`) or use the
session of the web pages (then send the CSRF token with every POST). You see only the requests your roles and
units allow; applicants' phone, e-mail and postal address only if your role handles them.

**Errors** are always `{"code", "message", "fields"}`: 400 the body is not JSON, 401 not signed in, 403 not
yours to do, 404 no such request (or not one you may see), 409 the request's state does not allow it
(`expected_status` lets you say which state you saw), 422 wrong data, with the messages per field.
Messages are in Ukrainian; send `Accept-Language: en` for English.
"""


class Utf8Renderer(JSONRenderer):
    """Cyrillic as it is, not as \\u escapes: readable in a log and a third shorter."""

    json_dumps_params = {"ensure_ascii": False}


class EmptyBodyParser(Parser):
    """An action without data (take, sign, hand_over) may come with no body at all, or an empty one."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not request.body.strip():
            return {}
        return super().parse_body(request)


api = NinjaAPI(
    title="Заявки — API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    # The Swagger UI comes from ninja's own static files ("ninja" is an installed app): no CDN. The
    # validator badge would fetch an image from swagger.io, so it is switched off.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=Utf8Renderer(),
    parser=EmptyBodyParser(),
)
errors.install(api)
v1 = Router()


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _no_such_request() -> NotFound:
    return NotFound(_("No such request."))


def _visible(user: User, request_id: int) -> Any:
    """The request with everything its detail shows, or 404 — never a hint that an invisible one exists."""
    if not 1 <= request_id <= MAX_ID:
        raise _no_such_request()
    r = presenters.detail_queryset().filter(pk=request_id).first()
    if r is None or not access.can_see(user, r):
        raise _no_such_request()
    return r


def _shown(http_request: HttpRequest, r: Any, user: User) -> dict[str, Any]:
    """The detail of a request; an applicant's contacts in it are a look the access log records."""
    if access.sees_personal_data(user, r):
        audit.record(user, [r.pk], audit.PersonalDataAccess.Through.API, http_request)
    return presenters.detail(r, user)


def _detail(http_request: HttpRequest, user: User, request_id: int) -> dict[str, Any]:
    return _shown(http_request, _visible(user, request_id), user)


def _page(qs: Any, page: int, page_size: int) -> tuple[int, Any]:
    count = qs.count()
    start = (page - 1) * page_size
    return count, qs[start : start + page_size]


# --- who am I, reference data ------------------------------------------------------------------------


@v1.get("/me", response={200: MeOut, **ERRORS}, tags=["people"], summary="The caller: roles, units, signs for")
def me(request: HttpRequest) -> Any:
    return presenters.me(_caller(request))


@v1.get("/units", response={200: list[UnitOut], **ERRORS}, tags=["reference"], summary="Active structural units")
def units(request: HttpRequest) -> Any:
    return [
        {**presenters.unit_ref(u), "email": u.email}  # type: ignore[dict-item]
        for u in Unit.objects.filter(is_active=True).order_by("name")
    ]


@v1.get(
    "/categories",
    response={200: list[CategoryOut], **ERRORS},
    tags=["reference"],
    summary="Request types of the Classifier (1.3)",
)
def categories(request: HttpRequest, filters: Query[CategoryFilters]) -> Any:
    qs = Category.objects.select_related("unit").order_by("code")
    if not filters.include_retired:
        qs = qs.filter(is_active=True)
    for word in (filters.q or "").split()[:8]:
        qs = qs.filter(Q(name__icontains=word) | Q(keywords__icontains=word) | Q(code__icontains=word))
    return presenters.categories(list(qs))


# --- requests ----------------------------------------------------------------------------------------


@v1.get("/requests", response={200: RequestPage, **ERRORS}, tags=["requests"], summary="Requests you may see")
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    user = _caller(request)
    qs = filter_requests(access.visible_requests(user), filters.filters(), user=user)
    qs = presenters.list_queryset(order_requests(qs, filters.ordering))
    count, rows = _page(qs, filters.page, filters.page_size)
    now = timezone.now()
    personal = access.sees_personal_data(user)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [presenters.summary(r, now, personal=personal) for r in rows],
    }


@v1.get(
    "/requests/{int:id}",
    response={200: RequestDetail, **ERRORS},
    tags=["requests"],
    summary="One request: history, contacts, answer, files, dues and what you may do with it",
)
def get_request(request: HttpRequest, id: int) -> Any:
    return _detail(request, _caller(request), id)


def _category_id(value: Any) -> Any:
    """``route`` takes the Classifier type by id (a number) or by code (text)."""
    if isinstance(value, str):
        pk = Category.objects.filter(code=value, is_active=True).values_list("pk", flat=True).first()
        if pk is None:
            msg = _("No active request type of the Classifier has this code.")
            raise Invalid(msg, fields={"category": [msg]})
        return pk
    return value


def _confirmed(user: User, secret: str) -> None:
    """The API's sign needs the same deliberate confirmation as the page's (2.4, 2.8)."""
    if not security.confirm(user, secret):
        msg = _("The code or password is wrong: the answer is not signed.")
        raise Invalid(msg, code="confirmation_failed", fields={"confirmation": [msg]})


def _action_view(name: str, schema: type[ActionIn]) -> Any:
    function = workflow.ACTIONS[name]

    def view(request: HttpRequest, id: int, payload: Any = None) -> Any:
        # (`payload` is None only for an action without data whose body was left out.)
        user = _caller(request)
        if not 1 <= id <= MAX_ID:
            raise _no_such_request()
        data = (payload or schema()).model_dump()
        if name == "sign":
            secret = data.pop("confirmation")
            target = ServiceRequest.objects.filter(pk=id).first()
            if target is not None and rules.may(user, "sign", target):  # else the workflow says why not
                _confirmed(user, secret)
        if name == "route":
            data["category"] = _category_id(data["category"])
        function(user, id, **data)
        # The request as the action left it, even if the caller no longer sees it (return_to_general takes
        # it out of the unit): the answer to "what did I just do", its `actions` then empty.
        return _shown(request, presenters.detail_queryset().get(pk=id), user)

    view.__name__ = f"action_{name}"
    view.__doc__ = (function.__doc__ or "").strip()
    view.__annotations__ = {"request": HttpRequest, "id": int, "payload": schema, "return": Any}
    if any(field.is_required() for field in schema.model_fields.values()):
        view.__defaults__ = ()  # the data is required; without data (take, sign) the body may be left out
    return view


def _source(paragraph: str) -> str:
    return f"order 170-р, p. {paragraph}" if paragraph[:1].isdigit() else paragraph


for _name, _schema in ACTION_INPUT.items():
    v1.post(
        f"/requests/{{int:id}}/{_name}",
        response={200: RequestDetail, **ERRORS},
        tags=["actions"],
        summary=f"{_name} ({_source(rules.RULES[_name].paragraph)})",
        operation_id=f"action_{_name}",
    )(_action_view(_name, _schema))


@v1.post(
    "/requests/{int:id}/files",
    response={201: FileOut, **ERRORS},
    tags=["actions"],
    summary="Attach a photo, act or scan (2.5): checked by content, size-limited",
)
def upload(
    request: HttpRequest,
    id: int,
    file: File[UploadedFile],
    kind: Form[FileKind],
    expected_status: Form[StatusName | None] = None,
) -> Any:
    if not 1 <= id <= MAX_ID:
        raise _no_such_request()
    _request, attachment = workflow.attach(
        _caller(request), id, upload=file, kind=kind, expected_status=expected_status
    )
    return Status(201, presenters.file_out(attachment))


# --- the Contact Center ------------------------------------------------------------------------------


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic's JSON schema with its ``$defs`` put in place, for an OpenAPI requestBody."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)  # type: ignore[no-any-return]


@v1.post(
    "/intake",
    response={200: RequestDetail, 201: RequestDetail, **ERRORS},
    tags=["contact center"],
    summary="The Contact Center hands a request over (2.1)",
    description=(
        "201: received. 200: the same number with the same content was received before (the same request). "
        "409: the same number with other content; the payload is kept in the intake log. Every call, refused "
        "ones too, is kept in the intake log. Allowed to the general department and the integration account."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(contact_center.IntakeIn.model_json_schema())}},
        }
    },
)
def intake(request: HttpRequest) -> Any:
    user = _caller(request)
    outcome = contact_center.accept(user, request)
    return Status(201 if outcome.created else 200, _detail(request, user, outcome.request.pk))


def _reads_intake_log(user: User) -> None:
    if not (user.is_superuser or user.roles() & {Role.GENERAL, Role.CONTROLLER}):
        raise Forbidden(_("The intake log is for the general department and the controller."), code="wrong_person")


@v1.get(
    "/intake-log",
    response={200: IntakePage, **ERRORS},
    tags=["contact center"],
    summary="Every hand-over by the Contact Center, e.g. ?outcome=conflict",
)
def intake_log(request: HttpRequest, filters: Query[IntakeLogFilters]) -> Any:
    user = _caller(request)
    _reads_intake_log(user)
    qs = IntakeRecord.objects.select_related("actor", "request", "settled_by").order_by("-received_at", "-pk")
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.settled is not None:
        qs = qs.filter(settled_at__isnull=not filters.settled)
    if filters.external_id:
        qs = qs.filter(external_id=filters.external_id.strip())
    count, rows = _page(qs, filters.page, filters.page_size)
    personal = access.sees_personal_data(user)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [presenters.intake_record(rec, personal=personal) for rec in rows],
    }


@v1.post(
    "/intake-log/{int:id}/settle",
    response={200: IntakeRecordOut, **ERRORS},
    tags=["contact center"],
    summary="The general department settles a conflicting or refused hand-over (order 170-р, p. 2.1)",
)
def settle(request: HttpRequest, id: int, payload: SettleIn | None = None) -> Any:
    """A conflict: ``take_new`` replaces the request's differing fields with the new version's, ``keep`` (the
    default) keeps the stored one, ``dismiss`` dismisses the new one; a refused hand-over: ``dismiss``. The
    request's history records the decision."""
    user = _caller(request)
    if not 1 <= id <= MAX_ID:
        raise NotFound(_("No such record of the intake log."))
    settling.settle(user, id, payload.decision if payload else None)
    record = IntakeRecord.objects.select_related("actor", "request", "settled_by").get(pk=id)
    return presenters.intake_record(record, personal=access.sees_personal_data(user))


api.add_router("/v1/", v1)
