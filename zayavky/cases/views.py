"""Serving attached files (2.5): only after the same access check as the request itself.

Files are never served from MEDIA_URL: a photo of a resident's flat or a scanned act is as private as the
request, so every download goes through :func:`zayavky.cases.access.can_see`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from zayavky.cases.access import can_see
from zayavky.cases.files import download_name
from zayavky.cases.models import Attachment

#: Shown in the browser; anything else (none today: files.ALLOWED_TYPES) would be downloaded.
INLINE_TYPES = ("image/", "application/pdf")


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """One attached file; 404 — not 403 — to anyone who may not see its request (never a hint it exists)."""
    item = Attachment.objects.select_related("request").filter(pk=pk).first()
    if item is None or not can_see(request.user, item.request):  # type: ignore[arg-type]
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = item.content_type.startswith(INLINE_TYPES)
    response = FileResponse(
        handle,
        content_type=item.content_type,  # the type found by content at upload, never the name's
        as_attachment=not inline,
        filename=download_name(item.original_name, item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    # A PDF opened inline must not run scripts against our origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'self'"
    return response
