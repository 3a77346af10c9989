import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("fieldkit", "0002_decision"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuarantineReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("choice", models.CharField(choices=[("accepted", "accepted"),
                                                     ("rejected", "rejected")],
                                            max_length=8)),
                ("reason", models.TextField()),
                ("decided_by", models.CharField(max_length=150)),
                ("decided_at", models.DateTimeField()),
                ("bundle", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                related_name="review", to="fieldkit.received")),
                ("merged", models.OneToOneField(blank=True, null=True,
                                                on_delete=django.db.models.deletion.PROTECT,
                                                related_name="accepted_from",
                                                to="fieldkit.received")),
            ],
            options={"ordering": ["pk"]},
        ),
    ]
