"""Files attached to requests: checked by content (magic bytes), not by name; size-limited; stored through
Django's storage API; served only after the same access check as the request (cases.views)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from zayavky.accounts.models import User
from zayavky.cases.errors import Invalid
from zayavky.cases.models import Attachment, ServiceRequest

#: What residents' evidence comes as: camera photos, scans, PDFs of acts. Checked by content.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/tiff": "tif",
    "application/pdf": "pdf",
}


def max_bytes() -> int:
    return int(settings.ZAYAVKY_MAX_UPLOAD_MB) * 1024 * 1024


def check_content(data: bytes, name: str) -> str:
    """The file's real type, or Invalid: a .jpg that is really an executable is refused."""
    limit = max_bytes()
    if not data:
        raise Invalid(_("The file is empty."), code="file_empty", fields={"file": [_("The file is empty.")]})
    if len(data) > limit:
        msg = _("The file is larger than %(mb)d MB.") % {"mb": settings.ZAYAVKY_MAX_UPLOAD_MB}
        raise Invalid(msg, code="file_too_large", fields={"file": [msg]})
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_TYPES:
        msg = _("«%(name)s» is not a photo, scan or PDF (accepted: JPEG, PNG, WebP, HEIC, TIFF, PDF).") % {
            "name": name[:100]
        }
        raise Invalid(msg, code="file_type", fields={"file": [msg]})
    if mime in ("image/jpeg", "image/png", "image/webp", "image/tiff"):
        try:
            _check_image(data)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            msg = _("«%(name)s» is damaged or not really an image.") % {"name": name[:100]}
            raise Invalid(msg, code="file_type", fields={"file": [msg]}) from None
    return mime


def _check_image(data: bytes) -> None:
    """Both checks are needed: ``verify()`` catches a broken PNG structure but does not decode a JPEG,
    so a photo cut off in the middle of the upload would pass it; decoding (``load()``) catches that.
    A JPEG is decoded at 1/8 scale (``draft``): all of the data is still read, at a fraction of the cost."""
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()


def read_upload(upload: Any) -> tuple[bytes, str]:
    """Read an UploadedFile (or a (name, bytes) pair from the API) without trusting its size header."""
    if isinstance(upload, tuple):
        name, data = upload
        return data, name
    limit = max_bytes()
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            msg = _("The file is larger than %(mb)d MB.") % {"mb": settings.ZAYAVKY_MAX_UPLOAD_MB}
            raise Invalid(msg, code="file_too_large", fields={"file": [msg]})
        chunks.append(chunk)
    return b"".join(chunks), upload.name or "file"


def clean_name(name: Any) -> str:
    """The file's own name without any folder part or control characters: it is shown on the page and
    sent back in Content-Disposition, so ``../../x.jpg`` or a name with a line break must not survive."""
    text = name if isinstance(name, str) else ""
    text = PureWindowsPath(PurePosixPath(text).name).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return text[:255] or "file"


def download_name(name: str, content_type: str) -> str:
    """The name a download is offered under: the uploader's name, but the extension of the type found by
    content (ASVS 12.3): «акт.pdf.exe» that is really a PDF downloads as «акт.pdf.pdf», never as an .exe."""
    stem = PurePosixPath(clean_name(name)).stem or "file"
    return f"{stem[:200]}.{ALLOWED_TYPES.get(content_type, 'bin')}"


def store_upload(request: ServiceRequest, user: User, upload: Any, kind: str, now: dt.datetime) -> Attachment:
    if upload is None:
        raise Invalid(_("Choose a file."), fields={"file": [_("Choose a file.")]})
    data, name = read_upload(upload)
    if not isinstance(data, bytes | bytearray):
        raise Invalid(_("Choose a file."), fields={"file": [_("Choose a file.")]})
    name = clean_name(name)
    mime = check_content(bytes(data), name)
    digest = hashlib.sha256(data).hexdigest()
    safe_name = f"{request.pk}-{digest[:16]}.{ALLOWED_TYPES[mime]}"
    attachment = Attachment(
        request=request,
        round=request.rework_count,
        kind=kind,
        original_name=name,
        content_type=mime,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
        uploaded_at=now,
    )
    attachment.file.save(safe_name, ContentFile(data), save=False)
    attachment.save()
    return attachment
