"""0001_initial to 0006_search_keys_rekeyed in one migration, for new vaults (issue 18: a new vault in a
fraction of the CPU). A vault that applied some of them goes on with the files it
replaces, which stay. The data fixes of existing rows are left out (``elidable``): a
new vault has no rows to fix."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models


# The full-text index (FTS5 table and triggers, or a GIN index) is made by 0002's own
# functions, so that its SQL is written once.
_search_index = import_module("dhakira.apps.evidence.migrations.0002_search_index")

class Migration(migrations.Migration):

    replaces = [('evidence', '0001_initial'), ('evidence', '0002_search_index'), ('evidence', '0003_text_status'), ('evidence', '0004_protected_metadata'), ('evidence', '0005_report_compartments'), ('evidence', '0006_search_keys_rekeyed')]

    dependencies = [
        ('dossier', '0001_initial'),
        ('dossier', '0002_page_indexes'),
        ('dossier', '0003_information_compartment'),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(db_index=True, max_length=64)),
                ('size', models.PositiveBigIntegerField()),
                ('mime', models.CharField(max_length=120, verbose_name='type (sniffed)')),
                ('blob_name', models.CharField(max_length=64)),
                ('original_name', models.CharField(blank=True, max_length=500, verbose_name='original file name')),
                ('collector', models.CharField(max_length=150, verbose_name='collector')),
                ('method', models.CharField(max_length=200, verbose_name='collection method')),
                ('tool', models.CharField(max_length=200, verbose_name='tool and version')),
                ('collected_at', models.DateTimeField(verbose_name='collected (UTC)')),
                ('origin', models.CharField(blank=True, max_length=1000, verbose_name='where it came from')),
                ('relationship', models.CharField(blank=True, choices=[('', 'none'), ('attachment', 'attachment of an e-mail'), ('message', 'message in a mailbox'), ('member', 'member of an archive')], max_length=20)),
                ('graphic', models.BooleanField(default=False, verbose_name='graphic content')),
                ('compartment', models.CharField(blank=True, choices=[('sources', 'Sources (identities and contacts of informants)'), ('sogi', 'Self-identified sexual orientation and gender identity'), ('protection', 'Protection casework'), ('addresses', 'Exact addresses')], max_length=20, verbose_name='compartment')),
                ('text_status', models.CharField(blank=True, choices=[('', 'no text to extract'), ('pending', 'text extraction pending'), ('done', 'text extracted'), ('failed', 'text extraction failed')], db_index=True, default='', max_length=10, verbose_name='text extraction'),),
                ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='also_received', to='evidence.evidenceitem')),
                ('information', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='dossier.information')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='family', to='evidence.evidenceitem')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='DerivedCopy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('translation', 'translation'), ('transcript', 'transcript'), ('extracted_text', 'extracted text'), ('ocr_text', 'OCR text'), ('redacted', 'redacted version')], max_length=20)),
                ('blob_sha256', models.CharField(blank=True, max_length=64)),
                ('text', models.TextField(blank=True)),
                ('language', models.CharField(blank=True, max_length=10)),
                ('operation', models.CharField(max_length=300, verbose_name='operation')),
                ('created_by', models.CharField(max_length=150, verbose_name='who')),
                ('created_at', models.DateTimeField(verbose_name='when')),
                ('original', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='derived', to='evidence.evidenceitem')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Metadata',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('data', models.JSONField(default=dict)),
                ('extractor', models.CharField(blank=True, max_length=200)),
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='metadata', to='evidence.evidenceitem')),
            ],
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('information', 'report'), ('evidence', 'evidence')], max_length=20)),
                ('date', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('mime', models.CharField(blank=True, max_length=120)),
                ('compartment', models.CharField(blank=True, max_length=20)),
                ('key', models.TextField(blank=True)),
                ('derived', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_document', to='evidence.derivedcopy')),
                ('information', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_document', to='dossier.information')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='evidence.evidenceitem')),
                ('place', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dossier.place')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dossier.source')),
            ],
        ),
        migrations.RunPython(
            code=_search_index.forwards,
            reverse_code=_search_index.backwards,
        ),
    ]
