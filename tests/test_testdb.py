"""The suite's test database is a copy of one migrated template per run (tests/testdb.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tests import once, testdb


@pytest.mark.django_db
def test_this_process_works_on_its_own_copy_of_the_runs_migrated_template(
        request: pytest.FixtureRequest) -> None:
    made = once.shared_folder(request.config) / f"{testdb.MADE}{connection.alias}"
    assert made.is_file()  # the template this run's processes copy, made once
    assert made.read_text() != connection.settings_dict["NAME"]  # this process's own copy
    # The copy holds every migration: nothing left to apply to reach the latest of each app.
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] == len(executor.loader.disk_migrations)
