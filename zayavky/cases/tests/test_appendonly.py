"""History the database enforces (ASVS 7.3.3): raw SQL, past every Python guard, cannot change or delete
a history row, the sign record or the access log — on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from django.contrib.admin import site
from django.db import DatabaseError, connection, transaction
from django.test import Client

from zayavky.cases import audit
from zayavky.cases.appendonly import REFUSAL, install_sql
from zayavky.cases.audit import PersonalDataAccess
from zayavky.cases.models import Event
from zayavky.conftest import sign_in

RAW_CHANGES = [
    "UPDATE {table} SET {column} = {column} WHERE id = %s",
    "DELETE FROM {table} WHERE id = %s",
]


def _try(sql: str, *params: Any) -> Exception | None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as refused:
        return refused
    return None


@pytest.mark.parametrize("template", RAW_CHANGES)
def test_it_refuses_raw_sql_that_changes_or_deletes_history(district: Any, advance: Any, template: str) -> None:
    request = advance("signed")
    sign = request.events.get(action="sign")
    before = list(Event.objects.filter(request=request).values())

    for column in ("data", "actor_id", "at", "to_status"):
        refused = _try(template.format(table="cases_event", column=column), sign.pk)
        assert refused is not None and REFUSAL in str(refused), column
    refused_all = _try("DELETE FROM cases_event")

    assert refused_all is not None
    assert list(Event.objects.filter(request=request).values()) == before


@pytest.mark.parametrize("template", RAW_CHANGES)
def test_it_refuses_raw_sql_on_the_access_log(district: Any, advance: Any, template: str) -> None:
    request = advance("in_work")
    audit.record(district.clerk, [request.pk], PersonalDataAccess.Through.REQUEST_PAGE)
    row = PersonalDataAccess.objects.get()

    refused = _try(template.format(table="cases_personaldataaccess", column="person_id"), row.pk)

    assert refused is not None and REFUSAL in str(refused)
    assert PersonalDataAccess.objects.get().person_id == district.clerk.pk


def test_it_still_takes_new_history_rows(district: Any, advance: Any) -> None:
    request = advance("on_signature")
    count = Event.objects.count()
    from zayavky.cases import workflow

    workflow.comment(district.clerk, request.pk, text="Додаю примітку.")
    assert Event.objects.count() == count + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE: PostgreSQL")
def test_it_refuses_truncate_on_postgresql(district: Any, advance: Any) -> None:
    advance("routed")
    assert _try("TRUNCATE cases_event CASCADE") is not None
    assert Event.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the sqlite3 console: SQLite")
def test_it_refuses_even_outside_django_on_sqlite(tmp_path: Any) -> None:
    """A connection that is not Django's (the ``sqlite3`` console) lacks the function the trigger asks:
    the trigger then fails, and so does the change."""
    db = sqlite3.connect(tmp_path / "copy.sqlite3")
    db.execute("CREATE TABLE cases_event (id INTEGER PRIMARY KEY, data TEXT)")
    for sql in install_sql("sqlite", "cases_event"):
        db.execute(sql)
    db.execute("INSERT INTO cases_event (id, data) VALUES (1, 'x')")
    for sql in ("UPDATE cases_event SET data = 'y'", "DELETE FROM cases_event"):
        with pytest.raises(sqlite3.OperationalError):
            db.execute(sql)
    assert db.execute("SELECT data FROM cases_event").fetchall() == [("x",)]


def test_it_offers_no_way_to_change_history_or_the_access_log_in_the_admin(district: Any, advance: Any) -> None:
    request = advance("signed")
    audit.record(district.clerk, [request.pk], PersonalDataAccess.Through.REQUEST_PAGE)
    row = PersonalDataAccess.objects.get()
    admin = sign_in(Client(), district.admin)

    assert Event not in site._registry  # the history is read on the request page, never edited
    assert admin.get(f"/admin/cases/personaldataaccess/{row.pk}/delete/").status_code == 403
    assert admin.get("/admin/cases/personaldataaccess/add/").status_code == 403
    admin.post(f"/admin/cases/personaldataaccess/{row.pk}/change/", {"through": "api"})
    assert PersonalDataAccess.objects.get().through == "request_page"
