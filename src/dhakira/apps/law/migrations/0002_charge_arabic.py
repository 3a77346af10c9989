"""A charge is named in both languages: ``title_ar`` and ``victim_group_ar`` beside the
English ones. The demo's charge, defined before, gets its Arabic text."""

from django.db import migrations, models

DEMO_TITLE = "CAH persecution (gender / sexual orientation), Ninawa 2014–2017"
DEMO_TITLE_AR = "الاضطهاد جريمةً ضد الإنسانية (النوع الاجتماعي / الميول الجنسية)، نينوى 2014–2017"
DEMO_GROUP_AR = ("أشخاص استُهدفوا بسبب ميول جنسية نُسبت إليهم أو لأسباب تتعلق بالنوع "
                 "الاجتماعي")


def demo_in_arabic(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Copied texts, not imported: a migration must not change when the services do.
    Charge = apps.get_model("legal", "Charge")
    Charge.objects.filter(title=DEMO_TITLE, title_ar="").update(
        title_ar=DEMO_TITLE_AR, victim_group_ar=DEMO_GROUP_AR)


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="charge", name="title",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (English)"),
        ),
        migrations.AddField(
            model_name="charge", name="title_ar",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Arabic)"),
        ),
        migrations.AlterField(
            model_name="charge", name="victim_group",
            field=models.CharField(blank=True, max_length=300,
                                   verbose_name="victim group (English)"),
        ),
        migrations.AddField(
            model_name="charge", name="victim_group_ar",
            field=models.CharField(blank=True, max_length=300,
                                   verbose_name="victim group (Arabic)"),
        ),
        migrations.RunPython(demo_in_arabic, migrations.RunPython.noop, elidable=True),
    ]
