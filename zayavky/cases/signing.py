"""What a signature covers (2.4, 2.8): a SHA-256 of the answer's text and files at the moment of signing.

The sign event keeps the digest (history the database keeps unchanged), and so does the request; the
request page and the API compare it with the answer as it is now, so a later change to the answer's text,
result or files is visible to everyone who reads the request.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from zayavky.cases.models import Answer, Attachment, ServiceRequest


def signed_content(request: ServiceRequest) -> dict[str, Any]:
    """The answer of the current round and its files, in one canonical form."""
    answer = Answer.objects.filter(request=request, round=request.rework_count).first()
    files = Attachment.objects.filter(request=request, round=request.rework_count).order_by("pk")
    return {
        "request": request.number,
        "round": request.rework_count,
        "answer": {"text": answer.text, "outcome": answer.outcome} if answer else None,
        "files": [{"name": f.original_name, "kind": f.kind, "sha256": f.sha256} for f in files],
    }


def content_digest(request: ServiceRequest) -> str:
    text = json.dumps(signed_content(request), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_since_signing(request: ServiceRequest) -> bool | None:
    """None before signing; True when the answer or its files differ from what was signed."""
    if not request.signed_sha256 or request.signed_at is None:
        return None
    return content_digest(request) != request.signed_sha256
