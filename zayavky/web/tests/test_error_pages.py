"""A request of another unit gives 404 — a Ukrainian page, never data (bad input shows and changes nothing)."""


def test_it_shows_a_ukrainian_404_for_another_units_request(client, district, make_request):
    from zayavky.cases import workflow

    request = make_request()
    workflow.route(district.general, request.pk, category=district.ordinary.pk)
    client.force_login(district.other_head)
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Не знайдено" in body
    assert request.number not in body
    assert request.text not in body
