"""The SQLCipher engine behaves like Django's SQLite backend at dossier sizes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as Database

from dhakira.apps.dossier.models import NameVariant, Person
from dhakira.apps.vault.sqlcipher import keying
from dhakira.apps.vault.sqlcipher.base import apply_key
from dhakira.core.vault.errors import WrongPassphrase

pytestmark = pytest.mark.django_db


def test_it_prefetches_more_related_rows_than_sqlites_expression_depth(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # Without row values Django builds "id = 1 OR id = 2 OR …", which fails past ~1,000 terms.
    people = Person.objects.bulk_create(Person() for _ in range(1500))
    NameVariant.objects.bulk_create(NameVariant(person=p, text=f"n{p.pk}", script="latn") for p in people)
    with django_assert_max_num_queries(2):
        names = list(NameVariant.objects.prefetch_related("person"))
    assert len(names) == 1500
    assert all(n.person.pk == n.person_id for n in names)


def test_sqlite3_key_and_the_pragma_fallback_key_the_same_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key, path = os.urandom(32), str(tmp_path / "k.db")
    conn = Database.connect(path)
    apply_key(conn, key)  # sqlite3_key through ctypes
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('kept')")
    conn.commit()
    conn.close()
    monkeypatch.setattr(keying, "keyed_natively", lambda: False)
    conn = Database.connect(path)
    apply_key(conn, key)  # PRAGMA key, the fallback
    assert conn.execute("SELECT x FROM t").fetchall() == [("kept",)]
    conn.close()
    with pytest.raises(WrongPassphrase):
        apply_key(Database.connect(path), os.urandom(32))
