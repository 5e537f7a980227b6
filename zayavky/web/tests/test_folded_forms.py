"""A calm request page: the next step of the procedure stays open at the top, the other forms fold under
their titles into ``<details>`` blocks and open by themselves when they come back with errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zayavky.cases.models import Event, ServiceRequest
from zayavky.web.tests.pages import action_forms, content, field_errors, forms_on, section


def _page(client, request) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 200
    return content(response)


def test_it_keeps_the_heads_next_steps_open_and_folds_the_rest(district, advance, login):
    # An emergency request two hours old: the head submits the answer (2.6) and may still extend (2.13).
    request = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    page = _page(login("head"), request)
    assert action_forms(page) == [
        ("submit", "open"),
        ("extend", "open"),
        ("draft", "folded"),  # the submit form carries the same answer
        ("contact", "folded"),
        ("attach", "folded"),
        ("reassign", "folded"),
        ("comment", "folded"),
        ("return_to_general", "folded"),
    ]
    # Folded is not hidden from the page: every form is there, under a title one can open.
    assert forms_on(page) == {a for a, _ in action_forms(page)}
    assert '<h3 class="actions__more">Інші дії</h3>' in page
    assert '<summary><h3 class="action__title">Зв’язок із заявником</h3></summary>' in page


def test_it_keeps_the_executors_own_work_open(district, advance, login):
    request = advance("in_work")
    page = _page(login("executor"), request)
    # 2.5, 2.10: the answer, the contacts and the photos are the executor's job on this page.
    assert action_forms(page) == [("draft", "open"), ("contact", "open"), ("attach", "open"), ("comment", "folded")]


def test_it_folds_the_draft_of_a_head_who_is_his_own_executor_but_not_his_contacts(district, advance, login):
    request = advance("with_head")
    from zayavky.cases import workflow

    workflow.assign(district.head, request.pk, executor=district.head.pk)
    page = _page(login("head"), request)
    states = dict(action_forms(page))
    assert states["submit"] == "open"
    assert states["draft"] == "folded"
    assert states["contact"] == states["attach"] == "open"


@pytest.mark.parametrize(
    ("status", "persona", "step"),
    [
        ("new", "general", "route"),  # 2.2
        ("routed", "clerk", "take"),  # 2.3
        ("with_head", "head", "assign"),  # 2.3
        ("on_signature", "signatory", "sign"),  # 2.4, 2.8
        ("signed", "clerk", "hand_over"),  # 2.7
        ("handed_over", "general", "publish"),  # 2.9
        ("published", "general", "rework"),
    ],
)
def test_it_puts_the_next_step_first_and_open(district, advance, login, status, persona, step):
    page = _page(login(persona), advance(status))
    forms = action_forms(page)
    assert forms[0] == (step, "open")
    assert all(state == "folded" for _, state in forms[1:]), forms


def test_it_unfolds_a_form_that_comes_back_with_errors(district, advance, login):
    request = advance("in_work")
    before = Event.objects.filter(request=request).count()
    response = login("head").post(f"/requests/{request.pk}/act/comment/", {"comment-text": "   "})
    assert response.status_code == 422
    page = content(response)
    states = dict(action_forms(page))
    assert states["comment"] == "unfolded"
    assert states["reassign"] == states["return_to_general"] == "folded"
    assert field_errors(page, "text")
    assert Event.objects.filter(request=request).count() == before


def test_it_unfolds_the_return_to_general_with_its_reasons_in_full(district, advance, login):
    request = advance("routed")
    response = login("clerk").post(
        f"/requests/{request.pk}/act/return_to_general/",
        {"return_to_general-expected_status": "routed", "return_to_general-comment": "Не наше."},
    )
    assert response.status_code == 422
    page = content(response)
    assert dict(action_forms(page))["return_to_general"] == "unfolded"
    assert field_errors(page, "reason") == "Це поле обов'язкове."
    form = section(page, "action-return_to_general")
    # The reasons are radio buttons with their whole text (a closed drop-down cut them off), none chosen.
    assert form.count('type="radio" name="return_to_general-reason"') == 2
    assert "питання не належить до компетенції виконавчого комітету районної у місті ради" in form
    assert "checked" not in form
    assert "Не наше." in form  # what was typed is kept
    fresh = ServiceRequest.objects.get(pk=request.pk)
    assert (fresh.status, fresh.unit_id) == ("routed", district.zhkg.pk)


def test_it_folds_a_lone_comment_without_a_heading_for_other_steps(district, advance, login):
    page = _page(login("controller"), advance("in_work"))  # reads everything, acts on nothing
    assert action_forms(page) == [("comment", "folded")]
    assert "actions__more" not in page
