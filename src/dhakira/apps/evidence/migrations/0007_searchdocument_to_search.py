"""The search index now belongs to the search app (``search.0001``); its table stays
``evidence_searchdocument``, so only Django's state changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0006_search_keys_rekeyed"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchDocument")],
            database_operations=[],
        ),
    ]
