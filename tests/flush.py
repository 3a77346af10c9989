"""Emptying the database after a test that commits, as Django does, less the part that is
the same every time.

After a test that commits (``transactional_db``, ``live_server``, ``django_db(transaction=
True)``), Django's ``flush`` empties every table, content types and permissions included,
then sends ``post_migrate`` so that they are made again: about 60 ms of CPU a test, and on
PostgreSQL as much again in the server, for rows that are the same every time (the
migrations define them; no test makes or changes one). :func:`empty` empties every other
table (with the SQL ``flush`` runs on SQLCipher, so the search index's triggers fire as they
do; with ``DELETE`` rather than ``TRUNCATE`` on PostgreSQL) and leaves those two tables as
migrating made them, so nothing needs making again. Tests with ``available_apps`` or a
serialized rollback keep Django's own flush. ``tests/test_flush.py`` pins the state it leaves.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connections
from django.test import TransactionTestCase

# Made by migrating (the post_migrate signal) and never changed by a test.
KEPT = frozenset({"django_content_type", "auth_permission"})

_django_teardown = TransactionTestCase._fixture_teardown


def empty(alias: str) -> None:
    """Empty every table of database ``alias`` that Django's models own, but :data:`KEPT`."""
    connection = connections[alias]
    tables = [t for t in connection.introspection.django_table_names(
        only_existing=True, include_views=False) if t not in KEPT]
    if connection.vendor == "postgresql":
        # DELETE, not TRUNCATE: a TRUNCATE makes every table's files anew (about 50 ms of the
        # server's time for this schema); Django's foreign keys are checked at commit.
        sql = ["SET CONSTRAINTS ALL DEFERRED",
               *(f"DELETE FROM {connection.ops.quote_name(t)}" for t in tables)]
    else:
        sql = connection.ops.sql_flush(no_style(), tables)
    connection.ops.execute_sql_flush(sql)


def _fixture_teardown(self: Any) -> None:
    if self.available_apps is not None or self.serialized_rollback:
        _django_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        empty(alias)


def install() -> None:
    """Let every ``TransactionTestCase`` (pytest-django's included) empty with :func:`empty`.
    ``TestCase`` rolls back instead and is not affected."""
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
