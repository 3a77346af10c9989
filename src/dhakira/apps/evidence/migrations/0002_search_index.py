"""The full-text index over SearchDocument.key, one per database vendor.

SQLite/SQLCipher: an external-content FTS5 table kept in step by triggers.
PostgreSQL: a GIN index over ``to_tsvector('simple', key)`` (the key is already
normalised by dhakira.core.names.search_key, so the 'simple' configuration is right).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE evidence_fts USING fts5(key, content='evidence_searchdocument', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER evidence_fts_ai AFTER INSERT ON evidence_searchdocument BEGIN "
    "INSERT INTO evidence_fts(rowid, key) VALUES (new.id, new.key); END",
    "CREATE TRIGGER evidence_fts_ad AFTER DELETE ON evidence_searchdocument BEGIN "
    "INSERT INTO evidence_fts(evidence_fts, rowid, key) VALUES ('delete', old.id, old.key); END",
    "CREATE TRIGGER evidence_fts_au AFTER UPDATE ON evidence_searchdocument BEGIN "
    "INSERT INTO evidence_fts(evidence_fts, rowid, key) VALUES ('delete', old.id, old.key); "
    "INSERT INTO evidence_fts(rowid, key) VALUES (new.id, new.key); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS evidence_fts_au", "DROP TRIGGER IF EXISTS evidence_fts_ad",
               "DROP TRIGGER IF EXISTS evidence_fts_ai", "DROP TABLE IF EXISTS evidence_fts"]
POSTGRES_UP = ["CREATE INDEX evidence_searchdocument_key_gin ON evidence_searchdocument "
               "USING GIN (to_tsvector('simple', key))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS evidence_searchdocument_key_gin"]


def _run(schema_editor, statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


# Module-level functions, not closures: the squashed migration refers to them by name.
def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


class Migration(migrations.Migration):

    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
