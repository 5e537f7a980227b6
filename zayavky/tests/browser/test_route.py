"""2.2: the general department finds the type in the Classifier while typing — and a type once picked stays
picked while the results of further words arrive (web.js replaces the results box on every answer)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zayavky.cases.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_it_keeps_a_picked_type_while_more_words_are_typed(site, make_request):
    d = site.district
    sr = make_request()
    general = site.login("general")
    site.request_page(general, sr.pk)
    results = general.locator("#route-results")

    site.find_type(general, "освітлення")
    picked = results.locator("[data-testid='classifier-result'][data-code='01.001']")
    picked.click()
    radio = picked.locator("input[type='radio']")
    expect(radio).to_be_checked()

    # More words that find nothing: the answer replaces the box, the picked type stays in it, still picked.
    site.find_type(general, "освітлення метеорит")
    expect(picked).to_have_count(1)
    expect(radio).to_be_checked()
    expect(results.get_by_test_id("classifier-empty")).to_have_count(0)  # not «nothing found» under a pick

    # Words that find another type: it is offered beside the picked one, which is still the one chosen.
    site.find_type(general, "звалище")
    other = results.locator("[data-testid='classifier-result'][data-code='02.001']")
    expect(other).to_contain_text("Несанкціоноване звалище")
    expect(other.locator("input[type='radio']")).not_to_be_checked()
    expect(radio).to_be_checked()
    expect(results.locator("input[type='radio']:checked")).to_have_count(1)
    site.shot(general, "route-picked-kept")

    general.get_by_test_id("submit-route").click()
    expect(general.get_by_test_id("message-success")).to_have_text(
        f"Заявку {sr.number} направлено до підрозділу «ЖКГ»."
    )
    expect(general.get_by_test_id("status")).to_have_text("передана до підрозділу")
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.category_id, fresh.unit_id) == (d.ordinary.pk, d.zhkg.pk)
