"""Search keys strip clitics until none is left (« الالتحاق » and « التحاق » both key « تحاق »).

A stored key holds words already stripped once; keying each word again gives the key of the
original text, so the index is brought up to date from the keys alone (no text is read).
Triggers keep the SQLite full-text table in step; PostgreSQL's index is over ``key`` itself.
"""

from django.db import migrations


def rekey(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dhakira.core.names import search_key

    document = apps.get_model("evidence", "SearchDocument")
    words: dict[str, str] = {}
    changed = []
    for pk, key in document.objects.order_by("pk").values_list("pk", "key").iterator(2000):
        new = []
        for word in key.split():
            if word not in words:
                words[word] = search_key(word)
            new.append(words[word])
        rekeyed = " ".join(w for w in new if w)
        if rekeyed != key:
            changed.append(document(pk=pk, key=rekeyed))
        if len(changed) >= 1000:
            document.objects.bulk_update(changed, ["key"])
            changed = []
    document.objects.bulk_update(changed, ["key"])


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_report_compartments")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
