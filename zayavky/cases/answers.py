"""The content of the answer to the applicant: what it says when the applicant could not be reached (2.11),
which round's answer is current after a rework, and the draft offered to the executor (2.5)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zayavky.cases.models import Answer, ContactAttempt, ServiceRequest


def round_contacts(request: ServiceRequest) -> Any:
    """The contact attempts of the current round: after a rework the applicant is contacted anew, and
    having reached them before the Contact Center returned the request says nothing about now (2.11)."""
    contacts = request.contacts.all()
    if request.rework_count and request.term_started_at:
        contacts = contacts.filter(at__gte=request.term_started_at)
    return contacts


def contact_failed(request: ServiceRequest) -> bool:
    """2.11: attempts were made in this round and none reached the applicant."""
    outcomes = list(round_contacts(request).values_list("outcome", flat=True))
    return bool(outcomes) and ContactAttempt.Outcome.REACHED not in outcomes


def unreachable_sentence(request: ServiceRequest) -> str:
    """The sentence 2.11 asks for in the written answer when the applicant could not be reached."""
    reasons = {
        ContactAttempt.Outcome.PHONE_OFF: _("the phone was switched off"),
        ContactAttempt.Outcome.WRONG_NUMBER: _("the number given is wrong"),
        ContactAttempt.Outcome.NO_ANSWER: _("the calls were not answered"),
        ContactAttempt.Outcome.OTHER: _("the applicant could not be reached"),
    }
    seen = []
    for outcome in round_contacts(request).values_list("outcome", flat=True):
        reason = reasons.get(outcome)
        if reason and reason not in seen:
            seen.append(reason)
    return _("We could not reach you by the contact details given (%(reasons)s).") % {
        "reasons": "; ".join(seen) or _("the applicant could not be reached")
    }


def current_answer(request: ServiceRequest) -> Answer | None:
    return request.answers.filter(round=request.rework_count).first()


def suggested_answer_text(request: ServiceRequest) -> str:
    """The draft offered to the executor: the saved one, and the 2.11 sentence when contact failed."""
    answer = current_answer(request)
    text = answer.text if answer else ""
    if contact_failed(request):
        sentence = unreachable_sentence(request)
        if sentence not in text:
            text = f"{text}\n\n{sentence}".strip()
    return text
