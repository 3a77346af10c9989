"""0001_initial to 0002_disclosure_sent_to in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import dhakira.apps.dossier.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('handover', '0001_initial'), ('handover', '0002_disclosure_sent_to')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('dossier', '0001_initial'),
        ('dossier', '0006_recipient'),
    ]

    operations = [
        migrations.CreateModel(
            name='Disclosure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('package_id', models.CharField(max_length=128, unique=True, verbose_name='package')),
                ('recipient', models.CharField(db_index=True, max_length=200, verbose_name='recipient')),
                ('purpose', models.CharField(max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('consent_scopes')], verbose_name='purpose')),
                ('policy', models.CharField(choices=[('full', 'full (court under protective measures)'), ('pseudonymised', 'pseudonymised (stable per-package codes)'), ('anonymised', 'anonymised (advocacy)')], max_length=20, verbose_name='redaction policy')),
                ('policy_version', models.PositiveIntegerField(default=1)),
                ('selection', models.CharField(max_length=1000, verbose_name='selection')),
                ('created_at', models.DateTimeField(verbose_name='created')),
                ('manifest_sha256', models.CharField(max_length=64)),
                ('key_fingerprint', models.CharField(max_length=100)),
                ('items', models.JSONField(default=list, verbose_name='items')),
                ('blocked', models.JSONField(blank=True, default=list, verbose_name='blocked items and why')),
                ('consent_checks', models.JSONField(default=list, verbose_name='consent checks')),
                ('override_reason', models.TextField(blank=True, verbose_name='why the consent gate was overridden')),
                ('sealed_to', models.CharField(blank=True, max_length=200, verbose_name='sealed to (age public key)')),
                ('acknowledged_by', models.CharField(blank=True, max_length=200, verbose_name='acknowledged by')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='acknowledged')),
                ('acknowledgement_method', models.CharField(blank=True, max_length=200, verbose_name='how')),
                ('acknowledgement_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('override_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('sent_to', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='disclosures', to='dossier.recipient', verbose_name='recipient')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='DisclosedPerson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('overridden', models.BooleanField(default=False)),
                ('consent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossier.consent')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disclosures', to='dossier.person')),
                ('disclosure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='persons', to='handover.disclosure')),
            ],
            options={
                'indexes': [models.Index(fields=['person', 'disclosure'], name='handover_di_person__38183d_idx')],
                'constraints': [models.UniqueConstraint(fields=('disclosure', 'person'), name='one_row_per_disclosed_person')],
            },
        ),
    ]
