"""Recovery codes kept as Argon2id hashes instead of django-otp's plain static tokens.

Every existing set is moved over: each code still unused is hashed into the new table and
the plain token deleted, so the codes people wrote down keep working (docs/security.md).
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.db import migrations, models


def hash_static_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodes = apps.get_model("twofactor", "RecoveryCodes")
    RecoveryCode = apps.get_model("twofactor", "RecoveryCode")
    hasher = get_hasher("default")
    for old in StaticDevice.objects.all():
        new = RecoveryCodes.objects.create(user_id=old.user_id, name=old.name or "recovery",
                                           confirmed=old.confirmed)
        salt = hasher.salt()  # one salt per set, as the app makes them
        tokens = [t.token.strip().lower() for t in old.token_set.all()]
        RecoveryCode.objects.bulk_create([RecoveryCode(device=new, digest=hasher.encode(t, salt))
                                          for t in tokens])
        old.token_set.all().delete()
        old.delete()


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("otp_static", "0003_add_timestamps"),
        ("twofactor", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryCodes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.",
                                          max_length=64)),
                ("confirmed", models.BooleanField(default=True,
                                                  help_text="Is this device ready for use?")),
                ("user", models.ForeignKey(help_text="The user that this device belongs to.",
                                           on_delete=django.db.models.deletion.CASCADE,
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "recovery codes", "abstract": False},
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("digest", models.CharField(max_length=256)),
                ("device", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="codes", to="twofactor.recoverycodes")),
            ],
        ),
        migrations.RunPython(hash_static_tokens, elidable=True),  # irreversible: codes not kept
    ]
