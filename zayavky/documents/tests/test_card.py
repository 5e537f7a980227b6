"""The registration card (2.2, 2.3) through HTTP, the way the unit clerk and the others use it."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from zayavky.cases import workflow
from zayavky.cases.models import Event, ServiceRequest, Status
from zayavky.conftest import District, sign_in
from zayavky.deadlines import KYIV


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    sign_in(client, user)
    return client


def card_url(request: ServiceRequest) -> str:
    return f"/requests/{request.pk}/card/"


def take_url(request: ServiceRequest) -> str:
    return f"/requests/{request.pk}/card/take/"


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def alert(response) -> str:  # type: ignore[no-untyped-def]
    """The error the card page shows above the sheet."""
    found = re.search(r'<div class="msg error[^"]*" role="alert">(.*?)</div>', page(response), re.S)
    assert found, "no error message on the page"
    return found.group(1).strip()


def local(moment: dt.datetime) -> str:
    return moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


def test_it_shows_every_field_of_a_routed_request_to_the_unit_clerk(district: District, advance) -> None:
    received = timezone.now() - dt.timedelta(hours=3)
    request = advance("routed", received_at=received)
    response = client_for(district.clerk).get(card_url(request))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = page(response)
    assert district.org.name in text
    assert "РЕЄСТРАЦІЙНА КАРТКА" in text
    assert f"№ {request.number}" in text
    assert local(received) in text  # received, Kyiv time
    assert "01.001 Відсутнє освітлення у під'їзді" in text  # the Classifier type: code and name
    assert district.zhkg.name in text
    assert "звичайна: 4 дні для підрозділу (п. 2.12.1), 5 днів за Регламентом" in text
    assert "Термін для підрозділу (п. 2.12)" in text
    assert local(request.internal_due) in text
    assert local(request.regulation_due) in text
    for value in (
        "Петренко Петро Петрович",
        "+380671234567",
        "petrenko@example.org",
        "вул. Шевченка, 1, кв. 2",
    ):
        assert value in text  # the applicant, for the unit that handles the request
    assert "вул. Шевченка, 1" in text  # address of the problem
    assert "У під'їзді не горить світло вже тиждень." in text
    assert "не призначено (п. 2.3)" in text  # no executor yet
    with translation.override("uk"):
        assert f'<td class="value">{Status.ROUTED.label}</td>' in text  # the current status
    # The history of stages.
    assert "Надійшла з Контакт-центру (п. 2.1)" in text
    assert "Передано до підрозділу «ЖКГ», тип 01.001 (п. 2.2)" in text
    assert "Бондаренко М." in text  # who routed it
    # QR code of the number, inline SVG; the print button.
    assert re.search(r"<svg[^>]*>\s*<title>" + re.escape(request.number) + "</title>", text)
    assert "Друкувати" in text
    assert "@page" in text and "A4" in text


def test_it_loads_nothing_from_the_internet(district: District, advance) -> None:
    request = advance("in_work")
    body = client_for(district.head).get(card_url(request)).content.decode()
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", body, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", body, re.I)
    assert "@import" not in body
    assert "<link" not in body  # the card carries its own print CSS
    assert not re.search(r"<script[^>]+src=", body)


def test_it_shows_executor_status_and_the_whole_history_of_a_published_request(district: District, advance) -> None:
    request = advance("published")
    district.executor.phone = "+380501112233"
    district.executor.save()
    response = client_for(district.general).get(card_url(request))
    assert response.status_code == 200
    text = page(response)
    assert "Олійник Василь" in text and "+380501112233" in text
    with translation.override("uk"):
        assert f'<td class="value">{Status.PUBLISHED.label}</td>' in text
    for stage in (
        "Картку роздруковано й передано керівникові підрозділу (п. 2.3)",
        "Призначено виконавця: Олійник В. (п. 2.3)",
        "Відповідь подано на підпис (п. 2.6)",
        f"Відповідь підписано, вих. № {request.outgoing_number}; знято з контролю (п. 2.8)",
        "Відповідь передано до загального відділу (п. 2.7)",
        "Відповідь внесено до Контакт-центру (п. 2.9)",
    ):
        assert stage in text
    # Another state: the print button only prints, no «take».
    assert 'class="btn js-print"' in text and "onclick" not in text  # no inline handler: the CSP refuses them
    assert take_url(request) not in text


def test_it_hides_personal_data_from_the_controller(district: District, advance) -> None:
    request = advance("routed")
    response = client_for(district.controller).get(card_url(request))
    assert response.status_code == 200
    text = page(response)
    assert request.number in text
    for value in (
        "Петренко Петро Петрович",
        "+380671234567",
        "petrenko@example.org",
        "вул. Шевченка, 1, кв. 2",
    ):
        assert value not in text
    assert "Персональні дані заявника" in text
    assert take_url(request) not in text


@pytest.mark.parametrize("persona", ["other_clerk", "other_head", "other_executor", "other_signatory"])
def test_it_is_404_for_people_of_another_unit(district: District, advance, persona: str) -> None:
    request = advance("routed")
    response = client_for(district.persona(persona)).get(card_url(request))
    assert response.status_code == 404
    assert request.number not in response.content.decode()


def test_it_is_404_for_a_request_that_does_not_exist(district: District) -> None:
    assert client_for(district.general).get("/requests/999999/card/").status_code == 404


def test_it_sends_a_stranger_to_the_login_page(district: District, advance) -> None:
    request = advance("routed")
    response = Client().get(card_url(request))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("status", "persona", "offered"),
    [
        ("routed", "clerk", True),
        ("routed", "head", False),
        ("routed", "general", False),
        ("routed", "signatory", False),
        ("with_head", "clerk", False),
        ("new", "general", False),
    ],
)
def test_it_offers_the_take_form_only_to_the_unit_clerk_of_a_routed_request(
    district: District, advance, status: str, persona: str, offered: bool
) -> None:
    request = advance(status)
    text = page(client_for(district.persona(persona)).get(card_url(request)))
    assert (f'action="{take_url(request)}"' in text) is offered
    assert "Друкувати" in text


def test_it_records_the_print_when_the_clerk_takes_the_card(district: District, advance) -> None:
    request = advance("routed")
    client = client_for(district.clerk)
    before = Event.objects.filter(request=request).count()
    response = client.post(take_url(request), {"expected_status": "routed"})
    assert response.status_code == 302
    assert response["Location"] == card_url(request) + "?print=1"
    request.refresh_from_db()
    assert request.status == Status.WITH_HEAD
    assert request.card_printed_at is not None
    events = Event.objects.filter(request=request).order_by("pk")
    assert events.count() == before + 1
    last = events.last()
    assert last is not None and last.action == "take" and last.actor == district.clerk
    # The page after it prints itself and says what happened.
    text = page(client.get(response["Location"]))
    assert "window.print()" in text
    assert "передано керівникові підрозділу" in text
    assert "Картку роздруковано й передано керівникові підрозділу (п. 2.3)" in text  # now in the history
    assert f'action="{take_url(request)}"' not in text


def test_it_says_what_happened_when_the_card_was_taken_meanwhile(district: District, advance) -> None:
    request = advance("routed")
    client = client_for(district.clerk)
    assert client.post(take_url(request), {"expected_status": "routed"}).status_code == 302
    request.refresh_from_db()
    state = (request.status, request.card_printed_at, Event.objects.filter(request=request).count())
    # The same stale form sent again (a double click, a second tab).
    response = client.post(take_url(request), {"expected_status": "routed"})
    assert response.status_code == 409
    # The stale-page message of the workflow: names the request and the state it is in now.
    message = alert(response)
    assert request.number in message
    with translation.override("uk"):
        assert str(Status.WITH_HEAD.label) in message
    request.refresh_from_db()
    assert (request.status, request.card_printed_at, Event.objects.filter(request=request).count()) == state


def test_it_refuses_take_when_the_request_is_past_routing_without_a_stale_form(district: District, advance) -> None:
    request = advance("in_work")
    before = Event.objects.filter(request=request).count()
    response = client_for(district.clerk).post(take_url(request))
    assert response.status_code == 409
    assert request.number in alert(response)
    request.refresh_from_db()
    assert request.status == Status.IN_WORK
    assert request.card_printed_at is not None  # from the first, real take; untouched
    assert Event.objects.filter(request=request).count() == before


def test_it_refuses_take_to_a_person_whose_step_it_is_not(district: District, advance) -> None:
    request = advance("routed")
    response = client_for(district.head).post(take_url(request), {"expected_status": "routed"})
    assert response.status_code == 403
    assert "2.3" in alert(response)  # the workflow names whose step it is, with the paragraph
    request.refresh_from_db()
    assert request.status == Status.ROUTED and request.card_printed_at is None
    assert not Event.objects.filter(request=request, action="take").exists()


def test_it_is_404_to_take_a_card_of_another_unit(district: District, advance) -> None:
    request = advance("routed")
    response = client_for(district.other_clerk).post(take_url(request), {"expected_status": "routed"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.ROUTED
    assert not Event.objects.filter(request=request, action="take").exists()


def test_it_takes_the_card_only_by_post(district: District, advance) -> None:
    request = advance("routed")
    assert client_for(district.clerk).get(take_url(request)).status_code == 405
    request.refresh_from_db()
    assert request.status == Status.ROUTED


def test_it_shows_the_extension_of_an_emergency_request(district: District, advance) -> None:
    request = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    text = page(client_for(district.head).get(card_url(request)))
    assert "аварійна" in text
    assert "23 год для підрозділу (п. 2.12.3)" in text
    assert "не подовжено" in text  # 2.13: the card says until when an extension may be decided
    new_due = request.internal_due + dt.timedelta(hours=20)
    workflow.extend(district.head, request.pk, new_due=new_due, justification="Потрібна спецтехніка")
    text = page(client_for(district.head).get(card_url(request)))
    assert "Подовжений термін (п. 2.13)" in text
    assert local(new_due) in text
    assert "Потрібна спецтехніка" in text
    assert f"Термін подовжено до {local(new_due)} (п. 2.13)" in text
