"""The list of requests with filters, sorting, pages and exports to CSV and XLSX.

Filtering is the one definition of :mod:`zayavky.cases.queries` (the API and the reports use it too);
this module first checks the values with :class:`FilterForm`, so a bad value gets a Ukrainian message
and an empty list, never a 500 and never a silently ignored filter. Pages are fetched as a slice of
``page size + 1`` rows (no COUNT over a million rows); exports stream row by row and stop at
:data:`EXPORT_LIMIT` rows, saying so in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zayavky.accounts.models import User
from zayavky.cases import audit
from zayavky.cases.access import sees_personal_data, visible_requests
from zayavky.cases.errors import Invalid
from zayavky.cases.models import ServiceRequest
from zayavky.cases.queries import filter_requests, order_requests
from zayavky.web.forms import FilterForm

PAGE_SIZE = 50
#: Rows in one export file; beyond it the file says the list was cut and how to narrow it.
EXPORT_LIMIT = 50_000


def _filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet[ServiceRequest] | None]:
    user: User = request.user  # type: ignore[assignment]
    form = FilterForm(request.GET or None, user=user)
    if request.GET and not form.is_valid():
        return form, None
    params = form.params() if request.GET else {}
    ordering = (form.cleaned_data.get("ordering") if request.GET else "") or "due"
    try:
        qs = order_requests(filter_requests(visible_requests(user), params, user=user), ordering)
    except Invalid as refused:
        for name, errors in refused.fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return form, None
    return form, qs.select_related("unit", "category", "executor")


def _query(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted((k, v) for k, v in params.items() if v not in ("", None)))


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    if qs is None:
        messages.error(request, _("The filter is not applied: correct the values marked below."))
        return render(request, "web/requests.html", {"form": form, "rows": [], "bad": True}, status=400)
    page = (form.cleaned_data.get("page") if form.is_bound else None) or 1
    offset = (page - 1) * PAGE_SIZE
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    ordering = (form.cleaned_data.get("ordering") if form.is_bound else "") or "due"
    columns = []
    for key, label in (("number", _("No.")), ("received", _("Received")), ("due", _("Due"))):
        active = ordering.lstrip("-") == key
        descending = ordering.startswith("-")
        target = f"-{key}" if active and not descending else key
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + _query(request, ordering=target, page=None),
                "sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    context = {
        "form": form,
        "rows": rows[:PAGE_SIZE],
        "page": page,
        "next_url": "?" + _query(request, page=page + 1) if len(rows) > PAGE_SIZE else "",
        "prev_url": "?" + _query(request, page=page - 1 if page > 2 else None) if page > 1 else "",
        "columns": {c["key"]: c for c in columns},
        "export_query": _query(request, page=None),
        "personal": sees_personal_data(request.user),  # type: ignore[arg-type]
        "now": timezone.now(),
        "export_limit": _thousands(EXPORT_LIMIT),
    }
    return render(request, "web/requests.html", context)


# --- exports ---------------------------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Kyiv wall-clock time without a zone: what Excel shows (it has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


Column = tuple[Any, Callable[[ServiceRequest], Any], int]  # label, value, width in Excel


def _columns(personal: bool, now: dt.datetime) -> list[Column]:
    cols: list[Column] = [
        (pgettext_lazy("column", "Contact Center number"), lambda r: r.number, 0),
        (pgettext_lazy("column", "Received"), lambda r: _local(r.received_at), 17),
        (pgettext_lazy("column", "Type code"), lambda r: r.category.code if r.category else "", 0),
        (pgettext_lazy("column", "Request type"), lambda r: r.category.name if r.category else "", 60),
        (pgettext_lazy("column", "Unit"), lambda r: str(r.unit) if r.unit else "", 0),
        (pgettext_lazy("column", "Urgency"), lambda r: str(r.get_urgency_display()) if r.urgency else "", 0),
        (pgettext_lazy("column", "Status"), lambda r: str(r.get_status_display()), 0),
        (pgettext_lazy("column", "Executor"), lambda r: r.executor.short_name if r.executor else "", 0),
        (pgettext_lazy("column", "Due now"), lambda r: _local(r.binding_due), 17),
        (pgettext_lazy("column", "Due for the unit"), lambda r: _local(r.control_due), 17),
        (pgettext_lazy("column", "Internal due (order 170-р)"), lambda r: _local(r.internal_due), 17),
        (pgettext_lazy("column", "Regulation due"), lambda r: _local(r.regulation_due), 17),
        (pgettext_lazy("column", "Extended to (2.13)"), lambda r: _local(r.extended_due), 17),
        (pgettext_lazy("column", "Due for the district"), lambda r: _local(r.district_due), 17),
        (pgettext_lazy("column", "Overdue"), lambda r: _("yes") if r.is_overdue(now) else _("no"), 0),
        (pgettext_lazy("column", "Returned for rework"), lambda r: r.rework_count, 0),
        (pgettext_lazy("column", "Address of the problem"), lambda r: r.address, 40),
        (pgettext_lazy("column", "Text of the request"), lambda r: r.text, 60),
    ]
    if personal:
        # Applicants' personal data only for the roles that handle requests (access.sees_personal_data).
        cols += [
            (pgettext_lazy("column", "Applicant"), lambda r: r.applicant_name, 30),
            (pgettext_lazy("column", "Applicant's phone"), lambda r: r.applicant_phone, 0),
            (pgettext_lazy("column", "Applicant's e-mail"), lambda r: r.applicant_email, 0),
            (pgettext_lazy("column", "Applicant's postal address"), lambda r: r.applicant_address, 40),
        ]
    cols += [
        (pgettext_lazy("column", "Outgoing number"), lambda r: r.outgoing_number, 0),
        (pgettext_lazy("column", "Signed"), lambda r: _local(r.signed_at), 17),
        (pgettext_lazy("column", "Handed over"), lambda r: _local(r.handed_over_at), 17),
        (pgettext_lazy("column", "Published"), lambda r: _local(r.published_at), 17),
    ]
    return cols


def _rows(qs: QuerySet[ServiceRequest]) -> tuple[Iterator[ServiceRequest], Callable[[], bool]]:
    """The first EXPORT_LIMIT rows, and a way to ask afterwards whether there were more."""
    more = {"cut": False}

    def gen() -> Iterator[ServiceRequest]:
        for i, row in enumerate(qs[: EXPORT_LIMIT + 1].iterator(chunk_size=2000)):
            if i == EXPORT_LIMIT:
                more["cut"] = True
                return
            yield row

    return gen(), lambda: more["cut"]


def _thousands(n: int) -> str:
    """50 000: a Ukrainian text groups thousands with a (non-breaking) space."""
    return f"{n:,}".replace(",", "\u00a0")


def _cut_message() -> str:
    return _("The export stops at %(n)s rows: narrow the filter to get the rest.") % {"n": _thousands(EXPORT_LIMIT)}


def _not_a_formula(value: Any) -> Any:
    """Residents' text must not become a spreadsheet formula (CSV injection, ASVS 5.3.10): every cell that
    starts with «=», «+», «-», «@», a tab or a carriage return gets a leading apostrophe, which Excel and
    LibreOffice show as text — a phone «+380…» included (it is still read as the same text)."""
    if isinstance(value, str) and value[:1] in ("=", "@", "+", "-", "\t", "\r"):
        return "'" + value
    return value


def _access_recorder(request: HttpRequest, personal: bool) -> Callable[[list[int]], None]:
    """An export with personal data is a look at every applicant in it: one access row per request, written
    as the rows go out (and the list emptied)."""

    def reads(ids: list[int]) -> None:
        if personal and ids:
            audit.record(request.user, ids, audit.PersonalDataAccess.Through.EXPORT, request)
        ids.clear()

    return reads


def _filename(ext: str) -> str:
    return f"zayavky-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def _export_query(request: HttpRequest) -> QuerySet[ServiceRequest] | HttpResponse:
    form, qs = _filtered(request)
    if qs is None:
        messages.error(request, _("The filter is not applied: correct the values marked below."))
        return render(request, "web/requests.html", {"form": form, "rows": [], "bad": True}, status=400)
    return qs


@login_required
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """UTF-8 with a BOM and «;» between fields: what a Ukrainian Excel opens correctly by a double click."""
    qs = _export_query(request)
    if isinstance(qs, HttpResponse):
        return qs
    now = timezone.now()
    personal = sees_personal_data(request.user)  # type: ignore[arg-type]
    cols = _columns(personal, now)
    rows, was_cut = _rows(qs)
    reads = _access_recorder(request, personal)

    def cell(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.strftime("%d.%m.%Y %H:%M")
        return _not_a_formula(value)

    def stream() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

        def flush() -> str:
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
            return text

        writer.writerow([str(label) for label, _get, _width in cols])
        yield "\ufeff" + flush()
        seen: list[int] = []
        for i, row in enumerate(rows, 1):
            writer.writerow([cell(get(row)) for _label, get, _width in cols])
            seen.append(row.pk)
            if i % 500 == 0:
                reads(seen)
                yield flush()
        reads(seen)
        if was_cut():
            writer.writerow([_cut_message()])
        yield flush()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """An Excel workbook: a bold header, column widths, dates as real dates in Kyiv time."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    qs = _export_query(request)
    if isinstance(qs, HttpResponse):
        return qs
    now = timezone.now()
    personal = sees_personal_data(request.user)  # type: ignore[arg-type]
    cols = _columns(personal, now)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Requests")[:31])
    for index, (label, _get, width) in enumerate(cols, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width or min(max(12, len(str(label)) + 2), 40)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for label, _get, _width in cols:
        c = WriteOnlyCell(sheet, value=str(label))
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(c)
    sheet.append(header)
    rows, was_cut = _rows(qs)
    reads = _access_recorder(request, personal)
    seen: list[int] = []
    for row in rows:
        seen.append(row.pk)
        if len(seen) >= 500:
            reads(seen)
        out = []
        for _label, get, _width in cols:
            value = get(row)
            if isinstance(value, dt.datetime):
                c = WriteOnlyCell(sheet, value=value)
                c.number_format = "DD.MM.YYYY HH:MM"
                out.append(c)
            elif isinstance(value, str):
                # Always a string cell: openpyxl would store «=…» from a resident as a formula.
                c = WriteOnlyCell(sheet, value=value)
                c.data_type = "s"
                out.append(c)
            else:
                out.append(value)
        sheet.append(out)
    reads(seen)
    if was_cut():
        sheet.append([])
        sheet.append([_cut_message()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
