"""The staff pages: the work queues, the request page and its action forms.

The pages never change a request themselves: every form hands its cleaned data to the workflow function
of its action (``workflow.ACTIONS``), which checks role, state and data; a refusal comes back onto the
same form. A request the person may not see is a 404, never a hint that it exists.
"""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zayavky.accounts.models import Role, User
from zayavky.cases import access, answers, audit, files, rules, signing, workflow
from zayavky.cases.errors import Conflict, Forbidden, Invalid, NotFound, WorkflowError
from zayavky.cases.models import ServiceRequest
from zayavky.catalog.models import Category
from zayavky.contactcenter.models import IntakeRecord
from zayavky.web import classifier, history, queues
from zayavky.web.forms import FORMS, ORDER, ActionForm, folded
from zayavky.web.timeleft import due_states, request_time_left

#: What the page says after each action (a message after every action).
SUCCESS = {
    "route": gettext_lazy("Request %(number)s was routed to «%(unit)s»."),
    "take": gettext_lazy("Request %(number)s: the card is printed and passed to the head."),
    "assign": gettext_lazy("Request %(number)s: %(executor)s is the executor."),
    "reassign": gettext_lazy("Request %(number)s: %(executor)s is now the executor."),
    "contact": gettext_lazy("Request %(number)s: the contact with the applicant is recorded."),
    "draft": gettext_lazy("Request %(number)s: the draft answer is saved."),
    "submit": gettext_lazy("Request %(number)s: the answer is submitted for signature."),
    "return": gettext_lazy("Request %(number)s: the answer is returned to the unit."),
    "sign": gettext_lazy("Request %(number)s: the answer is signed, outgoing No. %(outgoing)s."),
    "hand_over": gettext_lazy("Request %(number)s: handed over to the general department."),
    "publish": gettext_lazy("Request %(number)s: the answer is posted to the Contact Center."),
    "rework": gettext_lazy("Request %(number)s is returned for rework."),
    "withdraw": gettext_lazy("Request %(number)s is withdrawn."),
    "return_to_general": gettext_lazy("Request %(number)s is returned to the general department."),
    "extend": gettext_lazy("Request %(number)s: the term is extended to %(due)s."),
    "comment": gettext_lazy("Request %(number)s: the comment is added."),
    "attach": gettext_lazy("Request %(number)s: files attached: %(count)d."),
}


#: Which paragraph sets the unit's term, by urgency type (2.12; long-term: the organisation's setting).
INTERNAL_BASIS = {
    "emergency": gettext_lazy("order 170-р, p. 2.12.3: one hour before the 24-hour term expires"),
    "ordinary": gettext_lazy("order 170-р, p. 2.12.1: the 4th day after receipt"),
    "medium_term": gettext_lazy("order 170-р, p. 2.12.2: the 14th day after receipt"),
    "long_term": gettext_lazy("long-term type: the term set by the administrator"),
}


