"""Rename the intake drafts kept under the data key to their names under the draft sub-key.

Earlier versions named each user's draft row (in Django's session table) with an HMAC keyed by
the data key itself; drafts are now named under the ``intake draft`` sub-key
(:mod:`dhakira.core.vault.keys`). A draft is renamed, not dropped, so nothing typed is lost. The
vault is unlocked while it migrates; with no draft rows the key is not needed at all.
"""

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.hmac import HMAC
from django.conf import settings
from django.db import migrations

from dhakira.core.vault import keys, session


def _name(key, user_pk):
    mac = HMAC(key, SHA256())  # as the drafts were named: the key may be a view of the page
    mac.update(f"intake-draft:{user_pk}".encode())
    return "draft" + mac.finalize().hex()[:35]


def forwards(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    drafts = Session.objects.filter(session_key__regex=r"^draft[0-9a-f]{35}$")
    if not drafts.exists():
        return
    label, model = settings.AUTH_USER_MODEL.split(".")
    users = apps.get_model(label, model).objects.values_list("pk", flat=True)
    with session.borrow() as data_key:
        sub = keys.derive(data_key, keys.INTAKE_DRAFT)
        renames = {_name(data_key, pk): _name(sub, pk) for pk in users}
    for row in drafts:
        new = renames.get(row.session_key)
        if new is None or Session.objects.filter(session_key=new).exists():
            continue  # already renamed, or a draft under the new name wins
        Session.objects.create(session_key=new, session_data=row.session_data,
                               expire_date=row.expire_date)
        row.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("dossier", "0006_recipient"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
