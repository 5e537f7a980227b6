"""Ukrainian first: the staff pages speak Ukrainian unless the person chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office computer with an English
Chrome would show English pages. Here only the language the person chose with the switch in the header
(the ``set_language`` cookie) counts; the API keeps Django's usual negotiation.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zayavky.accounts import security
from zayavky.accounts.models import User


class UkrainianFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- the session's guard and the answers' headers (ASVS 3.3, 8.2, 12.1) --------------------------------


#: The session key of the last moment the person did something (seconds since the epoch).
LAST_SEEN = "zayavky_last_seen"
#: The moment is written at most this often: not a session write on every page.
TOUCH_EVERY = 60
#: Paths a person whose session is incomplete may still open: signing in and out, the language, the pages
#: that complete the session, static files.
OPEN_PATHS = ("/login/", "/logout/", "/i18n/", "/account/", "/static/", "/admin/login/", "/admin/logout/")


def _idle_limit_seconds() -> int:
    """The administrator's idle timeout (Адміністрування → Організація), read at most once a minute."""
    now = time.monotonic()
    cached = _idle_cache.get("value")
    if cached is not None and now - _idle_cache["at"] < 60:
        return int(cached)
    from zayavky.catalog.models import Organisation

    minutes = Organisation.current().session_idle_minutes
    _idle_cache.update(value=minutes * 60, at=now)
    return int(minutes * 60)


_idle_cache: dict[str, float] = {}


class SessionGuardMiddleware:
    """For a person signed in with a session (not an API token):

    1. an idle session ends: after the administrator's idle timeout without a request, the person signs in
       again (ASVS 3.3.2);
    2. a second factor is asked before anything else where it is required or was set up (ASVS 2.7);
    3. a password an administrator marked for change is changed before anything else (ASVS 2.1).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            expired = self._idle_expired(request)
            if expired is not None:
                return expired
            if not request.path_info.startswith(("/api/", *OPEN_PATHS)):
                detour = self._detour(request)
                if detour is not None:
                    return detour
        return self.get_response(request)

    def _idle_expired(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        seen = request.session.get(LAST_SEEN)
        if isinstance(seen, int) and now - seen > _idle_limit_seconds():
            logout(request)
            if request.path_info.startswith("/api/"):
                return None  # the API then answers 401 itself
            messages.info(request, _("You were signed out after a time without activity. Sign in again."))
            return redirect(f"{reverse('login')}?next={request.path}")
        if not isinstance(seen, int) or now - seen >= TOUCH_EVERY:
            request.session[LAST_SEEN] = now
        return None

    def _detour(self, request: HttpRequest) -> HttpResponse | None:
        user: User = request.user  # type: ignore[assignment]  # authenticated: the caller checked
        if security.asks_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
            target = "accounts:second_factor" if security.has_second_factor(user) else "accounts:setup_second_factor"
            return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")
        if getattr(user, "must_change_password", False):
            return HttpResponseRedirect(reverse("accounts:password_change"))
        return None


#: Answers that may be kept by a browser or a proxy: the site's own static files only.
CACHEABLE_PREFIXES = ("/static/",)


class NoStoreMiddleware:
    """Pages and API answers carry applicants' personal data: no browser or proxy keeps a copy (ASVS 8.2.1).
    A view that sets its own Cache-Control (a downloaded file) keeps it unless it allows storing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(CACHEABLE_PREFIXES):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class BodyLimitMiddleware:
    """A request body larger than ``ZAYAVKY_MAX_BODY_MB`` (files included) is refused from its Content-Length
    before a byte of it is read (ASVS 12.1.1): 413, in the API's error format under /api/. (Django itself
    bounds a form's or a JSON body's size without files, DATA_UPLOAD_MAX_MEMORY_SIZE, and the number of
    files, DATA_UPLOAD_MAX_NUMBER_FILES; files above FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to disk.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ZAYAVKY_MAX_BODY_MB * 1024 * 1024:
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    message = _("The request is too large: at most %(mb)d MB, files included.") % {"mb": settings.ZAYAVKY_MAX_BODY_MB}
    if request.path_info.startswith("/api/"):
        body = {"code": "too_large", "message": message, "fields": {}}
        return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
