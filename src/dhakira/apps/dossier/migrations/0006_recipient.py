"""A managed list of recipients; consent points at one (or at none: any recipient of the use)
and says who gave it. Free-text recipients become Recipient rows, matched trimmed and
case-insensitively, with their consents pointing at them."""

import re

import django.db.models.deletion
from django.core.validators import RegexValidator
from django.db import migrations, models

import dhakira.apps.dossier.models


def _code(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")[:36] or "R"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def free_text_to_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    Consent = apps.get_model("dossier", "Consent")
    Recipient = apps.get_model("dossier", "Recipient")
    taken = set(Recipient.objects.values_list("code", flat=True))
    by_key: dict[str, int] = {}
    texts = (Consent.objects.exclude(recipient_text="").values_list("recipient_text", flat=True)
             .distinct().order_by("recipient_text"))
    for text in texts:
        key = " ".join(text.split()).casefold()
        if not key:
            continue
        if key not in by_key:
            name = " ".join(text.split())
            by_key[key] = Recipient.objects.create(code=_code(name, taken), name_en=name,
                                                   name_ar=name, kind="other").pk
        Consent.objects.filter(recipient_text=text).update(recipient_id=by_key[key])


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0005_pending_file'),
    ]

    operations = [
        migrations.CreateModel(
            name='Recipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, validators=[RegexValidator('^[A-Z0-9][A-Z0-9_.-]*$', 'Capital Latin letters, digits, “-”, “_” or “.”, e.g. UNITAD.')], verbose_name='short code')),
                ('name_en', models.CharField(max_length=200, verbose_name='name in English')),
                ('name_ar', models.CharField(max_length=200, verbose_name='name in Arabic')),
                ('kind', models.CharField(choices=[('un_mechanism', 'UN mechanism'), ('court', 'court'), ('prosecutor', 'prosecutor'), ('ngo', 'organisation (NGO)'), ('media', 'media'), ('other', 'other')], max_length=20, verbose_name='kind')),
                ('public_key', models.CharField(blank=True, help_text='The age public key packages are sealed to.', max_length=200, validators=[dhakira.apps.dossier.models.validate_age_public_key], verbose_name='public key (age)')),
                ('contact', models.TextField(blank=True, verbose_name='contact')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={'ordering': ['code']},
        ),
        migrations.RemoveConstraint(model_name='consent', name='one_consent_version'),
        migrations.RenameField(model_name='consent', old_name='recipient', new_name='recipient_text'),
        migrations.AddField(
            model_name='consent',
            name='recipient',
            field=models.ForeignKey(blank=True, help_text='Empty means any recipient of this kind of use.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='dossier.recipient', verbose_name='recipient'),
        ),
        migrations.AddField(
            model_name='consent',
            name='given_by',
            field=models.CharField(choices=[('self', 'the person themself'), ('relative', 'a relative'), ('guardian', 'a guardian'), ('informant', 'the informant, on their behalf')], default='self', max_length=10, verbose_name='given by'),
        ),
        migrations.AddField(
            model_name='consent',
            name='relationship',
            field=models.CharField(blank=True, max_length=100, verbose_name='relationship to the person'),
        ),
        migrations.RunPython(free_text_to_rows, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name='consent', name='recipient_text'),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.UniqueConstraint(fields=('person', 'scope', 'recipient', 'version'), name='one_consent_version'),
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('person', 'scope', 'version'), name='one_any_recipient_consent_version'),
        ),
    ]
