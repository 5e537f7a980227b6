"""The look of the pages, checked in the browser at 1280 px and on a 390 px phone: a calm request page whose
secondary forms fold under their titles, a footer that stays at the bottom of a short page, form choices that
are not cut off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zayavky.cases.models import Event, ServiceRequest
from zayavky.tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE = {"width": 390, "height": 844}
VIEWPORTS = [pytest.param(DESKTOP, id="1280px"), pytest.param(PHONE, id="390px")]
FOLDED_FOR_THE_HEAD = ("draft", "contact", "attach", "reassign", "comment", "return_to_general")


def _login(site, persona, viewport):  # type: ignore[no-untyped-def]
    return site.login(persona, viewport=viewport, mobile=viewport is PHONE)


def _no_sideways_scroll(page, viewport) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page is {width}px wide in a {viewport['width']}px window"


def test_it_keeps_the_heads_next_step_open_and_the_rest_one_click_or_key_away(site, advance):
    d = site.district
    sr = advance("in_work", category=d.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    head = site.login("head")
    site.request_page(head, sr.pk)
    # The next steps: submit for signature (2.6) and, within the 12 hours, the extension (2.13).
    expect(head.get_by_test_id("form-submit")).to_be_visible()
    expect(head.get_by_test_id("form-extend")).to_be_visible()
    for action in FOLDED_FOR_THE_HEAD:
        expect(head.get_by_test_id(f"fold-{action}").locator("summary")).to_be_visible()
        expect(head.get_by_test_id(f"form-{action}")).to_be_hidden()
    height = head.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the head's page is {height}px tall"  # eight open forms made it about 4000
    site.shot(head, "request-head")

    # The keyboard opens a folded form: its title is focusable, Enter opens it, Tab goes into it.
    title = head.get_by_test_id("fold-comment").locator("summary")
    title.focus()
    expect(title).to_be_focused()
    head.keyboard.press("Enter")
    expect(head.get_by_test_id("form-comment")).to_be_visible()
    head.keyboard.press("Tab")
    expect(head.locator("textarea[name='comment-text']")).to_be_focused()
    head.keyboard.type("Бригада виїхала на місце.")
    head.get_by_test_id("submit-comment").click()
    expect(head.get_by_test_id("message-success")).to_have_text(f"Заявка {sr.number}: коментар додано.")
    expect(head.get_by_test_id("form-comment")).to_be_hidden()  # folded again on the fresh page

    # A form sent empty comes back open with its error: nothing to look for.
    site.unfold(head, "reassign")
    head.get_by_test_id("submit-reassign").click()
    expect(head.get_by_test_id("message-error")).to_be_visible()
    expect(head.get_by_test_id("form-reassign")).to_be_visible()
    expect(head.get_by_test_id("form-reassign").get_by_test_id("error-executor")).to_be_visible()
    assert ServiceRequest.objects.get(pk=sr.pk).executor_id == d.executor.pk

    # An address that points at a folded form (#act-<action>) opens it.
    site.open(head, f"/requests/{sr.pk}/#act-contact")
    expect(head.get_by_test_id("form-contact")).to_be_visible()
    expect(head.get_by_test_id("form-comment")).to_be_hidden()
    assert Event.objects.filter(request=sr, action="comment").count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_keeps_the_footer_of_a_short_page_at_the_bottom(site, advance, viewport):
    sr = advance("in_work")
    stranger = _login(site, "other_executor", viewport)  # «Благоустрій» does not see a request of «ЖКГ»
    response = site.request_page(stranger, sr.pk)
    assert response.status == 404
    expect(stranger.locator("main h1")).to_have_text("Не знайдено")
    footer = stranger.locator(".site-footer").bounding_box()
    assert footer is not None
    bottom = footer["y"] + footer["height"]
    assert abs(bottom - viewport["height"]) <= 1, f"the footer ends at {bottom}px of a {viewport['height']}px window"
    _no_sideways_scroll(stranger, viewport)
    site.shot(stranger, f"not-found-{viewport['width']}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_shows_the_reasons_of_a_return_to_the_general_department_in_full(site, advance, viewport):
    sr = advance("routed")
    clerk = _login(site, "clerk", viewport)
    site.request_page(clerk, sr.pk)
    site.unfold(clerk, "return_to_general")
    form = clerk.get_by_test_id("form-return_to_general")
    box = form.bounding_box()
    assert box is not None
    for reason in (
        "заявка належить до компетенції іншого підрозділу",
        "питання не належить до компетенції виконавчого комітету районної у місті ради",
    ):
        shown = form.get_by_text(reason, exact=True)
        expect(shown).to_be_visible()
        # The whole sentence inside the form, nothing clipped or pushed out of it.
        assert shown.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"), reason
        own = shown.bounding_box()
        assert own is not None and own["x"] >= box["x"] and own["x"] + own["width"] <= box["x"] + box["width"] + 1
    _no_sideways_scroll(clerk, viewport)
    site.shot(clerk, f"return-to-general-{viewport['width']}")

    form.get_by_label("заявка належить до компетенції іншого підрозділу").check()
    form.locator("textarea[name='return_to_general-comment']").fill("Звалище — питання відділу благоустрою.")
    clerk.get_by_test_id("submit-return_to_general").click()
    expect(clerk.get_by_test_id("message-success")).to_have_text(f"Заявку {sr.number} повернуто до загального відділу.")
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.status, fresh.unit_id) == ("new", None)
