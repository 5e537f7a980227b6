"""The browser tests: the staff pages driven in a real headless Chromium.

Debian's ``/usr/bin/chromium`` is driven by the ``playwright`` package (sync API); Playwright's own browser
download does not work here and is never used. One browser per test session, a fresh context per persona
(its own cookies: each person logs in through the Ukrainian login form), against pytest-django's
``live_server`` on a transactional test database.

Every page a persona opens is watched: a request to any host but the live server (a CDN font, an
analytics script) or an uncaught script error fails the test — the pages must work with no internet.
Screenshots of the main pages are written under ``var/screenshots/``.
"""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, ViewportSize, expect, sync_playwright


def totp_code(key: bytes, drift: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(key, drift=drift):06d}"


if TYPE_CHECKING:
    from zayavky.conftest import District

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM calls the
# tests make between two clicks (SynchronousOnlyOperation). Set before anything touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZAYAVKY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
# A loaded machine (two cores, several suites at once) renders slower than Playwright's 5 s default expects.
expect.set_options(timeout=TIMEOUT_MS)
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, once per session. Missing: fail with what to do (skip only when asked to)."""
    if os.environ.get("ZAYAVKY_SKIP_BROWSER") == "1":
        pytest.skip("ZAYAVKY_SKIP_BROWSER=1: the browser tests are skipped")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium — run `make browser-deps` "
            "(or set ZAYAVKY_SKIP_BROWSER=1 to skip them)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    """The pages are checked in Ukrainian: compile the .mo files (build products, `make messages`) that are
    missing or older than their .po, so these tests also run on their own."""
    from django.utils.translation import trans_real

    from zayavky.i18n import compile_all

    compile_all()
    trans_real._translations = {}  # type: ignore[attr-defined]  # Django's private cache of the catalogues
    trans_real._default = None  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    """The personas log in through the form: a fast hasher keeps a dozen logins from costing seconds.
    Uploaded photos go to a temporary directory, not the developer's var/media."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class Watch:
    """What the pages of one context did that they must not: leave the live server, throw."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def on_response(self, response: Response) -> None:
        # A stylesheet, script or image of our own that does not load is a broken page.
        if response.request.resource_type in ("stylesheet", "script", "image", "font") and response.status >= 400:
            self.broken.append(f"{response.status} {response.url}")


class Site:
    """The live server and the people who open it: ``site.login("head")`` → a logged-in page."""

    def __init__(self, browser: Browser, url: str, district: District) -> None:
        self.browser = browser
        self.url = url.rstrip("/")
        self.district = district
        self.watch = Watch(origin=self.url)
        self._contexts: list[BrowserContext] = []

    def new_page(self, *, viewport: ViewportSize | None = None, mobile: bool = False) -> Page:
        context = self.browser.new_context(
            viewport=viewport or DESKTOP,
            is_mobile=mobile,
            has_touch=mobile,
            # An English browser: the pages must still speak Ukrainian first.
            locale="en-US",
            timezone_id="Europe/Kyiv",
        )
        # Printing is the clerk's step (2.3): count the calls instead of opening a print preview.
        context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        context.on("request", self.watch.on_request)
        context.on("response", self.watch.on_response)
        context.on(
            "weberror", lambda error: self.watch.errors.append(f"{error.page.url if error.page else ''}: {error.error}")
        )
        context.set_default_timeout(TIMEOUT_MS)  # also for a second tab the test opens in this context
        self._contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    def open(self, page: Page, path: str) -> Response | None:
        return page.goto(self.url + path)

    def login(self, persona: str, **page_kwargs: Any) -> Page:
        """Log ``persona`` in through the login form in a context of their own; a signatory or an
        administrator then sets up (first time) or gives the second factor, as the person would."""
        page = self.new_page(**page_kwargs)
        self.open(page, "/login/")
        self.fill_login(page, persona)
        page.wait_for_url(lambda url: "/login/" not in url)
        if "/account/second-factor/setup/" in page.url:
            # The authenticator app reads the key from the QR code; here, from the key printed beside it.
            secret = page.get_by_test_id("totp-secret").inner_text().strip()
            page.locator("input[name='code']").fill(totp_code(base64.b32decode(secret)))
            page.get_by_test_id("setup-submit").click()
            page.get_by_test_id("recovery-codes").wait_for()
            page.get_by_role("link", name="Продовжити").click()
        elif "/account/second-factor/" in page.url:
            page.locator("input[name='code']").fill(self.second_factor_code(persona))
            page.get_by_test_id("second-factor-submit").click()
        page.wait_for_url(self.url + "/")
        return page

    def second_factor_code(self, persona: str) -> str:
        """The code the persona's authenticator app shows: one not used yet (a code works once)."""
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=persona, confirmed=True)
        clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        clock.time = time.time()
        if device.last_t >= clock.t() + device.tolerance:  # both codes of this window are used: wait
            time.sleep(device.step - time.time() % device.step + 0.1)
            clock.time = time.time()
        now = clock.t()
        clock.drift += max(0, device.last_t + 1 - now)
        return f"{clock.token():0{device.digits}d}"

    @staticmethod
    def fill_login(page: Page, persona: str, password: str = "pw") -> None:
        """The Ukrainian login form, filled and sent as a person does."""
        form = page.get_by_test_id("login-form")
        form.locator("input[name='username']").fill(persona)
        form.locator("input[name='password']").fill(password)
        page.get_by_test_id("login-submit").click()

    def request_page(self, page: Page, pk: int) -> Response | None:
        return self.open(page, f"/requests/{pk}/")

    def from_queue(self, page: Page, queue: str, number: str) -> None:
        """Home → the row of request ``number`` in ``queue`` → its page, as a person clicks through."""
        self.open(page, "/")
        row = page.get_by_test_id(f"queue-{queue}").locator(f"[data-testid='queue-row'][data-number='{number}']")
        row.locator("a.req-link").click()
        page.wait_for_url(f"{self.url}/requests/*/")

    def forge(self, page: Page, path: str, fields: dict[str, str]) -> Response | None:
        """Submit a form the page does not offer (an old bookmark, a tampered page) from inside the page,
        with the page's own CSRF token, and return the response the browser then shows."""
        with page.expect_navigation() as navigation:
            page.evaluate(
                """([action, fields]) => {
                    const form = document.createElement("form");
                    form.method = "post";
                    form.action = action;
                    const token = document.querySelector("input[name='csrfmiddlewaretoken']").value;
                    for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                        const input = document.createElement("input");
                        input.type = "hidden";
                        input.name = name;
                        input.value = value;
                        form.appendChild(input);
                    }
                    document.body.appendChild(form);
                    form.submit();
                }""",
                [path, fields],
            )
        return navigation.value

    @staticmethod
    def find_type(page: Page, words: str) -> None:
        """Type words into the route form's Classifier search and wait until the results for them are shown
        (the box is replaced by each answer: a click on the previous results would be lost)."""
        page.locator("#route-results [data-testid='classifier-results']").evaluate(
            "box => { box.dataset.shown = 'before'; }"
        )
        page.get_by_test_id("classifier-q").fill(words)
        expect(page.locator("#route-results [data-testid='classifier-results']:not([data-shown])")).to_be_attached()

    @staticmethod
    def unfold(page: Page, action: str) -> None:
        """Open the folded form of ``action`` on the request page by its title, as a person clicks it."""
        fold = page.get_by_test_id(f"fold-{action}")
        if fold.get_attribute("open") is None:
            fold.locator("summary").click()
        expect(page.get_by_test_id(f"form-{action}")).to_be_visible()

    def shot(self, page: Page, name: str) -> Path:
        """A full-page screenshot under var/screenshots/ for a person to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    @staticmethod
    def photo(width: int = 800, height: int = 600) -> bytes:
        """A real JPEG, as a phone camera sends it: a street lamp against the sky, over the asphalt."""
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (width, height), (120, 170, 220))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, height * 2 // 3, width, height), fill=(70, 70, 75))
        draw.rectangle((width // 2 - 8, height // 5, width // 2 + 8, height * 2 // 3), fill=(40, 40, 40))
        draw.ellipse((width // 2 - 40, height // 5 - 30, width // 2 + 40, height // 5 + 30), fill=(255, 230, 120))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
        return out.getvalue()

    def check(self) -> None:
        assert not self.watch.foreign, f"requests left the live server: {self.watch.foreign}"
        assert not self.watch.errors, f"script errors on the pages: {self.watch.errors}"
        assert not self.watch.broken, f"assets that did not load: {self.watch.broken}"

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def site(browser: Browser, live_server: Any, district: District) -> Iterator[Site]:
    """The live server (transactional database: the server thread must see the test's rows), the shared
    personas of zayavky/conftest.py, and a guard against foreign requests and script errors."""
    s = Site(browser, live_server.url, district)
    try:
        yield s
        s.check()
    finally:
        s.close()
