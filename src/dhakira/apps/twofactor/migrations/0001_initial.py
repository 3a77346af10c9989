from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="RolePolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("role", models.CharField(choices=[("administrator", "Administrator"),
                                                   ("documenter", "Documenter"),
                                                   ("analyst", "Analyst"), ("legal", "Legal"),
                                                   ("viewer", "Viewer")],
                                          max_length=20, unique=True)),
            ],
        ),
    ]
