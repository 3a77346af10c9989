"""Every model change has its migration; the squashed migrations make what they replace."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from tests.clivault import clean_env
from tests.writers_load import _database


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits non-zero when a migration is missing
        pytest.fail(f"a migration is missing (exit {exc.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


# A new vault is made by the squashed migrations (``0001_initial_squashed_…``), a vault of an
# earlier release by the migrations they replace. Both must give the same schema, and a vault
# made the old way must open on the squashes with nothing left to apply.
SCHEMA = r'''
import json, re, sys
from pathlib import Path
from dhakira.apps.vault import runtime
from dhakira.core.vault import keyslots, session

vault = Path(sys.argv[1])
vault.mkdir()
session.set_key(keyslots.create(vault, "a long test passphrase", label="t"), consume=True)
runtime.configure(vault)
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

if sys.argv[2] == "replaced":  # as every release before the squashes made a vault
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    for key, migration in executor.loader.replacements.items():
        executor.loader.graph.remove_replacement_node(key, migration.replaces)
    executor.migrate(executor.loader.graph.leaf_nodes())
else:
    runtime.migrate()  # as `dhakira init` does
schema = {}
with connection.cursor() as cursor:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        for kind, name, sql in cursor.fetchall():
            if kind == "trigger" or sql and sql.startswith("CREATE VIRTUAL"):
                schema[name] = sql
            elif kind == "table":
                cursor.execute(f'PRAGMA table_info("{name}")')
                columns = sorted(map(list, cursor.fetchall()), key=lambda c: c[1])
                cursor.execute(f'PRAGMA foreign_key_list("{name}")')
                keys = sorted([r[2], r[3], r[4], r[5], r[6]] for r in cursor.fetchall())
                cursor.execute(f'PRAGMA index_list("{name}")')
                indexes = []
                for row in cursor.fetchall():
                    cursor.execute(f'PRAGMA index_info("{row[1]}")')
                    indexes.append([row[2], [c[2] for c in cursor.fetchall()]])
                schema[name] = [[c[1:] for c in columns], keys, sorted(indexes)]
    else:
        cursor.execute("SELECT table_name, column_name, data_type, is_nullable, column_default, "
                       "is_identity FROM information_schema.columns WHERE table_schema = 'public'")
        for table, *column in sorted(cursor.fetchall()):
            schema.setdefault(table, []).append(column)
        cursor.execute("SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE connamespace = 'public'::regnamespace")
        schema["constraints"] = sorted(cursor.fetchall())
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        schema["indexes"] = sorted([t, re.sub(r"INDEX \S+ ON", "INDEX ON", d)]
                                   for t, d in cursor.fetchall())
print(json.dumps({"schema": schema, "state": runtime.schema_state()}))
'''


def _schema(tmp_path: Path, how: str) -> dict[str, Any]:
    env = clean_env()
    with _database(env):
        done = subprocess.run([sys.executable, "-c", SCHEMA, str(tmp_path / how), how],
                              capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return cast(dict[str, Any], json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.slow
@pytest.mark.backend_dependent
def test_the_squashed_migrations_make_the_schema_the_migrations_they_replace_made(
        tmp_path: Path) -> None:
    squashed, replaced = _schema(tmp_path, "squashed"), _schema(tmp_path, "replaced")
    fts = [name for name in squashed["schema"] if name.startswith("evidence_fts")]  # SQLite
    gin = [d for _, d in squashed["schema"].get("indexes", []) if "USING gin" in d]  # PostgreSQL
    assert fts or gin  # the full-text index, which the squashes must still make
    if fts:
        # On SQLite, dossier.0003's AddField rebuilds dossier_information and drops the index
        # dossier.0002 made with raw SQL; dossier.0009 makes it again in the vaults it left.
        assert [0, ["received_at"]] in replaced["schema"]["dossier_information"][2]
    assert sorted(squashed["schema"]) == sorted(replaced["schema"])
    for name, made in replaced["schema"].items():
        assert squashed["schema"][name] == made, name
    # A vault an earlier release made (every replaced migration applied) is current here.
    assert replaced["state"] == squashed["state"] == [[], []]
