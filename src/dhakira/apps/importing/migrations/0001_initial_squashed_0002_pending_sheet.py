"""0001_initial to 0002_pending_sheet in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('importing', '0001_initial'), ('importing', '0002_pending_sheet')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sheet', models.CharField(max_length=20)),
                ('sheet_sha256', models.CharField(max_length=64)),
                ('file_name', models.CharField(max_length=500)),
                ('actor', models.CharField(max_length=150)),
                ('at', models.DateTimeField()),
                ('imported', models.PositiveIntegerField(default=0)),
                ('already', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='ImportedRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fingerprint', models.CharField(max_length=64)),
                ('occurrence', models.PositiveIntegerField()),
                ('report', models.CharField(max_length=20)),
                ('row', models.PositiveIntegerField()),
                ('first_run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='importing.importrun')),
                ('last_run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='importing.importrun')),
            ],
            options={
                'indexes': [models.Index(fields=['fingerprint', 'last_run'], name='importing_row_run')],
                'constraints': [models.UniqueConstraint(fields=('fingerprint', 'occurrence'), name='importing_one_row')],
            },
        ),
        migrations.CreateModel(
            name='PendingSheet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sealed_name', models.BinaryField()),
                ('sealed_data', models.BinaryField()),
                ('sealed_mapping', models.BinaryField(default=b'')),
                ('size', models.PositiveBigIntegerField()),
                ('compartment', models.CharField(default='sources', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='importing.importrun')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
    ]