def _url(name: str, pk: int, fallback: str) -> str:
    """Pages of other apps by URL name; their known path while that app is not wired in yet."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


def _visible(user: User, pk: int) -> ServiceRequest:
    try:
        return access.get_visible(user, pk)
    except NotFound:
        raise Http404(_("No such request.")) from None


# --- home: the work queues --------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    context: dict[str, Any] = {"queues": queues.load(user, now), "now": now}
    if user.has_role(Role.GENERAL):
        # Hand-overs that conflict with a request already received: nothing is silently dropped (2.1).
        conflicts = (
            IntakeRecord.objects.filter(outcome=IntakeRecord.Outcome.CONFLICT, settled_at__isnull=True)
            .select_related("request")
            .order_by("received_at", "pk")
        )
        rows = list(conflicts[: queues.LIMIT + 1])
        context["conflicts"] = rows[: queues.LIMIT]
        context["conflicts_more"] = len(rows) > queues.LIMIT
    if user.has_role(Role.CONTROLLER):
        context["counts"] = queues.controller_counts(user, now)
    return render(request, "web/home.html", context)


# --- the request page -----------------------------------------------------------------------------


def _route_choices(request: HttpRequest, sr: ServiceRequest, form: ActionForm | None) -> dict[str, Any]:
    """The Classifier search of the route form, done on the server so the page works without a script."""
    query = request.GET.get("cq", "")[:200]
    results = classifier.search(query) if query else []
    selected: Any = None
    if form is not None and form.is_bound:
        selected = form["category"].value()
    elif sr.category_id:
        selected = sr.category_id
    try:
        selected = int(selected) if selected not in (None, "") else None
    except (TypeError, ValueError):
        selected = None
    if selected and all(c.pk != selected for c in results):
        chosen = Category.objects.filter(pk=selected, is_active=True).select_related("unit").first()
        if chosen:
            results = [chosen, *results]
    return {"cq": query, "results": results, "selected": selected}


def _detail(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    bound: ActionForm | None = None,
    unsaved: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    available = rules.available_actions(user, sr)
    offered = set(available)
    forms: list[ActionForm] = []
    for action in ORDER:
        if action not in offered:
            continue
        if bound is not None and bound.action == action:
            form = bound
        else:
            form = FORMS[action](sr=sr, user=user)
        form.folded = folded(action, offered=offered, user=user, sr=sr)
        forms.append(form)
    # The next step first, open; the other forms below it, folded under their titles (stable: ORDER kept).
    forms.sort(key=lambda f: f.folded)
    events = sr.events.select_related("actor").order_by("at", "pk")
    rounds = list(sr.answers.select_related("author").order_by("-round"))
    attachments = list(sr.attachments.select_related("uploaded_by"))
    for attachment in attachments:
        attachment.url = _url("cases:attachment", attachment.pk, f"/files/{attachment.pk}/")  # type: ignore[attr-defined]
    current = next((a for a in rounds if a.round == sr.rework_count), None)
    personal = access.sees_personal_data(user, sr)
    if personal:
        audit.record(user, [sr.pk], audit.PersonalDataAccess.Through.REQUEST_PAGE, request)
    context: dict[str, Any] = {
        "sr": sr,
        "now": now,
        "forms": forms,
        "has_open_forms": any(not f.folded for f in forms),
        "dues": due_states(sr),
        "actions": available,
        "history": history.lines(events),
        "contacts": list(sr.contacts.select_related("actor")),
        "answer": current,
        "earlier_answers": [a for a in rounds if a is not current],
        "attachments": attachments,
        "photos": [a for a in attachments if a.is_image],
        "extensions": list(sr.extensions.select_related("decided_by")),
        "personal": personal,
        "signed_changed": signing.changed_since_signing(sr),
        "time_left": request_time_left(sr, now=now),
        "extension": (extension := rules.extension(sr, now)),
        "decide_by": extension.decide_by if extension.warn else None,
        "unsaved": unsaved or [],
        "contact_failed": answers.contact_failed(sr) if sr.unit_id else False,
        "internal_basis": INTERNAL_BASIS.get(sr.urgency, ""),
        "links": {
            "card": _url("documents:card", sr.pk, f"/requests/{sr.pk}/card/"),
            "letter_docx": _url("documents:letter_docx", sr.pk, f"/requests/{sr.pk}/letter.docx"),
            "letter_pdf": _url("documents:letter_pdf", sr.pk, f"/requests/{sr.pk}/letter.pdf"),
        },
    }
    if "route" in available:
        route_form = bound if bound is not None and bound.action == "route" else None
        context["route"] = _route_choices(request, sr, route_form)
    return render(request, "web/request.html", context, status=status)


@login_required
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request.user, pk))  # type: ignore[arg-type]


def _unsaved(form: ActionForm) -> list[tuple[str, str]]:
    """What the person typed into a form that can no longer be taken, so nothing typed is lost."""
    out = []
    for name, field in form.fields.items():
        if name == "expected_status" or not isinstance(field.widget, djforms.Textarea):
            continue
        value = form.data.get(form.add_prefix(name), "")
        if value.strip():
            out.append((str(field.label), value))
    return out


def _attach(user: User, sr: ServiceRequest, form: ActionForm) -> int:
    """2.5: every file is checked before any is stored, so one bad file stores none."""
    uploads = list(form.cleaned_data["file"])
    for upload in uploads:
        # One file in memory at a time: the uploads themselves wait in temporary files on disk
        # (FILE_UPLOAD_MAX_MEMORY_SIZE), never twelve of them in a worker's memory at once.
        data, name = files.read_upload(upload)
        files.check_content(data, name)
        del data
    for upload in uploads:
        upload.seek(0)
        workflow.attach(user, sr.pk, upload=upload, kind=form.cleaned_data["kind"])
    return len(uploads)


def _success(action: str, sr: ServiceRequest, count: int = 0) -> str:
    due = sr.control_due
    return str(SUCCESS[action]) % {
        "number": sr.number,
        "unit": str(sr.unit) if sr.unit_id else "—",
        "executor": sr.executor.short_name if sr.executor else "—",
        "outgoing": sr.outgoing_number or "—",
        "due": timezone.localtime(due).strftime("%d.%m.%Y %H:%M") if due else "—",
        "count": count,
    }


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one action on one request: ``POST /requests/<id>/act/<action>/``."""
    user: User = request.user  # type: ignore[assignment]
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404(_("No such action."))
    sr = _visible(user, pk)
    form = form_class(request.POST, request.FILES, sr=sr, user=user)
    shown = request.POST.get(form.add_prefix("expected_status"), "")
    if not form.is_valid():
        if form.checks_status and shown and shown != sr.status:
            return _stale(request, sr, form, _stale_text(sr))
        messages.error(request, _("The form has errors: see the fields marked below."))
        return _detail(request, sr, bound=form, status=422)
    count = 0
    try:
        if action == "attach":
            count = _attach(user, sr, form)
        else:
            workflow.ACTIONS[action](user, sr.pk, **form.workflow_kwargs())
    except NotFound:
        raise Http404(_("No such request.")) from None
    except Conflict as refused:
        if refused.code in ("stale", "wrong_state"):
            fresh = _fresh(sr)
            text = _stale_text(fresh) if shown and shown != fresh.status else refused.message
            return _stale(request, fresh, form, text)
        return _refused(request, sr, form, refused, 409)
    except Forbidden as refused:
        messages.error(request, refused.message)
        return _detail(request, _fresh(sr), status=403)
    except (Invalid, WorkflowError) as refused:
        return _refused(request, sr, form, refused, 422)
    fresh = _fresh(sr)
    messages.success(request, _success(action, fresh, count))
    if not access.can_see(user, fresh):
        # 2.2: a request returned to the general department leaves the unit's sight.
        return redirect("web:home")
    # "#main": the message at the top of the page, not the form's anchor the browser would carry over.
    return redirect(reverse("web:request", args=[sr.pk]) + "#main")


