"""Every action form of the request page: it posts for the right persona and the
request moves on with a message; bad input gets a Ukrainian field error, keeps what was typed and
changes nothing; a stale page says what happened; a step that is not the person's is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zayavky.cases import answers, workflow
from zayavky.cases.models import Answer, Attachment, ContactAttempt, Event, Extension, ServiceRequest
from zayavky.conftest import JPEG_1PX, confirmation_for
from zayavky.web.tests.conftest import form_data
from zayavky.web.tests.pages import content, field_errors, messages, section, text


def _act(client: Client, request: ServiceRequest, action: str, files: dict[str, Any] | None = None, **fields: Any):
    """Open the request page as the person would, fill the action's form and send it."""
    page = client.get(f"/requests/{request.pk}/")
    assert page.status_code == 200
    data = form_data(page, action, **fields)
    if files:
        data.update({f"{action}-{name}": value for name, value in files.items()})
    return client.post(f"/requests/{request.pk}/act/{action}/", data)


def _snapshot(request: ServiceRequest) -> tuple[Any, ...]:
    fresh = ServiceRequest.objects.get(pk=request.pk)
    return (
        fresh.status,
        fresh.unit_id,
        fresh.executor_id,
        fresh.control_due,
        Event.objects.filter(request=request).count(),
        Answer.objects.filter(request=request).count(),
        Attachment.objects.filter(request=request).count(),
        ContactAttempt.objects.filter(request=request).count(),
        Extension.objects.filter(request=request).count(),
    )


def _done(client: Client, response: Any, request: ServiceRequest) -> str:
    """The action went through: back to the request page with a success message."""
    assert response.status_code == 302, messages(content(response)) or content(response)[:2000]
    page = client.get(response["Location"])
    said = messages(content(page))
    assert said, "a message after every action"
    assert 'data-testid="message-success"' in content(page)
    return " ".join(said)


# --- each action, by its persona ------------------------------------------------------------------


def test_it_routes_a_new_request(district, make_request, login):
    request = make_request()
    client = login("general")
    said = _done(client, _act(client, request, "route", category=district.ordinary.pk, note="Терміново"), request)
    request.refresh_from_db()
    assert (request.status, request.unit, request.category) == ("routed", district.zhkg, district.ordinary)
    assert f"Заявку {request.number} направлено до підрозділу «ЖКГ»." in said


def test_it_routes_to_another_unit_than_the_classifiers(district, make_request, login):
    request = make_request()
    client = login("general")
    _done(client, _act(client, request, "route", category=district.ordinary.pk, unit=district.blag.pk), request)
    request.refresh_from_db()
    assert request.unit == district.blag and request.category == district.ordinary
    history = text(section(content(login("general").get(f"/requests/{request.pk}/")), "history"))
    assert "За Класифікатором — підрозділ «ЖКГ»." in history


def test_it_takes_assigns_and_submits(district, advance, login):
    request = advance("routed")
    clerk, head = login("clerk"), login("head")
    assert "картку роздруковано" in _done(clerk, _act(clerk, request, "take"), request)
    said = _done(head, _act(head, request, "assign", executor=district.executor.pk), request)
    assert "виконавцем визначено Олійник В." in said
    _done(head, _act(head, request, "submit", text="Світло відновлено.", outcome="executed"), request)
    request.refresh_from_db()
    assert request.status == "on_signature" and request.executor == district.executor


def test_it_reassigns(district, advance, login):
    request = advance("in_work")
    head = login("head")
    _done(head, _act(head, request, "reassign", executor=district.executor2.pk, reason="Відпустка"), request)
    request.refresh_from_db()
    assert request.executor == district.executor2


def test_it_records_a_contact_and_offers_the_2_11_sentence(district, advance, login):
    request = advance("in_work")
    executor = login("executor")
    _done(executor, _act(executor, request, "contact", channel="phone", outcome="phone_off"), request)
    assert ContactAttempt.objects.filter(request=request, outcome="phone_off").count() == 1
    page = content(executor.get(f"/requests/{request.pk}/"))
    draft = section(page, "action-draft")
    assert answers.unreachable_sentence(request) in draft.replace("&#x27;", "'")  # 2.11, pre-filled


