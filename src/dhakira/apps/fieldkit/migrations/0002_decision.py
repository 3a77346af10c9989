import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("fieldkit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Decision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("choice", models.CharField(choices=[("newer", "keep the newer version"),
                                                     ("older", "keep the older version"),
                                                     ("both", "both versions stand")],
                                            max_length=8)),
                ("decided_by", models.CharField(max_length=150)),
                ("decided_at", models.DateTimeField()),
                ("newer", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                               related_name="decision", to="fieldkit.origin")),
                ("older", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="fieldkit.origin")),
            ],
            options={"ordering": ["pk"]},
        ),
    ]
