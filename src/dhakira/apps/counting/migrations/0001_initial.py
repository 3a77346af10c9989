import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EstimateRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("method", models.CharField(max_length=20, verbose_name="method")),
                ("seed", models.IntegerField(verbose_name="seed")),
                ("lists", models.JSONField(verbose_name="list definition")),
                ("strata", models.JSONField(verbose_name="strata definition")),
                ("resolution", models.CharField(max_length=200, verbose_name="who is the same person")),
                ("victims", models.PositiveIntegerField(verbose_name="victims on at least one list")),
                ("unresolved", models.PositiveIntegerField(default=0, verbose_name="mentions linkage did not cover")),
                ("tables", models.JSONField(verbose_name="capture tables per stratum")),
                ("result", models.JSONField(verbose_name="result")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "estimate",
                "verbose_name_plural": "estimates",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