def test_it_saves_a_draft_and_the_head_sees_it_prefilled(district, advance, login):
    request = advance("in_work")
    executor = login("executor")
    _done(executor, _act(executor, request, "draft", text="Лампи замінено.", outcome="executed"), request)
    submit = section(content(login("head").get(f"/requests/{request.pk}/")), "action-submit")
    assert "Лампи замінено." in submit and 'value="executed" selected' in submit


def test_it_signs_and_returns(district, advance, login):
    signed = advance("on_signature")
    returned = advance("on_signature")
    signatory = login("signatory")
    said = _done(signatory, _act(signatory, signed, "sign", confirmation=confirmation_for(district.signatory)), signed)
    signed.refresh_from_db()
    assert signed.status == "signed" and f"вихідний № {signed.outgoing_number}" in said
    _done(signatory, _act(signatory, returned, "return", comment="Додайте фото."), returned)
    returned.refresh_from_db()
    assert returned.status == "in_work"


def test_it_hands_over_publishes_and_returns_for_rework(district, advance, login):
    request = advance("signed")
    clerk, general = login("clerk"), login("general")
    _done(clerk, _act(clerk, request, "hand_over"), request)
    _done(general, _act(general, request, "publish", note="Розміщено"), request)
    request.refresh_from_db()
    assert request.status == "published"
    _done(general, _act(general, request, "rework", reason="Заявник не підтвердив."), request)
    request.refresh_from_db()
    assert request.status == "in_work" and request.rework_count == 1


def test_it_withdraws(district, make_request, login):
    request = make_request()
    general = login("general")
    _done(general, _act(general, request, "withdraw", reason="Заявник відкликав."), request)
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_it_returns_to_the_general_department_and_leaves_the_units_sight(district, advance, login):
    request = advance("routed")
    clerk = login("clerk")
    response = _act(clerk, request, "return_to_general", reason="wrong_unit", comment="Це благоустрій.")
    assert response.status_code == 302 and response["Location"] == "/"  # 2.2: the unit no longer sees it
    assert "повернуто до загального відділу" in " ".join(messages(content(clerk.get("/"))))
    request.refresh_from_db()
    assert request.status == "new" and request.unit is None


def test_it_extends_an_emergency_term_within_the_window(district, advance, login):
    request = advance("in_work", category=district.emergency)
    head = login("head")
    page = content(head.get(f"/requests/{request.pk}/"))
    window = text(section(page, "action-extend"))
    assert "Рішення ухвалити до" in window and "Новий термін — не пізніше" in window  # 2.13
    new_due = timezone.localtime(request.control_due + dt.timedelta(hours=6)).replace(second=0, microsecond=0)
    said = _done(
        head,
        _act(
            head, request, "extend", new_due=new_due.strftime("%Y-%m-%dT%H:%M"), justification="Потрібна спецтехніка."
        ),
        request,
    )
    request.refresh_from_db()
    assert request.control_due == new_due  # a datetime-local value is Kyiv time
    assert new_due.strftime("%d.%m.%Y %H:%M") in said


def test_it_comments(district, advance, login):
    request = advance("in_work")
    controller = login("controller")
    _done(controller, _act(controller, request, "comment", text="Прошу прискорити."), request)
    assert Event.objects.filter(request=request, action="comment").exists()


def test_it_attaches_several_photos_at_once(district, advance, login):
    request = advance("in_work", category=district.emergency)
    executor = login("executor")
    files = {
        "file": [
            SimpleUploadedFile("1.jpg", JPEG_1PX, "image/jpeg"),
            SimpleUploadedFile("2.jpg", JPEG_1PX, "image/jpeg"),
        ]
    }
    said = _done(executor, _act(executor, request, "attach", files=files, kind="photo"), request)
    assert Attachment.objects.filter(request=request, kind="photo").count() == 2
    assert "додано файлів — 2" in said


def test_the_file_input_opens_the_camera_on_a_phone(district, advance, login):
    request = advance("in_work")
    form = section(content(login("executor").get(f"/requests/{request.pk}/")), "action-attach")
    assert 'enctype="multipart/form-data"' in form
    assert 'accept="image/*,application/pdf"' in form and 'capture="environment"' in form and "multiple" in form


# --- bad input: a Ukrainian field error, what was typed is kept, nothing changes -------------------


