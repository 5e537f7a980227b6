"""Search over number, text, address and applicant (the list's search box), the same on SQLite and PostgreSQL."""

import pytest

from zayavky.cases.models import ServiceRequest
from zayavky.cases.queries import filter_requests, order_requests
from zayavky.sqlite import unicode_like


def test_it_finds_cyrillic_words_whatever_their_case(district, make_request):
    wanted = make_request(text="Не працює СВІТЛО у під'їзді", address="вул. Гетьманська, 5")
    make_request(text="Звалище сміття", address="пр. Металургів, 3")
    for word in ("світло", "Світло", "СВІТЛО", "гетьманська"):
        found = filter_requests(ServiceRequest.objects.all(), {"q": word}, user=district.general)
        assert list(found) == [wanted], word


def test_it_does_not_search_personal_data_for_those_who_may_not_see_it(district, make_request):
    make_request(applicant_name="Іваненко Іван", applicant_phone="+380671112233")
    assert filter_requests(ServiceRequest.objects.all(), {"q": "Іваненко"}, user=district.general).count() == 1
    assert filter_requests(ServiceRequest.objects.all(), {"q": "Іваненко"}, user=district.controller).count() == 0
    assert filter_requests(ServiceRequest.objects.all(), {"q": "1112233"}, user=district.controller).count() == 0


def test_it_puts_requests_without_a_due_last(district, make_request):
    routed = make_request()
    from zayavky.cases import workflow

    workflow.route(district.general, routed.pk, category=district.ordinary.pk)
    fresh = make_request()
    ordered = list(order_requests(ServiceRequest.objects.all(), "due"))
    assert ordered == [routed, fresh]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31T10:00"])
def test_it_refuses_dates_out_of_range(db, value):
    from zayavky.cases.errors import Invalid

    with pytest.raises(Invalid):
        list(filter_requests(ServiceRequest.objects.all(), {"received_from": value}))


def test_like_follows_sql_semantics():
    assert unicode_like("%світло%", "Не працює СВІТЛО")
    assert unicode_like("a\\%b", "a%b", "\\")
    assert not unicode_like("a\\%b", "axb", "\\")
    assert unicode_like("_б", "Аб")
    assert unicode_like(None, "x") is None
