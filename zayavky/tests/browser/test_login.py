"""Signing in through the Ukrainian login form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_it_signs_in_in_ukrainian_with_the_styles_loaded(site):
    page = site.new_page()
    site.open(page, "/requests/")
    # Not signed in: the login page, in Ukrainian although the browser asks for English.
    expect(page).to_have_url(site.url + "/login/?next=/requests/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("h1")).to_have_text("Вхід")
    # The stylesheet came from the live server and applies (nothing from the internet: site.check()).
    assert page.evaluate("document.styleSheets.length >= 1 && document.styleSheets[0].cssRules.length > 10")
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    site.shot(page, "login")

    # A wrong password: a Ukrainian message, the name typed is kept.
    site.fill_login(page, "executor", password="не той")
    expect(page.get_by_test_id("login-error")).to_contain_text("пароль")
    expect(page.locator("input[name='username']")).to_have_value("executor")

    site.fill_login(page, "executor")
    expect(page).to_have_url(site.url + "/requests/")  # where the person was going
    expect(page.get_by_test_id("current-user")).to_contain_text("Олійник В.")


def test_it_notices_a_page_that_reaches_the_internet_or_throws(site):
    """The guard every browser test ends with (conftest.Site.check) does see what it is there to see."""
    page = site.new_page()
    site.open(page, "/login/")
    page.evaluate("""() => {
        const img = document.createElement("img");
        img.src = "http://192.0.2.1/font.woff2";
        document.body.appendChild(img);
        setTimeout(() => { throw new Error("broken script"); }, 0);
    }""")
    for _ in range(100):  # the events reach Python a moment later
        if site.watch.foreign and site.watch.errors:
            break
        page.wait_for_timeout(50)
    assert site.watch.foreign == ["http://192.0.2.1/font.woff2"]
    assert any("broken script" in error for error in site.watch.errors)
    with pytest.raises(AssertionError, match="left the live server"):
        site.check()
    site.watch.foreign.clear()
    site.watch.errors.clear()
