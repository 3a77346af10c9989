"""0001_initial to 0008_external_reviewer_role in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

import dhakira.apps.dossier.models
import dhakira.apps.dossier.validators
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('dossier', '0001_initial'), ('dossier', '0002_page_indexes'), ('dossier', '0003_information_compartment'), ('dossier', '0004_name_parts'), ('dossier', '0005_pending_file'), ('dossier', '0006_recipient'), ('dossier', '0007_drafts_subkey'), ('dossier', '0008_external_reviewer_role')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date_text', models.CharField(blank=True, max_length=200, verbose_name='date as given')),
                ('date_calendar', models.CharField(blank=True, choices=[('gregorian', 'Gregorian'), ('hijri', 'Hijri')], max_length=10, verbose_name='calendar')),
                ('date_edtf', models.CharField(blank=True, max_length=100, verbose_name='EDTF')),
                ('date_earliest', models.DateField(blank=True, db_index=True, null=True, verbose_name='earliest')),
                ('date_latest', models.DateField(blank=True, db_index=True, null=True, verbose_name='latest')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('violation_status', models.CharField(blank=True, max_length=20, validators=[dhakira.apps.dossier.validators.VocabularyValidator('violation_status')], verbose_name='violation status')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('counting_unit', models.CharField(default='individual', max_length=20, validators=[dhakira.apps.dossier.validators.VocabularyValidator('counting_units')], verbose_name='counting unit')),
                ('sex', models.CharField(blank=True, max_length=20, validators=[dhakira.apps.dossier.validators.VocabularyValidator('sex')], verbose_name='sex')),
                ('age', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='age')),
                ('deceased', models.BooleanField(blank=True, null=True, verbose_name='deceased')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'person',
                'verbose_name_plural': 'people',
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_name', models.CharField(max_length=100, unique=True, verbose_name='code name')),
                ('kind', models.CharField(choices=[('informant', 'informant'), ('survivor', 'survivor'), ('witness', 'witness'), ('organisation', 'organisation'), ('document', 'document collection'), ('media', 'media or platform')], default='informant', max_length=30, verbose_name='kind')),
                ('network', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='network or list')),
                ('reliability', models.CharField(default='f', max_length=1, validators=[dhakira.apps.dossier.validators.VocabularyValidator('reliability')], verbose_name='reliability')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='Act',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date_text', models.CharField(blank=True, max_length=200, verbose_name='date as given')),
                ('date_calendar', models.CharField(blank=True, choices=[('gregorian', 'Gregorian'), ('hijri', 'Hijri')], max_length=10, verbose_name='calendar')),
                ('date_edtf', models.CharField(blank=True, max_length=100, verbose_name='EDTF')),
                ('date_earliest', models.DateField(blank=True, db_index=True, null=True, verbose_name='earliest')),
                ('date_latest', models.DateField(blank=True, db_index=True, null=True, verbose_name='latest')),
                ('act_type', models.CharField(max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('act_types')], verbose_name='type of act')),
                ('method', models.CharField(blank=True, max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('methods')], verbose_name='method')),
                ('result', models.CharField(blank=True, max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('results')], verbose_name='result')),
                ('stated_reason', models.CharField(blank=True, max_length=500, verbose_name='reason the perpetrators gave')),
                ('grounds', models.JSONField(blank=True, default=list, validators=[dhakira.apps.dossier.validators.VocabularyValidator('grounds')], verbose_name='grounds attributed by the perpetrator')),
                ('rights_deprived', models.JSONField(blank=True, default=list, validators=[dhakira.apps.dossier.validators.VocabularyValidator('rights_deprived')], verbose_name='rights deprived')),
                ('public_setting', models.BooleanField(blank=True, null=True, verbose_name='in public')),
                ('announced', models.BooleanField(blank=True, null=True, verbose_name='announced or claimed by perpetrators')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='acts', to='dossier.event')),
                ('victim', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='acts_suffered', to='dossier.person')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='EventChain',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain_type', models.CharField(max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('chain_types')])),
                ('from_event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chains_out', to='dossier.event')),
                ('to_event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chains_in', to='dossier.event')),
            ],
        ),
        migrations.CreateModel(
            name='Information',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField(verbose_name='received')),
                ('channel', models.CharField(max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('channels')], verbose_name='channel')),
                ('language', models.CharField(default='ar', max_length=10, verbose_name='language')),
                ('connection', models.CharField(blank=True, max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('source_connection')], verbose_name="source's connection")),
                ('material_type', models.CharField(blank=True, max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('source_material_types')], verbose_name='type of material')),
                ('credibility', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(6)], verbose_name='credibility')),
                ('text', models.TextField(blank=True, verbose_name="in the source's own words")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('acts', models.ManyToManyField(blank=True, related_name='information', to='dossier.act')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('derived_from', models.ManyToManyField(blank=True, related_name='derivatives', to='dossier.information')),
                ('events', models.ManyToManyField(blank=True, related_name='information', to='dossier.event')),
                ('persons', models.ManyToManyField(blank=True, related_name='information', to='dossier.person')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='information', to='dossier.source')),
                ('compartment', models.CharField(blank=True, choices=[('sources', 'Sources (identities and contacts of informants)'), ('sogi', 'Self-identified sexual orientation and gender identity'), ('protection', 'Protection casework'), ('addresses', 'Exact addresses')], db_index=True, default='', max_length=20, verbose_name='compartment')),
            ],
            options={
                'verbose_name': 'report',
                'verbose_name_plural': 'reports',
            },
        ),
        migrations.CreateModel(
            name='Place',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                ('name_ar', models.CharField(max_length=200, verbose_name='name (Arabic)')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other names, incl. ISIS-era')),
                ('kind', models.CharField(max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('place_kinds')], verbose_name='kind')),
                ('latitude', models.FloatField(blank=True, null=True)),
                ('longitude', models.FloatField(blank=True, null=True)),
                ('uncertainty_m', models.PositiveIntegerField(blank=True, null=True, verbose_name='uncertainty (m)')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='dossier.place')),
            ],
        ),
        migrations.AddField(
            model_name='event',
            name='place',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='dossier.place'),
        ),
        migrations.AddField(
            model_name='act',
            name='place',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='acts', to='dossier.place'),
        ),
        migrations.CreateModel(
            name='ProtectedValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('owner', models.CharField(max_length=40)),
                ('field', models.CharField(max_length=40)),
                ('compartment', models.CharField(choices=[('sources', 'Sources (identities and contacts of informants)'), ('sogi', 'Self-identified sexual orientation and gender identity'), ('protection', 'Protection casework'), ('addresses', 'Exact addresses')], max_length=20)),
                ('value', models.TextField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('owner', 'field'), name='one_protected_value')],
            },
        ),
        migrations.CreateModel(
            name='NameVariant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=300, verbose_name='name')),
                ('script', models.CharField(choices=[('arab', 'Arabic script'), ('latn', 'Latin script')], max_length=4, verbose_name='script')),
                ('kind', models.CharField(choices=[('full', 'full name'), ('kunya', 'kunya (Abu/Umm …)'), ('laqab', 'laqab or nickname'), ('alias', 'alias or nom de guerre')], default='full', max_length=10, verbose_name='kind')),
                ('key', models.CharField(blank=True, db_index=True, max_length=300, verbose_name='comparison key')),
                ('information', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='name_variants', to='dossier.information')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='names', to='dossier.person')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossier.source')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Unit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                ('name_ar', models.CharField(max_length=200, verbose_name='name (Arabic)')),
                ('aliases', models.JSONField(blank=True, default=list, verbose_name='other names')),
                ('kind', models.CharField(max_length=30, validators=[dhakira.apps.dossier.validators.VocabularyValidator('unit_kinds')], verbose_name='kind')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='dossier.unit')),
            ],
        ),
        migrations.CreateModel(
            name='CommandLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('certainty', models.CharField(default='probable', max_length=20)),
                ('subordinate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='superior_links', to='dossier.person')),
                ('superior', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subordinate_links', to='dossier.person')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='dossier.unit')),
            ],
        ),
        migrations.CreateModel(
            name='UnitMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(blank=True, max_length=200, verbose_name='role or rank')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='dossier.person')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='dossier.unit')),
            ],
        ),
        migrations.CreateModel(
            name='Involvement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('degree', models.CharField(max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('involvement_degrees')], verbose_name='degree of involvement')),
                ('perpetrator_type', models.CharField(blank=True, max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('perpetrator_types')])),
                ('certainty', models.CharField(choices=[('confirmed', 'confirmed'), ('probable', 'probable'), ('possible', 'possible')], default='probable', max_length=20, verbose_name='certainty')),
                ('act', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='involvements', to='dossier.act')),
                ('perpetrator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='involvements', to='dossier.person')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='involvements', to='dossier.unit')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('perpetrator__isnull', False), ('unit__isnull', False), _connector='OR'), name='involvement_names_a_perpetrator')],
            },
        ),
        migrations.CreateModel(
            name='NamePart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=300)),
                ('person', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='dossier.person')),
                ('variant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parts', to='dossier.namevariant')),
            ],
            options={
                'indexes': [models.Index(fields=['key', 'person'], name='namepart_key_person'), models.Index(fields=['person', 'key'], name='namepart_person_key')],
            },
        ),
        migrations.CreateModel(
            name='PendingFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sealed_name', models.BinaryField()),
                ('sealed_data', models.BinaryField()),
                ('size', models.PositiveBigIntegerField()),
                ('graphic', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Recipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z0-9][A-Z0-9_.-]*$', 'Capital Latin letters, digits, “-”, “_” or “.”, e.g. UNITAD.')], verbose_name='short code')),
                ('name_en', models.CharField(max_length=200, verbose_name='name in English')),
                ('name_ar', models.CharField(max_length=200, verbose_name='name in Arabic')),
                ('kind', models.CharField(choices=[('un_mechanism', 'UN mechanism'), ('court', 'court'), ('prosecutor', 'prosecutor'), ('ngo', 'organisation (NGO)'), ('media', 'media'), ('other', 'other')], max_length=20, verbose_name='kind')),
                ('public_key', models.CharField(blank=True, help_text='The age public key packages are sealed to.', max_length=200, validators=[dhakira.apps.dossier.models.validate_age_public_key], verbose_name='public key (age)')),
                ('contact', models.TextField(blank=True, verbose_name='contact')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('administrator', 'Administrator'), ('documenter', 'Documenter'), ('analyst', 'Analyst'), ('legal', 'Legal'), ('viewer', 'Viewer'), ('reviewer', 'External reviewer')], default='viewer', max_length=20, verbose_name='role')),
                ('clearances', models.JSONField(blank=True, default=list, verbose_name='clearances')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Consent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=40, validators=[dhakira.apps.dossier.validators.VocabularyValidator('consent_scopes')], verbose_name='use')),
                ('decision', models.CharField(choices=[('granted', 'granted'), ('refused', 'refused'), ('ask_again', 'ask again'), ('withdrawn', 'withdrawn')], max_length=10, verbose_name='decision')),
                ('version', models.PositiveIntegerField(default=1)),
                ('obtained_at', models.DateTimeField(verbose_name='obtained')),
                ('obtained_by', models.CharField(max_length=200, verbose_name='obtained by')),
                ('method', models.CharField(default='oral_recorded', max_length=30, verbose_name='method')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('supersedes', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded_by', to='dossier.consent')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='dossier.person')),
                ('given_by', models.CharField(choices=[('self', 'the person themself'), ('relative', 'a relative'), ('guardian', 'a guardian'), ('informant', 'the informant, on their behalf')], default='self', max_length=10, verbose_name='given by')),
                ('relationship', models.CharField(blank=True, max_length=100, verbose_name='relationship to the person')),
                ('recipient', models.ForeignKey(blank=True, help_text='Empty means any recipient of this kind of use.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='dossier.recipient', verbose_name='recipient')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'scope', 'recipient', 'version'), name='one_consent_version'), models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('person', 'scope', 'version'), name='one_any_recipient_consent_version')],
            },
        ),
        migrations.RunSQL(
            sql='CREATE INDEX IF NOT EXISTS dossier_information_received_idx ON dossier_information (received_at)',
            reverse_sql='DROP INDEX IF EXISTS dossier_information_received_idx',
        ),
        migrations.RunSQL(
            sql='CREATE INDEX IF NOT EXISTS dossier_event_place_date_idx ON dossier_event (place_id, date_earliest)',
            reverse_sql='DROP INDEX IF EXISTS dossier_event_place_date_idx',
        ),
    ]
