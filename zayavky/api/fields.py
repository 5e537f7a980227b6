"""Field types shared by the API's schemas and the Contact Center intake.

Each refuses what would otherwise reach the database and fail there with a 500: text with a NUL
character (PostgreSQL refuses it), numbers beyond a 64-bit key, dates whose conversion to UTC overflows.
Their messages are translated at validation time (``kind="zayavky"`` in :mod:`zayavky.api.errors`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

#: The largest primary key a BigAutoField holds: a larger "id" is no request, not a 500.
MAX_ID = 2**63 - 1
#: Years a date may have: outside them the conversion to UTC can overflow; no request lives there.
YEARS = (1900, 2999)


def refuse(message: str) -> PydanticCustomError:
    """A validation error whose message (already in the caller's language) is shown as it is."""
    return PydanticCustomError("zayavky", message.replace("{", "(").replace("}", ")"))


def no_nul(value: str) -> str:
    """Refuse what no database column takes: NUL (PostgreSQL) and lone surrogates (not UTF-8 at all)."""
    if "\x00" in value:
        raise refuse(_("The text contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse(_("The text contains characters that are not valid Unicode.")) from None
    return value


def printable(value: str, limit: int = 200) -> str:
    """Text taken from the input (a field's name) made safe to echo back and to store."""
    value = value.replace("\x00", "\ufffd").encode("utf-8", errors="replace").decode("utf-8")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_moment(value: Any) -> dt.datetime:
    """An ISO 8601 date and time WITH its offset from UTC: a naive time is ambiguous, so refused."""
    if not isinstance(value, str):
        raise refuse(_("Expected a date and time as text, e.g. 2026-11-30T18:00:00+02:00."))
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise refuse(_("Expected a date and time, e.g. 2026-11-30T18:00:00+02:00.")) from None
    if timezone.is_naive(moment):
        raise refuse(_("Give the time with its offset from UTC, e.g. 2026-11-30T18:00:00+02:00."))
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise refuse(_("The date is out of range."))
    return moment


def is_id_text(value: str) -> bool:
    """A decimal number that fits a key (ASCII digits only: ``'²'.isdigit()`` is True in Python)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


Text = Annotated[str, AfterValidator(no_nul)]
#: An id in a JSON body: a JSON number, not `true` nor `2.0` nor "2".
ID = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
Moment = Annotated[dt.datetime, BeforeValidator(parse_moment)]


def id_or_code(value: Any) -> int | str:
    """A reference data item by its id (a JSON number) or by its stable code (text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= MAX_ID:
            raise refuse(_("No such item."))
        return value
    if isinstance(value, str) and value.strip():
        return no_nul(value.strip())[:64]
    raise refuse(_("Expected the id (a number) or the code (text)."))


IdOrCode = Annotated[
    int | str,
    BeforeValidator(id_or_code),
    WithJsonSchema({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]}),
]
