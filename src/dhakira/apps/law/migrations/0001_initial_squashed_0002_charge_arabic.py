"""0001_initial to 0002_charge_arabic in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('legal', '0001_initial'), ('legal', '0002_charge_arabic')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('dossier', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Charge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crime_id', models.CharField(max_length=40, verbose_name='crime')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='title (English)')),
                ('date_from', models.DateField(blank=True, null=True, verbose_name='from')),
                ('date_to', models.DateField(blank=True, null=True, verbose_name='to')),
                ('victim_group', models.CharField(blank=True, max_length=300, verbose_name='victim group (English)')),
                ('ground_tags', models.JSONField(blank=True, default=list, verbose_name='ground tags')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('perpetrators', models.ManyToManyField(blank=True, related_name='+', to='dossier.person')),
                ('places', models.ManyToManyField(blank=True, help_text='Places in scope, with every place inside them.', related_name='+', to='dossier.place')),
                ('units', models.ManyToManyField(blank=True, related_name='+', to='dossier.unit')),
                ('title_ar', models.CharField(blank=True, max_length=300, verbose_name='title (Arabic)')),
                ('victim_group_ar', models.CharField(blank=True, max_length=300, verbose_name='victim group (Arabic)')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='DocumentFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_kind', models.CharField(choices=[('information', 'report'), ('act', 'act'), ('evidence', 'evidence item')], max_length=20, verbose_name='kind of item')),
                ('item_uid', models.CharField(max_length=20, verbose_name='item')),
                ('note', models.TextField(blank=True, verbose_name='what it shows')),
                ('flagged_at', models.DateTimeField(auto_now_add=True)),
                ('flagged_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(fields=('item_kind', 'item_uid'), name='one_policy_flag_per_item')],
            },
        ),
        migrations.CreateModel(
            name='ElementAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_kind', models.CharField(choices=[('information', 'report'), ('act', 'act'), ('evidence', 'evidence item')], max_length=20, verbose_name='kind of item')),
                ('item_uid', models.CharField(db_index=True, max_length=20, verbose_name='item')),
                ('element_id', models.CharField(max_length=40, verbose_name='element')),
                ('stance', models.CharField(choices=[('supports', 'supports'), ('undermines', 'undermines')], max_length=12, verbose_name='stance')),
                ('standard_claimed', models.CharField(choices=[('unverified_allegation', 'unverified allegation'), ('credible_allegation', 'credible allegation'), ('reasonable_grounds', 'reasonable grounds'), ('balance_of_probabilities', 'balance of probabilities'), ('clear_and_convincing', 'clear and convincing')], max_length=30, verbose_name='standard claimed')),
                ('reviewed_at', models.DateField(verbose_name='reviewed on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('charge', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='legal.charge')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
    ]