def _fresh(sr: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_related("category", "unit", "executor").get(pk=sr.pk)


def _stale_text(sr: ServiceRequest) -> str:
    return _("Someone has moved request %(number)s on meanwhile: it is now «%(status)s».") % {
        "number": sr.number,
        "status": sr.get_status_display(),
    }


def _stale(request: HttpRequest, sr: ServiceRequest, form: ActionForm, message: str) -> HttpResponse:
    """A page that went stale says what happened and shows the request as it is now."""
    fresh = _fresh(sr)
    messages.warning(request, message)
    still = form.action in rules.available_actions(request.user, fresh)  # type: ignore[arg-type]
    if still:
        # The same step is still possible: keep what was typed, with the status the page now shows.
        data = form.data.copy()  # type: ignore[attr-defined]  # a bound form's data is the POST QueryDict
        data[form.add_prefix("expected_status")] = fresh.status
        rebound = type(form)(data, sr=fresh, user=form.user)
        return _detail(request, fresh, bound=rebound, status=409)
    return _detail(request, fresh, unsaved=_unsaved(form), status=409)


def _refused(
    request: HttpRequest, sr: ServiceRequest, form: ActionForm, refused: WorkflowError, status: int
) -> HttpResponse:
    form.add_workflow_errors(refused.fields, refused.message)
    messages.error(request, refused.message)
    return _detail(request, _fresh(sr), bound=form, status=status)
