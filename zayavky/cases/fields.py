"""Validated field types shared by every way data comes in: the API's schemas and each intake channel of
the Contact Center (API, e-mail, file), and pydantic's complaints about them said in the caller's language.

Each type refuses what would otherwise reach the database and fail there with a 500: text with a NUL
character (PostgreSQL refuses it), numbers beyond a 64-bit key, dates whose conversion to UTC overflows.
Their messages are translated at validation time (error type ``"zayavky"``, see :func:`message_for`).
It sits below both ``zayavky.api`` and ``zayavky.contactcenter`` so that neither imports the other's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
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


#: The key of errors that belong to no one field (Django's NON_FIELD_ERRORS).
NO_FIELD = "__all__"
#: Where ninja puts a parameter that is not a field of a schema: the name of the body argument.
BODY_PARAM = "payload"


# --- pydantic's complaints, in the caller's language --------------------------------------------------


def _expected(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def message_for(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence a clerk understands (pydantic itself speaks only English)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "zayavky":  # our own validators: the message is already translated
        return str(error.get("msg", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "string_type":
        return _("Expected text.")
    if kind == "string_too_short":
        if int(ctx.get("min_length", 1)) <= 1:
            return _("This field must not be empty.")
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("Wrong format.")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("Expected a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("bool_type", "bool_parsing"):
        return _("Expected true or false.")
    if kind == "timezone_aware":
        return _("Give the time with its offset from UTC, e.g. 2026-11-30T18:00:00+02:00.")
    if kind.startswith(("datetime_", "date_")):
        return _("Expected a date and time, e.g. 2026-11-30T18:00:00+02:00.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(values)s.") % {"values": _expected(ctx)}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Expected a JSON object.")
    if kind in ("list_type", "tuple_type"):
        return _("Expected a list.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Invalid value.")


#: The names pydantic gives the members of a union in an error's location: not fields the caller sent.
_UNION_TAG = re.compile(r"^(constrained-|function-|lax-|json-or-python|literal\[|tagged-union)|^(int|str|float|bool)$")


def _field_name(loc: Iterable[Any], *, ninja: bool) -> str:
    parts = [p for i, p in enumerate(loc) if not (i and isinstance(p, str) and _UNION_TAG.match(p))]
    if ninja and parts:
        source = parts.pop(0)  # "body", "query", "path", "form", "file"
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return printable(".".join(str(p) for p in parts)) or NO_FIELD


def fields_from(errors: Iterable[Mapping[str, Any]], *, ninja: bool = False) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()), ninja=ninja)
        if name == NO_FIELD and error.get("type") == "missing":  # no body at all
            message = _("Send the data as a JSON object.")
        else:
            message = message_for(error)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


def summary(fields: Mapping[str, list[str]]) -> str:
    """The top-level message of a 422: the one problem, or the list of fields to look at."""
    if len(fields) == 1:
        name, messages = next(iter(fields.items()))
        return messages[0] if name == NO_FIELD else f"{name}: {messages[0]}"
    return _("Some fields are filled in wrongly: %(fields)s.") % {"fields": ", ".join(fields)}
