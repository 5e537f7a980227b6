"""GET /api/v1/requests: everyone sees only what their roles and units allow — in the list AND the count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from zayavky.api.tests.helpers import assert_error
from zayavky.cases import workflow
from zayavky.cases.models import ServiceRequest

URL = "/api/v1/requests"


@dataclass
class Requests:
    new: ServiceRequest  # not routed yet: with the general department
    zhkg: list[ServiceRequest]  # «ЖКГ»: routed, in work, on signature
    blag: ServiceRequest  # «Благоустрій»
    overdue: ServiceRequest  # «ЖКГ», received 10 days ago, still in work


@pytest.fixture
def requests(district: Any, make_request: Any, advance: Any) -> Requests:
    new = make_request(text="Ще не розподілена заявка")
    zhkg = [advance("routed"), advance("in_work"), advance("on_signature", category=district.medium)]
    blag = make_request(text="Звалище біля гаражів", address="вул. Гаражна, 3")
    workflow.route(district.general, blag.pk, category=district.blag_ordinary.pk)
    overdue = advance("in_work", received_at=timezone.now() - dt.timedelta(days=10))
    return Requests(new=new, zhkg=zhkg, blag=ServiceRequest.objects.get(pk=blag.pk), overdue=overdue)


def _numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"]) or body["count"] > body["page_size"]
    return {r["number"] for r in body["results"]}


def _count(api: Any, persona: str, **params: Any) -> int:
    response = api.get(persona, URL, **params)
    assert response.status_code == 200, response.content
    return int(response.json()["count"])


@pytest.mark.parametrize("persona", ["general", "controller", "integration", "admin"])
def test_it_shows_everything_to_those_who_see_all(api: Any, requests: Requests, persona: str) -> None:
    assert _count(api, persona) == 6
    assert requests.new.number in _numbers(api.get(persona, URL))


@pytest.mark.parametrize("persona", ["clerk", "head", "executor", "executor2", "signatory"])
def test_it_shows_a_unit_only_its_own(api: Any, requests: Requests, persona: str) -> None:
    # The unit's people, and the signatory who signs for the unit (2.4): only «ЖКГ»'s requests.
    expected = {r.number for r in [*requests.zhkg, requests.overdue]}
    assert _numbers(api.get(persona, URL)) == expected
    assert _count(api, persona) == 4
    assert _count(api, persona, status="new") == 0
    assert _count(api, persona, unit=str(requests.blag.unit_id)) == 0


@pytest.mark.parametrize("persona", ["other_clerk", "other_head", "other_executor", "other_signatory"])
def test_it_shows_the_other_unit_none_of_zhkgs(api: Any, requests: Requests, persona: str) -> None:
    assert _numbers(api.get(persona, URL)) == {requests.blag.number}
    assert _count(api, persona) == 1
    # Not in the counts of any filter either.
    assert _count(api, persona, status="in_work") == 0
    assert _count(api, persona, overdue="1") == 0
    assert _count(api, persona, q="світло") == 0
    for r in [requests.new, *requests.zhkg]:
        assert_error(api.get(persona, f"{URL}/{r.pk}"), 404, "not_found")


def test_it_hides_the_applicants_contacts_from_the_controller(api: Any, requests: Requests) -> None:
    request = requests.zhkg[1]
    detail = api.get("controller", f"{URL}/{request.pk}")
    assert detail.status_code == 200
    applicant = detail.json()["applicant"]
    # Not even the name (Law «On Personal Data Protection», art. 6: the controller's reports need none).
    assert applicant == {"name": None, "phone": None, "email": None, "address": None}
    assert detail.json()["personal_data_shown"] is False
    listing = api.get("controller", URL, page_size="200")
    assert all(row["applicant_name"] is None for row in listing.json()["results"])
    for response in (detail, listing):
        text = response.content.decode()
        assert "+380671234567" not in text and "petrenko@example.org" not in text and "кв. 2" not in text
        assert "Петренко" not in text


@pytest.mark.parametrize("persona", ["general", "head", "executor", "signatory"])
def test_it_shows_the_contacts_to_those_who_handle_it(api: Any, requests: Requests, persona: str) -> None:
    applicant = api.get(persona, f"{URL}/{requests.zhkg[1].pk}").json()["applicant"]
    assert applicant["phone"] == "+380671234567" and applicant["email"] == "petrenko@example.org"
    assert applicant["address"] == "вул. Шевченка, 1, кв. 2"


def test_it_filters(api: Any, district: Any, requests: Requests) -> None:
    routed, in_work, on_signature = requests.zhkg
    assert _numbers(api.get("general", URL, status="in_work")) == {in_work.number, requests.overdue.number}
    assert _count(api, "general", status="new,routed") == 3
    assert _count(api, "general", unit=str(district.blag.pk)) == 1
    assert _numbers(api.get("general", URL, category=district.medium.code)) == {on_signature.number}
    assert _numbers(api.get("general", URL, category=str(district.medium.pk))) == {on_signature.number}
    assert _numbers(api.get("general", URL, urgency="medium_term")) == {on_signature.number}
    assert _count(api, "general", executor=str(district.executor.pk)) == 3
    assert _count(api, "executor", executor="me") == 3
    assert _count(api, "executor2", executor="me") == 0
    assert _numbers(api.get("general", URL, overdue="1")) == {requests.overdue.number}
    assert _count(api, "general", overdue="0") == 6
    today = timezone.localdate()
    assert _numbers(api.get("general", URL, due_before=str(today - dt.timedelta(days=1)))) == {requests.overdue.number}
    assert requests.overdue.number not in _numbers(api.get("general", URL, due_after=str(today)))
    assert _numbers(api.get("general", URL, received_to=str(today - dt.timedelta(days=5)))) == {requests.overdue.number}
    assert _count(api, "general", received_from=str(today - dt.timedelta(days=1))) == 5
    # (Words in the case they were written: SQLite's LIKE folds the case of ASCII letters only.)
    assert _numbers(api.get("general", URL, q="Звалище гаражів")) == {requests.blag.number}
    assert _count(api, "general", q=requests.new.number) == 1


def test_it_orders_and_pages(api: Any, requests: Requests) -> None:
    first = api.get("general", URL, ordering="-received", page_size="2").json()
    assert first["count"] == 6 and first["page"] == 1 and first["page_size"] == 2 and len(first["results"]) == 2
    third = api.get("general", URL, ordering="-received", page_size="2", page="3").json()
    beyond = api.get("general", URL, ordering="-received", page_size="2", page="4").json()
    assert len(third["results"]) == 2 and beyond["results"] == [] and beyond["count"] == 6
    everything = api.get("general", URL, ordering="received", page_size="200").json()["results"]
    received = [r["received_at"] for r in everything]
    assert received == sorted(received, key=dt.datetime.fromisoformat)
    assert everything[0]["number"] == requests.overdue.number
    # The default: the nearest due first (the overdue one). Where the unrouted ones (no due yet) go differs
    # between SQLite and PostgreSQL (NULLs first / last), so they are left out here.
    default = [r for r in api.get("general", URL).json()["results"] if r["control_due"]]
    assert default[0]["number"] == requests.overdue.number and default[0]["overdue"] is True
    dues = [dt.datetime.fromisoformat(r["control_due"]) for r in default]
    assert dues == sorted(dues)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"status": "lost"}, "status"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "9" * 30}, "unit"),
        ({"unit": "²"}, "unit"),
        ({"executor": "you"}, "executor"),
        ({"overdue": "maybe"}, "overdue"),
        ({"due_before": "yesterday"}, "due_before"),
        ({"received_from": "2026-13-45"}, "received_from"),
        ({"q": "a\x00b"}, "q"),
        ({"ordering": "price"}, "ordering"),
    ],
)
def test_it_refuses_a_wrong_filter_with_422(api: Any, requests: Requests, params: dict[str, str], field: str) -> None:
    assert_error(api.get("general", URL, **params), 422, "invalid", field)


def test_it_lists_nothing_to_a_person_without_roles(api: Any, requests: Requests, district: Any) -> None:
    district.executor2.memberships.all().delete()
    assert _count(api, "executor2") == 0


@pytest.mark.parametrize(
    ("params", "matches"),
    [
        ({"category": "9" * 30}, False),  # a code or an id no type has: nothing matches, as the document says
        ({"q": "1234567890123456789012"}, False),  # a long number is text to search, not "not a number"
        ({"due_after": "0001-01-01"}, True),  # far dates read as the nearest of the years 1900–2999
        ({"received_to": "9999-12-31T23:59:59-14:00"}, True),
    ],
)
def test_it_takes_every_value_the_document_allows(api: Any, requests: Any, params: Any, matches: bool) -> None:
    response = api.get("general", URL, **params)
    assert response.status_code == 200, response.content[:300]
    assert (response.json()["count"] > 0) is matches


def test_it_finds_a_request_by_a_number_longer_than_a_key(api: Any, make_request: Any, district: Any) -> None:
    request = make_request(number="1234567890123456789012")
    body = api.get("general", URL, q="1234567890123456789012").json()
    assert [r["id"] for r in body["results"]] == [request.pk]


def test_it_takes_a_date_filter_with_any_offset_iso_8601_allows(api: Any, requests: Requests) -> None:
    """An offset of +23:01 is valid ISO 8601; PostgreSQL would refuse it as a time zone (found by the fuzz):
    the filter compares in UTC."""
    response = api.get(
        "general", URL, due_before="2758-08-03T08:45:38.72732+23:01", received_from="1973-11-02T04:08:32-19:10"
    )
    assert response.status_code == 200
