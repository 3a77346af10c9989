# The external reviewer's role (issue 21): a new choice of Profile.role.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0007_drafts_subkey'),
    ]

    operations = [
        migrations.AlterField(
            model_name='profile',
            name='role',
            field=models.CharField(choices=[('administrator', 'Administrator'), ('documenter', 'Documenter'), ('analyst', 'Analyst'), ('legal', 'Legal'), ('viewer', 'Viewer'), ('reviewer', 'External reviewer')], default='viewer', max_length=20, verbose_name='role'),
        ),
    ]
