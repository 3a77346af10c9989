"""No plaintext of any record is on disk: not in the database, its -wal, or any other file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from tests.conftest import on_postgresql
from tests.dossier import scenario

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(on_postgresql(), reason="SQLCipher files only")]

NEEDLES = ["محمد علي حسين", "Mohammed Ali Hussein", "أبو حمزة الموصلي", scenario.SOURCE_IDENTITY,
           scenario.VICTIM_ADDRESS, "NINAWA-07", "Execution in the central square"]


def _variants(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def test_no_name_is_found_in_any_file_of_the_vault(vault_dir: Path) -> None:
    scenario.build()
    with connection.cursor() as cursor:
        # Make sure the rows are in the main file and the -wal, not only in memory.
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    files = [p for p in vault_dir.rglob("*") if p.is_file()]
    assert any(p.name.startswith("test-dossier.db") for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in NEEDLES:
            for form in _variants(needle):
                assert form not in data, f"{needle!r} found in {path.name}"


def test_the_stdlib_sqlite_cannot_open_the_database(vault_dir: Path, tmp_path: Path) -> None:
    scenario.build()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(connection.settings_dict["NAME"])
    assert path.exists() and path.stat().st_size > 0
    # A copy: a second SQLite library closing its handle on the live file would drop this
    # process's POSIX locks on it, and the suite's own connections would then fail.
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    plain = sqlite3.connect(copy)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()


def test_a_sanity_check_that_the_search_would_find_plaintext(tmp_path: Path) -> None:
    # The same search over an unencrypted SQLite file does find the name: the test can fail.
    db = sqlite3.connect(tmp_path / "plain.db")
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (NEEDLES[0],))
    db.commit()
    assert NEEDLES[0].encode() in (tmp_path / "plain.db").read_bytes()
