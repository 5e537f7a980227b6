"""2.13: the head extends an emergency request's term within 12 hours of receipt — and not after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zayavky.cases.models import Extension, ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def _local(moment: dt.datetime, fmt: str) -> str:
    return timezone.localtime(moment).strftime(fmt)


def test_it_extends_an_emergency_request_received_two_hours_ago(site, advance):
    d = site.district
    sr = advance("in_work", category=d.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    head = site.login("head")
    site.from_queue(head, "head-in-work", sr.number)
    expect(head.get_by_test_id("urgency")).to_have_text("аварійна")
    window = head.get_by_test_id("extension-window")
    decide_by = sr.received_at + dt.timedelta(hours=12)
    expect(window.get_by_test_id("decide-by")).to_have_text(_local(decide_by, "%d.%m.%Y %H:%M"))
    form = head.get_by_test_id("form-extend")
    new_due = form.locator("input[name='extend-new_due']")
    why = form.locator("textarea[name='extend-justification']")

    # A date beyond two working days: refused on the field, in Ukrainian, with what was typed kept.
    latest = timezone.localtime(sr.regulation_due) + dt.timedelta(days=10)
    new_due.fill(latest.strftime("%Y-%m-%dT%H:%M"))
    why.fill("Потрібна заміна ділянки труби, матеріали надійдуть завтра.")
    head.get_by_test_id("submit-extend").click()
    expect(head.get_by_test_id("message-error")).to_be_visible()
    expect(head.get_by_test_id("error-new_due")).to_contain_text("не більше ніж на 2 робочі дні (п. 2.13)")
    expect(why).to_have_value("Потрібна заміна ділянки труби, матеріали надійдуть завтра.")
    assert not Extension.objects.filter(request=sr).exists()
    assert ServiceRequest.objects.get(pk=sr.pk).control_due == sr.control_due

    # A date within the window: the new due binds, and the page shows it.
    wanted = (timezone.localtime(sr.internal_due) + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    new_due.fill(wanted.strftime("%Y-%m-%dT%H:%M"))
    head.get_by_test_id("submit-extend").click()
    shown = wanted.strftime("%d.%m.%Y %H:%M")
    expect(head.get_by_test_id("message-success")).to_have_text(f"Заявка {sr.number}: термін подовжено до {shown}.")
    extended = head.get_by_test_id("due-extended")
    expect(extended).to_contain_text(shown)
    expect(extended).to_contain_text("п. 2.13")
    expect(head.locator("[data-testid='history-line'][data-action='extend']")).to_contain_text(
        f"до {shown} (п. 2.13). Обґрунтування: Потрібна заміна ділянки труби, матеріали надійдуть завтра."
    )
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert fresh.control_due == fresh.extended_due == wanted
    site.shot(head, "request-extended")


def test_it_refuses_an_extension_thirteen_hours_after_receipt(site, advance):
    d = site.district
    sr = advance("in_work", category=d.emergency, received_at=timezone.now() - dt.timedelta(hours=13))
    head = site.login("head")
    site.request_page(head, sr.pk)
    # The page does not offer a step the workflow can only refuse (rules.may, 2.13) …
    expect(head.get_by_test_id("action-submit")).to_be_visible()
    expect(head.get_by_test_id("action-extend")).to_have_count(0)
    # … and a form sent anyway (an old page, a bookmark) is refused with the 12-hour rule, nothing changed.
    wanted = timezone.localtime(sr.internal_due) + dt.timedelta(hours=5)
    response = site.forge(
        head,
        f"/requests/{sr.pk}/act/extend/",
        {
            "extend-expected_status": "in_work",
            "extend-new_due": wanted.strftime("%Y-%m-%dT%H:%M"),
            "extend-justification": "Аварійна бригада зайнята на іншому пориві.",
        },
    )
    assert response.status == 409
    decided_by = _local(sr.received_at + dt.timedelta(hours=12), "%H:%M %d.%m.%Y")
    expect(head.get_by_test_id("message-error")).to_have_text(
        "Рішення про подовження терміну приймається протягом 12 годин з моменту надходження заявки "
        f"(п. 2.13); цей час минув о {decided_by}."
    )
    expect(head.get_by_test_id("status")).to_have_text("на виконанні")
    expect(head.get_by_test_id("due-extended")).to_have_count(0)
    assert not Extension.objects.filter(request=sr).exists()
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.control_due, fresh.extended_due) == (sr.control_due, None)
