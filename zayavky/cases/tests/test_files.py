"""Files attached to a request (2.5: photos of the completed work, acts of execution):
checked by content, not by name; size-limited; stored through Django's storage API; served only to those
who may see the request."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zayavky.cases import workflow
from zayavky.cases.errors import Invalid
from zayavky.cases.models import Attachment, Event, ServiceRequest
from zayavky.conftest import District, sign_in


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: decoding it would eat the server's memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


#: The smallest well-formed PDF: one empty A4 page (what a scanner's "act of execution" looks like to us).
PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
xref
0 4
0000000000 65535 f 
0000000009 00000 n 
0000000058 00000 n 
0000000115 00000 n 
trailer << /Size 4 /Root 1 0 R >>
startxref
186
%%EOF
"""


@pytest.fixture
def in_work(advance: Callable[..., ServiceRequest]) -> ServiceRequest:
    return advance("in_work")


def attach(d: District, request: ServiceRequest, name: str, data: bytes, kind: str = "photo") -> Attachment:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")  # the browser's word is not trusted
    return workflow.attach(d.executor, request.pk, upload=upload, kind=kind)[1]


@pytest.mark.parametrize(
    ("name", "data", "kind", "mime"),
    [
        ("фото до.jpg", image_bytes("JPEG"), "photo", "image/jpeg"),
        ("IMG_0001.PNG", image_bytes("PNG"), "photo", "image/png"),
        ("акт виконаних робіт.pdf", PDF, "act", "application/pdf"),
        ("scan", image_bytes("PNG"), "document", "image/png"),  # no extension at all: the content decides
    ],
)
def test_it_accepts_a_real_photo_or_pdf(
    district: District, in_work: ServiceRequest, name: str, data: bytes, kind: str, mime: str
) -> None:
    attachment = attach(district, in_work, name, data, kind)
    attachment.refresh_from_db()
    assert (attachment.content_type, attachment.kind, attachment.size) == (mime, kind, len(data))
    assert attachment.original_name == name
    assert attachment.uploaded_by == district.executor
    # Stored through the storage API, under a name of our own (never the uploader's).
    assert default_storage.exists(attachment.file.name)
    assert name not in attachment.file.name
    with attachment.file.open("rb") as fh:
        assert fh.read() == data
    event = in_work.events.get(action="attach")
    assert event.data == {"file": name, "kind": kind, "size": len(data), "id": attachment.pk}


def test_it_keeps_no_folder_or_control_characters_of_the_uploaded_name(
    district: District, in_work: ServiceRequest
) -> None:
    attachment = attach(district, in_work, "../../etc/фото\r\n.jpg", image_bytes("JPEG"))
    assert attachment.original_name == "фото.jpg"


def _refused_upload(d: District, request: ServiceRequest, upload: Any, kind: str = "photo") -> Invalid:
    events = Event.objects.filter(request=request).count()
    with pytest.raises(Invalid) as info:
        workflow.attach(d.executor, request.pk, upload=upload, kind=kind)
    assert Attachment.objects.filter(request=request).count() == 0
    assert Event.objects.filter(request=request).count() == events
    assert not default_storage.exists("attachments") or not any(files for _dirs, files in _walk("attachments")), (
        "nothing may be stored for a refused file"
    )
    return info.value


def _walk(path: str) -> Any:
    dirs, files = default_storage.listdir(path)
    yield dirs, files
    for sub in dirs:
        yield from _walk(f"{path}/{sub}")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("фото.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "file_type"),  # an .exe named .jpg
        ("фото.jpg", b"<html><script>alert(1)</script></html>", "file_type"),
        ("акт.pdf", b"just some text pretending to be a PDF", "file_type"),
        ("archive.jpg", b"PK\x03\x04" + b"\x00" * 100, "file_type"),
        ("фото.jpg", image_bytes("JPEG", (400, 300))[:600], "file_type"),  # cut off in the middle
        ("фото.png", image_bytes("PNG")[:-20], "file_type"),  # the end of the PNG is missing
        ("bomb.png", png_claiming(60_000, 60_000), "file_type"),  # a decompression bomb
        ("empty.jpg", b"", "file_empty"),
    ],
    ids=["exe", "html", "text-as-pdf", "zip", "truncated-jpeg", "truncated-png", "bomb", "empty"],
)
def test_it_refuses_a_disguised_damaged_or_empty_file(
    district: District, in_work: ServiceRequest, name: str, data: bytes, code: str
) -> None:
    error = _refused_upload(district, in_work, SimpleUploadedFile(name, data, content_type="image/jpeg"))
    assert error.code == code
    assert error.status == 422
    assert "file" in error.fields


def test_it_refuses_an_oversize_file(district: District, in_work: ServiceRequest, settings: Any) -> None:
    settings.ZAYAVKY_MAX_UPLOAD_MB = 1
    big = image_bytes("PNG") + b"\x00" * (1024 * 1024)  # a valid PNG start, then over 1 MB
    error = _refused_upload(district, in_work, SimpleUploadedFile("big.png", big))
    assert error.code == "file_too_large"
    # The same through the API's (name, bytes) form.
    error = _refused_upload(district, in_work, ("big.png", big))
    assert error.code == "file_too_large"


def test_it_refuses_no_file_and_a_wrong_kind(district: District, in_work: ServiceRequest) -> None:
    assert "file" in _refused_upload(district, in_work, None).fields
    assert "file" in _refused_upload(district, in_work, ("photo.jpg", "not bytes")).fields
    upload = SimpleUploadedFile("фото.jpg", image_bytes("JPEG"))
    assert "kind" in _refused_upload(district, in_work, upload, kind="selfie").fields


# --- serving, behind the access check -------------------------------------------------------------------


@pytest.fixture
def photo(district: District, in_work: ServiceRequest) -> Attachment:
    return attach(district, in_work, "фото після.jpg", image_bytes("JPEG"))


def _get(client: Any, user: Any, attachment: Attachment) -> Any:
    if user is not None:
        sign_in(client, user)
    return client.get(reverse("cases:attachment", args=[attachment.pk]))


@pytest.mark.parametrize("persona", ["clerk", "head", "executor", "executor2", "signatory", "general", "controller"])
def test_it_serves_the_file_to_those_who_see_the_request(
    client: Any, district: District, photo: Attachment, persona: str
) -> None:
    response = _get(client, district.persona(persona), photo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Ukrainian name survives
    with photo.file.open("rb") as fh:
        assert b"".join(response.streaming_content) == fh.read()


def test_it_serves_a_pdf_inline(client: Any, district: District, in_work: ServiceRequest) -> None:
    act = attach(district, in_work, "акт.pdf", PDF, kind="act")
    response = _get(client, district.head, act)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize("persona", ["other_clerk", "other_head", "other_executor", "other_signatory"])
def test_it_hides_the_file_from_other_units(client: Any, district: District, photo: Attachment, persona: str) -> None:
    response = _get(client, district.persona(persona), photo)
    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in(client: Any, photo: Attachment) -> None:
    response = _get(client, None, photo)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_404_for_an_unknown_file(client: Any, district: District) -> None:
    sign_in(client, district.general)
    assert client.get(reverse("cases:attachment", args=[999_999])).status_code == 404
