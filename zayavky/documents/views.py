"""The registration card (2.2, 2.3) and the answer letter (2.4–2.6) in the browser.

Like every page, these never change a request themselves: taking the card calls ``workflow.take``.
A request the person may not see is a 404, never a hint that it exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zayavky.cases import access, answers, audit, workflow
from zayavky.cases.errors import NotFound, WorkflowError
from zayavky.cases.models import ServiceRequest
from zayavky.documents import letter
from zayavky.documents.card import build_card


def _visible(request: HttpRequest, pk: int) -> ServiceRequest:
    try:
        return access.get_visible(request.user, pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404(_("No such request.")) from None


def _back_url(request: HttpRequest) -> str:
    """Where «Back» leads: the page the person came from, if it is ours; else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and "/card/" not in referer
    ):
        return referer
    return reverse("web:home")


def _render_card(
    request: HttpRequest, sr: ServiceRequest, *, error: str = "", status: int = 200, auto_print: bool = False
) -> HttpResponse:
    card = build_card(sr, request.user)  # type: ignore[arg-type]
    if card.personal:
        audit.record(request.user, [sr.pk], audit.PersonalDataAccess.Through.CARD, request)
    context = {
        "card": card,
        "error": error,
        "auto_print": auto_print,
        "back_url": _back_url(request),
    }
    return render(request, "documents/card.html", context, status=status)


@login_required
@require_GET
def card(request: HttpRequest, pk: int) -> HttpResponse:
    """2.3: the A4 registration card, with a print button (and, for the unit clerk, «take» with the print)."""
    sr = _visible(request, pk)
    return _render_card(request, sr, auto_print=request.GET.get("print") == "1")


@login_required
@require_POST
def card_take(request: HttpRequest, pk: int) -> HttpResponse:
    """2.3: the unit clerk prints the card and passes it to the head — recorded by ``workflow.take``."""
    sr = _visible(request, pk)
    try:
        workflow.take(request.user, sr.pk, expected_status=request.POST.get("expected_status") or None)  # type: ignore[arg-type]
    except WorkflowError as exc:
        # A stale page (someone took it meanwhile) or a person whose step it is not: say so, change nothing.
        sr.refresh_from_db()
        return _render_card(request, sr, error=exc.message, status=exc.status)
    messages.success(
        request,
        _("Card of request %(number)s printed; the request is passed to the head of the unit (p. 2.3).")
        % {"number": sr.number},
    )
    return redirect(reverse("documents:card", args=[sr.pk]) + "?print=1")


def _letter_refused(request: HttpRequest, sr: ServiceRequest) -> HttpResponse | None:
    if answers.current_answer(sr) is None:
        return render(
            request,
            "documents/no_answer.html",
            {"sr": sr, "back_url": _back_url(request)},
            status=409,
        )
    return None


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"  # personal data of the applicant
    return response


_LETTER_FORMATS = {
    "docx": (letter.answer_docx, letter.DOCX_CONTENT_TYPE),
    "pdf": (letter.answer_pdf, letter.PDF_CONTENT_TYPE),
}


def _letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sr = _visible(request, pk)
    refused = _letter_refused(request, sr)
    if refused is not None:
        return refused
    render, content_type = _LETTER_FORMATS[fmt]
    personal = access.sees_personal_data(request.user, sr)  # type: ignore[arg-type]
    if personal:
        audit.record(request.user, [sr.pk], audit.PersonalDataAccess.Through.LETTER, request)
    return _attachment(render(sr, personal=personal), content_type, letter.answer_filename(sr, fmt))


@login_required
@require_GET
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """2.4–2.6: the answer letter as an editable Word document."""
    return _letter(request, pk, "docx")


@login_required
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """2.4–2.6: the answer letter as PDF."""
    return _letter(request, pk, "pdf")
