"""Personal data kept only as long as needed (Law of Ukraine «On Personal Data Protection», art. 6, 8):
a request closed longer ago than the administrator's retention period loses its applicant's name, phone,
e-mail and postal address everywhere they were kept; what the request was about, where, when and how it
was handled stays for statistics.

A **registry**: every app that keeps a copy of an applicant's data registers its fields here (the cases
app its own below; the Contact Center's intake log in `zayavky.contactcenter.apps`; a future e-mail or
Open311 intake does the same), so one pass reaches them all:

    anonymise.register(Model, request_field="request", blank=["note"], scrub=["text"], scrub_json=["payload"])

- ``blank``: set to the marker (text) — the field is all about the applicant;
- ``scrub``: the applicant's own values (name, phone, e-mail, address) are replaced by the marker wherever
  they appear in the text (an answer that greets the applicant by name);
- ``scrub_json``: the same inside a JSON document, and an ``applicant`` object in it blanked whole.

The append-only history holds none of these in the first place (`zayavky.cases.appendonly`), so nothing
append-only needs changing. `zayavky anonymise --dry-run` shows what would go; the worker runs it hourly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from zayavky.cases import clock
from zayavky.cases.models import Answer, ContactAttempt, Mail, ServiceRequest, Status

#: What an anonymised value reads (no one mistakes it for a name).
MARK = "[знеособлено]"
#: Applicant fields of the request itself (the workflow's `erase_personal_data` blanks them).
REQUEST_FIELDS = ("applicant_name", "applicant_phone", "applicant_email", "applicant_address")
CLOSED = (Status.PUBLISHED, Status.WITHDRAWN)


@dataclass(frozen=True)
class Target:
    """One model that keeps a copy of an applicant's data, and how to reach a request's rows."""

    model: type[models.Model]
    request_field: str
    blank: tuple[str, ...] = ()
    scrub: tuple[str, ...] = ()
    scrub_json: tuple[str, ...] = ()
    #: Rows belonging to no request (a refused hand-over) that are due by their own age: ``(field of the
    #: moment, extra filter)``; such rows lose everything but the allow-listed keys of ``keep_json``.
    orphans_by: str = ""
    keep_json: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label


REGISTRY: list[Target] = []


def register(
    model: type[models.Model],
    *,
    request_field: str = "request",
    blank: Iterable[str] = (),
    scrub: Iterable[str] = (),
    scrub_json: Iterable[str] = (),
    orphans_by: str = "",
    keep_json: Iterable[str] = (),
) -> None:
    target = Target(model, request_field, tuple(blank), tuple(scrub), tuple(scrub_json), orphans_by, tuple(keep_json))
    REGISTRY[:] = [t for t in REGISTRY if t.model is not model] + [target]


# --- the values and how they are taken out ------------------------------------------------------------


def _values(request: ServiceRequest) -> list[str]:
    """The applicant's own values, longest first (an address before the street name it contains); the
    phone also as typed nationally (0671234567 for +380671234567)."""
    raw = [getattr(request, name) for name in REQUEST_FIELDS]
    values = {v.strip() for v in raw if isinstance(v, str) and len(v.strip()) >= 3 and v != MARK}
    phone = request.applicant_phone or ""
    if phone.startswith("+380") and len(phone) == 13:
        values.add("0" + phone[4:])
        values.add(phone[1:])
    return sorted(values, key=len, reverse=True)


def scrub_text(text: str, values: list[str]) -> str:
    for value in values:
        text = re.sub(re.escape(value), MARK, text, flags=re.IGNORECASE)
    return text


def scrub_json(node: Any, values: list[str]) -> Any:
    if isinstance(node, str):
        return scrub_text(node, values)
    if isinstance(node, list):
        return [scrub_json(v, values) for v in node]
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "applicant":
                out[key] = _blank_json(value)
            else:
                out[key] = scrub_json(value, values)
        return out
    return node


def _blank_json(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _blank_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_blank_json(v) for v in node]
    return MARK if node not in (None, "") else node


# --- one request ---------------------------------------------------------------------------------------


def rows_of(target: Target, request: ServiceRequest) -> QuerySet[Any]:
    return target.model._default_manager.filter(**{target.request_field: request})


def erase_related(request: ServiceRequest) -> dict[str, int]:
    """Take the applicant's values out of every registered model's rows of this request (inside the
    workflow's transaction); returns the number of rows changed per model."""
    values = _values(request)
    counts: dict[str, int] = {}
    for target in REGISTRY:
        changed = 0
        for row in rows_of(target, request).iterator():
            fields = []
            for name in target.blank:
                if getattr(row, name):
                    setattr(row, name, MARK)
                    fields.append(name)
            for name in target.scrub:
                text = getattr(row, name)
                if isinstance(text, str) and text:
                    new = scrub_text(text, values)
                    if new != text:
                        setattr(row, name, new)
                        fields.append(name)
            for name in target.scrub_json:
                document = getattr(row, name)
                new_doc = scrub_json(document, values)
                if new_doc != document:
                    setattr(row, name, new_doc)
                    fields.append(name)
            if fields:
                type(row)._default_manager.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
                changed += 1
        counts[target.label] = changed
    return counts


#: The request's own applicant fields as they read after anonymisation.
ERASED = {"applicant_name": MARK, "applicant_phone": "", "applicant_email": "", "applicant_address": ""}


# --- which are due -------------------------------------------------------------------------------------


def cutoff(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due_requests(now: dt.datetime, years: int) -> QuerySet[ServiceRequest]:
    """Closed (published or withdrawn) before the cut-off, and not anonymised yet."""
    before = cutoff(now, years)
    closed = Q(status=Status.PUBLISHED, published_at__lt=before) | Q(status=Status.WITHDRAWN, withdrawn_at__lt=before)
    return ServiceRequest.objects.filter(closed, personal_data_erased_at__isnull=True).order_by("pk")


def due_orphans(now: dt.datetime, years: int) -> list[tuple[Target, QuerySet[Any]]]:
    before = cutoff(now, years)
    out = []
    for target in REGISTRY:
        if target.orphans_by:
            qs = target.model._default_manager.filter(
                **{f"{target.request_field}__isnull": True, f"{target.orphans_by}__lt": before}
            )
            out.append((target, qs))
    return out


def erase_orphans(target: Target, qs: QuerySet[Any], *, dry_run: bool = False) -> int:
    """A refused hand-over belongs to no request: past the retention period it keeps only the allow-listed
    keys of its payload (what was handed over and when), and says it was anonymised."""
    changed = 0
    name = target.scrub_json[0]
    for row in qs.iterator():
        document = getattr(row, name)
        if isinstance(document, dict) and document.get("anonymised") is True:
            continue  # done in an earlier pass
        kept = {k: document[k] for k in target.keep_json if isinstance(document, dict) and k in document}
        kept = {k: v for k, v in kept.items() if isinstance(v, str | int | float)}
        kept["anonymised"] = True
        if not dry_run:
            target.model._default_manager.filter(pk=row.pk).update(**{name: kept})
        changed += 1
    return changed


# The cases app's own copies: contacts' notes (2.10, 2.11), answers that greet the applicant by name, and
# e-mails (2.7). Other apps register theirs in their AppConfig.ready.
register(ContactAttempt, blank=["note"])
register(Mail, scrub=["to", "subject", "body"])
register(Answer, scrub=["text"])


@dataclass
class Report:
    requests: list[str]
    rows: dict[str, int]
    orphans: dict[str, int]


def run(now: dt.datetime, *, dry_run: bool = False) -> Report:
    """One pass: every request due, then the orphan rows due. ``dry_run`` counts and changes nothing."""
    from zayavky.cases import workflow
    from zayavky.catalog.models import Organisation

    years = Organisation.current().retention_years
    report = Report([], {t.label: 0 for t in REGISTRY}, {})
    for request in due_requests(now, years).iterator():
        report.requests.append(request.number)
        if dry_run:
            for target in REGISTRY:
                report.rows[target.label] += rows_of(target, request).count()
            continue
        for label, count in workflow.erase_personal_data(request.pk).items():
            report.rows[label] = report.rows.get(label, 0) + count
    for target, qs in due_orphans(now, years):
        report.orphans[target.label] = erase_orphans(target, qs, dry_run=dry_run)
    return report


#: The retention pass runs at most this often in one worker process (it has nothing to do most of the time).
EVERY = dt.timedelta(hours=1)
_last_pass: list[dt.datetime] = []


def job() -> str:
    """The worker's job (:mod:`zayavky.cases.jobs`): the retention pass, at most hourly."""
    now = clock.now()
    if _last_pass and now - _last_pass[0] < EVERY:
        return ""
    _last_pass[:] = [now]
    report = run(now)
    if report.requests or any(report.orphans.values()):
        return f"знеособлено заявок: {len(report.requests)}"
    return ""
