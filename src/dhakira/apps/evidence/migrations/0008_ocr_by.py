"""``EvidenceItem.ocr_by``: which OCR read an item's pictures, so that ``dhakira process
--ocr-missing`` finds the items OCR has not read (taken in before OCR existed, or whose OCR
failed).

Filled for the items OCR has already read: from the operation of their ``ocr_text`` copy
(``OCR (tesseract/5.3.0, ara+eng…)`` → ``tesseract/5.3.0``), or ``tesseract`` (version not
recorded) for a photo processed since OCR existed whose OCR found no text (before OCR, photos
were never processed). Every other item stays "": a PDF processed before this field existed
may hold scanned pages, and only reading it again tells.
"""

import re

from django.db import migrations, models

# Frozen here: the photo types processing read by OCR when this field was added.
_PHOTOS = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff")
_TOOL = re.compile(r"^OCR \(([^,)]+)")


def _fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    item_model = apps.get_model("evidence", "EvidenceItem")
    copy_model = apps.get_model("evidence", "DerivedCopy")
    tools: dict[int, str] = {}
    copies = (copy_model.objects.filter(kind="ocr_text").order_by("pk")
              .values_list("original_id", "operation"))
    for original, operation in copies.iterator(chunk_size=2000):
        found = _TOOL.match(operation)
        tools[original] = found.group(1) if found else "tesseract"  # the latest copy wins
    by_tool: dict[str, list[int]] = {}
    for pk, tool in tools.items():
        by_tool.setdefault(tool, []).append(pk)
    for tool, pks in by_tool.items():
        for start in range(0, len(pks), 500):
            item_model.objects.filter(pk__in=pks[start:start + 500]).update(ocr_by=tool)
    (item_model.objects.filter(mime__in=_PHOTOS, text_status="done", ocr_by="")
     .update(ocr_by="tesseract"))


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0007_searchdocument_to_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidenceitem",
            name="ocr_by",
            field=models.CharField(blank=True, db_index=True, default="", max_length=60,
                                   verbose_name="read by OCR"),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
    ]
