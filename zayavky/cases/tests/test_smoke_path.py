from zayavky.cases.models import Event


def test_it_walks_the_whole_procedure(advance):
    request = advance("published")
    assert request.status == "published"
    assert request.outgoing_number
    actions = list(Event.objects.filter(request=request).values_list("action", flat=True))
    assert actions == ["receive", "route", "take", "assign", "submit", "sign", "hand_over", "publish"]
