"""Tables the database itself keeps append-only (ASVS 7.3.3): history, the access log, breaches.

A migration operation installs triggers that refuse ``UPDATE`` and ``DELETE`` on a table (and ``TRUNCATE``
on PostgreSQL), whatever code or console sends them, on PostgreSQL and on SQLite alike. Making one more
table append-only is one line in that app's migration::

    from zayavky.cases.appendonly import AppendOnly

    operations = [..., AppendOnly("control_breach")]

The history holds no personal data of the applicant in the first place (the receive event names only the
request's number; a contact's note lives in the contact row), so anonymisation (`zayavky.cases.anonymise`)
never needs to change an append-only row.

Only Django's ``flush`` (an empty test database between tests) suspends the triggers, for its own
connection (:func:`suspended`): on PostgreSQL by ``session_replication_role = replica`` (a superuser's
right), on SQLite by a function the trigger asks that only Django's connections define — the ``sqlite3``
console lacks it, so there too the trigger refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation

#: The text every refusal starts with, whatever the database.
REFUSAL = "append-only"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SQLITE_FUNCTION = "zayavky_appendonly_suspended"


def _pg_install(table: str) -> list[str]:
    # Run through Django's schema editor, which passes the text through the driver's placeholders: "%%" is "%".
    return [
        """
        CREATE OR REPLACE FUNCTION zayavky_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%% is append-only: %% refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END;
        $$
        """,
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION zayavky_append_only()",
        f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION zayavky_append_only()",
    ]


def _pg_remove(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}",
    ]


def _sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
        f"WHEN {_SQLITE_FUNCTION}() = 0 "
        f"BEGIN SELECT RAISE(ABORT, '{table} is {REFUSAL}: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only_{op}" for op in ("update", "delete")]


def install_sql(vendor: str, table: str) -> list[str]:
    if not _NAME.match(table):
        raise ValueError(f"not a table name: {table!r}")
    if vendor == "postgresql":
        return _pg_install(table)
    if vendor == "sqlite":
        return _sqlite_install(table)
    raise NotImplementedError(f"append-only tables on {vendor}")


def remove_sql(vendor: str, table: str) -> list[str]:
    return _pg_remove(table) if vendor == "postgresql" else _sqlite_remove(table)


class AppendOnly(Operation):
    """Migration operation: the database refuses UPDATE and DELETE on ``table`` from now on."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str) -> None:
        self.table = table

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.table], {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # triggers are not part of Django's model state

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for sql in install_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(sql)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for sql in remove_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(sql)

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE on {self.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.table}_append_only"


# --- the one sanctioned way round: Django's flush of a test database -----------------------------------

_suspended: set[str] = set()


def _define_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        alias = connection.alias
        connection.connection.create_function(_SQLITE_FUNCTION, 0, lambda: int(alias in _suspended))


connection_created.connect(_define_sqlite_function, dispatch_uid="zayavky-appendonly")


@contextmanager
def suspended(alias: str = "default") -> Iterator[None]:
    """Let this connection empty append-only tables (only `flush` does it, between tests)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            previous = cursor.fetchone()[0]
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('session_replication_role', %s, false)", [previous])
        return
    _suspended.add(alias)
    try:
        yield
    finally:
        _suspended.discard(alias)
