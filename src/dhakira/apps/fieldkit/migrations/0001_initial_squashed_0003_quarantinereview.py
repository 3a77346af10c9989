"""0001_initial to 0003_quarantinereview in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('fieldkit', '0001_initial'), ('fieldkit', '0002_decision'), ('fieldkit', '0003_quarantinereview')]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Device',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('key_id', models.CharField(max_length=16, unique=True)),
                ('public_key', models.CharField(max_length=64)),
                ('recipient', models.CharField(max_length=100)),
                ('enrolled_at', models.DateTimeField()),
                ('enrolled_by', models.CharField(max_length=150)),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked from')),
                ('last_seq', models.PositiveIntegerField(default=0)),
                ('ack_seq', models.PositiveIntegerField(default=0)),
                ('reference_seq', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['label'],
            },
        ),
        migrations.CreateModel(
            name='KitState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('office_key_id', models.CharField(max_length=16)),
                ('office_public_key', models.CharField(max_length=64)),
                ('office_recipient', models.CharField(max_length=100)),
                ('next_seq', models.PositiveIntegerField(default=1)),
                ('acked_seq', models.PositiveIntegerField(default=0)),
                ('acked_custody_seq', models.PositiveBigIntegerField(default=0)),
                ('reference_seq', models.PositiveIntegerField(default=0)),
                ('made_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='Received',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sealed_sha256', models.CharField(db_index=True, max_length=64)),
                ('seq', models.PositiveIntegerField(blank=True, null=True)),
                ('made_at', models.CharField(blank=True, max_length=40)),
                ('received_at', models.DateTimeField()),
                ('outcome', models.CharField(choices=[('merged', 'merged'), ('refused', 'refused'), ('quarantined', 'quarantined')], max_length=12)),
                ('reason', models.CharField(blank=True, max_length=20)),
                ('records', models.PositiveIntegerField(default=0)),
                ('ack', models.JSONField(blank=True, null=True)),
                ('device', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bundles', to='fieldkit.device')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Shipped',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('local_pk', models.PositiveBigIntegerField()),
                ('gid', models.CharField(db_index=True, max_length=40)),
                ('content_hash', models.CharField(max_length=64)),
                ('bundle_seq', models.PositiveIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'local_pk'], name='fieldkit_shipped_row')],
            },
        ),
        migrations.CreateModel(
            name='DeviceEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField()),
                ('data', models.JSONField()),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='fieldkit.device')),
            ],
            options={
                'ordering': ['device', 'seq'],
                'constraints': [models.UniqueConstraint(fields=('device', 'seq'), name='one_device_entry')],
            },
        ),
        migrations.CreateModel(
            name='Origin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gid', models.CharField(max_length=40)),
                ('version', models.PositiveIntegerField()),
                ('kind', models.CharField(max_length=20)),
                ('local_pk', models.PositiveBigIntegerField()),
                ('content_hash', models.CharField(max_length=64)),
                ('base_hash', models.CharField(blank=True, max_length=64)),
                ('conflict', models.BooleanField(default=False)),
                ('reviewed', models.BooleanField(default=False)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='fieldkit.device')),
                ('bundle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records_merged', to='fieldkit.received')),
            ],
            options={
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['kind', 'local_pk'], name='fieldkit_origin_row')],
                'constraints': [models.UniqueConstraint(fields=('gid', 'version'), name='one_origin_version')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choice', models.CharField(choices=[('newer', 'keep the newer version'), ('older', 'keep the older version'), ('both', 'both versions stand')], max_length=8)),
                ('decided_by', models.CharField(max_length=150)),
                ('decided_at', models.DateTimeField()),
                ('newer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='decision', to='fieldkit.origin')),
                ('older', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fieldkit.origin')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='QuarantineReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choice', models.CharField(choices=[('accepted', 'accepted'), ('rejected', 'rejected')], max_length=8)),
                ('reason', models.TextField()),
                ('decided_by', models.CharField(max_length=150)),
                ('decided_at', models.DateTimeField()),
                ('bundle', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='review', to='fieldkit.received')),
                ('merged', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='accepted_from', to='fieldkit.received')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
    ]
