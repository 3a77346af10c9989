"""Indexes for the list pages at a million reports (no model change, so no schema drift).

Reports are listed newest-received first; without an index every page sorts them all.
Names are searched by key prefix within a script-agnostic key (already indexed).
"""

from django.db import migrations

INDEXES = [
    ("dossier_information_received_idx", "dossier_information", "received_at"),
    ("dossier_event_place_date_idx", "dossier_event", "place_id, date_earliest"),
]


class Migration(migrations.Migration):
    dependencies = [("dossier", "0001_initial")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})",
                          reverse_sql=f"DROP INDEX IF EXISTS {name}")
        for name, table, cols in INDEXES
    ]
