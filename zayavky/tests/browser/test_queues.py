"""Each person's work queues in the browser, the list with its filters, and their screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def _rows(page, queue: str) -> list[str]:
    rows = page.get_by_test_id(f"queue-{queue}").get_by_test_id("queue-row")
    return [rows.nth(i).get_attribute("data-number") for i in range(rows.count())]


def test_it_shows_every_role_its_queue_due_first(site, advance, make_request):
    d = site.district
    now = timezone.now()
    waiting_long = make_request(received_at=now - dt.timedelta(hours=3))
    just_in = make_request(received_at=now - dt.timedelta(minutes=20))
    routed = advance("routed")
    with_head = advance("with_head")
    fresh = advance("in_work")
    overdue = advance("in_work", received_at=now - dt.timedelta(days=8))
    # 2.13: past 10 hours with no extension decided — the head must decide within the next two.
    burst = advance(
        "in_work",
        category=d.emergency,
        received_at=now - dt.timedelta(hours=11),
        text="Порив водопроводу в підвалі, вода заливає підвал.",
    )
    on_signature = advance("on_signature")
    signed = advance("signed")
    handed_over = advance("handed_over")

    general = site.login("general")
    assert _rows(general, "general-new") == [waiting_long.number, just_in.number]  # the longest waiting first
    assert _rows(general, "general-handed-over") == [handed_over.number]
    site.shot(general, "queue-general")

    clerk = site.login("clerk")
    assert _rows(clerk, "clerk-routed") == [routed.number]
    assert _rows(clerk, "clerk-signed") == [signed.number]
    site.shot(clerk, "queue-clerk")

    head = site.login("head")
    assert _rows(head, "head-with-head") == [with_head.number]
    assert _rows(head, "head-in-work") == [overdue.number, burst.number, fresh.number]
    site.shot(head, "queue-head")

    executor = site.login("executor")
    assert _rows(executor, "executor-mine") == [overdue.number, burst.number, fresh.number]
    mine = executor.get_by_test_id("queue-executor-mine")
    late = mine.locator(f"[data-number='{overdue.number}'] [data-testid='time-left']")
    expect(late).to_have_attribute("data-overdue", "1")
    assert late.evaluate("e => getComputedStyle(e).color") != mine.evaluate("e => getComputedStyle(e).color")
    urgent = mine.locator(f"[data-number='{burst.number}']")
    expect(urgent).to_have_class("row--emergency")
    expect(urgent.get_by_test_id("time-left")).to_contain_text("год")  # hours and minutes, not days
    decide_by = timezone.localtime(burst.received_at + dt.timedelta(hours=12)).strftime("%H:%M")
    expect(urgent.get_by_test_id("extension-flag")).to_have_text(f"Рішення про подовження — до {decide_by} (п. 2.13)")
    site.shot(executor, "queue-executor")

    signatory = site.login("signatory")
    assert _rows(signatory, "signatory-sign") == [on_signature.number]
    site.shot(signatory, "queue-signatory")

    # The list: filters by status and lateness, search by number.
    general.get_by_test_id("nav-requests").click()
    form = general.get_by_test_id("filter-form")
    form.locator("select[name='status']").select_option("in_work")
    form.locator("select[name='overdue']").select_option("1")
    general.get_by_test_id("filter-submit").click()
    expect(general.get_by_test_id("list-row")).to_have_count(1)
    expect(general.get_by_test_id("list-row")).to_have_attribute("data-number", overdue.number)
    expect(form.locator("select[name='overdue']")).to_have_value("1")  # the filter stays as chosen
    site.shot(general, "list-filters")
    form.locator("select[name='overdue']").select_option("")
    form.locator("select[name='status']").select_option("")
    form.locator("input[name='q']").fill(burst.number)
    general.get_by_test_id("filter-submit").click()
    expect(general.get_by_test_id("list-row")).to_have_count(1)
    expect(general.get_by_test_id("list-row")).to_contain_text("Порив водопроводу")
