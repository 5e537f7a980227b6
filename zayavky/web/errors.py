"""Error pages Django renders itself, in the staff pages' language and frame."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that went stale (the session ended, another tab logged out) or from another
    site: nothing was changed, and the page says so in Ukrainian (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
