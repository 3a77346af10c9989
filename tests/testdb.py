"""The suite's test database: migrated once per run, copied for each test process.

Creating the test database runs every migration: about 10–13 s of CPU. pytest-django creates
one database per xdist worker, so each leg of ``make test`` paid it once per worker. Here the
first process of a run that needs the database migrates a *template* (under the lock of
``tests/once.py``, in the folder all the run's processes share); every process, that one included, then copies the
template into its own test database: a file copy for SQLCipher (the workers share one data
key, given to them by the controller, so the copy opens), ``CREATE DATABASE … TEMPLATE …`` on
PostgreSQL. Every migration still runs once per leg; ``tests/test_migrations.py`` and the tests
that migrate back and forth still run them on their process's own copy.

The run's first process (xdist's controller, or the only process with ``-n 0``) removes the
template when the session ends (:func:`drop_templates`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tests.once import locked

MADE = "test-database-template-"  # + alias: a file holding the template's name, once made

def _template_name(connection: Any, shared: Path) -> str:
    if connection.vendor == "sqlite":
        return str(shared / f"template-{connection.alias}.db")
    return f"test_{connection.settings_dict['NAME']}_template"


def _copy(connection: Any, template: str, target: str) -> None:
    """``target``: a copy of ``template`` (no connection may be open to either)."""
    if connection.vendor == "sqlite":
        # The template's connection was closed: SQLite folded its -wal into the file then.
        for leftover in (target, f"{target}-wal", f"{target}-shm"):
            Path(leftover).unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")


def set_up(aliases: Iterable[str], serialized: set[str], shared: Path,
           verbosity: int) -> list[tuple[Any, str]]:
    """Give this process its test database for each alias, copied from the run's template
    (migrated here first if no process of the run has yet). Returns what :func:`tear_down`
    needs: each connection with the name it had before."""
    from django.conf import settings
    from django.db import connections

    done = []
    for alias in sorted(aliases):
        connection = connections[alias]
        creation = connection.creation
        before = connection.settings_dict["NAME"]
        target = creation._get_test_db_name()  # this process's name (xdist's suffix added)
        template = _template_name(connection, shared)
        with locked(shared):
            made = shared / f"{MADE}{alias}"
            if not made.exists():
                connection.settings_dict.setdefault("TEST", {})["NAME"] = template
                creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
                made.write_text(template)
            connection.close()
            _copy(connection, template, target)
        connection.settings_dict["NAME"] = settings.DATABASES[alias]["NAME"] = target
        connection.settings_dict.setdefault("TEST", {})["NAME"] = target
        if alias in serialized:  # what serialized_rollback restores, as create_test_db keeps it
            connection._test_serialized_contents = creation.serialize_db_to_string()
        done.append((connection, before))
    return done


def tear_down(done: list[tuple[Any, str]], verbosity: int) -> None:
    """Drop this process's test databases (the template stays for the run's other processes)."""
    for connection, before in done:
        connection.creation.destroy_test_db(before, verbosity=verbosity)


def drop_templates(shared: Path) -> None:
    """Remove the run's templates (by the run's first process, when its session ends)."""
    from django.db import connections

    for made in shared.glob(f"{MADE}*"):
        connection = connections[made.name.removeprefix(MADE)]
        template = made.read_text()
        if connection.vendor == "sqlite":
            for path in (template, f"{template}-wal", f"{template}-shm"):
                Path(path).unlink(missing_ok=True)
        else:
            connection.creation._destroy_test_db(template, verbosity=0)
        made.unlink()
