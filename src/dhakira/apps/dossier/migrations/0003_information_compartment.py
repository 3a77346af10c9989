"""Reports get a compartment, inherited from the restricted evidence they were made from."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossier", "0002_page_indexes")]

    operations = [
        migrations.AddField(
            model_name="information",
            name="compartment",
            field=models.CharField(
                blank=True, choices=[
                    ("sources", "Sources (identities and contacts of informants)"),
                    ("sogi", "Self-identified sexual orientation and gender identity"),
                    ("protection", "Protection casework"),
                    ("addresses", "Exact addresses")],
                db_index=True, default="", max_length=20, verbose_name="compartment"),
        ),
    ]
