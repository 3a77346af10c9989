"""The name-part index behind search by any part of a name, filled for existing vaults."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 20000


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Only the pure keying is imported; the rows are written with the historical models.
    from dhakira.core.names import part_keys

    NameVariant = apps.get_model("dossier", "NameVariant")
    NamePart = apps.get_model("dossier", "NamePart")
    last = 0
    while True:
        rows = list(NameVariant.objects.filter(pk__gt=last).order_by("pk")
                    .values_list("pk", "person_id", "text")[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        NamePart.objects.bulk_create(
            [NamePart(variant_id=pk, person_id=person, key=key)
             for pk, person, text in rows for key in part_keys(text)], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("dossier", "0003_information_compartment"),
    ]

    operations = [
        migrations.CreateModel(
            name="NamePart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("key", models.CharField(max_length=300)),
                ("person", models.ForeignKey(db_index=False,
                                             on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="dossier.person")),
                ("variant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="parts", to="dossier.namevariant")),
            ],
            options={
                "indexes": [models.Index(fields=["key", "person"], name="namepart_key_person"),
                            models.Index(fields=["person", "key"], name="namepart_person_key")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
