"""Refusals a person sees in the browser: a step that is not theirs, a request of another unit, a page that
went stale while someone else moved the request on."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zayavky.cases.models import Answer, ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_it_refuses_the_executor_a_step_of_the_head(site, advance):
    sr = advance("in_work")
    executor = site.login("executor")
    site.request_page(executor, sr.pk)
    # The executor's page offers their own steps only (2.5, 2.10), not the head's submit (2.6) …
    expect(executor.get_by_test_id("action-draft")).to_be_visible()
    expect(executor.get_by_test_id("action-submit")).to_have_count(0)
    # … and the head's form sent anyway is refused with who takes that step, nothing changed.
    response = site.forge(
        executor,
        f"/requests/{sr.pk}/act/submit/",
        {"submit-expected_status": "in_work", "submit-text": "Виконано.", "submit-outcome": "executed"},
    )
    assert response.status == 403
    expect(executor.get_by_test_id("message-error")).to_have_text(
        "Цей крок не ваш: його виконує керівник підрозділу, де зараз заявка (розпорядження № 170-р, п. 2.6)."
    )
    expect(executor.get_by_test_id("status")).to_have_text("на виконанні")
    assert ServiceRequest.objects.get(pk=sr.pk).status == "in_work"
    assert not Answer.objects.filter(request=sr).exists()


def test_it_shows_a_request_of_another_unit_as_not_found(site, advance):
    sr = advance("in_work")
    stranger = site.login("other_executor")  # an executor of «Благоустрій»
    response = site.request_page(stranger, sr.pk)
    assert response.status == 404
    expect(stranger.locator("html")).to_have_attribute("lang", "uk")
    expect(stranger.locator("main h1")).to_have_text("Не знайдено")
    expect(stranger.locator("main")).to_contain_text("заявку іншого підрозділу бачать лише його працівники")
    expect(stranger.locator("body")).not_to_contain_text(sr.number)
    expect(stranger.locator("body")).not_to_contain_text(sr.text)
    site.shot(stranger, "not-found")
    # Nor can a step be taken on it: the same 404, whoever's step it would be.
    site.open(stranger, "/")
    response = site.forge(
        stranger,
        f"/requests/{sr.pk}/act/draft/",
        {"draft-expected_status": "in_work", "draft-text": "Прибрано.", "draft-outcome": "executed"},
    )
    assert response.status == 404
    assert not Answer.objects.filter(request=sr).exists()


def test_it_tells_the_clerk_the_head_moved_the_request_on_and_keeps_what_she_typed(site, advance):
    d = site.district
    sr = advance("with_head")
    clerk = site.login("clerk")
    site.request_page(clerk, sr.pk)
    site.unfold(clerk, "return_to_general")  # a step that sends the request back is folded under its title
    back = clerk.get_by_test_id("action-return_to_general")
    back.get_by_label("заявка належить до компетенції іншого підрозділу").check()
    typed = "Звалище на прибудинковій території — це питання відділу благоустрою."
    back.locator("textarea[name='return_to_general-comment']").fill(typed)

    # Meanwhile the head names the executor on his own computer.
    head = site.login("head")
    site.request_page(head, sr.pk)
    head.get_by_test_id("form-assign").locator("select").select_option(str(d.executor.pk))
    head.get_by_test_id("submit-assign").click()
    expect(head.get_by_test_id("status")).to_have_text("на виконанні")

    # The clerk's page went stale: it says what happened, shows the request as it is now, keeps her text.
    clerk.get_by_test_id("submit-return_to_general").click()
    expect(clerk.get_by_test_id("message-warning")).to_have_text(
        f"Тим часом заявку {sr.number} уже переведено далі: її поточний стан — «на виконанні»."
    )
    expect(clerk.get_by_test_id("status")).to_have_text("на виконанні")
    expect(clerk.get_by_test_id("executor")).to_have_text("Олійник В.")
    expect(clerk.locator("textarea[name='return_to_general-comment']")).to_have_value(typed)
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.status, fresh.unit_id) == ("in_work", d.zhkg.pk)
    site.shot(clerk, "request-stale")


def test_it_keeps_the_comment_of_a_return_the_signature_made_impossible(site, advance):
    sr = advance("on_signature")
    signatory = site.login("signatory")
    site.request_page(signatory, sr.pk)
    # A second tab of the same person, opened earlier, with a return being written.
    old = signatory.context.new_page()
    site.request_page(old, sr.pk)
    site.unfold(old, "return")
    back = old.get_by_test_id("action-return")
    typed = "Уточніть, скільки ламп замінено."
    back.locator("textarea[name='return-comment']").fill(typed)

    signatory.get_by_test_id("form-sign").locator("input[name='sign-confirmation']").fill(
        site.second_factor_code("signatory")
    )
    signatory.get_by_test_id("submit-sign").click()
    expect(signatory.get_by_test_id("status")).to_have_text("підписана")

    old.get_by_test_id("submit-return").click()
    expect(old.get_by_test_id("message-warning")).to_have_text(
        f"Тим часом заявку {sr.number} уже переведено далі: її поточний стан — «підписана»."
    )
    expect(old.get_by_test_id("action-return")).to_have_count(0)
    unsaved = old.get_by_test_id("unsaved")
    expect(unsaved).to_contain_text("Введене вами не збережено")
    expect(unsaved).to_contain_text(typed)
    assert ServiceRequest.objects.get(pk=sr.pk).status == "signed"
    assert not sr.events.filter(action="return").exists()