@pytest.mark.parametrize(
    ("status", "persona", "action", "fields", "field", "error"),
    [
        (
            "new",
            "general",
            "route",
            {"note": "Мій коментар"},
            "category",
            "Оберіть тип заявки за Класифікатором (п. 2.2).",
        ),
        ("new", "general", "route", {"category": "abc", "note": "Мій коментар"}, "category", "ціле число"),
        ("with_head", "head", "assign", {}, "executor", "Це поле обов'язкове."),
        (
            "in_work",
            "head",
            "reassign",
            {"executor": "999999", "reason": "Моя причина"},
            "executor",
            "Оберіть одне із запропонованих значень.",
        ),
        (
            "in_work",
            "executor",
            "contact",
            {"channel": "phone", "outcome": "other", "note": ""},
            "note",
            "Опишіть результат зв’язку.",
        ),
        (
            "in_work",
            "executor",
            "contact",
            {"channel": "pigeon", "outcome": "reached", "note": "Мій текст"},
            "channel",
            "Оберіть одне із запропонованих значень.",
        ),
        ("in_work", "executor", "draft", {"text": "   ", "outcome": "executed"}, "text", "Це поле обов'язкове."),
        (
            "in_work",
            "executor",
            "draft",
            {"text": "Мій текст відповіді", "outcome": ""},
            "outcome",
            "Це поле обов'язкове.",
        ),
        ("on_signature", "signatory", "return", {"comment": ""}, "comment", "Це поле обов'язкове."),
        ("published", "general", "rework", {"reason": ""}, "reason", "Це поле обов'язкове."),
        ("new", "general", "withdraw", {"reason": ""}, "reason", "Це поле обов'язкове."),
        (
            "routed",
            "clerk",
            "return_to_general",
            {"reason": "because", "comment": "Мій коментар"},
            "reason",
            "Оберіть одне із запропонованих значень.",
        ),
        ("in_work", "executor", "comment", {"text": ""}, "text", "Це поле обов'язкове."),
    ],
)
def test_it_refuses_bad_input_on_the_field_and_changes_nothing(
    district, advance, login, status, persona, action, fields, field, error
):
    request = advance(status)
    before = _snapshot(request)
    client = login(persona)

    response = _act(client, request, action, **fields)

    assert response.status_code == 422
    page = content(response)
    assert error in field_errors(page, field)
    assert "У формі є помилки" in " ".join(messages(page))
    for value in fields.values():
        if value and value.strip() and value not in ("abc", "999999", "pigeon", "because", "other", "phone"):
            assert value in page  # what was typed is kept
    assert _snapshot(request) == before


