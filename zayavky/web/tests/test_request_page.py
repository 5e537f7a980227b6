"""The request page: everything about the request, told plainly, and only the actions
the person may take now. Another unit's request is a 404, never data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zayavky.cases import workflow
from zayavky.conftest import JPEG_1PX
from zayavky.web.tests.pages import content, forms_on, section, text


@pytest.mark.parametrize(
    ("status", "persona", "expected"),
    [
        ("new", "general", {"route", "attach", "comment", "withdraw"}),  # 2.2
        ("routed", "clerk", {"take", "return_to_general", "comment", "attach"}),  # 2.3
        ("with_head", "head", {"assign", "return_to_general", "comment", "attach"}),  # 2.3
        ("in_work", "executor", {"draft", "contact", "attach", "comment"}),  # 2.5, 2.10
        ("in_work", "head", {"submit", "draft", "contact", "attach", "reassign", "return_to_general", "comment"}),
        ("on_signature", "signatory", {"sign", "return", "comment"}),  # 2.4
        ("signed", "clerk", {"hand_over", "comment"}),  # 2.7
        ("handed_over", "general", {"publish", "withdraw", "comment"}),  # 2.9
        ("published", "general", {"rework", "comment"}),
        ("in_work", "controller", {"comment"}),  # reads everything, acts on nothing
        ("in_work", "executor2", {"comment"}),  # the same unit, but not named on the request
        ("on_signature", "head", {"comment"}),
    ],
)
def test_it_offers_only_the_actions_the_person_may_take_now(district, advance, login, status, persona, expected):
    request = advance(status)
    response = login(persona).get(f"/requests/{request.pk}/")
    assert response.status_code == 200
    assert forms_on(content(response)) == expected


def test_it_offers_the_extension_only_on_an_emergency_request(district, advance, login):
    emergency = advance("in_work", category=district.emergency)
    ordinary = advance("in_work")
    client = login("head")
    assert "extend" in forms_on(content(client.get(f"/requests/{emergency.pk}/")))  # 2.13
    assert "extend" not in forms_on(content(client.get(f"/requests/{ordinary.pk}/")))


@pytest.mark.parametrize("persona", ["other_clerk", "other_head", "other_executor", "other_signatory"])
def test_it_gives_404_for_a_request_of_another_unit(district, advance, login, persona):
    request = advance("on_signature")
    client = login(persona)
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 404
    assert request.number not in content(response) and "Петренко" not in content(response)
    assert client.get("/requests/999999/").status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(advance, client):
    request = advance("new")
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_shows_personal_data_only_to_those_who_handle_the_request(district, advance, login):
    request = advance("in_work")
    handled = content(login("executor").get(f"/requests/{request.pk}/"))
    assert "+380671234567" in handled and "petrenko@example.org" in handled and "Петренко Петро" in handled

    controlled = content(login("controller").get(f"/requests/{request.pk}/"))
    assert 'data-testid="personal-hidden"' in controlled
    for personal in ("+380671234567", "petrenko@example.org", "Петренко Петро", "кв. 2"):
        assert personal not in controlled


def test_it_tells_the_history_in_plain_ukrainian(district, advance, login):
    request = advance("published")
    history = text(section(content(login("general").get(f"/requests/{request.pk}/")), "history"))

    local = timezone.localtime(request.routed_at).strftime("%d.%m.%Y %H:%M")
    assert f"{local} — Бондаренко М.: Заявку направлено до підрозділу «ЖКГ» (тип 01.001 Відсутнє освітлення" in history
    assert "Кравченко А.: Виконавцем визначено: Олійник В. (п. 2.3)." in history
    assert "Реєстраційну картку роздруковано та передано керівникові підрозділу (п. 2.3)." in history
    assert f"Відповідь підписано, вихідний № {request.outgoing_number}; заявку знято з контролю" in history
    assert "Відповідь розміщено в Контакт-центрі (п. 2.9)." in history


def test_it_shows_the_dues_and_which_binds_whom(district, advance, login):
    request = advance("in_work")
    dues = text(section(content(login("head").get(f"/requests/{request.pk}/")), "dues"))
    assert "Термін для підрозділу" in dues and "п. 2.12.1" in dues
    assert "Термін за Регламентом Контакт-центру" in dues
    assert timezone.localtime(request.internal_due).strftime("%d.%m.%Y %H:%M") in dues
    assert timezone.localtime(request.regulation_due).strftime("%d.%m.%Y %H:%M") in dues
    assert "обов’язковий для структурного підрозділу" in dues and "обов’язковий для райвиконкому" in dues


def test_it_shows_an_extended_due_as_the_binding_one(district, advance, login):
    request = advance("in_work", category=district.emergency)
    new_due = request.control_due + dt.timedelta(hours=5)
    workflow.extend(district.head, request.pk, new_due=new_due, justification="Потрібна техніка.")

    page = content(login("head").get(f"/requests/{request.pk}/"))

    extended = text(section(page, "dues").split('data-testid="due-extended"')[1].split("</tr>")[0])
    assert "Подовжений термін" in extended and "чинний" in extended
    assert timezone.localtime(new_due).strftime("%d.%m.%Y %H:%M") in extended
    assert "Потрібна техніка." in text(section(page, "dues"))


def test_it_shows_photos_as_previews_and_the_answers_of_every_round(district, advance, login):
    request = advance("published")
    workflow.rework(district.general, request.pk, reason="Світло знову не горить.")
    _, photo = workflow.attach(district.executor, request.pk, upload=("світло.jpg", JPEG_1PX), kind="photo")
    workflow.draft(district.executor, request.pk, text="Замінено лампи вдруге.", outcome="executed")

    page = content(login("executor").get(f"/requests/{request.pk}/"))

    assert f'<img src="/files/{photo.pk}/"' in page or f"/files/{photo.pk}/" in section(page, "files")
    assert 'data-testid="thumb"' in section(page, "files")
    answer = text(section(page, "answer"))
    assert "Замінено лампи вдруге." in answer  # the current round
    assert "Світло відновлено." in answer  # the earlier round, folded away


def test_it_links_to_the_card_and_the_letter(district, advance, login):
    request = advance("on_signature")
    links = section(content(login("signatory").get(f"/requests/{request.pk}/")), "document-links")
    assert "/card/" in links and "letter.docx" in links and "letter.pdf" in links
