"""Issue 16, finding 2, in the SQLCipher engine: transactions take the write lock at BEGIN,
and a busy BEGIN is retried a bounded number of times."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.utils import OperationalError
from tests.conftest import on_postgresql

from dhakira.apps.vault.sqlcipher import base
from dhakira.core.vault import session

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(on_postgresql(), reason="the SQLCipher engine")]


def _other_writer() -> object:
    other = base.Database.connect(connection.settings_dict["NAME"], isolation_level=None,
                                  timeout=0)
    base.apply_key(other, session.get_key())
    return other


def test_finding_16_02_a_transaction_holds_the_write_lock_from_begin() -> None:
    other = _other_writer()
    try:
        with transaction.atomic():
            connection.ensure_connection()  # BEGIN has run; no statement has
            with pytest.raises(base.Database.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")  # type: ignore[attr-defined]
        other.execute("BEGIN IMMEDIATE")  # type: ignore[attr-defined]
        other.execute("ROLLBACK")  # type: ignore[attr-defined]
    finally:
        other.close()  # type: ignore[attr-defined]


def _flaky_begin(monkeypatch: pytest.MonkeyPatch, failures: int, message: str) -> list[int]:
    calls: list[int] = []
    real = sqlite_base.DatabaseWrapper._start_transaction_under_autocommit

    def begin(self: sqlite_base.DatabaseWrapper) -> None:
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError(message)
        real(self)

    monkeypatch.setattr(sqlite_base.DatabaseWrapper, "_start_transaction_under_autocommit", begin)
    return calls


def test_a_busy_begin_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _flaky_begin(monkeypatch, base.BEGIN_ATTEMPTS - 1, "database is locked")
    with transaction.atomic():
        pass
    assert len(calls) == base.BEGIN_ATTEMPTS


def test_a_busy_begin_gives_up_after_the_last_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _flaky_begin(monkeypatch, base.BEGIN_ATTEMPTS, "database is locked")
    with pytest.raises(OperationalError, match="database is locked"), transaction.atomic():
        pass
    assert len(calls) == base.BEGIN_ATTEMPTS


def test_other_errors_at_begin_are_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _flaky_begin(monkeypatch, 1, "disk I/O error")
    with pytest.raises(OperationalError, match="disk I/O error"), transaction.atomic():
        pass
    assert len(calls) == 1
