"""Reports made from restricted evidence before reports had a compartment inherit it now."""

from django.db import migrations


def inherit(apps, schema_editor):  # type: ignore[no-untyped-def]
    item = apps.get_model("evidence", "EvidenceItem")
    information = apps.get_model("dossier", "Information")
    rows = (item.objects.exclude(compartment="").exclude(information=None)
            .values_list("information_id", "compartment"))
    for info_id, compartment in rows.iterator():
        information.objects.filter(pk=info_id, compartment="").update(compartment=compartment)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0004_protected_metadata"), ("dossier", "0003_information_compartment")]

    operations = [migrations.RunPython(inherit, migrations.RunPython.noop, elidable=True)]