def test_it_refuses_an_extension_beyond_two_working_days_in_ukrainian(district, advance, login):
    request = advance("in_work", category=district.emergency)
    before = _snapshot(request)
    head = login("head")
    too_far = timezone.localtime(request.regulation_due + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")

    response = _act(head, request, "extend", new_due=too_far, justification="Моє обґрунтування")

    assert response.status_code == 422
    page = content(response)
    assert "не більше ніж на 2 робочі дні (п. 2.13)" in field_errors(page, "new_due")  # deadlines.py's words
    assert "Моє обґрунтування" in page and too_far in page
    assert _snapshot(request) == before


def test_it_refuses_a_date_that_is_not_a_date(district, advance, login):
    request = advance("in_work", category=district.emergency)
    before = _snapshot(request)
    response = _act(login("head"), request, "extend", new_due="завтра", justification="Моє обґрунтування")
    assert response.status_code == 422
    assert "Введіть коректну дату/час." in field_errors(content(response), "new_due")
    assert _snapshot(request) == before


def test_it_says_when_the_12_hours_for_an_extension_have_passed(district, advance, login):
    request = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=13))
    before = _snapshot(request)
    new_due = timezone.localtime(request.control_due + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")

    response = _act(login("head"), request, "extend", new_due=new_due, justification="Запізно")

    assert response.status_code == 409
    assert "протягом 12 годин з моменту надходження заявки (п. 2.13)" in text(content(response))
    assert _snapshot(request) == before


def test_it_refuses_to_submit_without_the_required_photo(district, advance, login):
    request = advance("in_work", category=district.emergency)  # 2.5: photo or act required
    before = _snapshot(request)
    response = _act(login("head"), request, "submit", text="Порив усунуто.", outcome="executed")
    assert response.status_code == 422
    page = content(response)
    assert 'data-testid="form-errors"' in section(page, "action-submit")
    assert "Порив усунуто." in page
    assert _snapshot(request) == before


def test_it_stores_no_file_when_one_of_several_is_not_a_photo(district, advance, login):
    request = advance("in_work")
    before = _snapshot(request)
    files = {
        "file": [
            SimpleUploadedFile("good.jpg", JPEG_1PX, "image/jpeg"),
            SimpleUploadedFile("bad.jpg", b"MZ this is a program", "image/jpeg"),
        ]
    }
    response = _act(login("executor"), request, "attach", files=files, kind="photo")
    assert response.status_code == 422
    assert "bad.jpg" in field_errors(content(response), "file")
    assert _snapshot(request) == before


def test_it_asks_for_a_file(district, advance, login):
    request = advance("in_work")
    before = _snapshot(request)
    response = _act(login("executor"), request, "attach", kind="photo")
    assert response.status_code == 422
    assert "Оберіть файли, які треба додати." in field_errors(content(response), "file")
    assert _snapshot(request) == before


# --- stale pages, other people's steps, the HTTP rules -------------------------------------------


def test_a_stale_page_says_what_happened_and_keeps_the_typed_text(district, advance, login):
    request = advance("in_work")
    executor = login("executor")
    page = executor.get(f"/requests/{request.pk}/")  # the executor opens the page …
    workflow.submit(district.head, request.pk, text="Відповідь керівника.", outcome="executed")  # … the head submits

    data = form_data(page, "draft", text="Мій довгий текст відповіді", outcome="executed")
    response = executor.post(f"/requests/{request.pk}/act/draft/", data)

    assert response.status_code == 409
    body = content(response)
    said = " ".join(messages(body))
    assert f"Тим часом заявку {request.number} уже переведено далі: її поточний стан" in said
    assert 'data-testid="unsaved"' in body and "Мій довгий текст відповіді" in section(body, "unsaved")
    assert Answer.objects.get(request=request).text == "Відповідь керівника."


def test_a_stale_form_that_is_still_possible_is_shown_again_with_the_text(district, advance, login):
    request = advance("with_head")
    head = login("head")
    page = head.get(f"/requests/{request.pk}/")
    workflow.assign(district.head, request.pk, executor=district.executor.pk)  # meanwhile, in another tab

    data = form_data(page, "return_to_general", reason="wrong_unit", comment="Мій коментар про повернення")
    response = head.post(f"/requests/{request.pk}/act/return_to_general/", data)

    assert response.status_code == 409
    form = section(content(response), "action-return_to_general")
    assert "Мій коментар про повернення" in form
    assert 'name="return_to_general-expected_status" value="in_work"' in form  # now it may be sent again
    request.refresh_from_db()
    assert request.status == "in_work"


def test_it_refuses_a_step_that_is_not_the_persons(district, advance, login):
    request = advance("in_work")
    before = _snapshot(request)
    client = login("executor2")  # the same unit, but not the executor named on the request
    data = {"draft-expected_status": "in_work", "draft-text": "Чужа відповідь", "draft-outcome": "executed"}
    response = client.post(f"/requests/{request.pk}/act/draft/", data)
    assert response.status_code == 403
    assert messages(content(response))
    assert _snapshot(request) == before


def test_it_gives_404_when_posting_to_another_units_request(district, advance, login):
    request = advance("with_head")
    before = _snapshot(request)
    data = {"assign-expected_status": "with_head", "assign-executor": str(district.other_executor.pk)}
    assert login("other_head").post(f"/requests/{request.pk}/act/assign/", data).status_code == 404
    assert _snapshot(request) == before


def test_actions_need_post_login_a_known_name_and_csrf(district, advance, login, client):
    request = advance("routed")
    before = _snapshot(request)
    clerk = login("clerk")
    assert clerk.get(f"/requests/{request.pk}/act/take/").status_code == 405
    assert clerk.post(f"/requests/{request.pk}/act/teleport/", {}).status_code == 404
    anonymous = client.post(f"/requests/{request.pk}/act/take/", {"take-expected_status": "routed"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    strict = login("clerk", enforce_csrf_checks=True)
    assert strict.post(f"/requests/{request.pk}/act/take/", {"take-expected_status": "routed"}).status_code == 403
    assert _snapshot(request) == before
