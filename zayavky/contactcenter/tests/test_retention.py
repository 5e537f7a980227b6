"""Personal data kept only as long as needed (Law «On Personal Data Protection», art. 6): after the retention
period every copy of an applicant's name, phone, e-mail and postal address is gone — the request, its
contacts, answers and mail, the intake log's payloads (refused and repeated hand-overs too) — while the
rest stays for statistics, and the append-only history is untouched."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from zayavky.api.tests.helpers import intake_payload
from zayavky.cases import workflow
from zayavky.cases.anonymise import MARK
from zayavky.cases.models import Answer, ContactAttempt, Event, Mail, ServiceRequest
from zayavky.contactcenter.models import IntakeRecord

NAME, PHONE, EMAIL, POSTAL = "Гончаренко Галина Іванівна", "+380671112233", "g@example.org", "вул. Липова, 7, кв. 3"
YEAR = dt.timedelta(days=366)


def _walk_to_published(api: Any, district: Any, number: str) -> ServiceRequest:
    payload = intake_payload(
        external_id=number, applicant={"name": NAME, "phone": "067 111 22 33", "email": EMAIL, "address": POSTAL}
    )
    assert api.post("integration", "/api/v1/intake", payload).status_code == 201
    assert api.post("integration", "/api/v1/intake", payload).status_code == 200  # a repeat, logged
    other = {**payload, "text": "Інший текст."}
    assert api.post("integration", "/api/v1/intake", other).status_code == 409  # a conflict, logged
    request = ServiceRequest.objects.get(number=number)
    workflow.route(district.general, request.pk, category=district.ordinary.pk)
    workflow.take(district.clerk, request.pk)
    workflow.assign(district.head, request.pk, executor=district.executor.pk)
    workflow.contact(district.executor, request.pk, channel="phone", outcome="reached", note=f"Дзвонив на {PHONE}")
    workflow.submit(district.head, request.pk, text=f"Шановна {NAME}! Світло відновлено.", outcome="executed")
    workflow.sign(district.signatory, request.pk)
    workflow.hand_over(district.clerk, request.pk)
    workflow.publish(district.general, request.pk)
    Mail.objects.create(request=request, kind="test", to=EMAIL, subject=f"Для {NAME}", body=f"Телефон {PHONE}")
    return ServiceRequest.objects.get(pk=request.pk)


def _dump(request: ServiceRequest) -> str:
    rows = [
        request,
        *ContactAttempt.objects.filter(request=request),
        *Answer.objects.filter(request=request),
        *Mail.objects.filter(request=request),
        *IntakeRecord.objects.filter(external_id=request.number),
    ]
    return serializers.serialize("json", rows, ensure_ascii=False)


def _age(request: ServiceRequest, by: dt.timedelta) -> None:
    """The request was published ``by`` ago (the clock of the test moves the request, not the machine)."""
    ServiceRequest.objects.filter(pk=request.pk).update(published_at=timezone.now() - by)
    IntakeRecord.objects.filter(external_id=request.number).update(received_at=timezone.now() - by)


def test_it_anonymises_every_copy_after_the_retention_period_and_keeps_the_rest(api: Any, district: Any) -> None:
    old = _walk_to_published(api, district, "1520-OLD")
    recent = _walk_to_published(api, district, "1520-NEW")
    _age(old, 3 * YEAR + dt.timedelta(days=2))  # the default period: 3 years
    _age(recent, 2 * YEAR)
    old.refresh_from_db()
    history = list(Event.objects.filter(request=old).values())
    before = _dump(old)
    assert NAME in before and PHONE in before and EMAIL in before and "067 111 22 33" in before

    out = StringIO()
    call_command("anonymise", "--dry-run", stdout=out)
    assert "1520-OLD" in out.getvalue() and "1520-NEW" not in out.getvalue()
    assert _dump(ServiceRequest.objects.get(pk=old.pk)) == before  # a dry run changes nothing

    call_command("anonymise", stdout=StringIO())

    old.refresh_from_db()
    after = _dump(old)
    for value in (NAME, PHONE, EMAIL, POSTAL, "067 111 22 33", "0671112233", "Гончаренко"):
        assert value not in after, value
    assert old.applicant_name == MARK and old.personal_data_erased_at is not None
    assert (old.text, old.address, old.status, old.category_id) == (
        recent.text,
        recent.address,
        "published",
        district.ordinary.pk,
    )  # what, where, how it went: kept
    assert Answer.objects.get(request=old).text == f"Шановна {MARK}! Світло відновлено."
    assert list(Event.objects.filter(request=old).values())[: len(history)] == history
    assert Event.objects.filter(request=old, action="anonymise").count() == 1
    assert NAME not in json.dumps(list(Event.objects.filter(request=old).values_list("data", flat=True)))
    recent.refresh_from_db()
    assert recent.applicant_name == NAME and NAME in _dump(recent)  # within its period: untouched


def test_it_anonymises_an_old_refused_hand_over_whatever_its_shape(api: Any, district: Any) -> None:
    shapes = [
        {**intake_payload(external_id="1520-R1"), "applicant": {"name": NAME, "mobile": PHONE}},
        {**intake_payload(external_id="1520-R2"), "applicant": f"{NAME}, {PHONE}"},
        [{"external_id": "1520-R3", "phone": PHONE}],
    ]
    for body in shapes:
        assert api.post("integration", "/api/v1/intake", body).status_code in (400, 422)
    IntakeRecord.objects.update(received_at=timezone.now() - 3 * YEAR - dt.timedelta(days=2))

    call_command("anonymise", stdout=StringIO())

    payloads = json.dumps(list(IntakeRecord.objects.values_list("payload", flat=True)), ensure_ascii=False)
    assert NAME not in payloads and PHONE not in payloads
    assert IntakeRecord.objects.filter(external_id="1520-R1").get().payload["external_id"] == "1520-R1"


def test_it_runs_from_the_worker(api: Any, district: Any) -> None:
    old = _walk_to_published(api, district, "1520-W")
    _age(old, 4 * YEAR)
    call_command("worker", "--once", stdout=StringIO())
    old.refresh_from_db()
    assert old.applicant_name == MARK
