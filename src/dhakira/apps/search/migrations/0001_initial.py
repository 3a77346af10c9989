"""The search index moves from the evidence app to this one: in Django's state only.

The table stays ``evidence_searchdocument`` (with its FTS5 table and triggers, or its GIN
index, from ``evidence.0002``), so nothing in the database changes: ``evidence.0007`` removes
the model from the evidence app's state after this migration adds it here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("dossier", "0001_initial"),
        ("evidence", "0006_search_keys_rekeyed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("information", "report"),
                                                           ("evidence", "evidence")],
                                                  max_length=20)),
                        ("date", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("mime", models.CharField(blank=True, max_length=120)),
                        ("compartment", models.CharField(blank=True, max_length=20)),
                        ("key", models.TextField(blank=True)),
                        ("derived", models.OneToOneField(
                            blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                            related_name="search_document", to="evidence.derivedcopy")),
                        ("information", models.OneToOneField(
                            blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                            related_name="search_document", to="dossier.information")),
                        ("item", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                            related_name="+", to="evidence.evidenceitem")),
                        ("place", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to="dossier.place")),
                        ("source", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to="dossier.source")),
                    ],
                    options={"db_table": "evidence_searchdocument"},
                ),
            ],
            database_operations=[],
        ),
    ]
