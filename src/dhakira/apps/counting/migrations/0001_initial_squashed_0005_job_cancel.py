"""0001_initial to 0005_job_cancel in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('counting', '0001_initial'), ('counting', '0002_estimate_job'), ('counting', '0003_linkage_run'), ('counting', '0004_job_refusal'), ('counting', '0005_job_cancel')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('identity', '0002_stored_clusters'),
    ]

    operations = [
        migrations.CreateModel(
            name='EstimateRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('method', models.CharField(max_length=20, verbose_name='method')),
                ('seed', models.IntegerField(verbose_name='seed')),
                ('lists', models.JSONField(verbose_name='list definition')),
                ('strata', models.JSONField(verbose_name='strata definition')),
                ('resolution', models.CharField(max_length=200, verbose_name='who is the same person')),
                ('victims', models.PositiveIntegerField(verbose_name='victims on at least one list')),
                ('unresolved', models.PositiveIntegerField(default=0, verbose_name='mentions linkage did not cover')),
                ('tables', models.JSONField(verbose_name='capture tables per stratum')),
                ('result', models.JSONField(verbose_name='result')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decisions', models.PositiveIntegerField(default=0, verbose_name='review decisions applied')),
                ('link_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='identity.linkrun', verbose_name='linkage run')),
            ],
            options={
                'verbose_name': 'estimate',
                'verbose_name_plural': 'estimates',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='EstimateJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('status', models.CharField(choices=[('running', 'running'), ('done', 'done'), ('failed', 'failed'), ('interrupted', 'interrupted'), ('cancelled', 'cancelled')], default='running', max_length=12, verbose_name='status')),
                ('progress', models.FloatField(default=0.0, verbose_name='progress')),
                ('message', models.CharField(blank=True, max_length=200, verbose_name='message')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('options', models.JSONField(verbose_name='settings')),
                ('process', models.CharField(max_length=64, verbose_name='server process')),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='counting.estimaterun')),
                ('refusal_code', models.CharField(blank=True, default='', max_length=40, verbose_name='refusal')),
                ('refusal_params', models.JSONField(blank=True, default=dict, verbose_name='refusal values')),
                ('cancel_requested', models.BooleanField(default=False, verbose_name='cancel asked for')),
                ('cancelled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='cancelled by')),
            ],
            options={
                'verbose_name': 'estimate job',
                'verbose_name_plural': 'estimate jobs',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'running')), fields=('status',), name='counting_one_running_estimate_job')],
            },
        ),
    ]
