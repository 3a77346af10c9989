"""Django's SQLite backend, rebuilt on ``sqlcipher3`` and keyed from the vault session.

Three pitfalls of running Django on SQLCipher are handled here (see docs/security.md):
Django's cursor wrapper subclasses the stdlib cursor, its adapters are registered on the
stdlib module only, and the key must be the first statement on every connection (it is
given through ``sqlite3_key``, see ``keying``, not as a ``PRAGMA key`` string).
"""

from __future__ import annotations

import datetime
import decimal
import time
from collections.abc import Mapping
from itertools import tee
from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3 import features as sqlite_features
from django.db.backends.sqlite3._functions import register as register_functions
from django.db.utils import OperationalError
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from sqlcipher3 import dbapi2 as Database

from dhakira.apps.vault.sqlcipher import keying
from dhakira.core.vault.errors import WrongPassphrase


def _decoder(conv_func: Any) -> Any:
    return lambda s: conv_func(s.decode())


Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", _decoder(parse_date))
Database.register_converter("time", _decoder(parse_time))
Database.register_converter("datetime", _decoder(parse_datetime))
Database.register_converter("timestamp", _decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)


class CipherCursorWrapper(Database.Cursor):  # type: ignore[misc, name-defined]
    """Django's format-to-qmark cursor, on sqlcipher3's cursor class."""

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=names), params)

    def executemany(self, query: str, param_list: Any) -> Any:
        peek, param_list = tee(iter(param_list))
        first = next(peek, None)
        names = list(first) if first and isinstance(first, Mapping) else None
        return super().executemany(self.convert_query(query, param_names=names), param_list)


def apply_key(conn: Any, key: bytes | None = None) -> None:
    """Key a fresh connection (from the key page, unless ``key`` is given) and fail fast if
    the key is wrong."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    keying.key_connection(conn, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Database.DatabaseError as exc:
        conn.close()
        raise WrongPassphrase("the data key does not open this database") from exc


# Several writers (issue 16, finding 2). A deferred transaction reads first and asks for the
# write lock later; if another writer committed in between, SQLite answers SQLITE_BUSY_SNAPSHOT
# at once and the busy timeout never applies. Transactions here begin IMMEDIATE, taking the
# write lock before their first read, so a writer waits (up to the busy timeout) for the one
# before it. BEGIN is retried a bounded number of times: nothing has run yet, so it is safe.
BUSY_TIMEOUT_MS = 20_000
BEGIN_ATTEMPTS = 3
_SQLITE_BUSY = 5


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes)."""
    for err in (exc, exc.__cause__):
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == _SQLITE_BUSY:
            return True
    return "database is locked" in str(exc)


class DatabaseFeatures(sqlite_features.DatabaseFeatures):
    """SQLCipher bundles a recent SQLite (3.53) with row values.

    Django's SQLite features are computed from the stdlib's (older) SQLite and, without
    tuple lookups, prefetching more than ~1,000 related rows builds an ``a = 1 OR a = 2 …``
    chain deeper than SQLite's expression limit. Row values give ``(a) IN ((1), (2), …)``.
    """

    supports_tuple_lookups = True


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    """SQLite wrapper whose connections are SQLCipher, keyed from the vault session."""

    vendor = "sqlite"
    display_name = "SQLCipher"
    Database = Database
    features_class = DatabaseFeatures

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        # Writers wait for one another (see BUSY_TIMEOUT_MS); OPTIONS may still choose.
        self.transaction_mode: str | None = self.transaction_mode or "IMMEDIATE"
        params.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)  # until the PRAGMA below
        return params

    def _start_transaction_under_autocommit(self) -> None:
        for attempt in range(1, BEGIN_ATTEMPTS + 1):
            try:
                super()._start_transaction_under_autocommit()
                return
            except OperationalError as exc:
                if attempt == BEGIN_ATTEMPTS or not is_busy(exc):
                    raise
                time.sleep(0.05 * attempt)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = Database.connect(**conn_params)
        apply_key(conn)
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        # Temporary tables and sort spills stay in memory: no plaintext temp files.
        conn.execute("PRAGMA temp_store = MEMORY")
        # Deleted content is overwritten in the file, not left in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for init_command in self.init_commands:
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CipherCursorWrapper)
