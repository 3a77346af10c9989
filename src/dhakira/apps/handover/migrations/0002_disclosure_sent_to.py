"""Each disclosure points at its recipient in the managed list: a free-text recipient is
matched (trimmed, case-insensitive) to a code or name, or becomes a new Recipient row."""

import re

import django.db.models.deletion
from django.db import migrations, models


def link(apps, schema_editor):  # type: ignore[no-untyped-def]
    Disclosure = apps.get_model("handover", "Disclosure")
    Recipient = apps.get_model("dossier", "Recipient")
    known: dict[str, int] = {}
    for r in Recipient.objects.all():
        for text in (r.code, r.name_en, r.name_ar):
            known.setdefault(" ".join(text.split()).casefold(), r.pk)
    taken = set(Recipient.objects.values_list("code", flat=True))
    for d in Disclosure.objects.all():
        key = " ".join(d.recipient.split()).casefold()
        if key not in known:
            base = re.sub(r"[^A-Z0-9]+", "-", key.upper()).strip("-")[:36] or "R"
            code, n = base, 1
            while code in taken:
                n += 1
                code = f"{base}-{n}"
            taken.add(code)
            name = " ".join(d.recipient.split())
            known[key] = Recipient.objects.create(code=code, name_en=name, name_ar=name,
                                                  kind="other").pk
        Disclosure.objects.filter(pk=d.pk).update(sent_to_id=known[key])


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0006_recipient'),
        ('handover', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='disclosure',
            name='sent_to',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='disclosures', to='dossier.recipient', verbose_name='recipient'),
        ),
        migrations.RunPython(link, migrations.RunPython.noop, elidable=True),
    ]
