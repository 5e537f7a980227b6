"""One ordinary request from arrival to publication, each step by its own person in the browser (2.1–2.9)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from zayavky.accounts import tokens
from zayavky.cases.models import Attachment, ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

NUMBER = "KC-2611-000417"


def _success(page, text):
    expect(page.get_by_test_id("message-success")).to_contain_text(text)


def _status(page, label):
    expect(page.get_by_test_id("status")).to_have_text(label)


def test_it_walks_an_ordinary_request_from_arrival_to_publication(site):
    d = site.district

    # 2.1: the Contact Center hands the request over through the intake API with its own token.
    received = timezone.now() - dt.timedelta(minutes=40)
    contact_center = site.browser.new_context()
    response = contact_center.request.post(
        site.url + "/api/v1/intake",
        headers={"Authorization": f"Bearer {tokens.issue(d.integration, 'Контакт-центр 1520')}"},
        data={
            "external_id": NUMBER,
            "received_at": received.isoformat(),
            "text": "У під'їзді №2 не горить світло на всіх поверхах уже тиждень.",
            "address": "вул. Шевченка, 12, під'їзд 2",
            "applicant": {
                "name": "Петренко Петро Петрович",
                "phone": "067 123 45 67",
                "email": "",
                "address": "вул. Шевченка, 12, кв. 40",
            },
        },
    )
    assert response.status == 201, response.text()
    pk = response.json()["id"]
    contact_center.close()

    # 2.2: the general department finds the type in the Classifier by words and routes the request.
    general = site.login("general")
    site.from_queue(general, "general-new", NUMBER)
    _status(general, "нова")
    site.find_type(general, "метеорит")  # the results come while typing: web.js asks /classifier/search/
    expect(general.get_by_test_id("classifier-empty")).to_have_text(
        "За запитом «метеорит» нічого не знайдено: спробуйте інші слова або код."
    )
    site.find_type(general, "лампа")  # a keyword of the type
    expect(general.get_by_test_id("classifier-result")).to_have_count(1)
    expect(general.get_by_test_id("classifier-result")).to_have_attribute("data-code", "01.001")
    site.find_type(general, "освітлення під'їзд")  # words of its name
    result = general.locator("[data-testid='classifier-result'][data-code='01.001']")
    expect(result).to_contain_text("Відсутнє освітлення у під'їзді")
    expect(result).to_contain_text("ЖКГ")  # the unit it names …
    expect(result).to_contain_text("звичайна")  # … and the urgency type, before confirming
    result.click()
    expect(result.locator("input[type='radio']")).to_be_checked()
    site.shot(general, "route-classifier-search")
    general.get_by_test_id("submit-route").click()
    _success(general, f"Заявку {NUMBER} направлено до підрозділу «ЖКГ».")
    _status(general, "передана до підрозділу")
    expect(general.get_by_test_id("due-internal")).to_contain_text("п. 2.12.1")

    # 2.3: the unit clerk opens the registration card from the queue and prints it — that takes it.
    clerk = site.login("clerk")
    site.from_queue(clerk, "clerk-routed", NUMBER)
    clerk.get_by_test_id("take-card-link").click()
    clerk.wait_for_url(f"{site.url}/requests/{pk}/card/")
    expect(clerk.locator("h1")).to_contain_text("РЕЄСТРАЦІЙНА КАРТКА")
    expect(clerk.locator(".qr svg")).to_be_visible()
    expect(clerk.locator(".sheet")).to_contain_text("Петренко Петро Петрович")
    site.shot(clerk, "registration-card")
    assert clerk.evaluate("window.__printed") is None
    clerk.locator("#print").click()
    expect(clerk.locator(".msg.success")).to_contain_text(
        f"Картку заявки {NUMBER} роздруковано; заявку передано керівникові підрозділу (п. 2.3)."
    )
    assert clerk.evaluate("window.__printed") == 1  # the card went to the printer as the step was recorded
    site.request_page(clerk, pk)
    _status(clerk, "у керівника підрозділу")

    # 2.3: the head names the executor.
    head = site.login("head")
    site.from_queue(head, "head-with-head", NUMBER)
    head.get_by_test_id("form-assign").locator("select").select_option(str(d.executor.pk))
    head.get_by_test_id("submit-assign").click()
    _success(head, f"Заявка {NUMBER}: виконавцем визначено Олійник В.")
    _status(head, "на виконанні")
    expect(head.get_by_test_id("executor")).to_have_text("Олійник В.")

    # 2.10.2 (no e-mail given), 2.5: the executor calls the applicant, drafts the answer, attaches a photo.
    executor = site.login("executor")
    site.from_queue(executor, "executor-mine", NUMBER)
    contact = executor.get_by_test_id("form-contact")
    contact.locator("select[name='contact-channel']").select_option("phone")
    contact.locator("select[name='contact-outcome']").select_option("reached")
    contact.locator("textarea[name='contact-note']").fill("Заявник підтвердив: не світить на 1–5 поверхах.")
    executor.get_by_test_id("submit-contact").click()
    _success(executor, f"Заявка {NUMBER}: зв’язок із заявником зафіксовано.")
    expect(executor.get_by_test_id("contact-row")).to_contain_text("зв'язок встановлено")

    answer = "Шановний Петре Петровичу! Освітлення у під'їзді №2 відновлено: замінено 5 ламп."
    draft = executor.get_by_test_id("form-draft")
    draft.locator("textarea[name='draft-text']").fill(answer)
    draft.locator("select[name='draft-outcome']").select_option("executed")
    executor.get_by_test_id("submit-draft").click()
    _success(executor, f"Заявка {NUMBER}: проєкт відповіді збережено.")
    expect(executor.get_by_test_id("answer-text")).to_contain_text("замінено 5 ламп")

    attach = executor.get_by_test_id("form-attach")
    attach.locator("input[type='file']").set_input_files(
        {"name": "lampa.jpg", "mimeType": "image/jpeg", "buffer": site.photo()}
    )
    executor.get_by_test_id("submit-attach").click()
    _success(executor, f"Заявка {NUMBER}: додано файлів — 1.")
    thumb = executor.get_by_test_id("thumb")
    expect(thumb).to_be_visible()
    thumb.scroll_into_view_if_needed()  # the preview loads lazily
    executor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") == 800  # the photo itself, served back to the page
    assert Attachment.objects.get(request_id=pk).kind == Attachment.Kind.PHOTO
    site.shot(executor, "request-executor")

    # 2.6: the head personally submits the answer (the executor's draft is in the form).
    site.request_page(head, pk)
    submit = head.get_by_test_id("form-submit")
    expect(submit.locator("textarea[name='submit-text']")).to_have_value(answer)
    head.get_by_test_id("submit-submit").click()
    _success(head, f"Заявка {NUMBER}: відповідь подано на підпис.")
    _status(head, "на підписі")

    # 2.4, 2.8: the signatory under the distribution of duties signs; the request leaves control.
    signatory = site.login("signatory")
    site.from_queue(signatory, "signatory-sign", NUMBER)
    # Signing is deliberate: the code of the second factor again (ASVS 2.8).
    signatory.get_by_test_id("form-sign").locator("input[name='sign-confirmation']").fill(
        site.second_factor_code("signatory")
    )
    signatory.get_by_test_id("submit-sign").click()
    outgoing = ServiceRequest.objects.get(pk=pk).outgoing_number
    assert re.fullmatch(r"\d+/\d\d", outgoing)
    _success(signatory, f"Заявка {NUMBER}: відповідь підписано, вихідний № {outgoing}.")
    _status(signatory, "підписана")

    # 2.7: the unit clerk hands it back; the electronic version goes to the general department's mailbox.
    site.from_queue(clerk, "clerk-signed", NUMBER)
    clerk.get_by_test_id("submit-hand_over").click()
    _success(clerk, f"Заявка {NUMBER}: передано до загального відділу.")
    _status(clerk, "передана до загального відділу")
    assert [m.to for m in mail.outbox] == [[d.org.general_mailbox]]

    # 2.9: the general department posts the answer to the Contact Center.
    site.from_queue(general, "general-handed-over", NUMBER)
    general.get_by_test_id("submit-publish").click()
    _success(general, f"Заявка {NUMBER}: відповідь розміщено в Контакт-центрі.")
    _status(general, "відповідь розміщена в Контакт-центрі")
    expect(general.get_by_test_id("form-publish")).to_have_count(0)

    # The history tells the story, in Ukrainian, in order, with who did each step.
    history = general.get_by_test_id("history-line")
    steps = [
        "receive",
        "route",
        "take",
        "assign",
        "contact",
        "draft",
        "attach",
        "submit",
        "sign",
        "hand_over",
        "publish",
    ]
    expect(history).to_have_count(len(steps))
    assert [history.nth(i).get_attribute("data-action") for i in range(len(steps))] == steps
    story = history.all_inner_texts()
    expected = [
        f"Заявка надійшла з Контакт-центру за № {NUMBER} (п. 2.1).",
        "Заявку направлено до підрозділу «ЖКГ» (тип 01.001 Відсутнє освітлення у під'їзді; звичайна)",
        "Бондаренко М.",
        "Реєстраційну картку роздруковано та передано керівникові підрозділу (п. 2.3).",
        "Виконавцем визначено: Олійник В. (п. 2.3).",
        "Зв’язок із заявником (телефонний дзвінок): зв'язок встановлено (п. 2.10, 2.11).",
        "Збережено проєкт відповіді (результат: виконано) (п. 2.5).",
        "Додано файл «lampa.jpg»",
        "Відповідь подано на підпис (результат: виконано) (п. 2.6).",
        f"Відповідь підписано, вихідний № {outgoing}; заявку знято з контролю (п. 2.4, 2.8).",
        d.org.general_mailbox,
        "Відповідь розміщено в Контакт-центрі (п. 2.9).",
    ]
    joined = "\n".join(story)
    for sentence in expected:
        assert sentence in joined, f"{sentence!r} not in the history:\n{joined}"
    assert " the " not in joined and "request" not in joined.lower(), joined  # no English leaked through
    site.shot(general, "request-published")
