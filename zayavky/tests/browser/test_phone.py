"""An executor in the field, on a phone: the request page fits 390 px and photos come from the camera
(2.5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zayavky.cases.models import Attachment

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px phone"


def test_it_fits_a_phone_and_takes_a_photo_from_the_camera(site, advance):
    sr = advance("in_work")
    phone = site.login("executor", viewport=PHONE, mobile=True)
    _no_sideways_scroll(phone)  # the queues
    site.request_page(phone, sr.pk)
    _no_sideways_scroll(phone)
    camera = phone.get_by_test_id("form-attach").locator("input[type='file']")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*,application/pdf")
    site.shot(phone, "request-phone")

    camera.set_input_files({"name": "IMG_20261127_101500.jpg", "mimeType": "image/jpeg", "buffer": site.photo()})
    phone.get_by_test_id("submit-attach").click()
    expect(phone.get_by_test_id("message-success")).to_have_text(f"Заявка {sr.number}: додано файлів — 1.")
    expect(phone.get_by_test_id("thumb")).to_be_visible()
    _no_sideways_scroll(phone)
    assert list(Attachment.objects.filter(request=sr).values_list("kind", "original_name")) == [
        ("photo", "IMG_20261127_101500.jpg")
    ]
