"""Routing with the Classifier (2.2): find a type by words of its name, its code or its
keywords, see its unit and urgency before confirming — with or without the page's script."""

from __future__ import annotations

import pytest

from zayavky.catalog.models import Category
from zayavky.web.tests.pages import content, section, text


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("освітлення", ["01.001"]),  # a word of the name
        ("ОСВІТЛЕННЯ", ["01.001"]),  # Cyrillic, whatever the case (SQLite's LIKE would miss it)
        ("лампа", ["01.001"]),  # a keyword residents use
        ("під’їзд", ["01.001"]),  # a typographic apostrophe finds the plain one
        ("01.002", ["01.002"]),  # the code
        ("01.00", ["01.001", "01.002", "01.003"]),  # the start of a code
        ("порив вода", ["01.002"]),  # every word must match
        ("порив світло", []),
        ("звалище", ["02.001"]),
    ],
)
def test_it_finds_a_type_by_words_code_or_keywords(district, login, query, codes):
    response = login("general").get("/classifier/search/", {"q": query, "format": "json"})
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["results"]] == codes


def test_it_gives_each_types_unit_and_urgency(district, login):
    found = login("general").get("/classifier/search/", {"q": "порив", "format": "json"}).json()["results"]
    assert found == [
        {
            "id": district.emergency.pk,
            "code": "01.002",
            "name": "Порив водопроводу",
            "unit_id": district.zhkg.pk,
            "unit": "ЖКГ",
            "urgency": "emergency",
            "urgency_label": "аварійна",
            "evidence_required": True,
        }
    ]


def test_it_leaves_out_retired_types(district, login):
    Category.objects.filter(pk=district.medium.pk).update(is_active=False)
    found = login("general").get("/classifier/search/", {"q": "покрівлі", "format": "json"}).json()["results"]
    assert found == []


def test_it_returns_radio_buttons_for_the_route_form(district, login):
    fragment = content(login("general").get("/classifier/search/", {"q": "вода", "pick": "route"}))
    assert f'type="radio" name="route-category" value="{district.emergency.pk}"' in fragment
    assert "ЖКГ" in fragment and "аварійна" in fragment and "потрібні фото або акт (п. 2.5)" in fragment


def test_it_searches_without_the_script_on_the_request_page(district, make_request, login):
    request = make_request()
    client = login("general")

    page = content(client.get(f"/requests/{request.pk}/", {"cq": "світло"}))

    results = section(page, "action-route")
    assert 'data-testid="classifier-result" data-code="01.001"' in results
    assert "Підрозділ: ЖКГ" in text(results) and "звичайна" in text(results)
    # The person chooses one of the results and confirms.
    response = client.post(
        f"/requests/{request.pk}/act/route/",
        {"route-expected_status": "new", "route-category": str(district.ordinary.pk), "route-note": ""},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.category, request.unit, request.urgency) == (district.ordinary, district.zhkg, "ordinary")


def test_it_says_when_nothing_is_found(district, make_request, login):
    request = make_request()
    page = content(login("general").get(f"/requests/{request.pk}/", {"cq": "космодром"}))
    assert "За запитом «космодром» нічого не знайдено" in text(section(page, "action-route"))


def test_it_keeps_the_chosen_type_when_the_form_comes_back_with_an_error(district, make_request, login):
    request = make_request()
    response = login("general").post(
        f"/requests/{request.pk}/act/route/",
        {"route-expected_status": "new", "route-category": str(district.ordinary.pk), "route-unit": "999999"},
    )
    assert response.status_code == 422
    assert f'value="{district.ordinary.pk}" checked' in content(response)


def test_it_shows_the_whole_classifier(district, login):
    page = content(login("executor").get("/classifier/"))
    assert "01 Житлово-комунальне господарство" in page
    for code in ("01.001", "01.002", "01.003", "02.001"):
        assert f'data-code="{code}"' in page
    found = content(login("executor").get("/classifier/", {"q": "звалище"}))
    assert 'data-code="02.001"' in section(found, "classifier-results")


def test_the_search_needs_a_login(district, client):
    assert client.get("/classifier/search/", {"q": "вода"}).status_code == 302
