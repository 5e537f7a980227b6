"""The list of requests: filters, search, sorting, pages, and the exports to CSV and
XLSX — with the applicants' personal data only for those who may see it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zayavky.cases import workflow
from zayavky.web import lists
from zayavky.web.tests.pages import content, field_errors, list_numbers, messages


@pytest.fixture
def spread(district, advance, advance_other, make_request):  # type: ignore[no-untyped-def]
    """A few requests of both units in several states."""
    return {
        "new": make_request(text="Яма на дорозі біля школи", address="вул. Героїв, 5"),
        "routed": advance("routed"),
        "in_work": advance("in_work", applicant_name="Сидоренко Ганна"),
        "emergency": advance("in_work", category=district.emergency),
        "late": advance("in_work", received_at=timezone.now() - dt.timedelta(days=10)),
        "other": advance_other("in_work"),
        "published": advance("published", received_at=timezone.now() - dt.timedelta(days=2)),
    }


def test_it_lists_what_the_person_may_see(district, spread, login):
    everything = set(list_numbers(content(login("general").get("/requests/"))))
    assert everything == {r.number for r in spread.values()}
    unit = set(list_numbers(content(login("clerk").get("/requests/"))))
    assert spread["other"].number not in unit and spread["new"].number not in unit
    assert spread["in_work"].number in unit


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "in_work"}, {"in_work", "emergency", "late", "other"}),
        ({"status": "new,routed"}, {"new", "routed"}),
        ({"urgency": "emergency"}, {"emergency"}),
        ({"category": "01.002"}, {"emergency"}),
        ({"overdue": "1"}, {"late"}),
        ({"q": "школи"}, {"new"}),  # words of the text
        ({"q": "Героїв"}, {"new"}),  # the address
        ({"q": "Сидоренко"}, {"in_work"}),  # the applicant
    ],
)
def test_it_filters(district, spread, login, params, expected):
    page = content(login("general").get("/requests/", params))
    assert set(list_numbers(page)) == {spread[k].number for k in expected}


def test_it_filters_by_unit_executor_and_dates(district, spread, login):
    client = login("general")
    by_unit = set(list_numbers(content(client.get("/requests/", {"unit": district.blag.pk}))))
    assert by_unit == {spread["other"].number}
    mine = set(list_numbers(content(login("executor").get("/requests/", {"executor": "me"}))))
    assert mine == {spread[k].number for k in ("in_work", "emergency", "late", "published")}
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = set(list_numbers(content(client.get("/requests/", {"received_from": since}))))
    assert spread["late"].number not in recent and spread["published"].number not in recent
    assert spread["new"].number in recent
    q = spread["new"].number
    assert list_numbers(content(client.get("/requests/", {"q": q}))) == [q]  # the number


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"status": "lost"}, "status", "Невідомий стан: lost."),
        ({"received_from": "2026-13-45"}, "received_from", "Введіть коректну дату."),
        ({"unit": "abc"}, "unit", "Оберіть одне із запропонованих значень."),
        ({"urgency": "yesterday"}, "urgency", "Оберіть одне із запропонованих значень."),
        ({"executor": "999999"}, "executor", "Оберіть одне із запропонованих значень."),
        ({"ordering": "-chaos"}, "ordering", "Оберіть одне із запропонованих значень."),
        ({"page": "0"}, "page", ""),
    ],
)
def test_it_explains_a_bad_filter_in_ukrainian(district, spread, login, params, field, error):
    response = login("general").get("/requests/", params)
    assert response.status_code == 400
    page = content(response)
    assert "Фільтр не застосовано" in " ".join(messages(page))
    if field not in ("ordering", "page"):
        assert error in field_errors(page, field)
    assert list_numbers(page) == []


def test_it_sorts_by_the_columns(district, spread, login):
    client = login("general")
    ascending = list_numbers(content(client.get("/requests/", {"ordering": "number"})))
    descending = list_numbers(content(client.get("/requests/", {"ordering": "-number"})))
    assert ascending == sorted(ascending) and descending == list(reversed(ascending))
    page = content(client.get("/requests/", {"ordering": "number"}))
    assert 'aria-sort="ascending"' in page and "ordering=-number" in page  # a second click reverses


def test_it_pages_the_list(district, spread, login, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)
    client = login("general")
    first = content(client.get("/requests/", {"ordering": "number"}))
    second = content(client.get("/requests/", {"ordering": "number", "page": "2"}))
    third = content(client.get("/requests/", {"ordering": "number", "page": "3"}))
    numbers = list_numbers(first) + list_numbers(second) + list_numbers(third)
    assert numbers == sorted(r.number for r in spread.values())
    assert 'data-testid="page-next"' in first and 'data-testid="page-next"' not in third
    assert 'data-testid="page-prev"' in second


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # a BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_it_exports_the_filtered_list_to_csv(district, spread, login):
    response = login("general").get("/requests/export.csv", {"status": "in_work", "ordering": "number"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = _csv(response)
    header = rows[0]
    assert header[:3] == ["Номер Контакт-центру", "Надійшла", "Код типу"]
    assert "Телефон заявника" in header
    numbers = [row[0] for row in rows[1:]]
    assert numbers == sorted(spread[k].number for k in ("in_work", "emergency", "late", "other"))
    row = dict(zip(header, rows[1 + numbers.index(spread["in_work"].number)], strict=True))
    assert row["Заявник"] == "Сидоренко Ганна" and row["Телефон заявника"] == "'+380671234567"
    assert row["Надійшла"] == timezone.localtime(spread["in_work"].received_at).strftime("%d.%m.%Y %H:%M")
    assert row["Підрозділ"] == "ЖКГ"


def test_it_keeps_personal_data_out_of_the_controllers_exports(district, spread, login):
    client = login("controller")
    rows = _csv(client.get("/requests/export.csv"))
    flat = ";".join(";".join(r) for r in rows)
    assert "Телефон заявника" not in rows[0] and "Заявник" not in rows[0]
    assert "+380671234567" not in flat and "Сидоренко" not in flat and "кв. 2" not in flat

    sheet = load_workbook(io.BytesIO(client.get("/requests/export.xlsx").content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Телефон заявника" not in values and "+380671234567" not in values
    assert not any("Сидоренко" in v for v in values)
    assert "кв. 2" not in " ".join(values)


def test_it_exports_to_xlsx_with_real_dates_in_kyiv_time(district, spread, login):
    response = login("general").get("/requests/export.xlsx", {"ordering": "number"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Номер Контакт-центру" and all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["B"].width >= 16  # dates fit
    rows = {r[0].value: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    request = spread["in_work"]
    received = rows[request.number]["Надійшла"]
    assert isinstance(received.value, dt.datetime)  # a real date, not text
    assert received.value == timezone.localtime(request.received_at).replace(tzinfo=None, microsecond=0) or (
        abs(received.value - timezone.localtime(request.received_at).replace(tzinfo=None)) < dt.timedelta(seconds=1)
    )
    assert received.number_format == "DD.MM.YYYY HH:MM"
    assert rows[request.number]["Заявник"].value == "Сидоренко Ганна"
    assert len(rows) == len(spread)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1-(380)", "-2+3", "@SUM(1)", "\t=1", "\r=1"])
def test_it_does_not_let_a_residents_text_become_a_formula(district, make_request, login, text):
    request = make_request(text=text, address="@SUM(1)")
    client = login("general")
    rows = _csv(client.get("/requests/export.csv", {"q": request.number}))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Текст заявки"] == "'" + text
    assert row["Адреса проблеми"] == "'@SUM(1)"
    assert row["Телефон заявника"] == "'+380671234567"  # every cell: a phone is read back as the same text
    sheet = load_workbook(io.BytesIO(client.get("/requests/export.xlsx", {"q": request.number}).content)).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Текст заявки") + 1)
    assert cell.data_type == "s" and cell.value == text


def test_it_caps_the_exports_and_says_so(district, spread, login, monkeypatch):
    monkeypatch.setattr(lists, "EXPORT_LIMIT", 3)
    client = login("general")
    rows = _csv(client.get("/requests/export.csv"))
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][0].startswith("Експорт обмежено 3 рядками")
    sheet = load_workbook(io.BytesIO(client.get("/requests/export.xlsx").content)).active
    assert str(sheet.cell(row=sheet.max_row, column=1).value).startswith("Експорт обмежено 3 рядками")


def test_an_export_with_a_bad_filter_explains_it(district, spread, login):
    response = login("general").get("/requests/export.csv", {"status": "lost"})
    assert response.status_code == 400
    assert "Невідомий стан: lost." in field_errors(content(response), "status")


def test_the_list_needs_a_login(client):
    assert client.get("/requests/").status_code == 302
    assert client.get("/requests/export.csv").status_code == 302


def test_a_withdrawn_request_shows_no_time_left(district, make_request, login):
    request = make_request()
    workflow.withdraw(district.general, request.pk, reason="Скасовано")
    page = content(login("general").get("/requests/", {"status": "withdrawn"}))
    assert list_numbers(page) == [request.number]
