"""Django's PostgreSQL backend, with transactions that write taking turns.

On SQLCipher every transaction begins IMMEDIATE: it holds the write lock from its first
statement, so a writer waits for the one before it and never sees the database change under
a check it made (issue 16, finding 2). Here each transaction (every ``atomic`` block) first
takes one transaction-scoped advisory lock, for the same behaviour: no lost race between
"is this source code known?" and "record it", no two custody entries with one number, no
deadlock between writers. Statements outside a transaction and readers are not held up.
"""

from __future__ import annotations

from django.db.backends.postgresql import base as pg_base

WRITER_LOCK = 0x64686B77  # any fixed number ("dhkw"), the same in every process


class DatabaseWrapper(pg_base.DatabaseWrapper):
    """PostgreSQL wrapper whose transactions begin by waiting for the writer lock."""

    def _set_autocommit(self, autocommit: bool) -> None:
        super()._set_autocommit(autocommit)
        if not autocommit:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
