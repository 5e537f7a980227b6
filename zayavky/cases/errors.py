"""Why an action was refused. Every interface (API, pages, commands) turns these into its own answer:
the API into ``{"code", "message", "fields"}`` with the status below, the pages into a message."""

from __future__ import annotations


class WorkflowError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}


class Invalid(WorkflowError):
    """The data given with the action is wrong (a field is missing or out of range)."""

    status = 422
    default_code = "invalid"


class Forbidden(WorkflowError):
    """The action is not this person's to take (role, unit, distribution of duties)."""

    status = 403
    default_code = "forbidden"


class Conflict(WorkflowError):
    """The request is not in a state that allows the action (someone moved it on meanwhile, or never)."""

    status = 409
    default_code = "conflict"


class NotFound(WorkflowError):
    """No such request, or not one this person may see (never tell which)."""

    status = 404
    default_code = "not_found"


class TooLarge(WorkflowError):
    """The body is larger than the limits allow (ASVS 12.1.1)."""

    status = 413
    default_code = "too_large"
