"""Rekey and backup on PostgreSQL, through the real CLI, in a database of the test's own.

On PostgreSQL the dossier is not encrypted by the vault key: a rekey covers the blobs, the
signing key, sealed rows and the slots, and rewrites the blob names in the server's rows; a
backup holds everything but the database (docs/backup.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.cli.keys_helpers import PASS, WEB, env, run, secret
from tests.writers_load import _database, write_folder

pytestmark = pytest.mark.skipif(not os.environ.get("DHAKIRA_DATABASE_URL"),
                                reason="needs PostgreSQL (scripts/with-postgres)")


def test_rekey_and_backup_on_postgresql(tmp_path: Path) -> None:
    environment = env()
    with _database(environment):
        vault = tmp_path / "v"

        def dhakira(*args: str) -> None:
            result = run(*args, environment=environment)
            assert result.returncode == 0, result.stderr

        pass_file, web = secret(tmp_path, "pass", PASS), secret(tmp_path, "web", WEB)
        new = secret(tmp_path, "new", "a new passphrase for the postgres vault")
        dhakira("init", "--vault", str(vault), "--passphrase-file", str(pass_file), "--admin", "amal",
                "--admin-password-file", str(web))
        dhakira("ingest", "--vault", str(vault), "--passphrase-file", str(pass_file), "--collector",
                "amal", "--password-file", str(web), str(write_folder(tmp_path / "f", 3, "pg")))
        before = {p.name for p in (vault / "blobs").glob("*/*")}
        dhakira("rekey", "--vault", str(vault), "--passphrase-file", str(pass_file),
                "--new-passphrase-file", str(new))
        assert before and not before & {p.name for p in (vault / "blobs").glob("*/*")}
        dhakira("verify", "--vault", str(vault), "--passphrase-file", str(new))
        dhakira("backup", "--vault", str(vault), "--passphrase-file", str(new), "--to",
                str(tmp_path / "bk"))
        snapshot = next((tmp_path / "bk" / "snapshots").iterdir())
        assert not (snapshot / "dossier.db").exists()
        restored = run("restore", "--from", str(tmp_path / "bk"), "--to", str(tmp_path / "r"),
                       "--passphrase-file", str(new), environment=environment)
        assert restored.returncode == 0, restored.stderr
        assert "pg_restore" in restored.stdout
        # The database was not touched: the restored files go with it.
        dhakira("verify", "--vault", str(tmp_path / "r"), "--passphrase-file", str(new))
