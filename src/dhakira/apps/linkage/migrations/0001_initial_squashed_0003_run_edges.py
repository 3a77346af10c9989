"""0001_initial to 0003_run_edges in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('identity', '0001_initial'), ('identity', '0002_stored_clusters'), ('identity', '0003_run_edges')]

    dependencies = [
        ('dossier', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='LinkRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(max_length=20, verbose_name='role')),
                ('settings_json', models.JSONField(verbose_name='settings')),
                ('version', models.CharField(max_length=40, verbose_name='settings version')),
                ('model_json', models.JSONField(blank=True, default=dict, verbose_name='trained model')),
                ('started_at', models.DateTimeField(verbose_name='started')),
                ('started_by', models.CharField(max_length=150, verbose_name='started by')),
                ('mentions', models.PositiveIntegerField(default=0)),
                ('candidates', models.PositiveIntegerField(default=0)),
                ('metrics', models.JSONField(blank=True, default=dict, verbose_name='metrics')),
                ('clusters', models.BinaryField(blank=True, default=b'', verbose_name='clusters')),
                ('thresholds', models.JSONField(blank=True, default=dict, verbose_name='cluster thresholds')),
                ('edges', models.BinaryField(blank=True, default=b'', verbose_name='scored pairs')),
            ],
            options={
                'ordering': ['-pk'],
            },
        ),
        migrations.CreateModel(
            name='CandidatePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('match_weight', models.FloatField(verbose_name='match weight')),
                ('probability', models.FloatField(verbose_name='match probability')),
                ('levels', models.JSONField(default=dict, verbose_name='comparison levels')),
                ('status', models.CharField(choices=[('pending', 'pending'), ('accepted', 'same person'), ('rejected', 'different people'), ('unsure', 'unsure')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                ('decided_by', models.CharField(blank=True, max_length=150)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('left', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossier.person')),
                ('right', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossier.person')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairs', to='identity.linkrun')),
            ],
            options={
                'ordering': ['-probability', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='PersonLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_by', models.CharField(max_length=150)),
                ('created_at', models.DateTimeField()),
                ('reason', models.TextField(blank=True)),
                ('active', models.BooleanField(db_index=True, default=True)),
                ('ended_by', models.CharField(blank=True, max_length=150)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('end_reason', models.TextField(blank=True)),
                ('canonical', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='linked_from', to='dossier.person')),
                ('pair', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='links', to='identity.candidatepair')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identity_links', to='dossier.person')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='candidatepair',
            constraint=models.UniqueConstraint(fields=('run', 'left', 'right'), name='one_pair_per_run'),
        ),
    ]
