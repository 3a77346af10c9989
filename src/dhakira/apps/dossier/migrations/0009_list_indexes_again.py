"""The list pages' indexes again, on vaults that lost one (no model change, no schema drift).

On SQLite, 0003 rebuilt ``dossier_information`` to add its compartment, and a table rebuilt
by Django keeps only the indexes its model declares: ``dossier_information_received_idx``
(0002, raw SQL) was dropped from every vault made before the squashed migrations, and the
reports list sorted every report again (seconds a page at 1,000,000 reports). New vaults have
both indexes already; ``IF NOT EXISTS`` makes this a no-op for them and on PostgreSQL.
"""

from importlib import import_module

from django.db import migrations

# The same indexes as 0002, named once (a migration's module name starts with a digit).
INDEXES = import_module("dhakira.apps.dossier.migrations.0002_page_indexes").INDEXES


class Migration(migrations.Migration):
    dependencies = [("dossier", "0008_external_reviewer_role")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})",
                          reverse_sql=migrations.RunSQL.noop)
        for name, table, cols in INDEXES
    ]
